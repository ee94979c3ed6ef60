//! `NETWORK_DIRECTION(source_ip, destination_ip, internal_networks)`: `inbound`, `outbound`,
//! `internal` or `external`, from which side is in the internal networks, given as CIDR
//! blocks or Elasticsearch's named ranges (`private`, `loopback`, `unicast`, `public`, ...),
//! as its ingest processor of the same name decides.

use super::ip::Block;
use super::p::{req, STR};
use super::{Ctx, Eval, EvalError, FunctionDef, Kind, Returns};
use crate::types::{Cell, EsType, Value};
use std::borrow::Cow;
use std::net::{IpAddr, Ipv6Addr};

/// This family's functions.
pub const FUNCTIONS: &[FunctionDef] = &[FunctionDef {
    name: "network_direction",
    params: &[req("source_ip", &[EsType::Ip]), req("destination_ip", &[EsType::Ip]), req("internal_networks", STR)],
    variadic: false,
    returns: Returns::Fixed(EsType::Keyword),
    kind: Kind::Scalar(Eval::Cells(network_direction)),
    doc: "inbound, outbound, internal or external, by which of the two IPs is in the internal networks (CIDR or named ranges such as private, loopback, public).",
    column: None,
}];

fn network_direction<'a>(_: &Ctx<'_>, args: Vec<Cell<'a>>) -> Result<Cell<'a>, EvalError> {
    let one = |c: &Cell<'_>| match c {
        Cell::One(Value::Ip(ip)) => Ok(Some(*ip)),
        Cell::Many(_) => Err(EvalError::multi_value()),
        _ => Ok(None),
    };
    let (Some(src), Some(dst)) = (one(&args[0])?, one(&args[1])?) else { return Ok(Cell::Null) };
    let networks: Vec<String> = args[2].values().iter().map(|v| v.render()).collect();
    if networks.is_empty() {
        return Ok(Cell::Null);
    }
    let internal = |ip: &[u8; 16]| -> Result<bool, EvalError> {
        for n in &networks {
            if in_network(ip, n)? {
                return Ok(true);
            }
        }
        Ok(false)
    };
    let direction = match (internal(&src)?, internal(&dst)?) {
        (true, true) => "internal",
        (true, false) => "outbound",
        (false, true) => "inbound",
        (false, false) => "external",
    };
    Ok(Cell::One(Value::Str(Cow::Borrowed(direction))))
}

fn in_network(ip: &[u8; 16], network: &str) -> Result<bool, EvalError> {
    let addr = match Ipv6Addr::from(*ip).to_ipv4_mapped() {
        Some(v4) => IpAddr::V4(v4),
        None => IpAddr::V6(Ipv6Addr::from(*ip)),
    };
    let link_local_unicast = match addr {
        IpAddr::V4(a) => a.is_link_local(),
        IpAddr::V6(a) => (a.segments()[0] & 0xffc0) == 0xfe80,
    };
    let (link_local_multicast, interface_local) = match addr {
        IpAddr::V4(a) => (a.octets()[..3] == [224, 0, 0], false),
        IpAddr::V6(a) => (a.segments()[0] & 0xff0f == 0xff02, a.segments()[0] & 0xff0f == 0xff01),
    };
    let private = match addr {
        IpAddr::V4(a) => a.is_private(),
        IpAddr::V6(a) => (a.segments()[0] & 0xfe00) == 0xfc00,
    };
    let broadcast = matches!(addr, IpAddr::V4(a) if a.is_broadcast());
    let unicast =
        !addr.is_loopback() && !addr.is_unspecified() && !addr.is_multicast() && !link_local_unicast && !broadcast;
    Ok(match network {
        "loopback" => addr.is_loopback(),
        "unicast" | "global_unicast" => unicast,
        "link_local_unicast" => link_local_unicast,
        "interface_local_multicast" => interface_local,
        "link_local_multicast" => link_local_multicast,
        "multicast" => addr.is_multicast(),
        "unspecified" => addr.is_unspecified(),
        "private" => private,
        "public" => unicast && !private && !link_local_multicast && !interface_local,
        cidr => Block::parse(cidr)
            .ok_or_else(|| EvalError::illegal_argument(format!("'{cidr}' is not an IP string literal.")))?
            .contains(ip),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::text_form::parse_ip;

    #[test]
    fn directions_by_cidr_and_named_ranges() {
        let ip = |s: &str| Cell::One(Value::Ip(parse_ip(s).unwrap()));
        let nets = |n: &[&'static str]| Cell::from_values(n.iter().map(|s| Value::Str(Cow::Borrowed(*s))).collect());
        let ctx = Ctx { arg_types: &[], ty: EsType::Keyword, now_ms: 0 };
        let dir = |s: &str, d: &str, n: &[&'static str]| network_direction(&ctx, vec![ip(s), ip(d), nets(n)]).unwrap();
        let want = |s: &'static str| Cell::One(Value::Str(Cow::Borrowed(s)));
        assert_eq!(dir("10.0.0.1", "8.8.8.8", &["private"]), want("outbound"));
        assert_eq!(dir("8.8.8.8", "192.168.1.1", &["private"]), want("inbound"));
        assert_eq!(dir("10.0.0.1", "10.0.0.2", &["10.0.0.0/8"]), want("internal"));
        assert_eq!(dir("8.8.8.8", "1.1.1.1", &["private", "loopback"]), want("external"));
        assert_eq!(dir("8.8.8.8", "127.0.0.1", &["loopback"]), want("inbound"));
        assert_eq!(dir("8.8.8.8", "10.1.1.1", &["public"]), want("outbound"));
    }
}
