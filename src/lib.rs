//! cyclr-tui: a terminal explorer and command line for the Cyclr API.
//!
//! - [`cyclr`]: the API client (models, auth, paging, errors); no terminal code.
//! - [`sandbox`]: a Cyclr-compatible server for the demo and the tests.
//! - [`text`]: making server text inert before it reaches a terminal.

pub mod action;
pub mod app;
pub mod cli;
pub mod commands;

pub mod cyclr;
pub mod document;
pub mod effect;
pub mod hint;
pub mod input;
pub mod keymap;
pub mod logging;
pub mod msg;
pub mod process;
pub mod runtime;
pub mod sandbox;
pub mod session;
pub mod settings;
pub mod text;
pub mod tui;
pub mod ui;
pub mod worker;
pub mod wrap;
