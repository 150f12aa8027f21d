//! Black-box tests of the built-in Cyclr-compatible sandbox, over real HTTP.

use std::time::{Duration, Instant};

use cyclr_tui::sandbox::{DATA_FILES, Sandbox, SandboxConfig, SandboxError};
use reqwest::{Client, Response};
use serde_json::{Value, json};
use tokio::time::timeout;

const DEMO: &str = "acme-prod";
const RESTRICTED: &str = "8f14e45f-ceea-4c67-9f6e-2b1d3c5a7e90";
const SF: i64 = 204511; // Salesforce (Sales Team), Connector 5122
const TOOLS: i64 = 204520; // HTTP Bin (Demo Tools), Connector 9001
const T: Duration = Duration::from_secs(10);

struct Env {
    sb: Sandbox,
    http: Client,
}

async fn env() -> Env {
    let sb = Sandbox::start(SandboxConfig::default())
        .await
        .expect("sandbox starts");
    Env {
        sb,
        http: Client::new(),
    }
}

impl Env {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sb.base_url())
    }

    async fn token_form(&self, form: &str) -> Response {
        let req = self
            .http
            .post(self.url("/oauth/token"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.to_owned());
        timeout(T, req.send())
            .await
            .expect("in time")
            .expect("sent")
    }

    async fn token(&self) -> String {
        let d = self.sb.demo();
        let r = self
            .token_form(&format!(
                "grant_type=client_credentials&client_id={}&client_secret={}",
                d.client_id, d.client_secret
            ))
            .await;
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.expect("json");
        v["access_token"].as_str().expect("token").to_owned()
    }

    async fn get(&self, path: &str, token: Option<&str>, account: Option<&str>) -> Response {
        let mut req = self.http.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(a) = account {
            req = req.header("X-Cyclr-Account", a);
        }
        timeout(T, req.send())
            .await
            .expect("in time")
            .expect("sent")
    }

    async fn post(&self, path: &str, token: &str, account: &str, body: &str) -> Response {
        let req = self
            .http
            .post(self.url(path))
            .bearer_auth(token)
            .header("X-Cyclr-Account", account)
            .header("content-type", "application/json")
            .body(body.to_owned());
        timeout(T, req.send())
            .await
            .expect("in time")
            .expect("sent")
    }

    async fn call(&self, ac: i64, method: &str, body: Value) -> Response {
        let token = self.sb.demo().static_token.clone();
        self.post(
            &format!("/v1.0/account/connectors/{ac}/methods/{method}"),
            &token,
            DEMO,
            &body.to_string(),
        )
        .await
    }
}

async fn json_of(r: Response) -> Value {
    timeout(T, r.json::<Value>())
        .await
        .expect("in time")
        .expect("json body")
}

fn header(r: &Response, name: &str) -> String {
    r.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

/// All string values and keys of a JSON document, concatenated.
fn strings(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(strings).collect(),
        Value::Object(o) => o.iter().fold(String::new(), |mut all, (k, v)| {
            all.push_str(k);
            all.push_str(&strings(v));
            all
        }),
        _ => String::new(),
    }
}

async fn message(r: Response) -> String {
    json_of(r).await["Message"]
        .as_str()
        .unwrap_or("")
        .to_owned()
}

#[tokio::test]
async fn token_grant_good_bad_and_scoped() {
    let e = env().await;
    let d = e.sb.demo().clone();
    let ok = e
        .token_form(&format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            d.client_id, d.client_secret
        ))
        .await;
    assert_eq!(ok.status(), 200);
    assert_eq!(header(&ok, "x-content-type-options"), "nosniff");
    let v = json_of(ok).await;
    assert_eq!(v["token_type"], "bearer");
    assert_eq!(v["expires_in"], 1_209_599);
    assert_eq!(v["clientId"], d.client_id.as_str());
    assert!(v[".issued"].as_str().is_some_and(|s| s.ends_with("GMT")));
    assert!(v[".expires"].is_string());
    assert!(v["access_token"].as_str().is_some_and(|t| t.len() >= 32));

    let bad = e
        .token_form(&format!(
            "grant_type=client_credentials&client_id={}&client_secret=nope",
            d.client_id
        ))
        .await;
    assert_eq!(bad.status(), 400);
    assert_eq!(json_of(bad).await["error"], "invalid_client");
    let grant = e
        .token_form("grant_type=password&username=a&password=b")
        .await;
    assert_eq!(grant.status(), 400);
    assert_eq!(json_of(grant).await["error"], "unsupported_grant_type");

    // HTTP Basic client authentication.
    let basic = e
        .http
        .post(e.url("/oauth/token"))
        .basic_auth(&d.client_id, Some(&d.client_secret))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .expect("sent");
    assert_eq!(basic.status(), 200);

    // Account-restricted token.
    let scoped = e
        .token_form(&format!(
            "grant_type=client_credentials&client_id={}&client_secret={}&scope=account%3A{DEMO}",
            d.client_id, d.client_secret
        ))
        .await;
    assert_eq!(scoped.status(), 200);
    let st = json_of(scoped).await["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    assert_eq!(
        e.get("/v1.0/account/connectors", Some(&st), Some(DEMO))
            .await
            .status(),
        200
    );
    assert_eq!(
        e.get("/v1.0/account/connectors", Some(&st), Some(RESTRICTED))
            .await
            .status(),
        401
    );
    let bad_scope = e
        .token_form(&format!(
            "grant_type=client_credentials&client_id={}&client_secret={}&scope=account:nope",
            d.client_id, d.client_secret
        ))
        .await;
    assert_eq!(bad_scope.status(), 400);
}

#[tokio::test]
async fn unauthorised_requests() {
    let e = env().await;
    let token = e.token().await;
    let none = e.get("/v1.0/account/connectors", None, Some(DEMO)).await;
    assert_eq!(none.status(), 401);
    assert_eq!(header(&none, "x-content-type-options"), "nosniff");
    assert_eq!(
        message(none).await,
        "Authorization has been denied for this request."
    );
    assert_eq!(
        e.get("/v1.0/accounts", Some("garbage"), None)
            .await
            .status(),
        401
    );

    let no_account = e.get("/v1.0/account/connectors", Some(&token), None).await;
    assert_eq!(no_account.status(), 401);
    assert!(message(no_account).await.contains("X-Cyclr-Account"));
    let unknown = e
        .get(
            "/v1.0/account/connectors",
            Some(&token),
            Some("no-such-account"),
        )
        .await;
    // As Cyclr does: an account the credentials cannot reach is a plain denial.
    assert_eq!(unknown.status(), 401);

    assert_eq!(
        e.get("/v1.0/account/connectors", Some(&token), Some(DEMO))
            .await
            .status(),
        200
    );
    e.sb.expire_tokens();
    let expired = e
        .get("/v1.0/account/connectors", Some(&token), Some(DEMO))
        .await;
    assert_eq!(expired.status(), 401);
    // The static token never expires; a fresh token works again.
    let stat = e.sb.demo().static_token.clone();
    assert_eq!(
        e.get("/v1.0/accounts", Some(&stat), None).await.status(),
        200
    );
    let fresh = e.token().await;
    assert_eq!(
        e.get("/v1.0/accounts", Some(&fresh), None).await.status(),
        200
    );

    let client = e.sb.demo().client_id.clone();
    e.sb.revoke_client(&client);
    assert_eq!(
        e.get("/v1.0/accounts", Some(&fresh), None).await.status(),
        401
    );
    let d = e.sb.demo().clone();
    let r = e
        .token_form(&format!(
            "grant_type=client_credentials&client_id={}&client_secret={}",
            d.client_id, d.client_secret
        ))
        .await;
    assert_eq!(r.status(), 400);
    assert_eq!(json_of(r).await["error"], "invalid_client");
}

#[tokio::test]
async fn accounts_paging_and_errors() {
    let e = env().await;
    let t = e.sb.demo().static_token.clone();
    let mut ids = Vec::new();
    for page in 1..=3 {
        let r = e
            .get(
                &format!("/v1.0/accounts?page={page}&pageSize=2"),
                Some(&t),
                None,
            )
            .await;
        assert_eq!(r.status(), 200);
        assert_eq!(header(&r, "Total-Pages"), "3");
        assert_eq!(header(&r, "Total-Records"), "5");
        let v = json_of(r).await;
        for a in v.as_array().expect("bare array") {
            ids.push(a["Id"].as_str().expect("id").to_owned());
            assert!(
                a.get("IpAllowList").is_none(),
                "sandbox-only keys stay private"
            );
        }
    }
    assert_eq!(ids.len(), 5);
    assert!(ids.contains(&DEMO.to_owned()) && ids.contains(&RESTRICTED.to_owned()));
    let past = e
        .get("/v1.0/accounts?page=9&pageSize=2", Some(&t), None)
        .await;
    assert_eq!(json_of(past).await, json!([]));
    for bad in ["page=0", "pageSize=0", "page=abc", "pageSize=-1"] {
        let r = e
            .get(&format!("/v1.0/accounts?{bad}"), Some(&t), None)
            .await;
        assert_eq!(r.status(), 400, "{bad}");
        assert!(!message(r).await.is_empty());
    }
    let one = e
        .get(&format!("/v1.0/accounts/{DEMO}"), Some(&t), None)
        .await;
    assert_eq!(json_of(one).await["Name"], "Acme Corp (Production)");
    let nope = e.get("/v1.0/nothing/here", Some(&t), None).await;
    assert_eq!(nope.status(), 404);
    assert_eq!(header(&nope, "x-content-type-options"), "nosniff");
    assert!(
        message(nope).await.starts_with(
            "No HTTP resource was found that matches the request URI 'http://127.0.0.1:"
        )
    );
}

#[tokio::test]
async fn account_connectors_list_and_get() {
    let e = env().await;
    let t = e.sb.demo().static_token.clone();
    let r = e
        .get("/v1.0/account/connectors", Some(&t), Some(DEMO))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "Total-Pages"), "1");
    let list = json_of(r).await;
    let list = list.as_array().expect("array");
    assert_eq!(list.len(), 11);
    let first = &list[0];
    assert_eq!(first["Id"], SF);
    assert_eq!(first["Name"], "Salesforce (Sales Team)");
    assert_eq!(first["Connector"]["Id"], 5122);
    assert!(
        first["Connector"]["Icon"]
            .as_str()
            .is_some_and(|s| s.starts_with("data:image/"))
    );
    assert!(
        first["AuthValue"]
            .as_str()
            .is_some_and(|s| s.contains("AccessToken"))
    );
    assert_eq!(first["IsPartnerIntegrationConnector"], false);
    assert_eq!(first["Properties"][0]["AccountConnectorId"], SF);
    assert!(list.iter().any(|ac| ac["Authenticated"] == false));
    let one = e
        .get(
            &format!("/v1.0/account/connectors/{TOOLS}"),
            Some(&t),
            Some(DEMO),
        )
        .await;
    assert_eq!(json_of(one).await["Connector"]["Id"], 9001);
    let other = e
        .get("/v1.0/account/connectors/318801", Some(&t), Some(DEMO))
        .await;
    assert_eq!(other.status(), 404);
    let restricted = json_of(
        e.get("/v1.0/account/connectors", Some(&t), Some(RESTRICTED))
            .await,
    )
    .await;
    let partners: Vec<&Value> = restricted
        .as_array()
        .expect("array")
        .iter()
        .filter(|a| a["IsPartnerIntegrationConnector"] == true)
        .collect();
    assert_eq!(partners.len(), 1);
}

#[tokio::test]
async fn catalogue_and_methods() {
    let e = env().await;
    let t = e.sb.demo().static_token.clone();
    let crm = json_of(
        e.get("/v1.0/connectors?category=CRMs", Some(&t), Some(DEMO))
            .await,
    )
    .await;
    assert_eq!(crm.as_array().map(Vec::len), Some(2));
    let sf = json_of(
        e.get("/v1.0/connectors?query=sales", Some(&t), Some(DEMO))
            .await,
    )
    .await;
    assert_eq!(sf[0]["Name"], "Salesforce");
    assert_eq!(
        json_of(e.get("/v1.0/connectors/5122", Some(&t), Some(DEMO)).await).await["Version"],
        "v58.0"
    );

    let all = json_of(
        e.get("/v1.0/connectors/5122/methods", Some(&t), Some(DEMO))
            .await,
    )
    .await;
    let all = all.as_array().expect("array");
    assert!(all.len() >= 10);
    let m = &all[0];
    for key in [
        "Id",
        "Name",
        "Description",
        "Category",
        "MethodType",
        "EndPoint",
        "MethodUniqueIdentifier",
        "Parameters",
        "RequestFields",
        "ResponseFields",
    ] {
        assert!(m.get(key).is_some(), "{key}");
    }
    assert!(m.get("Behaviour").is_none());
    let p = &m["Parameters"][0];
    for key in [
        "Id",
        "Name",
        "IsOptional",
        "DataType",
        "TargetType",
        "TargetName",
        "Values",
        "TriggerName",
        "DisplayOrder",
    ] {
        assert!(p.get(key).is_some(), "parameter {key}");
    }
    let contacts = json_of(
        e.get(
            "/v1.0/connectors/5122/methods?query=contact",
            Some(&t),
            Some(DEMO),
        )
        .await,
    )
    .await;
    assert_eq!(contacts.as_array().map(Vec::len), Some(5));
    let lookups = json_of(
        e.get(
            "/v1.0/connectors/5122/methods?category=Lookups",
            Some(&t),
            Some(DEMO),
        )
        .await,
    )
    .await;
    let lookups = lookups.as_array().expect("array");
    assert!(!lookups.is_empty() && lookups.iter().all(|m| m["Category"] == "Lookups"));

    let by_id = json_of(e.get("/v1.0/methods/512203", Some(&t), Some(DEMO)).await).await;
    let guid = by_id["MethodUniqueIdentifier"]
        .as_str()
        .expect("guid")
        .to_owned();
    let by_guid = json_of(
        e.get(&format!("/v1.0/methods/{guid}"), Some(&t), Some(DEMO))
            .await,
    )
    .await;
    assert_eq!(by_id, by_guid);
    let upper = json_of(
        e.get(
            &format!("/v1.0/methods/{}", guid.to_uppercase()),
            Some(&t),
            Some(DEMO),
        )
        .await,
    )
    .await;
    assert_eq!(upper["Id"], 512203);
    assert_eq!(
        e.get("/v1.0/methods/not-a-guid", Some(&t), Some(DEMO))
            .await
            .status(),
        400
    );
    assert_eq!(
        e.get(
            "/v1.0/methods/7e62aa42-20be-597a-a8d0-2690ab34fa3",
            Some(&t),
            Some(DEMO)
        )
        .await
        .status(),
        400
    );
    assert_eq!(
        e.get("/v1.0/methods/999999999", Some(&t), Some(DEMO))
            .await
            .status(),
        404
    );
    assert_eq!(
        e.get(
            "/v1.0/methods/00000000-0000-0000-0000-000000000000",
            Some(&t),
            Some(DEMO)
        )
        .await
        .status(),
        404
    );
}

#[tokio::test]
async fn proxy_create_then_list_and_validation() {
    let e = env().await;
    let created = e
        .call(SF, "512203", json!({"Parameters": {}, "Fields": {"3400014": "Linus", "3400015": "Torvalds", "3400016": "linus@example.org"}, "Mergefields": {}}))
        .await;
    assert_eq!(created.status(), 200);
    let rec = json_of(created).await;
    let id = rec["Id"].as_str().expect("new id").to_owned();
    assert_eq!(rec["LastName"], "Torvalds");

    let list = json_of(e.call(SF, "512201", json!({})).await).await;
    let records = list["records"].as_array().expect("records");
    assert!(records.iter().any(|r| r["Id"] == id.as_str()));
    assert_eq!(list["totalSize"], records.len());
    // The list method's own paging parameters.
    let paged = json_of(
        e.call(
            SF,
            "512201",
            json!({"Parameters": {"3400001": 2, "3400002": "2"}}),
        )
        .await,
    )
    .await;
    assert_eq!(paged["records"].as_array().map(Vec::len), Some(2));

    // Get by id via the GUID of "Get Contact"; a missing record is a third-party 404.
    let get_guid = "b7782b70-d3e8-5687-bcac-fd1d8eb9427b";
    let got = json_of(
        e.call(SF, get_guid, json!({"Parameters": {"3400008": id}}))
            .await,
    )
    .await;
    assert_eq!(got["Email"], "linus@example.org");
    let missing = e
        .call(SF, get_guid, json!({"Parameters": {"3400008": "nope"}}))
        .await;
    assert_eq!(missing.status(), 404);
    assert!(!message(missing).await.is_empty());

    // Update then delete.
    let upd = json_of(
        e.call(
            SF,
            "512204",
            json!({"Parameters": {"3400026": id}, "Fields": {"3400031": "Chief Penguin"}}),
        )
        .await,
    )
    .await;
    assert_eq!(upd["Title"], "Chief Penguin");
    assert_eq!(
        e.call(SF, "512205", json!({"Parameters": {"3400039": id}}))
            .await
            .status(),
        200
    );
    assert_eq!(
        e.call(SF, get_guid, json!({"Parameters": {"3400008": id}}))
            .await
            .status(),
        404
    );

    // Validation.
    let unknown = e
        .call(SF, "512201", json!({"Parameters": {"424242": "x"}}))
        .await;
    assert_eq!(unknown.status(), 400);
    assert!(message(unknown).await.contains("424242"));
    let field_as_param = e
        .call(SF, "512203", json!({"Parameters": {"3400014": "x"}}))
        .await;
    assert_eq!(field_as_param.status(), 400);
    let required = e.call(SF, "512202", json!({})).await;
    assert_eq!(required.status(), 400);
    assert!(message(required).await.contains("Contact Id"));
    let required_field = e
        .call(SF, "512203", json!({"Fields": {"3400014": "OnlyFirst"}}))
        .await;
    assert_eq!(required_field.status(), 400);
    let token = e.sb.demo().static_token.clone();
    let bad_json = e
        .post(
            &format!("/v1.0/account/connectors/{SF}/methods/512201"),
            &token,
            DEMO,
            "{not json",
        )
        .await;
    assert_eq!(bad_json.status(), 400);
    let empty = e
        .post(
            &format!("/v1.0/account/connectors/{SF}/methods/512201"),
            &token,
            DEMO,
            "",
        )
        .await;
    assert_eq!(empty.status(), 200);
    assert_eq!(e.call(SF, "not-a-guid", json!({})).await.status(), 400);
    assert_eq!(e.call(SF, "999999", json!({})).await.status(), 404);
    assert_eq!(
        e.call(SF, "438101", json!({})).await.status(),
        404,
        "HubSpot method on a Salesforce connector"
    );
    assert_eq!(e.call(999, "512201", json!({})).await.status(), 404);

    // /test runs the same behaviour; /body takes a raw JSON string.
    let test = e
        .post(
            &format!("/v1.0/account/connectors/{SF}/test/512201"),
            &token,
            DEMO,
            "{}",
        )
        .await;
    assert_eq!(test.status(), 200);
    let raw =
        json!(json!({"Parameters": {"3400008": "0035g00000Xy1AbAAJ"}}).to_string()).to_string();
    let body = e
        .post(
            &format!("/v1.0/account/connectors/{SF}/methods/512202/body"),
            &token,
            DEMO,
            &raw,
        )
        .await;
    assert_eq!(json_of(body).await["FirstName"], "Ada");
    let body_bad = e
        .post(
            &format!("/v1.0/account/connectors/{SF}/methods/512202/body"),
            &token,
            DEMO,
            "<xml/>",
        )
        .await;
    assert_eq!(body_bad.status(), 400);
    let legacy = e
        .get(
            &format!("/v1.0/account/connectors/{SF}/methods/512201"),
            Some(&token),
            Some(DEMO),
        )
        .await;
    assert_eq!(legacy.status(), 200);
}

#[tokio::test]
async fn ip_allow_list() {
    let e = env().await;
    let t = e.sb.demo().static_token.clone();
    let denied = e
        .post(
            "/v1.0/account/connectors/318801/methods/512201",
            &t,
            RESTRICTED,
            "{}",
        )
        .await;
    assert_eq!(denied.status(), 403);
    assert_eq!(
        message(denied).await,
        "Unknown client IP Address: contact support to request access for this IP address"
    );
    let test = e
        .post(
            "/v1.0/account/connectors/318801/test/512201",
            &t,
            RESTRICTED,
            "{}",
        )
        .await;
    assert_eq!(test.status(), 403);
    let partner = e
        .post(
            "/v1.0/account/connectors/318803/methods/910001",
            &t,
            RESTRICTED,
            "{}",
        )
        .await;
    assert_eq!(partner.status(), 200);
    assert!(
        json_of(partner)
            .await
            .as_array()
            .is_some_and(|a| !a.is_empty())
    );
}

#[tokio::test]
async fn non_json_and_hostile_responses() {
    let e = env().await;
    let html = e.call(TOOLS, "900106", json!({})).await;
    assert_eq!(html.status(), 502);
    assert!(header(&html, "content-type").starts_with("text/html"));
    assert!(html.text().await.expect("text").contains("<html>"));
    let csv = e.call(TOOLS, "900109", json!({})).await;
    assert_eq!(csv.status(), 200);
    assert!(header(&csv, "content-type").starts_with("text/csv"));
    let plain = e.call(TOOLS, "900110", json!({})).await;
    assert!(header(&plain, "content-type").starts_with("text/plain"));
    let hostile = e.call(TOOLS, "900111", json!({})).await;
    assert_eq!(hostile.status(), 200);
    let text = hostile.text().await.expect("text");
    let v: Value = serde_json::from_str(&text).expect("json");
    let all = strings(&v);
    for needle in [
        "\u{1b}[2J",
        "\u{1b}]52;c;aGVsbG8=\u{7}",
        "\u{202e}",
        "\u{200b}",
        "株式会社",
        "🚀",
        "\u{9b}",
    ] {
        assert!(all.contains(needle), "{needle:?}");
    }
    let rate = e.call(TOOLS, "900107", json!({})).await;
    assert_eq!(rate.status(), 429);
    let echo = json_of(
        e.call(
            TOOLS,
            "900101",
            json!({"Parameters": {"3400315": "hi", "3400316": 3}, "Fields": {"3400318": true}}),
        )
        .await,
    )
    .await;
    assert_eq!(echo["parameters"]["Count"], "3");
    assert_eq!(echo["fields"]["Flag"], "true");
}

#[tokio::test]
async fn large_responses() {
    let e = env().await;
    let big = e.call(TOOLS, "900103", json!({})).await;
    assert_eq!(big.status(), 200);
    let bytes = timeout(Duration::from_mins(1), big.bytes())
        .await
        .expect("in time")
        .expect("body");
    assert!(
        (9_000_000..16_000_000).contains(&bytes.len()),
        "{} bytes",
        bytes.len()
    );
    let v: Value = serde_json::from_slice(&bytes).expect("json");
    assert_eq!(v["records"].as_array().map(Vec::len), Some(100_000));
    let page = json_of(
        e.call(
            TOOLS,
            "900105",
            json!({"Parameters": {"3400319": "3", "3400320": "50"}}),
        )
        .await,
    )
    .await;
    assert_eq!(page.as_array().map(Vec::len), Some(50));
    assert_eq!(page[0]["id"], 101);
}

#[tokio::test]
async fn slow_method_does_not_block_other_requests() {
    let e = env().await;
    let slow_url = e.url(&format!("/v1.0/account/connectors/{TOOLS}/methods/900102"));
    let token = e.sb.demo().static_token.clone();
    let started = Instant::now();
    let slow = tokio::spawn(
        e.http
            .post(slow_url)
            .bearer_auth(token)
            .header("X-Cyclr-Account", DEMO)
            .body("{}")
            .send(),
    );
    // While the slow call is in flight, other requests are answered promptly.
    for _ in 0..3 {
        let r = timeout(Duration::from_secs(2), e.call(SF, "512201", json!({})))
            .await
            .expect("fast call not blocked");
        assert_eq!(r.status(), 200);
    }
    assert!(!slow.is_finished());
    let r = timeout(Duration::from_secs(15), slow)
        .await
        .expect("slow call finishes")
        .expect("join")
        .expect("sent");
    assert_eq!(r.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(3900));
}

#[tokio::test]
async fn generated_big_account() {
    // Start-up speed is measured by the benchmarks, not asserted here.
    let sb = Sandbox::start(SandboxConfig::default())
        .await
        .expect("start");
    let http = Client::new();
    let t = sb.demo().static_token.clone();
    let r = http
        .get(format!(
            "{}/v1.0/account/connectors?pageSize=500",
            sb.base_url()
        ))
        .bearer_auth(&t)
        .header("X-Cyclr-Account", "big-account")
        .send()
        .await
        .expect("sent");
    assert_eq!(r.headers()["Total-Records"], "10001");
    assert_eq!(r.headers()["Total-Pages"], "21");
    assert_eq!(
        r.json::<Value>()
            .await
            .expect("json")
            .as_array()
            .map(Vec::len),
        Some(500)
    );
    let clamp = http
        .get(format!(
            "{}/v1.0/account/connectors?pageSize=100000",
            sb.base_url()
        ))
        .bearer_auth(&t)
        .header("X-Cyclr-Account", "big-account")
        .send()
        .await
        .expect("sent");
    assert_eq!(
        clamp
            .json::<Value>()
            .await
            .expect("json")
            .as_array()
            .map(Vec::len),
        Some(500)
    );
    let methods = http
        .get(format!("{}/v1.0/connectors/9999/methods", sb.base_url()))
        .bearer_auth(&t)
        .header("X-Cyclr-Account", "big-account")
        .send()
        .await
        .expect("sent");
    assert_eq!(
        methods
            .json::<Value>()
            .await
            .expect("json")
            .as_array()
            .map(Vec::len),
        Some(5000)
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn data_dir_loading_and_errors() {
    let dir = std::env::temp_dir().join(format!("cyclr-sandbox-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let assets = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../main/assets/sandbox");
    let assets = if assets.exists() {
        assets
    } else {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sandbox")
    };
    for f in DATA_FILES {
        std::fs::copy(assets.join(f), dir.join(f)).expect("copy");
    }
    let cfg = SandboxConfig {
        data_dir: Some(dir.clone()),
        ..SandboxConfig::default()
    };
    let sb = Sandbox::start(cfg.clone()).await.expect("loads from dir");
    assert_eq!(sb.demo().account_id, DEMO);
    drop(sb);
    std::fs::write(dir.join("records.json"), "{ nope").expect("write");
    match Sandbox::start(cfg.clone()).await {
        Err(err @ SandboxError::BadData { .. }) => {
            assert!(err.to_string().contains("records.json"), "{err}");
        }
        other => panic!("expected BadData, got {other:?}"),
    }
    std::fs::remove_file(dir.join("records.json")).expect("rm");
    assert!(matches!(
        Sandbox::start(cfg).await,
        Err(SandboxError::ReadData { .. })
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `GET /v1.0/account/connectors/{id}/properties`: the `Properties` array of the account
/// connector object, with the same authentication and 404s as the other routes.
#[tokio::test]
async fn account_connector_properties() {
    let e = env().await;
    let t = e.sb.demo().static_token.clone();
    let path = format!("/v1.0/account/connectors/{SF}/properties");
    let r = e.get(&path, Some(&t), Some(DEMO)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "x-content-type-options"), "nosniff");
    let properties = json_of(r).await;
    let object = json_of(
        e.get(
            &format!("/v1.0/account/connectors/{SF}"),
            Some(&t),
            Some(DEMO),
        )
        .await,
    )
    .await;
    assert_eq!(properties, object["Properties"]);
    let names: Vec<&str> = properties
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|p| p["Name"].as_str())
        .collect();
    assert_eq!(
        names,
        ["InstanceUrl", "ApiVersion", "ClientSecret", "WebhookSecret"]
    );
    assert_eq!(
        properties[0],
        json!({"Name": "InstanceUrl", "Value": "acme.my.salesforce.com", "Id": 2045111, "AccountConnectorId": SF})
    );
    // A connector without properties has an empty array.
    let hubspot = e
        .get(
            "/v1.0/account/connectors/204513/properties",
            Some(&t),
            Some(DEMO),
        )
        .await;
    assert_eq!(json_of(hubspot).await, json!([]));
    // Another account's connector, an unknown id, a non-numeric id: 404 with a Message.
    for missing in ["318801", "999", "abc"] {
        let r = e
            .get(
                &format!("/v1.0/account/connectors/{missing}/properties"),
                Some(&t),
                Some(DEMO),
            )
            .await;
        assert_eq!(r.status(), 404, "{missing}");
        assert!(!message(r).await.is_empty(), "{missing}");
    }
    // No token, no account header: 401 like the other account routes.
    assert_eq!(e.get(&path, None, Some(DEMO)).await.status(), 401);
    assert_eq!(e.get(&path, Some(&t), None).await.status(), 401);
    let seen = e.sb.received();
    assert!(
        seen.iter()
            .any(|r| r.path == path && r.account.as_deref() == Some(DEMO)),
        "the request log has the call"
    );
}

/// Parameters carry `Triggers` (null when there are none, as the API's shape), and lookups
/// point at methods of the same connector whose responses hold the keys they name.
#[tokio::test]
async fn parameters_carry_triggers() {
    let e = env().await;
    let t = e.sb.demo().static_token.clone();
    let update = json_of(e.get("/v1.0/methods/512204", Some(&t), Some(DEMO)).await).await;
    let contact_id = &update["Parameters"][0];
    assert_eq!(contact_id["Id"], 3400026);
    assert_eq!(
        contact_id["Triggers"],
        json!([{"AccountConnectorId": 0, "MethodId": 512201, "Name": "Contacts",
                "HumanReadableKey": "[records].Email", "IdentifierKey": "[records].Id",
                "SubTriggers": [], "EntityId": 0}])
    );
    let email = update["RequestFields"]
        .as_array()
        .expect("fields")
        .iter()
        .find(|f| f["Name"] == "Email")
        .expect("Email field");
    assert!(email.get("Triggers").is_some_and(Value::is_null), "{email}");

    // Every trigger's method exists on the same connector and its response has the keys.
    for (ac, release) in [
        (SF, 5122),
        (204513, 4381),
        (204514, 3310),
        (204518, 4907),
        (TOOLS, 9001),
    ] {
        let methods = json_of(
            e.get(
                &format!("/v1.0/connectors/{release}/methods"),
                Some(&t),
                Some(DEMO),
            )
            .await,
        )
        .await;
        let methods = methods.as_array().expect("methods");
        let mut seen = 0;
        for m in methods {
            for p in m["Parameters"]
                .as_array()
                .into_iter()
                .chain(m["RequestFields"].as_array())
                .flatten()
            {
                let Some(triggers) = p["Triggers"].as_array() else {
                    continue;
                };
                for trigger in triggers {
                    seen += 1;
                    let source = trigger["MethodId"].as_i64().expect("MethodId");
                    assert!(
                        methods.iter().any(|m| m["Id"] == source),
                        "{source} is on {release}"
                    );
                    let body = json_of(e.call(ac, &source.to_string(), json!({})).await).await;
                    let choices = cyclr_tui::lookup::choices(
                        &body,
                        trigger["HumanReadableKey"].as_str().unwrap_or_default(),
                        trigger["IdentifierKey"].as_str().unwrap_or_default(),
                    )
                    .unwrap_or_else(|err| panic!("{} of {}: {err}", p["Name"], m["Name"]));
                    assert!(!choices.is_empty(), "{} of {}", p["Name"], m["Name"]);
                }
            }
        }
        assert!(seen > 0, "connector {release} has lookups");
    }
}

/// List Contacts' Status filters on the contacts' Status (allowed values), Modified Since
/// keeps contacts created on or after it; both are optional and ignored when empty.
#[tokio::test]
async fn list_contacts_status_and_modified_since() {
    let e = env().await;
    let ids = |v: &Value| -> Vec<String> {
        v["records"]
            .as_array()
            .expect("records")
            .iter()
            .map(|r| r["Id"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let list = e.call(SF, "512201", json!({})).await;
    let all = json_of(list).await;
    assert_eq!(all["totalSize"], 5);
    assert!(
        all["records"]
            .as_array()
            .expect("records")
            .iter()
            .all(|r| r["Status"].is_string())
    );

    let m = json_of(
        e.get(
            "/v1.0/methods/512201",
            Some(&e.sb.demo().static_token),
            Some(DEMO),
        )
        .await,
    )
    .await;
    let status = &m["Parameters"][2];
    assert_eq!(status["Name"], "Status");
    assert_eq!(status["Id"], 3400334);
    assert_eq!(status["Values"], json!(["Active", "Inactive", "Archived"]));
    assert_eq!(status["IsOptional"], true);
    assert_eq!(status["DisplayOrder"], 3);
    let since = &m["Parameters"][3];
    assert_eq!(
        (
            &since["Name"],
            &since["Id"],
            &since["DataType"],
            &since["DisplayOrder"]
        ),
        (
            &json!("Modified Since"),
            &json!(3400335),
            &json!("DateTime"),
            &json!(4)
        )
    );

    let active = json_of(
        e.call(SF, "512201", json!({"Parameters": {"3400334": "Active"}}))
            .await,
    )
    .await;
    assert_eq!(
        ids(&active),
        [
            "0035g00000Xy1AbAAJ",
            "0035g00000Xy1AcAAJ",
            "0035g00000Xy1AfAAJ"
        ]
    );
    assert_eq!(active["totalSize"], 3);
    let two = json_of(
        e.call(
            SF,
            "512201",
            json!({"Parameters": {"3400334": "inactive,Archived"}}),
        )
        .await,
    )
    .await;
    assert_eq!(ids(&two), ["0035g00000Xy1AdAAJ", "0035g00000Xy1AeAAJ"]);
    let recent = json_of(
        e.call(
            SF,
            "512201",
            json!({"Parameters": {"3400335": "2024-05-19"}}),
        )
        .await,
    )
    .await;
    assert_eq!(
        ids(&recent),
        [
            "0035g00000Xy1AdAAJ",
            "0035g00000Xy1AeAAJ",
            "0035g00000Xy1AfAAJ"
        ]
    );
    let both = json_of(
        e.call(
            SF,
            "512201",
            json!({"Parameters": {"3400335": "2024-06-01T00:00:00", "3400334": "Active"}}),
        )
        .await,
    )
    .await;
    assert_eq!(ids(&both), ["0035g00000Xy1AfAAJ"]);
    let empty = json_of(
        e.call(SF, "512201", json!({"Parameters": {"3400335": " "}}))
            .await,
    )
    .await;
    assert_eq!(empty["totalSize"], 5);
}

/// HTTP Bin's Lookup Source answers 10,000 records; Pick From Big List's Item Id looks its
/// values up there and the method echoes what it is given.
#[tokio::test]
async fn big_lookup_source_and_its_picker() {
    let e = env().await;
    let t = e.sb.demo().static_token.clone();
    let pick = json_of(e.get("/v1.0/methods/900113", Some(&t), Some(DEMO)).await).await;
    assert_eq!(pick["Name"], "Pick From Big List");
    let item = &pick["Parameters"][0];
    assert_eq!(
        (&item["Id"], &item["Name"]),
        (&json!(3400336), &json!("Item Id"))
    );
    assert_eq!(item["Triggers"][0]["MethodId"], 900112);
    let source = json_of(e.call(TOOLS, "900112", json!({})).await).await;
    assert_eq!(source["total"], 10_000);
    assert_eq!(source["records"].as_array().map(Vec::len), Some(10_000));
    let echoed = json_of(
        e.call(TOOLS, "900113", json!({"Parameters": {"3400336": "42"}}))
            .await,
    )
    .await;
    assert_eq!(echoed["parameters"], json!({"Item Id": "42"}));
}
