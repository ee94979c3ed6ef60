//! Who may ask: off on loopback unless set, required to listen anywhere else. An API key
//! (`Authorization: ApiKey <base64 of id:key>`, as ES's clients send `api_key=`) or a user
//! and password (`Authorization: Basic ...`); anything else is ES's 401 with its body and
//! `WWW-Authenticate` header.

use super::error::EsError;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;

/// The credentials a request must carry.
#[derive(Clone, Debug, Default)]
pub struct Credentials {
    /// The encoded API key (base64 of `id:key`).
    pub api_key: Option<String>,
    /// `user:password` for basic authentication.
    pub basic: Option<String>,
}

impl Credentials {
    /// From the flags: `--api-key` as ES prints it encoded, or `id:key`; `--user user:password`.
    pub fn new(api_key: Option<&str>, user: Option<&str>) -> Credentials {
        let encode = |k: &str| {
            if k.contains(':') {
                base64::engine::general_purpose::STANDARD.encode(k)
            } else {
                k.to_string()
            }
        };
        Credentials { api_key: api_key.map(encode), basic: user.map(str::to_string) }
    }

    /// Whether any are required.
    pub fn required(&self) -> bool {
        self.api_key.is_some() || self.basic.is_some()
    }

    /// Whether an `Authorization` header value carries them.
    pub fn accepts(&self, header: Option<&str>) -> bool {
        if !self.required() {
            return true;
        }
        let Some((scheme, value)) = header.and_then(|h| h.trim().split_once(' ')) else { return false };
        match (scheme.to_ascii_lowercase().as_str(), &self.api_key, &self.basic) {
            ("apikey", Some(key), _) => same(value.trim().as_bytes(), key.as_bytes()),
            ("basic", _, Some(user)) => base64::engine::general_purpose::STANDARD
                .decode(value.trim())
                .is_ok_and(|decoded| same(&decoded, user.as_bytes())),
            _ => false,
        }
    }
}

/// Compares without stopping at the first difference, so timing does not tell how much matched.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// ES's answer to a request without valid credentials.
pub fn unauthorized(path: &str) -> Response {
    let reason = format!("missing authentication credentials for REST request [{path}]");
    let mut response = EsError { status: StatusCode::UNAUTHORIZED, kind: "security_exception", reason }.into_response();
    response
        .headers_mut()
        .insert("www-authenticate", HeaderValue::from_static("Basic realm=\"security\", charset=\"UTF-8\", ApiKey"));
    response
}

#[cfg(test)]
mod tests {
    use super::Credentials;

    #[test]
    fn api_keys_and_users() {
        let c = Credentials::new(Some("id:secret"), Some("elastic:changeme"));
        assert!(c.accepts(Some("ApiKey aWQ6c2VjcmV0")));
        assert!(c.accepts(Some("Basic ZWxhc3RpYzpjaGFuZ2VtZQ==")));
        assert!(!c.accepts(Some("ApiKey aWQ6c2VjcmV1")));
        assert!(!c.accepts(Some("Bearer x")));
        assert!(!c.accepts(None));
        assert!(Credentials::default().accepts(None));
    }
}
