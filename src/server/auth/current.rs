//! The signed-in user of a request, as plain data. The `http::identify` middleware loads them
//! once per request (from the session and the database, so role changes and removals apply
//! from the next request) and puts a [`CurrentUser`] into the request's extensions, where pages
//! and server functions read it.

use crate::domain::Role;

/// A workspace as the header's switcher shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceRef {
    pub id: i64,
    pub name: String,
}

/// The person behind a request, in the workspace they are looking at.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub time_zone: String,
    pub workspace: WorkspaceRef,
    pub role: Role,
    /// Every workspace the user belongs to, oldest membership first.
    pub workspaces: Vec<WorkspaceRef>,
}

/// A one-shot message taken from the session for the page being rendered.
#[derive(Debug, Clone)]
pub struct Flash(pub String);
