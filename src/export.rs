//! A call as a command line to paste: `curl` or `HTTPie`. The token is never written out: the
//! line reads `$CYCLR_TOKEN` from the shell (double quotes around that header only); every
//! other word is single-quoted, so the line pastes and runs as it is.

use crate::cyclr::{ACCOUNT_HEADER, CallRequest};
use url::Url;

/// The tools a call can be written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Tool {
    Curl,
    Httpie,
}

/// The variable the line reads the token from.
pub const TOKEN_VARIABLE: &str = "CYCLR_TOKEN";

/// `request` to `base_url` (with `account` as `X-Cyclr-Account`) as a `tool` command line.
#[must_use]
pub fn command_line(
    tool: Tool,
    request: &CallRequest,
    base_url: &Url,
    account: Option<&str>,
) -> String {
    let url = format!(
        "{}{}",
        base_url.as_str().trim_end_matches('/'),
        request.path()
    );
    let body = (request.http_method_name() == "POST" && !request.body.trim().is_empty())
        .then_some(request.body.as_str());
    let mut headers: Vec<(String, String)> = Vec::new();
    if let Some(account) = account {
        headers.push((ACCOUNT_HEADER.to_string(), account.to_string()));
    }
    if body.is_some() {
        headers.push((
            "Content-Type".to_string(),
            request.content_type.mime().to_string(),
        ));
    }
    match tool {
        Tool::Curl => {
            let mut line = format!(
                "curl -X {} {} -H \"Authorization: Bearer ${TOKEN_VARIABLE}\"",
                request.http_method_name(),
                quote(&url)
            );
            for (name, value) in &headers {
                line.push_str(&format!(" -H {}", quote(&format!("{name}: {value}"))));
            }
            if let Some(body) = body {
                line.push_str(&format!(" --data-raw {}", quote(body)));
            }
            line
        }
        Tool::Httpie => {
            let mut line = format!(
                "http {} {} \"Authorization:Bearer ${TOKEN_VARIABLE}\"",
                request.http_method_name(),
                quote(&url)
            );
            for (name, value) in &headers {
                line.push_str(&format!(" {}", quote(&format!("{name}:{value}"))));
            }
            if let Some(body) = body {
                line.push_str(&format!(" --raw {}", quote(body)));
            }
            line
        }
    }
}

/// `s` in single quotes for a POSIX shell (a `'` inside becomes `'\''`).
#[must_use]
pub fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cyclr::{ContentType, Endpoint, MethodRef, Verb};

    fn request(body: &str) -> CallRequest {
        CallRequest {
            account_connector_id: 204_511,
            method: MethodRef::Id(512_203),
            endpoint: Endpoint::Call,
            verb: Verb::Post,
            body: body.into(),
            content_type: ContentType::Json,
        }
    }

    #[test]
    fn curl_quotes_everything_but_the_token_variable() {
        let base = Url::parse("https://api.eu.cyclr.com/").unwrap();
        let line = command_line(
            Tool::Curl,
            &request(r#"{"Fields":{"3400015":"O'Brien"}}"#),
            &base,
            Some("acme-prod"),
        );
        assert_eq!(
            line,
            r#"curl -X POST 'https://api.eu.cyclr.com/v1.0/account/connectors/204511/methods/512203' -H "Authorization: Bearer $CYCLR_TOKEN" -H 'X-Cyclr-Account: acme-prod' -H 'Content-Type: application/json' --data-raw '{"Fields":{"3400015":"O'\''Brien"}}'"#
        );
        let line = command_line(Tool::Httpie, &request(""), &base, None);
        assert_eq!(
            line,
            r#"http POST 'https://api.eu.cyclr.com/v1.0/account/connectors/204511/methods/512203' "Authorization:Bearer $CYCLR_TOKEN""#
        );
    }
}
