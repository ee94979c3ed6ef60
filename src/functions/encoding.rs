//! Digests and encodings of strings: `HASH`, `MD5`, `SHA1`, `SHA256`, `TO_BASE64`,
//! `FROM_BASE64`, `URL_ENCODE`, `URL_ENCODE_COMPONENT`, `URL_DECODE`. The bytes are the
//! string's UTF-8, as in Elasticsearch; digests come out as lower-case hex.

use super::p::{req, STR};
use super::string::{each, owned, s as text};
use super::{Ctx, Eval, EvalError, FunctionDef, Kind, Returns, ValueResult};
use crate::types::Value;
use base64::Engine as _;

const KW: Returns = Returns::Fixed(crate::types::EsType::Keyword);

macro_rules! single {
    ($name:expr, [$($p:expr),*], $f:expr, $doc:expr) => {
        FunctionDef {
            name: $name,
            params: &[$($p),*],
            variadic: false,
            returns: KW,
            kind: Kind::Scalar(Eval::Single($f)),
            doc: $doc,
            column: None,
        }
    };
}

/// This family's functions.
pub const FUNCTIONS: &[FunctionDef] = &[
    single!(
        "hash",
        [req("algorithm", STR), req("input", STR)],
        hash,
        "The input's digest by a named algorithm (md5, sha1, sha256, sha384, sha512, ...), in hex."
    ),
    single!("md5", [req("input", STR)], |_, a| hex(&Digest::Md5, &a[0]), "The MD5 digest, in hex."),
    single!("sha1", [req("input", STR)], |_, a| hex(&Digest::Sha1, &a[0]), "The SHA-1 digest, in hex."),
    single!("sha256", [req("input", STR)], |_, a| hex(&Digest::Sha256, &a[0]), "The SHA-256 digest, in hex."),
    single!("to_base64", [req("string", STR)], to_base64, "The string's UTF-8 bytes in base64."),
    single!("from_base64", [req("string", STR)], from_base64, "Decodes base64 into a (UTF-8) string."),
    each(
        "url_encode",
        |_, v, _| owned(url_encode(text(&v), true)),
        "URL-encodes each value as an HTML form does (space as +).",
    ),
    each(
        "url_encode_component",
        |_, v, _| owned(url_encode(text(&v), false)),
        "URL-encodes each value as a URI component (RFC 3986: space as %20).",
    ),
    each("url_decode", url_decode, "Decodes %XX escapes and + (as a space) in each value."),
];

enum Digest {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Digest {
    /// An algorithm by one of the names Java's `MessageDigest` knows it by.
    fn named(name: &str) -> Option<Digest> {
        Some(match name.to_ascii_uppercase().as_str() {
            "MD5" => Digest::Md5,
            "SHA-1" | "SHA1" | "SHA" => Digest::Sha1,
            "SHA-224" | "SHA224" => Digest::Sha224,
            "SHA-256" | "SHA256" => Digest::Sha256,
            "SHA-384" | "SHA384" => Digest::Sha384,
            "SHA-512" | "SHA512" => Digest::Sha512,
            _ => return None,
        })
    }

    fn digest(&self, bytes: &[u8]) -> Vec<u8> {
        use sha2::Digest as _;
        match self {
            Digest::Md5 => md5::Md5::digest(bytes).to_vec(),
            Digest::Sha1 => sha1::Sha1::digest(bytes).to_vec(),
            Digest::Sha224 => sha2::Sha224::digest(bytes).to_vec(),
            Digest::Sha256 => sha2::Sha256::digest(bytes).to_vec(),
            Digest::Sha384 => sha2::Sha384::digest(bytes).to_vec(),
            Digest::Sha512 => sha2::Sha512::digest(bytes).to_vec(),
        }
    }
}

fn hex<'a>(d: &Digest, input: &Value<'a>) -> ValueResult<'a> {
    owned(d.digest(text(input).as_bytes()).iter().map(|b| format!("{b:02x}")).collect())
}

fn hash<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    let name = text(&a[0]);
    match Digest::named(name) {
        Some(d) => hex(&d, &a[1]),
        None => Err(EvalError {
            class: "java.security.NoSuchAlgorithmException",
            message: format!("{name} MessageDigest not available"),
        }),
    }
}

fn to_base64<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    owned(base64::engine::general_purpose::STANDARD.encode(text(&a[0])))
}

fn from_base64<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    match base64::engine::general_purpose::STANDARD.decode(text(&a[0])) {
        Ok(bytes) => owned(String::from_utf8_lossy(&bytes).into_owned()),
        Err(e) => Err(EvalError::illegal_argument(e.to_string())),
    }
}

/// Java's `URLEncoder` (`form`: space as `+`, `*` kept) or RFC 3986's unreserved set.
fn url_encode(s: &str, form: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            // RFC 3986's unreserved characters stay; the form encoding only writes a space as +.
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'_' | b'~' => out.push(b as char),
            b' ' if form => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Java's `URLDecoder.decode(s, UTF_8)`: `+` is a space, `%XX` a byte; a broken escape is
/// an error in its words.
fn url_decode<'a>(_: &Ctx<'_>, v: Value<'a>, _: &[Value<'a>]) -> ValueResult<'a> {
    let s = text(&v);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut k = 0;
    while k < bytes.len() {
        match bytes[k] {
            b'+' => out.push(b' '),
            b'%' => {
                let Some(pair) = bytes.get(k + 1..k + 3) else {
                    return Err(EvalError::illegal_argument("URLDecoder: Incomplete trailing escape (%) pattern"));
                };
                let value = std::str::from_utf8(pair).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                let Some(v) = value.filter(|_| pair.iter().all(u8::is_ascii_hexdigit)) else {
                    return Err(EvalError::illegal_argument(format!(
                        "URLDecoder: Illegal hex characters in escape (%) pattern - Error at index 0 in: \"{}\"",
                        String::from_utf8_lossy(pair)
                    )));
                };
                out.push(v);
                k += 2;
            }
            b => out.push(b),
        }
        k += 1;
    }
    owned(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn call(f: for<'a> fn(&Ctx<'_>, &[Value<'a>]) -> ValueResult<'a>, args: &[&str]) -> Result<String, String> {
        let ctx = Ctx { arg_types: &[], ty: crate::types::EsType::Keyword, now_ms: 0 };
        let args: Vec<Value<'_>> = args.iter().map(|a| Value::Str(Cow::Borrowed(a))).collect();
        match f(&ctx, &args) {
            Ok(Some(Value::Str(s))) => Ok(s.into_owned()),
            Ok(other) => Err(format!("{other:?}")),
            Err(e) => Err(format!("{}: {}", e.class, e.message)),
        }
    }

    fn decode(s: &str) -> Result<String, String> {
        call(|c, a| url_decode(c, a[0].clone(), &[]), &[s])
    }

    #[test]
    fn urls_encode_as_elasticsearch_does_and_decode_back() {
        assert_eq!(url_encode("a b*~/é", true), "a+b%2A~%2F%C3%A9");
        assert_eq!(url_encode("a b*~/é", false), "a%20b%2A~%2F%C3%A9");
        assert_eq!(decode("a+b%2F%C3%A9"), Ok("a b/é".to_string()));
        assert!(decode("%zz").is_err_and(|e| e.contains("Illegal hex characters")));
        assert!(decode("100%").is_err_and(|e| e.contains("Incomplete trailing escape")));
    }

    #[test]
    fn digests_by_name_and_unknown_algorithms_warn() {
        assert_eq!(call(hash, &["SHA-1", "foo"]), Ok("0beec7b5ea3f0fdbc95d0dd47f3c5bc275da8a33".to_string()));
        assert_eq!(
            call(hash, &["whirlpool", "foo"]),
            Err("java.security.NoSuchAlgorithmException: whirlpool MessageDigest not available".to_string())
        );
        assert!(call(from_base64, &["!!"]).is_err());
    }
}
