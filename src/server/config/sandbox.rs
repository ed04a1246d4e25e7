//! `SWITCHBOARD_SANDBOX`: whether the built-in Meta sandbox stands in for Meta. On by default
//! when no real Meta app is configured — in a build that has the sandbox (the `sandbox` cargo
//! feature, on by default). A build without it has no stand-in: there the default is off, and
//! asking for it stops the start.

use super::ConfigError;

/// Whether this binary was built with the Meta sandbox.
pub const BUILT_WITH_SANDBOX: bool = cfg!(feature = "sandbox");

/// Decides sandbox mode from the variable's value (if set), the real-app variables that are
/// set, and whether this build has a sandbox at all.
pub(super) fn sandbox_mode(
    raw: Option<&str>,
    real_apps: &[&str],
    built_with_sandbox: bool,
) -> Result<bool, ConfigError> {
    let wanted = match raw.map(str::trim) {
        None => return Ok(built_with_sandbox && real_apps.is_empty()),
        Some("1" | "true") => true,
        Some("0" | "false") => false,
        Some(other) => {
            return Err(ConfigError(format!(
                "SWITCHBOARD_SANDBOX {other:?} must be 1 or 0"
            )));
        }
    };
    if wanted && !built_with_sandbox {
        return Err(ConfigError(
            "SWITCHBOARD_SANDBOX=1, but this build has no Meta sandbox (it was built without the `sandbox` feature): unset it and configure a Meta app, or use a default build".to_owned(),
        ));
    }
    if wanted && !real_apps.is_empty() {
        return Err(ConfigError(format!(
            "SWITCHBOARD_SANDBOX=1 can't be combined with real Meta app credentials ({}): unset one or the other",
            real_apps.join(", ")
        )));
    }
    Ok(wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_without_the_sandbox_defaults_to_real_meta() {
        assert_eq!(sandbox_mode(None, &[], false), Ok(false));
        assert_eq!(sandbox_mode(Some("0"), &[], false), Ok(false));
    }

    #[test]
    fn a_build_without_the_sandbox_refuses_sandbox_mode_in_one_line() {
        let err = sandbox_mode(Some("1"), &[], false).unwrap_err();
        assert!(err.0.contains("this build has no Meta sandbox"), "{err}");
        assert!(!err.0.contains('\n'));
    }

    #[test]
    fn a_build_with_the_sandbox_uses_it_unless_a_real_app_is_configured() {
        assert_eq!(sandbox_mode(None, &[], true), Ok(true));
        assert_eq!(sandbox_mode(None, &["META_APP_ID"], true), Ok(false));
        assert_eq!(sandbox_mode(Some(" true "), &[], true), Ok(true));
    }
}
