//! Pieces shared by pages.

pub mod form_error;
pub mod layout;
pub mod welcome;
