//! Reading IAM-language policy documents (bucket policies, identity policies).

use serde_json::Value;

/// A policy's statements, whether given as one object or a list.
pub fn statements(policy: &Value) -> impl Iterator<Item = &Value> {
    let statement = policy.get("Statement");
    let list: Vec<&Value> = match statement {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(single @ Value::Object(_)) => vec![single],
        _ => Vec::new(),
    };
    list.into_iter()
}

/// A policy element's values as text, whether a string, a boolean or a list of them.
pub fn values(value: &Value) -> impl Iterator<Item = String> + '_ {
    let items: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    items.into_iter().filter_map(|v| match v {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    })
}
