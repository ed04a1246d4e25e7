//! The compose form, checked before anything is sent (docs/product.md → Publishing): a
//! submission key, at least one ticked account of this workspace that is Active, a message or
//! an image, an http(s) Image URL, and each platform's own rules — Instagram needs an image and
//! takes captions up to 2,200 characters, Threads takes up to 500. The first rule broken is the
//! error; nothing is stored or sent.

use crate::domain::{AccountStatus, Field, Platform};
use crate::error::AppError;
use crate::server::entities::account;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

/// A message longer than this is refused whatever the platform (Facebook allows 63,206).
pub const MESSAGE_MAX_CHARS: u32 = 63_206;
pub const INSTAGRAM_CAPTION_MAX_CHARS: usize = 2_200;
pub const THREADS_MAX_CHARS: u32 = 500;
const IMAGE_URL_MAX_BYTES: usize = 2_048;
/// More accounts than any form lists: the form was not ours.
const MAX_TICKED: usize = 1_000;

/// The form as sent.
pub struct Draft<'a> {
    pub message: &'a str,
    pub image_url: &'a str,
    pub accounts: &'a [String],
    /// A random key the form was rendered with: one submission, however often it is sent.
    pub submission: &'a str,
}

/// What will be posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    pub message: String,
    pub image_url: Option<String>,
}

/// The session key of a refused form's contents.
pub const KEPT_DRAFT: &str = "compose_draft";

/// What was typed into a form the checks refused, kept in the session so the form comes back
/// as it was sent: nothing typed is lost.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Kept {
    pub message: String,
    pub image_url: String,
    pub accounts: Vec<i64>,
}

impl Kept {
    /// `None` for a form too large to be ours.
    pub fn new(message: &str, image_url: &str, accounts: &[String]) -> Option<Self> {
        if message.len() > 4 * MESSAGE_MAX_CHARS as usize
            || image_url.len() > 4 * IMAGE_URL_MAX_BYTES
            || accounts.len() > MAX_TICKED
        {
            return None;
        }
        Some(Self {
            message: message.to_owned(),
            image_url: image_url.to_owned(),
            accounts: accounts
                .iter()
                .filter_map(|a| a.trim().parse().ok())
                .collect(),
        })
    }
}

/// A submission key: 16 to 64 letters, digits or `-`.
pub fn submission_key(raw: &str) -> Result<&str, AppError> {
    let ok = (16..=64).contains(&raw.len())
        && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    ok.then_some(raw).ok_or(AppError::BadRequest)
}

/// The message and image, checked on their own.
pub fn content(message: &str, image_url: &str) -> Result<Content, AppError> {
    let message = message.replace("\r\n", "\n");
    if message.chars().count() > MESSAGE_MAX_CHARS as usize {
        return Err(AppError::FieldTooLong {
            field: Field::Message,
            max: MESSAGE_MAX_CHARS,
        });
    }
    let image_url = match image_url.trim() {
        "" => None,
        raw => Some(image(raw)?),
    };
    if message.trim().is_empty() && image_url.is_none() {
        return Err(AppError::PostEmpty);
    }
    Ok(Content { message, image_url })
}

fn image(raw: &str) -> Result<String, AppError> {
    if raw.len() > IMAGE_URL_MAX_BYTES {
        return Err(AppError::ImageUrlInvalid);
    }
    match url::Url::parse(raw) {
        Ok(url)
            if matches!(url.scheme(), "http" | "https")
                && url.host_str().is_some_and(|h| !h.is_empty()) =>
        {
            Ok(url.to_string())
        }
        _ => Err(AppError::ImageUrlInvalid),
    }
}

/// The ticked ids, each once, in order.
pub fn account_ids(raw: &[String]) -> Result<Vec<i64>, AppError> {
    if raw.is_empty() {
        return Err(AppError::AccountsRequired);
    }
    if raw.len() > MAX_TICKED {
        return Err(AppError::BadRequest);
    }
    let mut ids = Vec::with_capacity(raw.len());
    for value in raw {
        let id: i64 = value.trim().parse().map_err(|_| AppError::BadRequest)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids.sort_unstable();
    Ok(ids)
}

/// Each platform's own rules for `content`.
pub fn fits(platform: Platform, content: &Content) -> Result<(), AppError> {
    let chars = content.message.chars().count();
    match platform {
        Platform::InstagramBusiness | Platform::InstagramCreator => {
            if content.image_url.is_none() {
                return Err(AppError::InstagramNeedsImage);
            }
            if chars > INSTAGRAM_CAPTION_MAX_CHARS {
                return Err(AppError::InstagramCaptionTooLong {
                    max: INSTAGRAM_CAPTION_MAX_CHARS as u32,
                });
            }
        }
        Platform::Threads if chars > THREADS_MAX_CHARS as usize => {
            return Err(AppError::ThreadsTooLong {
                max: THREADS_MAX_CHARS,
            });
        }
        Platform::Threads | Platform::FacebookPage => {}
    }
    Ok(())
}

/// The ticked accounts: all of this workspace (another's id is "not found") and Active.
pub async fn accounts(
    db: &impl ConnectionTrait,
    workspace_id: i64,
    ids: &[i64],
) -> Result<Vec<account::Model>, AppError> {
    let rows = account::Entity::find()
        .filter(account::Column::WorkspaceId.eq(workspace_id))
        .filter(account::Column::Id.is_in(ids.to_vec()))
        .order_by_asc(account::Column::Id)
        .all(db)
        .await?;
    if rows.len() != ids.len() {
        return Err(AppError::NotFound);
    }
    if rows
        .iter()
        .any(|row| row.status != AccountStatus::Active.as_str())
    {
        return Err(AppError::AccountNotPublishable);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(message: &str) -> Content {
        content(message, "").unwrap()
    }

    #[test]
    fn a_post_needs_words_or_an_image_and_an_image_url_must_be_http() {
        assert_eq!(content("  ", ""), Err(AppError::PostEmpty));
        assert_eq!(
            content("hi", "javascript:alert(1)"),
            Err(AppError::ImageUrlInvalid)
        );
        assert_eq!(
            content("hi", "ftp://x/y.jpg"),
            Err(AppError::ImageUrlInvalid)
        );
        assert_eq!(content("hi", "https://"), Err(AppError::ImageUrlInvalid));
        let long = format!("https://example.com/{}", "a".repeat(3000));
        assert_eq!(content("hi", &long), Err(AppError::ImageUrlInvalid));
        let ok = content("", " https://example.com/a.jpg ").unwrap();
        assert_eq!(ok.image_url.as_deref(), Some("https://example.com/a.jpg"));
        assert_eq!(text("a\r\nb").message, "a\nb");
    }

    #[test]
    fn each_platform_checks_its_own_rules() {
        let image = content("cake", "https://example.com/a.jpg").unwrap();
        assert_eq!(
            fits(Platform::InstagramBusiness, &text("cake")),
            Err(AppError::InstagramNeedsImage)
        );
        assert_eq!(fits(Platform::InstagramCreator, &image), Ok(()));
        assert_eq!(fits(Platform::Threads, &text(&"é".repeat(500))), Ok(()));
        assert_eq!(
            fits(Platform::Threads, &text(&"é".repeat(501))),
            Err(AppError::ThreadsTooLong { max: 500 })
        );
        assert_eq!(
            fits(Platform::FacebookPage, &text(&"x".repeat(5000))),
            Ok(())
        );
        let caption = content(&"x".repeat(2201), "https://example.com/a.jpg").unwrap();
        assert_eq!(
            fits(Platform::InstagramBusiness, &caption),
            Err(AppError::InstagramCaptionTooLong { max: 2200 })
        );
    }

    #[test]
    fn ticked_ids_and_submission_keys_must_be_ours() {
        assert_eq!(account_ids(&[]), Err(AppError::AccountsRequired));
        assert_eq!(
            account_ids(&["2".into(), "1".into(), "2".into()]),
            Ok(vec![1, 2])
        );
        assert_eq!(account_ids(&["one".into()]), Err(AppError::BadRequest));
        assert!(submission_key("0123456789abcdef0123456789abcdef").is_ok());
        assert_eq!(submission_key("short"), Err(AppError::BadRequest));
        assert_eq!(
            submission_key("0123456789abcdef<script>"),
            Err(AppError::BadRequest)
        );
    }
}
