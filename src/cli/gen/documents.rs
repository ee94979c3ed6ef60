//! The documents of the three indices, as the integrations write them: Entra ID sign-ins,
//! Microsoft 365 audit events and external alerts, with their addresses.

use super::Rng;
use serde_json::{json, Value as Json};

/// A public IPv4 outside every range the rule excludes.
pub(super) fn public_ip(r: &mut Rng) -> String {
    loop {
        let a = 1 + r.below(222) as u8;
        if matches!(a, 10 | 100 | 127 | 169 | 172 | 192 | 198 | 203) {
            continue;
        }
        return format!("{a}.{}.{}.{}", r.below(256), r.below(256), 1 + r.below(254));
    }
}

/// A private or reserved address from one of the rule's CIDR blocks.
pub(super) fn reserved_ip(r: &mut Rng) -> String {
    let choices = [
        "10.1.2.3",
        "127.0.0.5",
        "169.254.9.9",
        "172.16.40.2",
        "192.0.0.9",
        "192.0.2.44",
        "192.168.1.146",
        "100.64.3.3",
        "198.18.0.7",
        "198.51.100.23",
        "203.0.113.99",
        "224.0.0.251",
        "240.0.0.1",
        "::1",
        "fe80::1",
        "ff02::1",
    ];
    r.pick(&choices).to_string()
}

pub(super) fn ts(ms: i64) -> String {
    crate::types::text_form::format_date(ms)
}

pub(super) const USERS: &[&str] =
    &["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj"];
pub(super) const O365_ACTIONS: &[&str] =
    &["FileAccessed", "PageViewed", "UserLoggedIn", "AttachmentAccess", "Send", "Update", "FileModified"];

/// An Entra ID sign-in (nested ECS, as the azure integration writes it).
pub fn signin(r: &mut Rng, at: i64, ip: &str, success: bool) -> Json {
    let user = r.pick(USERS);
    json!({
        "@timestamp": ts(at),
        "event": {"action": "Sign-in activity", "category": ["authentication"], "kind": "event", "outcome": if success {"success"} else {"failure"},
                  "duration": 0, "ingested": ts(at + 60_000 + r.below(540_000) as i64)},
        "source": {"ip": ip, "as": {"number": 8075 + r.below(50), "organization": {"name": "Example Networks"}}, "geo": {"country_iso_code": "US"}},
        "user": {"name": format!("{user}@example.com"), "domain": "example.com", "id": format!("{:032x}", r.next_u64() as u128 * 7919)},
        "user_agent": {"original": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"},
        "cloud": {"provider": "azure"},
        "log": {"level": "4"},
        "azure": {"signinlogs": {"category": "SignInLogs", "operation_name": "Sign-in activity", "result_type": if success {"0"} else {"50126"},
            "properties": {"app_display_name": "Office 365 Exchange Online", "is_interactive": true, "user_principal_name": format!("{user}@example.com"),
                "status": {"error_code": if success {0} else {50126}}, "processing_time_ms": 132.0 + r.below(100) as f64,
                "authentication_details": [{"authentication_method": "Password", "succeeded": success}]}}},
        "event.original": format!("{{\"time\":\"{}\",\"resourceId\":\"/tenants/8a4de8b5/providers/Microsoft.aadiam\",\"operationName\":\"Sign-in activity\",\"category\":\"SignInLogs\",\"resultType\":\"{}\",\"callerIpAddress\":\"{ip}\",\"identity\":\"{user}\"}}", ts(at), if success {"0"} else {"50126"}),
    })
}

/// An o365 unified audit record (Exchange RecordType 50 for MailItemsAccessed).
pub fn o365(r: &mut Rng, at: i64, ip: &str, action: &str, outcome: Option<&str>) -> Json {
    let user = r.pick(USERS);
    let mut event = json!({"action": action, "category": ["web", "email"], "type": ["info", "access"], "kind": "event",
        "code": "ExchangeItemAggregated", "provider": "Exchange", "ingested": ts(at + 300_000 + r.below(3_600_000) as i64)});
    if let Some(o) = outcome {
        event["outcome"] = json!(o);
    }
    json!({
        "@timestamp": ts(at),
        "event": event,
        "source": {"ip": ip},
        "client": {"address": ip, "ip": ip},
        "user": {"id": format!("{user}@example.com"), "name": user, "domain": "example.com"},
        "o365": {"audit": {"RecordType": "50", "Operation": action, "ResultStatus": if outcome == Some("success") {"Succeeded"} else {"Failed"},
            "UserType": "0", "Workload": "Exchange", "ClientIPAddress": ip, "MailboxOwnerUPN": format!("{user}@example.com"),
            "OperationProperties": [{"Name": "MailAccessType", "Value": "Bind"}]}},
        "organization": {"id": "b86ab9d4-fcf1-4b11-8a06-7a8f91b47fbd"},
        "event.original": format!("{{\"CreationTime\":\"{}\",\"Operation\":\"{action}\",\"ClientIPAddress\":\"{ip}\",\"UserId\":\"{user}@example.com\"}}", ts(at)),
    })
}

/// A detection alert promoted from a network alert: nested source fields, flat `event.*`
/// and `kibana.*` keys, as the alerts index stores them.
pub fn alert(r: &mut Rng, at: i64, ip: Option<&str>, rule_id: &str, rule_name: &str, dataset: Option<&str>) -> Json {
    let mut doc = json!({
        "@timestamp": ts(at),
        "destination": {"ip": "89.160.20.112", "port": 443},
        "rule": {"name": "ET POLICY curl User-Agent Outbound", "id": "2013028"},
        "observer": {"product": "Suricata", "type": "ids", "vendor": "OISF"},
        "tags": ["forwarded"],
        "event.kind": "signal",
        "event.category": ["network", "intrusion_detection"],
        "event.type": ["allowed"],
        "event.severity": 2,
        "event.module": "suricata",
        "event.ingested": ts(at - 28_000),
        "kibana.alert.original_event.kind": "alert",
        "kibana.alert.original_time": ts(at - 30_000),
        "kibana.alert.rule.name": rule_name,
        "kibana.alert.rule.rule_id": rule_id,
        "kibana.alert.rule.uuid": format!("{:016x}", r.next_u64()),
        "kibana.alert.severity": "medium",
        "kibana.alert.risk_score": 47,
        "kibana.alert.workflow_status": "open",
        "kibana.space_ids": ["default"],
    });
    if let Some(ip) = ip {
        doc["source"] = json!({"ip": ip, "port": 32858});
    }
    if let Some(d) = dataset {
        doc["event.dataset"] = json!(d);
        doc["data_stream"] = json!({"dataset": d, "namespace": "default", "type": "logs"});
    }
    doc
}
