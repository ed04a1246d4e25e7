//! One `TestApp` helper per user action, each posting the form as a browser on that page
//! would (same Origin, Referer and `Accept: text/html`). `*_with` acts in another browser.

use crate::helpers::TestApp;
use reqwest::{Client, Response};

impl TestApp {
    /// **Role** + **Save** on a member's row.
    pub async fn change_role_with(&self, client: &Client, user_id: &str, role: &str) -> Response {
        self.post_form_with(
            client,
            "/api/change_role",
            "/settings/members",
            &[("user_id", user_id), ("role", role)],
        )
        .await
    }

    pub async fn change_role(&self, user_id: &str, role: &str) -> Response {
        self.change_role_with(&self.client, user_id, role).await
    }

    /// **Remove** on a member's row.
    pub async fn remove_member_with(&self, client: &Client, user_id: &str) -> Response {
        self.post_form_with(
            client,
            "/api/remove_member",
            "/settings/members",
            &[("user_id", user_id)],
        )
        .await
    }

    pub async fn remove_member(&self, user_id: &str) -> Response {
        self.remove_member_with(&self.client, user_id).await
    }

    /// **Reset password** on a member's row.
    pub async fn reset_password_with(
        &self,
        client: &Client,
        user_id: &str,
        password: &str,
    ) -> Response {
        self.post_form_with(
            client,
            "/api/reset_password",
            "/settings/members",
            &[("user_id", user_id), ("password", password)],
        )
        .await
    }

    pub async fn reset_password(&self, user_id: &str, password: &str) -> Response {
        self.reset_password_with(&self.client, user_id, password)
            .await
    }

    /// **New workspace**.
    pub async fn create_workspace_with(&self, client: &Client, name: &str) -> Response {
        self.post_form_with(
            client,
            "/api/create_workspace",
            "/workspaces/new",
            &[("name", name)],
        )
        .await
    }

    pub async fn create_workspace(&self, name: &str) -> Response {
        self.create_workspace_with(&self.client, name).await
    }

    /// The header's workspace switcher.
    pub async fn switch_workspace(&self, workspace_id: &str) -> Response {
        self.post_form(
            "/api/switch_workspace",
            "/accounts",
            &[("workspace_id", workspace_id)],
        )
        .await
    }

    /// Settings → Workspace: **Rename**.
    pub async fn rename_workspace_with(&self, client: &Client, name: &str) -> Response {
        self.post_form_with(
            client,
            "/api/rename_workspace",
            "/settings/workspace",
            &[("name", name)],
        )
        .await
    }

    pub async fn rename_workspace(&self, name: &str) -> Response {
        self.rename_workspace_with(&self.client, name).await
    }

    /// Your account: **Change password**.
    pub async fn change_password_with(
        &self,
        client: &Client,
        current: &str,
        new: &str,
    ) -> Response {
        self.post_form_with(
            client,
            "/api/change_password",
            "/settings/account",
            &[("current_password", current), ("new_password", new)],
        )
        .await
    }

    pub async fn change_password(&self, current: &str, new: &str) -> Response {
        self.change_password_with(&self.client, current, new).await
    }

    /// Your account: **Time zone**.
    pub async fn set_time_zone(&self, zone: &str) -> Response {
        self.post_form(
            "/api/set_time_zone",
            "/settings/account",
            &[("time_zone", zone)],
        )
        .await
    }
}
