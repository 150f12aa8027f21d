//! The state machine: `App::update(Msg) -> Vec<Effect>`. No I/O, no terminal, no await.

mod answers;
mod connectors;
mod details;
mod editor;
mod form_view;
mod list;
mod loadable;
mod methods;
mod overlay;
mod picker;
mod pickers;
mod remember;
mod response;

pub use connectors::ConnectorsPane;
pub use details::{ConnectorDetails, ConnectorInfo};
pub use editor::{CallKey, EditorPane, MethodTarget};
pub use list::{FilteredList, ListPane, Searchable};
pub use loadable::Loadable;
pub use methods::{MethodSort, MethodsOwner, MethodsPane};
pub use overlay::{CopyMenu, CopyWhat, Overlay, SavePrompt};
pub use picker::{
    AccountPicker, ChoicePicker, ChoiceSource, HistoryPicker, HistoryScope, LookupKey, TextView,
};
pub use remember::{REMEMBERED_STATE, Restore};
pub use response::{
    CallTitle, Exchange, Fold, InFlight, JqState, Outcome, ResponsePane, ScrollPos, Search, Shown,
    Tab, Viewport,
};

use crate::action::{Action, Pane};
use crate::cyclr::{Endpoint, Verb};
use crate::effect::{Effect, RequestId};
use crate::keymap::{Context, Keymap};
use crate::msg::Msg;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::sync::Arc;
use std::time::Instant;

/// What the keyboard is typing into, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Keys are commands.
    Normal,
    /// Typing the filter of a list pane.
    Filter(Pane),
    /// Typing a search in the response.
    Search,
    /// Typing a jq filter on the response.
    Jq,
}

/// Where the explorer is connected, for the status bar and the help.
#[derive(Debug, Clone, Default)]
pub struct Connection {
    pub demo: bool,
    /// The config file's profile in use, if any.
    pub profile: Option<String>,
    /// The profile's colour for the status bar (a colour name or `#rrggbb`).
    pub color: Option<String>,
    /// True when the credentials see one account only (an account-restricted token).
    pub single_account: bool,
    /// The instance's base URL.
    pub instance: String,
    pub account: String,
    /// How requests are authenticated, e.g. `client credentials`, or `token (CYCLR_TOKEN;
    /// the client credentials also set are not used)`.
    pub auth: String,
    /// Where the log goes (written when `CYCLR_LOG` is set).
    pub log_file: Option<String>,
}

/// What [`Connection::account`] says when no account is set.
pub const NO_ACCOUNT: &str = "(no account)";

/// A one-line message in the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
}

/// How a second press of the send key within this time sends a request with required
/// values left empty.
pub const FORCE_SEND_WINDOW: std::time::Duration = std::time::Duration::from_secs(5);

/// What guards against harm: refusing writes, and asking before one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Safety {
    /// Refuse every write (methods classified as changing data).
    pub read_only: bool,
    /// Ask before sending a write.
    pub confirm_writes: bool,
}

impl Default for Safety {
    fn default() -> Self {
        Safety {
            read_only: false,
            confirm_writes: true,
        }
    }
}

/// The whole explorer state. Only the runtime loop owns it.
#[derive(Debug)]
pub struct App {
    pub focus: Pane,
    pub mode: Mode,
    /// Overlays open over the panes, the top one last (it gets the keys).
    pub overlays: Vec<Overlay>,
    /// The active keys, for the hints drawn on screen.
    pub keymap: Arc<Keymap>,
    /// Read-only mode and write confirmation.
    pub safety: Safety,
    /// A send refused for an empty required value, and when: pressing send again soon after
    /// sends anyway.
    force_send: Option<(CallKey, Instant)>,
    pub connectors: ConnectorsPane,
    pub methods: MethodsPane,
    pub editor: EditorPane,
    pub response: ResponsePane,
    pub connection: Connection,
    pub notice: Option<Notice>,
    /// The time as of the last tick, for elapsed times.
    pub now: Instant,
    /// Ticks seen, for the spinner.
    pub ticks: u64,
    /// Rows of the list panes at the last draw (for paging).
    pub list_rows: usize,
    pub should_quit: bool,
    /// The recorded call (or comparison) being loaded, to drop a stale answer.
    pending_entry: Option<RequestId>,
    /// Keep drafts and where the explorer is for the next session, and restore them.
    pub remember: bool,
    /// Lookup results of this session, by call and keys (`Ctrl-R` in a picker refreshes).
    lookups: std::collections::HashMap<LookupKey, Vec<crate::lookup::Choice>>,
    /// Until when the client-credentials token is good, as last heard.
    pub token_valid_until: Option<Instant>,
    /// Draw without colours (`NO_COLOR`).
    pub no_color: bool,
    /// Colours for a light terminal background (the config file's `theme = "light"`).
    pub light: bool,
    /// `z` was pressed in the response: the next key folds.
    pub pending_fold: bool,
    /// Where the last session was, until the lists needed to get there have loaded.
    restore: Option<Restore>,
    next_id: RequestId,
}

impl App {
    /// A fresh explorer for this connection; call [`App::start`] for the first effects.
    #[must_use]
    pub fn new(connection: Connection) -> Self {
        App {
            focus: Pane::Connectors,
            mode: Mode::Normal,
            overlays: Vec::new(),
            keymap: Arc::new(Keymap::default()),
            safety: Safety::default(),
            force_send: None,
            connectors: ConnectorsPane::default(),
            methods: MethodsPane::default(),
            editor: EditorPane::default(),
            response: ResponsePane::default(),
            connection,
            notice: None,
            now: Instant::now(),
            ticks: 0,
            list_rows: 10,
            should_quit: false,
            pending_entry: None,
            lookups: std::collections::HashMap::new(),
            remember: false,
            pending_fold: false,
            light: false,
            token_valid_until: None,
            no_color: false,
            restore: None,
            next_id: 0,
        }
    }

    /// The effects to run at start-up: load the connectors.
    pub fn start(&mut self) -> Vec<Effect> {
        // Partner credentials and no account: choose one first.
        if !self.connection.demo && self.connection.account == NO_ACCOUNT {
            return self.open_accounts();
        }
        self.load_connectors()
    }

    /// The effect loading what the last session left, once the history is open (none when
    /// the explorer starts clean).
    pub fn recall(&mut self) -> Vec<Effect> {
        if !self.remember {
            return Vec::new();
        }
        let id = self.next_request();
        vec![Effect::LoadRemembered { id }]
    }

    /// True while something is loading or a call is in flight (the spinner ticks).
    pub fn is_busy(&self) -> bool {
        self.response.calls_in_flight().next().is_some()
            || self.connectors.items.waiting_for().is_some()
            || self.methods.items.waiting_for().is_some()
    }

    /// True when keys are text for the editor (so `q`, `?`, digits are typed, not commands).
    pub fn editor_has_keys(&self) -> bool {
        self.focus == Pane::Editor && self.mode == Mode::Normal && self.overlays.is_empty()
    }

    /// The overlay that gets the keys, if any is open.
    pub fn top_overlay(&self) -> Option<&Overlay> {
        self.overlays.last()
    }

    /// The filtered list of a list pane; `None` for the panes that are not lists.
    fn list_of(&mut self, pane: Pane) -> Option<&mut FilteredList> {
        match pane {
            Pane::Connectors => Some(&mut self.connectors.list),
            Pane::Methods => Some(&mut self.methods.list),
            Pane::Editor | Pane::Response => None,
        }
    }

    fn next_request(&mut self) -> RequestId {
        self.next_id += 1;
        self.next_id
    }

    fn notify(&mut self, text: impl Into<String>, is_error: bool) {
        self.notice = Some(Notice {
            text: text.into(),
            is_error,
        });
    }

    /// Applies one message and returns what the world must do.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let effects = self.apply(msg);
        self.editor.show_cursor(self.editor_has_keys());
        effects
    }

    fn apply(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Action(action) => self.act(action),
            Msg::Input(key) => self.input(key),
            Msg::Paste(text) => self.paste(&text),
            Msg::Viewport {
                response,
                list_rows,
            } => {
                self.response.viewport = response;
                self.list_rows = list_rows;
                Vec::new()
            }
            Msg::Tick(now) => {
                self.now = now;
                if self.is_busy() {
                    self.ticks += 1;
                }
                Vec::new()
            }
            Msg::ConnectorsProgress { id, progress } => {
                if let Loadable::Loading {
                    id: waiting,
                    progress: p,
                } = &mut self.connectors.items
                    && *waiting == id
                {
                    *p = Some(progress);
                }
                Vec::new()
            }
            Msg::ConnectorsLoaded { id, result } => {
                self.connectors
                    .reply(id, result, |items| (0..items.len()).collect());
                self.go_on_restoring()
            }
            Msg::MethodsLoaded { id, result } => {
                let sort = self.methods.sort;
                self.methods
                    .reply(id, result, |items| methods::order(items, sort));
                self.go_on_restoring()
            }
            Msg::Remembered { drafts, state } => self.remembered(drafts, &state),
            Msg::CallTooLarge {
                id,
                message,
                kept,
                at,
            } => {
                self.response
                    .finish(id, Outcome::TooLarge { message, kept }, at);
                Vec::new()
            }
            Msg::BodySaved { result, .. } => {
                match result {
                    Ok(summary) => self.notify(summary, false),
                    Err(e) => self.notify(format!("not saved: {e}"), true),
                }
                Vec::new()
            }
            Msg::AccountsLoaded { id, result } => {
                self.accounts_loaded(id, result);
                Vec::new()
            }
            Msg::HistoryLoaded { id, result } => {
                self.history_loaded(id, result);
                Vec::new()
            }
            Msg::HistoryEntryLoaded {
                id,
                purpose,
                result,
            } => self.entry_loaded(id, purpose, result),
            Msg::DetailsLoaded { id, result } => {
                self.details_loaded(id, result);
                Vec::new()
            }
            Msg::LookupLoaded { id, key, result } => {
                self.lookup_loaded(id, key, result);
                Vec::new()
            }
            Msg::DiffReady { id, result } => {
                self.diff_ready(id, result);
                Vec::new()
            }
            Msg::TokenValidUntil(until) => {
                self.token_valid_until = until;
                Vec::new()
            }
            Msg::HistoryProblem(problem) => {
                self.notify(problem, true);
                Vec::new()
            }
            Msg::CallFinished { id, result, at } => {
                let outcome = match result {
                    Ok(doc) => Outcome::Response(doc),
                    Err(e) => Outcome::Failed(e),
                };
                if self.response.finish(id, outcome, at)
                    && self.response.shown().is_some_and(|e| e.in_flight.is_none())
                {
                    let mut effects = self.rerun_filter();
                    effects.extend(self.build_shown_table());
                    return effects;
                }
                Vec::new()
            }
            Msg::Filtered(done) => {
                self.filtered(*done);
                self.build_shown_table()
            }
            Msg::FilterHistory { key, filters } => {
                self.filter_history(&key, filters);
                Vec::new()
            }
            // The loop's own; or only a reason to draw again.
            Msg::WriteToTerminal(_) | Msg::TableReady => Vec::new(),
            Msg::Copied(result) => {
                match result {
                    Ok(summary) => self.notify(summary, false),
                    Err(e) => self.notify(format!("not copied: {e}"), true),
                }
                Vec::new()
            }
            Msg::Saved(result) => {
                self.saved(result);
                Vec::new()
            }
            Msg::EditedExternally(result) => {
                self.edited_externally(result);
                Vec::new()
            }
        }
    }

    fn act(&mut self, action: Action) -> Vec<Effect> {
        let list_page = self.list_rows.max(1).cast_signed();
        if !self.overlays.is_empty() {
            return self.overlay_act(&action);
        }
        if self.pending_fold {
            self.pending_fold = false;
            match action {
                Action::Fold(how) => self.fold(how),
                Action::Quit => return self.quit(),
                _ => {}
            }
            return Vec::new();
        }
        if self.mode == Mode::Jq {
            match action {
                Action::Up => return self.jq_history(-1),
                Action::Down => return self.jq_history(1),
                _ => {}
            }
        }
        if self.mode == Mode::Normal && self.table_act(action) {
            return Vec::new();
        }
        if self.mode == Mode::Normal
            && self.form_shown()
            && let Some(effects) = self.form_act(action)
        {
            return effects;
        }
        match action {
            Action::Quit => return self.quit(),
            Action::ToggleHelp => self.overlays.push(Overlay::Help { scroll: 0 }),
            Action::FocusNext => self.set_focus(self.focus.next()),
            Action::FocusPrevious => self.set_focus(self.focus.previous()),
            Action::Focus(pane) => self.set_focus(pane),
            Action::Up => self.move_focused(-1),
            Action::Down => self.move_focused(1),
            Action::PageUp if self.focus == Pane::Response => self.response.page_by(-1),
            Action::PageDown if self.focus == Pane::Response => self.response.page_by(1),
            Action::PageUp => self.move_focused(-list_page),
            Action::PageDown => self.move_focused(list_page),
            Action::Top if self.focus == Pane::Response => self.response.top(),
            Action::Bottom if self.focus == Pane::Response => self.response.bottom(),
            Action::Top => {
                if let Some(list) = self.list_of(self.focus) {
                    list.top();
                }
            }
            Action::Bottom => {
                if let Some(list) = self.list_of(self.focus) {
                    list.bottom();
                }
            }
            Action::SelectRow(pane, row) => {
                self.set_focus(pane);
                if let Some(list) = self.list_of(pane) {
                    list.select_row(row);
                }
            }
            Action::Scroll(Pane::Response, delta) => self.response.scroll_by(delta as isize),
            Action::Scroll(pane, delta) => {
                if let Some(list) = self.list_of(pane) {
                    list.move_by(delta as isize);
                }
            }
            Action::Select => return self.select(),
            Action::StartFilter => match self.focus {
                Pane::Connectors | Pane::Methods => self.mode = Mode::Filter(self.focus),
                Pane::Response if self.response.shown().is_some() => {
                    self.mode = Mode::Search;
                    self.response.start_search();
                }
                Pane::Response | Pane::Editor => {}
            },
            Action::SearchNext => self.response.search_step(true),
            Action::SearchPrevious => self.response.search_step(false),
            Action::Reload => {
                return if self.focus == Pane::Methods {
                    self.load_methods()
                } else {
                    self.load_connectors()
                };
            }
            Action::Send => return self.send(),
            Action::Cancel => return self.cancel(),
            Action::ToggleEndpoint => {
                self.editor.endpoint = match self.editor.endpoint {
                    Endpoint::Call => Endpoint::Test,
                    Endpoint::Test => Endpoint::RawBody,
                    Endpoint::RawBody => Endpoint::Call,
                }
            }
            Action::ToggleVerb => {
                self.editor.verb = match self.editor.verb {
                    Verb::Post => Verb::Get,
                    Verb::Get => Verb::Post,
                }
            }
            Action::ToggleAddressing => {
                let target = self.editor.target.as_ref();
                if target.is_some_and(|t| t.guid.is_some() && t.method_id.is_some()) {
                    self.editor.by_guid = !self.editor.by_guid;
                } else if target.is_some() {
                    self.notify("this method has only one kind of id", true);
                }
            }
            Action::ResetEditor => {
                let target = self.editor.target.clone();
                let method = self.methods.items.ready().and_then(|methods| {
                    let t = target.as_ref()?;
                    methods
                        .iter()
                        .find(|m| m.id == t.method_id && m.method_unique_identifier == t.guid)
                });
                if let Some(method) = method.cloned() {
                    self.editor.reset(&method);
                    self.notify("editor reset to the method's template", false);
                    if self.remember {
                        return self.keep_drafts();
                    }
                }
            }
            Action::ToggleContentType => {
                self.editor.content_type = self.editor.content_type.next();
                if self.editor.endpoint != Endpoint::RawBody {
                    self.notify("the content type applies to the raw-body endpoint", false);
                }
            }
            Action::SelectAll => {
                self.editor.textarea.select_all();
            }
            Action::ClearBody => self.editor.clear(std::time::SystemTime::now()),
            Action::ToggleForm => self.toggle_form(),
            Action::ShowDetails => return self.open_details(),
            Action::NextTab => {
                self.response.switch_tab(1);
                return self.build_shown_table();
            }
            Action::PreviousTab => {
                self.response.switch_tab(-1);
                return self.build_shown_table();
            }
            Action::SelectTab(tab) => {
                self.set_focus(Pane::Response);
                self.response.select_tab(tab);
                return self.build_shown_table();
            }
            Action::ToggleWrap => self.response.toggle_wrap(),
            Action::ScrollLeft => self.response.scroll_sideways(-8),
            Action::ScrollRight => self.response.scroll_sideways(8),
            Action::CycleSort => self.methods.cycle_sort(),
            Action::SaveBody => return self.save_body(),
            Action::OpenHistory => return self.open_history(),
            Action::PickAccount => return self.open_accounts(),
            Action::StartJq if self.focus == Pane::Response => return self.start_jq(),
            Action::FoldPrefix if self.response.cursor().is_some() => self.pending_fold = true,
            Action::FoldPrefix => {
                self.notify("folding works in the Pretty tab of a JSON response", true);
            }
            Action::Fold(how) => self.fold(how),
            Action::OpenCopyMenu => self.open_copy_menu(),
            Action::SaveResponse => self.open_save_prompt(),
            Action::EditExternally => return self.edit_externally(),
            Action::SortColumn | Action::PickColumns => {
                self.notify("sorting and columns work in the Table tab", true);
            }
            // Only in the pickers, or only with the response focused.
            Action::ToggleMark
            | Action::ToggleScope
            | Action::Diff
            | Action::Rerun
            | Action::StartJq => {}
        }
        Vec::new()
    }

    /// An action while an overlay is open: it goes to the top overlay (quitting still quits).
    fn overlay_act(&mut self, action: &Action) -> Vec<Effect> {
        if *action == Action::Quit {
            return self.quit();
        }
        let Some(top) = self.overlays.last_mut() else {
            return Vec::new();
        };
        match top {
            Overlay::Copy(menu) => match action {
                Action::Up => menu.selected = menu.selected.saturating_sub(1),
                Action::Down => {
                    menu.selected = (menu.selected + 1).min(menu.choices.len().saturating_sub(1));
                }
                Action::Select => {
                    let what = menu.choices.get(menu.selected).copied();
                    if let Some(what) = what {
                        return self.copy(what);
                    }
                }
                Action::Cancel => {
                    self.overlays.pop();
                }
                _ => {}
            },
            Overlay::Save(_) => match action {
                Action::Select => return self.save_prompt_enter(),
                Action::Cancel => {
                    self.overlays.pop();
                    self.notify("not saved", false);
                }
                _ => {}
            },
            Overlay::Columns => self.columns_act(*action),
            Overlay::Accounts(_) | Overlay::History(_) => return self.picker_act(action),
            Overlay::Choices(_) => return self.choices_act(action),
            Overlay::Details(_) => return self.details_act(action),
            Overlay::Text(_) => self.text_act(action),
            Overlay::ConfirmSend { .. } => match action {
                Action::Select => {
                    let Some(Overlay::ConfirmSend { key, request, .. }) = self.overlays.pop()
                    else {
                        return Vec::new();
                    };
                    return self.dispatch(&key, *request);
                }
                Action::Cancel => {
                    self.overlays.pop();
                    self.notify("not sent", false);
                }
                _ => {}
            },
            Overlay::Help { scroll } => match action {
                Action::ToggleHelp | Action::Cancel => {
                    self.overlays.pop();
                }
                Action::Up => *scroll = scroll.saturating_sub(1),
                Action::Down => *scroll = scroll.saturating_add(1),
                Action::PageUp => *scroll = scroll.saturating_sub(10),
                Action::PageDown => *scroll = scroll.saturating_add(10),
                Action::Top => *scroll = 0,
                Action::Bottom => *scroll = u16::MAX / 2,
                _ => {}
            },
        }
        Vec::new()
    }

    fn quit(&mut self) -> Vec<Effect> {
        self.should_quit = true;
        let mut effects: Vec<Effect> = self
            .response
            .cancel_all()
            .into_iter()
            .map(Effect::Cancel)
            .collect();
        effects.extend(self.keep_all());
        effects
    }

    fn set_focus(&mut self, pane: Pane) {
        self.focus = pane;
        if self.mode == Mode::Search {
            self.response.end_search(false);
        }
        self.mode = Mode::Normal;
    }

    fn move_focused(&mut self, delta: isize) {
        if self.focus == Pane::Response {
            if self.response.cursor().is_some() {
                self.response.move_cursor(delta);
            } else {
                self.response.scroll_by(delta);
            }
        } else if let Some(list) = self.list_of(self.focus) {
            list.move_by(delta);
        }
    }

    fn select(&mut self) -> Vec<Effect> {
        match self.mode {
            Mode::Filter(_) => {
                self.mode = Mode::Normal;
                return Vec::new();
            }
            Mode::Search => {
                self.mode = Mode::Normal;
                self.response.end_search(false);
                if self.response.search().is_some_and(|s| s.hit.is_none()) {
                    self.response.search_step(true);
                }
                return Vec::new();
            }
            Mode::Jq => return self.keep_jq(),
            Mode::Normal => {}
        }
        match self.focus {
            Pane::Connectors => {
                let Some(selected) = self.connectors.selected() else {
                    return Vec::new();
                };
                let (Some(account_connector_id), Some(connector_id)) =
                    (selected.id, selected.connector_id())
                else {
                    self.notify("this account connector has no Id or Connector.Id", true);
                    return Vec::new();
                };
                self.methods.owner = Some(MethodsOwner {
                    account_connector_id,
                    connector_id,
                    name: selected.name.clone().unwrap_or_default(),
                });
                self.methods.list.set_filter(String::new());
                self.focus = Pane::Methods;
                self.load_methods()
            }
            Pane::Methods => {
                let (Some(owner), Some(method)) = (&self.methods.owner, self.methods.selected())
                else {
                    return Vec::new();
                };
                let (id, connector) = (owner.account_connector_id, owner.name.clone());
                let method = method.clone();
                self.editor.load_method(id, &connector, &method);
                let effects = if self.remember {
                    self.keep_drafts()
                } else {
                    Vec::new()
                };
                if let Some(target) = &self.editor.target {
                    let title = CallTitle {
                        method: target.name.clone(),
                        connector: target.connector.clone(),
                        is_write: target.access.write,
                    };
                    self.response.show(target.key(), title);
                }
                self.set_focus(Pane::Editor);
                effects
            }
            Pane::Response => {
                if self.response.cursor().is_some() {
                    self.fold(Fold::Toggle);
                }
                Vec::new()
            }
            Pane::Editor => Vec::new(),
        }
    }

    fn load_connectors(&mut self) -> Vec<Effect> {
        let id = self.next_request();
        let superseded = self.connectors.items.start(id);
        superseded
            .map(Effect::Cancel)
            .into_iter()
            .chain([Effect::LoadConnectors { id }])
            .collect()
    }

    fn load_methods(&mut self) -> Vec<Effect> {
        let Some(connector_id) = self.methods.owner.as_ref().map(|o| o.connector_id) else {
            return Vec::new();
        };
        let id = self.next_request();
        let superseded = self.methods.items.start(id);
        superseded
            .map(Effect::Cancel)
            .into_iter()
            .chain([Effect::LoadMethods { id, connector_id }])
            .collect()
    }

    /// The send key: checks the request, then sends it, asks first (a write), or says why
    /// not (invalid text, a required value left empty, read-only mode, a write in flight).
    fn send(&mut self) -> Vec<Effect> {
        // A send refused for a value (a form row of the wrong type, a required one left
        // empty) goes anyway when pressed again soon after.
        let refused_for = self.editor.target.as_ref().map(MethodTarget::key);
        let forced = self.force_send.take().is_some_and(|(k, at)| {
            Some(&k) == refused_for.as_ref()
                && self.now.saturating_duration_since(at) <= FORCE_SEND_WINDOW
        });
        // The form's values go into the text first, unless one does not fit its type.
        if self.editor.form.is_some() && !self.form_allows_send(forced) {
            self.force_send = refused_for.map(|k| (k, self.now));
            return Vec::new();
        }
        let (request, body) = match self.editor.request() {
            Ok(request) => request,
            Err(e) => {
                self.editor.error = Some(e.clone());
                self.notify(format!("not sent: {e}"), true);
                return Vec::new();
            }
        };
        self.editor.error = None;
        let Some(target) = self.editor.target.clone() else {
            return Vec::new();
        };
        let key = target.key();
        let send_key = self.keymap.key(Context::Editor, &Action::Send);
        if self.safety.read_only && target.access.write {
            self.notify(
                format!(
                    "read-only mode: {} changes data ({}); not sent",
                    target.name, target.access.reason
                ),
                true,
            );
            return Vec::new();
        }
        if let Some(exchange) = self.response.shown().filter(|e| e.in_flight.is_some())
            && exchange.is_write
        {
            // A second press must not make a second copy of a write.
            self.notify(
                format!(
                    "already sending {} (it changes data); {} cancels",
                    target.name,
                    self.keymap.key(Context::Editor, &Action::Cancel)
                ),
                true,
            );
            return Vec::new();
        }
        // A required value left empty: the first press explains, a second one soon after
        // sends anyway (Cyclr may fill it from a mapping).
        let missing = match (&body, &self.editor.method) {
            (Some(body), Some(method)) => body.missing_required(method),
            _ => Vec::new(),
        };
        if !missing.is_empty() && !forced {
            let names: Vec<String> = missing.iter().map(ToString::to_string).collect();
            self.notify(
                if names.len() == 1 {
                    format!("required {} is empty: {send_key} again sends it", names[0])
                } else {
                    format!(
                        "required {} are empty: {send_key} again sends them",
                        names.join(", ")
                    )
                },
                true,
            );
            self.force_send = Some((key, self.now));
            return Vec::new();
        }
        if target.access.write && self.safety.confirm_writes {
            let lines = self.confirmation(&target, &request, body.as_ref());
            self.notice = None;
            self.overlays.push(Overlay::ConfirmSend {
                key,
                request: Box::new(request),
                lines,
            });
            return Vec::new();
        }
        self.dispatch(&key, request)
    }

    /// What the confirmation of a write says: what, where, and the values sent.
    fn confirmation(
        &self,
        target: &MethodTarget,
        request: &crate::cyclr::CallRequest,
        body: Option<&crate::body::RequestBody>,
    ) -> Vec<String> {
        let mut lines = vec![
            format!("Send {} ({})?", target.name, target.access.reason),
            format!(
                "{} {} on account connector {} (#{})",
                request.http_method_name(),
                request.path(),
                target.connector,
                target.account_connector_id
            ),
            format!(
                "account {} @ {}",
                self.connection.account, self.connection.instance
            ),
            String::new(),
        ];
        match (body, &self.editor.method) {
            (Some(body), Some(method)) => lines.extend(crate::body::describe_values(body, method)),
            _ if request.body.is_empty() => lines.push("(no body)".into()),
            _ => lines.push(format!(
                "{} bytes sent as they are ({})",
                request.body.len(),
                request.content_type.mime()
            )),
        }
        lines
    }

    /// Sends `request` for the method `key` (after any confirmation).
    fn dispatch(&mut self, key: &CallKey, request: crate::cyclr::CallRequest) -> Vec<Effect> {
        let id = self.next_request();
        let flight = InFlight {
            id,
            started: self.now,
            request: request.clone(),
        };
        // A read sent again replaces the one in flight.
        let mut effects: Vec<Effect> = self
            .response
            .start(key, flight)
            .map(|f| Effect::Cancel(f.id))
            .into_iter()
            .collect();
        self.notice = None;
        let label = self.label(key);
        effects.push(Effect::Call { id, request, label });
        effects
    }

    /// What the history records about a call of `key`'s method, besides the request.
    fn label(&self, key: &CallKey) -> crate::recorder::CallLabel {
        let c = &self.connection;
        let target = self.editor.target.as_ref().filter(|t| t.key() == *key);
        crate::recorder::CallLabel {
            profile: c.profile.clone().unwrap_or_default(),
            instance: c.instance.clone(),
            account: c.account.clone(),
            connector_name: target.map(|t| t.connector.clone()).unwrap_or_default(),
            method_id: target.and_then(|t| t.method_id),
            method_uid: target.and_then(|t| t.guid.clone()),
            method_name: target.map(|t| t.name.clone()).unwrap_or_default(),
        }
    }

    /// `S`: saves a body that was too large to show, from the temporary file it was kept in;
    /// the call is never made again (it may have been a write).
    fn save_body(&mut self) -> Vec<Effect> {
        let kept = match self.response.outcome() {
            Some(Outcome::TooLarge {
                kept: Some(kept), ..
            }) => kept.clone(),
            Some(Outcome::TooLarge { kept: None, .. }) => {
                self.notify(
                    "this body was past the limit for keeping it too, so there is nothing to save; the command line can stream it to a file",
                    true,
                );
                return Vec::new();
            }
            _ => {
                self.notify(
                    "S saves a response that was too large to show; there is none",
                    true,
                );
                return Vec::new();
            }
        };
        let Some(request) = self.response.shown().and_then(|e| e.last_request.clone()) else {
            return Vec::new();
        };
        let id = self.next_request();
        let path = std::path::PathBuf::from(format!(
            "cyclr-response-{}-{}-{id}.body",
            request.account_connector_id,
            request.method.to_string().replace(['/', '\\'], "_"),
        ));
        self.notify(format!("saving the body to {}…", path.display()), false);
        vec![Effect::KeepBody { id, kept, path }]
    }

    /// Esc: stops typing a filter or search, else cancels the shown method's call in flight;
    /// in the editor with nothing in flight, goes back to the methods list.
    fn cancel(&mut self) -> Vec<Effect> {
        if let Mode::Filter(pane) = self.mode {
            self.mode = Mode::Normal;
            if let Some(list) = self.list_of(pane) {
                list.set_filter(String::new());
            }
        } else if self.mode == Mode::Search {
            self.mode = Mode::Normal;
            self.response.end_search(true);
        } else if self.mode == Mode::Jq {
            self.clear_jq();
        } else if let Some(flight) = self.response.cancel_shown() {
            let name = self.response.shown().map(|e| e.method.clone());
            self.notify(format!("cancelled {}", name.unwrap_or_default()), false);
            return vec![Effect::Cancel(flight.id)];
        } else if self.focus == Pane::Editor {
            self.set_focus(Pane::Methods);
        } else if self.focus == Pane::Response
            && self.response.shown().is_some_and(|e| !e.jq.text.is_empty())
        {
            self.clear_jq();
            self.notify("filter cleared", false);
        }
        Vec::new()
    }

    fn input(&mut self, key: KeyEvent) -> Vec<Effect> {
        if self.pending_fold {
            self.pending_fold = false;
            return Vec::new();
        }
        match self.overlays.last_mut() {
            Some(Overlay::Accounts(_) | Overlay::History(_)) => {
                self.picker_filter(|filter| edit_line(filter, key));
                return Vec::new();
            }
            Some(Overlay::Choices(_)) => {
                self.choices_filter(|filter| edit_line(filter, key));
                return Vec::new();
            }
            Some(Overlay::Copy(menu)) => {
                let chosen = match key.code {
                    KeyCode::Char(c) => menu.choices.iter().find(|w| w.key() == c).copied(),
                    _ => None,
                };
                return match chosen {
                    Some(what) => self.copy(what),
                    None => Vec::new(),
                };
            }
            Some(Overlay::Save(prompt)) => {
                if let Some(text) = edit_line(&prompt.path, key) {
                    prompt.path = text;
                    prompt.overwrite = false;
                    prompt.error = None;
                }
                return Vec::new();
            }
            _ => {}
        }
        match self.mode {
            Mode::Filter(pane) => {
                if let Some(list) = self.list_of(pane)
                    && let Some(text) = edit_line(list.filter(), key)
                {
                    list.set_filter(text);
                }
            }
            Mode::Search => {
                let query = self.response.search().map(|s| s.query.as_str());
                if let Some(text) = edit_line(query.unwrap_or_default(), key) {
                    self.response.set_query(text);
                }
            }
            Mode::Jq => {
                let filter = self.response.shown().map(|e| e.jq.text.as_str());
                if let Some(text) = edit_line(filter.unwrap_or_default(), key) {
                    return self.set_jq_text(text);
                }
            }
            Mode::Normal if self.form_shown() => self.form_input(key),
            Mode::Normal if self.focus == Pane::Editor => {
                match key.code {
                    // Typed control, bidi or invisible characters go in as JSON escapes.
                    KeyCode::Char(c) if crate::text::is_unsafe(c) => {
                        self.editor
                            .textarea
                            .insert_str(crate::text::json_escaped(&c.to_string()));
                    }
                    _ => {
                        self.editor.textarea.input(key);
                    }
                }
                self.editor.edited();
            }
            Mode::Normal => {}
        }
        Vec::new()
    }

    fn paste(&mut self, text: &str) -> Vec<Effect> {
        let one_line = || text.replace(['\r', '\n'], " ");
        match self.overlays.last_mut() {
            Some(Overlay::Accounts(_) | Overlay::History(_)) => {
                self.picker_filter(|filter| Some(format!("{filter}{}", one_line())));
                return Vec::new();
            }
            Some(Overlay::Choices(_)) => {
                self.choices_filter(|filter| Some(format!("{filter}{}", one_line())));
                return Vec::new();
            }
            Some(Overlay::Save(prompt)) => {
                prompt.path.push_str(&one_line());
                prompt.overwrite = false;
                return Vec::new();
            }
            Some(_) => return Vec::new(),
            None => {}
        }
        match self.mode {
            Mode::Filter(pane) => {
                let added = one_line();
                if let Some(list) = self.list_of(pane) {
                    let filter = format!("{}{added}", list.filter());
                    list.set_filter(filter);
                }
            }
            Mode::Search => {
                let query = self.response.search().map(|s| s.query.clone());
                self.response
                    .set_query(format!("{}{}", query.unwrap_or_default(), one_line()));
            }
            Mode::Jq => {
                let filter = self.response.shown().map(|e| e.jq.text.clone());
                // A filter may span lines: a pasted one keeps its line breaks' meaning.
                let added = text.replace("\r\n", "\n").replace(['\r', '\n'], " ");
                return self.set_jq_text(format!("{}{added}", filter.unwrap_or_default()));
            }
            Mode::Normal if self.form_shown() => self.form_paste(text),
            Mode::Normal if self.focus == Pane::Editor => {
                let text = text.replace("\r\n", "\n").replace('\r', "\n");
                self.editor
                    .textarea
                    .insert_str(crate::text::json_escaped(&text));
                self.editor.edited();
            }
            Mode::Normal => {}
        }
        Vec::new()
    }
}

/// Applies a key to a one-line text: typing, Backspace, Ctrl-U (clear), Ctrl-W (word).
/// `None` when the key does not edit.
pub(super) fn edit_line(current: &str, key: KeyEvent) -> Option<String> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let mut text = current.to_string();
    match key.code {
        KeyCode::Char('u') if ctrl => text.clear(),
        KeyCode::Char('w') if ctrl => {
            let trimmed = text.trim_end();
            let cut = trimmed.rfind(' ').map_or(0, |i| i + 1);
            text.truncate(cut);
        }
        KeyCode::Char(c) if !ctrl && !c.is_control() => text.push(c),
        KeyCode::Backspace => {
            text.pop();
        }
        _ => return None,
    }
    Some(text)
}
