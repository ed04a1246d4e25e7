//! Graph error responses, shaped exactly as docs/meta-api.md §8 shows them.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// A Graph error: HTTP 400 with `{"error":{message,type,code,error_subcode?,fbtrace_id}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphError {
    pub status: StatusCode,
    pub kind: &'static str,
    pub code: i32,
    pub subcode: Option<i32>,
    pub message: String,
}

impl GraphError {
    pub fn oauth(code: i32, subcode: Option<i32>, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            kind: "OAuthException",
            code,
            subcode,
            message: message.into(),
        }
    }

    pub fn method(code: i32, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            kind: "GraphMethodException",
            code,
            subcode: None,
            message: message.into(),
        }
    }

    pub fn cannot_parse() -> Self {
        Self::oauth(
            190,
            None,
            "Invalid OAuth access token - Cannot parse access token",
        )
    }

    /// 190 with a subcode, worded as Meta words each.
    pub fn invalidated(subcode: i32) -> Self {
        let message = match subcode {
            458 => "Error validating access token: The user has not authorized application.",
            459 => "Error validating access token: You cannot access the app till you log in to www.facebook.com and follow the instructions given.",
            460 => "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.",
            463 => "Error validating access token: Session has expired.",
            464 => "Error validating access token: Sessions for the user are not allowed because the user is not a confirmed user.",
            467 => "Error validating access token: The user is enrolled in a blocking, logged-in checkpoint or has logged out.",
            492 => "Error validating access token: The session is invalid because the user has no role on this Page.",
            _ => "Error validating access token.",
        };
        Self::oauth(190, Some(subcode), message)
    }

    /// A path Graph has no route for (`components` = what follows the node, with its `/`).
    pub fn unknown_path(components: &str) -> Self {
        Self::oauth(2500, None, format!("Unknown path components: {components}"))
    }

    /// An object id nobody can read here.
    pub fn unknown_object(id: &str) -> Self {
        Self::method(
            100,
            format!("Unsupported get request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation"),
        )
    }

    /// A method the path does not take (`method` as Graph words it: `post`, `delete`, …).
    pub fn unsupported_method(method: &str) -> Self {
        Self::method(100, format!("Unsupported {method} request."))
    }

    pub fn missing_permission(permission: &str) -> Self {
        Self::oauth(
            200,
            None,
            format!("(#200) Requires {permission} permission to manage the object"),
        )
    }

    pub fn body(&self) -> serde_json::Value {
        let trace: [u8; 8] = rand::random();
        let mut error = json!({
            "message": self.message,
            "type": self.kind,
            "code": self.code,
            "fbtrace_id": hex::encode(trace),
        });
        if let Some(subcode) = self.subcode {
            error["error_subcode"] = json!(subcode);
        }
        json!({ "error": error })
    }
}

impl IntoResponse for GraphError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body())).into_response()
    }
}

impl From<sea_orm::DbErr> for GraphError {
    fn from(err: sea_orm::DbErr) -> Self {
        tracing::error!(error = %err, "sandbox database error");
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            kind: "OAuthException",
            code: 2,
            subcode: None,
            message: "An unexpected error has occurred. Please retry your request later.".into(),
        }
    }
}

pub type GraphResult = Result<Response, GraphError>;
