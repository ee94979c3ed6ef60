//! IP addresses in translated SQL: held as the 32 lower-case hex digits of their 16 bytes
//! (IPv4 mapped into IPv6), so that comparisons, sorting and CIDR ranges follow
//! Elasticsearch's byte order; turned back into Elasticsearch's text only for output.

use super::dialect::Dialect;
use crate::types::text_form::parse_ip;

const OCTET: &str = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
const MAPPED: &str = "00000000000000000000ffff";

/// The hex key of 16 address bytes.
pub fn key(bytes: &[u8; 16]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SQL key of an address written as text (`to_ip`): null when the text is not an
/// address Elasticsearch accepts (dotted IPv4 without leading zeros, IPv6 with an optional
/// trailing dotted IPv4).
pub fn parse(d: Dialect, text: &str) -> String {
    let v4 = format!(r"\A{OCTET}(\.{OCTET}){{3}}\z");
    let octets = |s: &str, from: i64| -> Vec<String> {
        (0..4).map(|i| format!("CAST({} AS INT)", d.split_part(s, ".", from + i))).collect()
    };
    let o = octets("ip_t", 1);
    let v4_key = d.concat(&[d.string(MAPPED), d.hex(&o[0], 2), d.hex(&o[1], 2), d.hex(&o[2], 2), d.hex(&o[3], 2)]);
    // A trailing dotted IPv4 becomes two hex groups.
    let tail4 = format!(r"\A(.*:){OCTET}(\.{OCTET}){{3}}\z");
    let last = format!("regexp_extract(ip_t, {}, 0)", d.string(r"[0-9.]+\z"));
    let lo = octets(&last, 1);
    let groups = d.concat(&[
        format!("regexp_extract(ip_t, {}, 1)", d.string(r"\A(.*:)[0-9.]+\z")),
        d.hex(&format!("{} * 256 + {}", lo[0], lo[1]), 4),
        "':'".to_string(),
        d.hex(&format!("{} * 256 + {}", lo[2], lo[3]), 4),
    ]);
    let hexed = format!("CASE WHEN {} THEN {groups} ELSE ip_t END", d.regex_match("ip_t", &tail4));
    let v6 = d.bind(&hexed, "ip_w", &format!("CASE WHEN {} THEN {} END", d.regex_match("ip_w", V6), expand(d, "ip_w")));
    let body = format!("CASE WHEN {} THEN {v4_key} ELSE {v6} END", d.regex_match("ip_t", &v4));
    d.bind(&format!("lower({text})"), "ip_t", &body)
}

/// The hex key of a valid IPv6 text in lower case without dotted part.
fn expand(d: Dialect, w: &str) -> String {
    let groups = |s: String| d.filter(&split(d, &s), "ip_g", "ip_g <> ''");
    let head = groups(d.split_part(w, "::", 1));
    let tail = groups(d.split_part(w, "::", 2));
    let zeros = match d {
        Dialect::Spark => "array_repeat('0', 8 - size(ip_h) - size(ip_l))".to_string(),
        Dialect::DuckDb => "list_transform(range(8 - len(ip_h) - len(ip_l)), ip_i -> '0')".to_string(),
    };
    let all = match d {
        Dialect::Spark => format!("concat(ip_h, {zeros}, ip_l)"),
        Dialect::DuckDb => format!("list_concat(list_concat(ip_h, {zeros}), ip_l)"),
    };
    let padded = d.map(&all, "ip_g", "lpad(ip_g, 4, '0')");
    let body = d.join(&padded, "''");
    d.bind(&head, "ip_h", &d.bind(&tail, "ip_l", &body))
}

fn split(d: Dialect, s: &str) -> String {
    match d {
        Dialect::Spark => format!("split({s}, ':')"),
        Dialect::DuckDb => format!("string_split({s}, ':')"),
    }
}

/// Valid IPv6 text with hex groups only (lower case).
const V6: &str = concat!(
    r"\A(([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|([0-9a-f]{1,4}:){1,7}:|([0-9a-f]{1,4}:){1,6}:[0-9a-f]{1,4}",
    r"|([0-9a-f]{1,4}:){1,5}(:[0-9a-f]{1,4}){1,2}|([0-9a-f]{1,4}:){1,4}(:[0-9a-f]{1,4}){1,3}",
    r"|([0-9a-f]{1,4}:){1,3}(:[0-9a-f]{1,4}){1,4}|([0-9a-f]{1,4}:){1,2}(:[0-9a-f]{1,4}){1,5}",
    r"|[0-9a-f]{1,4}:(:[0-9a-f]{1,4}){1,6}|:((:[0-9a-f]{1,4}){1,7}|:))\z"
);

/// Elasticsearch's text of a key: dotted IPv4 for a mapped address, else RFC 5952 (groups
/// without leading zeros, the first longest run of two or more zero groups as `::`).
pub fn text(d: Dialect, key: &str) -> String {
    let byte = |i: usize| {
        let digit = |j: usize| format!("(instr('0123456789abcdef', substr(ip_k, {j}, 1)) - 1)");
        d.to_text(&format!("{} * 16 + {}", digit(i), digit(i + 1)))
    };
    let dotted: Vec<String> = [25, 27, 29, 31].map(byte).to_vec();
    let dotted = d.concat(&interleave(dotted, "'.'"));
    let group = |i: usize| {
        let g = format!("substr(ip_k, {}, 4)", 4 * i + 1);
        format!("coalesce(nullif(TRIM(LEADING '0' FROM {g}), ''), '0')")
    };
    let plain = d.concat(&interleave((0..8).map(group).collect(), "':'"));
    let mut compress = String::from("CASE");
    for n in (2..=8).rev() {
        let re = format!(r"\A(.*?)(\A|:)0(:0){{{}}}(:|\z)(.*)\z", n - 1);
        let with = d.regex_replace_first("ip_s", &re, "$1::$5");
        compress.push_str(&format!(" WHEN {} THEN {with}", d.regex_match("ip_s", &re)));
    }
    compress.push_str(" ELSE ip_s END");
    let v6 = d.bind(&plain, "ip_s", &compress);
    let body =
        format!("CASE WHEN ip_k IS NULL THEN NULL WHEN substr(ip_k, 1, 24) = '{MAPPED}' THEN {dotted} ELSE {v6} END");
    d.bind(key, "ip_k", &body)
}

/// The inclusive key range of a CIDR block (`10.0.0.0/8`, `::1`), or why it is not one.
pub fn cidr_range(block: &str) -> Result<(String, String), String> {
    let (addr, bits) = match block.split_once('/') {
        Some((a, b)) => (a, Some(b.parse::<u32>().map_err(|_| format!("invalid CIDR block [{block}]"))?)),
        None => (block, None),
    };
    let bytes = parse_ip(addr).ok_or_else(|| format!("invalid CIDR block [{block}]"))?;
    let v4 = !addr.contains(':');
    let bits = match bits {
        Some(b) if v4 && b <= 32 => b + 96,
        Some(b) if !v4 && b <= 128 => b,
        Some(_) => return Err(format!("invalid CIDR block [{block}]")),
        None => 128,
    };
    let n = u128::from_be_bytes(bytes);
    let mask = if bits == 0 { 0 } else { u128::MAX << (128 - bits) };
    Ok((key(&(n & mask).to_be_bytes()), key(&(n | !mask).to_be_bytes())))
}

fn interleave(items: Vec<String>, sep: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(sep.to_string());
        }
        out.push(item);
    }
    out
}
