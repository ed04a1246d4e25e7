//! The one access policy: role × permission, exactly product.md's matrix. Deny by default:
//! a permission not listed for a role is refused. Every server function and page asks here.

use super::Role;
use crate::error::{Action, AppError};

/// Something a member may or may not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// View accounts, integrations and posts.
    ViewAccounts,
    /// Connect and reconnect accounts.
    ConnectAccounts,
    /// Disconnect accounts.
    DisconnectAccounts,
    /// Delete a disconnected account for good.
    DeleteAccounts,
    /// Compose and publish, re-queue posts.
    Publish,
    /// Add members, change roles, reset passwords and remove members, up to Admin.
    ManageMembers,
    /// Make or unmake an Owner (and remove or reset one).
    ManageOwners,
    /// Rename the workspace.
    RenameWorkspace,
    /// View the activity log.
    ViewActivity,
}

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

    /// How the role message names this action.
    pub fn action(self) -> Action {
        match self {
            Permission::ViewAccounts => Action::ViewingAccounts,
            Permission::ConnectAccounts => Action::ConnectingMetaAccounts,
            Permission::DisconnectAccounts => Action::DisconnectingAccounts,
            Permission::DeleteAccounts => Action::DeletingAccounts,
            Permission::Publish => Action::Publishing,
            Permission::ManageMembers => Action::ManagingMembers,
            Permission::ManageOwners => Action::ManagingOwners,
            Permission::RenameWorkspace => Action::RenamingWorkspace,
            Permission::ViewActivity => Action::ViewingActivity,
        }
    }
}

/// Whether `role` holds `permission`.
pub fn allows(role: Role, permission: Permission) -> bool {
    role >= permission.minimum_role()
}

/// `Ok` when allowed, else the role message naming the action.
pub fn authorize(role: Role, permission: Permission) -> Result<(), AppError> {
    if allows(role, permission) {
        Ok(())
    } else {
        Err(AppError::RoleForbidden {
            action: permission.action(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Permission::*;

    /// product.md → "Who uses it", row by row: (permission, [Owner, Admin, Manager, Member]).
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
        let err = authorize(Role::Member, ConnectAccounts).unwrap_err();
        assert_eq!(
            err.message(),
            "Your role doesn't allow connecting Meta accounts. Ask a workspace owner or admin, or have your role updated."
        );
        let err = authorize(Role::Manager, ManageMembers).unwrap_err();
        assert!(err
            .message()
            .starts_with("Your role doesn't allow managing members."));
    }
}
