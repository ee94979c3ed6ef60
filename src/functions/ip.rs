//! IP functions: `to_ip`, `cidr_match`.

use super::p::{req, STR};
use super::{ColumnKernel, Ctx, Eval, EvalError, FunctionDef, Kind, Returns, ValueResult};
use crate::types::text_form::parse_ip;
use crate::types::{EsType, Value};

/// This family's functions.
pub const FUNCTIONS: &[FunctionDef] = &[
    FunctionDef {
        name: "to_ip",
        params: &[req("field", &[EsType::Ip, EsType::Keyword, EsType::Text])],
        variadic: false,
        returns: Returns::Fixed(EsType::Ip),
        kind: Kind::Scalar(Eval::Each(to_ip)),
        doc: "Converts a string to an IP; multi-values element-wise; invalid strings give null and a warning.",
        column: Some(ColumnKernel::Identity),
    },
    FunctionDef {
        name: "ip_prefix",
        params: &[
            req("ip", &[EsType::Ip]),
            req("prefixLengthV4", &[EsType::Integer]),
            req("prefixLengthV6", &[EsType::Integer]),
        ],
        variadic: false,
        returns: Returns::Fixed(EsType::Ip),
        kind: Kind::Scalar(Eval::Single(ip_prefix)),
        doc: "The IP truncated to a prefix length (one for IPv4, one for IPv6).",
        column: None,
    },
    FunctionDef {
        name: "cidr_match",
        params: &[req("ip", &[EsType::Ip]), req("blockX", STR)],
        variadic: true,
        returns: Returns::Fixed(EsType::Boolean),
        kind: Kind::Scalar(Eval::Single(cidr_match)),
        doc: "True if the IP is in any of the CIDR blocks (a block without '/' is one address).",
        column: Some(ColumnKernel::CidrMatch),
    },
];

/// Converts one value to an IP.
/// `TO_IP(s[, {"leading_zeros": reject | octal | decimal}])`: the option arrives as a
/// trailing constant (see `OPTIONS`).
pub fn to_ip<'a>(_: &Ctx<'_>, v: Value<'a>, options: &[Value<'a>]) -> ValueResult<'a> {
    let leading_zeros = match options.first() {
        Some(Value::Str(o)) => o.as_ref(),
        _ => "reject",
    };
    match v {
        Value::Ip(ip) => Ok(Some(Value::Ip(ip))),
        Value::Str(s) => match parse_ip(&s).or_else(|| parse_ipv4_with_zeros(&s, leading_zeros)) {
            Some(ip) => Ok(Some(Value::Ip(ip))),
            None => Err(EvalError::illegal_argument(format!("'{s}' is not an IP string literal."))),
        },
        _ => Ok(None),
    }
}

/// A dotted IPv4 address whose parts have leading zeros, read as octal (`010` is 8) or
/// decimal (`010` is 10); `reject` reads none.
fn parse_ipv4_with_zeros(s: &str, leading_zeros: &str) -> Option<[u8; 16]> {
    let radix = match leading_zeros {
        "octal" => 8,
        "decimal" => 10,
        _ => return None,
    };
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut octets = [0u8; 4];
    for (o, p) in octets.iter_mut().zip(parts) {
        let r = if p.len() > 1 && p.starts_with('0') { radix } else { 10 };
        if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *o = u8::from_str_radix(p, r).ok()?;
    }
    Some(std::net::Ipv4Addr::from(octets).to_ipv6_mapped().octets())
}

/// A CIDR block as a 128-bit prefix: IPv4 blocks become IPv4-mapped prefixes, so they only
/// ever match IPv4 addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    addr: u128,
    prefix: u32,
}

impl Block {
    /// Parses `a.b.c.d/n`, `v6/n`, or a single address.
    pub fn parse(s: &str) -> Option<Block> {
        let (addr, len) = match s.split_once('/') {
            Some((a, l)) => (a, Some(l.parse::<u32>().ok()?)),
            None => (s, None),
        };
        let is_v4 = addr.contains('.') && !addr.contains(':');
        let bytes = parse_ip(addr)?;
        let (max, base) = if is_v4 { (32, 96) } else { (128, 0) };
        let prefix = match len {
            Some(l) if l <= max => base + l,
            Some(_) => return None,
            None => 128,
        };
        Some(Block { addr: u128::from_be_bytes(bytes), prefix })
    }

    /// True if `ip` lies in the block.
    pub fn contains(&self, ip: &[u8; 16]) -> bool {
        self.masked().holds(u128::from_be_bytes(*ip))
    }

    /// The block as a mask and its masked address, for testing many addresses.
    pub fn masked(&self) -> Masked {
        let mask = if self.prefix == 0 { 0 } else { u128::MAX << (128 - self.prefix) };
        Masked { addr: self.addr & mask, mask }
    }
}

/// A [`Block`] ready to test addresses read as big-endian numbers: `cidr_match` over a
/// column tests every row against every block (26 in the seed rule), so the mask is made
/// once, not per test.
#[derive(Clone, Copy, Debug)]
pub struct Masked {
    addr: u128,
    mask: u128,
}

impl Masked {
    /// True if the address `ip` (big-endian) lies in the block.
    pub fn holds(&self, ip: u128) -> bool {
        ip & self.mask == self.addr
    }
}

thread_local! {
    /// The blocks of the last call, by argument position: rules pass the same constant
    /// blocks on every row, so comparing the text beats hashing or parsing it.
    static BLOCKS: std::cell::RefCell<Vec<(Box<str>, Option<Block>)>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn parsed_block(at: usize, s: &str) -> Option<Block> {
    BLOCKS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((text, b)) = cache.get(at) {
            if **text == *s {
                return *b;
            }
        }
        let b = Block::parse(s);
        if at < cache.len() {
            cache[at] = (s.into(), b);
        } else if at == cache.len() && at < 1024 {
            cache.push((s.into(), b));
        }
        b
    })
}

fn cidr_match<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    let Value::Ip(ip) = &a[0] else { return Ok(None) };
    for (at, b) in a[1..].iter().enumerate() {
        let Value::Str(s) = b else { continue };
        let block =
            parsed_block(at, s).ok_or_else(|| EvalError::illegal_argument(format!("invalid CIDR block [{s}]")))?;
        if block.contains(ip) {
            return Ok(Some(Value::Bool(true)));
        }
    }
    Ok(Some(Value::Bool(false)))
}

fn ip_prefix<'a>(_: &Ctx<'_>, a: &[Value<'a>]) -> ValueResult<'a> {
    let Value::Ip(ip) = &a[0] else { return Ok(None) };
    let (v4, v6) = (a[1].as_i64().unwrap_or(-1), a[2].as_i64().unwrap_or(-1));
    if !(0..=32).contains(&v4) {
        return Err(EvalError::illegal_argument(format!("Prefix length v4 must be in range [0, 32], found {v4}")));
    }
    if !(0..=128).contains(&v6) {
        return Err(EvalError::illegal_argument(format!("Prefix length v6 must be in range [0, 128], found {v6}")));
    }
    let is_v4 = std::net::Ipv6Addr::from(*ip).to_ipv4_mapped().is_some();
    let bits = if is_v4 { 96 + v4 as u32 } else { v6 as u32 };
    let mask = if bits == 0 { 0 } else { u128::MAX << (128 - bits) };
    let mut out = u128::from_be_bytes(*ip) & mask;
    if is_v4 {
        out |= 0xffff_u128 << 32;
    }
    Ok(Some(Value::Ip(out.to_be_bytes())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(ip: &str, block: &str) -> bool {
        Block::parse(block).expect("block").contains(&parse_ip(ip).expect("ip"))
    }

    #[test]
    fn blocks_follow_elasticsearch() {
        assert!(m("10.1.2.3", "10.0.0.0/8"));
        assert!(!m("11.0.0.1", "10.0.0.0/8"));
        assert!(m("::ffff:10.1.1.1", "10.0.0.0/8"));
        assert!(m("::1", "::1"));
        assert!(!m("::2", "::1"));
        assert!(!m("10.1.2.3", "FE80::/10"));
        assert!(m("fe80::1", "FE80::/10"));
        assert!(m("1.2.3.4", "::/0"));
        assert!(!m("172.32.0.1", "172.16.0.0/12"));
        assert!(m("10.1.2.3", "10.1.2.3/8"));
        assert!(Block::parse("10.0.0.0/33").is_none());
    }
}
