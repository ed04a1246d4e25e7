//! How an error's parameters read inside its message.

use crate::domain::policy::Permission;
use crate::domain::{Field, Provider};
use serde::{Deserialize, Serialize};

/// A parameter's rendering inside a message (`{field}` → "Workspace name").
pub trait Param {
    fn render(&self) -> String;
}

impl Param for u32 {
    fn render(&self) -> String {
        self.to_string()
    }
}

impl Param for Field {
    fn render(&self) -> String {
        self.label().to_owned()
    }
}

impl Param for Provider {
    fn render(&self) -> String {
        self.label().to_owned()
    }
}

impl Param for Permission {
    fn render(&self) -> String {
        self.phrase().to_owned()
    }
}

/// A wait in whole minutes: "1 minute", "14 minutes". Serialised as the bare number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Minutes(pub u32);

impl Param for Minutes {
    fn render(&self) -> String {
        match self.0 {
            1 => "1 minute".to_owned(),
            n => format!("{n} minutes"),
        }
    }
}

/// Who "didn't grant the permissions" in `scope_rejected`: Facebook for Facebook Login and for
/// Instagram Login (the help article's wording, since Instagram's consent runs on Meta's
/// login), Threads for Threads. Serialised as the provider, so `?provider=` selects it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Grantor(pub Provider);

impl Param for Grantor {
    fn render(&self) -> String {
        match self.0 {
            Provider::Threads => "Threads".to_owned(),
            Provider::Facebook | Provider::Instagram => "Facebook".to_owned(),
        }
    }
}
