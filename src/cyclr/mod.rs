//! The Cyclr API client. Knows nothing of terminals.

mod access;
mod auth;
mod call;
mod client;
mod error;
mod http;
mod instance;
mod lenient;
pub mod model;
mod secret;

pub use access::Access;
pub use auth::Credentials;
pub use call::{CallRequest, CallResponse, ContentType, Endpoint, KeptBody, MethodRef, Verb};
pub use client::{ACCOUNT_HEADER, ClientConfig, CyclrClient, MethodQuery, PageProgress};
pub use error::{ApiError, AuthSuspect, TransportKind, message_from_body};
pub use http::SentRequest;
pub use instance::{REGIONS, console_advice, is_loopback, resolve_instance};
pub use model::{
    Account, AccountConnector, Connector, Field, Method, Parameter, Property, Trigger,
};
pub use secret::{MASK, Secret, is_secret_key, is_secret_name, mask_json, shorten_icons};
