//! A deterministic generator of realistic documents for the seed rule's three indices, with
//! planted true positives and decoys (shapes from `shared/docs/test-data.md` §2 and §7).
//!
//! Same `--seed` and `--now`, same bytes. `_manifest.json` lists the planted IPs by class and
//! which rule texts should fire for them.

mod documents;

pub use documents::{alert, o365, signin};
use documents::{public_ip, reserved_ip, ts, O365_ACTIONS};
use serde_json::{json, Value as Json};
use std::io::Write;
use std::path::Path;

/// `eb079c62-...`: the prebuilt "External Alerts" rule.
pub const EXTERNAL_ALERTS_RULE_ID: &str = "eb079c62-4481-4d6e-9643-3ca499df7aaa";

pub use crate::rng::Rng;

/// Options of one generation run.
#[derive(Clone, Debug)]
pub struct GenOptions {
    /// Background events (planted documents come on top).
    pub events: u64,
    /// The random seed.
    pub seed: u64,
    /// The anchor time (the rule's `now()`), ms.
    pub now_ms: i64,
}

/// Source addresses of the background: users sign in from a few home and office
/// addresses (a skewed pool, so some carry thousands of events), and network alerts come
/// from scanners that never sign in.
struct IpPool {
    users: Vec<String>,
    scanners: Vec<String>,
}

impl IpPool {
    fn new(r: &mut Rng, events: u64) -> IpPool {
        let size = (events / 1000).max(40) as usize;
        let users = (0..size)
            .map(|k| match k % 12 {
                0 => reserved_ip(r),
                1 => format!("2a02:{:x}:{:x}::{:x}", r.below(0xffff), r.below(0xffff), 1 + r.below(0xfff)),
                _ => public_ip(r),
            })
            .collect();
        let scanners = (0..size / 2).map(|_| public_ip(r)).collect();
        IpPool { users, scanners }
    }

    /// A user address, skewed towards the start of the pool (roughly Zipf).
    fn user(&self, r: &mut Rng) -> String {
        let k = (r.below(self.users.len() as u64) * r.below(self.users.len() as u64)) / self.users.len() as u64;
        self.users[k as usize].clone()
    }

    fn scanner(&self, r: &mut Rng) -> String {
        r.pick(&self.scanners).clone()
    }
}

struct Out {
    signin: Vec<(u64, Json)>,
    o365: Vec<(u64, Json)>,
    alerts: Vec<(u64, Json)>,
}

/// Generates the data set into `dir` and returns the manifest.
pub fn generate(opts: &GenOptions, dir: &Path) -> Result<Json, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut r = Rng::new(opts.seed);
    let mut out = Out { signin: vec![], o365: vec![], alerts: vec![] };
    let manifest = plant(&mut r, opts, &mut out);
    let pool = IpPool::new(&mut r, opts.events);
    let files = [
        ("logs-azure.signinlogs-default.ndjson", std::mem::take(&mut out.signin), 35),
        ("logs-o365.audit-default.ndjson", std::mem::take(&mut out.o365), 55),
        (".alerts-security.alerts-default.ndjson", std::mem::take(&mut out.alerts), 10),
    ];
    for (name, planted, share) in files {
        let count = opts.events * share / 100;
        write_index(&dir.join(name), &mut r, opts, planted, count, name, &pool)?;
    }
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("_manifest.json"), text + "\n").map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(manifest)
}

/// Background documents interleaved with the planted ones (at deterministic positions).
fn write_index(
    path: &Path,
    r: &mut Rng,
    opts: &GenOptions,
    planted: Vec<(u64, Json)>,
    count: u64,
    name: &str,
    pool: &IpPool,
) -> Result<(), String> {
    let f = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
    // Planted documents go at random positions among the background ones.
    let mut planted: Vec<(u64, Json)> = planted.into_iter().map(|(pos, d)| (pos % (count + 1), d)).collect();
    planted.sort_by_key(|(slot, _)| *slot);
    let mut planted = planted.into_iter().peekable();
    let day = 86_400_000i64;
    for i in 0..=count {
        while let Some((_, doc)) = planted.next_if(|(slot, _)| *slot == i) {
            writeln!(w, "{doc}").map_err(|e| e.to_string())?;
        }
        if i == count {
            break;
        }
        let at = opts.now_ms - r.below(day as u64) as i64;
        let ip = if name.starts_with(".alerts") { pool.scanner(r) } else { pool.user(r) };
        let doc = if name.starts_with("logs-azure") {
            let ok = r.chance(0.85);
            signin(r, at, &ip, ok)
        } else if name.starts_with("logs-o365") {
            let action = if r.chance(0.4) { "MailItemsAccessed" } else { *r.pick(O365_ACTIONS) };
            let outcome = if r.chance(0.9) { "success" } else { "failure" };
            o365(r, at, &ip, action, Some(outcome))
        } else {
            let (id, name) = if r.chance(0.7) {
                (EXTERNAL_ALERTS_RULE_ID, "Attempted Information Leak")
            } else {
                ("a1b2c3d4-0000-4000-8000-threatintel01", "Threat Intel IP Address Indicator Match")
            };
            alert(r, at, Some(&ip), id, name, Some("suricata.eve"))
        };
        writeln!(w, "{doc}").map_err(|e| e.to_string())?;
    }
    w.flush().map_err(|e| format!("{}: {e}", path.display()))
}

/// Plants true positives and decoys; returns the manifest.
fn plant(r: &mut Rng, opts: &GenOptions, out: &mut Out) -> Json {
    let t = opts.now_ms;
    let hour = 3_600_000i64;
    let recent = |r: &mut Rng| t - 1_000 - r.below(7 * hour as u64) as i64;
    let pos = |r: &mut Rng| r.next_u64();
    let mut classes = serde_json::Map::new();
    let mut add = |class: &str, ip: &str| {
        let e = classes.entry(class.to_string()).or_insert_with(|| json!([]));
        if let Some(a) = e.as_array_mut() {
            a.push(json!(ip));
        }
    };
    let k = (opts.events / 50_000).max(3);
    // TP-a: the promoted alert has no message, so it is named "External Alerts".
    for _ in 0..k {
        let ip = public_ip(r);
        let (a, s) = (recent(r), recent(r));
        out.alerts
            .push((pos(r), alert(r, a, Some(&ip), EXTERNAL_ALERTS_RULE_ID, "External Alerts", Some("panw.panos"))));
        out.signin.push((pos(r), signin(r, s, &ip, true)));
        add("tp_a_named_external_alerts", &ip);
    }
    // TP-b: the alert is named by its message; only rule_id-based texts see it.
    for _ in 0..k {
        let ip = public_ip(r);
        let (a, m) = (recent(r), recent(r));
        out.alerts.push((
            pos(r),
            alert(r, a, Some(&ip), EXTERNAL_ALERTS_RULE_ID, "Attempted Information Leak", Some("suricata.eve")),
        ));
        out.o365.push((pos(r), o365(r, m, &ip, "MailItemsAccessed", Some("success"))));
        add("tp_b_named_by_message", &ip);
    }
    // TP-c: IPv6 sign-in and alert.
    let ip6 = format!("2603:10b6:806:{:x}::21", r.below(0xffff));
    let (a, s) = (recent(r), recent(r));
    out.alerts.push((pos(r), alert(r, a, Some(&ip6), EXTERNAL_ALERTS_RULE_ID, "External Alerts", Some("panw.panos"))));
    out.signin.push((pos(r), signin(r, s, &ip6, true)));
    add("tp_a_named_external_alerts", &ip6);
    // TP-d: the alert carries ::ffff:a.b.c.d, the sign-in a.b.c.d: one group.
    let ip4 = public_ip(r);
    let (a, s) = (recent(r), recent(r));
    out.alerts.push((
        pos(r),
        alert(r, a, Some(&format!("::ffff:{ip4}")), EXTERNAL_ALERTS_RULE_ID, "External Alerts", Some("panw.panos")),
    ));
    out.signin.push((pos(r), signin(r, s, &ip4, true)));
    add("tp_a_named_external_alerts", &ip4);
    plant_decoys(r, t, out, &mut add);
    json!({
        "seed": opts.seed,
        "now": ts(t),
        "background_events": opts.events,
        "planted": classes,
        "expected": {
            "verbatim (2025-07-30)": "no rows: case() compares with lower-case \"external alerts\"",
            "case-fixed": "one row per tp_a_named_external_alerts IP",
            "upstream (rule_id)": "one row per tp_a and tp_b IP (plus background coincidences)",
        }
    })
}

fn plant_decoys(r: &mut Rng, t: i64, out: &mut Out, add: &mut dyn FnMut(&str, &str)) {
    let hour = 3_600_000i64;
    let recent = |r: &mut Rng| t - 1_000 - r.below(7 * hour as u64) as i64;
    // D1: reserved address with the full pattern.
    let ip = "192.168.1.146";
    let (a, s) = (recent(r), recent(r));
    out.alerts
        .push((r.next_u64(), alert(r, a, Some(ip), EXTERNAL_ALERTS_RULE_ID, "External Alerts", Some("suricata.eve"))));
    out.signin.push((r.next_u64(), signin(r, s, ip, true)));
    add("d1_reserved", ip);
    // D2: only failed sign-ins.
    let ip = public_ip(r);
    let (a, s) = (recent(r), recent(r));
    out.alerts
        .push((r.next_u64(), alert(r, a, Some(&ip), EXTERNAL_ALERTS_RULE_ID, "External Alerts", Some("panw.panos"))));
    out.signin.push((r.next_u64(), signin(r, s, &ip, false)));
    add("d2_failed_signin", &ip);
    // D6: more than 100 events.
    let ip = public_ip(r);
    let a = recent(r);
    out.alerts
        .push((r.next_u64(), alert(r, a, Some(&ip), EXTERNAL_ALERTS_RULE_ID, "External Alerts", Some("panw.panos"))));
    for _ in 0..101 {
        let s = recent(r);
        out.signin.push((r.next_u64(), signin(r, s, &ip, true)));
    }
    add("d6_over_100_events", &ip);
    // D9: the alert's dataset is a sign-in dataset.
    let ip = public_ip(r);
    let (a, s) = (recent(r), recent(r));
    out.alerts
        .push((r.next_u64(), alert(r, a, Some(&ip), EXTERNAL_ALERTS_RULE_ID, "External Alerts", Some("o365.audit"))));
    out.signin.push((r.next_u64(), signin(r, s, &ip, true)));
    add("d9_alert_from_signin_dataset", &ip);
    // D10: the alert is older than the 8-hour window.
    let ip = public_ip(r);
    let s = recent(r);
    out.alerts.push((
        r.next_u64(),
        alert(r, t - 20 * hour, Some(&ip), EXTERNAL_ALERTS_RULE_ID, "External Alerts", Some("panw.panos")),
    ));
    out.signin.push((r.next_u64(), signin(r, s, &ip, true)));
    add("d10_alert_too_old", &ip);
    // D12: an alert without source.ip.
    let a = recent(r);
    out.alerts.push((r.next_u64(), alert(r, a, None, EXTERNAL_ALERTS_RULE_ID, "External Alerts", Some("panw.panos"))));
}

/// `esql gen`: writes the data set and says what it planted.
pub(super) fn gen_cmd(events: u64, out: &std::path::Path, seed: u64, now: &str) -> i32 {
    let now_ms = match crate::engine::parse_now(now) {
        Ok(ms) => ms,
        Err(e) => {
            eprintln!("esql: {e}");
            return 2;
        }
    };
    match generate(&GenOptions { events, seed, now_ms }, out) {
        Ok(manifest) => {
            let planted = manifest["planted"]
                .as_object()
                .map_or(0, |m| m.values().filter_map(|v| v.as_array()).map(Vec::len).sum());
            eprintln!("esql: wrote {events} background events and {planted} planted IPs to {}", out.display());
            0
        }
        Err(e) => {
            eprintln!("esql: {e}");
            1
        }
    }
}
