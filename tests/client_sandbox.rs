//! The client against the real sandbox server on 127.0.0.1:0: every call, paging, token
//! expiry and refresh, status mapping, and proxy calls that change the dataset.

mod support;

use cyclr_tui::cyclr::{
    ApiError, CallRequest, ClientConfig, Credentials, CyclrClient, Endpoint, MethodQuery,
    MethodRef, Secret, Verb,
};
use cyclr_tui::sandbox::Sandbox;
use serde_json::{Value, json};
use std::time::Duration;
use tokio::time::timeout;

use support::{
    CREATE_CONTACT, LIST_CONTACTS, LIST_CONTACTS_GUID, SALESFORCE_RELEASE, SALESFORCE_SALES,
};

const GET_CONTACT: i64 = 512202;

async fn sandbox() -> Sandbox {
    support::demo_sandbox().await.0
}

fn client_for(
    sandbox: &Sandbox,
    account: Option<&str>,
    credentials: Credentials,
    page_size: u32,
) -> CyclrClient {
    let mut config = ClientConfig::new(
        sandbox.base_url().parse().unwrap(),
        account.map(str::to_string),
        credentials,
    );
    config.page_size = page_size;
    config.timeout = Duration::from_secs(20);
    CyclrClient::new(config).unwrap()
}

fn demo_credentials(sandbox: &Sandbox) -> Credentials {
    Credentials::ClientCredentials {
        client_id: sandbox.demo().client_id.clone(),
        client_secret: Secret::new(sandbox.demo().client_secret.clone()),
        scope: None,
    }
}

use support::demo_client;

fn call(id: i64, method: &str, body: &Value) -> CallRequest {
    CallRequest {
        account_connector_id: id,
        method: MethodRef::parse(method),
        endpoint: Endpoint::Call,
        verb: Verb::Post,
        body: body.to_string(),
        content_type: cyclr_tui::cyclr::ContentType::Json,
    }
}

async fn within<T>(f: impl std::future::Future<Output = T>) -> T {
    timeout(Duration::from_secs(30), f)
        .await
        .expect("finished in time")
}

#[tokio::test]
async fn lists_accounts_connectors_and_methods() {
    let sandbox = sandbox().await;
    let client = demo_client(&sandbox);
    let accounts = within(client.accounts()).await.unwrap();
    let ids: Vec<_> = accounts.iter().filter_map(|a| a.id.clone()).collect();
    assert!(
        ids.contains(&sandbox.demo().account_id)
            && ids.contains(&sandbox.demo().restricted_account_id)
    );

    let connectors = within(client.account_connectors()).await.unwrap();
    assert!(connectors.len() >= 10, "{}", connectors.len());
    let partner = connectors.iter().filter(|c| c.is_partner()).count();
    assert_eq!(partner, 1);
    let one = within(client.account_connector(SALESFORCE_SALES))
        .await
        .unwrap();
    assert_eq!(one.connector_id(), Some(SALESFORCE_RELEASE));
    assert!(!one.auth_value.is_empty());
    assert_eq!(one.raw["AuthValue"], "********");

    let methods = within(client.methods(SALESFORCE_RELEASE, &MethodQuery::default()))
        .await
        .unwrap();
    assert!(methods.iter().any(|m| m.id == Some(LIST_CONTACTS)));
    let contacts = within(client.methods(
        SALESFORCE_RELEASE,
        &MethodQuery {
            query: None,
            category: Some("Contacts".into()),
        },
    ))
    .await
    .unwrap();
    assert!(!contacts.is_empty() && contacts.len() < methods.len());
    assert!(
        contacts
            .iter()
            .all(|m| m.category.as_deref() == Some("Contacts"))
    );
    let found = within(client.methods(
        SALESFORCE_RELEASE,
        &MethodQuery {
            query: Some("create contact".into()),
            category: None,
        },
    ))
    .await
    .unwrap();
    assert_eq!(
        found.iter().map(|m| m.id).collect::<Vec<_>>(),
        [Some(CREATE_CONTACT)]
    );

    let method = within(client.method(GET_CONTACT)).await.unwrap();
    assert_eq!(method.name.as_deref(), Some("Get Contact"));
    assert!(
        method
            .parameters
            .iter()
            .any(cyclr_tui::cyclr::Parameter::is_required)
    );
}

#[tokio::test]
async fn pages_over_at_least_three_pages() {
    let sandbox = sandbox().await;
    let everything = within(demo_client(&sandbox).account_connectors())
        .await
        .unwrap();
    let small = client_for(
        &sandbox,
        Some(&sandbox.demo().account_id),
        demo_credentials(&sandbox),
        3,
    );
    let mut progress = Vec::new();
    let paged = within(small.account_connectors_with_progress(&mut |p| progress.push(p)))
        .await
        .unwrap();
    assert!(progress.len() >= 3, "{progress:?}");
    assert_eq!(
        progress.last().unwrap().total_pages,
        Some(progress.len() as u32)
    );
    let ids = |v: &[cyclr_tui::cyclr::AccountConnector]| v.iter().map(|c| c.id).collect::<Vec<_>>();
    assert_eq!(ids(&paged), ids(&everything));
}

#[tokio::test]
async fn calls_by_id_and_guid_and_tests() {
    let sandbox = sandbox().await;
    let client = demo_client(&sandbox);
    let by_id = within(client.call(&call(
        SALESFORCE_SALES,
        &LIST_CONTACTS.to_string(),
        &json!({}),
    )))
    .await
    .unwrap();
    assert_eq!(by_id.status, 200, "{:?}", by_id.error());
    let by_guid = within(client.call(&call(SALESFORCE_SALES, LIST_CONTACTS_GUID, &json!({}))))
        .await
        .unwrap();
    assert_eq!(by_guid.body, by_id.body);
    let mut test = call(SALESFORCE_SALES, LIST_CONTACTS_GUID, &json!({}));
    test.endpoint = Endpoint::Test;
    assert!(within(client.call(&test)).await.unwrap().is_success());
    let mut legacy = call(SALESFORCE_SALES, &LIST_CONTACTS.to_string(), &json!({}));
    legacy.verb = Verb::Get;
    let legacy = within(client.call(&legacy)).await.unwrap();
    assert!(legacy.is_success() && legacy.request.body.is_empty());
}

#[tokio::test]
async fn a_create_shows_up_in_the_next_list() {
    let sandbox = sandbox().await;
    let client = demo_client(&sandbox);
    let fields = json!({"Fields": {"3400014": "Ada", "3400015": "Lovelace-Sandbox", "3400016": "ada@example.com"}});
    let created = within(client.call(&call(
        SALESFORCE_SALES,
        &CREATE_CONTACT.to_string(),
        &fields,
    )))
    .await
    .unwrap();
    assert!(created.is_success(), "{:?}", created.error());
    let list = within(client.call(&call(
        SALESFORCE_SALES,
        &LIST_CONTACTS.to_string(),
        &json!({}),
    )))
    .await
    .unwrap();
    assert!(String::from_utf8_lossy(&list.body).contains("Lovelace-Sandbox"));
}

#[tokio::test]
async fn maps_400_403_404_and_missing_account_errors() {
    let sandbox = sandbox().await;
    let client = demo_client(&sandbox);
    let unknown_param = within(client.call(&call(
        SALESFORCE_SALES,
        &GET_CONTACT.to_string(),
        &json!({"Parameters": {"999999": "x"}}),
    )))
    .await
    .unwrap();
    assert!(matches!(
        unknown_param.error(),
        Some(ApiError::Status { status: 400, .. })
    ));
    let malformed = within(client.call(&call(SALESFORCE_SALES, "not-a-guid", &json!({}))))
        .await
        .unwrap();
    assert_eq!(malformed.status, 400);
    let unknown = within(client.call(&call(
        SALESFORCE_SALES,
        "00000000-0000-4000-8000-000000000000",
        &json!({}),
    )))
    .await
    .unwrap();
    assert!(matches!(unknown.error(), Some(ApiError::NotFound { .. })));
    let err = within(client.account_connector(1)).await.unwrap_err();
    assert!(matches!(err, ApiError::NotFound { .. }), "{err}");

    // The restricted account's allow-list excludes this machine, except for partner connectors.
    let restricted = client_for(
        &sandbox,
        Some(&sandbox.demo().restricted_account_id),
        demo_credentials(&sandbox),
        100,
    );
    let connectors = within(restricted.account_connectors()).await.unwrap();
    let standard = connectors.iter().find(|c| !c.is_partner()).unwrap();
    let partner = connectors.iter().find(|c| c.is_partner()).unwrap();
    for (connector, expect_allowed) in [(standard, false), (partner, true)] {
        let methods =
            within(restricted.methods(connector.connector_id().unwrap(), &MethodQuery::default()))
                .await
                .unwrap();
        let method = methods
            .iter()
            .find(|m| m.parameters.iter().all(|p| !p.is_required()))
            .unwrap();
        let response = within(restricted.call(&call(
            connector.id.unwrap(),
            &method.id.unwrap().to_string(),
            &json!({}),
        )))
        .await
        .unwrap();
        if expect_allowed {
            assert!(response.is_success(), "{:?}", response.error());
        } else {
            let err = response.error().unwrap();
            assert!(matches!(err, ApiError::IpNotAllowed { .. }), "{err}");
            assert!(err.to_string().contains("IsPartnerIntegrationConnector"));
        }
    }

    let no_account = client_for(&sandbox, None, demo_credentials(&sandbox), 100);
    let err = within(no_account.account_connectors()).await.unwrap_err();
    assert!(matches!(err, ApiError::Unauthorized { .. }), "{err}");
    assert!(err.to_string().contains("no account was named"), "{err}");

    // An account the credentials do not know: the account is blamed, not the token.
    let unknown = client_for(&sandbox, Some("nope"), demo_credentials(&sandbox), 100);
    let err = within(unknown.account_connectors()).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("no account 'nope' for these credentials"),
        "{err}"
    );
}

#[tokio::test]
async fn expired_tokens_are_refreshed_once_and_transparently() {
    let sandbox = sandbox().await;
    let client = demo_client(&sandbox);
    assert!(within(client.account_connectors()).await.is_ok());
    sandbox.expire_tokens();
    let response = within(client.call(&call(
        SALESFORCE_SALES,
        &LIST_CONTACTS.to_string(),
        &json!({}),
    )))
    .await
    .unwrap();
    assert!(response.is_success(), "{:?}", response.error());
    assert!(response.request.retried_after_refresh);
    // The fresh token is cached: the next call needs no retry.
    let again = within(client.call(&call(
        SALESFORCE_SALES,
        &LIST_CONTACTS.to_string(),
        &json!({}),
    )))
    .await
    .unwrap();
    assert!(!again.request.retried_after_refresh);
}

#[tokio::test]
async fn static_tokens_and_revoked_credentials() {
    let sandbox = sandbox().await;
    let token = Credentials::Token(Secret::new(sandbox.demo().static_token.clone()));
    let client = client_for(&sandbox, Some(&sandbox.demo().account_id), token, 100);
    assert!(within(client.account_connectors()).await.is_ok());
    let bad = Credentials::Token(Secret::new("not-a-token"));
    let err = within(
        client_for(&sandbox, Some(&sandbox.demo().account_id), bad, 100).account_connectors(),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, ApiError::Unauthorized { .. }), "{err}");

    let client = demo_client(&sandbox);
    assert!(within(client.account_connectors()).await.is_ok());
    sandbox.revoke_client(&sandbox.demo().client_id);
    let err = within(client.account_connectors()).await.unwrap_err();
    assert!(
        matches!(err, ApiError::Token { .. } | ApiError::Unauthorized { .. }),
        "{err}"
    );
    assert!(!err.to_string().contains(&sandbox.demo().client_secret));
}

#[tokio::test]
async fn the_raw_body_variant_passes_the_body_through() {
    let sandbox = sandbox().await;
    let client = demo_client(&sandbox);
    let fields = json!({"Fields": {"3400015": "RawBody-Sandbox"}});
    let mut request = call(SALESFORCE_SALES, &CREATE_CONTACT.to_string(), &fields);
    request.endpoint = Endpoint::RawBody;
    let response = within(client.call(&request)).await.unwrap();
    assert!(response.is_success(), "{:?}", response.error());
    assert!(response.request.url.ends_with("/methods/512203/body"));
    let list = within(client.call(&call(
        SALESFORCE_SALES,
        &LIST_CONTACTS.to_string(),
        &json!({}),
    )))
    .await
    .unwrap();
    assert!(String::from_utf8_lossy(&list.body).contains("RawBody-Sandbox"));
}
