//! The accounts list (`/accounts`): the welcome panel until an account is connected, then the
//! accounts with their platform, username and status. (Filters, search, token expiry and
//! usage columns come with the accounts-list work.)

use crate::app::components::layout::AppLayout;
use crate::app::components::welcome::WelcomePanel;
use crate::app::request::{app_state, current_user};
use crate::error::AppError;
use crate::server::services::accounts;
use leptos::prelude::*;

#[component]
pub fn AccountsPage() -> impl IntoView {
    view! {
        <AppLayout title="Accounts">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let (Some(state), Some(user)) = (app_state(), current_user()) else {
                        return view! { <p>"Please sign in to continue."</p> }.into_any();
                    };
                    match accounts::connections(&state.db, user.workspace.id).await {
                        Ok(rows) if rows.is_empty() => view! { <WelcomePanel/> }.into_any(),
                        Ok(rows) => {
                            let body = rows
                                .into_iter()
                                .map(|row| view! {
                                    <tr>
                                        <td>{row.name}</td>
                                        <td>{row.platform.label()}</td>
                                        <td>{row.username.unwrap_or_default()}</td>
                                        <td>{row.status.label()}</td>
                                    </tr>
                                })
                                .collect_view();
                            view! {
                                <table class="table accounts">
                                    <thead>
                                        <tr>
                                            <th scope="col">"Account Name"</th>
                                            <th scope="col">"Platform"</th>
                                            <th scope="col">"Username"</th>
                                            <th scope="col">"Status"</th>
                                        </tr>
                                    </thead>
                                    <tbody>{body}</tbody>
                                </table>
                            }
                            .into_any()
                        }
                        Err(err) => {
                            let err = AppError::from(err);
                            view! { <p class="form-error" role="alert">{err.message()}</p> }.into_any()
                        }
                    }
                })}
            </Suspense>
        </AppLayout>
    }
}
