//! Keys are data: one table maps (context, key) to an [`Action`], and the help overlay is
//! generated from the same table, so the two cannot drift apart.

use crate::action::{Action, Pane};
use crate::app::{App, Mode};
use crate::msg::Msg;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Everywhere except while typing text (the editor, a filter or a search).
    Global,
    /// The connector and method lists.
    Lists,
    /// The methods list only.
    Methods,
    /// The request editor (other keys are typed into it).
    Editor,
    /// The response viewer.
    Response,
    /// While typing a filter or search (other keys are typed).
    TextLine,
}

impl Context {
    /// The heading of this context in the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere (outside the editor)",
            Context::Lists => "Connector and method lists",
            Context::Methods => "Methods",
            Context::Editor => "Request editor",
            Context::Response => "Response viewer",
            Context::TextLine => "While typing a filter or search",
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

    fn matches(&self, event: &KeyEvent) -> bool {
        let mut mods = event.modifiers;
        if matches!(event.code, KeyCode::Char(_)) || event.code == KeyCode::BackTab {
            mods.remove(KeyModifiers::SHIFT); // 'G' may or may not come with SHIFT
        }
        let code = match event.code {
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            code => code,
        };
        code == self.code && mods == self.mods
    }

    /// How the key is written in the help.
    pub fn label(&self) -> String {
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
            format!("Ctrl-{}", base.to_uppercase())
        } else {
            base
        }
    }
}

/// A row of the keymap.
#[derive(Debug, Clone)]
pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    pub action: Action,
    pub help: &'static str,
}

const fn bind(
    context: Context,
    keys: &'static [Key],
    action: Action,
    help: &'static str,
) -> Binding {
    Binding {
        context,
        keys,
        action,
        help,
    }
}

use Context::*;
use KeyCode::*;

/// Every key the explorer knows. Earlier rows win.
pub static KEYMAP: &[Binding] = &[
    // Keys that work in the editor too.
    bind(
        Editor,
        &[Key::ctrl('s'), Key::plain(F(5))],
        Action::Send,
        "send the request",
    ),
    bind(
        Editor,
        &[Key::plain(Esc)],
        Action::Cancel,
        "cancel the call in flight",
    ),
    bind(Editor, &[Key::plain(Tab)], Action::FocusNext, "next pane"),
    bind(
        Editor,
        &[Key::plain(BackTab)],
        Action::FocusPrevious,
        "previous pane",
    ),
    bind(
        Editor,
        &[Key::ctrl('t'), Key::plain(F(6))],
        Action::ToggleEndpoint,
        "call / test / raw-body endpoint",
    ),
    bind(
        Editor,
        &[Key::ctrl('g'), Key::plain(F(7))],
        Action::ToggleVerb,
        "POST / legacy GET",
    ),
    bind(
        Editor,
        &[Key::ctrl('o'), Key::plain(F(8))],
        Action::ToggleAddressing,
        "address by Id / by GUID",
    ),
    bind(
        Editor,
        &[Key::ctrl('r')],
        Action::ResetEditor,
        "reset to the method's template",
    ),
    bind(Editor, &[Key::plain(F(1))], Action::ToggleHelp, "help"),
    // Typing a filter or a search.
    bind(
        TextLine,
        &[Key::plain(Enter)],
        Action::Select,
        "keep the filter / go to the match",
    ),
    bind(
        TextLine,
        &[Key::plain(Esc)],
        Action::Cancel,
        "clear and stop typing",
    ),
    bind(TextLine, &[Key::plain(Up)], Action::Up, "move up"),
    bind(TextLine, &[Key::plain(Down)], Action::Down, "move down"),
    bind(TextLine, &[Key::plain(Tab)], Action::FocusNext, "next pane"),
    // Lists.
    bind(
        Lists,
        &[Key::plain(Enter)],
        Action::Select,
        "open: connector → methods, method → editor",
    ),
    bind(
        Lists,
        &[Key::ch('/')],
        Action::StartFilter,
        "filter as you type",
    ),
    bind(
        Methods,
        &[Key::ch('s')],
        Action::CycleSort,
        "sort by category / name / id",
    ),
    // Response.
    bind(Response, &[Key::ch('/')], Action::StartFilter, "search"),
    bind(Response, &[Key::ch('n')], Action::SearchNext, "next match"),
    bind(
        Response,
        &[Key::ch('N')],
        Action::SearchPrevious,
        "previous match",
    ),
    bind(
        Response,
        &[Key::ch(']')],
        Action::NextTab,
        "next tab (pretty, raw, headers, request)",
    ),
    bind(
        Response,
        &[Key::ch('[')],
        Action::PreviousTab,
        "previous tab",
    ),
    bind(
        Response,
        &[Key::ch('S')],
        Action::SaveBody,
        "save a response too large to show to a file",
    ),
    bind(
        Response,
        &[Key::ch('w')],
        Action::ToggleWrap,
        "wrap long lines on/off",
    ),
    bind(
        Response,
        &[Key::plain(Left), Key::ch('h')],
        Action::ScrollLeft,
        "scroll left",
    ),
    bind(
        Response,
        &[Key::plain(Right), Key::ch('l')],
        Action::ScrollRight,
        "scroll right",
    ),
    bind(Response, &[Key::ch(' ')], Action::PageDown, "page down"),
    // Everywhere outside the editor.
    bind(Global, &[Key::plain(Up), Key::ch('k')], Action::Up, "up"),
    bind(
        Global,
        &[Key::plain(Down), Key::ch('j')],
        Action::Down,
        "down",
    ),
    bind(
        Global,
        &[Key::plain(PageUp), Key::ctrl('b')],
        Action::PageUp,
        "page up",
    ),
    bind(
        Global,
        &[Key::plain(PageDown), Key::ctrl('f')],
        Action::PageDown,
        "page down",
    ),
    bind(
        Global,
        &[Key::plain(Home), Key::ch('g')],
        Action::Top,
        "top",
    ),
    bind(
        Global,
        &[Key::plain(End), Key::ch('G')],
        Action::Bottom,
        "end",
    ),
    bind(Global, &[Key::plain(Tab)], Action::FocusNext, "next pane"),
    bind(
        Global,
        &[Key::plain(BackTab)],
        Action::FocusPrevious,
        "previous pane",
    ),
    bind(
        Global,
        &[Key::ch('1')],
        Action::Focus(Pane::Connectors),
        "account connectors",
    ),
    bind(
        Global,
        &[Key::ch('2')],
        Action::Focus(Pane::Methods),
        "methods",
    ),
    bind(
        Global,
        &[Key::ch('3')],
        Action::Focus(Pane::Editor),
        "request editor",
    ),
    bind(
        Global,
        &[Key::ch('4')],
        Action::Focus(Pane::Response),
        "response",
    ),
    bind(
        Global,
        &[Key::ctrl('s'), Key::plain(F(5))],
        Action::Send,
        "send the request",
    ),
    bind(
        Global,
        &[Key::plain(Esc)],
        Action::Cancel,
        "cancel the call / close",
    ),
    bind(
        Global,
        &[Key::ch('t'), Key::plain(F(6))],
        Action::ToggleEndpoint,
        "call / test / raw-body endpoint",
    ),
    bind(
        Global,
        &[Key::ch('p'), Key::plain(F(7))],
        Action::ToggleVerb,
        "POST / legacy GET",
    ),
    bind(
        Global,
        &[Key::ch('u'), Key::plain(F(8))],
        Action::ToggleAddressing,
        "address by Id / by GUID",
    ),
    bind(
        Global,
        &[Key::ch('r')],
        Action::Reload,
        "reload the focused list",
    ),
    bind(
        Global,
        &[Key::ch('?'), Key::plain(F(1))],
        Action::ToggleHelp,
        "this help",
    ),
    bind(
        Global,
        &[Key::ch('q')],
        Action::Quit,
        "quit (Ctrl-C works everywhere)",
    ),
];

/// Turns a key event into a message for `app`, or `None` when it means nothing here.
/// Only key presses count (not repeats' releases), so no key acts twice.
pub fn message_for(app: &App, key: KeyEvent) -> Option<Msg> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) && matches!(key.code, KeyCode::Char('c' | 'C'))
    {
        return Some(Msg::Action(Action::Quit));
    }
    if app.help_open {
        let action = match key.code {
            KeyCode::Esc | KeyCode::Char('?' | 'q') | KeyCode::F(1) => Action::ToggleHelp,
            KeyCode::Up | KeyCode::Char('k') => Action::Up,
            KeyCode::Down | KeyCode::Char('j') => Action::Down,
            KeyCode::PageUp => Action::PageUp,
            KeyCode::PageDown | KeyCode::Char(' ') => Action::PageDown,
            KeyCode::Home | KeyCode::Char('g') => Action::Top,
            KeyCode::End | KeyCode::Char('G') => Action::Bottom,
            _ => return None,
        };
        return Some(Msg::Action(action));
    }
    let contexts: &[Context] = match (app.mode, app.focus) {
        (Mode::Filter(_) | Mode::Search, _) => &[TextLine],
        (Mode::Normal, Pane::Editor) => &[Editor],
        (Mode::Normal, Pane::Connectors) => &[Lists, Global],
        (Mode::Normal, Pane::Methods) => &[Methods, Lists, Global],
        (Mode::Normal, Pane::Response) => &[Response, Global],
    };
    let bound = contexts.iter().find_map(|context| {
        KEYMAP
            .iter()
            .find(|b| b.context == *context && b.keys.iter().any(|k| k.matches(&key)))
            .map(|b| Msg::Action(b.action.clone()))
    });
    match bound {
        Some(msg) => Some(msg),
        None if contexts == [TextLine] || contexts == [Editor] => Some(Msg::Input(key)),
        None => None,
    }
}

/// The help overlay's sections: a title and (keys, what they do) rows, from [`KEYMAP`].
pub fn help_sections() -> Vec<(&'static str, Vec<(String, &'static str)>)> {
    let order = [Global, Lists, Methods, Response, Editor, TextLine];
    order
        .iter()
        .map(|context| {
            let rows = KEYMAP
                .iter()
                .filter(|b| b.context == *context)
                .map(|b| {
                    (
                        b.keys.iter().map(Key::label).collect::<Vec<_>>().join(" "),
                        b.help,
                    )
                })
                .collect();
            (context.title(), rows)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::Connection;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn editor_types_letters_but_keeps_send_and_quit() {
        let mut app = App::new(Connection::default());
        app.focus = Pane::Editor;
        assert!(matches!(
            message_for(&app, key(Char('q'), KeyModifiers::NONE)),
            Some(Msg::Input(_))
        ));
        assert!(matches!(
            message_for(&app, key(Char('s'), KeyModifiers::CONTROL)),
            Some(Msg::Action(Action::Send))
        ));
        assert!(matches!(
            message_for(&app, key(Char('c'), KeyModifiers::CONTROL)),
            Some(Msg::Action(Action::Quit))
        ));
    }

    #[test]
    fn shifted_letters_and_releases() {
        let app = App::new(Connection::default());
        assert!(matches!(
            message_for(&app, key(Char('G'), KeyModifiers::SHIFT)),
            Some(Msg::Action(Action::Bottom))
        ));
        let mut release = key(Char('q'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert!(message_for(&app, release).is_none());
    }

    #[test]
    fn help_lists_every_binding() {
        let rows: usize = help_sections().iter().map(|(_, rows)| rows.len()).sum();
        assert_eq!(rows, KEYMAP.len());
    }
}
