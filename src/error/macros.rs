//! The macro behind the one error table: each error is written once — variant, parameters,
//! code, HTTP status, message and (for connect errors) the next step — and everything else is
//! generated from that entry. A new error missing any part doesn't compile.

/// Declares [`AppError`](super::AppError) and its `code`, `status`, `template` and `next_step`
/// from one table. A message names parameters as `{name}`; each is filled by its
/// [`Param`](super::params::Param) rendering.
macro_rules! app_errors {
    ($(
        $(#[$doc:meta])*
        $variant:ident $({ $($param:ident : $ty:ty),* $(,)? })?
            => $code:literal, $status:literal, $message:literal $(, next: $next:literal)?;
    )*) => {
        /// Every user-level outcome. Infrastructure failures are logged where they happen and
        /// become [`AppError::Internal`]; their detail never crosses the wire.
        #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        #[serde(tag = "code", rename_all = "snake_case")]
        pub enum AppError {
            $( $(#[$doc])* $variant $({ $($param: $ty),* })?, )*
        }

        /// The one table of user-facing messages, keyed by stable code.
        pub const MESSAGES: &[(&str, &str)] = &[ $( ($code, $message), )* ];

        impl AppError {
            /// The stable snake_case code (used in URLs, logs and tests).
            pub fn code(&self) -> &'static str {
                match self { $( AppError::$variant { .. } => $code, )* }
            }

            /// The HTTP status for clients that are not browsers (browsers get a redirect back).
            pub fn status(&self) -> u16 {
                match self { $( AppError::$variant { .. } => $status, )* }
            }

            /// What to do next, for the errors that have a hint (the connect errors).
            pub fn next_step(&self) -> Option<&'static str> {
                match self { $( AppError::$variant { .. } => app_errors!(@next $($next)?), )* }
            }

            /// The message shown to the user, its `{parameters}` filled.
            pub fn message(&self) -> String {
                match self {
                    $( AppError::$variant $({ $($param),* })? => {
                        #[allow(unused_mut)]
                        let mut text = $message.to_owned();
                        $($(
                            text = text.replace(
                                concat!("{", stringify!($param), "}"),
                                &params::Param::render($param),
                            );
                        )*)?
                        text
                    } )*
                }
            }
        }

        /// Every code with its next step, if it has one.
        pub const NEXT_STEPS: &[(&str, Option<&str>)] =
            &[ $( ($code, app_errors!(@next $($next)?)), )* ];
    };
    (@next $next:literal) => { Some($next) };
    (@next) => { None };
}

pub(crate) use app_errors;
