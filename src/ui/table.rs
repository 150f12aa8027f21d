//! Drawing the Table view: a header row and the rows in view, scrolled down and sideways as
//! [`TableState`] says, and the column picker overlay.
//!
//! Only the rows on screen are touched: each frame writes `area.height - 1` rows of the
//! columns that fit straight into the buffer, so a table of 50,000 rows draws like one of 50.
//! Every name and cell goes through [`inert`] before it reaches the screen.

use super::theme;
use crate::table::{Table, TableState};
use crate::text::inert;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Drawn between two columns.
const SEPARATOR: &str = "│";

/// Draws `table` in `area`: a bold header (sort arrow ▲/▼ on the sorted column, the selected
/// column reversed), then the rows in view, the selected one in `theme::SELECTED`. Cells
/// are cut to their column's width with `…`; numeric columns are right-aligned. Updates the
/// scroll of `state` for this area. `colour` false draws no foreground or background colours
/// (highlights are reversed instead).
pub fn render(frame: &mut Frame, area: Rect, table: &Table, state: &mut TableState, colour: bool) {
    frame.render_widget(Clear, area);
    if area.width == 0 || area.height == 0 {
        return;
    }
    let body_rows = usize::from(area.height - 1);
    state.fit(table, body_rows, area.width);
    let layout = visible_columns(table, state, area);
    let buf = frame.buffer_mut();

    // Header.
    let header = paint(theme::TITLE, colour);
    buf.set_style(Rect { height: 1, ..area }, header);
    for (i, &(c, x, width)) in layout.iter().enumerate() {
        let name = inert(&table.columns()[c].name);
        if c == state.column() {
            let style =
                paint(theme::FOCUS, colour).add_modifier(Modifier::BOLD | Modifier::REVERSED);
            buf.set_style(Rect::new(x, area.y, width as u16, 1), style);
        }
        match table.sort() {
            Some((sorted, descending)) if sorted == c => {
                let text = sorted_header(&name, width, if descending { '▼' } else { '▲' });
                put(buf, (x, area.y), &text, width, false);
            }
            _ => put(buf, (x, area.y), &name, width, false),
        }
        separator(buf, &layout, i, area.y, colour);
    }

    // Rows in view.
    let end = table.len().min(state.top() + body_rows);
    for (y, row) in (area.y + 1..area.bottom()).zip(state.top()..end) {
        let selected = row == state.selected();
        for (i, &(c, x, width)) in layout.iter().enumerate() {
            let cell = inert(table.row_cell(row, c));
            if selected && c == state.column() {
                let style = paint(theme::FOCUS, colour).add_modifier(Modifier::UNDERLINED);
                buf.set_style(Rect::new(x, y, width as u16, 1), style);
            }
            put(buf, (x, y), &cell, width, table.columns()[c].numeric);
            separator(buf, &layout, i, y, colour);
        }
        if selected {
            let line = Rect {
                y,
                height: 1,
                ..area
            };
            buf.set_style(line, paint(theme::SELECTED, colour));
        }
    }
}

/// Draws a small centred box listing the columns with `[x]` (shown) or `[ ]` (hidden) and a
/// cursor at [`TableState::picker_cursor`]; Space is meant to toggle the column under it
/// ([`TableState::toggle_picker_column`]).
pub fn render_column_picker(frame: &mut Frame, area: Rect, table: &Table, state: &TableState) {
    let columns = table.columns();
    let title = " Columns · Space show/hide ";
    let widest = columns
        .iter()
        .map(|c| inert(&c.name).width())
        .max()
        .unwrap_or(0);
    let width = (widest + 8)
        .max(title.width() + 2)
        .min(usize::from(area.width)) as u16;
    let height = (columns.len() + 2).min(usize::from(area.height)) as u16;
    let [area] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(area);
    let [area] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(theme::FOCUS)
        .title(Line::from(Span::styled(title, theme::TITLE)));
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(block, area);
    let rows = usize::from(inner.height);
    if rows == 0 || inner.width == 0 {
        return;
    }
    let cursor = state.picker_cursor().min(columns.len().saturating_sub(1));
    let first = cursor.saturating_sub(rows - 1);
    let buf = frame.buffer_mut();
    for (y, c) in (inner.y..inner.bottom()).zip(first..columns.len()) {
        let mark = if state.is_hidden(c) { "[ ]" } else { "[x]" };
        let pointer = if c == cursor { "›" } else { " " };
        let text = format!("{pointer}{mark} {}", inert(&columns[c].name));
        put(buf, (inner.x, y), &text, usize::from(inner.width), false);
        if c == cursor {
            buf.set_style(
                Rect {
                    y,
                    height: 1,
                    ..inner
                },
                theme::SELECTED,
            );
        }
    }
}

/// The shown columns that fit from [`TableState::first_column`] on: (column, x, width); the
/// last may be cut to the space left.
fn visible_columns(table: &Table, state: &TableState, area: Rect) -> Vec<(usize, u16, usize)> {
    let mut layout = Vec::new();
    let right = usize::from(area.right());
    let mut x = usize::from(area.x);
    for (c, column) in table
        .columns()
        .iter()
        .enumerate()
        .skip(state.first_column())
    {
        if state.is_hidden(c) {
            continue;
        }
        if x >= right {
            break;
        }
        let width = column.width.min(right - x);
        layout.push((c, x as u16, width));
        x += width + 1;
    }
    layout
}

/// The separator after column `i` of `layout`, when another follows.
fn separator(buf: &mut Buffer, layout: &[(usize, u16, usize)], i: usize, y: u16, colour: bool) {
    if let (Some(&(_, x, width)), Some(_)) = (layout.get(i), layout.get(i + 1))
        && let Some(cell) = buf.cell_mut((x + width as u16, y))
    {
        cell.set_symbol(SEPARATOR)
            .set_style(paint(theme::DIM, colour));
    }
}

/// `style`, or without colours when `colour` is false (a background becomes reversed).
fn paint(style: Style, colour: bool) -> Style {
    if colour {
        return style;
    }
    let plain = Style {
        fg: None,
        bg: None,
        ..style
    };
    if style.bg.is_some() {
        plain.add_modifier(Modifier::REVERSED)
    } else {
        plain
    }
}

/// A sorted column's name with its arrow: `name ▲` when both fit in `width`, else as much of
/// the name as fits before the arrow (`ag▲`).
fn sorted_header(name: &str, width: usize, arrow: char) -> String {
    if name.width() + 2 <= width {
        return format!("{name} {arrow}");
    }
    let mut out = String::with_capacity(width + 4);
    let mut taken = 0;
    for c in name.chars() {
        let w = c.width().unwrap_or(0);
        if taken + w + 1 > width {
            break;
        }
        out.push(c);
        taken += w;
    }
    out.push(arrow);
    out
}

/// Writes `text` (already inert) at `at` in at most `width` cells, keeping the cells' style:
/// right-aligned when `right`, cut with `…` when wider.
fn put(buf: &mut Buffer, (x, y): (u16, u16), text: &str, width: usize, right: bool) {
    let used = text.width();
    if used > width {
        write(buf, (x, y), &cut(text, width), width);
    } else if right {
        write(buf, (x + (width - used) as u16, y), text, used);
    } else {
        write(buf, (x, y), text, width);
    }
}

/// Writes `text` at `at`, at most `width` cells; printable ASCII goes straight into the cells,
/// anything else through [`Buffer::set_stringn`] (graphemes, wide characters).
fn write(buf: &mut Buffer, (x, y): (u16, u16), text: &str, width: usize) {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        let end = usize::from(buf.area.right()).min(usize::from(x) + width);
        for (cx, b) in (usize::from(x)..end).zip(text.bytes()) {
            if let Some(cell) = buf.cell_mut((cx as u16, y)) {
                cell.set_char(char::from(b));
            }
        }
    } else {
        buf.set_stringn(x, y, text, width, Style::new());
    }
}

/// `s` cut to at most `width` cells, ending in `…`.
fn cut(s: &str, width: usize) -> String {
    let mut out = String::with_capacity(width + 4);
    let mut taken = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if taken + w + 1 > width {
            break;
        }
        out.push(c);
        taken += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::Color;
    use serde_json::{Value, json};

    fn draw(table: &Table, state: &mut TableState, width: u16, height: u16) -> Vec<String> {
        draw_with(table, state, width, height, true).0
    }

    fn draw_with(
        table: &Table,
        state: &mut TableState,
        width: u16,
        height: u16,
        colour: bool,
    ) -> (Vec<String>, Buffer) {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|frame| render(frame, frame.area(), table, state, colour))
            .unwrap();
        let buffer = terminal.backend().buffer().clone();
        (lines(&buffer), buffer)
    }

    fn lines(buffer: &Buffer) -> Vec<String> {
        (0..buffer.area.height)
            .map(|y| {
                let mut line = String::new();
                let mut x = 0;
                while x < buffer.area.width {
                    let symbol = buffer[(x, y)].symbol();
                    line.push_str(symbol);
                    x += symbol.width().max(1) as u16;
                }
                line.trim_end().to_string()
            })
            .collect()
    }

    fn people() -> Table {
        Table::from_values(&[json!({"records": [
            {"name": "Ada", "age": 36, "city": "London"},
            {"name": "Grace", "age": 85, "city": "Arlington"},
            {"name": "Linus", "age": 7, "city": "Helsinki"}
        ]})])
        .unwrap()
    }

    #[test]
    fn draws_header_and_rows() {
        let t = people();
        let mut s = TableState::new();
        let screen = draw(&t, &mut s, 30, 5);
        assert_eq!(
            screen,
            [
                "name │age│city",
                "Ada  │ 36│London",
                "Grace│ 85│Arlington",
                "Linus│  7│Helsinki",
                "",
            ]
        );
    }

    #[test]
    fn marks_the_sort_and_highlights_selection() {
        let mut t = people();
        let mut s = TableState::new();
        s.move_column(&t, 1, 30);
        s.cycle_sort(&mut t);
        s.cycle_sort(&mut t);
        s.move_row(&t, 1, 4);
        let (screen, buffer) = draw_with(&t, &mut s, 30, 5, true);
        assert_eq!(screen[0], "name │ag▼│city");
        assert_eq!(screen[1], "Grace│ 85│Arlington");
        assert_eq!(screen[2], "Ada  │ 36│London");
        // The selected row is highlighted across, the selected header cell reversed.
        assert_eq!(buffer[(0, 2)].bg, Color::DarkGray);
        assert_eq!(buffer[(20, 2)].bg, Color::DarkGray);
        assert_eq!(buffer[(0, 1)].bg, Color::Reset);
        assert!(buffer[(6, 0)].modifier.contains(Modifier::REVERSED));
        assert!(buffer[(0, 0)].modifier.contains(Modifier::BOLD));
        assert!(!buffer[(0, 0)].modifier.contains(Modifier::REVERSED));

        // Without colour: no colours anywhere, the selection reversed.
        let (_, buffer) = draw_with(&t, &mut s, 30, 5, false);
        assert!(
            buffer
                .content
                .iter()
                .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
        );
        assert!(buffer[(0, 2)].modifier.contains(Modifier::REVERSED));
        assert!(!buffer[(0, 1)].modifier.contains(Modifier::REVERSED));
    }

    #[test]
    fn cuts_wide_cells_and_scrolls_sideways() {
        let t = Table::from_values(&[json!([
            {"id": 1, "note": "a note much longer than forty cells, to be cut short", "x": "日本語"},
        ])])
        .unwrap();
        let mut s = TableState::new();
        let screen = draw(&t, &mut s, 60, 3);
        assert_eq!(
            screen[1],
            " 1│a note much longer than forty cells, to…│日本語"
        );
        // Narrower than two columns: the second is cut to what is left.
        let screen = draw(&t, &mut s, 20, 3);
        assert_eq!(screen[1], " 1│a note much long…");
        // Selecting the last column scrolls the first ones out.
        s.move_column(&t, 2, 20);
        let screen = draw(&t, &mut s, 20, 3);
        assert_eq!(screen[0], "x");
        assert_eq!(screen[1], "日本語");
        // A wide character that does not fit is not split.
        let screen = draw(&t, &mut s, 4, 3);
        assert_eq!(screen[1], "日…");
    }

    #[test]
    fn hostile_text_is_drawn_inert() {
        let t = Table::from_values(&[json!([
            {"k\u{1b}[2J": "a\u{1b}]52;c;eA==\u{7}b", "n": "x\u{202e}y\nz"}
        ])])
        .unwrap();
        let mut s = TableState::new();
        let screen = draw(&t, &mut s, 80, 3);
        assert!(screen[0].starts_with("k\\x1b[2J"), "{screen:?}");
        assert!(
            screen[1].starts_with("a\\x1b]52;c;eA==\\x07b"),
            "{screen:?}"
        );
        assert!(screen[1].contains("x\\u{202e}y\\x0az"), "{screen:?}");
        let mut terminal = Terminal::new(TestBackend::new(80, 3)).unwrap();
        terminal
            .draw(|frame| render(frame, frame.area(), &t, &mut s, true))
            .unwrap();
        let buffer = terminal.backend().buffer();
        assert!(
            buffer
                .content
                .iter()
                .all(|c| !c.symbol().chars().any(crate::text::is_unsafe))
        );
    }

    #[test]
    fn draws_only_the_rows_in_view() {
        let rows: Vec<Value> = (0..50_000)
            .map(|i| json!({"i": i, "s": format!("row {i}")}))
            .collect();
        let t = Table::from_values(&[Value::Array(rows)]).unwrap();
        let mut s = TableState::new();
        s.select(&t, 40_000, 4);
        let screen = draw(&t, &mut s, 20, 5);
        assert_eq!(screen[0], "i    │s");
        assert_eq!(screen[4], "40000│row 40000");
        assert_eq!(screen[1], "39997│row 39997");
        s.end(&t, 4);
        let screen = draw(&t, &mut s, 20, 5);
        assert_eq!(screen[4], "49999│row 49999");
    }

    #[test]
    fn hidden_columns_are_not_drawn_and_the_picker_lists_all() {
        let t = people();
        let mut s = TableState::new();
        assert!(s.toggle_column_hidden(&t, 1));
        let screen = draw(&t, &mut s, 30, 5);
        assert_eq!(screen[0], "name │city");
        s.move_picker(&t, 1);

        let mut terminal = Terminal::new(TestBackend::new(40, 9)).unwrap();
        terminal
            .draw(|frame| render_column_picker(frame, frame.area(), &t, &s))
            .unwrap();
        let screen = lines(terminal.backend().buffer());
        let body: Vec<&str> = screen.iter().map(|l| l.trim()).collect();
        assert!(body.iter().any(|l| l.contains("Columns")), "{screen:?}");
        assert!(
            body.contains(&"║ [x] name                  ║"),
            "{screen:?}"
        );
        assert!(
            body.contains(&"║›[ ] age                   ║"),
            "{screen:?}"
        );
        assert!(
            body.contains(&"║ [x] city                  ║"),
            "{screen:?}"
        );
    }

    #[test]
    fn tiny_areas_do_not_panic() {
        let t = people();
        let mut s = TableState::new();
        for (w, h) in [(0, 0), (1, 1), (1, 3), (3, 1), (2, 2)] {
            draw(&t, &mut s, w.max(1), h.max(1));
            let mut terminal = Terminal::new(TestBackend::new(w.max(1), h.max(1))).unwrap();
            terminal
                .draw(|frame| {
                    render(frame, Rect::new(0, 0, w, h), &t, &mut s, false);
                    render_column_picker(frame, frame.area(), &t, &s);
                })
                .unwrap();
        }
    }

    #[test]
    fn cuts_by_display_width() {
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("日本語", 4), "日…");
        assert_eq!(cut("abc", 0), "");
        assert_eq!(cut("abc", 1), "…");
    }
}
