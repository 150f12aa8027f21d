//! Values that must never be shown: access tokens, client secrets, connector `AuthValue`s.

use std::fmt;

/// A secret string. `Debug` and `Display` print a mask; only [`Secret::expose`] gives the text.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

/// What a secret is replaced with wherever it would be shown.
pub const MASK: &str = "********";

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the one place that must send it.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when nothing is stored.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({MASK})")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Secret(super::lenient::string(d)?.unwrap_or_default()))
    }
}

/// Keys whose values are secrets wherever they appear in a JSON document (compared without case).
const SECRET_KEYS: &[&str] = &[
    "authvalue",
    "access_token",
    "accesstoken",
    "refresh_token",
    "refreshtoken",
    "client_secret",
    "clientsecret",
    "password",
    "apikey",
    "api_key",
];

/// True when a JSON key names a secret.
pub fn is_secret_key(key: &str) -> bool {
    SECRET_KEYS.iter().any(|k| key.eq_ignore_ascii_case(k))
}

/// True when a name/value pair's name (an account connector property's, say) suggests a
/// secret value: a secret key (see [`is_secret_key`]), or a name that speaks of a secret,
/// password, private key, passphrase, token or API key (`ClientSecret`, `WebhookSecret`,
/// `Api-Key`, `RefreshToken`; not `TokenUrl`).
pub fn is_secret_name(name: &str) -> bool {
    let squashed: String = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    is_secret_key(name)
        || ["secret", "password", "passwd", "privatekey", "passphrase"]
            .iter()
            .any(|word| squashed.contains(word))
        || ["token", "apikey"]
            .iter()
            .any(|word| squashed.ends_with(word))
}

/// Makes `value` fit to show: every secret-named value masked (nulls stay null, so "not
/// set" is still visible), and the `Value` of a `{"Name": …, "Value": …}` pair whose name
/// is a secret's ([`is_secret_name`], as in account connector `Properties`). Nothing else
/// changes.
pub fn mask_json(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let secret_pair = map
                .get("Name")
                .and_then(Value::as_str)
                .is_some_and(is_secret_name);
            for (key, v) in map.iter_mut() {
                if is_secret_key(key) || (secret_pair && key == "Value") {
                    if !v.is_null() {
                        *v = Value::String(MASK.to_string());
                    }
                } else {
                    mask_json(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_json),
        _ => {}
    }
}

/// Shortens every base64 `Icon` data URI in `value` to a note of its size, for brief output
/// and to keep big lists small in memory.
pub fn shorten_icons(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    Value::String(s)
                        if key.eq_ignore_ascii_case("icon") && s.starts_with("data:") =>
                    {
                        *v = Value::String(format!("<data URI, {} bytes>", s.len()));
                    }
                    _ => shorten_icons(v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(shorten_icons),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_never_format() {
        let s = Secret::new("hunter2");
        assert!(!format!("{s} {s:?}").contains("hunter2"));
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn mask_json_hides_nested_secrets_and_keeps_nulls() {
        let mut v = json!({"AuthValue": "k", "Inner": [{"authValue": "x", "Name": "n"}], "Password": null,
            "Connector": {"Icon": "data:image/png;base64,AAAA"}});
        mask_json(&mut v);
        assert_eq!(v["AuthValue"], MASK);
        assert_eq!(v["Inner"][0]["authValue"], MASK);
        assert_eq!(v["Inner"][0]["Name"], "n");
        assert!(v["Password"].is_null());
        assert_eq!(v["Connector"]["Icon"], "data:image/png;base64,AAAA");
        shorten_icons(&mut v);
        assert_eq!(v["Connector"]["Icon"], "<data URI, 26 bytes>");
    }

    #[test]
    fn secret_named_pairs_are_masked() {
        for name in [
            "ClientSecret",
            "WebhookSecret",
            "Password",
            "api_key",
            "Api-Key",
            "RefreshToken",
            "Private Key",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "InstanceUrl",
            "ApiVersion",
            "TokenUrl",
            "ShopName",
            "DataCenter",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
        let mut v = json!({"Properties": [
            {"Name": "WebhookSecret", "Value": "whsec", "Id": 1},
            {"Name": "InstanceUrl", "Value": "acme.example", "Id": 2},
            {"Name": "ClientSecret", "Value": null}
        ]});
        mask_json(&mut v);
        assert_eq!(v["Properties"][0]["Value"], MASK);
        assert_eq!(v["Properties"][0]["Id"], 1);
        assert_eq!(v["Properties"][1]["Value"], "acme.example");
        assert!(v["Properties"][2]["Value"].is_null());
    }
}
