//! cyclr-tui: a terminal explorer and command line for the Cyclr API.
//!
//! The API and its stand-in:
//! - [`cyclr`]: the API client (models, auth, paging, calls, errors); no terminal code.
//! - [`sandbox`]: a Cyclr-compatible server for the demo and the tests.
//!
//! Settings and the two faces:
//! - [`cli`]: clap definitions only; [`settings`]: flags > environment > config file >
//!   defaults, each value with its origin; [`session`]: settings → a connected client.
//! - [`commands`]: the scriptable command line; [`tui`]: the explorer in the real terminal.
//! - [`process`]: exit codes, the error line, signals; [`hint`]: what helps, worded per face;
//!   [`logging`]: the log file.
//! - [`export`]: a call as a `curl` or `HTTPie` line to paste.
//! - [`lookup`]: Cyclr's lookup keys (`[records].Email`) and the choices they pick out of a
//!   response; [`form`]: the request as rows with types, allowed values and lookups;
//!   [`datetime`]: ISO 8601 checks and the `now` / `-1d` shortcuts.
//! - [`recorder`]: calls recorded on a thread of their own, for both faces.
//! - [`history`]: what is remembered between runs (calls, drafts, state).
//!
//! The explorer (Elm-style, one owner of state):
//! - [`action`] what a key means · [`keymap`] keys → actions, and every hint on screen ·
//!   [`msg`] what reaches `update` · [`effect`] what `update` asks for.
//! - [`app`]: the state machine, `App::update(Msg) -> Vec<Effect>`, pure.
//! - [`runtime`]: the loop; [`worker`]: effects as tasks; [`input`]: terminal bytes → events.
//! - [`ui`]: rendering only; [`document`]: a response laid out for viewing; [`wrap`]: rows of
//!   wrapped text; [`text`]: server text made inert before it reaches a terminal.
//! - [`diff`]: differences between two response bodies (JSON by path, else by line).
//! - [`jq`]: jq filters on responses (jaq, in-process).

pub mod action;
pub mod app;
pub mod body;
pub mod cli;
pub mod clipboard;
pub mod commands;

pub mod cyclr;
pub mod datetime;
pub mod diff;
pub mod document;
pub mod effect;
pub mod export;
pub mod external_editor;
pub mod form;
pub mod hint;
pub mod history;
pub mod input;
pub mod jq;
pub mod jq_runner;
pub mod keymap;
pub mod logging;
pub mod lookup;
pub mod msg;
pub mod outline;
pub mod process;
pub mod recorder;
pub mod runtime;
pub mod sandbox;
pub mod session;
pub mod settings;
pub mod table;
pub mod text;
pub mod tui;
pub mod ui;
pub mod worker;
pub mod wrap;
