//! The seed rule, its case-fixed variant and the current upstream text over hand-made
//! fixture data (`tests/fixtures/seed/`), with answers worked out by hand.
//!
//! The fixture, with now = 2025-07-30T12:00:00Z (so the 8-hour window starts at 04:00):
//!
//! | IP | documents | verdict (case-fixed) |
//! |---|---|---|
//! | 81.2.69.142 | alert "External Alerts" (panw.panos, categories intrusion_detection/threat/network) + successful sign-in | fires: 2 events |
//! | 2a01:4f8::7 | alert (suricata.eve) + MailItemsAccessed success + FileAccessed success (written `2A01:04F8:0:0::7`, the same address) | fires: 3 events |
//! | ::ffff:89.160.20.128 / 89.160.20.128 | alert with the IPv4-mapped form + sign-in success + sign-in failure | fires: one group, 3 events |
//! | 10.20.30.40 | alert + sign-in | private: excluded by cidr_match |
//! | [81.2.69.142, 5.6.7.8] | alert with a multi-valued source.ip | dropped by WHERE (cidr_match on a multi-value is null) with a warning; does not add to 81.2.69.142's count |
//! | 77.88.55.66 | alert without event.dataset + sign-in | `not null in (...)` is null, so no network-alert evidence: no row |
//! | 92.1.1.1 | alert + failed sign-in + failed MailItemsAccessed | no success: no row |
//! | 93.1.1.1 | alert at 02:00 (before the window) + sign-in | outside the window: no row (the upstream text has no window and fires) |
//! | 94.1.1.1 | alert named "external alerts" by a custom rule + sign-in | the WHERE wants "External Alerts": no row |
//! | not-an-ip, 999.1.1.1 | sign-ins with invalid source.ip | read as null (ignore_malformed), with a load warning; dropped by `is not null` |
//!
//! The verbatim text tests `"external alerts"` in case(), which never equals the
//! "External Alerts" the WHERE kept: no row can have a network alert, so it never fires.

use esql::engine::{Engine, Output};
use esql::io::OnError;
use esql::output::rows;

const NOW: &str = "2025-07-30T12:00:00Z";

fn run(query_file: &str) -> Output {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(dir.join("queries").join(query_file)).expect("read query");
    let mut engine = Engine::open(&dir.join("tests/fixtures/seed"), OnError::Fail);
    engine.now_ms = Some(esql::cli::parse_now(NOW).expect("now"));
    engine.query(&text).unwrap_or_else(|e| panic!("{query_file}: {e:?}"))
}

/// Rows as text, sorted by the last column (the IP).
fn table(out: &Output) -> Vec<String> {
    let mut lines: Vec<String> =
        rows(&out.result).iter().map(|r| r.iter().map(|c| c.render()).collect::<Vec<_>>().join(" | ")).collect();
    lines.sort_by_key(|l| l.rsplit(" | ").next().map(str::to_string));
    lines
}

#[test]
fn the_verbatim_seed_rule_never_fires() {
    let out = run("m365_entra_signin_from_suspicious_source.verbatim.esql");
    assert_eq!(out.result.num_rows(), 0);
    let names: Vec<&str> = out.result.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Esql.event_count",
            "Esql.source_ip_mail_access_case_count_distinct",
            "Esql.source_ip_azure_signin_case_count_distinct",
            "Esql.source_ip_network_alert_case_count_distinct",
            "Esql.event_dataset_count_distinct",
            "Esql.event_dataset_values",
            "Esql.kibana_alert_rule_name_values",
            "Esql.event_category_values",
            "Esql.source_ip"
        ]
    );
    let types: Vec<&str> = out.result.columns.iter().map(|c| c.ty.name()).collect();
    assert_eq!(types, ["long", "long", "long", "long", "long", "keyword", "keyword", "keyword", "ip"]);
}

#[test]
fn the_case_fixed_variant_returns_exactly_the_planted_ips() {
    let out = run("m365_entra_signin_from_suspicious_source.case-fixed.esql");
    assert_eq!(
        table(&out),
        [
            "3 | 1 | 0 | 1 | 2 | [o365.audit, suricata.eve] | External Alerts | [email, intrusion_detection, network, web] | 2a01:4f8::7",
            "2 | 0 | 1 | 1 | 2 | [azure.signinlogs, panw.panos] | External Alerts | [authentication, intrusion_detection, network, threat] | 81.2.69.142",
            "3 | 0 | 1 | 1 | 2 | [azure.signinlogs, panw.panos] | External Alerts | [authentication, network] | 89.160.20.128",
        ]
    );
}

#[test]
fn a_multi_valued_source_ip_is_dropped_with_the_elasticsearch_warning() {
    let out = run("m365_entra_signin_from_suspicious_source.verbatim.esql");
    // The rule has no LIMIT: Elasticsearch's implicit-limit warning comes first.
    assert_eq!(out.result.warnings.first().map(String::as_str), Some(esql::plan::NO_LIMIT_WARNING));
    let w = &out.result.warnings[1..];
    assert_eq!(w.len(), 2, "{w:#?}");
    assert!(w[0].starts_with("Line 7:11: evaluation of [cidr_match(\n    to_ip(source.ip),\n"), "{}", w[0]);
    assert!(
        w[0].ends_with("\"FF00::/8\"\n  )] failed, treating result as null. Only first 20 failures recorded."),
        "{}",
        w[0]
    );
    assert_eq!(w[1], "Line 7:11: java.lang.IllegalArgumentException: single-value function encountered multi-value");
}

#[test]
fn invalid_ip_strings_are_read_as_null_with_a_load_warning() {
    let out = run("m365_entra_signin_from_suspicious_source.verbatim.esql");
    assert_eq!(out.load_warnings.len(), 1, "{:?}", out.load_warnings);
    let w = &out.load_warnings[0];
    assert!(w.ends_with("logs-azure.signinlogs-default.ndjson: 2 value(s) of [source.ip] are not valid ip and were read as null (ignore_malformed)"), "{w}");
}

#[test]
fn the_upstream_text_matches_by_rule_id_and_reads_all_history() {
    let out = run("m365_entra_signin_from_suspicious_source.upstream-2026-05-22.esql");
    let ips: Vec<String> = table(&out).iter().filter_map(|l| l.rsplit(" | ").next().map(str::to_string)).collect();
    // 93.1.1.1's alert is older than 8 hours: the upstream query leaves the window to the
    // rule schedule, so run verbatim it fires.
    assert_eq!(ips, ["2a01:4f8::7", "81.2.69.142", "89.160.20.128", "93.1.1.1"]);
}
