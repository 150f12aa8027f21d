//! Pane 2: the methods list and the selected method's detail.

use super::list::{ListRow, ListView, ListWords, list_row};
use super::{ViewState, placeholder, shorten, text_width, theme};
use crate::action::Pane;
use crate::app::{App, Loadable, MethodSort};
use crate::cyclr::{Method, Parameter};
use crate::text::inert;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Wrap};

pub(super) fn render_list(app: &App, view: &mut ViewState, frame: &mut Frame, area: Rect) {
    let pane = &app.methods;
    let mut title = vec![Span::styled("2 Methods", theme::TITLE)];
    if let Loadable::Ready(items) = &pane.items {
        let shown = pane.list.visible().len();
        let count = if shown == items.len() {
            shown.to_string()
        } else {
            format!("{shown} of {}", items.len())
        };
        title.push(Span::raw(format!(" ({count}, {})", pane.sort.label())));
    }
    if let Some(owner) = &pane.owner {
        title.push(Span::styled(
            format!(" · {} #{}", inert(&owner.name), owner.account_connector_id),
            theme::DIM,
        ));
    }
    let open = app.keymap.key(
        crate::keymap::Context::Lists,
        &crate::action::Action::Select,
    );
    let words = ListWords {
        what: "methods",
        idle: format!("Choose an account connector (pane 1, {open}) to see its methods."),
        empty: "This connector has no methods.",
    };
    let visible = pane.list.visible();
    let row = |items: &[Method], place: ListRow| {
        let method = &items[place.item];
        let category_width = (place.width / 3).clamp(6, 22) as usize;
        // Grouped: the category shows on the first row of each run.
        let same_as_above = pane.sort == MethodSort::Category
            && place.row > place.first
            && items[visible[place.row - 1]].category == method.category;
        let category = if same_as_above {
            String::new()
        } else {
            method.category.clone().unwrap_or_default()
        };
        row_line(
            method,
            &category,
            category_width,
            place.selected,
            place.width,
        )
    };
    let list_view = ListView {
        pane: Pane::Methods,
        title: Line::from(title),
        words,
        data: pane,
    };
    list_view.render(app, view, frame, area, row);
}

fn row_line(
    m: &Method,
    category: &str,
    category_width: usize,
    selected: bool,
    width: u16,
) -> Line<'static> {
    let category = shorten(&inert(category), category_width.saturating_sub(1));
    let pad = category_width.saturating_sub(text_width(&category));
    // Writes are marked: calling them changes data in the third-party app.
    let mark = if m.access().write {
        Span::styled("✎ ", theme::WARN)
    } else {
        Span::raw("  ")
    };
    let prefix = vec![
        Span::styled(format!("{category}{}", " ".repeat(pad)), theme::DIM),
        mark,
    ];
    let name = inert(m.name.as_deref().unwrap_or("(unnamed)")).into_owned();
    let key = format!(" #{}", m.id.map_or_else(|| "?".into(), |i| i.to_string()));
    list_row(prefix, &name, String::new(), key, selected, width)
}

/// The selected method: what it is, how to address it, and its parameters and fields.
pub(super) fn render_detail(app: &App, frame: &mut Frame, area: Rect) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme::DIM)
        .title(Line::from(Span::styled(" Method detail ", theme::TITLE)));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(method) = app.methods.selected() else {
        placeholder(
            frame,
            inner,
            vec![Line::styled("No method selected.", theme::DIM)],
        );
        return;
    };
    let field = |name: &str, value: Option<&str>| {
        Line::from(vec![
            Span::styled(format!("{name}: "), theme::DIM),
            Span::raw(inert(value.unwrap_or("—")).into_owned()),
        ])
    };
    let summary = [
        method.id.map(|i| format!("Id {i}")),
        method.method_type.clone(),
        method.category.clone(),
        method.http_method.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let access = method.access();
    let access_line = if access.write {
        Line::styled(
            format!("✎ changes data: {}", inert(&access.reason)),
            theme::WARN,
        )
    } else {
        Line::styled(format!("reads only: {}", inert(&access.reason)), theme::DIM)
    };
    let mut header = vec![
        Line::styled(
            inert(method.name.as_deref().unwrap_or("(unnamed)")).into_owned(),
            theme::TITLE,
        ),
        Line::raw(inert(&summary).into_owned()),
        access_line,
        field("GUID", method.method_unique_identifier.as_deref()),
        field("EndPoint", method.end_point.as_deref()),
    ];
    if let Some(d) = method.description.as_deref().filter(|d| !d.is_empty()) {
        header.push(Line::styled(inert(d).into_owned(), theme::DIM));
    }
    let header = Paragraph::new(header).wrap(Wrap { trim: true });
    let table_rows = (method.parameters.len() + method.request_fields.len() + 1) as u16;
    let table_share = table_rows.min(inner.height / 2);
    let header_height =
        (header.line_count(inner.width) as u16 + 1).min(inner.height.saturating_sub(table_share));
    let [top, table] =
        Layout::vertical([Constraint::Length(header_height), Constraint::Min(0)]).areas(inner);
    frame.render_widget(header, top);
    let params: Vec<(&'static str, &Parameter)> = method
        .parameters
        .iter()
        .map(|p| ("P", p))
        .chain(method.request_fields.iter().map(|f| ("F", f)))
        .collect();
    if params.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled("No parameters or request fields.", theme::DIM)),
            table,
        );
        return;
    }
    // Ids and types are never cut: their columns are as wide as their longest entry. Names
    // and allowed values share what is left, and are shortened with `…`.
    let id_text = |p: &Parameter| p.id.map(|i| i.to_string()).unwrap_or_default();
    let id_width = params
        .iter()
        .map(|(_, p)| text_width(&id_text(p)))
        .max()
        .unwrap_or(0)
        .max(2);
    let type_width = params
        .iter()
        .map(|(_, p)| text_width(&inert(p.data_type.as_deref().unwrap_or(""))))
        .max()
        .unwrap_or(0)
        .max(4);
    let spacing = 5;
    let rest = (table.width as usize).saturating_sub(1 + id_width + type_width + 3 + spacing);
    // Allowed values only where names keep room (they are in the editor's legend too).
    let has_values = rest >= 30 && params.iter().any(|(_, p)| !p.values.is_empty());
    let name_width = if has_values { rest * 2 / 3 } else { rest };
    let values_width = rest.saturating_sub(name_width);
    let rows: Vec<Row> = params
        .iter()
        .map(|(kind, p)| {
            let text = |s: Option<&str>| inert(s.unwrap_or("")).into_owned();
            Row::new(vec![
                Cell::from(*kind),
                Cell::from(id_text(p)),
                Cell::from(shorten(&text(p.name.as_deref()), name_width)),
                Cell::from(text(p.data_type.as_deref())),
                Cell::from(if p.is_required() {
                    Span::styled("yes", theme::WARN)
                } else {
                    Span::raw("no")
                }),
                Cell::from(shorten(&inert(&p.values.join("|")), values_width)),
            ])
        })
        .collect();
    let widths = [
        Constraint::Length(1),
        Constraint::Length(id_width as u16),
        Constraint::Length(name_width as u16),
        Constraint::Length(type_width as u16),
        Constraint::Length(3),
        Constraint::Length(values_width as u16),
    ];
    let header = Row::new(["", "id", "name", "type", "req", "values"]).style(theme::DIM);
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        table,
    );
}
