//! Exact HTTP contract of the client, checked against wiremock: what it sends and how it
//! reads what comes back.

use cyclr_tui::cyclr::{
    ApiError, CallRequest, ClientConfig, ContentType, Credentials, CyclrClient, Endpoint,
    MethodQuery, MethodRef, Secret, TransportKind, Verb,
};
use serde_json::json;
use url::Url;
use wiremock::matchers::{
    body_string, body_string_contains, header, header_exists, method, path, query_param,
};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn config(server: &MockServer, credentials: Credentials) -> ClientConfig {
    let mut config = ClientConfig::new(
        Url::parse(&server.uri()).unwrap(),
        Some("acme-prod".into()),
        credentials,
    );
    config.page_size = 2;
    config
}

fn client_credentials() -> Credentials {
    Credentials::ClientCredentials {
        client_id: "cid".into(),
        client_secret: Secret::new("s3cr3t&=x"),
        scope: Some("account:acme-prod".into()),
    }
}

fn static_token() -> Credentials {
    Credentials::Token(Secret::new("static-tok"))
}

fn token_response(token: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "access_token": token, "token_type": "bearer", "expires_in": 1209599, "clientId": "cid"
    }))
}

#[tokio::test]
async fn token_request_form_and_account_headers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(
            "grant_type=client_credentials&client_id=cid&client_secret=s3cr3t%26%3Dx&scope=account%3Aacme-prod",
        ))
        .respond_with(token_response("tok-1"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/account/connectors"))
        .and(header("authorization", "Bearer tok-1"))
        .and(header("x-cyclr-account", "acme-prod"))
        .and(query_param("page", "1"))
        .and(query_param("pageSize", "2"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Total-Pages", "1")
                .set_body_json(json!([{"Id": 1, "Name": "A"}])),
        )
        .expect(1)
        .mount(&server)
        .await;
    // Partner-level calls carry no account header, and the account-restricted token is not
    // used for them: an unrestricted one is asked for (no scope), and cached on its own.
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string(
            "grant_type=client_credentials&client_id=cid&client_secret=s3cr3t%26%3Dx",
        ))
        .respond_with(token_response("tok-partner"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/accounts"))
        .and(header("authorization", "Bearer tok-partner"))
        .respond_with(|req: &Request| {
            assert!(req.headers.get("x-cyclr-account").is_none());
            ResponseTemplate::new(200)
                .insert_header("Total-Pages", "1")
                .set_body_json(json!([{"Id": "acme-prod"}]))
        })
        .expect(2)
        .mount(&server)
        .await;
    let client = CyclrClient::new(config(&server, client_credentials())).unwrap();
    let connectors = client.account_connectors().await.unwrap();
    assert_eq!(connectors.len(), 1);
    for _ in 0..2 {
        assert_eq!(
            client.accounts().await.unwrap()[0].id.as_deref(),
            Some("acme-prod")
        );
    }
}

#[tokio::test]
async fn pages_until_total_pages() {
    let server = MockServer::start().await;
    for page in 1..=3 {
        Mock::given(method("GET"))
            .and(path("/v1.0/account/connectors"))
            .and(query_param("page", page.to_string()))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("Total-Pages", "3")
                    .set_body_json(json!([{"Id": page * 10}, {"Id": page * 10 + 1}])),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = CyclrClient::new(config(&server, static_token())).unwrap();
    let mut progress = Vec::new();
    let all = client
        .account_connectors_with_progress(&mut |p| progress.push((p.page, p.total_pages, p.items)))
        .await
        .unwrap();
    let ids: Vec<_> = all.iter().map(|c| c.id.unwrap()).collect();
    assert_eq!(ids, [10, 11, 20, 21, 30, 31]);
    assert_eq!(
        progress,
        [(1, Some(3), 2), (2, Some(3), 4), (3, Some(3), 6)]
    );
}

#[tokio::test]
async fn pages_without_total_pages_even_when_the_server_caps_page_size() {
    let server = MockServer::start().await;
    // The client asks for 5 a page; the server gives at most 2 and sends no Total-Pages.
    let pages = [
        json!([{"Id": 1}, {"Id": 2}]),
        json!([{"Id": 3}, {"Id": 4}]),
        json!([{"Id": 5}]),
    ];
    for (i, body) in pages.iter().enumerate() {
        Mock::given(method("GET"))
            .and(path("/v1.0/account/connectors"))
            .and(query_param("page", (i + 1).to_string()))
            .and(query_param("pageSize", "5"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body.clone()))
            .expect(1)
            .mount(&server)
            .await;
    }
    let mut config = config(&server, static_token());
    config.page_size = 5;
    let client = CyclrClient::new(config).unwrap();
    assert_eq!(client.account_connectors().await.unwrap().len(), 5);
}

#[tokio::test]
async fn stops_when_the_server_ignores_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/account/connectors"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"Id": 1}, {"Id": 2}])))
        .expect(2)
        .mount(&server)
        .await;
    let client = CyclrClient::new(config(&server, static_token())).unwrap();
    assert_eq!(client.account_connectors().await.unwrap().len(), 2);
}

#[tokio::test]
async fn method_filters_are_query_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/connectors/5122/methods"))
        .and(query_param("query", "contact & co"))
        .and(query_param("category", "Contacts"))
        .and(header("x-cyclr-account", "acme-prod"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"Id": 7, "Name": "List"}])))
        .expect(1)
        .mount(&server)
        .await;
    let client = CyclrClient::new(config(&server, static_token())).unwrap();
    let filter = MethodQuery {
        query: Some("contact & co".into()),
        category: Some("Contacts".into()),
    };
    assert_eq!(client.methods(5122, &filter).await.unwrap()[0].id, Some(7));
}

#[tokio::test]
async fn call_sends_the_body_and_records_the_masked_request() {
    let server = MockServer::start().await;
    let body = r#"{"Parameters":{"101":"x"},"Fields":{"202":"y"}}"#;
    Mock::given(method("POST"))
        .and(path(
            "/v1.0/account/connectors/42/test/9f1c2a8e-0000-4000-8000-000000000001",
        ))
        .and(header("content-type", "application/json"))
        .and(body_string(body))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("X-Trace", "t")
                .set_body_string("{\"ok\":true}"),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/account/connectors/42/methods/7"))
        .respond_with(|req: &Request| {
            assert!(req.body.is_empty(), "legacy GET has no body");
            ResponseTemplate::new(200).set_body_string("[]")
        })
        .expect(1)
        .mount(&server)
        .await;
    let client = CyclrClient::new(config(&server, static_token())).unwrap();
    let response = client
        .call(&CallRequest {
            account_connector_id: 42,
            method: MethodRef::parse("9f1c2a8e-0000-4000-8000-000000000001"),
            endpoint: Endpoint::Test,
            verb: Verb::Post,
            body: body.into(),
            content_type: ContentType::Json,
        })
        .await
        .unwrap();
    assert_eq!(
        (response.status, response.reason.as_str()),
        (201, "Created")
    );
    assert_eq!(response.header("x-trace"), Some("t"));
    assert_eq!(&response.body[..], b"{\"ok\":true}");
    assert!(response.error().is_none());
    let sent = &response.request;
    assert_eq!(sent.method, "POST");
    assert_eq!(sent.body, body);
    assert!(
        sent.headers
            .contains(&("Authorization".into(), "Bearer ********".into()))
    );
    assert!(!format!("{sent:?}").contains("static-tok"));
    let get = CallRequest {
        account_connector_id: 42,
        method: MethodRef::Id(7),
        endpoint: Endpoint::Call,
        verb: Verb::Get,
        body: body.into(),
        content_type: ContentType::Json,
    };
    assert_eq!(client.call(&get).await.unwrap().request.method, "GET");
}

#[tokio::test]
async fn a_401_fetches_a_new_token_once_and_retries_once() {
    let server = MockServer::start().await;
    let issued = std::sync::atomic::AtomicUsize::new(0);
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(move |_: &Request| {
            let n = issued.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            token_response(&format!("tok-{n}"))
        })
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/account/connectors/5"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(
                json!({"Message": "Authorization has been denied for this request."}),
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/account/connectors/5"))
        .and(header("authorization", "Bearer tok-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"Id": 5})))
        .expect(2)
        .mount(&server)
        .await;
    let client = CyclrClient::new(config(&server, client_credentials())).unwrap();
    assert_eq!(client.account_connector(5).await.unwrap().id, Some(5));
    // The refreshed token is cached for the next call.
    assert_eq!(client.account_connector(5).await.unwrap().id, Some(5));
}

#[tokio::test]
async fn a_revoked_credential_is_a_clear_401_without_a_refresh_loop() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token_response("tok"))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/account/connectors"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(
                json!({"Message": "Authorization has been denied for this request."}),
            ),
        )
        .expect(2)
        .mount(&server)
        .await;
    // A token restricted to the account is not asked about it at partner level.
    Mock::given(method("GET"))
        .and(path("/v1.0/accounts/acme-prod"))
        .respond_with(ResponseTemplate::new(401))
        .expect(0)
        .mount(&server)
        .await;
    let client = CyclrClient::new(config(&server, client_credentials())).unwrap();
    let err = client.account_connectors().await.unwrap_err();
    assert!(matches!(err, ApiError::Unauthorized { .. }), "{err}");
    assert!(
        err.to_string().contains("freshly issued token was refused"),
        "{err}"
    );
}

/// A 401 on an account-level call with a valid token blames the account: the token works
/// at partner level, where the account is unknown.
#[tokio::test]
async fn a_401_for_an_unknown_account_blames_the_account_not_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/account/connectors"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(
                json!({"Message": "Authorization has been denied for this request."}),
            ),
        )
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/accounts/acme-prod"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"Message": "Account not found."})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = CyclrClient::new(config(&server, static_token())).unwrap();
    let err = client.account_connectors().await.unwrap_err();
    assert!(
        err.to_string()
            .contains("no account 'acme-prod' for these credentials"),
        "{err}"
    );
    assert!(!err.to_string().contains("expired"), "{err}");

    // A value with spaces is an account's name, not its id: no need to ask the server.
    let mut named = config(&server, static_token());
    named.account = Some("Acme Staging".into());
    let err = CyclrClient::new(named)
        .unwrap()
        .account_connectors()
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("'Acme Staging' looks like an account's name"),
        "{err}"
    );
}

#[tokio::test]
async fn a_static_token_is_never_refreshed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(token_response("x"))
        .expect(0)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/account/connectors"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/accounts/acme-prod"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    let client = CyclrClient::new(config(&server, static_token())).unwrap();
    let err = client.account_connectors().await.unwrap_err();
    assert!(
        err.to_string().contains("access token is likely expired"),
        "{err}"
    );
    assert_eq!(err.exit_code(), 1);
}

#[tokio::test]
async fn token_endpoint_failures_and_garbage() {
    for (response, expected) in [
        (
            ResponseTemplate::new(400).set_body_json(json!({"error": "invalid_client"})),
            "client id or secret rejected",
        ),
        (
            ResponseTemplate::new(200).set_body_string("<html>hi</html>"),
            "not JSON",
        ),
        (
            ResponseTemplate::new(200).set_body_json(json!({"token_type": "bearer"})),
            "no access_token",
        ),
        (
            ResponseTemplate::new(503).set_body_string("down"),
            "503 down",
        ),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .respond_with(response)
            .mount(&server)
            .await;
        let client = CyclrClient::new(config(&server, client_credentials())).unwrap();
        let err = client.account_connectors().await.unwrap_err();
        assert!(matches!(err, ApiError::Token { .. }), "{err}");
        assert!(
            err.to_string().contains(expected),
            "{err} should mention {expected}"
        );
        assert!(!err.to_string().contains("s3cr3t"));
    }
}

#[tokio::test]
async fn credentials_never_follow_a_redirect_to_another_host() {
    let other = MockServer::start().await;
    Mock::given(header_exists("authorization"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&other)
        .await;
    Mock::given(header_exists("x-cyclr-account"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&other)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .mount(&other)
        .await;
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/account/connectors"))
        .respond_with(
            ResponseTemplate::new(302).insert_header("Location", format!("{}/steal", other.uri())),
        )
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/account/connectors/1/methods/2"))
        .respond_with(
            ResponseTemplate::new(307).insert_header("Location", format!("{}/steal", other.uri())),
        )
        .mount(&server)
        .await;
    let client = CyclrClient::new(config(&server, static_token())).unwrap();
    let err = client.account_connectors().await.unwrap_err();
    assert!(matches!(err, ApiError::CrossHostRedirect { .. }), "{err}");
    let call = CallRequest {
        account_connector_id: 1,
        method: MethodRef::Id(2),
        endpoint: Endpoint::Call,
        verb: Verb::Post,
        body: "{}".into(),
        content_type: ContentType::Json,
    };
    let response = client.call(&call).await.unwrap();
    assert!(matches!(
        response.error(),
        Some(ApiError::CrossHostRedirect { .. })
    ));
    assert!(other.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn same_host_redirects_are_followed() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/account/connectors/1"))
        .respond_with(
            ResponseTemplate::new(301).insert_header("Location", "/v1.0/account/connectors/2"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/account/connectors/2"))
        .and(header("x-cyclr-account", "acme-prod"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"Id": 2})))
        .expect(1)
        .mount(&server)
        .await;
    let client = CyclrClient::new(config(&server, static_token())).unwrap();
    assert_eq!(client.account_connector(1).await.unwrap().id, Some(2));
}

#[tokio::test]
async fn error_statuses_and_bad_bodies_map_to_clear_errors() {
    let server = MockServer::start().await;
    let html =
        "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    let cases: Vec<(&str, ResponseTemplate)> = vec![
        (
            "/v1.0/account/connectors/429",
            ResponseTemplate::new(429).insert_header("Retry-After", "30"),
        ),
        (
            "/v1.0/account/connectors/502",
            ResponseTemplate::new(502)
                .insert_header("content-type", "text/html")
                .set_body_string(html),
        ),
        (
            "/v1.0/account/connectors/500",
            ResponseTemplate::new(500).set_body_json(json!({"Message": "boom"})),
        ),
        (
            "/v1.0/account/connectors/400",
            ResponseTemplate::new(400).set_body_json(json!({"Message": "bad \u{1b}[2J"})),
        ),
        (
            "/v1.0/account/connectors/404",
            ResponseTemplate::new(404)
                .set_body_json(json!({"Message": "Account connector not found"})),
        ),
        (
            "/v1.0/account/connectors/998",
            ResponseTemplate::new(200).set_body_bytes(vec![0xff, 0xfe, 0x00]),
        ),
        (
            "/v1.0/account/connectors/999",
            ResponseTemplate::new(200).set_body_string("not json"),
        ),
    ];
    for (p, response) in cases {
        Mock::given(path(p))
            .respond_with(response)
            .mount(&server)
            .await;
    }
    let client = CyclrClient::new(config(&server, static_token())).unwrap();
    let err = |id| {
        let client = client.clone();
        async move { client.account_connector(id).await.unwrap_err() }
    };
    let e = err(429).await;
    assert!(
        matches!(&e, ApiError::RateLimited { retry_after: Some(r), .. } if r == "30"),
        "{e}"
    );
    let e = err(502).await;
    assert_eq!(
        e.to_string(),
        "502 Bad Gateway: the server sent an HTML error page"
    );
    assert!(matches!(
        err(500).await,
        ApiError::Server { status: 500, .. }
    ));
    let e = err(400).await;
    assert_eq!(e.to_string(), "400 Bad Request: bad \\x1b[2J");
    assert!(matches!(err(404).await, ApiError::NotFound { .. }));
    let e = err(998).await;
    assert!(
        matches!(&e, ApiError::Decode { body, .. } if body.len() == 3),
        "{e}"
    );
    assert!(matches!(err(999).await, ApiError::Decode { .. }));
}

#[tokio::test]
async fn bodies_over_the_cap_are_not_read() {
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/account/connectors/1"))
        .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(4096)))
        .mount(&server)
        .await;
    let mut config = config(&server, static_token());
    config.max_body_bytes = 1024;
    let client = CyclrClient::new(config).unwrap();
    let err = client.account_connector(1).await.unwrap_err();
    assert!(matches!(err, ApiError::TooLarge { limit: 1024 }), "{err}");
}

#[tokio::test]
async fn refused_connections_are_network_errors() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let config = ClientConfig::new(
        Url::parse(&format!("http://127.0.0.1:{port}")).unwrap(),
        Some("a".into()),
        static_token(),
    );
    let err = CyclrClient::new(config)
        .unwrap()
        .account_connectors()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            ApiError::Transport {
                kind: TransportKind::Refused,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(err.exit_code(), 3);
}

#[tokio::test]
async fn body_contains_check_for_scope_free_tokens() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string_contains("grant_type=client_credentials"))
        .respond_with(|req: &Request| {
            assert!(!String::from_utf8_lossy(&req.body).contains("scope"));
            token_response("t")
        })
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/v1.0/accounts"))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .mount(&server)
        .await;
    let credentials = Credentials::ClientCredentials {
        client_id: "cid".into(),
        client_secret: Secret::new("s"),
        scope: None,
    };
    let client = CyclrClient::new(config(&server, credentials)).unwrap();
    assert!(client.accounts().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_refused_page_size_falls_back_to_the_servers_own() {
    use wiremock::matchers::query_param_is_missing;
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/account/connectors"))
        .and(query_param("pageSize", "2"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(json!({"Message": "pageSize must be 1"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    for page in 1..=2 {
        Mock::given(path("/v1.0/account/connectors"))
            .and(query_param_is_missing("pageSize"))
            .and(query_param("page", page.to_string()))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("Total-Pages", "2")
                    .set_body_json(json!([{"Id": page}])),
            )
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = CyclrClient::new(config(&server, static_token())).unwrap();
    let ids: Vec<_> = client
        .account_connectors()
        .await
        .unwrap()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ids, [Some(1), Some(2)]);
}

#[tokio::test]
async fn methods_are_fetched_from_every_page_if_a_server_pages_them() {
    use wiremock::matchers::query_param_is_missing;
    let server = MockServer::start().await;
    Mock::given(path("/v1.0/connectors/7/methods"))
        .and(query_param_is_missing("page"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("Total-Pages", "3")
                .set_body_json(json!([{"Id": 1}])),
        )
        .expect(1)
        .mount(&server)
        .await;
    for page in 2..=3 {
        Mock::given(path("/v1.0/connectors/7/methods"))
            .and(query_param("page", page.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"Id": page}])))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = CyclrClient::new(config(&server, static_token())).unwrap();
    let methods = client.methods(7, &MethodQuery::default()).await.unwrap();
    let ids: Vec<_> = methods.iter().map(|m| m.id).collect();
    assert_eq!(ids, [Some(1), Some(2), Some(3)]);
}

/// An account connector's properties: one GET at account level (token and account header),
/// not paged; items decoded leniently; a body that is not an array is a decode error; an
/// unknown account connector is a 404.
#[tokio::test]
async fn account_connector_properties_are_read_from_their_route() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1.0/account/connectors/204511/properties"))
        .and(header("authorization", "Bearer static-tok"))
        .and(header("x-cyclr-account", "acme-prod"))
        .and(header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"Name": "InstanceUrl", "Value": "acme.my.salesforce.com", "Id": 2045111, "AccountConnectorId": 204511},
            {"Name": "ClientSecret", "Value": "shh", "Id": "2045113", "AccountConnectorId": "204511", "Extra": true},
            {"Name": null, "Value": 7},
            "not an object"
        ])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/account/connectors/1/properties"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ClientSecret": "shh"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1.0/account/connectors/404/properties"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"Message": "Account connector 404 was not found."})),
        )
        .mount(&server)
        .await;
    let client = CyclrClient::new(config(&server, static_token())).unwrap();
    let properties = client.account_connector_properties(204511).await.unwrap();
    assert_eq!(properties.len(), 4);
    let first = &properties[0];
    assert_eq!(first.id, Some(2045111));
    assert_eq!(first.name.as_deref(), Some("InstanceUrl"));
    assert_eq!(first.value.as_deref(), Some("acme.my.salesforce.com"));
    assert_eq!(first.account_connector_id, Some(204511));
    assert!(!first.is_secret());
    let secret = &properties[1];
    assert_eq!(
        (secret.id, secret.account_connector_id),
        (Some(2045113), Some(204511))
    );
    assert!(secret.is_secret());
    assert_eq!(properties[2].value.as_deref(), Some("7"));
    assert_eq!(properties[3].name, None);
    // No paging parameters were sent.
    let requests = server.received_requests().await.unwrap_or_default();
    assert!(
        requests.iter().all(|r| r.url.query().is_none()),
        "{:?}",
        requests
            .iter()
            .map(|r| r.url.to_string())
            .collect::<Vec<_>>()
    );

    let err = client.account_connector_properties(1).await.unwrap_err();
    assert!(matches!(err, ApiError::Decode { .. }), "{err}");
    if let ApiError::Decode { body, .. } = &err {
        assert!(!String::from_utf8_lossy(body).contains("shh"), "masked");
    }
    let err = client.account_connector_properties(404).await.unwrap_err();
    assert!(matches!(err, ApiError::NotFound { .. }), "{err}");
    assert_eq!(err.status(), Some(404));
}
