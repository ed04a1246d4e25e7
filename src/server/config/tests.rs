//! Configuration parsing: defaults, every variable's bad values, secrets kept out of output.

use super::*;
use std::collections::HashMap;
use std::time::Duration;

#[test]
fn a_password_in_the_database_url_never_prints() {
    let url =
        DatabaseUrl::parse("postgres://app:s3ntinel-pw@db.internal:5432/switchboard").unwrap();
    let config = config(&[("DATABASE_URL", url.as_str())]).unwrap();
    for printed in [format!("{url:?}"), format!("{config:?}"), url.redacted()] {
        assert!(!printed.contains("s3ntinel-pw"), "{printed}");
        assert!(printed.contains("db.internal"), "{printed}");
    }
}

fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    Config::from_lookup(|name| vars.get(name).cloned())
}

#[test]
fn defaults_serve_sqlite_on_localhost_3000() {
    let config = config(&[]).unwrap();
    assert_eq!(config.site_addr.to_string(), "127.0.0.1:3000");
    assert_eq!(config.database_url.as_str(), DEFAULT_DATABASE_URL);
    assert_eq!(
        config.database_url.sqlite_path().unwrap(),
        std::path::PathBuf::from("data/switchboard.db")
    );
    assert!(config.public_url.is_none());
}

#[test]
fn a_bad_site_address_is_one_clear_line() {
    let err = config(&[("LEPTOS_SITE_ADDR", "localhost")]).unwrap_err();
    assert!(err
        .0
        .starts_with("LEPTOS_SITE_ADDR \"localhost\" is not an address"));
    assert!(!err.0.contains('\n'));
}

#[test]
fn a_bad_database_url_names_the_accepted_schemes_without_echoing_secrets() {
    let err = config(&[("DATABASE_URL", "mysql://root:hunter2@db/x")]).unwrap_err();
    assert!(err.0.contains("sqlite:// or postgres://"));
    assert!(!err.0.contains("hunter2"));
}

#[test]
fn public_url_keeps_origin_authority_and_path_prefix() {
    let url = PublicUrl::parse("https://Switch.Example.com:8443/app/").unwrap();
    assert_eq!(url.origin(), "https://switch.example.com:8443");
    assert_eq!(url.authority(), "switch.example.com:8443");
    assert_eq!(
        url.join("/login"),
        "https://switch.example.com:8443/app/login"
    );
    assert!(url.is_https());
}

#[test]
fn public_url_refuses_other_schemes_and_queries() {
    assert!(PublicUrl::parse("ftp://example.com").is_err());
    assert!(PublicUrl::parse("https://example.com/?a=b").is_err());
    assert!(PublicUrl::parse("not a url").is_err());
}

#[test]
fn the_sandbox_is_on_by_default_and_off_with_a_real_app() {
    assert!(config(&[]).unwrap().sandbox);
    assert!(
        !config(&[("META_APP_ID", "123"), ("META_APP_SECRET", "s")])
            .unwrap()
            .sandbox
    );
    assert!(!config(&[("SWITCHBOARD_SANDBOX", "0")]).unwrap().sandbox);
}

#[test]
fn the_sandbox_refuses_to_start_beside_real_credentials() {
    let err = config(&[("SWITCHBOARD_SANDBOX", "1"), ("THREADS_APP_ID", "42")]).unwrap_err();
    assert!(err
        .0
        .contains("can't be combined with real Meta app credentials (THREADS_APP_ID)"));
    assert!(config(&[("SWITCHBOARD_SANDBOX", "maybe")]).is_err());
}

#[test]
fn postgres_urls_are_accepted() {
    let config = config(&[("DATABASE_URL", "postgres://root@127.0.0.1:5432/test")]).unwrap();
    assert!(matches!(config.database_url, DatabaseUrl::Postgres(_)));
    assert!(config.database_url.sqlite_path().is_none());
}

fn meta(vars: &[(&str, &str)]) -> Result<MetaSettings, ConfigError> {
    let vars: HashMap<&str, &str> = vars.iter().copied().collect();
    MetaSettings::from_lookup(&|name| vars.get(name).map(|v| v.to_string()))
}

#[test]
fn durations_read_with_their_unit() {
    assert_eq!(parse_duration("10s"), Some(Duration::from_secs(10)));
    assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
    assert_eq!(parse_duration("2m"), Some(Duration::from_secs(120)));
    assert_eq!(parse_duration("7d"), Some(Duration::from_secs(7 * 86_400)));
    assert_eq!(parse_duration("15"), Some(Duration::from_secs(15)));
    for bad in ["", "0s", "ten", "5 weeks", "-1s"] {
        assert_eq!(parse_duration(bad), None, "{bad}");
    }
}

#[test]
fn meta_defaults_are_the_production_hosts() {
    let settings = meta(&[]).unwrap();
    assert!(settings.facebook.is_none());
    assert_eq!(settings.graph_version, "v25.0");
    assert_eq!(settings.graph_url, "https://graph.facebook.com");
    assert_eq!(settings.http_timeout, Duration::from_secs(10));
    assert_eq!(settings.usage_threshold, 90);
}

#[test]
fn bad_meta_values_name_their_variable_and_never_echo_the_secret() {
    let err = meta(&[("META_APP_ID", "123")]).unwrap_err();
    assert!(err.0.contains("META_APP_SECRET"));
    let err = meta(&[("META_APP_ID", "abc"), ("META_APP_SECRET", "s3cr3t")]).unwrap_err();
    assert!(err.0.contains("META_APP_ID") && !err.0.contains("s3cr3t"));
    assert!(meta(&[("META_GRAPH_VERSION", "25")]).is_err());
    assert!(meta(&[("META_GRAPH_URL", "ftp://x")]).is_err());
    assert!(meta(&[("SWITCHBOARD_HTTP_TIMEOUT", "soon")]).is_err());
    assert!(meta(&[("SWITCHBOARD_META_USAGE_THRESHOLD", "101")]).is_err());
    let app = meta(&[("META_APP_ID", "123"), ("META_APP_SECRET", "s3cr3t")]).unwrap();
    assert!(!format!("{app:?}").contains("s3cr3t"));
}

#[test]
fn the_key_file_is_created_only_when_no_key_is_configured() {
    let none = KeySettings::from_lookup(&|_| None).unwrap();
    assert!(matches!(
        none.master,
        MasterKeySource::File { create: true, .. }
    ));
    let file = KeySettings::from_lookup(&|name| {
        (name == "SWITCHBOARD_MASTER_KEY_FILE").then(|| "/etc/k".to_owned())
    })
    .unwrap();
    assert!(matches!(
        file.master,
        MasterKeySource::File { create: false, .. }
    ));
    let both = KeySettings::from_lookup(&|name| {
        name.starts_with("SWITCHBOARD_MASTER_KEY")
            .then(|| "x".to_owned())
    });
    assert!(both.is_err());
}

#[test]
fn a_crash_point_is_armed_only_in_sandbox_mode_and_only_by_a_known_name() {
    let step = ("SWITCHBOARD_CRASH_AT", "connect.before_commit");
    let armed = config(&[step, ("SWITCHBOARD_SANDBOX", "1")]).unwrap();
    assert_eq!(armed.crash_at, Some(CrashStep::ConnectBeforeCommit));
    assert_eq!(config(&[]).unwrap().crash_at, None);

    let real = config(&[step, ("SWITCHBOARD_SANDBOX", "0")]).unwrap_err();
    assert!(real.0.contains("works only in sandbox mode"), "{real}");
    let unknown = config(&[("SWITCHBOARD_CRASH_AT", "nowhere")]).unwrap_err();
    assert!(unknown.0.contains("names no crash point"), "{unknown}");
}
