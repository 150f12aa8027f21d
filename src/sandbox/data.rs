//! The sandbox's data model: accounts, connectors with their methods, account connectors
//! and seed records, loaded from `assets/sandbox/*.json` (embedded) or a data directory.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::SandboxError;
use super::generate;

/// Names of the data files, in load order.
pub const DATA_FILES: [&str; 4] = [
    "accounts.json",
    "connectors.json",
    "account_connectors.json",
    "records.json",
];

const EMBEDDED: [&str; 4] = [
    include_str!("../../assets/sandbox/accounts.json"),
    include_str!("../../assets/sandbox/connectors.json"),
    include_str!("../../assets/sandbox/account_connectors.json"),
    include_str!("../../assets/sandbox/records.json"),
];

/// Client credentials and well-known ids, from `accounts.json` → `Credentials`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct CredentialsFile {
    pub client_id: String,
    pub client_secret: String,
    pub static_token: String,
    pub demo_account_id: String,
    pub restricted_account_id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AccountsFile {
    credentials: CredentialsFile,
    accounts: Vec<Map<String, Value>>,
}

/// An account: its public JSON plus sandbox-only settings.
#[derive(Debug, Clone)]
pub(crate) struct Account {
    pub id: String,
    /// The Account object exactly as the API returns it.
    pub json: Map<String, Value>,
    /// Caller IPs allowed to use proxy/test endpoints (exact addresses or CIDR blocks).
    pub ip_allow_list: Vec<String>,
}

/// A parameter, request field or response field of a method.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Field {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default = "yes")]
    pub is_optional: bool,
    #[serde(default = "text")]
    pub data_type: String,
    #[serde(default)]
    pub target_type: Option<String>,
    #[serde(default)]
    pub target_name: Option<String>,
    #[serde(default)]
    pub values: Option<Vec<String>>,
    #[serde(default)]
    pub trigger_name: Option<String>,
    #[serde(default)]
    pub display_order: i64,
    /// Where the values can be looked up (Cyclr's `Triggers`: `MethodId`,
    /// `HumanReadableKey`, `IdentifierKey`…), kept as written; `null` when there are none.
    #[serde(default)]
    pub triggers: Option<Vec<Value>>,
}

fn yes() -> bool {
    true
}
fn text() -> String {
    "Text".to_owned()
}

/// What a method does when called through the proxy (sandbox-only, never serialised).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Behaviour {
    pub kind: String,
    pub entity: Option<String>,
    pub id_key: Option<String>,
    pub id_prefix: Option<String>,
    pub id_parameter: Option<i64>,
    pub page_parameter: Option<i64>,
    pub page_size_parameter: Option<i64>,
    pub default_page_size: Option<usize>,
    #[serde(default)]
    pub filters: Vec<Filter>,
    /// Records whose `Key` is on or after the parameter's value (ISO 8601 text, compared as
    /// text); no filter when the parameter is not given or empty.
    pub since: Option<Filter>,
    pub wrap: Option<String>,
    pub wrap_one: Option<String>,
    pub total_key: Option<String>,
    pub extra: Option<Map<String, Value>>,
    pub delay_ms: Option<u64>,
    pub count: Option<usize>,
    pub pad_bytes: Option<usize>,
    pub status: Option<u16>,
    pub content_type: Option<String>,
    pub body: Option<Value>,
}

/// A list filter: records whose `Key` equals (one of the comma-separated) parameter values
/// (or, as `Since`, is not before the value).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Filter {
    pub parameter: i64,
    pub key: String,
}

/// A connector method (release-specific), serialised as in `GET /connectors/{id}/methods`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Method {
    pub id: i64,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default = "action")]
    pub method_type: String,
    #[serde(default)]
    pub end_point: Option<String>,
    pub method_unique_identifier: String,
    #[serde(default)]
    pub parameters: Vec<Field>,
    #[serde(default)]
    pub request_fields: Vec<Field>,
    #[serde(default)]
    pub response_fields: Vec<Field>,
    #[serde(skip_serializing, default)]
    pub behaviour: Behaviour,
}

fn action() -> String {
    "Action".to_owned()
}

/// A connector release: its public JSON (no methods) plus its methods.
#[derive(Debug, Clone)]
pub(crate) struct Connector {
    pub id: i64,
    pub name: String,
    pub categories: Vec<String>,
    pub json: Map<String, Value>,
    pub methods: Vec<Method>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Property {
    pub id: i64,
    pub name: String,
    pub value: Option<String>,
}

/// An installed connector in an account.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AccountConnector {
    pub id: i64,
    pub account_id: String,
    pub connector_id: i64,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub auth_value: Option<String>,
    #[serde(default)]
    pub authenticated: bool,
    #[serde(default)]
    pub is_partner_integration_connector: bool,
    #[serde(default)]
    pub properties: Vec<Property>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AccountConnectorsFile {
    account_connectors: Vec<AccountConnector>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RecordsFile {
    records: HashMap<String, HashMap<String, Vec<Value>>>,
}

/// Seed records of one connector: entity name → records.
pub(crate) type Entities = HashMap<String, Vec<Value>>;

/// Everything loaded, with lookup indexes.
#[derive(Debug)]
pub(crate) struct Data {
    pub credentials: CredentialsFile,
    pub accounts: Vec<Account>,
    pub connectors: Vec<Connector>,
    pub account_connectors: Vec<AccountConnector>,
    /// Seed records per connector release id.
    pub records: HashMap<i64, Entities>,
    account_index: HashMap<String, usize>,
    connector_index: HashMap<i64, usize>,
    method_index: HashMap<i64, (usize, usize)>,
    guid_index: HashMap<String, i64>,
    ac_index: HashMap<i64, usize>,
    by_account: HashMap<String, Vec<usize>>,
}

fn bad(file: &str, reason: impl Into<String>) -> SandboxError {
    SandboxError::BadData {
        file: file.to_owned(),
        reason: reason.into(),
    }
}

fn parse<T: serde::de::DeserializeOwned>(file: &str, text: &str) -> Result<T, SandboxError> {
    serde_json::from_str(text).map_err(|e| bad(file, e.to_string()))
}

/// Loads the embedded data (`dir == None`) or the same file names from `dir`.
pub(crate) fn load(dir: Option<&Path>) -> Result<Data, SandboxError> {
    let mut texts: Vec<std::borrow::Cow<'static, str>> = Vec::with_capacity(DATA_FILES.len());
    for (i, file) in DATA_FILES.iter().enumerate() {
        match dir {
            None => texts.push(EMBEDDED[i].into()),
            Some(dir) => {
                let path = dir.join(file);
                let text = std::fs::read_to_string(&path)
                    .map_err(|source| SandboxError::ReadData { path, source })?;
                texts.push(text.into());
            }
        }
    }
    let accounts_file: AccountsFile = parse(DATA_FILES[0], &texts[0])?;
    let connectors: Value = parse(DATA_FILES[1], &texts[1])?;
    let acs: AccountConnectorsFile = parse(DATA_FILES[2], &texts[2])?;
    let records: RecordsFile = parse(DATA_FILES[3], &texts[3])?;

    let credentials = accounts_file.credentials;
    let (accounts, generated_counts) = load_accounts(accounts_file.accounts)?;
    let connectors = load_connectors(&connectors)?;
    let mut account_connectors = acs.account_connectors;
    let mut seed = HashMap::new();
    for (key, entities) in records.records {
        let id: i64 = key.parse().map_err(|_| {
            bad(
                DATA_FILES[3],
                format!("record key '{key}' is not a connector id"),
            )
        })?;
        seed.insert(id, entities);
    }
    for (account, count) in generated_counts {
        generate::account_connectors(&account, count, &connectors, &mut account_connectors);
    }
    Data::build(credentials, accounts, connectors, account_connectors, seed)
}

/// Accounts that ask for generated account connectors: (account id, count).
type GeneratedCounts = Vec<(String, usize)>;

fn load_accounts(
    raw: Vec<Map<String, Value>>,
) -> Result<(Vec<Account>, GeneratedCounts), SandboxError> {
    let file = DATA_FILES[0];
    let mut out = Vec::with_capacity(raw.len());
    let mut generated = Vec::new();
    for (i, mut json) in raw.into_iter().enumerate() {
        let id = match json.get("Id") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
            _ => return Err(bad(file, format!("account #{} has no string Id", i + 1))),
        };
        if !matches!(json.get("Name"), Some(Value::String(_))) {
            return Err(bad(file, format!("account '{id}' has no string Name")));
        }
        let ip_allow_list = match json.remove("IpAllowList") {
            None | Some(Value::Null) => Vec::new(),
            Some(v) => serde_json::from_value::<Vec<String>>(v)
                .map_err(|e| bad(file, format!("account '{id}': IpAllowList: {e}")))?,
        };
        match json.remove("GeneratedConnectors") {
            None | Some(Value::Null) => {}
            Some(v) => {
                let n = v.as_u64().ok_or_else(|| {
                    bad(
                        file,
                        format!("account '{id}': GeneratedConnectors is not a count"),
                    )
                })?;
                generated.push((id.clone(), n as usize));
            }
        }
        out.push(Account {
            id,
            json,
            ip_allow_list,
        });
    }
    Ok((out, generated))
}

fn load_connectors(root: &Value) -> Result<Vec<Connector>, SandboxError> {
    let file = DATA_FILES[1];
    let Some(Value::Array(list)) = root.get("Connectors").cloned() else {
        return Err(bad(file, "expected an object with a \"Connectors\" array"));
    };
    let mut out = Vec::with_capacity(list.len());
    for (i, item) in list.into_iter().enumerate() {
        let Value::Object(mut json) = item else {
            return Err(bad(file, format!("connector #{} is not an object", i + 1)));
        };
        let id = json
            .get("Id")
            .and_then(Value::as_i64)
            .ok_or_else(|| bad(file, format!("connector #{} has no integer Id", i + 1)))?;
        let name = json
            .get("Name")
            .and_then(Value::as_str)
            .ok_or_else(|| bad(file, format!("connector {id} has no Name")))?
            .to_owned();
        let categories = match json.get("Categories") {
            Some(v) => serde_json::from_value::<Vec<String>>(v.clone())
                .map_err(|e| bad(file, format!("connector {id}: Categories: {e}")))?,
            None => Vec::new(),
        };
        let mut methods: Vec<Method> = match json.remove("Methods") {
            None | Some(Value::Null) => Vec::new(),
            Some(v) => serde_json::from_value(v)
                .map_err(|e| bad(file, format!("connector {id} ({name}): Methods: {e}")))?,
        };
        if let Some(v) = json.remove("GeneratedMethods") {
            let n = v.as_u64().ok_or_else(|| {
                bad(
                    file,
                    format!("connector {id}: GeneratedMethods is not a count"),
                )
            })?;
            generate::methods(id, n as usize, &mut methods);
        }
        out.push(Connector {
            id,
            name,
            categories,
            json,
            methods,
        });
    }
    Ok(out)
}

impl Data {
    fn build(
        credentials: CredentialsFile,
        accounts: Vec<Account>,
        connectors: Vec<Connector>,
        account_connectors: Vec<AccountConnector>,
        records: HashMap<i64, Entities>,
    ) -> Result<Data, SandboxError> {
        let mut account_index = HashMap::with_capacity(accounts.len());
        for (i, a) in accounts.iter().enumerate() {
            if account_index.insert(a.id.to_ascii_lowercase(), i).is_some() {
                return Err(bad(
                    DATA_FILES[0],
                    format!("duplicate account Id '{}'", a.id),
                ));
            }
        }
        for id in [
            &credentials.demo_account_id,
            &credentials.restricted_account_id,
        ] {
            if !account_index.contains_key(&id.to_ascii_lowercase()) {
                return Err(bad(
                    DATA_FILES[0],
                    format!("Credentials name unknown account '{id}'"),
                ));
            }
        }
        let mut connector_index = HashMap::new();
        let mut method_index = HashMap::new();
        let mut guid_index = HashMap::new();
        let mut element_ids = std::collections::HashSet::new();
        for (ci, c) in connectors.iter().enumerate() {
            if connector_index.insert(c.id, ci).is_some() {
                return Err(bad(
                    DATA_FILES[1],
                    format!("duplicate connector Id {}", c.id),
                ));
            }
            for (mi, m) in c.methods.iter().enumerate() {
                if method_index.insert(m.id, (ci, mi)).is_some() {
                    return Err(bad(DATA_FILES[1], format!("duplicate method Id {}", m.id)));
                }
                let guid = canonical_guid(&m.method_unique_identifier).ok_or_else(|| {
                    bad(
                        DATA_FILES[1],
                        format!("method {}: MethodUniqueIdentifier is not a GUID", m.id),
                    )
                })?;
                if guid_index.insert(guid, m.id).is_some() {
                    return Err(bad(
                        DATA_FILES[1],
                        format!("method {}: duplicate MethodUniqueIdentifier", m.id),
                    ));
                }
                for f in m
                    .parameters
                    .iter()
                    .chain(&m.request_fields)
                    .chain(&m.response_fields)
                {
                    if !element_ids.insert(f.id) {
                        return Err(bad(
                            DATA_FILES[1],
                            format!("method {}: duplicate parameter/field Id {}", m.id, f.id),
                        ));
                    }
                }
            }
        }
        let mut ac_index = HashMap::with_capacity(account_connectors.len());
        let mut by_account: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, ac) in account_connectors.iter().enumerate() {
            if ac_index.insert(ac.id, i).is_some() {
                return Err(bad(
                    DATA_FILES[2],
                    format!("duplicate account connector Id {}", ac.id),
                ));
            }
            let key = ac.account_id.to_ascii_lowercase();
            if !account_index.contains_key(&key) {
                return Err(bad(
                    DATA_FILES[2],
                    format!(
                        "account connector {}: unknown AccountId '{}'",
                        ac.id, ac.account_id
                    ),
                ));
            }
            if !connector_index.contains_key(&ac.connector_id) {
                return Err(bad(
                    DATA_FILES[2],
                    format!(
                        "account connector {}: unknown ConnectorId {}",
                        ac.id, ac.connector_id
                    ),
                ));
            }
            by_account.entry(key).or_default().push(i);
        }
        Ok(Data {
            credentials,
            accounts,
            connectors,
            account_connectors,
            records,
            account_index,
            connector_index,
            method_index,
            guid_index,
            ac_index,
            by_account,
        })
    }

    /// The account with this API id (case-insensitive, like Cyclr).
    pub fn account(&self, id: &str) -> Option<&Account> {
        self.account_index
            .get(&id.trim().to_ascii_lowercase())
            .map(|&i| &self.accounts[i])
    }

    /// The connector release with this id.
    pub fn connector(&self, id: i64) -> Option<&Connector> {
        self.connector_index.get(&id).map(|&i| &self.connectors[i])
    }

    /// A method by numeric id, with its connector.
    pub fn method(&self, id: i64) -> Option<(&Connector, &Method)> {
        self.method_index.get(&id).map(|&(ci, mi)| {
            let c = &self.connectors[ci];
            (c, &c.methods[mi])
        })
    }

    /// A method by `MethodUniqueIdentifier` (already canonical).
    pub fn method_by_guid(&self, guid: &str) -> Option<(&Connector, &Method)> {
        self.guid_index.get(guid).and_then(|&id| self.method(id))
    }

    /// The account connectors of an account, in data order.
    pub fn account_connectors_of(&self, account_id: &str) -> Vec<&AccountConnector> {
        self.by_account
            .get(&account_id.to_ascii_lowercase())
            .map(|v| v.iter().map(|&i| &self.account_connectors[i]).collect())
            .unwrap_or_default()
    }

    /// An account connector by id, only if it belongs to `account_id`.
    pub fn account_connector(&self, account_id: &str, id: i64) -> Option<&AccountConnector> {
        self.ac_index
            .get(&id)
            .map(|&i| &self.account_connectors[i])
            .filter(|ac| ac.account_id.eq_ignore_ascii_case(account_id))
    }

    /// An account connector's `Properties`: `[{Name, Value, Id, AccountConnectorId}]`.
    pub fn properties_json(ac: &AccountConnector) -> Vec<Value> {
        ac.properties
            .iter()
            .map(|p| {
                serde_json::json!({
                    "Name": p.name, "Value": p.value, "Id": p.id, "AccountConnectorId": ac.id
                })
            })
            .collect()
    }

    /// The full account connector JSON object, with the embedded connector.
    pub fn account_connector_json(&self, ac: &AccountConnector) -> Value {
        let connector = self
            .connector(ac.connector_id)
            .map_or(Value::Null, |c| Value::Object(c.json.clone()));
        let properties = Self::properties_json(ac);
        serde_json::json!({
            "Id": ac.id,
            "Name": ac.name,
            "Description": ac.description,
            "AuthValue": ac.auth_value,
            "Authenticated": ac.authenticated,
            "Connector": connector,
            "IsPartnerIntegrationConnector": ac.is_partner_integration_connector,
            "Properties": properties,
            "CustomFields": [],
        })
    }
}

/// Normalises a GUID (`N`, `D`, `B` or `P` .NET formats) to lower-case hyphenated form.
pub(crate) fn canonical_guid(s: &str) -> Option<String> {
    let s = s.trim();
    let inner = s
        .strip_prefix('{')
        .and_then(|x| x.strip_suffix('}'))
        .or_else(|| s.strip_prefix('(').and_then(|x| x.strip_suffix(')')))
        .unwrap_or(s);
    let hex: String = if inner.len() == 36 {
        let b = inner.as_bytes();
        if [8, 13, 18, 23].iter().any(|&i| b[i] != b'-') {
            return None;
        }
        inner.chars().filter(|&c| c != '-').collect()
    } else if inner.len() == 32 {
        inner.to_owned()
    } else {
        return None;
    };
    if hex.len() != 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let h = hex.to_ascii_lowercase();
    Some(format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    ))
}
