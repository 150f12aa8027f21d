//! Keys are data: one table maps (context, key) to an [`Action`]. The config file's `[keys]`
//! table remaps actions by name; the help overlay, the status bar and every hint on screen
//! are generated from the active [`Keymap`], so what the screen says is what the keys do.

use crate::action::{Action, Pane};
use crate::app::{App, Fold, Mode, Overlay};
use crate::msg::Msg;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::fmt::{self, Write};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Everywhere, the editor and text lines included (not inside an overlay).
    Anywhere,
    /// Everywhere except while typing text (the editor, a filter or a search).
    Global,
    /// The connector and method lists.
    Lists,
    /// The methods list only.
    Methods,
    /// The request editor (other keys are typed into it).
    Editor,
    /// The request form (`F2`; other keys are typed into the selected row).
    Form,
    /// The response viewer.
    Response,
    /// While typing a filter or search (other keys are typed).
    TextLine,
    /// The help overlay.
    Help,
    /// Confirming a write.
    Confirm,
    /// The account picker and the history (other keys type into the filter).
    Picker,
    /// After `z` in the response viewer.
    Folding,
    /// The copy menu and the column picker (a letter chooses in the copy menu).
    Menu,
    /// Typing a file name (other keys are typed).
    Prompt,
}

impl Context {
    /// The heading of this context in the help overlay.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Context::Anywhere => "Anywhere, the editor included",
            Context::Global => "Everywhere (outside the editor)",
            Context::Lists => "Connector and method lists",
            Context::Methods => "Methods",
            Context::Editor => "Request editor",
            Context::Form => {
                "Request form (F2; other keys edit the row: ←→ Home End move, Space flips a Boolean, Ctrl-U clears)"
            }
            Context::Response => "Response viewer",
            Context::TextLine => "While typing a filter or search",
            Context::Help => "This help",
            Context::Confirm => "Confirming a write",
            Context::Picker => "Account picker, history, a form row's choices (type to filter)",
            Context::Folding => "After z in the response (folding the pretty JSON)",
            Context::Menu => "Copy menu (a letter copies) and column picker",
            Context::Prompt => "Typing a file name",
        }
    }
}

/// One key with its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    const fn plain(code: KeyCode) -> Key {
        Key {
            code,
            mods: KeyModifiers::NONE,
        }
    }
    const fn ch(c: char) -> Key {
        Key::plain(KeyCode::Char(c))
    }
    const fn ctrl(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            mods: KeyModifiers::CONTROL,
        }
    }
    const fn alt(c: char) -> Key {
        Key {
            code: KeyCode::Char(c),
            mods: KeyModifiers::ALT,
        }
    }

    fn matches(&self, event: &KeyEvent) -> bool {
        let mut mods = event.modifiers;
        if matches!(event.code, KeyCode::Char(_)) || event.code == KeyCode::BackTab {
            mods.remove(KeyModifiers::SHIFT); // 'G' may or may not come with SHIFT
        }
        let code = match event.code {
            KeyCode::Char(c) if !self.mods.is_empty() => KeyCode::Char(c.to_ascii_lowercase()),
            code => code,
        };
        code == self.code && mods == self.mods
    }

    /// Reads a key as the config file writes it: `ctrl-s`, `alt-2`, `shift-tab`, `f9`,
    /// `enter`, `esc`, `pgdn`, a single character (`G`, `?`). Names ignore case.
    pub fn parse(text: &str) -> Result<Key, String> {
        let lower = text.trim().to_ascii_lowercase();
        let bad = || {
            format!(
                "'{}' is not a key (write e.g. ctrl-s, alt-2, shift-tab, f9, enter, esc, or one character)",
                crate::text::inert(text)
            )
        };
        let one_char = |s: &str| {
            let mut chars = s.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Some(c),
                _ => None,
            }
        };
        if let Some(c) = one_char(text.trim()) {
            return Ok(Key::ch(c));
        }
        for (prefix, mods) in [
            ("ctrl-", KeyModifiers::CONTROL),
            ("alt-", KeyModifiers::ALT),
        ] {
            if let Some(rest) = lower.strip_prefix(prefix) {
                let c = one_char(rest).ok_or_else(bad)?;
                return Ok(Key {
                    code: KeyCode::Char(c),
                    mods,
                });
            }
        }
        let code = match lower.as_str() {
            "shift-tab" | "backtab" => KeyCode::BackTab,
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pagedown" => KeyCode::PageDown,
            f if f.starts_with('f') => match f[1..].parse::<u8>() {
                Ok(n @ 1..=12) => KeyCode::F(n),
                _ => return Err(bad()),
            },
            _ => return Err(bad()),
        };
        Ok(Key::plain(code))
    }
}

impl fmt::Display for Key {
    /// How the key is written on screen: `Ctrl-S`, `Alt-2`, `F5`, `Esc`, `G`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let base = match self.code {
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::BackTab => "Shift-Tab".into(),
            other => format!("{other:?}"),
        };
        if self.mods.contains(KeyModifiers::CONTROL) {
            write!(f, "Ctrl-{}", base.to_uppercase())
        } else if self.mods.contains(KeyModifiers::ALT) {
            write!(f, "Alt-{base}")
        } else {
            f.write_str(&base)
        }
    }
}

/// A row of the keymap.
#[derive(Debug, Clone)]
pub struct Binding {
    pub context: Context,
    pub keys: Vec<Key>,
    pub action: Action,
    /// The name the config file's `[keys]` table uses, e.g. `send`, `focus_methods`.
    pub name: &'static str,
    pub help: &'static str,
}

/// A default binding: context, keys, action, name, help.
type Row = (Context, &'static [Key], Action, &'static str, &'static str);

use Context::{
    Anywhere, Confirm, Editor, Folding, Form, Global, Help, Lists, Menu, Methods, Picker, Prompt,
    Response, TextLine,
};
use KeyCode::{BackTab, Down, End, Enter, Esc, F, Home, Left, PageDown, PageUp, Right, Tab, Up};

/// Every key the explorer knows, before the config file's remapping. Earlier rows win.
#[rustfmt::skip]
const DEFAULTS: &[Row] = &[
    // Anywhere: focus a pane, also from the editor.
    (Anywhere, &[Key::alt('1')], Action::Focus(Pane::Connectors), "focus_connectors", "account connectors"),
    (Anywhere, &[Key::alt('2')], Action::Focus(Pane::Methods), "focus_methods", "methods"),
    (Anywhere, &[Key::alt('3')], Action::Focus(Pane::Editor), "focus_editor", "request editor"),
    (Anywhere, &[Key::alt('4')], Action::Focus(Pane::Response), "focus_response", "response"),
    // The help overlay.
    (Help, &[Key::plain(Esc), Key::ch('?'), Key::ch('q'), Key::plain(F(1))], Action::ToggleHelp, "close_help", "close the help"),
    (Help, &[Key::plain(Up), Key::ch('k')], Action::Up, "up", "scroll up"),
    (Help, &[Key::plain(Down), Key::ch('j')], Action::Down, "down", "scroll down"),
    (Help, &[Key::plain(PageUp)], Action::PageUp, "page_up", "page up"),
    (Help, &[Key::plain(PageDown), Key::ch(' ')], Action::PageDown, "page_down", "page down"),
    (Help, &[Key::plain(Home), Key::ch('g')], Action::Top, "top", "top"),
    (Help, &[Key::plain(End), Key::ch('G')], Action::Bottom, "bottom", "end"),
    // The account picker and the history.
    (Picker, &[Key::plain(Enter)], Action::Select, "pick", "choose: switch account / show the recorded call"),
    (Picker, &[Key::plain(Esc)], Action::Cancel, "close_picker", "close"),
    (Picker, &[Key::plain(Up)], Action::Up, "up", "move up"),
    (Picker, &[Key::plain(Down)], Action::Down, "down", "move down"),
    (Picker, &[Key::plain(PageUp)], Action::PageUp, "page_up", "page up"),
    (Picker, &[Key::plain(PageDown)], Action::PageDown, "page_down", "page down"),
    (Picker, &[Key::plain(Tab)], Action::ToggleMark, "mark", "history: mark a call to compare (two)"),
    (Picker, &[Key::ctrl('d')], Action::Diff, "diff", "history: compare the two marked calls' responses"),
    (Picker, &[Key::ctrl('r')], Action::Rerun, "rerun", "history: send the call again (writes still ask); lookup: call it again"),
    (Picker, &[Key::ctrl('a')], Action::ToggleScope, "history_scope", "history: this method's calls / every call"),
    // Confirming a write.
    (Confirm, &[Key::plain(Enter)], Action::Select, "confirm", "send it"),
    (Confirm, &[Key::plain(Esc)], Action::Cancel, "cancel", "go back, nothing sent"),
    // The request form (before the editor's keys: Tab moves between rows here).
    (Form, &[Key::plain(Up), Key::plain(BackTab)], Action::Up, "form_up", "previous row"),
    (Form, &[Key::plain(Down), Key::plain(Tab)], Action::Down, "form_down", "next row"),
    (Form, &[Key::plain(Enter)], Action::Select, "form_choose", "choose from the allowed values or the lookup (↗)"),
    // Keys that work in the editor too.
    (Editor, &[Key::ctrl('s'), Key::plain(F(5))], Action::Send, "send", "send the request"),
    (Editor, &[Key::plain(Esc)], Action::Cancel, "cancel", "cancel the call in flight, else back to the methods"),
    (Editor, &[Key::plain(Tab)], Action::FocusNext, "focus_next", "next pane"),
    (Editor, &[Key::plain(BackTab)], Action::FocusPrevious, "focus_previous", "previous pane"),
    (Editor, &[Key::plain(F(6)), Key::ctrl('t')], Action::ToggleEndpoint, "toggle_endpoint", "call / test / raw-body endpoint"),
    (Editor, &[Key::plain(F(7)), Key::ctrl('g')], Action::ToggleVerb, "toggle_verb", "POST / legacy GET"),
    (Editor, &[Key::plain(F(8)), Key::ctrl('o')], Action::ToggleAddressing, "toggle_addressing", "address by Id / by GUID"),
    (Editor, &[Key::ctrl('r')], Action::ResetEditor, "reset_editor", "reset to the method's template"),
    (Editor, &[Key::plain(F(4))], Action::ToggleContentType, "toggle_content_type", "raw body: JSON / XML / text"),
    (Editor, &[Key::ctrl('a')], Action::SelectAll, "select_all", "select all the text"),
    (Editor, &[Key::ctrl('l')], Action::ClearBody, "clear_body", "clear the body (Ctrl-R brings the template back)"),
    (Editor, &[Key::ctrl('e')], Action::EditExternally, "external_editor", "edit the body in $VISUAL / $EDITOR"),
    (Editor, &[Key::plain(F(1))], Action::ToggleHelp, "help", "help"),
    (Editor, &[Key::plain(F(2))], Action::ToggleForm, "toggle_form", "the request as a form / as JSON"),
    // Typing a filter or a search.
    (TextLine, &[Key::plain(Enter)], Action::Select, "select", "keep the filter / go to the match"),
    (TextLine, &[Key::plain(Esc)], Action::Cancel, "cancel", "clear and stop typing"),
    (TextLine, &[Key::plain(Up)], Action::Up, "up", "move up"),
    (TextLine, &[Key::plain(Down)], Action::Down, "down", "move down"),
    (TextLine, &[Key::plain(Tab)], Action::FocusNext, "focus_next", "next pane"),
    // Lists.
    (Lists, &[Key::plain(Enter)], Action::Select, "select", "open: connector → methods, method → editor"),
    (Lists, &[Key::ch('/')], Action::StartFilter, "filter", "filter as you type"),
    (Lists, &[Key::ch('i')], Action::ShowDetails, "details", "the account connector's details and properties"),
    (Methods, &[Key::ch('s')], Action::CycleSort, "cycle_sort", "sort by category / name / id"),
    // Response.
    (Response, &[Key::ch('/')], Action::StartFilter, "filter", "search"),
    (Response, &[Key::ch('n')], Action::SearchNext, "search_next", "next match"),
    (Response, &[Key::ch('N')], Action::SearchPrevious, "search_previous", "previous match"),
    (Response, &[Key::ch(']')], Action::NextTab, "next_tab", "next tab (pretty, table, raw, headers, request)"),
    (Response, &[Key::ch('[')], Action::PreviousTab, "previous_tab", "previous tab"),
    (Response, &[Key::ch('S')], Action::SaveBody, "save_body", "save a response too large to show to a file"),
    (Response, &[Key::ch('w')], Action::ToggleWrap, "toggle_wrap", "wrap long lines on/off"),
    (Response, &[Key::plain(Left), Key::ch('h')], Action::ScrollLeft, "scroll_left", "scroll left"),
    (Response, &[Key::plain(Right), Key::ch('l')], Action::ScrollRight, "scroll_right", "scroll right"),
    (Response, &[Key::ch(' ')], Action::PageDown, "page_down", "page down"),
    (Response, &[Key::ch('|')], Action::StartJq, "jq", "filter with jq (Enter keeps it, Esc clears it)"),
    (Response, &[Key::ch('z')], Action::FoldPrefix, "fold", "fold: za toggle, zM all, zR none, z1…z9 depth"),
    (Response, &[Key::plain(Enter)], Action::Select, "open", "fold / unfold (pretty), open the record (table)"),
    (Response, &[Key::ch('y')], Action::OpenCopyMenu, "copy", "copy: body, result, value, path, headers, curl"),
    (Response, &[Key::ch('s')], Action::SaveResponse, "save", "save the body (or the filter's result) to a file"),
    (Response, &[Key::ch('o')], Action::SortColumn, "sort_column", "table: sort by the selected column"),
    (Response, &[Key::ch('c')], Action::PickColumns, "columns", "table: choose the columns shown"),
    // After z.
    (Folding, &[Key::ch('a')], Action::Fold(Fold::Toggle), "fold_toggle", "fold / unfold under the cursor"),
    (Folding, &[Key::ch('M')], Action::Fold(Fold::All), "fold_all", "fold everything below the root"),
    (Folding, &[Key::ch('R')], Action::Fold(Fold::None), "unfold_all", "unfold everything"),
    (Folding, &[Key::ch('1'), Key::ch('2'), Key::ch('3'), Key::ch('4'), Key::ch('5'), Key::ch('6'), Key::ch('7'), Key::ch('8'), Key::ch('9')], Action::Fold(Fold::ToDepth(0)), "fold_depth", "fold to that depth"),
    (Folding, &[Key::plain(Esc)], Action::Cancel, "cancel", "never mind"),
    // Menus.
    (Menu, &[Key::plain(Enter)], Action::Select, "choose", "copy the highlighted choice / close"),
    (Menu, &[Key::plain(Esc)], Action::Cancel, "close_menu", "close"),
    (Menu, &[Key::plain(Up), Key::ch('k')], Action::Up, "up", "move up"),
    (Menu, &[Key::plain(Down), Key::ch('j')], Action::Down, "down", "move down"),
    (Menu, &[Key::ch(' ')], Action::ToggleMark, "toggle_column", "column picker: show / hide the column"),
    // A file name.
    (Prompt, &[Key::plain(Enter)], Action::Select, "save_here", "save (a second Enter replaces a file there)"),
    (Prompt, &[Key::plain(Esc)], Action::Cancel, "close_prompt", "close, nothing saved"),
    // Everywhere outside the editor.
    (Global, &[Key::plain(Up), Key::ch('k')], Action::Up, "up", "up"),
    (Global, &[Key::plain(Down), Key::ch('j')], Action::Down, "down", "down"),
    (Global, &[Key::plain(PageUp), Key::ctrl('b')], Action::PageUp, "page_up", "page up"),
    (Global, &[Key::plain(PageDown), Key::ctrl('f')], Action::PageDown, "page_down", "page down"),
    (Global, &[Key::plain(Home), Key::ch('g')], Action::Top, "top", "top"),
    (Global, &[Key::plain(End), Key::ch('G')], Action::Bottom, "bottom", "end"),
    (Global, &[Key::plain(Tab)], Action::FocusNext, "focus_next", "next pane"),
    (Global, &[Key::plain(BackTab)], Action::FocusPrevious, "focus_previous", "previous pane"),
    (Global, &[Key::ch('1')], Action::Focus(Pane::Connectors), "focus_connectors", "account connectors"),
    (Global, &[Key::ch('2')], Action::Focus(Pane::Methods), "focus_methods", "methods"),
    (Global, &[Key::ch('3')], Action::Focus(Pane::Editor), "focus_editor", "request editor"),
    (Global, &[Key::ch('4')], Action::Focus(Pane::Response), "focus_response", "response"),
    (Global, &[Key::ctrl('s'), Key::plain(F(5))], Action::Send, "send", "send the request"),
    (Global, &[Key::plain(Esc)], Action::Cancel, "cancel", "cancel the call / close"),
    (Global, &[Key::ch('t'), Key::plain(F(6))], Action::ToggleEndpoint, "toggle_endpoint", "call / test / raw-body endpoint"),
    (Global, &[Key::ch('p'), Key::plain(F(7))], Action::ToggleVerb, "toggle_verb", "POST / legacy GET"),
    (Global, &[Key::ch('u'), Key::plain(F(8))], Action::ToggleAddressing, "toggle_addressing", "address by Id / by GUID"),
    (Global, &[Key::ch('r')], Action::Reload, "reload", "reload the focused list"),
    (Global, &[Key::ch('H')], Action::OpenHistory, "history", "history of the method (Ctrl-A in it: every call)"),
    (Global, &[Key::ch('A')], Action::PickAccount, "accounts", "switch account (partner credentials)"),
    (Global, &[Key::ch('?'), Key::plain(F(1))], Action::ToggleHelp, "help", "this help"),
    (Global, &[Key::plain(F(2))], Action::ToggleForm, "toggle_form", "the request as a form / as JSON"),
    (Global, &[Key::ch('q')], Action::Quit, "quit", "quit (Ctrl-C works everywhere)"),
];

/// A remapping from the config file: an action's name and the keys it should have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remap {
    pub action: String,
    pub keys: Vec<String>,
}

/// Why a remapping was refused, to be reported with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemapError {
    /// The action name as written (the remap the error is about).
    pub action: String,
    pub message: String,
}

/// The active keys: the defaults with the config file's remapping applied.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        let bindings = DEFAULTS
            .iter()
            .map(|(context, keys, action, name, help)| Binding {
                context: *context,
                keys: keys.to_vec(),
                action: *action,
                name,
                help,
            })
            .collect();
        Keymap { bindings }
    }
}

impl Keymap {
    /// Every action name the `[keys]` table accepts.
    #[must_use]
    pub fn action_names() -> Vec<&'static str> {
        let mut names: Vec<&'static str> = DEFAULTS.iter().map(|row| row.3).collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The defaults with `remaps` applied: each named action gets exactly the keys given, in
    /// every context where it is bound. Unknown names, unreadable keys and two actions on one
    /// key in one context are refused.
    pub fn with_remaps(remaps: &[Remap]) -> Result<Keymap, RemapError> {
        let mut keymap = Keymap::default();
        let names = Keymap::action_names();
        for remap in remaps {
            let fail = |message: String| RemapError {
                action: remap.action.clone(),
                message,
            };
            if !names.contains(&remap.action.as_str()) {
                let mut message =
                    format!("no action named '{}'", crate::text::inert(&remap.action));
                if let Some(near) = closest(&remap.action, &names) {
                    let _ = write!(message, " (did you mean `{near}`?)");
                }
                return Err(fail(message));
            }
            if remap.keys.is_empty() {
                return Err(fail("give at least one key".into()));
            }
            let keys = remap
                .keys
                .iter()
                .map(|k| Key::parse(k))
                .collect::<Result<Vec<Key>, String>>()
                .map_err(fail)?;
            for binding in &mut keymap.bindings {
                if binding.name == remap.action {
                    binding.keys.clone_from(&keys);
                }
            }
        }
        keymap.check_conflicts()?;
        Ok(keymap)
    }

    /// Refuses one key bound to two different actions in one context.
    fn check_conflicts(&self) -> Result<(), RemapError> {
        for (i, a) in self.bindings.iter().enumerate() {
            for b in &self.bindings[i + 1..] {
                if a.context != b.context || a.name == b.name {
                    continue;
                }
                if let Some(key) = a.keys.iter().find(|k| b.keys.contains(k)) {
                    return Err(RemapError {
                        action: a.name.to_string(),
                        message: format!(
                            "{key} is bound to both `{}` and `{}` ({})",
                            a.name,
                            b.name,
                            a.context.title().to_lowercase()
                        ),
                    });
                }
            }
        }
        Ok(())
    }

    /// Turns a key event into a message for `app`, or `None` when it means nothing here.
    /// Only key presses count (not releases), so no key acts twice.
    pub fn message_for(&self, app: &App, key: KeyEvent) -> Option<Msg> {
        if key.kind == KeyEventKind::Release {
            return None;
        }
        if key.modifiers.contains(KeyModifiers::CONTROL)
            && matches!(key.code, KeyCode::Char('c' | 'C'))
        {
            return Some(Msg::Action(Action::Quit));
        }
        let contexts = contexts(app);
        let bound = contexts.iter().find_map(|context| {
            self.bindings
                .iter()
                .find(|b| b.context == *context && b.keys.iter().any(|k| k.matches(&key)))
                .map(|b| match (b.action, key.code) {
                    // One row for z1 … z9: the digit pressed is the depth.
                    (Action::Fold(Fold::ToDepth(_)), KeyCode::Char(c)) => {
                        let depth = c.to_digit(10).unwrap_or(1) as usize;
                        Msg::Action(Action::Fold(Fold::ToDepth(depth)))
                    }
                    (action, _) => Msg::Action(action),
                })
        });
        let typed = [TextLine, Editor, Form, Picker, Folding, Menu, Prompt];
        match bound {
            Some(msg) => Some(msg),
            None if contexts.iter().any(|c| typed.contains(c)) => Some(Msg::Input(key)),
            None => None,
        }
    }

    /// The keys of `action` in `context`, as the screen writes them (`Ctrl-S F5`); empty when
    /// it has none there.
    #[must_use]
    pub fn keys(&self, context: Context, action: &Action) -> String {
        self.bindings
            .iter()
            .find(|b| b.context == context && &b.action == action)
            .map(|b| {
                b.keys
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default()
    }

    /// The first key of `action` in `context` (`Ctrl-S`), for short hints; `?` when unbound.
    pub fn key(&self, context: Context, action: &Action) -> String {
        self.bindings
            .iter()
            .find(|b| b.context == context && &b.action == action)
            .and_then(|b| b.keys.first())
            .map_or_else(|| "?".to_string(), ToString::to_string)
    }

    /// The send keys as a phrase, e.g. `Ctrl-S or F5`.
    #[must_use]
    pub fn send_keys(&self) -> String {
        self.keys(Global, &Action::Send).replace(' ', " or ")
    }

    /// The help overlay's sections: a title and (keys, what they do) rows.
    #[must_use]
    pub fn help_sections(&self) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
        let order = [
            Anywhere, Global, Lists, Methods, Response, Folding, Editor, Form, TextLine, Picker,
            Menu, Prompt, Help, Confirm,
        ];
        order
            .iter()
            .map(|context| {
                let rows = self
                    .bindings
                    .iter()
                    .filter(|b| b.context == *context)
                    .map(|b| {
                        let keys = b.keys.iter().map(ToString::to_string);
                        (keys.collect::<Vec<_>>().join(" "), b.help)
                    })
                    .collect();
                (context.title(), rows)
            })
            .collect()
    }

    /// A few `key what` hints for the status bar: what works where the keyboard is now.
    pub fn status_hints(&self, app: &App) -> Vec<(String, &'static str)> {
        let hint = |context, action: Action, what| (self.key(context, &action), what);
        match app.top_overlay() {
            Some(Overlay::Help { .. } | Overlay::Text(_) | Overlay::Details(_)) => {
                return vec![hint(Help, Action::ToggleHelp, "close")];
            }
            Some(Overlay::Choices(picker)) => {
                let mut hints = vec![
                    ("type".to_string(), "filter"),
                    hint(Picker, Action::Select, "choose"),
                ];
                if matches!(picker.source, crate::app::ChoiceSource::Lookup(_)) {
                    hints.push(hint(Picker, Action::Rerun, "refresh"));
                }
                hints.push(hint(Picker, Action::Cancel, "keep as it was"));
                return hints;
            }
            Some(Overlay::ConfirmSend { .. }) => {
                return vec![
                    hint(Confirm, Action::Select, "send"),
                    hint(Confirm, Action::Cancel, "back"),
                ];
            }
            Some(Overlay::Copy(_)) => {
                return vec![
                    ("letter".to_string(), "copy"),
                    hint(Menu, Action::Cancel, "close"),
                ];
            }
            Some(Overlay::Columns) => {
                return vec![
                    hint(Menu, Action::ToggleMark, "show/hide"),
                    hint(Menu, Action::Select, "done"),
                ];
            }
            Some(Overlay::Save(_)) => {
                return vec![
                    hint(Prompt, Action::Select, "save"),
                    hint(Prompt, Action::Cancel, "close"),
                ];
            }
            Some(Overlay::Accounts(_)) => {
                return vec![
                    hint(Picker, Action::Select, "switch"),
                    hint(Picker, Action::Cancel, "close"),
                ];
            }
            Some(Overlay::History(_)) => {
                return vec![
                    hint(Picker, Action::Select, "show"),
                    hint(Picker, Action::Rerun, "again"),
                    hint(Picker, Action::ToggleMark, "mark"),
                    hint(Picker, Action::Diff, "compare"),
                    hint(Picker, Action::Cancel, "close"),
                ];
            }
            None => {}
        }
        if app.pending_fold {
            return vec![
                ("a".to_string(), "toggle"),
                ("M".to_string(), "all"),
                ("R".to_string(), "none"),
                ("1-9".to_string(), "depth"),
            ];
        }
        match (app.mode, app.focus) {
            (Mode::Jq, _) => vec![
                hint(TextLine, Action::Select, "keep"),
                hint(TextLine, Action::Cancel, "clear"),
                hint(TextLine, Action::Up, "earlier"),
            ],
            (Mode::Filter(_) | Mode::Search, _) => vec![
                hint(TextLine, Action::Select, "keep"),
                hint(TextLine, Action::Cancel, "clear"),
            ],
            (Mode::Normal, Pane::Editor) if app.editor.form.is_some() => vec![
                hint(Form, Action::Down, "next row"),
                hint(Form, Action::Select, "choose"),
                hint(Editor, Action::ToggleForm, "JSON"),
                hint(Editor, Action::Send, "send"),
            ],
            (Mode::Normal, Pane::Editor) => vec![
                hint(Editor, Action::ToggleHelp, "help"),
                hint(Editor, Action::Send, "send"),
                hint(Editor, Action::Cancel, "back"),
            ],
            (Mode::Normal, Pane::Connectors | Pane::Methods) => vec![
                hint(Global, Action::ToggleHelp, "help"),
                hint(Lists, Action::Select, "open"),
                hint(Lists, Action::StartFilter, "filter"),
                hint(Global, Action::Quit, "quit"),
            ],
            (Mode::Normal, Pane::Response) => vec![
                hint(Global, Action::ToggleHelp, "help"),
                hint(Response, Action::StartFilter, "search"),
                hint(Response, Action::StartJq, "jq"),
                hint(Response, Action::OpenCopyMenu, "copy"),
                hint(Response, Action::ToggleWrap, "wrap"),
                hint(Global, Action::Quit, "quit"),
            ],
        }
    }
}

/// The contexts that get a key, first match wins.
fn contexts(app: &App) -> &'static [Context] {
    if let Some(overlay) = app.top_overlay() {
        return match overlay {
            Overlay::Help { .. } | Overlay::Text(_) | Overlay::Details(_) => &[Help],
            Overlay::Accounts(_) | Overlay::History(_) | Overlay::Choices(_) => &[Picker],
            Overlay::ConfirmSend { .. } => &[Confirm],
            Overlay::Copy(_) | Overlay::Columns => &[Menu],
            Overlay::Save(_) => &[Prompt],
        };
    }
    if app.pending_fold {
        return &[Folding];
    }
    match (app.mode, app.focus) {
        (Mode::Filter(_) | Mode::Search | Mode::Jq, _) => &[Anywhere, TextLine],
        (Mode::Normal, Pane::Editor) if app.editor.form.is_some() => &[Anywhere, Form, Editor],
        (Mode::Normal, Pane::Editor) => &[Anywhere, Editor],
        (Mode::Normal, Pane::Connectors) => &[Anywhere, Lists, Global],
        (Mode::Normal, Pane::Methods) => &[Anywhere, Methods, Lists, Global],
        (Mode::Normal, Pane::Response) => &[Anywhere, Response, Global],
    }
}

/// The name in `names` closest to `typed`, if it is close enough to be a likely typo.
#[must_use]
pub fn closest<'a>(typed: &str, names: &[&'a str]) -> Option<&'a str> {
    names
        .iter()
        .map(|n| (strsim::damerau_levenshtein(typed, n), *n))
        .filter(|(d, n)| *d <= 2.max(n.len() / 4))
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Connection;
    use crossterm::event::KeyCode::Char;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn editor_types_letters_but_keeps_send_quit_and_alt_focus() {
        let mut app = App::new(Connection::default());
        app.focus = Pane::Editor;
        let keymap = Keymap::default();
        assert!(matches!(
            keymap.message_for(&app, key(Char('q'), KeyModifiers::NONE)),
            Some(Msg::Input(_))
        ));
        assert!(matches!(
            keymap.message_for(&app, key(Char('s'), KeyModifiers::CONTROL)),
            Some(Msg::Action(Action::Send))
        ));
        assert!(matches!(
            keymap.message_for(&app, key(Char('c'), KeyModifiers::CONTROL)),
            Some(Msg::Action(Action::Quit))
        ));
        assert!(matches!(
            keymap.message_for(&app, key(Char('2'), KeyModifiers::ALT)),
            Some(Msg::Action(Action::Focus(Pane::Methods)))
        ));
    }

    #[test]
    fn shifted_letters_and_releases() {
        let app = App::new(Connection::default());
        let keymap = Keymap::default();
        assert!(matches!(
            keymap.message_for(&app, key(Char('G'), KeyModifiers::SHIFT)),
            Some(Msg::Action(Action::Bottom))
        ));
        let mut release = key(Char('q'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert!(keymap.message_for(&app, release).is_none());
    }

    #[test]
    fn help_lists_every_binding_and_the_defaults_have_no_conflicts() {
        let keymap = Keymap::default();
        let rows: usize = keymap.help_sections().iter().map(|(_, r)| r.len()).sum();
        assert_eq!(rows, DEFAULTS.len());
        assert_eq!(keymap.check_conflicts(), Ok(()));
    }

    #[test]
    fn keys_parse_as_the_config_file_writes_them() {
        let parsed: Vec<String> = [
            "ctrl-s",
            "Alt-2",
            "shift-tab",
            "F9",
            "enter",
            "esc",
            "G",
            "?",
        ]
        .iter()
        .map(|k| Key::parse(k).unwrap().to_string())
        .collect();
        assert_eq!(
            parsed,
            [
                "Ctrl-S",
                "Alt-2",
                "Shift-Tab",
                "F9",
                "Enter",
                "Esc",
                "G",
                "?"
            ]
        );
        assert!(Key::parse("f13").is_err());
        assert!(Key::parse("ctrl-").is_err());
        assert!(Key::parse("hyper-x").is_err());
    }

    #[test]
    fn remaps_replace_keys_everywhere_and_refuse_typos_and_conflicts() {
        let remap = |action: &str, keys: &[&str]| Remap {
            action: action.into(),
            keys: keys.iter().map(std::string::ToString::to_string).collect(),
        };
        let keymap = Keymap::with_remaps(&[remap("send", &["f9"])]).unwrap();
        assert_eq!(keymap.keys(Global, &Action::Send), "F9");
        assert_eq!(keymap.keys(Editor, &Action::Send), "F9");
        assert_eq!(keymap.send_keys(), "F9");

        let err = Keymap::with_remaps(&[remap("sned", &["f9"])]).unwrap_err();
        assert!(err.message.contains("did you mean `send`?"), "{err:?}");
        let err = Keymap::with_remaps(&[remap("send", &["j"])]).unwrap_err();
        assert!(
            err.message.contains("`down`") && err.message.contains("`send`"),
            "{err:?}"
        );
    }
}
