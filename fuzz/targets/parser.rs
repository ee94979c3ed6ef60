//! Fuzz target: any bytes as a query. Parsing must not panic; an error must render with
//! its caret; what parses must print and parse back to the same tree.

/// One input.
pub fn run(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else { return };
    match esql::syntax::parse(src) {
        Ok(ast) => {
            for printed in [format!("{ast}"), format!("{ast:#}")] {
                let again =
                    esql::syntax::parse(&printed).unwrap_or_else(|e| panic!("{printed:?} no longer parses: {e:?}"));
                assert!(again == ast, "the round trip of {src:?} changed the tree");
            }
        }
        Err(errors) => {
            for e in errors {
                let d = esql::diagnostic::Diagnostic::from(e);
                let _ = d.render(src);
            }
        }
    }
}
