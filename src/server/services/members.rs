//! Reading a workspace's members (the members page; management arrives with roles).

use crate::domain::Role;
use crate::error::AppError;
use crate::server::entities::{membership, user};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// One row of the members table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
}

/// The members of `workspace_id`, by name. Rows with an unreadable role are skipped and logged.
pub async fn list(
    db: &impl ConnectionTrait,
    workspace_id: i64,
) -> Result<Vec<MemberRow>, AppError> {
    let rows = membership::Entity::find()
        .filter(membership::Column::WorkspaceId.eq(workspace_id))
        .find_also_related(user::Entity)
        .order_by_asc(membership::Column::Id)
        .all(db)
        .await?;
    let mut members: Vec<MemberRow> = rows
        .into_iter()
        .filter_map(|(member, person)| {
            let person = person?;
            match member.role.parse::<Role>() {
                Ok(role) => Some(MemberRow { user_id: person.id, name: person.name, email: person.email, role }),
                Err(err) => {
                    tracing::error!(membership_id = member.id, error = %err, "membership with an unknown role");
                    None
                }
            }
        })
        .collect();
    members.sort_by_key(|m| m.name.to_lowercase());
    Ok(members)
}
