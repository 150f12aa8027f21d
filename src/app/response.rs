//! Pane 3, bottom: the response viewer. Each method keeps its own last call (in flight or
//! answered), with its own scroll and search, so a response is only ever shown under the
//! method and connector that made it.

use super::editor::CallKey;
use crate::cyclr::CallRequest;
use crate::document::{BodyKind, LazyTable, Lines, ResponseDoc, SharedTable};
use crate::effect::RequestId;
use crate::jq_runner::{FilterDone, Filtered};
use crate::msg::{Arrival, CallError};
use crate::outline::{Folds, Outline, folded_text, path_at, value_at};
use crate::table::TableState;
use crate::text::inert_multiline;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

/// The viewer's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Pretty,
    /// The records of the body (or of the filter's result) as rows and columns.
    Table,
    Raw,
    Headers,
    Request,
}

impl Tab {
    /// Every tab, in order.
    pub const ALL: [Tab; 5] = [
        Tab::Pretty,
        Tab::Table,
        Tab::Raw,
        Tab::Headers,
        Tab::Request,
    ];

    /// The tab's title.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Tab::Pretty => "Pretty",
            Tab::Table => "Table",
            Tab::Raw => "Raw",
            Tab::Headers => "Headers",
            Tab::Request => "Request sent",
        }
    }

    fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// A call on its way.
#[derive(Debug, Clone)]
pub struct InFlight {
    pub id: RequestId,
    pub started: Instant,
    /// The request, kept to offer saving a body too large to show.
    pub request: CallRequest,
}

/// How a call ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// A response arrived (any status).
    Response(Arc<ResponseDoc>),
    /// No response: network failure, bad configuration…
    Failed(CallError),
    /// A recorded call that got no response: why.
    NoResponse(String),
    /// The body passed the size cap: kept in a temporary file when it could be (to save
    /// without calling again), else dropped.
    TooLarge {
        message: String,
        kept: Option<crate::cyclr::KeptBody>,
    },
}

/// A folding command of the pretty view (vim's `za`, `zM`, `zR`, `z1`…`z9`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fold {
    /// Fold or unfold the object or array under the cursor.
    Toggle,
    /// Fold everything below the root.
    All,
    /// Unfold everything.
    None,
    /// Fold what is this deep or deeper.
    ToDepth(usize),
}

/// A jq filter on a response: what is typed, and the last result that came of it.
#[derive(Debug, Clone, Default)]
pub struct JqState {
    pub text: String,
    /// True while the filter is being typed.
    pub editing: bool,
    /// The number of the last run asked for (answers to older ones are dropped).
    pub generation: u64,
    /// True until the last run asked for answers.
    pub running: bool,
    /// Why the filter as typed gives nothing (the last good result stays shown).
    pub error: Option<String>,
    /// The last good result; `None` shows the body itself.
    pub result: Option<Arc<Filtered>>,
    /// The method's earlier filters (newest last), for Up and Down in the filter line.
    pub history: Vec<String>,
    /// Which of `history` is in the line, while going through it.
    pub history_pos: Option<usize>,
}

/// Search in the response text.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub query: String,
    /// True while the query is being typed.
    pub editing: bool,
    /// The line of the current match (a line of the text, folded or not).
    pub hit: Option<usize>,
    pub not_found: bool,
}

/// The first row shown: a line of the text, and with wrapping on, a row within that line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct ScrollPos {
    pub line: usize,
    /// The wrapped row of `line` at the top (0 when wrapping is off).
    pub row: usize,
}

/// The size of the text area of the viewer at the last draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewport {
    pub rows: usize,
    pub width: usize,
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport {
            rows: 10,
            width: 80,
        }
    }
}

/// One method's last call: what it is, and what came of it.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// The method's name.
    pub method: String,
    /// The account connector's name.
    pub connector: String,
    /// True when the method changes data (a second send is refused while one is in flight).
    pub is_write: bool,
    pub in_flight: Option<InFlight>,
    pub outcome: Option<Outcome>,
    /// When the outcome arrived.
    pub finished_at: Option<Arrival>,
    /// The request of the last call that finished (to name a saved body after it).
    pub last_request: Option<CallRequest>,
    /// True when the outcome shown comes from the history, not from a call of this session.
    pub recorded: bool,
    /// Top row shown, per tab (rows of what is shown: folded text counts as one line).
    scroll: [ScrollPos; 5],
    pub hscroll: usize,
    pub search: Search,
    pub jq: JqState,
    /// Folded objects and arrays of the pretty view.
    pub folds: Folds,
    /// The line of the pretty view the cursor is on (a line of the text, folded or not).
    pub cursor: usize,
    /// Where the table view is: row, columns, sort.
    pub table: TableState,
}

impl Exchange {
    fn new() -> Exchange {
        Exchange {
            method: String::new(),
            connector: String::new(),
            is_write: false,
            in_flight: None,
            outcome: None,
            finished_at: None,
            last_request: None,
            recorded: false,
            scroll: [ScrollPos::default(); 5],
            hscroll: 0,
            search: Search::default(),
            jq: JqState::default(),
            folds: Folds::default(),
            cursor: 0,
            table: TableState::default(),
        }
    }

    /// Shows a new body from its top: scrolls, folds and the search's hit are reset, and
    /// a filter's old result is dropped (its text stays, to run on the new body).
    fn new_body(&mut self) {
        self.scroll = [ScrollPos::default(); 5];
        self.hscroll = 0;
        self.search.hit = None;
        self.search.not_found = false;
        self.jq.result = None;
        self.jq.error = None;
        self.jq.running = false;
        self.new_view();
    }

    /// The pretty view's text changed (a filter's result came or went): no folds, cursor
    /// and scroll at the top.
    fn new_view(&mut self) {
        self.folds = Folds::default();
        self.cursor = 0;
        self.scroll[Tab::Pretty.index()] = ScrollPos::default();
        self.scroll[Tab::Table.index()] = ScrollPos::default();
        self.table = TableState::default();
    }
}

/// The text a tab shows, seen through the folds of the pretty view: line `i` is the `i`th
/// line on screen (a folded object is one line saying what it hides).
#[derive(Clone, Copy)]
pub struct Shown<'a> {
    pub lines: &'a Lines,
    /// The outline and folds, for the pretty view of JSON.
    pub folding: Option<(&'a Outline, &'a Folds)>,
}

impl<'a> Shown<'a> {
    fn plain(lines: &'a Lines) -> Shown<'a> {
        Shown {
            lines,
            folding: None,
        }
    }

    /// Lines on screen.
    pub fn len(&self) -> usize {
        match self.folding {
            Some((_, folds)) => folds.visible_len(self.lines.len()),
            None => self.lines.len(),
        }
    }

    /// True when there is no text.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The line of the text shown as line `i`.
    pub fn source(&self, i: usize) -> usize {
        match self.folding {
            Some((_, folds)) => folds.source_line(i),
            None => i,
        }
    }

    /// Where line `line` of the text is shown; a hidden line gives the folded line hiding it.
    pub fn shown_at(&self, line: usize) -> usize {
        match self.folding {
            Some((_, folds)) => folds.row_of(line),
            None => line,
        }
    }

    /// Line `i` as shown: a folded object or array says what it hides.
    pub fn line(&self, i: usize) -> Cow<'a, str> {
        let source = self.source(i);
        let text = self.lines.line(source);
        if let Some((outline, folds)) = self.folding
            && folds.is_folded(source)
            && let Some(container) = outline.container_at(source)
        {
            return Cow::Owned(folded_text(
                text,
                container,
                self.lines.line(container.close),
            ));
        }
        Cow::Borrowed(text)
    }
}

/// The response viewer: every method's last call, and which one is shown.
#[derive(Debug, Default)]
pub struct ResponsePane {
    exchanges: HashMap<CallKey, Exchange>,
    shown: Option<CallKey>,
    pub tab: Tab,
    pub wrap: bool,
    pub viewport: Viewport,
}

/// What the viewer needs to know about a method to show its calls.
#[derive(Debug, Clone)]
pub struct CallTitle {
    pub method: String,
    pub connector: String,
    pub is_write: bool,
}

impl ResponsePane {
    /// Shows the calls of the method `key` (none yet, or its last one).
    pub fn show(&mut self, key: CallKey, title: CallTitle) {
        let exchange = self
            .exchanges
            .entry(key.clone())
            .or_insert_with(Exchange::new);
        exchange.method = title.method;
        exchange.connector = title.connector;
        exchange.is_write = title.is_write;
        self.shown = Some(key);
    }

    /// The method whose calls are shown.
    #[must_use]
    pub fn shown_key(&self) -> Option<&CallKey> {
        self.shown.as_ref()
    }

    /// The shown method's last call.
    #[must_use]
    pub fn shown(&self) -> Option<&Exchange> {
        self.exchanges.get(self.shown.as_ref()?)
    }

    pub(super) fn shown_mut(&mut self) -> Option<&mut Exchange> {
        self.exchanges.get_mut(self.shown.as_ref()?)
    }

    /// The last call of method `key`.
    pub(super) fn exchange_mut(&mut self, key: &CallKey) -> Option<&mut Exchange> {
        self.exchanges.get_mut(key)
    }

    /// Shows the shown method's body again instead of a filter's result.
    pub(super) fn clear_filter_result(&mut self) {
        if let Some(exchange) = self.shown_mut()
            && exchange.jq.result.take().is_some()
        {
            exchange.new_view();
            self.fit_tab();
        }
    }

    /// Takes a filter's result (or error) if it answers the newest run of its method.
    pub(super) fn filter_done(&mut self, done: FilterDone) {
        let Some(exchange) = self.exchanges.get_mut(&done.key) else {
            return;
        };
        if exchange.jq.generation != done.generation || exchange.jq.text.trim().is_empty() {
            return;
        }
        exchange.jq.running = false;
        match done.result {
            Ok(result) => {
                exchange.jq.result = Some(result);
                exchange.jq.error = None;
                exchange.new_view();
            }
            Err(e) => exchange.jq.error = Some(e),
        }
        if self.shown.as_ref() == Some(&done.key) {
            self.fit_tab();
        }
    }

    /// Leaves the table tab when there is no table to show any more.
    fn fit_tab(&mut self) {
        if self.tab == Tab::Table && !self.has_table_tab() {
            self.tab = Tab::Pretty;
        }
    }

    /// True when the table tab is offered: the records may be there (being laid out, or
    /// laid out and found).
    #[must_use]
    pub fn has_table_tab(&self) -> bool {
        self.table_source()
            .is_some_and(|(table, _)| !table.is_built() || table.get().is_some())
    }

    /// The shown method's call in flight.
    #[must_use]
    pub fn in_flight(&self) -> Option<&InFlight> {
        self.shown()?.in_flight.as_ref()
    }

    /// How the shown method's last call ended.
    #[must_use]
    pub fn outcome(&self) -> Option<&Outcome> {
        self.shown()?.outcome.as_ref()
    }

    /// The shown method's search.
    #[must_use]
    pub fn search(&self) -> Option<&Search> {
        self.shown().map(|e| &e.search)
    }

    /// Every call in flight, for any method.
    pub fn calls_in_flight(&self) -> impl Iterator<Item = (&Exchange, &InFlight)> {
        self.exchanges
            .values()
            .filter_map(|e| Some((e, e.in_flight.as_ref()?)))
    }

    /// How many calls are in flight for methods other than the one shown.
    #[must_use]
    pub fn calls_in_flight_elsewhere(&self) -> usize {
        self.exchanges
            .iter()
            .filter(|(key, e)| e.in_flight.is_some() && Some(*key) != self.shown.as_ref())
            .count()
    }

    /// Puts a call of method `key` in flight, returning the one it replaces (to cancel).
    pub fn start(&mut self, key: &CallKey, flight: InFlight) -> Option<InFlight> {
        self.exchanges.get_mut(key)?.in_flight.replace(flight)
    }

    /// Takes the outcome of call `id`; a reply to a call no longer awaited is dropped. The
    /// method it belongs to shows it from the top, with its search cleared of old hits.
    pub fn finish(&mut self, id: RequestId, outcome: Outcome, at: Arrival) -> bool {
        let Some(exchange) = self
            .exchanges
            .values_mut()
            .find(|e| e.in_flight.as_ref().is_some_and(|f| f.id == id))
        else {
            return false;
        };
        exchange.last_request = exchange.in_flight.take().map(|f| f.request);
        exchange.recorded = false;
        exchange.outcome = Some(outcome);
        exchange.finished_at = Some(at);
        exchange.new_body();
        true
    }

    /// Shows `outcome` as the shown method's last call, as if it had just arrived: for
    /// tools, benchmarks and tests that lay out a screen without making the call. Does
    /// nothing when no method is shown.
    pub fn set_outcome(&mut self, outcome: Outcome) {
        if let Some(exchange) = self.shown_mut() {
            exchange.in_flight = None;
            exchange.outcome = Some(outcome);
            exchange.new_body();
        }
    }

    /// Shows a recorded call's `outcome` as the shown method's last call, marked as recorded
    /// (a call of this method in flight goes on, and replaces it when it ends).
    pub fn show_recorded(&mut self, outcome: Outcome, at: Arrival, request: CallRequest) {
        if let Some(exchange) = self.shown_mut() {
            exchange.outcome = Some(outcome);
            exchange.finished_at = Some(at);
            exchange.last_request = Some(request);
            exchange.recorded = true;
            exchange.new_body();
        }
    }

    /// Stops waiting for the shown method's call; returns it (to cancel).
    pub fn cancel_shown(&mut self) -> Option<InFlight> {
        self.shown_mut()?.in_flight.take()
    }

    /// Stops waiting for every call; returns their ids (to cancel).
    pub fn cancel_all(&mut self) -> Vec<RequestId> {
        self.exchanges
            .values_mut()
            .filter_map(|e| e.in_flight.take().map(|f| f.id))
            .collect()
    }

    /// The response document, if the shown method's last call got one.
    #[must_use]
    pub fn doc(&self) -> Option<&ResponseDoc> {
        match self.outcome()? {
            Outcome::Response(doc) => Some(doc),
            _ => None,
        }
    }

    /// The pretty view's text and outline: the filter's result when one is shown, else the
    /// body's.
    #[must_use]
    pub fn pretty(&self) -> Option<(&Lines, &Arc<Outline>)> {
        let exchange = self.shown()?;
        if let Some(result) = &exchange.jq.result {
            return Some((&result.text, &result.outline));
        }
        let doc = self.doc()?;
        Some((&doc.pretty, &doc.outline))
    }

    /// The records shown by the table tab: the filter's when one is shown, else the body's.
    #[must_use]
    pub fn table(&self) -> Option<&SharedTable> {
        self.table_source()?.0.get()
    }

    /// Where the table tab's records come from: the filter's result when one is shown, else
    /// the body (when it is JSON that may hold records); with the text to build it from.
    #[must_use]
    pub fn table_source(&self) -> Option<(&Arc<LazyTable>, &bytes::Bytes)> {
        let exchange = self.shown()?;
        if let Some(result) = &exchange.jq.result {
            return result
                .outline
                .may_hold_records()
                .then_some((&result.table, result.text.bytes()));
        }
        let doc = self.doc()?;
        doc.may_have_table()
            .then_some((&doc.table, &doc.response.body))
    }

    /// The text of the current tab as shown (folded in the pretty view). The table tab has
    /// none.
    #[must_use]
    pub fn lines(&self) -> Option<Shown<'_>> {
        let doc = self.doc()?;
        Some(match self.tab {
            Tab::Pretty => {
                let (lines, outline) = self.pretty()?;
                let folds = &self.shown()?.folds;
                Shown {
                    lines,
                    folding: (doc.kind == BodyKind::Json).then_some((outline, folds)),
                }
            }
            Tab::Table => return None,
            Tab::Raw => Shown::plain(&doc.raw),
            Tab::Headers => Shown::plain(&doc.headers),
            Tab::Request => Shown::plain(&doc.request),
        })
    }

    /// The top row shown in the current tab (clamped to the text as it is laid out now).
    #[must_use]
    pub fn scroll(&self) -> ScrollPos {
        let Some(exchange) = self.shown() else {
            return ScrollPos::default();
        };
        let pos = exchange.scroll[self.tab.index()];
        let pos = if self.wrap {
            pos
        } else {
            ScrollPos { row: 0, ..pos }
        };
        pos.min(self.bottom_pos())
    }

    fn set_scroll(&mut self, pos: ScrollPos) {
        let pos = pos.min(self.bottom_pos());
        let tab = self.tab.index();
        if let Some(exchange) = self.shown_mut() {
            exchange.scroll[tab] = pos;
        }
    }

    /// Horizontal scroll (columns), when not wrapping.
    #[must_use]
    pub fn hscroll(&self) -> usize {
        self.shown().map_or(0, |e| e.hscroll)
    }

    /// Scrolls sideways by `delta` columns (not while wrapping).
    pub fn scroll_sideways(&mut self, delta: isize) {
        let wrap = self.wrap;
        if let Some(exchange) = self.shown_mut()
            && (!wrap || delta < 0)
        {
            exchange.hscroll = exchange.hscroll.saturating_add_signed(delta);
        }
    }

    /// Rows line `i` takes on screen.
    fn line_rows(&self, lines: &Shown, i: usize) -> usize {
        if self.wrap {
            crate::wrap::rows(&inert_multiline(&lines.line(i)), self.viewport.width)
        } else {
            1
        }
    }

    /// The top row that shows the last row of the text at the bottom of the viewport.
    fn bottom_pos(&self) -> ScrollPos {
        let Some(lines) = self.lines() else {
            return ScrollPos::default();
        };
        let rows = self.viewport.rows.max(1);
        if !self.wrap {
            return ScrollPos {
                line: lines.len().saturating_sub(rows),
                row: 0,
            };
        }
        let mut needed = rows;
        for i in (0..lines.len()).rev() {
            let r = self.line_rows(&lines, i);
            if r >= needed {
                return ScrollPos {
                    line: i,
                    row: r - needed,
                };
            }
            needed -= r;
        }
        ScrollPos::default()
    }

    /// `pos` moved by `delta` rows (wrapped rows when wrapping), within the text.
    fn moved(&self, mut pos: ScrollPos, delta: isize) -> ScrollPos {
        let Some(lines) = self.lines() else {
            return pos;
        };
        if !self.wrap {
            let line = pos.line.saturating_add_signed(delta);
            return ScrollPos {
                line: line.min(lines.len().saturating_sub(1)),
                row: 0,
            };
        }
        let mut left = delta.unsigned_abs();
        if delta >= 0 {
            while left > 0 {
                let in_line = self.line_rows(&lines, pos.line) - 1 - pos.row.min(usize::MAX - 1);
                if left <= in_line {
                    pos.row += left;
                    break;
                }
                if pos.line + 1 >= lines.len() {
                    pos.row += in_line;
                    break;
                }
                left -= in_line + 1;
                pos = ScrollPos {
                    line: pos.line + 1,
                    row: 0,
                };
            }
        } else {
            while left > 0 {
                if left <= pos.row {
                    pos.row -= left;
                    break;
                }
                if pos.line == 0 {
                    pos.row = 0;
                    break;
                }
                left -= pos.row + 1;
                pos.line -= 1;
                pos.row = self.line_rows(&lines, pos.line) - 1;
            }
        }
        pos
    }

    /// Scrolls by `delta` rows within the text.
    pub fn scroll_by(&mut self, delta: isize) {
        let pos = self.moved(self.scroll(), delta);
        self.set_scroll(pos);
    }

    /// Scrolls by `pages` screenfuls (the cursor goes along).
    pub fn page_by(&mut self, pages: isize) {
        let rows = isize::try_from(self.viewport.rows.max(1)).unwrap_or(1);
        self.scroll_by(pages.saturating_mul(rows));
        if self.cursor().is_some() {
            self.move_cursor(pages.saturating_mul(rows));
        }
    }

    /// Shows the first line (the cursor on it).
    pub fn top(&mut self) {
        self.set_scroll(ScrollPos::default());
        if self.cursor().is_some() {
            self.move_cursor(isize::MIN / 2);
        }
    }

    /// Shows the last page (the cursor on the last line).
    pub fn bottom(&mut self) {
        self.set_scroll(self.bottom_pos());
        if self.cursor().is_some() {
            self.move_cursor(isize::MAX / 2);
        }
    }

    /// Switches tab by `step` (wrapping); each tab keeps its own scroll.
    pub fn switch_tab(&mut self, step: isize) {
        let has_table = self.has_table_tab();
        let tabs: Vec<Tab> = Tab::ALL
            .into_iter()
            .filter(|t| *t != Tab::Table || has_table)
            .collect();
        let at = tabs.iter().position(|t| *t == self.tab).unwrap_or(0);
        let next = (at.cast_signed() + step).rem_euclid(tabs.len().cast_signed()) as usize;
        self.select_tab(tabs[next]);
    }

    /// Switches to `tab`.
    pub fn select_tab(&mut self, tab: Tab) {
        self.tab = tab;
        if let Some(exchange) = self.shown_mut() {
            exchange.search.hit = None;
        }
    }

    /// Turns wrapping on or off.
    pub fn toggle_wrap(&mut self) {
        self.wrap = !self.wrap;
        let pos = self.scroll();
        self.set_scroll(pos);
    }

    /// Starts typing a new search in the shown response.
    pub fn start_search(&mut self) {
        if let Some(exchange) = self.shown_mut() {
            exchange.search = Search {
                editing: true,
                ..Search::default()
            };
        }
    }

    /// Stops typing the search; `clear` drops it.
    pub fn end_search(&mut self, clear: bool) {
        if let Some(exchange) = self.shown_mut() {
            if clear {
                exchange.search = Search::default();
            } else {
                exchange.search.editing = false;
            }
        }
    }

    /// Replaces the search text and jumps to its first match from the top row shown.
    pub fn set_query(&mut self, query: String) {
        if let Some(exchange) = self.shown_mut() {
            exchange.search.query = query;
            exchange.search.hit = None;
        }
        self.search_step(true);
    }

    /// Jumps to the next (or previous) line matching the search, scrolling it into view.
    pub fn search_step(&mut self, forward: bool) {
        let Some(search) = self.search() else { return };
        let Some(lines) = self.lines() else { return };
        let top = lines.source(self.scroll().line);
        let from = search.hit.unwrap_or_else(|| {
            // Start just before the first visible line so a match on it is found first.
            if forward { top.wrapping_sub(1) } else { top }
        });
        let query = search.query.clone();
        let text = lines.lines;
        let from = if from == usize::MAX {
            text.len().saturating_sub(1)
        } else {
            from
        };
        let found = text.find(&query, from, forward);
        let outline = lines
            .folding
            .and_then(|_| self.pretty())
            .map(|(_, outline)| Arc::clone(outline));
        if let Some(exchange) = self.shown_mut() {
            exchange.search.hit = found;
            exchange.search.not_found = found.is_none() && !query.is_empty();
            if let (Some(line), Some(outline)) = (found, &outline) {
                exchange.folds.reveal(outline, line);
                exchange.cursor = line;
            }
        }
        let Some(found) = found else { return };
        let Some(line) = self.lines().map(|l| l.shown_at(found)) else {
            return;
        };
        if !self.is_visible(line) {
            let rows = self.viewport.rows.max(1);
            let target = self.moved(ScrollPos { line, row: 0 }, -((rows / 3).cast_signed()));
            self.set_scroll(target);
        }
    }

    /// The line the cursor is on, in the pretty view of a JSON body (the only view with a
    /// cursor: folding and copying a path or value work on its line).
    #[must_use]
    pub fn cursor(&self) -> Option<usize> {
        let exchange = self.shown()?;
        (self.tab == Tab::Pretty && self.doc()?.kind == BodyKind::Json).then_some(exchange.cursor)
    }

    /// Moves the cursor by `delta` lines on screen, scrolling to keep it in view.
    pub fn move_cursor(&mut self, delta: isize) {
        let Some(lines) = self.lines() else { return };
        let Some(cursor) = self.cursor() else { return };
        let at = lines.shown_at(cursor).saturating_add_signed(delta);
        let at = at.min(lines.len().saturating_sub(1));
        let source = lines.source(at);
        if let Some(exchange) = self.shown_mut() {
            exchange.cursor = source;
        }
        self.keep_cursor_in_view();
    }

    /// Scrolls just enough for the cursor's line to be on screen.
    fn keep_cursor_in_view(&mut self) {
        let Some(cursor) = self.cursor() else { return };
        let Some(line) = self.lines().map(|l| l.shown_at(cursor)) else {
            return;
        };
        let top = self.scroll();
        if line < top.line || (line == top.line && top.row > 0) {
            self.set_scroll(ScrollPos { line, row: 0 });
        } else if !self.is_visible(line) {
            // The cursor's line at the bottom: its first row on the last row of the view.
            let rows = self.viewport.rows.max(1);
            let target = self.moved(ScrollPos { line, row: 0 }, 1 - rows.cast_signed());
            self.set_scroll(target);
        }
    }

    /// Folds or unfolds objects and arrays of the pretty JSON view, keeping the cursor's
    /// line (or the fold that now hides it) on screen.
    pub fn fold(&mut self, how: Fold) {
        if self.cursor().is_none() {
            return;
        }
        let Some((_, outline)) = self.pretty() else {
            return;
        };
        let outline = Arc::clone(outline);
        let top = self.lines().map(|l| l.source(self.scroll().line));
        if let Some(exchange) = self.shown_mut() {
            match how {
                Fold::Toggle => {
                    if let Some(opener) = exchange.folds.toggle(&outline, exchange.cursor) {
                        exchange.cursor = opener;
                    }
                }
                Fold::All => exchange.folds.fold_below_root(&outline),
                Fold::None => exchange.folds.unfold_all(),
                Fold::ToDepth(depth) => exchange.folds.fold_to_depth(&outline, depth),
            }
        }
        let Some(lines) = self.lines() else { return };
        let cursor = self.cursor().map(|c| lines.source(lines.shown_at(c)));
        let top = top.map(|t| lines.shown_at(t));
        if let Some(exchange) = self.shown_mut() {
            if let Some(cursor) = cursor {
                exchange.cursor = cursor;
            }
            exchange.search.hit = None;
        }
        if let Some(line) = top {
            self.set_scroll(ScrollPos { line, row: 0 });
        }
        self.keep_cursor_in_view();
    }

    /// The jq path of the cursor's line (`.records[12].Email`).
    #[must_use]
    pub fn cursor_path(&self) -> Option<String> {
        let cursor = self.cursor()?;
        let (lines, outline) = self.pretty()?;
        Some(path_at(outline, lines, cursor))
    }

    /// The value on the cursor's line: a string's text, a number, or a whole object.
    #[must_use]
    pub fn cursor_value(&self) -> Option<String> {
        let cursor = self.cursor()?;
        let (lines, outline) = self.pretty()?;
        Some(value_at(outline, lines, cursor))
    }

    /// True when some row of line `line` is on screen.
    fn is_visible(&self, line: usize) -> bool {
        let Some(lines) = self.lines() else {
            return false;
        };
        let top = self.scroll();
        if line < top.line {
            return false;
        }
        let rows = self.viewport.rows.max(1);
        let mut used = 0;
        for i in top.line..line {
            used += self.line_rows(&lines, i) - if i == top.line { top.row } else { 0 };
            if used >= rows {
                return false;
            }
        }
        true
    }
}
