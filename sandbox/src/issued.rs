//! Issuing and looking up codes and tokens. The plaintext is returned once, to the caller that
//! asked for it; the database keeps only its SHA-256 digest.

use super::Sandbox;
use crate::entities::{code, grant, token};
use crate::protocol;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DbErr, EntityTrait, IntoActiveModel, JoinType, QueryFilter,
    QuerySelect, Set,
};

/// Codes are good for ten minutes (Meta documents one hour for Instagram and Threads; the
/// Facebook figure is unconfirmed, and shorter is the safer fake).
pub const CODE_LIFETIME: i64 = 600;
pub const SHORT_LIVED: i64 = 2 * 3600;
/// Instagram Login's and Threads' short-lived tokens last one hour (docs/meta-api.md §6.2, §7.2).
pub const LOGIN_SHORT_LIVED: i64 = 3600;
pub const LONG_LIVED: i64 = 60 * 86_400;
pub const SHORT_PAGE_TOKEN: i64 = 3600;
pub const DATA_ACCESS: i64 = 90 * 86_400;

pub use crate::protocol::sha256_hex as digest;

/// What a token is, as stored.
pub type Token = token::Model;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    User,
    Page,
    App,
}

impl TokenKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenKind::User => "USER",
            TokenKind::Page => "PAGE",
            TokenKind::App => "APP",
        }
    }
}

/// Parameters of a token to issue.
pub struct NewToken<'a> {
    pub kind: TokenKind,
    pub app_id: &'a str,
    pub user_id: Option<&'a str>,
    pub page_id: Option<&'a str>,
    pub long_lived: bool,
    /// Unix seconds; 0 = never.
    pub expires_at: i64,
}

impl Sandbox {
    pub async fn issue_code(
        &self,
        app_id: &str,
        user_id: &str,
        redirect_uri: &str,
        code_challenge: Option<&str>,
    ) -> Result<String, DbErr> {
        let plaintext = protocol::new_code();
        code::ActiveModel {
            digest: Set(digest(&plaintext)),
            app_id: Set(app_id.to_owned()),
            user_id: Set(user_id.to_owned()),
            redirect_uri: Set(redirect_uri.to_owned()),
            code_challenge: Set(code_challenge.map(str::to_owned)),
            expires_at: Set(self.now().await? + CODE_LIFETIME),
            used: Set(false),
        }
        .insert(&self.db)
        .await?;
        Ok(plaintext)
    }

    /// The code, if it was ever issued (used or not).
    pub async fn find_code(&self, plaintext: &str) -> Result<Option<code::Model>, DbErr> {
        code::Entity::find_by_id(digest(plaintext))
            .one(&self.db)
            .await
    }

    /// Marks a code used; `false` if it already was (a concurrent exchange won).
    pub async fn consume_code(&self, plaintext: &str) -> Result<bool, DbErr> {
        let result = code::Entity::update_many()
            .col_expr(code::Column::Used, sea_orm::sea_query::Expr::value(true))
            .filter(code::Column::Digest.eq(digest(plaintext)))
            .filter(code::Column::Used.eq(false))
            .exec(&self.db)
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Issues a token of `new.app_id`, shaped as that app's product shapes its tokens
    /// (`EAAG…`, `IGAA…`, `THAA…`; app tokens `{app-id}|…`, Threads' `TH|{app-id}|…`).
    pub async fn issue_token(&self, new: NewToken<'_>) -> Result<String, DbErr> {
        let mut issued = self.issue_tokens(&[new]).await?;
        issued
            .pop()
            .ok_or_else(|| DbErr::Custom("no token issued".into()))
    }

    /// Issues several tokens in one statement (a `me/accounts` result page issues one Page
    /// token per Page), in the order asked.
    pub async fn issue_tokens(&self, news: &[NewToken<'_>]) -> Result<Vec<String>, DbErr> {
        if news.is_empty() {
            return Ok(Vec::new());
        }
        let apps = self.apps().await?;
        let now = self.now().await?;
        let mut plaintexts = Vec::with_capacity(news.len());
        let mut rows = Vec::with_capacity(news.len());
        for new in news {
            let plaintext = match new.kind {
                TokenKind::App if new.app_id == apps.threads.app_id => {
                    protocol::new_threads_app_token(new.app_id)
                }
                TokenKind::App => protocol::new_app_token(new.app_id),
                _ if new.app_id == apps.instagram.app_id => {
                    protocol::new_token(protocol::INSTAGRAM_TOKEN_PREFIX)
                }
                _ if new.app_id == apps.threads.app_id => {
                    protocol::new_token(protocol::THREADS_TOKEN_PREFIX)
                }
                _ => protocol::new_user_token(),
            };
            rows.push(token::ActiveModel {
                digest: Set(digest(&plaintext)),
                kind: Set(new.kind.as_str().to_owned()),
                app_id: Set(new.app_id.to_owned()),
                user_id: Set(new.user_id.map(str::to_owned)),
                page_id: Set(new.page_id.map(str::to_owned)),
                long_lived: Set(new.long_lived),
                issued_at: Set(now),
                expires_at: Set(new.expires_at),
                invalidated_subcode: Set(None),
            });
            plaintexts.push(plaintext);
        }
        token::Entity::insert_many(rows)
            .exec_without_returning(&self.db)
            .await?;
        Ok(plaintexts)
    }

    pub async fn find_token(&self, plaintext: &str) -> Result<Option<Token>, DbErr> {
        token::Entity::find_by_id(digest(plaintext))
            .one(&self.db)
            .await
    }

    /// A token and the grant of its app and user, in one statement: checking a token reads
    /// both, and a refresh is cheap enough that each round trip shows (README → Benchmarks).
    pub async fn find_token_with_grant(
        &self,
        plaintext: &str,
    ) -> Result<Option<(Token, Option<grant::Model>)>, DbErr> {
        let to_grant = token::Entity::belongs_to(grant::Entity)
            .from((token::Column::AppId, token::Column::UserId))
            .to((grant::Column::AppId, grant::Column::UserId))
            .into();
        token::Entity::find_by_id(digest(plaintext))
            .join(JoinType::LeftJoin, to_grant)
            .select_also(grant::Entity)
            .one(&self.db)
            .await
    }

    pub async fn grant(&self, app_id: &str, user_id: &str) -> Result<Option<grant::Model>, DbErr> {
        grant::Entity::find_by_id((app_id.to_owned(), user_id.to_owned()))
            .one(&self.db)
            .await
    }

    /// Records what the user allowed (replacing an earlier grant, as a new consent does).
    pub async fn save_grant(
        &self,
        app_id: &str,
        user_id: &str,
        granted: &[String],
        declined: &[String],
        page_ids: &[String],
    ) -> Result<(), DbErr> {
        let now = self.now().await?;
        let json = |list: &[String]| serde_json::to_string(list).unwrap_or_else(|_| "[]".into());
        let row = grant::ActiveModel {
            app_id: Set(app_id.to_owned()),
            user_id: Set(user_id.to_owned()),
            granted: Set(json(granted)),
            declined: Set(json(declined)),
            page_ids: Set(json(page_ids)),
            granted_at: Set(now),
            data_access_expires_at: Set(now + DATA_ACCESS),
        };
        match self.grant(app_id, user_id).await? {
            Some(_) => {
                row.into_active_model().update(&self.db).await?;
            }
            None => {
                row.insert(&self.db).await?;
            }
        }
        Ok(())
    }

    /// Revokes one permission `user_id` granted `app_id` (it becomes declined, as after
    /// `DELETE /me/permissions/{permission}`). False when it was not granted.
    pub async fn revoke_app_permission(
        &self,
        app_id: &str,
        user_id: &str,
        permission: &str,
    ) -> Result<bool, DbErr> {
        let Some(grant) = self.grant(app_id, user_id).await? else {
            return Ok(false);
        };
        let mut granted = list(&grant.granted);
        let Some(index) = granted.iter().position(|p| p == permission) else {
            return Ok(false);
        };
        granted.remove(index);
        let mut declined = list(&grant.declined);
        declined.push(permission.to_owned());
        self.save_grant(app_id, user_id, &granted, &declined, &list(&grant.page_ids))
            .await?;
        Ok(true)
    }

    /// Removes the app for the user entirely (`DELETE /me/permissions`): the grant goes and
    /// every token it gave now answers 190/458.
    pub async fn remove_grant(&self, app_id: &str, user_id: &str) -> Result<(), DbErr> {
        grant::Entity::delete_by_id((app_id.to_owned(), user_id.to_owned()))
            .exec(&self.db)
            .await?;
        self.invalidate_tokens(app_id, user_id, 458).await
    }

    /// Marks every still-valid token `user_id` gave `app_id` as refused with `subcode`. Tokens
    /// issued later (the user logs in again) are unaffected, as at Meta.
    pub async fn invalidate_tokens(
        &self,
        app_id: &str,
        user_id: &str,
        subcode: i32,
    ) -> Result<(), DbErr> {
        token::Entity::update_many()
            .col_expr(
                token::Column::InvalidatedSubcode,
                sea_orm::sea_query::Expr::value(subcode),
            )
            .filter(token::Column::AppId.eq(app_id))
            .filter(token::Column::UserId.eq(user_id))
            .filter(token::Column::InvalidatedSubcode.is_null())
            .exec(&self.db)
            .await?;
        Ok(())
    }
}

/// A grant's permission lists.
pub fn list(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}
