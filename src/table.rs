//! The Table view's data: JSON records laid out as rows and columns, and the cursor over them.
//!
//! [`Table::from_values`] finds the records in a response (a top-level array of objects, the
//! largest array of objects inside an object, or the objects a jq filter printed), takes the
//! union of the first rows' keys as columns, and turns every cell into its display text once.
//! Cells are kept column by column in one string per column, and each record as its compact
//! JSON for [`Table::record_json`]: 50,000 records of a dozen keys take about 23 MB (their
//! parsed `serde_json` values take about 100 MB), built in about 0.1 s. Sorting works on a permutation of row numbers; the order of each
//! column is computed the first time it is sorted on and cached, so sorting again (either way)
//! is a linear pass.
//!
//! [`TableState`] is the cursor: selected row and column, the first row and column in view,
//! hidden columns, the sort and the column picker's cursor. Every move is O(1) or O(columns),
//! whatever the number of rows.
//!
//! Everything here is raw server text: whoever draws a cell, a column name, `source` or
//! `record_json` must pass it through [`crate::text::inert`] (the renderer in
//! `crate::ui::table` does).

use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io;
use unicode_width::UnicodeWidthStr;

/// Rows whose keys make the columns: keys first seen after them are not shown.
pub const COLUMN_SAMPLE_ROWS: usize = 200;
/// Widest a column is laid out (cells wider than this are cut with `…` when drawn).
pub const MAX_COLUMN_WIDTH: usize = 40;
/// Rows, spread evenly over the table, whose cells set the columns' widths.
pub const WIDTH_SAMPLE_ROWS: usize = 2_000;
/// A nested array or object is shown as compact JSON of at most this many characters.
pub const NESTED_MAX_CHARS: usize = 80;
/// A string cell keeps at most this many characters (a column never shows more than
/// [`MAX_COLUMN_WIDTH`] of them; [`Table::record_json`] has the whole value).
pub const CELL_MAX_CHARS: usize = 256;
/// Containers (objects and arrays) looked at, breadth-first, when searching for records.
pub const SEARCH_LIMIT: usize = 100_000;
/// Name of the column that holds rows which are not objects.
pub const VALUE_COLUMN: &str = "(value)";
/// `source` of a table made of the several values a jq filter printed.
pub const FILTER_OUTPUTS: &str = "filter outputs";

/// One column: its name (a key of the records) and how wide it is laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The key, raw as the server sent it ([`VALUE_COLUMN`] for non-object rows).
    pub name: String,
    /// Display width in terminal cells: the widest of the name and the sampled cells (after
    /// [`crate::text::inert`]), at least 1 and at most [`MAX_COLUMN_WIDTH`].
    pub width: usize,
    /// Every non-empty cell of the column is a JSON number (drawn right-aligned).
    pub numeric: bool,
}

/// The display text of one column's cells, end to end, with where each ends.
#[derive(Debug, Default)]
struct Cells {
    text: String,
    ends: Vec<u32>,
}

impl Cells {
    fn get(&self, row: usize) -> &str {
        let end = self.ends.get(row).map_or(0, |&e| e as usize);
        let start = match row.checked_sub(1) {
            Some(prev) => self.ends.get(prev).map_or(0, |&e| e as usize),
            None => 0,
        };
        self.text.get(start..end).unwrap_or("")
    }

    /// Ends the current cell; a column over 4 GiB of text keeps its later cells empty.
    fn close(&mut self, start: usize) {
        let end = if let Ok(end) = u32::try_from(self.text.len()) {
            end
        } else {
            self.text.truncate(start);
            self.ends.last().copied().unwrap_or(0)
        };
        self.ends.push(end);
    }
}

/// A column's rows in ascending order, computed once and reused for either direction.
#[derive(Debug)]
struct SortCache {
    /// Rows with a non-empty cell, ascending, equal cells in row order.
    rows: Vec<u32>,
    /// Exclusive end (index into `rows`) of each run of equal cells.
    group_ends: Vec<u32>,
    /// Rows with an empty cell, in row order (always shown last).
    empties: Vec<u32>,
}

/// JSON records as a table: columns, display text of every cell, a sort order.
#[derive(Debug)]
pub struct Table {
    source: String,
    columns: Vec<Column>,
    cells: Vec<Cells>,
    /// Compact JSON of every record, end to end, with where each ends.
    json: Vec<u8>,
    json_ends: Vec<usize>,
    /// Display row → record.
    order: Vec<u32>,
    sort: Option<(usize, bool)>,
    sort_cache: Vec<Option<SortCache>>,
}

impl Table {
    /// Finds the records in `values` and lays them out, or `None` when there are none.
    ///
    /// - One value: a top-level array of objects is the records (`source` `.`); otherwise the
    ///   largest array of objects inside it, found breadth-first (ties go to the shallower,
    ///   earlier one), e.g. `{"records":[…],"meta":{…}}` gives `.records`. The elements of an
    ///   array of objects are not searched further (their arrays are parts of records), and
    ///   the search stops after [`SEARCH_LIMIT`] containers.
    /// - Several values (the outputs of a jq filter): if more than half are objects, they are
    ///   the rows (`source` [`FILTER_OUTPUTS`]).
    ///
    /// An array counts as records when more than half of its elements are objects. Elements
    /// that are not objects are kept as rows, their value in a [`VALUE_COLUMN`] column put
    /// first (empty for the object rows), so row numbers match the array's indices.
    /// No records, arrays of scalars, or records without any key give `None`.
    pub fn from_values(values: &[Value]) -> Option<Table> {
        match values {
            [] => None,
            [one] => {
                let (rows, source) = find_records(one)?;
                Table::build(rows, source)
            }
            several => {
                is_records(several).then_some(())?;
                Table::build(several, FILTER_OUTPUTS.to_string())
            }
        }
    }

    /// Where the rows came from: a jq-style path (`.`, `.records`, `.data[0].items`,
    /// `."odd key"`) or [`FILTER_OUTPUTS`]. Raw text: make it inert to draw it.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The columns, in order of first appearance in the records.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// True when there are no rows (a table from [`Table::from_values`] always has some).
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The record shown at `display_row` (its index in the records), through the sort order.
    pub fn record_index(&self, display_row: usize) -> Option<usize> {
        self.order.get(display_row).map(|&r| r as usize)
    }

    /// Display text of a cell at `display_row` (through the sort order) and `column`; empty
    /// when out of range. Raw text: make it inert to draw it.
    pub fn row_cell(&self, display_row: usize, column: usize) -> &str {
        match (self.record_index(display_row), self.cells.get(column)) {
            (Some(record), Some(cells)) => cells.get(record),
            _ => "",
        }
    }

    /// Pretty JSON (`serde_json::to_string_pretty`) of the record at `display_row`; empty
    /// when out of range. Raw text: make it inert to draw it.
    pub fn record_json(&self, display_row: usize) -> String {
        let Some(record) = self.record_index(display_row) else {
            return String::new();
        };
        let start = match record.checked_sub(1) {
            Some(prev) => self.json_ends.get(prev).copied().unwrap_or(0),
            None => 0,
        };
        let end = self.json_ends.get(record).copied().unwrap_or(0);
        self.json
            .get(start..end)
            .and_then(|text| serde_json::from_slice::<Value>(text).ok())
            .and_then(|value| serde_json::to_string_pretty(&value).ok())
            .unwrap_or_default()
    }

    /// The current sort: column and whether descending; `None` is the records' own order.
    pub fn sort(&self) -> Option<(usize, bool)> {
        self.sort
    }

    /// Orders the rows by `column`: numerically where both cells are numbers, otherwise
    /// case-insensitively as text; numbers come before text (so the order is total), empty
    /// cells always last, and equal cells keep the records' order (in both directions).
    /// The first sort on a column costs O(n log n); later ones, either way, O(n).
    /// A column out of range restores the records' order.
    pub fn sort_by(&mut self, column: usize, descending: bool) {
        if column >= self.columns.len() {
            self.clear_sort();
            return;
        }
        if self.sort_cache.get(column).is_some_and(Option::is_none) {
            let cache = self.sort_cache_for(column);
            self.sort_cache[column] = Some(cache);
        }
        let Some(Some(cache)) = self.sort_cache.get(column) else {
            return;
        };
        self.order.clear();
        if descending {
            let mut end = cache.rows.len();
            for &start in cache.group_ends.iter().rev().skip(1) {
                let start = start as usize;
                self.order.extend_from_slice(&cache.rows[start..end]);
                end = start;
            }
            self.order.extend_from_slice(&cache.rows[..end]);
        } else {
            self.order.extend_from_slice(&cache.rows);
        }
        self.order.extend_from_slice(&cache.empties);
        self.sort = Some((column, descending));
    }

    /// Computes every column's sort order now (O(n log n) each), so that later sorts are
    /// linear copies: for building a table off the UI task.
    pub fn prepare_sorts(&mut self) {
        let sort = self.sort;
        for column in 0..self.columns.len() {
            self.sort_by(column, false);
        }
        match sort {
            Some((column, descending)) => self.sort_by(column, descending),
            None => self.clear_sort(),
        }
    }

    /// Back to the records' own order.
    pub fn clear_sort(&mut self) {
        let n = self.order.len() as u32;
        self.order.clear();
        self.order.extend(0..n);
        self.sort = None;
    }

    /// Sorts a column's rows once: numbers (by value), then text (case-folded, compared as
    /// bytes, which is code point order), each with ties in row order; empties apart.
    fn sort_cache_for(&self, column: usize) -> SortCache {
        let cells = &self.cells[column];
        let n = self.order.len() as u32;
        let mut numbers: Vec<(u64, u32)> = Vec::new();
        let mut folded = String::new();
        let mut text_ranges: Vec<(usize, usize, u32)> = Vec::new();
        let mut empties = Vec::new();
        for row in 0..n {
            let text = cells.get(row as usize);
            if text.is_empty() {
                empties.push(row);
            } else if let Some(key) = number_key(text) {
                numbers.push((key, row));
            } else {
                let start = folded.len();
                fold_into(&mut folded, text);
                text_ranges.push((start, folded.len(), row));
            }
        }
        numbers.sort_unstable();
        // Text by its first sixteen bytes and its length (together they are the whole text when
        // it is no longer), as plain integers; only runs of longer texts that share their first
        // sixteen bytes are then sorted by the text itself. Ranges are in row order, so their
        // index breaks ties by row.
        let text = |i: u32| {
            text_ranges
                .get(i as usize)
                .and_then(|&(start, end, _)| folded.get(start..end))
                .unwrap_or("")
        };
        let mut texts: Vec<(u64, u64, u8, u32)> = (0..text_ranges.len() as u32)
            .map(|i| {
                let bytes = text(i).as_bytes();
                let mut head = [0u8; 16];
                let n = bytes.len().min(16);
                head[..n].copy_from_slice(&bytes[..n]);
                let [a, b] = [&head[..8], &head[8..]].map(|half| {
                    let mut word = [0u8; 8];
                    word.copy_from_slice(half);
                    u64::from_be_bytes(word)
                });
                let short = if bytes.len() <= 16 { n as u8 } else { u8::MAX };
                (a, b, short, i)
            })
            .collect();
        texts.sort_unstable();
        let mut start = 0;
        while start < texts.len() {
            let key = &texts[start];
            let (a, b, short) = (key.0, key.1, key.2);
            let end = texts[start..]
                .iter()
                .position(|k| (k.0, k.1, k.2) != (a, b, short))
                .map_or(texts.len(), |len| start + len);
            if short == u8::MAX && end - start > 1 {
                texts[start..end]
                    .sort_unstable_by(|x, y| text(x.3).cmp(text(y.3)).then(x.3.cmp(&y.3)));
            }
            start = end;
        }

        let mut rows = Vec::with_capacity(numbers.len() + texts.len());
        let mut group_ends = Vec::new();
        for (i, &(key, row)) in numbers.iter().enumerate() {
            if i > 0 && numbers[i - 1].0 != key {
                group_ends.push(i as u32);
            }
            rows.push(row);
        }
        if !numbers.is_empty() {
            group_ends.push(numbers.len() as u32);
        }
        for (i, &(a, b, short, at)) in texts.iter().enumerate() {
            if let Some(&(pa, pb, pshort, prev)) = i.checked_sub(1).and_then(|p| texts.get(p)) {
                let same = (pa, pb, pshort) == (a, b, short)
                    && (short != u8::MAX || text(prev) == text(at));
                if !same {
                    group_ends.push(rows.len() as u32);
                }
            }
            rows.push(text_ranges.get(at as usize).map_or(0, |r| r.2));
        }
        if !texts.is_empty() {
            group_ends.push(rows.len() as u32);
        }
        SortCache {
            rows,
            group_ends,
            empties,
        }
    }

    /// Lays out `rows` (the records found) as a table; `None` when they have no key at all.
    fn build(rows: &[Value], source: String) -> Option<Table> {
        let rows = &rows[..rows.len().min(u32::MAX as usize)];
        let mut names: Vec<&str> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        let has_values = rows.iter().any(|row| !row.is_object());
        if has_values {
            names.push(VALUE_COLUMN);
        }
        let value_column = usize::from(has_values);
        for row in rows.iter().take(COLUMN_SAMPLE_ROWS) {
            if let Value::Object(map) = row {
                for key in map.keys() {
                    if seen.insert(key.as_str()) {
                        names.push(key.as_str());
                    }
                }
            }
        }
        if names.is_empty() {
            return None;
        }

        let mut cells: Vec<Cells> = names
            .iter()
            .map(|_| Cells {
                text: String::with_capacity(rows.len() * 8),
                ends: Vec::with_capacity(rows.len()),
            })
            .collect();
        let mut numbers = vec![(true, false); names.len()]; // (only numbers, any number)
        let mut json = Vec::with_capacity(rows.len() * 64);
        let mut json_ends = Vec::with_capacity(rows.len());
        let mut scratch = Bounded::default();
        let index: HashMap<&str, usize> = names
            .iter()
            .enumerate()
            .skip(value_column)
            .map(|(c, name)| (*name, c))
            .collect();
        // The row that last wrote each column; columns a row lacks get an empty cell.
        let mut written = vec![usize::MAX; names.len()];
        for (r, row) in rows.iter().enumerate() {
            let mut put = |c: usize, value: &Value| {
                let cells = &mut cells[c];
                let start = cells.text.len();
                write_cell(&mut cells.text, value, &mut scratch);
                cells.close(start);
                match value {
                    Value::Null => {}
                    Value::Number(_) => numbers[c].1 = true,
                    _ => numbers[c].0 = false,
                }
                written[c] = r;
            };
            if let Value::Object(map) = row {
                // Records mostly repeat one key order: try the column after the last first.
                let mut guess = value_column;
                for (key, value) in map {
                    let c = if names.get(guess) == Some(&key.as_str()) {
                        guess
                    } else if let Some(&c) = index.get(key.as_str()) {
                        c
                    } else {
                        continue;
                    };
                    put(c, value);
                    guess = c + 1;
                }
            } else {
                put(0, row);
            }
            for (cells, _) in cells
                .iter_mut()
                .zip(&written)
                .filter(|(_, last)| **last != r)
            {
                let end = cells.ends.last().copied().unwrap_or(0);
                cells.ends.push(end);
            }
            // A `Value` always serializes (its keys are strings), into a Vec it cannot fail.
            let _ = serde_json::to_writer(&mut json, row);
            json_ends.push(json.len());
        }

        json.shrink_to_fit();
        for cells in &mut cells {
            cells.text.shrink_to_fit();
        }

        let step = rows.len().div_ceil(WIDTH_SAMPLE_ROWS).max(1);
        let columns = names
            .iter()
            .zip(&cells)
            .zip(&numbers)
            .map(|((name, cells), &(only, any))| {
                let header = crate::text::inert(name).width();
                let widest = (0..rows.len())
                    .step_by(step)
                    .map(|row| crate::text::inert(cells.get(row)).width())
                    .max()
                    .unwrap_or(0);
                Column {
                    name: (*name).to_string(),
                    width: header.max(widest).clamp(1, MAX_COLUMN_WIDTH),
                    numeric: only && any,
                }
            })
            .collect::<Vec<_>>();
        let sort_cache = columns.iter().map(|_| None).collect();
        Some(Table {
            source,
            columns,
            cells,
            json,
            json_ends,
            order: (0..rows.len() as u32).collect(),
            sort: None,
            sort_cache,
        })
    }
}

/// A cell's value as a number, mapped to a `u64` in the same order, when the cell (trimmed)
/// parses as a finite number; `-0` is `0`.
fn number_key(text: &str) -> Option<u64> {
    let n = text.trim().parse::<f64>().ok().filter(|n| n.is_finite())? + 0.0;
    let bits = n.to_bits();
    Some(if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    })
}

/// Appends `text` lower-cased (for case-insensitive order).
fn fold_into(out: &mut String, text: &str) {
    if text.is_ascii() {
        let start = out.len();
        out.push_str(text);
        if let Some(added) = out.get_mut(start..) {
            added.make_ascii_lowercase();
        }
    } else {
        out.extend(text.chars().flat_map(char::to_lowercase));
    }
}

/// Appends the display text of a cell: strings as they are (cut at [`CELL_MAX_CHARS`]),
/// numbers and booleans as written, null as nothing, arrays and objects as compact
/// JSON cut at [`NESTED_MAX_CHARS`].
fn write_cell(out: &mut String, value: &Value, scratch: &mut Bounded) {
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => push_cut(out, s, CELL_MAX_CHARS),
        nested @ (Value::Array(_) | Value::Object(_)) => {
            scratch.buf.clear();
            // Stops with an error once the buffer is full: only the start is needed.
            let _ = serde_json::to_writer(&mut *scratch, nested);
            let text = match std::str::from_utf8(&scratch.buf) {
                Ok(text) => text,
                Err(e) => std::str::from_utf8(&scratch.buf[..e.valid_up_to()]).unwrap_or(""),
            };
            push_cut(out, text, NESTED_MAX_CHARS);
        }
    }
}

/// Appends `s`, or its first `max - 1` characters and `…` when it has more than `max`.
fn push_cut(out: &mut String, s: &str, max: usize) {
    if s.len() <= max || s.chars().nth(max).is_none() {
        out.push_str(s);
        return;
    }
    let end = s
        .char_indices()
        .nth(max.saturating_sub(1))
        .map_or(s.len(), |(i, _)| i);
    out.push_str(&s[..end]);
    out.push('…');
}

/// A writer that takes the first bytes of nested JSON and then refuses more.
#[derive(Debug, Default)]
struct Bounded {
    buf: Vec<u8>,
}

impl Bounded {
    /// Enough bytes for [`NESTED_MAX_CHARS`] + 1 characters of any width.
    const CAP: usize = (NESTED_MAX_CHARS + 1) * 4;
}

impl io::Write for Bounded {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let room = Self::CAP.saturating_sub(self.buf.len());
        if room == 0 {
            return Err(io::Error::other("enough of this value"));
        }
        let taken = room.min(data.len());
        self.buf.extend_from_slice(&data[..taken]);
        Ok(taken)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// True when `items` is non-empty and more than half of it is objects.
fn is_records(items: &[Value]) -> bool {
    let objects = items.iter().filter(|v| v.is_object()).count();
    objects > 0 && objects * 2 > items.len()
}

/// One step of a path from the searched value.
#[derive(Debug, Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The records in one value and their path (see [`Table::from_values`]).
fn find_records(root: &Value) -> Option<(&[Value], String)> {
    if let Value::Array(items) = root
        && is_records(items)
    {
        return Some((items, ".".to_string()));
    }
    // Breadth-first over containers; each node remembers its parent to rebuild the path.
    let mut nodes: Vec<Node<'_>> = vec![(root, 0, None)];
    let mut best: Option<(usize, usize)> = None; // (node, length)
    let mut next = 0;
    while next < nodes.len() {
        let (value, _, _) = nodes[next];
        let index = next;
        next += 1;
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    enqueue(&mut nodes, child, index, Step::Key(key.as_str()));
                }
            }
            Value::Array(items) if is_records(items) => {
                // The first of the largest wins: a later one must be strictly larger.
                best = Some(match best {
                    Some(found @ (_, len)) if len >= items.len() => found,
                    _ => (index, items.len()),
                });
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    enqueue(&mut nodes, child, index, Step::Index(i));
                }
            }
            _ => {}
        }
    }
    let (node, _) = best?;
    let Value::Array(items) = nodes[node].0 else {
        return None;
    };
    let mut steps = Vec::new();
    let mut at = node;
    while let (_, parent, Some(step)) = nodes[at] {
        steps.push(step);
        at = parent;
    }
    let mut path = String::new();
    for step in steps.iter().rev() {
        match step {
            Step::Key(key) if is_identifier(key) => {
                path.push('.');
                path.push_str(key);
            }
            Step::Key(key) => {
                path.push('.');
                path.push_str(&serde_json::to_string(key).unwrap_or_default());
            }
            Step::Index(i) => {
                let _ = write!(path, "[{i}]");
            }
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    Some((items, path))
}

/// A container met in the search: itself, its parent's index and the step from the parent.
type Node<'a> = (&'a Value, usize, Option<Step<'a>>);

/// Queues `child` of node `parent` when it is a container and the search has room left.
fn enqueue<'a>(nodes: &mut Vec<Node<'a>>, child: &'a Value, parent: usize, step: Step<'a>) {
    if nodes.len() < SEARCH_LIMIT && (child.is_object() || child.is_array()) {
        nodes.push((child, parent, Some(step)));
    }
}

/// True for keys jq accepts after a bare `.`.
fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The cursor over a [`Table`]: selection, scroll (down and sideways), hidden columns, sort
/// and the column picker's cursor. Moves cost O(1) or O(columns), never O(rows).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableState {
    selected: usize,
    top: usize,
    column: usize,
    first_column: usize,
    hidden: Vec<bool>,
    sort: Option<(usize, bool)>,
    picker: usize,
    viewport_rows: usize,
    viewport_width: u16,
}

impl TableState {
    /// A state at the first row and column, nothing hidden, unsorted.
    pub fn new() -> Self {
        Self::default()
    }

    /// The selected display row.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The first display row in view.
    pub fn top(&self) -> usize {
        self.top
    }

    /// The selected column (never a hidden one while any is shown).
    pub fn column(&self) -> usize {
        self.column
    }

    /// The first column in view (scrolled sideways).
    pub fn first_column(&self) -> usize {
        self.first_column
    }

    /// True when column `i` is hidden.
    pub fn is_hidden(&self, i: usize) -> bool {
        self.hidden.get(i).copied().unwrap_or(false)
    }

    /// The sort: column and whether descending.
    pub fn sort(&self) -> Option<(usize, bool)> {
        self.sort
    }

    /// The column under the column picker's cursor.
    pub fn picker_cursor(&self) -> usize {
        self.picker
    }

    /// Rows and width of the table body at the last draw (for the movement calls).
    pub fn viewport(&self) -> (usize, u16) {
        (self.viewport_rows, self.viewport_width)
    }

    /// Moves the selection `delta` rows (clamped) and scrolls to keep it in view.
    pub fn move_row(&mut self, table: &Table, delta: isize, viewport_rows: usize) {
        let last = table.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        self.scroll_rows(table.len(), viewport_rows);
    }

    /// Moves the selection `pages` screens of `viewport_rows` rows (negative: up).
    pub fn page(&mut self, table: &Table, pages: isize, viewport_rows: usize) {
        let rows = viewport_rows.max(1) as isize;
        self.move_row(table, pages.saturating_mul(rows), viewport_rows);
    }

    /// Selects the first row.
    pub fn home(&mut self, table: &Table, viewport_rows: usize) {
        self.selected = 0;
        self.scroll_rows(table.len(), viewport_rows);
    }

    /// Selects the last row.
    pub fn end(&mut self, table: &Table, viewport_rows: usize) {
        self.selected = table.len().saturating_sub(1);
        self.scroll_rows(table.len(), viewport_rows);
    }

    /// Selects display row `row` (clamped), e.g. for a click.
    pub fn select(&mut self, table: &Table, row: usize, viewport_rows: usize) {
        self.selected = row.min(table.len().saturating_sub(1));
        self.scroll_rows(table.len(), viewport_rows);
    }

    /// Moves the selected column `delta` shown columns sideways (hidden ones are skipped) and
    /// scrolls sideways so that it is in view in `viewport_width` cells.
    pub fn move_column(&mut self, table: &Table, delta: isize, viewport_width: u16) {
        let count = table.columns().len();
        for _ in 0..delta.unsigned_abs() {
            let next = if delta < 0 {
                (0..self.column).rev().find(|&c| !self.is_hidden(c))
            } else {
                (self.column + 1..count).find(|&c| !self.is_hidden(c))
            };
            match next {
                Some(c) => self.column = c,
                None => break,
            }
        }
        self.scroll_columns(table, viewport_width);
    }

    /// Selects the first shown column.
    pub fn column_home(&mut self, table: &Table, viewport_width: u16) {
        self.move_column(table, -(table.columns().len() as isize), viewport_width);
    }

    /// Selects the last shown column.
    pub fn column_end(&mut self, table: &Table, viewport_width: u16) {
        self.move_column(table, table.columns().len() as isize, viewport_width);
    }

    /// Hides or shows column `i`; the last shown column cannot be hidden (returns false then,
    /// or when `i` is out of range). The selection moves off a column that is hidden.
    pub fn toggle_column_hidden(&mut self, table: &Table, i: usize) -> bool {
        let count = table.columns().len();
        if i >= count {
            return false;
        }
        self.hidden.resize(count, false);
        if !self.hidden[i] && self.hidden.iter().filter(|h| !**h).count() <= 1 {
            return false;
        }
        self.hidden[i] = !self.hidden[i];
        self.fix_column(count);
        self.scroll_columns(table, self.viewport_width);
        true
    }

    /// Moves the column picker's cursor `delta` columns (clamped).
    pub fn move_picker(&mut self, table: &Table, delta: isize) {
        let last = table.columns().len().saturating_sub(1);
        self.picker = self.picker.saturating_add_signed(delta).min(last);
    }

    /// Hides or shows the column under the picker's cursor (Space in the picker).
    pub fn toggle_picker_column(&mut self, table: &Table) -> bool {
        self.toggle_column_hidden(table, self.picker)
    }

    /// Sorts on the selected column: ascending, then descending, then the records' order; a
    /// sort on another column starts again at ascending. Selects the first row.
    pub fn cycle_sort(&mut self, table: &mut Table) {
        let column = self.column;
        self.sort = match self.sort {
            Some((c, false)) if c == column => Some((column, true)),
            Some((c, true)) if c == column => None,
            _ => Some((column, false)),
        };
        match self.sort {
            Some((c, descending)) => table.sort_by(c, descending),
            None => table.clear_sort(),
        }
        self.sort = table.sort();
        self.selected = 0;
        self.top = 0;
    }

    /// Brings the state back inside `table` after it changed (new rows or columns): clamps
    /// rows and columns, forgets hidden columns past the end (and shows all if every one was
    /// hidden), and takes the table's sort as the state's.
    pub fn clamp(&mut self, table: &Table) {
        let count = table.columns().len();
        self.hidden.truncate(count);
        if count > 0 && (0..count).all(|c| self.is_hidden(c)) {
            self.hidden.clear();
        }
        self.selected = self.selected.min(table.len().saturating_sub(1));
        self.picker = self.picker.min(count.saturating_sub(1));
        self.sort = table.sort();
        self.fix_column(count);
        self.scroll_rows(table.len(), self.viewport_rows);
        self.scroll_columns(table, self.viewport_width);
    }

    /// Clamps and scrolls for a body of `rows` rows and `width` cells, and remembers them (the
    /// renderer calls this each frame).
    pub fn fit(&mut self, table: &Table, rows: usize, width: u16) {
        self.viewport_rows = rows;
        self.viewport_width = width;
        self.clamp(table);
    }

    /// Keeps the selected column in range and shown (the nearest shown one after, else
    /// before).
    fn fix_column(&mut self, count: usize) {
        self.column = self.column.min(count.saturating_sub(1));
        if self.is_hidden(self.column)
            && let Some(c) = (self.column + 1..count)
                .find(|&c| !self.is_hidden(c))
                .or_else(|| (0..self.column).rev().find(|&c| !self.is_hidden(c)))
        {
            self.column = c;
        }
        self.first_column = self.first_column.min(self.column);
    }

    /// Scrolls so that the selected row is in view and no rows are wasted below the last.
    fn scroll_rows(&mut self, len: usize, viewport_rows: usize) {
        let rows = viewport_rows.max(1);
        self.top = self.top.min(len.saturating_sub(rows));
        if self.selected < self.top {
            self.top = self.selected;
        } else if self.selected >= self.top + rows {
            self.top = self.selected + 1 - rows;
        }
    }

    /// Scrolls sideways so that the selected column is in view (whole, unless it alone is
    /// wider than the view), and so that no space is wasted right of the last column.
    fn scroll_columns(&mut self, table: &Table, viewport_width: u16) {
        let columns = table.columns();
        let count = columns.len();
        let width = usize::from(viewport_width);
        let cell = |c: usize| columns.get(c).map_or(0, |column| column.width);
        let span = |state: &Self, range: std::ops::Range<usize>| -> usize {
            let (sum, shown) = range
                .filter(|&c| !state.is_hidden(c))
                .fold((0, 0_usize), |(sum, shown), c| (sum + cell(c), shown + 1));
            sum + shown.saturating_sub(1)
        };
        self.column = self.column.min(count.saturating_sub(1));
        self.first_column = self.first_column.min(self.column);
        // Pull columns in from the left while everything from there to the end fits.
        let mut rest = span(self, self.first_column..count);
        while self.first_column > 0 {
            let prev = self.first_column - 1;
            let grown = if self.is_hidden(prev) {
                rest
            } else if rest == 0 {
                cell(prev)
            } else {
                rest + cell(prev) + 1
            };
            if grown > width {
                break;
            }
            rest = grown;
            self.first_column = prev;
        }
        // Push columns out on the left until the selected one fits.
        let mut used = span(self, self.first_column..self.column + 1);
        while used > width && self.first_column < self.column {
            if !self.is_hidden(self.first_column) {
                used = used.saturating_sub(cell(self.first_column) + 1);
            }
            self.first_column += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn table(value: &Value) -> Table {
        Table::from_values(std::slice::from_ref(value)).unwrap()
    }

    fn column(table: &Table, c: usize) -> Vec<&str> {
        (0..table.len()).map(|r| table.row_cell(r, c)).collect()
    }

    fn names(table: &Table) -> Vec<&str> {
        table.columns().iter().map(|c| c.name.as_str()).collect()
    }

    #[test]
    fn finds_a_top_level_array_of_objects() {
        let t = table(&json!([{"a": 1}, {"a": 2, "b": "x"}]));
        assert_eq!(t.source(), ".");
        assert_eq!(t.len(), 2);
        assert_eq!(names(&t), ["a", "b"]);
    }

    #[test]
    fn finds_the_largest_nested_array_breadth_first() {
        let t = table(&json!({
            "meta": {"pages": [{"n": 1}]},
            "records": [{"id": 1}, {"id": 2}, {"id": 3}],
            "deep": {"deeper": {"items": [{"x": 1}, {"x": 2}]}}
        }));
        assert_eq!(t.source(), ".records");
        assert_eq!(t.len(), 3);

        let t = table(&json!({"data": {"items": [{"a": 1}, {"a": 2}]}, "x": [{"b": 1}]}));
        assert_eq!(t.source(), ".data.items");

        // Ties go to the shallower one; paths through arrays and odd keys read as jq.
        let t = table(&json!({"a b": [[{"k": 1}, {"k": 2}]], "c": [{"k": 1}]}));
        assert_eq!(t.source(), ".\"a b\"[0]");

        // A record array's own nested arrays are parts of records, not searched.
        let t = table(&json!({"orders": [{"id": 1, "lines": [{"q": 1}, {"q": 2}, {"q": 3}]}]}));
        assert_eq!(t.source(), ".orders");
    }

    #[test]
    fn several_filter_outputs_are_the_rows() {
        let values = [json!({"a": 1}), json!({"a": 2}), json!(3)];
        let t = Table::from_values(&values).unwrap();
        assert_eq!(t.source(), FILTER_OUTPUTS);
        assert_eq!(t.len(), 3);
        assert_eq!(names(&t), [VALUE_COLUMN, "a"]);
        assert_eq!(column(&t, 0), ["", "", "3"]);
        assert_eq!(column(&t, 1), ["1", "2", ""]);
        assert!(Table::from_values(&[json!(1), json!(2), json!({"a": 1})]).is_none());
    }

    #[test]
    fn no_records_gives_none() {
        assert!(Table::from_values(&[]).is_none());
        for value in [
            json!({"a": 1, "b": {"c": "d"}}),
            json!([]),
            json!([1, 2, 3]),
            json!(["a", "b"]),
            json!({"tags": ["a", "b"], "n": [1, 2]}),
            json!([[1, 2], [3]]),
            json!("text"),
            json!(null),
            json!([{}, {}]),
        ] {
            assert!(
                Table::from_values(std::slice::from_ref(&value)).is_none(),
                "{value}"
            );
        }
    }

    #[test]
    fn columns_are_the_union_in_order_of_first_appearance() {
        let t = table(&json!([{"b": 1, "a": 2}, {"c": 3, "a": 4}, {"d": 5}]));
        assert_eq!(names(&t), ["b", "a", "c", "d"]);
        assert_eq!(column(&t, 2), ["", "3", ""]);

        // Keys first seen after the first rows are not columns.
        let mut rows: Vec<Value> = (0..COLUMN_SAMPLE_ROWS).map(|i| json!({"i": i})).collect();
        rows.push(json!({"i": 1, "late": true}));
        let t = table(&Value::Array(rows));
        assert_eq!(names(&t), ["i"]);
        assert_eq!(t.len(), COLUMN_SAMPLE_ROWS + 1);
    }

    #[test]
    fn cells_show_values_as_text() {
        let long = "x".repeat(100);
        let t = table(&json!([{
            "s": "héllo", "i": -42, "f": 1.5, "t": true, "n": null,
            "o": {"k": [1, 2]}, "long": {"k": long}, "e": "", "a": []
        }]));
        let cells: Vec<&str> = (0..t.columns().len()).map(|c| t.row_cell(0, c)).collect();
        assert_eq!(
            cells[..6],
            ["héllo", "-42", "1.5", "true", "", r#"{"k":[1,2]}"#]
        );
        assert_eq!(cells[6].chars().count(), NESTED_MAX_CHARS);
        assert!(cells[6].starts_with(r#"{"k":"xxx"#) && cells[6].ends_with('…'));
        assert_eq!(cells[7..], ["", "[]"]);
        assert_eq!(t.row_cell(5, 0), "");
        assert_eq!(t.row_cell(0, 99), "");

        let huge = "y".repeat(10_000);
        let t = table(&json!([{ "s": huge }]));
        assert_eq!(t.row_cell(0, 0).chars().count(), CELL_MAX_CHARS);
    }

    #[test]
    fn widths_take_the_widest_of_name_and_cells_capped() {
        let t = table(&json!([
            {"id": 1, "name": "日本", "blob": "z".repeat(90), "esc": "a\u{1b}b"},
            {"id": 12345, "name": "x"}
        ]));
        let widths: Vec<usize> = t.columns().iter().map(|c| c.width).collect();
        // "日本" is 4 cells; ESC shows as `\x1b` (4 cells).
        assert_eq!(widths, [5, 4, MAX_COLUMN_WIDTH, 6]);
        assert!(t.columns()[0].numeric);
        assert!(!t.columns()[1].numeric);
    }

    #[test]
    fn record_json_is_the_pretty_record_through_the_order() {
        let rows = json!([{"z": 1, "a": {"k": "v\u{1b}"}}, {"z": 0, "a": [1.5, null]}]);
        let mut t = table(&rows);
        assert_eq!(
            t.record_json(0),
            serde_json::to_string_pretty(&rows[0]).unwrap()
        );
        t.sort_by(0, false);
        assert_eq!(t.record_index(0), Some(1));
        assert_eq!(
            t.record_json(0),
            serde_json::to_string_pretty(&rows[1]).unwrap()
        );
        assert_eq!(t.record_json(9), "");
    }

    #[test]
    fn sorts_numbers_numerically_and_text_case_insensitively() {
        let mut t = table(&json!([
            {"n": 10, "s": "banana"}, {"n": 9, "s": "Apple"}, {"n": "100", "s": "cherry"},
            {"n": -1.5, "s": "apple2"}, {"n": 2e3, "s": "Äpfel"}
        ]));
        t.sort_by(0, false);
        assert_eq!(column(&t, 0), ["-1.5", "9", "10", "100", "2000.0"]);
        t.sort_by(0, true);
        assert_eq!(column(&t, 0), ["2000.0", "100", "10", "9", "-1.5"]);
        t.sort_by(1, false);
        assert_eq!(
            column(&t, 1),
            ["Apple", "apple2", "banana", "cherry", "Äpfel"]
        );
        assert_eq!(t.sort(), Some((1, false)));
        t.clear_sort();
        assert_eq!(column(&t, 0), ["10", "9", "100", "-1.5", "2000.0"]);
        assert_eq!(t.sort(), None);

        // Texts that share their first sixteen bytes, or differ only past them or by length.
        let mut t = table(&json!([
            {"s": "b"}, {"s": "abcdefghijklmnopq"}, {"s": "ab\u{0}"},
            {"s": "ABCDEFGHIJKLMNOPA"}, {"s": "abcdefghijklmnop"}, {"s": "ab"},
            {"s": "abcdefghijklmnopa"}
        ]));
        t.sort_by(0, false);
        assert_eq!(
            column(&t, 0),
            [
                "ab",
                "ab\u{0}",
                "abcdefghijklmnop",
                "ABCDEFGHIJKLMNOPA",
                "abcdefghijklmnopa",
                "abcdefghijklmnopq",
                "b"
            ]
        );
        t.sort_by(0, true);
        assert_eq!(
            (0..7)
                .map(|r| t.record_index(r).unwrap())
                .collect::<Vec<_>>(),
            [0, 1, 3, 6, 4, 2, 5]
        );
        t.sort_by(0, false);
        assert_eq!(t.record_index(3), Some(3));
    }

    #[test]
    fn mixed_cells_put_numbers_before_text_and_empties_last_both_ways() {
        let mut t = table(&json!([
            {"v": "b"}, {"v": null}, {"v": 3}, {}, {"v": "A"}, {"v": "1"}, {"v": ""}
        ]));
        t.sort_by(0, false);
        assert_eq!(column(&t, 0), ["1", "3", "A", "b", "", "", ""]);
        assert_eq!(
            (4..7)
                .map(|r| t.record_index(r).unwrap())
                .collect::<Vec<_>>(),
            [1, 3, 6]
        );
        t.sort_by(0, true);
        assert_eq!(column(&t, 0), ["b", "A", "3", "1", "", "", ""]);
        assert_eq!(
            (4..7)
                .map(|r| t.record_index(r).unwrap())
                .collect::<Vec<_>>(),
            [1, 3, 6]
        );
    }

    #[test]
    fn sorting_is_stable_in_both_directions() {
        let mut t = table(&json!([
            {"k": "x", "i": 0}, {"k": "y", "i": 1}, {"k": "X", "i": 2}, {"k": "y", "i": 3},
            {"k": "x", "i": 4}
        ]));
        t.sort_by(0, false);
        assert_eq!(column(&t, 1), ["0", "2", "4", "1", "3"]);
        t.sort_by(0, true);
        assert_eq!(column(&t, 1), ["1", "3", "0", "2", "4"]);
        t.sort_by(7, true);
        assert_eq!(column(&t, 1), ["0", "1", "2", "3", "4"]);
        assert_eq!(t.sort(), None);
    }

    #[test]
    fn sorting_a_large_mixed_column_follows_the_rules() {
        // Values that would make a naive number-or-text comparison cyclic.
        let rows: Vec<Value> = (0..5_000)
            .map(|i| match i % 5 {
                0 => json!({"v": i}),
                1 => json!({"v": format!("{}a", i % 97)}),
                2 => json!({"v": format!("{}", i % 89)}),
                3 => json!({"v": if i % 2 == 0 { "Zed" } else { "zed" }, "i": i}),
                _ => json!({"v": null}),
            })
            .collect();
        let mut t = table(&Value::Array(rows));
        for descending in [false, true] {
            t.sort_by(0, descending);
            let cells = column(&t, 0);
            let (filled, empty) = cells.split_at(4_000);
            assert!(empty.iter().all(|c| c.is_empty()));
            let mut keys: Vec<(bool, f64, String)> = filled
                .iter()
                .map(|c| match c.parse::<f64>() {
                    Ok(n) => (false, n, String::new()),
                    Err(_) => (true, 0.0, c.to_lowercase()),
                })
                .collect();
            if descending {
                keys.reverse();
            }
            assert!(
                keys.windows(2)
                    .all(|w| w[0].partial_cmp(&w[1]).unwrap().is_le())
            );
            // "Zed" and "zed" are one run, in record order.
            let zeds: Vec<usize> = (0..t.len())
                .filter(|&r| t.row_cell(r, 0).eq_ignore_ascii_case("zed"))
                .map(|r| t.record_index(r).unwrap())
                .collect();
            assert_eq!(zeds.len(), 1_000);
            assert!(zeds.windows(2).all(|w| w[0] < w[1]));
        }
        assert_eq!(t.len(), 5_000);
        assert_eq!(number_key("-0"), number_key("0.0"));
        assert!(number_key("-1") < number_key("-0.5"));
        assert!(number_key("1e300") > number_key("7"));
        assert_eq!(number_key("NaN"), None);
        assert_eq!(number_key("inf"), None);
        assert_eq!(number_key(" 42 "), number_key("42"));
    }

    fn wide_table() -> Table {
        // Ten columns of width 10 (header "column_0N" is 9, cells 10).
        let rows: Vec<Value> = (0..100)
            .map(|r| {
                let mut map = serde_json::Map::new();
                for c in 0..10 {
                    map.insert(format!("column_0{c}"), json!(format!("{r:010}")));
                }
                Value::Object(map)
            })
            .collect();
        table(&Value::Array(rows))
    }

    #[test]
    fn rows_move_page_and_scroll() {
        let t = wide_table();
        let mut s = TableState::new();
        s.move_row(&t, 5, 10);
        assert_eq!((s.selected(), s.top()), (5, 0));
        s.move_row(&t, 7, 10);
        assert_eq!((s.selected(), s.top()), (12, 3));
        s.move_row(&t, -100, 10);
        assert_eq!((s.selected(), s.top()), (0, 0));
        s.page(&t, 1, 10);
        assert_eq!((s.selected(), s.top()), (10, 1));
        s.end(&t, 10);
        assert_eq!((s.selected(), s.top()), (99, 90));
        s.move_row(&t, 5, 10);
        assert_eq!(s.selected(), 99);
        s.page(&t, -2, 10);
        assert_eq!((s.selected(), s.top()), (79, 79));
        s.home(&t, 10);
        assert_eq!((s.selected(), s.top()), (0, 0));
        s.select(&t, 1_000, 10);
        assert_eq!((s.selected(), s.top()), (99, 90));
        // A taller view pulls the top up so no rows are wasted.
        s.fit(&t, 40, 80);
        assert_eq!((s.selected(), s.top()), (99, 60));
    }

    #[test]
    fn columns_scroll_sideways_to_keep_the_selection_in_view() {
        let t = wide_table();
        let mut s = TableState::new();
        // 32 cells: three columns of 10 with separators.
        s.move_column(&t, 2, 32);
        assert_eq!((s.column(), s.first_column()), (2, 0));
        s.move_column(&t, 1, 32);
        assert_eq!((s.column(), s.first_column()), (3, 1));
        s.column_end(&t, 32);
        assert_eq!((s.column(), s.first_column()), (9, 7));
        s.move_column(&t, 1, 32);
        assert_eq!((s.column(), s.first_column()), (9, 7));
        s.move_column(&t, -3, 32);
        assert_eq!((s.column(), s.first_column()), (6, 6));
        s.column_home(&t, 32);
        assert_eq!((s.column(), s.first_column()), (0, 0));
        // Narrower than one column: the selected one is first.
        s.move_column(&t, 4, 5);
        assert_eq!((s.column(), s.first_column()), (4, 4));
        // A wide view pulls columns back in from the left.
        s.fit(&t, 10, 200);
        assert_eq!(s.first_column(), 0);
        s.fit(&t, 10, 54);
        assert_eq!((s.column(), s.first_column()), (4, 0));
        s.column_end(&t, 54);
        assert_eq!((s.column(), s.first_column()), (9, 5));
    }

    #[test]
    fn hidden_columns_are_skipped_and_the_last_shown_stays() {
        let t = wide_table();
        let mut s = TableState::new();
        assert!(s.toggle_column_hidden(&t, 0));
        assert_eq!(s.column(), 1);
        assert!(s.toggle_column_hidden(&t, 2));
        s.move_column(&t, 1, 32);
        assert_eq!(s.column(), 3);
        // Columns 1, 3, 4 fit in 32 cells once 0 and 2 are hidden.
        s.move_column(&t, 1, 32);
        assert_eq!(s.column(), 4);
        assert!(s.first_column() <= 1, "column 0 is hidden");
        s.move_column(&t, -2, 32);
        assert_eq!(s.column(), 1);
        for c in 3..10 {
            assert!(s.toggle_column_hidden(&t, c));
        }
        assert!(
            !s.toggle_column_hidden(&t, 1),
            "the last shown column stays"
        );
        assert!(!s.toggle_column_hidden(&t, 10));
        assert!(s.toggle_column_hidden(&t, 2));
        assert!(s.toggle_column_hidden(&t, 1));
        assert_eq!(s.column(), 2);
        assert!(s.is_hidden(1) && !s.is_hidden(2));

        // The picker toggles the column under its cursor.
        s.move_picker(&t, 100);
        assert_eq!(s.picker_cursor(), 9);
        assert!(s.toggle_picker_column(&t));
        assert!(!s.is_hidden(9));
        s.move_picker(&t, -100);
        assert_eq!(s.picker_cursor(), 0);
    }

    #[test]
    fn cycle_sort_goes_ascending_descending_none() {
        let mut t = table(&json!([{"a": 2, "b": 1}, {"a": 1, "b": 2}]));
        let mut s = TableState::new();
        s.move_row(&t, 1, 10);
        s.cycle_sort(&mut t);
        assert_eq!(
            (s.sort(), t.sort(), s.selected()),
            (Some((0, false)), Some((0, false)), 0)
        );
        assert_eq!(column(&t, 0), ["1", "2"]);
        s.cycle_sort(&mut t);
        assert_eq!(s.sort(), Some((0, true)));
        assert_eq!(column(&t, 0), ["2", "1"]);
        s.move_column(&t, 1, 80);
        s.cycle_sort(&mut t);
        assert_eq!(s.sort(), Some((1, false)));
        s.cycle_sort(&mut t);
        s.cycle_sort(&mut t);
        assert_eq!((s.sort(), t.sort()), (None, None));
        assert_eq!(column(&t, 0), ["2", "1"]);
    }

    #[test]
    fn clamp_after_the_table_changes() {
        let big = wide_table();
        let mut s = TableState::new();
        s.fit(&big, 10, 32);
        s.end(&big, 10);
        s.column_end(&big, 32);
        s.move_picker(&big, 9);
        assert!(s.toggle_column_hidden(&big, 8));
        let small = table(&json!([{"a": 1, "b": 2}, {"a": 3}]));
        s.clamp(&small);
        assert_eq!(
            (s.selected(), s.top(), s.column(), s.first_column()),
            (1, 0, 1, 0)
        );
        assert_eq!(s.picker_cursor(), 1);
        assert!(!s.is_hidden(8));

        // Every column hidden (only possible through a new table): all shown again.
        let mut s = TableState::new();
        assert!(s.toggle_column_hidden(&big, 0));
        let single = table(&json!([{"a": 1}]));
        s.clamp(&single);
        assert!(!s.is_hidden(0));
        assert_eq!(s.column(), 0);
    }
}
