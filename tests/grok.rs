//! GROK's built-in patterns are Elasticsearch's ECS v1 bank, rebuilt from the Apache-2.0
//! Logstash files: every definition equals Elasticsearch's copy in `../shared/grok/ecs-v1/`,
//! every pattern compiles except those Elasticsearch cannot compile either, and the
//! segmentation-fault hunt extracts its fields.

mod common;

use esql::engine::Engine;
use esql::functions::grok::{library, Grok};
use esql::io::OnError;

/// Elasticsearch's definitions, read as `GrokBuiltinPatterns` reads a file.
fn es_definitions(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim_start)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let split = l.find(char::is_whitespace)?;
            Some((l[..split].to_string(), l[split..].trim_start().to_string()))
        })
        .collect()
}

/// Rule R, for the two Elasticsearch copies still in bracket notation (nagios, ruby).
fn dotted(def: &str) -> String {
    let reference = regex::Regex::new(r"(%\{\w+:)((?:\[[^\]\[]+\])+)").expect("regex");
    let group = regex::Regex::new(r"\(\?<((?:\[[^\]\[]+\])+)>").expect("regex");
    let join = |p: &str| p.trim_start_matches('[').trim_end_matches(']').split("][").collect::<Vec<_>>().join(".");
    let d = reference.replace_all(def, |c: &regex::Captures<'_>| format!("{}{}", &c[1], join(&c[2])));
    group.replace_all(&d, |c: &regex::Captures<'_>| format!("(?<{}>", join(&c[1]))).into_owned()
}

#[test]
fn the_bank_is_elasticsearchs_ecs_v1_bank() {
    let Some(shared) = common::shared_dir() else { return };
    let bank = library::bank();
    assert_eq!(bank.iter().count(), 361, "360 definitions in ES's 21 files, plus maven's one");
    let mut compared = 0;
    for entry in std::fs::read_dir(shared.join("grok/ecs-v1")).expect("ecs-v1").flatten() {
        let text = std::fs::read_to_string(entry.path()).expect("read");
        // The stored nagios and ruby copies predate ES's conversion to dotted names.
        let bracketed = ["nagios", "ruby"].iter().any(|f| entry.file_name() == *f);
        for (name, def) in es_definitions(&text) {
            let def = if bracketed { dotted(&def) } else { def };
            assert_eq!(bank.get(&name), Some(def.as_str()), "{name} differs from Elasticsearch's");
            compared += 1;
        }
    }
    assert_eq!(compared, 360);
    for name in ["URIPROTO", "URIHOST", "BASE16NUM", "MAVEN_VERSION"] {
        assert!(bank.get(name).is_some(), "{name} missing");
    }
}

#[test]
fn every_pattern_compiles_but_those_elasticsearch_rejects() {
    let failing: Vec<&str> =
        library::bank().iter().map(|(n, _)| n).filter(|n| Grok::compile(&format!("%{{{n}}}")).is_err()).collect();
    // Elasticsearch's conversion left `\%{NAME:...}` in five definitions: the `%{...}` expands
    // to a group whose `(` the backslash escapes, so the regex has an unmatched `)` (S3, EXIM)
    // or an unclosed `[` (the three CISCO ones, which ES PR #158710 reports). Joni refuses
    // them, and so do the patterns that use EXIM_REMOTE_HOST.
    let expected = [
        "S3_ACCESS_LOG",
        "EXIM_REMOTE_HOST",
        "EXIM_NAMED_FIELDS",
        "EXIM_MESSAGE_ARRIVAL",
        "EXIM",
        "CISCOFW106023",
        "CISCOFW106100_2_3",
        "CISCOFW106100",
    ];
    assert_eq!(failing, expected);
}

#[test]
fn base16num_and_friends_match_what_elasticsearch_matches() {
    let g = Grok::compile("%{BASE16NUM:a} %{BASE16NUM:b} %{URIPROTO:p}://%{URIHOST:h}").expect("compile");
    let v = g.extract("0 7f8b1c200000 https://example.com:8443").expect("match");
    let text: Vec<String> = v.iter().map(|vals| vals[0].render().to_string()).collect();
    assert_eq!(text, ["0", "7f8b1c200000", "https", "example.com:8443"]);
    // Types: ES's `:long` edit of HTTPD_COMMONLOG.
    let g = Grok::compile("%{HTTPD_COMMONLOG}").expect("compile");
    let bytes = g.fields.iter().find(|(n, _)| n == "http.response.body.bytes").expect("field");
    assert_eq!(bytes.1, esql::types::EsType::Long);
}

#[test]
fn the_segmentation_fault_hunt_extracts_its_fields() {
    let Some(shared) = common::shared_dir() else { return };
    let dir = std::env::temp_dir().join(format!("esql-grok-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let line = "[14312.845120] exploit[31337]: segfault at 0 ip 00007f8b1c2a3b4c sp 00007ffd5e6f7a80 error 14 \
                in libc.so.6[7f8b1c200000+195000] likely on CPU 3 (core 1, socket 0)";
    let doc = serde_json::json!({"@timestamp": "2025-07-30T11:00:00Z", "host": {"os": {"type": "linux"}},
        "process": {"name": "kernel"}, "message": line});
    std::fs::write(dir.join("logs-system.syslog-default.ndjson"), format!("{doc}\n")).expect("write");
    let mut engine = Engine::open(&dir, OnError::Fail);
    engine.now_ms = Some(1_753_876_800_000);
    let queries: Vec<String> = common::rule_corpus(&shared)
        .into_iter()
        .filter(|q| q.path.contains("segmentation_fault"))
        .map(|q| q.query.replace("| where cc > 100", "").replace("| stats cc = count() by process, so_name", ""))
        .collect();
    assert_eq!(queries.len(), 2);
    for q in &queries {
        let out = engine.query(q).unwrap_or_else(|e| panic!("{}", e.render(q)));
        let rows = esql::output::rows(&out.result);
        assert_eq!(rows.len(), 1, "{q}");
        let col = |name: &str| {
            let k = out.result.columns.iter().position(|c| c.name == name).expect(name);
            rows[0][k].render().to_string()
        };
        assert_eq!(col("process"), "exploit");
        assert_eq!(col("pid"), "31337");
        assert_eq!(col("segfault_address"), "0");
        assert_eq!(col("instruction_pointer"), "00007f8b1c2a3b4c");
        assert_eq!(col("so_base_address"), "7f8b1c200000");
        assert_eq!(col("so_offset"), "195000");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
