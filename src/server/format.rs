//! The response format, as ES negotiates it: the `format` URL parameter, else the `Accept`
//! header (a comma list), else the request's `Content-Type`; JSON also under the vendor
//! type `application/vnd.elasticsearch+json; compatible-with=8` that the clients send. The
//! JSON document also goes as YAML, CBOR and Smile, as ES's XContent writes them.

use super::error::EsError;
use crate::output::Format;
use axum::http::HeaderMap;

/// A response format of the `_query` API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wire {
    /// The JSON body.
    Json,
    /// The same document in YAML, CBOR or Smile.
    Yaml,
    Cbor,
    Smile,
    /// One of the text formats or Arrow, written by [`crate::output::Writer`].
    Other(Format),
}

impl Wire {
    /// The response's Content-Type.
    pub fn content_type(self, header: bool) -> &'static str {
        match self {
            Wire::Json => "application/json",
            Wire::Yaml => "application/yaml",
            Wire::Cbor => "application/cbor",
            Wire::Smile => "application/smile",
            Wire::Other(Format::Csv) if header => "text/csv; charset=utf-8; header=present",
            Wire::Other(Format::Csv) => "text/csv; charset=utf-8; header=absent",
            Wire::Other(Format::Tsv) => "text/tab-separated-values; charset=utf-8",
            Wire::Other(Format::Arrow) => "application/vnd.apache.arrow.stream",
            Wire::Other(_) => "text/plain; charset=utf-8",
        }
    }
}

/// The format a `format` parameter names.
fn by_name(name: &str) -> Option<Wire> {
    Some(match name {
        "json" => Wire::Json,
        "yaml" => Wire::Yaml,
        "cbor" => Wire::Cbor,
        "smile" => Wire::Smile,
        "csv" => Wire::Other(Format::Csv),
        "tsv" => Wire::Other(Format::Tsv),
        "txt" => Wire::Other(Format::Txt),
        "arrow" => Wire::Other(Format::Arrow),
        _ => return None,
    })
}

/// The format a media type names (`text/csv; header=absent`, vendor forms included).
fn by_media_type(media: &str) -> Option<Wire> {
    let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let essence = essence.replace("vnd.elasticsearch+", "");
    Some(match essence.as_str() {
        "application/json" | "*/*" => Wire::Json,
        "application/yaml" => Wire::Yaml,
        "application/cbor" => Wire::Cbor,
        "application/smile" => Wire::Smile,
        "text/csv" => Wire::Other(Format::Csv),
        "text/tab-separated-values" => Wire::Other(Format::Tsv),
        "text/plain" => Wire::Other(Format::Txt),
        "application/vnd.apache.arrow.stream" | "application/arrow+stream" => Wire::Other(Format::Arrow),
        _ => return None,
    })
}

/// Whether a CSV media type asks for no header row.
pub fn header_absent(headers: &HeaderMap, param: Option<&str>) -> bool {
    if let Some(p) = param {
        return p == "absent";
    }
    let accept = headers.get("accept").and_then(|v| v.to_str().ok()).unwrap_or("");
    accept.split(',').any(|m| m.contains("text/csv") && m.replace(' ', "").contains("header=absent"))
}

/// The response format of a request.
pub fn negotiate(format: Option<&str>, headers: &HeaderMap) -> Result<Wire, EsError> {
    if let Some(f) = format {
        return by_name(&f.to_ascii_lowercase()).ok_or_else(|| {
            EsError::bad_request(
                "illegal_argument_exception",
                format!("Invalid format [{f}], expected one of [csv, json, tsv, txt, yaml, cbor, smile, arrow]"),
            )
        });
    }
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(accept) = header("accept") {
        if let Some(w) = accept.split(',').find_map(by_media_type) {
            return Ok(w);
        }
    }
    if let Some(w) = header("content-type").and_then(by_media_type) {
        return Ok(w);
    }
    Err(EsError::bad_request(
        "illegal_argument_exception",
        format!(
            "Invalid request content type: Accept=[{}], Content-Type=[{}], format=[null]",
            header("accept").unwrap_or("null"),
            header("content-type").unwrap_or("null")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, axum::http::HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn format_then_accept_then_content_type() {
        let compat = "application/vnd.elasticsearch+json; compatible-with=9";
        assert_eq!(negotiate(None, &headers(&[("accept", compat)])).unwrap(), Wire::Json);
        assert_eq!(negotiate(Some("csv"), &headers(&[("accept", compat)])).unwrap(), Wire::Other(Format::Csv));
        let js = "application/vnd.elasticsearch+json; compatible-with=9,text/plain";
        assert_eq!(negotiate(None, &headers(&[("accept", js)])).unwrap(), Wire::Json);
        assert_eq!(negotiate(None, &headers(&[("content-type", compat)])).unwrap(), Wire::Json);
        assert_eq!(
            negotiate(None, &headers(&[("accept", "text/csv; header=absent")])).unwrap(),
            Wire::Other(Format::Csv)
        );
        assert!(negotiate(None, &headers(&[])).is_err());
        assert!(negotiate(Some("xml"), &headers(&[])).is_err());
    }
}
