//! Where each pane goes: three columns from 120 columns wide (the method detail below the
//! methods), two below that (the detail in the editor's place while browsing methods).

use crate::action::Pane;
use ratatui::layout::{Constraint, Layout, Rect};

/// From this width the methods pane gets its own column with the method detail below it.
const WIDE: u16 = 120;

/// The rectangles of one frame.
pub(super) struct Areas {
    pub connectors: Rect,
    pub methods: Rect,
    /// Where the method detail goes, if it shows; equal to `editor` when it takes its place.
    pub detail: Option<Rect>,
    pub editor: Rect,
    pub response: Rect,
    /// Everything above the status bar (overlays are drawn over it).
    pub main: Rect,
    pub status: Rect,
}

/// Splits `area` for the pane that has the focus.
pub(super) fn areas(area: Rect, focus: Pane) -> Areas {
    let [main, status] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    if area.width >= WIDE {
        let [left, middle, right] = Layout::horizontal([
            Constraint::Percentage(27),
            Constraint::Percentage(29),
            Constraint::Percentage(44),
        ])
        .areas(main);
        let [methods, detail] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(middle);
        let [editor, response] =
            Layout::vertical([Constraint::Percentage(42), Constraint::Percentage(58)]).areas(right);
        Areas {
            connectors: left,
            methods,
            detail: Some(detail),
            editor,
            response,
            main,
            status,
        }
    } else {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(38), Constraint::Percentage(62)])
                .areas(main);
        let [connectors, methods] =
            Layout::vertical([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(left);
        let [editor, response] =
            Layout::vertical([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(right);
        Areas {
            connectors,
            methods,
            detail: (focus == Pane::Methods).then_some(editor),
            editor,
            response,
            main,
            status,
        }
    }
}
