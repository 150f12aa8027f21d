//! Cyclr's JSON objects as permissive Rust types.
//!
//! Every field is optional or defaulted, unknown fields are ignored, `null` and values of an
//! unexpected type are tolerated. Each top-level object also keeps its raw JSON (secrets
//! masked) so viewers can show everything the server sent.

use super::lenient;
use super::secret::{Secret, mask_json};
use serde::Deserialize;
use serde_json::Value;

/// A top-level Cyclr object decoded from JSON that also keeps its display-safe raw form.
pub trait Model: for<'de> Deserialize<'de> + Default {
    /// Stores the raw JSON (already masked) alongside the typed fields.
    fn set_raw(&mut self, raw: Value);
}

/// Decodes one object; anything that is not an object yields a default value (with its raw JSON kept).
#[must_use]
pub fn decode<T: Model>(mut value: Value) -> T {
    let mut model = T::deserialize(&value).unwrap_or_default();
    mask_json(&mut value);
    model.set_raw(value);
    model
}

/// Decodes every element of a JSON array; a non-array yields `None`.
pub fn decode_list<T: Model>(value: Value) -> Option<Vec<T>> {
    match value {
        Value::Array(items) => Some(items.into_iter().map(decode).collect()),
        _ => None,
    }
}

macro_rules! impl_model {
    ($($t:ty),*) => {$(
        impl Model for $t {
            fn set_raw(&mut self, raw: Value) {
                self.raw = raw;
            }
        }
    )*};
}
impl_model!(Account, AccountConnector, Connector, Method);

/// A Cyclr account (partner level). Its `Id` is the API ID sent as `X-Cyclr-Account`; not always a GUID.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Account {
    #[serde(deserialize_with = "lenient::string")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub description: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub timezone: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub created_date: Option<String>,
    /// The object as sent, secrets masked.
    #[serde(skip)]
    pub raw: Value,
}

/// A connector installed in an account; its `Id` addresses proxy calls.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AccountConnector {
    #[serde(deserialize_with = "lenient::int")]
    pub id: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub description: Option<String>,
    #[serde(deserialize_with = "lenient::bool")]
    pub authenticated: Option<bool>,
    #[serde(deserialize_with = "lenient::bool")]
    pub is_partner_integration_connector: Option<bool>,
    /// The underlying connector release; its `Id` lists the methods.
    #[serde(deserialize_with = "lenient::object")]
    pub connector: Option<Connector>,
    #[serde(deserialize_with = "lenient::list")]
    pub properties: Vec<Property>,
    /// The stored credential. Never printed.
    pub auth_value: Secret,
    /// The object as sent, `AuthValue` masked.
    #[serde(skip)]
    pub raw: Value,
}

impl AccountConnector {
    /// The underlying connector release id, used for `/v1.0/connectors/{id}/methods`.
    #[must_use]
    pub fn connector_id(&self) -> Option<i64> {
        self.connector.as_ref().and_then(|c| c.id)
    }

    /// How many custom fields the object lists.
    #[must_use]
    pub fn custom_fields_count(&self) -> usize {
        self.raw
            .get("CustomFields")
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    }

    /// True for partner (native) connectors, which the IP allow-list does not restrict.
    #[must_use]
    pub fn is_partner(&self) -> bool {
        self.is_partner_integration_connector.unwrap_or(false)
    }
}

/// A name/value property of an account connector (`Properties[]`, or
/// `GET /v1.0/account/connectors/{id}/properties`). The value may be a secret: see
/// [`super::is_secret_name`] before showing it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Property {
    #[serde(deserialize_with = "lenient::int")]
    pub id: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub value: Option<String>,
    /// The account connector it belongs to.
    #[serde(deserialize_with = "lenient::int")]
    pub account_connector_id: Option<i64>,
}

impl Property {
    /// True when its name suggests a secret value (`ClientSecret`, `ApiKey`…).
    #[must_use]
    pub fn is_secret(&self) -> bool {
        self.name
            .as_deref()
            .is_some_and(super::secret::is_secret_name)
    }
}

/// A connector release from the catalogue, or embedded in an account connector.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Connector {
    #[serde(deserialize_with = "lenient::int")]
    pub id: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub description: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub version: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub status: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub auth_type: Option<String>,
    #[serde(rename = "OAuth2Type", deserialize_with = "lenient::string")]
    pub oauth2_type: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub auth_scheme: Option<String>,
    #[serde(deserialize_with = "lenient::strings")]
    pub categories: Vec<String>,
    /// The object as sent, icon shortened.
    #[serde(skip)]
    pub raw: Value,
}

/// A connector method at one release.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Method {
    #[serde(deserialize_with = "lenient::int")]
    pub id: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub description: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub category: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub method_type: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub end_point: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub http_method: Option<String>,
    /// Stable GUID that always resolves to the latest release.
    #[serde(deserialize_with = "lenient::string")]
    pub method_unique_identifier: Option<String>,
    #[serde(deserialize_with = "lenient::list")]
    pub parameters: Vec<Parameter>,
    #[serde(deserialize_with = "lenient::list")]
    pub request_fields: Vec<Field>,
    #[serde(deserialize_with = "lenient::list")]
    pub response_fields: Vec<Field>,
    /// The object as sent.
    #[serde(skip)]
    pub raw: Value,
}

/// A method parameter; request and response fields share its shape (see [`Field`]).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Parameter {
    #[serde(deserialize_with = "lenient::int")]
    pub id: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub description: Option<String>,
    #[serde(deserialize_with = "lenient::bool")]
    pub is_optional: Option<bool>,
    #[serde(deserialize_with = "lenient::string")]
    pub data_type: Option<String>,
    #[serde(deserialize_with = "lenient::strings")]
    pub values: Vec<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub trigger_name: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub target_type: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub target_name: Option<String>,
    #[serde(deserialize_with = "lenient::bool")]
    pub is_sensitive: Option<bool>,
    /// Where the form shows it among its siblings (lowest first).
    #[serde(deserialize_with = "lenient::int")]
    pub display_order: Option<i64>,
    /// Where its values can be looked up: each calls a method and reads two keys of the reply.
    #[serde(deserialize_with = "lenient::list")]
    pub triggers: Vec<Trigger>,
}

/// A lookup source for a parameter or field: call `MethodId` on an account connector (the
/// same one when `AccountConnectorId` is absent or 0) and read each item's label at
/// `HumanReadableKey` and id at `IdentifierKey` (e.g. `[records].Email`, `[records].Id`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "PascalCase", default)]
pub struct Trigger {
    #[serde(deserialize_with = "lenient::int")]
    pub account_connector_id: Option<i64>,
    #[serde(deserialize_with = "lenient::int")]
    pub method_id: Option<i64>,
    #[serde(deserialize_with = "lenient::string")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub human_readable_key: Option<String>,
    #[serde(deserialize_with = "lenient::string")]
    pub identifier_key: Option<String>,
}

impl Trigger {
    /// The account connector to call: the trigger's own when set and non-zero, else `this`.
    #[must_use]
    pub fn account_connector(&self, this: i64) -> i64 {
        self.account_connector_id
            .filter(|id| *id != 0)
            .unwrap_or(this)
    }
}

/// A request or response field of a method.
pub type Field = Parameter;

impl Parameter {
    /// Required unless the server says `IsOptional: true`.
    #[must_use]
    pub fn is_required(&self) -> bool {
        !self.is_optional.unwrap_or(false)
    }

    /// The first usable lookup (one with a method to call), if any.
    #[must_use]
    pub fn lookup(&self) -> Option<&Trigger> {
        self.triggers.iter().find(|t| t.method_id.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tolerates_nulls_wrong_types_and_unknown_fields() {
        let ac: AccountConnector = decode(json!({
            "Id": "42", "Name": null, "Description": 7, "Authenticated": "true", "Extra": {"a": 1},
            "Connector": {"Id": 5122, "Name": "Salesforce", "Version": null, "Categories": null},
            "Properties": [{"Name": "Domain", "Value": "x"}, 3],
            "AuthValue": "super-secret"
        }));
        assert_eq!(ac.id, Some(42));
        assert_eq!(ac.name, None);
        assert_eq!(ac.description.as_deref(), Some("7"));
        assert_eq!(ac.authenticated, Some(true));
        assert_eq!(ac.connector_id(), Some(5122));
        assert_eq!(ac.properties.len(), 1);
        assert_eq!(ac.auth_value.expose(), "super-secret");
        assert!(!ac.raw.to_string().contains("super-secret"));
        assert!(!format!("{ac:?}").contains("super-secret"));
    }

    #[test]
    fn non_objects_decode_to_defaults() {
        let m: Method = decode(json!("nonsense"));
        assert_eq!(m.id, None);
        assert!(decode_list::<Method>(json!({"not": "a list"})).is_none());
    }

    #[test]
    fn parameters_keep_their_order_and_lookups() {
        let m: Method = decode(json!({"Parameters": [{
            "Id": 1, "DisplayOrder": "3", "Values": ["a", null, "b"],
            "Triggers": [
                {"Name": "no method"},
                {"AccountConnectorId": 0, "MethodId": "512201", "HumanReadableKey": "[records].Email", "IdentifierKey": "[records].Id"}
            ]
        }]}));
        let p = &m.parameters[0];
        assert_eq!(p.display_order, Some(3));
        assert_eq!(p.values, ["a", "b"]);
        let lookup = p.lookup().unwrap();
        assert_eq!(lookup.method_id, Some(512_201));
        assert_eq!(lookup.account_connector(204_511), 204_511);
        let elsewhere = Trigger {
            account_connector_id: Some(7),
            ..Trigger::default()
        };
        assert_eq!(elsewhere.account_connector(204_511), 7);
    }
}
