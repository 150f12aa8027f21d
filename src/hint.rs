//! What the user can do about an error, worded for the face that shows it. The client's
//! errors say what went wrong; only this module names flags, variables and keys.

use crate::cyclr::{ApiError, AuthSuspect};

/// Which face shows the error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    /// The scriptable command line.
    Cli,
    /// The terminal explorer.
    Explorer,
}

/// What would help, when trying the same thing again would not.
pub fn advice(err: &ApiError, face: Face) -> Option<String> {
    let ApiError::Unauthorized { suspect, .. } = err else {
        return None;
    };
    Some(
        match (suspect, face) {
            (AuthSuspect::NoAccount, Face::Cli) => {
                "pass --account ID or set CYCLR_ACCOUNT to the account's API ID"
            }
            (AuthSuspect::NoAccount, Face::Explorer) => {
                "start cyclr-tui with --account ID or CYCLR_ACCOUNT set to the account's API ID"
            }
            (AuthSuspect::Account { .. }, Face::Cli) => {
                "`cyclr-tui accounts` lists the accounts these credentials can see"
            }
            (AuthSuspect::Account { .. }, Face::Explorer) => {
                "start cyclr-tui with the right --account or CYCLR_ACCOUNT; `cyclr-tui accounts` lists them"
            }
            (AuthSuspect::StaticToken, _) => {
                "set a fresh CYCLR_TOKEN, or use client credentials (CYCLR_CLIENT_ID and CYCLR_CLIENT_SECRET), which are renewed by themselves"
            }
            (AuthSuspect::IssuedToken, _) => {
                "check the client credentials in the Cyclr console (Settings > OAuth Client Credentials)"
            }
        }
        .to_string(),
    )
}

/// True when trying again later may work (the network, the server, a rate limit), as
/// opposed to errors only a change of settings or input can fix.
pub fn retry_helps(err: &ApiError) -> bool {
    match err {
        ApiError::Transport { .. }
        | ApiError::RateLimited { .. }
        | ApiError::Server { .. }
        | ApiError::NotFound { .. }
        | ApiError::Decode { .. }
        | ApiError::TooLarge { .. } => true,
        ApiError::Token { status, .. } => status.is_none_or(|s| s >= 500 || s == 429),
        _ => false,
    }
}

/// The error with its advice, as one line.
pub fn with_advice(err: &ApiError, face: Face) -> String {
    match advice(err, face) {
        Some(advice) => format!("{err}; {advice}"),
        None => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_401_with_an_account_suspects_the_account_and_each_face_says_what_helps() {
        let err = ApiError::Unauthorized {
            message: "Authorization has been denied for this request.".into(),
            suspect: AuthSuspect::Account {
                account: "nope".into(),
                looks_like_name: false,
                token_works: true,
            },
        };
        let cli = with_advice(&err, Face::Cli);
        assert!(
            cli.contains("no account 'nope' for these credentials"),
            "{cli}"
        );
        assert!(cli.contains("`cyclr-tui accounts` lists"), "{cli}");
        assert!(!retry_helps(&err));
        let name = ApiError::Unauthorized {
            message: String::new(),
            suspect: AuthSuspect::Account {
                account: "Acme Staging".into(),
                looks_like_name: true,
                token_works: false,
            },
        };
        assert!(name.to_string().contains("looks like an account's name"));
    }
}
