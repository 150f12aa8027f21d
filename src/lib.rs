//! cyclr-tui: a terminal explorer and command line for the Cyclr API.
//!
//! - [`cyclr`]: the API client (models, auth, paging, errors); no terminal code.
//! - [`sandbox`]: a Cyclr-compatible server for the demo and the tests.
//! - [`text`]: making server text inert before it reaches a terminal.

pub mod cli;
pub mod commands;
pub mod config;
pub mod cyclr;
pub mod document;
pub mod logging;
pub mod sandbox;
pub mod text;
