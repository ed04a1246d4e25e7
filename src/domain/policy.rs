//! The one access policy: role × permission, exactly docs/product.md's matrix. Deny by default:
//! a permission not listed for a role is refused. Every server function and page asks here.

use super::Role;
use serde::{Deserialize, Serialize};

/// Something a member may or may not do. On the wire (a refused action's error parameter) it
/// is named by the action phrase's snake_case form, kept stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Permission {
    /// View accounts, integrations and posts.
    #[serde(rename = "viewing_accounts")]
    ViewAccounts,
    /// Connect and reconnect accounts.
    #[serde(rename = "connecting_meta_accounts")]
    ConnectAccounts,
    /// Disconnect accounts.
    #[serde(rename = "disconnecting_accounts")]
    DisconnectAccounts,
    /// Delete a disconnected account for good.
    #[serde(rename = "deleting_accounts")]
    DeleteAccounts,
    /// Compose and publish, re-queue posts.
    #[serde(rename = "publishing")]
    Publish,
    /// Add members, change roles, reset passwords and remove members, up to Admin.
    #[serde(rename = "managing_members")]
    ManageMembers,
    /// Make or unmake an Owner (and remove or reset one).
    #[serde(rename = "managing_owners")]
    ManageOwners,
    /// Rename the workspace.
    #[serde(rename = "renaming_workspace")]
    RenameWorkspace,
    /// View the activity log.
    #[serde(rename = "viewing_activity")]
    ViewActivity,
}

/// A refusal: the role does not hold the permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Forbidden(pub Permission);

impl Permission {
    pub const ALL: [Permission; 9] = [
        Permission::ViewAccounts,
        Permission::ConnectAccounts,
        Permission::DisconnectAccounts,
        Permission::DeleteAccounts,
        Permission::Publish,
        Permission::ManageMembers,
        Permission::ManageOwners,
        Permission::RenameWorkspace,
        Permission::ViewActivity,
    ];

    /// The lowest role holding this permission (the matrix is cumulative by role).
    fn minimum_role(self) -> Role {
        match self {
            Permission::ViewAccounts => Role::Member,
            Permission::ConnectAccounts | Permission::DisconnectAccounts | Permission::Publish => {
                Role::Manager
            }
            Permission::DeleteAccounts | Permission::ManageMembers | Permission::ViewActivity => {
                Role::Admin
            }
            Permission::ManageOwners | Permission::RenameWorkspace => Role::Owner,
        }
    }

    /// How the role message names this action ("Your role doesn't allow {phrase}…").
    pub fn phrase(self) -> &'static str {
        match self {
            Permission::ViewAccounts => "viewing accounts",
            Permission::ConnectAccounts => "connecting Meta accounts",
            Permission::DisconnectAccounts => "disconnecting accounts",
            Permission::DeleteAccounts => "deleting accounts for good",
            Permission::Publish => "publishing",
            Permission::ManageMembers => "managing members",
            Permission::ManageOwners => "making or unmaking Owners",
            Permission::RenameWorkspace => "renaming the workspace",
            Permission::ViewActivity => "viewing the activity log",
        }
    }
}

/// Whether `role` holds `permission`.
pub fn allows(role: Role, permission: Permission) -> bool {
    role >= permission.minimum_role()
}

/// `Ok` when allowed, else [`Forbidden`] (shown as the role message naming the action).
pub fn authorize(role: Role, permission: Permission) -> Result<(), Forbidden> {
    if allows(role, permission) {
        Ok(())
    } else {
        Err(Forbidden(permission))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Permission::*;

    /// docs/product.md → "Who uses it", row by row: (permission, [Owner, Admin, Manager, Member]).
    const MATRIX: [(Permission, [bool; 4]); 9] = [
        (ViewAccounts, [true, true, true, true]),
        (ConnectAccounts, [true, true, true, false]),
        (DisconnectAccounts, [true, true, true, false]),
        (DeleteAccounts, [true, true, false, false]),
        (Publish, [true, true, true, false]),
        (ManageMembers, [true, true, false, false]),
        (ManageOwners, [true, false, false, false]),
        (RenameWorkspace, [true, false, false, false]),
        (ViewActivity, [true, true, false, false]),
    ];

    #[test]
    fn every_role_and_permission_follows_the_product_matrix() {
        assert_eq!(MATRIX.len(), Permission::ALL.len());
        for (permission, expected) in MATRIX {
            for (role, allowed) in Role::ALL.into_iter().zip(expected) {
                assert_eq!(
                    allows(role, permission),
                    allowed,
                    "{role:?} × {permission:?}"
                );
                assert_eq!(
                    authorize(role, permission).is_ok(),
                    allowed,
                    "{role:?} × {permission:?}"
                );
            }
        }
    }

    #[test]
    fn a_refusal_names_the_action_in_the_role_message() {
        use crate::error::AppError;
        let err = AppError::from(authorize(Role::Member, ConnectAccounts).unwrap_err());
        assert_eq!(
            err.message(),
            "Your role doesn't allow connecting Meta accounts. Ask a workspace owner or admin, or have your role updated."
        );
        let err = AppError::from(authorize(Role::Manager, ManageMembers).unwrap_err());
        assert!(err
            .message()
            .starts_with("Your role doesn't allow managing members."));
    }
}
