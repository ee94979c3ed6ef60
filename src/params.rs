//! Query parameters from JSON, typed the way Elasticsearch types a request's `params`: a
//! whole number is an integer when it fits 32 bits, else a long; a decimal a double; a
//! string a keyword; `{"identifier": "f"}` a column name and `{"pattern": "f*"}` a name
//! pattern; `{"value": v}` the value itself. The three request styles are read: a list of
//! values (positional), a list of one-key objects (named), and an object of names.

use crate::syntax::{Literal, ParamValue, Params};
use serde_json::Value as Json;

/// One parameter value.
pub fn value(j: &Json) -> Result<ParamValue, String> {
    if let Json::Object(o) = j {
        if o.len() == 1 {
            if let Some(Json::String(s)) = o.get("identifier") {
                return Ok(ParamValue::Identifier(s.clone()));
            }
            if let Some(Json::String(s)) = o.get("pattern") {
                return Ok(ParamValue::Pattern(s.clone()));
            }
            if let Some(v) = o.get("value") {
                return literal(v).map(ParamValue::Value);
            }
        }
        return Err(format!("a parameter takes a value, {{\"identifier\": ...}} or {{\"pattern\": ...}}, found {j}"));
    }
    literal(j).map(ParamValue::Value)
}

fn literal(j: &Json) -> Result<Literal, String> {
    Ok(match j {
        Json::Null => Literal::Null,
        Json::Bool(b) => Literal::Boolean(*b),
        Json::String(s) => Literal::String(s.clone()),
        Json::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Literal::Integer(i),
            (None, Some(u)) => Literal::UnsignedLong(u),
            _ => Literal::Double(n.as_f64().ok_or_else(|| format!("not a number: {n}"))?),
        },
        Json::Array(items) => Literal::Array(items.iter().map(literal).collect::<Result<_, _>>()?),
        Json::Object(_) => return Err(format!("a parameter value cannot be an object: {j}")),
    })
}

/// A request's `params`: `[1, "a"]`, `[{"x": 1}, {"y": "a"}]` or `{"x": 1}`.
pub fn from_request(j: &Json) -> Result<Params, String> {
    let mut params = Params::default();
    match j {
        Json::Array(items) => {
            for item in items {
                match item {
                    Json::Object(o) if o.len() == 1 && !is_typed(item) => {
                        for (k, v) in o {
                            params.named.push((k.clone(), value(v)?));
                        }
                    }
                    other => params.positional.push(value(other)?),
                }
            }
        }
        Json::Object(o) => {
            for (k, v) in o {
                params.named.push((k.clone(), value(v)?));
            }
        }
        Json::Null => {}
        other => return Err(format!("[params] must be a list or an object, found {other}")),
    }
    Ok(params)
}

fn is_typed(j: &Json) -> bool {
    j.as_object().is_some_and(|o| o.contains_key("identifier") || o.contains_key("pattern") || o.contains_key("value"))
}

/// `NAME=VALUE` from the command line: VALUE is JSON when it reads as JSON, else text; a
/// NAME of digits is a position (`1=...` is `?1`, and the first `?`).
pub fn add_flag(params: &mut Params, flag: &str) -> Result<(), String> {
    let (name, text) = flag.split_once('=').ok_or_else(|| format!("--param {flag}: expected NAME=VALUE"))?;
    let name = name.trim().trim_start_matches('?');
    let v = match serde_json::from_str::<Json>(text) {
        Ok(j) => value(&j)?,
        Err(_) => ParamValue::Value(Literal::String(text.to_string())),
    };
    match name.parse::<usize>() {
        Ok(n) if n >= 1 => {
            if params.positional.len() < n {
                params.positional.resize(n, ParamValue::Value(Literal::Null));
            }
            params.positional[n - 1] = v;
        }
        _ if name.is_empty() => return Err(format!("--param {flag}: the name is empty")),
        _ => {
            params.set(name, v);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn typed_as_elasticsearch_types_them() {
        let p =
            from_request(&json!([{"a": 123}, {"b": 3000000000u64}, {"c": 1.5}, {"d": {"identifier": "x"}}])).unwrap();
        assert_eq!(p.named[0].1, ParamValue::Value(Literal::Integer(123)));
        assert_eq!(p.named[1].1, ParamValue::Value(Literal::Integer(3_000_000_000)));
        assert_eq!(p.named[2].1, ParamValue::Value(Literal::Double(1.5)));
        assert_eq!(p.named[3].1, ParamValue::Identifier("x".into()));
        let p = from_request(&json!([1, "a"])).unwrap();
        assert_eq!(p.positional.len(), 2);
        let mut p = Params::default();
        add_flag(&mut p, "user=alice").unwrap();
        add_flag(&mut p, "2=5").unwrap();
        assert_eq!(p.named[0].1, ParamValue::Value(Literal::String("alice".into())));
        assert_eq!(p.positional[1], ParamValue::Value(Literal::Integer(5)));
        assert!(add_flag(&mut p, "novalue").is_err());
    }
}
