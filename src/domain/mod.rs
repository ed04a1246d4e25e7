//! Parse-don't-validate domain types: each is built only from input that passed its rules, so
//! code holding one never checks again.

pub mod account;
pub mod account_filter;
pub mod email;
pub mod field;
pub mod name;
pub mod password;
pub mod policy;
pub mod post;
pub mod return_to;
pub mod role;
pub mod status_reason;

pub use account::{AccountStatus, Platform, Provider};
pub use email::EmailAddress;
pub use field::{Field, InputError};
pub use name::{PersonName, WorkspaceName};
pub use password::{NewPassword, PasswordInput};
pub use post::{PostFailure, PostStatus};
pub use role::Role;
pub use status_reason::StatusReason;
