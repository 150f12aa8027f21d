//! A response laid out for viewing: line-indexed text for each tab (pretty JSON, raw body,
//! headers, the request as sent), built once off the UI task so drawing only slices lines.

use crate::cyclr::CallResponse;
use crate::outline::{Outline, OutlineBuilder};
use crate::table::Table;
use bytes::Bytes;
use std::fmt::Write;
use std::sync::{Arc, Mutex, OnceLock};

/// Text with an index of where each line starts, so any line is found in O(1).
#[derive(Debug, Clone, Default)]
pub struct Lines {
    text: Bytes,
    starts: Vec<u32>,
}

impl Lines {
    /// Indexes UTF-8 `text` (invalid sequences are shown as U+FFFD). `\r\n` ends a line too.
    pub fn new(text: Bytes) -> Self {
        let text = match std::str::from_utf8(&text) {
            Ok(_) => text,
            Err(_) => Bytes::from(String::from_utf8_lossy(&text).into_owned()),
        };
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        starts.extend(memchr_newlines(&text).map(|i| (i + 1) as u32));
        if starts.len() > 1 && *starts.last().unwrap_or(&0) as usize == text.len() {
            starts.pop();
        }
        Lines { text, starts }
    }

    /// Text whose line starts are already known (the first is 0).
    fn indexed(text: Bytes, starts: Vec<u32>) -> Self {
        Lines { text, starts }
    }

    /// Indexes an owned string.
    #[must_use]
    pub fn from_string(text: String) -> Self {
        Self::new(Bytes::from(text))
    }

    /// Number of lines (an empty text has one empty line).
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// The whole text.
    pub fn bytes(&self) -> &Bytes {
        &self.text
    }

    /// True when the text is empty.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Line `i` without its line ending; empty past the end.
    pub fn line(&self, i: usize) -> &str {
        let Some(&start) = self.starts.get(i) else {
            return "";
        };
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.text.len(), |&e| e as usize);
        let line = &self.text[start as usize..end];
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        // Valid: the text was checked at construction and lines end at ASCII newlines.
        std::str::from_utf8(line).unwrap_or("")
    }

    /// The first line after `from` (before it, when `!forward`), wrapping around, containing
    /// `needle` while ignoring ASCII case. Scans the text with memchr, not line by line.
    pub fn find(&self, needle: &str, from: usize, forward: bool) -> Option<usize> {
        let needle = needle.as_bytes();
        if needle.is_empty() {
            return None;
        }
        let text = &self.text[..];
        let from = from.min(self.len() - 1);
        let pos = if forward {
            let split = self.line_start(from + 1);
            find_forward(text, needle, split, text.len())
                .or_else(|| find_forward(text, needle, 0, split))
        } else {
            let split = self.line_start(from);
            find_backward(text, needle, 0, split)
                .or_else(|| find_backward(text, needle, split, text.len()))
        }?;
        Some(self.starts.partition_point(|&s| s as usize <= pos) - 1)
    }

    fn line_start(&self, line: usize) -> usize {
        self.starts
            .get(line)
            .map_or(self.text.len(), |&s| s as usize)
    }
}

/// The two spellings of an ASCII letter, for memchr2.
fn both_cases(b: u8) -> (u8, u8) {
    (b.to_ascii_lowercase(), b.to_ascii_uppercase())
}

/// First start of `needle` in `text[lo..hi]` (ASCII case ignored), as an index into `text`.
fn find_forward(text: &[u8], needle: &[u8], lo: usize, hi: usize) -> Option<usize> {
    let (a, b) = both_cases(needle[0]);
    let mut at = lo;
    while at + needle.len() <= hi {
        let i = at + memchr::memchr2(a, b, &text[at..=(hi - needle.len())])?;
        if text[i..i + needle.len()].eq_ignore_ascii_case(needle) {
            return Some(i);
        }
        at = i + 1;
    }
    None
}

/// Last start of `needle` in `text[lo..hi]` (ASCII case ignored), as an index into `text`.
fn find_backward(text: &[u8], needle: &[u8], lo: usize, hi: usize) -> Option<usize> {
    let (a, b) = both_cases(needle[0]);
    let mut end = hi.checked_sub(needle.len())? + 1;
    while end > lo {
        let i = lo + memchr::memrchr2(a, b, &text[lo..end])?;
        if text[i..i + needle.len()].eq_ignore_ascii_case(needle) {
            return Some(i);
        }
        end = i;
    }
    None
}

fn memchr_newlines(text: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(b'\n', text)
}

/// What the body turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Empty,
    Json,
    Text,
    Binary,
}

/// A response ready to show: the response itself plus each tab's text.
#[derive(Debug, Clone)]
pub struct ResponseDoc {
    pub response: CallResponse,
    pub kind: BodyKind,
    /// Pretty JSON, or the text body, or a hex preview of a binary one.
    pub pretty: Lines,
    pub raw: Lines,
    pub headers: Lines,
    pub request: Lines,
    /// For statuses ≥ 300: what went wrong, in plain words (e.g. the IP allow-list advice).
    pub explanation: Option<String>,
    /// True above [`LIGHT_FORMAT_BYTES`]: re-indented without validation, drawn without colours.
    pub light: bool,
    /// Where each object and array of the pretty JSON opens and closes, for folding.
    pub outline: Arc<Outline>,
    /// The records the body holds, as a table: built when the table is first asked for, off
    /// the UI task.
    pub table: Arc<LazyTable>,
}

/// A table of records, shared by the response it came from and the viewer, which sorts it
/// in place (the sort order is part of the table; only the UI task locks it).
pub type SharedTable = Arc<Mutex<Table>>;

/// Bodies larger than this get lighter formatting (see [`ResponseDoc::light`]).
pub const LIGHT_FORMAT_BYTES: usize = 16 * 1024 * 1024;

/// UTF-8 text that starts like a JSON object or array.
fn looks_like_json(body: &[u8]) -> Option<&str> {
    let first = body.iter().find(|b| !b.is_ascii_whitespace())?;
    matches!(first, b'{' | b'[')
        .then(|| std::str::from_utf8(body).ok())
        .flatten()
}

/// Bytes of a binary body shown in the hex preview.
const HEX_PREVIEW: usize = 4096;

impl ResponseDoc {
    /// Lays out a response. Linear in the body size; run it off the UI task for big bodies.
    pub fn new(response: CallResponse) -> Self {
        let body = response.body.clone();
        let light = body.len() > LIGHT_FORMAT_BYTES;
        let none = Outline::default;
        let (kind, pretty, raw, outline) = if body.iter().all(u8::is_ascii_whitespace) {
            (BodyKind::Empty, Lines::default(), Lines::default(), none())
        } else if let Some(text) = light.then(|| looks_like_json(&body)).flatten() {
            let (pretty, outline) = pretty_lines(text, false);
            (BodyKind::Json, pretty, Lines::new(body), outline)
        } else if let Some((pretty, outline)) = pretty_checked(&body) {
            (BodyKind::Json, pretty, Lines::new(body), outline)
        } else if std::str::from_utf8(&body).is_ok() || looks_like_text(&body) {
            let lines = Lines::new(body);
            (BodyKind::Text, lines.clone(), lines, none())
        } else {
            (
                BodyKind::Binary,
                Lines::from_string(hex_preview(&body)),
                Lines::new(body),
                none(),
            )
        };
        let mut headers = String::new();
        for (k, v) in &response.headers {
            let _ = writeln!(headers, "{k}: {v}");
        }
        let sent = &response.request;
        let mut request = format!("{} {}\n", sent.method, sent.url);
        for (k, v) in &sent.headers {
            let _ = writeln!(request, "{k}: {v}");
        }
        if sent.retried_after_refresh {
            request.push_str("(sent again with a fresh token after a 401)\n");
        }
        if !sent.body.is_empty() {
            request.push('\n');
            request.push_str(&sent.body);
        }
        ResponseDoc {
            explanation: response.error().map(|e| e.to_string()),
            outline: Arc::new(outline),
            table: Arc::default(),
            light: light && kind == BodyKind::Json,
            kind,
            pretty,
            raw,
            headers: Lines::from_string(headers),
            request: Lines::from_string(request),
            response,
        }
    }
}

impl ResponseDoc {
    /// True when the body may hold records to show as a table (JSON, not too large).
    pub fn may_have_table(&self) -> bool {
        self.kind == BodyKind::Json && !self.light && self.outline.may_hold_records()
    }

    /// The table of the records in the body, built now if it was not yet (linear in the
    /// body: off the UI task).
    pub fn build_table(&self) -> Option<&SharedTable> {
        if !self.may_have_table() {
            return None;
        }
        self.table.build(&self.response.body)
    }
}

/// The records of a JSON text (a body, or a filter's outputs one after another) as a table,
/// built once, on demand, off the UI task: parsing a big body into values costs several
/// times its size in memory for a moment, so it is not done for every response.
#[derive(Debug, Default)]
pub struct LazyTable(OnceLock<Option<SharedTable>>);

impl LazyTable {
    /// The table, once built (`None` also when the text holds no records).
    pub fn get(&self) -> Option<&SharedTable> {
        self.0.get().and_then(Option::as_ref)
    }

    /// True once [`LazyTable::build`] has run.
    pub fn is_built(&self) -> bool {
        self.0.get().is_some()
    }

    /// Builds the table of the JSON values in `text`, once; later calls return it. Every
    /// column's sort order is prepared too, so sorting on the UI task is a copy.
    pub fn build(&self, text: &[u8]) -> Option<&SharedTable> {
        self.0
            .get_or_init(|| {
                let values: Vec<serde_json::Value> = serde_json::Deserializer::from_slice(text)
                    .into_iter()
                    .collect::<Result<_, _>>()
                    .ok()?;
                let mut table = Table::from_values(&values)?;
                drop(values);
                table.prepare_sorts();
                Some(Arc::new(Mutex::new(table)))
            })
            .as_ref()
    }
}

/// Two handles are equal when they are the same table (for comparing effects).
impl PartialEq for LazyTable {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for LazyTable {}

/// Mostly printable bytes with some invalid UTF-8: text in another encoding, shown lossily.
fn looks_like_text(body: &[u8]) -> bool {
    let sample = &body[..body.len().min(4096)];
    let printable = sample
        .iter()
        .filter(|b| b.is_ascii_graphic() || b.is_ascii_whitespace() || **b >= 0x80)
        .count();
    !sample.contains(&0) && printable * 10 >= sample.len() * 9
}

fn hex_preview(body: &[u8]) -> String {
    let mut out = format!(
        "binary body, {} bytes; first {} shown\n\n",
        body.len(),
        body.len().min(HEX_PREVIEW)
    );
    for (row, chunk) in body[..body.len().min(HEX_PREVIEW)].chunks(16).enumerate() {
        let _ = write!(out, "{:08x}  ", row * 16);
        for i in 0..16 {
            match chunk.get(i) {
                Some(b) => {
                    let _ = write!(out, "{b:02x} ");
                }
                None => out.push_str("   "),
            }
        }
        out.push(' ');
        out.extend(chunk.iter().map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                b as char
            } else {
                '.'
            }
        }));
        out.push('\n');
    }
    out
}

/// Re-indents valid JSON with two spaces, keeping key order and number spelling exactly.
/// Returns `None` when `body` is not valid JSON.
#[must_use]
pub fn pretty_json(body: &[u8]) -> Option<String> {
    serde_json::from_slice::<serde::de::IgnoredAny>(body).ok()?;
    Some(reindent(std::str::from_utf8(body).ok()?))
}

/// Re-indents JSON-looking text without checking it first (the cheaper path for huge bodies;
/// invalid input comes out re-indented but otherwise untouched).
#[must_use]
pub fn reindent(text: &str) -> String {
    Writer::lay_out(text).out
}

/// Pretty JSON of a body, indexed by line, with its outline, in one pass over the text. With
/// `validated` false (text that was not parsed first) the line index is rebuilt from the
/// text, and an outline only trusted when the text had no line break the writer did not
/// make (a raw newline inside a broken string).
fn pretty_lines(text: &str, validated: bool) -> (Lines, Outline) {
    let Writer {
        out,
        starts,
        outline,
        ..
    } = Writer::lay_out(text);
    if validated {
        let lines = Lines::indexed(Bytes::from(out), starts);
        let outline = outline
            .finish(lines.len())
            .unwrap_or_else(|| Outline::build(&lines));
        return (lines, outline);
    }
    let lines = Lines::from_string(out);
    let outline = (lines.len() == starts.len())
        .then(|| outline.finish(lines.len()))
        .flatten()
        .unwrap_or_else(|| Outline::build(&lines));
    (lines, outline)
}

/// Checks `body` is JSON while it is laid out, on two threads for a big body (the check and
/// the layout each take tens of milliseconds on 10 MB).
fn pretty_checked(body: &[u8]) -> Option<(Lines, Outline)> {
    let text = std::str::from_utf8(body).ok()?;
    let is_json = || serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok();
    if body.len() < PARALLEL_CHECK_BYTES {
        return is_json().then(|| pretty_lines(text, true));
    }
    std::thread::scope(|scope| {
        let check = std::thread::Builder::new().spawn_scoped(scope, is_json);
        let laid = pretty_lines(text, true);
        let valid = match check {
            Ok(handle) => handle.join().unwrap_or(false),
            Err(_) => is_json(),
        };
        valid.then_some(laid)
    })
}

/// Bodies from this size are checked on a second thread while they are laid out.
const PARALLEL_CHECK_BYTES: usize = 1024 * 1024;

/// The re-indented text, where its lines start and its outline, written in one pass.
struct Writer {
    out: String,
    starts: Vec<u32>,
    outline: OutlineBuilder,
}

impl Writer {
    fn lay_out(text: &str) -> Writer {
        let bytes = text.as_bytes();
        let mut w = Writer {
            out: String::with_capacity(text.len() + text.len() / 2),
            starts: Vec::with_capacity(text.len() / 16 + 1),
            outline: OutlineBuilder::default(),
        };
        w.starts.push(0);
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        let mut run_start = 0; // start of a run of bytes copied verbatim
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if in_string {
                if escaped {
                    escaped = false;
                    i += 1;
                } else if b == b'\\' {
                    escaped = true;
                    i += 1;
                } else if b == b'"' {
                    in_string = false;
                    i += 1;
                } else {
                    // Most of a body is string contents: jump to the next quote or backslash.
                    i = memchr::memchr2(b'"', b'\\', &bytes[i..]).map_or(bytes.len(), |n| i + n);
                }
                continue;
            }
            match b {
                b'"' => {
                    in_string = true;
                    i += 1;
                    continue;
                }
                b'{' | b'[' | b'}' | b']' | b',' | b':' | b' ' | b'\t' | b'\n' | b'\r' => {}
                _ => {
                    i += 1;
                    continue;
                }
            }
            w.out.push_str(&text[run_start..i]);
            match b {
                b'{' | b'[' => {
                    let close = if b == b'{' { b'}' } else { b']' };
                    let next = bytes[i + 1..]
                        .iter()
                        .position(|c| !c.is_ascii_whitespace())
                        .map(|p| i + 1 + p);
                    if next.is_some_and(|n| bytes[n] == close) {
                        w.out.push(b as char);
                        w.out.push(close as char);
                        i = next.unwrap_or(i) + 1;
                        run_start = i;
                        continue;
                    }
                    w.out.push(b as char);
                    w.outline.open(w.starts.len() - 1, depth, b == b'{');
                    depth += 1;
                    w.newline(depth);
                }
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    w.newline(depth);
                    w.outline.close(w.starts.len() - 1, b == b'}');
                    w.out.push(b as char);
                }
                b',' => {
                    w.out.push(',');
                    w.outline.comma();
                    w.newline(depth);
                }
                b':' => w.out.push_str(": "),
                _ => {} // whitespace outside strings is dropped
            }
            i += 1;
            run_start = i;
        }
        w.out.push_str(&text[run_start..]);
        // The text and its index live as long as the response: give back what the guesses
        // above over-reserved (a large allocation shrinks in place).
        w.out.shrink_to_fit();
        w.starts.shrink_to_fit();
        w
    }

    fn newline(&mut self, depth: usize) {
        self.out.push('\n');
        // A text over 4 GiB keeps an index of its first 4 GiB (the body cap is far below).
        self.starts
            .push(u32::try_from(self.out.len()).unwrap_or(u32::MAX));
        self.out.extend(std::iter::repeat_n(' ', depth * 2));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchecked_text_gets_an_outline_only_when_its_lines_are_the_writers() {
        let (lines, outline) = pretty_lines(r#"{"a":[{"b":1},{"b":2}]}"#, false);
        assert_eq!(lines.len(), 10);
        assert_eq!(outline.len(), 4);
        assert!(outline.may_hold_records());
        // A raw line break inside a string: the written outline would be a line off.
        let (lines, outline) = pretty_lines("{\"a\":\"x\ny\",\"b\":[1]}", false);
        assert_eq!(lines.len(), 7);
        assert_eq!(outline.len(), Outline::build(&lines).len());
        // Unbalanced brackets give no outline, and no panic.
        for broken in ["]]{", "{\"a\":[1}", "[1,2", ",", "{{}"] {
            let (lines, outline) = pretty_lines(broken, false);
            assert!(outline.len() <= lines.len(), "{broken}");
        }
    }

    #[test]
    fn pretty_keeps_order_numbers_and_strings() {
        let body = br#" {"b":1.50,"a":[ ],"s":"x,{y}: \"q\"","o":{"k":[1,2,{}]}} "#;
        let pretty = pretty_json(body).unwrap();
        assert_eq!(
            pretty,
            "{\n  \"b\": 1.50,\n  \"a\": [],\n  \"s\": \"x,{y}: \\\"q\\\"\",\n  \"o\": {\n    \"k\": [\n      1,\n      2,\n      {}\n    ]\n  }\n}"
        );
        assert!(pretty_json(b"{\"a\":").is_none());
        assert_eq!(pretty_json(b"42").unwrap(), "42");
    }

    #[test]
    fn lines_index_and_search() {
        let lines = Lines::new(Bytes::from_static(b"one\r\ntwo\nThree\n"));
        assert_eq!(lines.len(), 3);
        assert_eq!(
            (lines.line(0), lines.line(1), lines.line(2), lines.line(9)),
            ("one", "two", "Three", "")
        );
        assert_eq!(lines.find("three", 0, true), Some(2));
        assert_eq!(lines.find("ONE", 2, true), Some(0));
        assert_eq!(lines.find("t", 1, false), Some(2));
        assert_eq!(lines.find("zzz", 0, true), None);
        let bad = Lines::new(Bytes::from_static(b"a\xffb"));
        assert_eq!(bad.line(0), "a\u{fffd}b");
    }
}
