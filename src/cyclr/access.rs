//! Read or write: whether calling a method may change data in the third-party app, judged
//! from its metadata: the HTTP verb when Cyclr sends one, then words of its name and category.

use super::model::Method;

/// Words in a method's name or category that mean it changes data.
const WRITE_WORDS: &[&str] = &[
    "create",
    "update",
    "upsert",
    "delete",
    "remove",
    "merge",
    "archive",
    "unarchive",
    "assign",
    "unassign",
    "bulk",
    "send",
    "post",
    "add",
    "insert",
    "patch",
    "put",
    "set",
    "replace",
    "cancel",
    "close",
    "convert",
    "complete",
    "move",
    "import",
    "subscribe",
    "unsubscribe",
    "restore",
    "trigger",
    "void",
    "refund",
    "approve",
    "reject",
    "submit",
    "upload",
    "write",
];

/// What calling a method would do, and why it was judged so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub write: bool,
    /// Why, in a few words: `HTTP verb DELETE`, `"Create" in its name`.
    pub reason: String,
}

impl Method {
    /// Judges whether calling this method may change data.
    pub fn access(&self) -> Access {
        if let Some(verb) = self
            .http_method
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            let upper = verb.to_ascii_uppercase();
            let write = !matches!(upper.as_str(), "GET" | "HEAD" | "OPTIONS");
            return Access {
                write,
                reason: format!("HTTP verb {}", crate::text::inert(&upper)),
            };
        }
        for (what, text) in [("name", &self.name), ("category", &self.category)] {
            let Some(text) = text.as_deref() else {
                continue;
            };
            let word = text
                .split(|c: char| !c.is_alphanumeric())
                .find(|w| WRITE_WORDS.contains(&w.to_lowercase().as_str()));
            if let Some(word) = word {
                return Access {
                    write: true,
                    reason: format!("\"{}\" in its {what}", crate::text::inert(word)),
                };
            }
        }
        Access {
            write: false,
            reason: "no HTTP verb and no word of change in its name or category".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::cyclr::model::{Method, decode};
    use serde_json::json;

    fn access(v: serde_json::Value) -> (bool, String) {
        let m: Method = decode(v);
        let a = m.access();
        (a.write, a.reason)
    }

    #[test]
    fn verb_first_then_words() {
        assert_eq!(
            access(json!({"Name": "Create Contact", "HttpMethod": "get"})),
            (false, "HTTP verb GET".into())
        );
        assert_eq!(
            access(json!({"Name": "List", "HttpMethod": "DELETE"})),
            (true, "HTTP verb DELETE".into())
        );
        assert_eq!(
            access(json!({"Name": "Update Contact"})),
            (true, "\"Update\" in its name".into())
        );
        assert_eq!(
            access(json!({"Name": "Records", "Category": "Bulk API"})),
            (true, "\"Bulk\" in its category".into())
        );
        assert!(!access(json!({"Name": "List Contacts", "Category": "Contacts"})).0);
        // Words, not substrings: "Settings" holds "set" but is not a write.
        assert!(!access(json!({"Name": "Get Settings"})).0);
    }
}
