//! Where a Graph call's parameters come from: the query string, a form body
//! (`application/x-www-form-urlencoded`), or both — Meta's client libraries use all three
//! (the PHP and Python SDKs put a POST's parameters in the body, the JS SDK adds `method=` and
//! the token to the query). On a name sent both ways the query wins.

use super::errors::GraphError;
use super::Params;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};

/// Form bodies larger than this are refused (a Graph call's parameters are a few hundred
/// bytes; the call log's middleware reads at most as much).
pub const MAX_FORM_BODY: usize = 1024 * 1024;

/// The merged parameters of a Graph call.
pub struct GraphParams(pub Params);

/// Whether the request carries a form body.
pub fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// `query` and then `form`, the query winning on a clash.
pub fn merge(query: &str, form: &[u8]) -> Params {
    let mut params: Params = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    for (key, value) in url::form_urlencoded::parse(form).into_owned() {
        params.entry(key).or_insert(value);
    }
    params
}

/// The refusal for a body over [`MAX_FORM_BODY`].
pub fn too_large() -> GraphError {
    GraphError {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        ..GraphError::oauth(100, None, "(#100) The request body is too large.")
    }
}

impl<S: Send + Sync> FromRequest<S> for GraphParams {
    type Rejection = GraphError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let query = request.uri().query().unwrap_or_default().to_owned();
        if !is_form(request.headers()) {
            return Ok(GraphParams(merge(&query, &[])));
        }
        let form = axum::body::to_bytes(request.into_body(), MAX_FORM_BODY)
            .await
            .map_err(|_| too_large())?;
        Ok(GraphParams(merge(&query, &form)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_and_the_body_are_merged_and_the_query_wins_a_clash() {
        let params = merge(
            "access_token=from-query&fields=id",
            b"access_token=from-body&limit=5",
        );
        assert_eq!(params["access_token"], "from-query");
        assert_eq!(params["fields"], "id");
        assert_eq!(params["limit"], "5");
    }
}
