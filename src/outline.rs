//! Folding and navigation for pretty JSON: an outline of the containers in text laid out by
//! [`crate::document::reindent`], which of them are folded (and so which source line each
//! visible row shows), and the jq path and value of any line.
//!
//! The outline relies on the layout `reindent` produces rather than parsing JSON again: two
//! spaces of indentation per level; a non-empty `{` or `[` ends its line; its closing `}` or
//! `]` starts a line of its own at the opener's indentation, maybe followed by `,`; empty
//! containers are written `{}` / `[]` on one line; object members are `"key": value`; strings
//! hold no raw newlines, so every scalar takes exactly one line. Several values one after
//! another (the outputs of a jq filter), each starting at column 0, are each a root.
//!
//! Text that does not have that shape (a text body, a truncated or otherwise invalid JSON
//! body) gets an empty outline: nothing folds, and paths are empty.
//!
//! Building the outline reads each line's indentation and first and last bytes once; all the
//! rest (folding, mapping rows to lines, paths) works from the outline, in time proportional
//! to the number of visible rows, of folds, or to the depth of the line.

use crate::document::Lines;
use std::fmt::Write as _;

/// Whether a container is an array or an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `[ … ]`: its children are elements.
    Array,
    /// `{ … }`: its children are members (keys).
    Object,
}

/// A non-empty array or object: opened at the end of line `open`, closed at the start of
/// line `close`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Container {
    /// The line ending with `{` or `[`.
    pub open: usize,
    /// The line starting (after indentation) with the matching `}` or `]`.
    pub close: usize,
    /// Elements of an array, keys of an object (at least one).
    pub children: usize,
    /// Array or object.
    pub kind: Kind,
    /// Nesting depth of the opener line: 0 for a root, 1 for a root's children, …
    pub depth: usize,
}

/// Builds an outline while pretty JSON is being written, with no second pass over the text:
/// the writer reports each container it opens and closes, and each comma. Used by
/// [`crate::document`] for response bodies; [`Outline::build`] reads finished text instead.
#[derive(Debug, Default)]
pub struct OutlineBuilder {
    nodes: Vec<Node>,
    /// Indices into `nodes` of the containers still open.
    open: Vec<u32>,
    /// Unbalanced brackets, or a count out of range: no outline.
    broken: bool,
}

impl OutlineBuilder {
    /// A non-empty container opens at the end of `line`, which has nesting `depth`.
    pub fn open(&mut self, line: usize, depth: usize, object: bool) {
        let (Ok(line), Ok(depth), Ok(id)) = (
            u32::try_from(line),
            u32::try_from(depth),
            u32::try_from(self.nodes.len()),
        ) else {
            self.broken = true;
            return;
        };
        if depth & OBJECT != 0 || id == NONE {
            self.broken = true;
            return;
        }
        let (parent, index) = match self.open.last() {
            Some(&p) => (p, self.nodes[p as usize].children.saturating_sub(1)),
            None => (NONE, 0),
        };
        self.nodes.push(Node {
            open: line,
            close: line,
            children: 1,
            parent,
            index,
            depth_kind: depth | if object { OBJECT } else { 0 },
        });
        self.open.push(id);
    }

    /// A comma: the innermost open container gets another child.
    pub fn comma(&mut self) {
        match self.open.last() {
            Some(&p) => self.nodes[p as usize].children += 1,
            None => self.broken = true,
        }
    }

    /// The innermost open container closes at the start of `line`.
    pub fn close(&mut self, line: usize, object: bool) {
        let Some(id) = self.open.pop() else {
            self.broken = true;
            return;
        };
        let node = &mut self.nodes[id as usize];
        match u32::try_from(line) {
            Ok(line) if node.is_object() == object => node.close = line,
            _ => self.broken = true,
        }
    }

    /// The outline of a text of `lines` lines; `None` when the brackets did not balance.
    #[must_use]
    pub fn finish(mut self, lines: usize) -> Option<Outline> {
        if self.broken || !self.open.is_empty() {
            return None;
        }
        self.nodes.shrink_to_fit();
        Some(Outline {
            records: holds_records(&self.nodes),
            nodes: self.nodes,
            lines,
            json: true,
        })
    }
}

/// See [`Outline::may_hold_records`].
fn holds_records(nodes: &[Node]) -> bool {
    let mut object_children = vec![0u32; nodes.len()];
    let mut object_roots = 0;
    for node in nodes.iter().filter(|n| n.is_object()) {
        match node.parent() {
            Some(parent) => object_children[parent] += 1,
            None => object_roots += 1,
        }
    }
    object_roots > 1
        || nodes
            .iter()
            .zip(&object_children)
            .any(|(node, &objects)| !node.is_object() && objects * 2 > node.children)
}

/// `parent` of a root.
const NONE: u32 = u32::MAX;
/// Bit of [`Node::depth_kind`] set for an object.
const OBJECT: u32 = 1 << 31;

/// One container, compactly (24 bytes).
#[derive(Debug, Clone, Copy)]
struct Node {
    open: u32,
    close: u32,
    children: u32,
    /// Index of the enclosing container in [`Outline::nodes`], [`NONE`] for a root.
    parent: u32,
    /// Position among the parent's children (0 for a root).
    index: u32,
    /// Depth in the low 31 bits, [`OBJECT`] set for an object.
    depth_kind: u32,
}

impl Node {
    fn depth(self) -> u32 {
        self.depth_kind & !OBJECT
    }

    fn is_object(self) -> bool {
        self.depth_kind & OBJECT != 0
    }

    fn parent(self) -> Option<usize> {
        (self.parent != NONE).then_some(self.parent as usize)
    }

    fn container(self) -> Container {
        Container {
            open: self.open as usize,
            close: self.close as usize,
            children: self.children as usize,
            kind: if self.is_object() {
                Kind::Object
            } else {
                Kind::Array
            },
            depth: self.depth() as usize,
        }
    }
}

/// Where every non-empty container of a pretty JSON text opens and closes. Built once per
/// text with [`Outline::build`]; about 24 bytes per container.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// Sorted by `open` (the order they were met in).
    nodes: Vec<Node>,
    /// Lines in the text.
    lines: usize,
    /// The text had the shape of pretty JSON (maybe with no container at all).
    json: bool,
    /// Some array holds mostly objects, or several roots are objects (see
    /// [`Outline::may_hold_records`]).
    records: bool,
}

impl Outline {
    /// Outlines `lines`, the output of [`crate::document::reindent`] (or several of them, one
    /// after another). Linear in the number of lines; run it off the UI thread for big bodies.
    /// Text that is not laid out like pretty JSON gives an empty outline.
    #[must_use]
    pub fn build(lines: &Lines) -> Outline {
        match scan(lines) {
            Some(nodes) => Outline {
                records: holds_records(&nodes),
                nodes,
                lines: lines.len(),
                json: true,
            },
            None => Outline {
                nodes: Vec::new(),
                lines: lines.len(),
                json: false,
                records: false,
            },
        }
    }

    /// True when there is no container to fold (not JSON, or only scalars and empty
    /// containers).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// True when the text may hold records for a table: an array whose elements are mostly
    /// (non-empty) objects, or several object roots (a filter's outputs). Known without
    /// parsing the text, so the table tab can be offered before the table is built.
    #[must_use]
    pub fn may_hold_records(&self) -> bool {
        self.records
    }

    /// Number of non-empty containers.
    #[must_use]
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// The container opened on `line`, if it ends with `{` or `[`.
    #[must_use]
    pub fn container_at(&self, line: usize) -> Option<Container> {
        self.opened_at(line).map(|id| self.nodes[id].container())
    }

    /// The innermost container holding `line` (opened on an earlier line, closed on `line` or
    /// later); `None` for a line outside every container (a root's opener, a scalar root).
    #[must_use]
    pub fn enclosing(&self, line: usize) -> Option<Container> {
        self.enclosing_id(line).map(|id| self.nodes[id].container())
    }

    /// Index of the node opened on `line`.
    fn opened_at(&self, line: usize) -> Option<usize> {
        let line = u32::try_from(line).ok()?;
        self.nodes.binary_search_by_key(&line, |n| n.open).ok()
    }

    /// Index of the innermost node with `open < line <= close`.
    fn enclosing_id(&self, line: usize) -> Option<usize> {
        // The last node opened before `line`, or the nearest of its ancestors still open:
        // any container holding `line` opened before it, so nests around that node.
        let mut id = self
            .nodes
            .partition_point(|n| (n.open as usize) < line)
            .checked_sub(1)?;
        loop {
            let node = self.nodes[id];
            if node.close as usize >= line {
                return Some(id);
            }
            id = node.parent()?;
        }
    }

    /// The node toggled from `line`: the one opened there, else the innermost holding it.
    fn target(&self, line: usize) -> Option<usize> {
        self.opened_at(line).or_else(|| self.enclosing_id(line))
    }

    /// Position among the children of node `parent` of the value starting on line `at`
    /// (a line inside `parent` at its children's depth).
    fn child_index(&self, parent: usize, at: usize) -> usize {
        let first = self.nodes[parent].open as usize + 1;
        // Children are one line each, except containers: find the last child container
        // before `at` (an ancestor of the last node opened before `at`, or none) and count the
        // one-line children after it.
        let mut id = self
            .nodes
            .partition_point(|n| (n.open as usize) < at)
            .saturating_sub(1);
        loop {
            if id <= parent {
                return at.saturating_sub(first);
            }
            let node = self.nodes[id];
            if node.parent as usize == parent {
                return node.index as usize + at.saturating_sub(node.close as usize);
            }
            match node.parent() {
                Some(up) => id = up,
                None => return at.saturating_sub(first),
            }
        }
    }
}

/// Reads the structure of `lines`, checking it is laid out like pretty JSON; `None` if not.
fn scan(lines: &Lines) -> Option<Vec<Node>> {
    let mut nodes: Vec<Node> = Vec::new();
    let mut open: Vec<u32> = Vec::new(); // indices into `nodes` of the containers still open
    let mut comma = false; // the previous non-blank line ended with `,`
    let mut seen_value = false;
    for i in 0..lines.len() {
        let text = lines.line(i).as_bytes();
        let indent = text.iter().take_while(|&&b| b == b' ').count();
        let rest = &text[indent..];
        let (Some(&first), Some(&last)) = (rest.first(), rest.last()) else {
            // Blank lines only between top-level values.
            if open.is_empty() {
                continue;
            }
            return None;
        };
        if !indent.is_multiple_of(2) {
            return None;
        }
        let depth = u32::try_from(indent / 2).ok().filter(|d| d & OBJECT == 0)?;
        let line = u32::try_from(i).ok()?;
        if first == b'}' || first == b']' {
            let id = open.pop()? as usize;
            let node = &mut nodes[id];
            let tail_ok = rest.len() == 1 || (rest.len() == 2 && last == b',');
            if !tail_ok
                || (first == b'}') != node.is_object()
                || node.depth() != depth
                || node.children == 0
                || comma
            {
                return None;
            }
            node.close = line;
            comma = last == b',';
            if comma && open.is_empty() {
                return None;
            }
            continue;
        }
        // A value starts here: a root, an array element or an object member.
        let (parent, index, in_object) = match open.last() {
            None if depth == 0 && !comma => (NONE, 0, false),
            None => return None,
            Some(&p) => {
                let pn = &mut nodes[p as usize];
                if depth != pn.depth() + 1 || comma != (pn.children > 0) {
                    return None;
                }
                pn.children += 1;
                (p, pn.children - 1, pn.is_object())
            }
        };
        let value = if in_object {
            rest[string_end(rest)?..].strip_prefix(b": ")?
        } else {
            rest
        };
        if value == b"{" || value == b"[" {
            let id = u32::try_from(nodes.len()).ok().filter(|&id| id != NONE)?;
            let kind = if value == b"{" { OBJECT } else { 0 };
            nodes.push(Node {
                open: line,
                close: line,
                children: 0,
                parent,
                index,
                depth_kind: depth | kind,
            });
            open.push(id);
            comma = false;
        } else if is_scalar(value) {
            comma = last == b',';
        } else {
            return None;
        }
        seen_value = true;
    }
    nodes.shrink_to_fit();
    (seen_value && open.is_empty() && !comma).then_some(nodes)
}

/// Index just past the JSON string `text` starts with (at its opening quote).
fn string_end(text: &[u8]) -> Option<usize> {
    if text.first() != Some(&b'"') {
        return None;
    }
    let mut at = 1;
    loop {
        let i = at + memchr::memchr2(b'"', b'\\', text.get(at..)?)?;
        if text[i] == b'"' {
            return Some(i + 1);
        }
        at = i + 2;
    }
}

/// A one-line JSON scalar, maybe followed by a comma: a string (checked only at its ends,
/// its inside is not read), a number, `true`, `false`, `null`, `{}` or `[]`.
fn is_scalar(value: &[u8]) -> bool {
    let value = value.strip_suffix(b",").unwrap_or(value);
    match value {
        [b'"', inner @ .., b'"'] => {
            // The closing quote is not escaped: an even run of backslashes before it.
            inner
                .iter()
                .rev()
                .take_while(|&&b| b == b'\\')
                .count()
                .is_multiple_of(2)
        }
        b"true" | b"false" | b"null" | b"{}" | b"[]" => true,
        [first, ..] => {
            (first.is_ascii_digit() || *first == b'-')
                && value
                    .iter()
                    .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'))
        }
        [] => false,
    }
}

/// Which containers are folded, and the visible rows that leaves: each folded container
/// shows as one row (its opener line, see [`folded_text`]) and hides the lines after it up to
/// and including its closer. Folds inside a folded container keep their state, as in vim.
///
/// Rebuilding the row map after a change is linear in the visible rows plus the folds; with
/// nothing folded there is no map at all and rows are source lines. Folds belong to one
/// outline: start again from `Folds::default()` when the text changes.
#[derive(Debug, Clone, Default)]
pub struct Folds {
    /// Folded containers as `(open, close)` lines, sorted by `open`.
    folded: Vec<(u32, u32)>,
    /// Visible row → source line; empty when nothing is folded.
    rows: Vec<u32>,
    /// Lines of the text `rows` was built for.
    total: usize,
}

impl Folds {
    /// Folds the container opened on `line`, or unfolds it when folded; on any other line,
    /// the innermost container holding it (vim `za`). Returns the opener line of the container
    /// toggled (where the cursor belongs now), `None` when `line` is in no container.
    pub fn toggle(&mut self, outline: &Outline, line: usize) -> Option<usize> {
        let node = outline.nodes[outline.target(line)?];
        match self.folded.binary_search_by_key(&node.open, |f| f.0) {
            Ok(i) => {
                self.folded.remove(i);
            }
            Err(i) => self.folded.insert(i, (node.open, node.close)),
        }
        self.rebuild(outline);
        Some(node.open as usize)
    }

    /// Folds every container except the roots (vim `zM`), so each root shows its children
    /// one row each.
    pub fn fold_below_root(&mut self, outline: &Outline) {
        self.fold_where(outline, |n| n.parent != NONE);
    }

    /// Folds every container at depth `depth` or deeper and unfolds the others (vim `z1`…):
    /// `fold_to_depth(outline, 1)` shows each root's children folded, `0` folds the roots.
    pub fn fold_to_depth(&mut self, outline: &Outline, depth: usize) {
        self.fold_where(outline, |n| n.depth() as usize >= depth);
    }

    /// Unfolds everything (vim `zR`) and frees the row map.
    pub fn unfold_all(&mut self) {
        self.folded = Vec::new();
        self.rows = Vec::new();
    }

    /// Unfolds every folded container hiding `source_line` (e.g. a search hit), so it gets a
    /// row of its own. A folded container opened on that line stays folded: its row shows it.
    pub fn reveal(&mut self, outline: &Outline, source_line: usize) {
        if self.folded.is_empty() {
            return;
        }
        let mut changed = false;
        let mut at = outline.enclosing_id(source_line);
        while let Some(id) = at {
            let node = outline.nodes[id];
            if let Ok(i) = self.folded.binary_search_by_key(&node.open, |f| f.0) {
                self.folded.remove(i);
                changed = true;
            }
            at = node.parent();
        }
        if changed {
            self.rebuild(outline);
        }
    }

    /// True when the container opened on `line` is folded.
    #[must_use]
    pub fn is_folded(&self, line: usize) -> bool {
        u32::try_from(line)
            .is_ok_and(|line| self.folded.binary_search_by_key(&line, |f| f.0).is_ok())
    }

    /// True when nothing is folded.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.folded.is_empty()
    }

    /// Rows shown for a text of `total_lines` lines.
    #[must_use]
    pub fn visible_len(&self, total_lines: usize) -> usize {
        if self.folded.is_empty() {
            total_lines
        } else {
            self.rows.len()
        }
    }

    /// The source line shown on row `visible`. Rows past the end map to lines past the end.
    #[must_use]
    pub fn source_line(&self, visible: usize) -> usize {
        if self.folded.is_empty() {
            return visible;
        }
        match self.rows.get(visible) {
            Some(&line) => line as usize,
            None => self.total.saturating_add(visible - self.rows.len()),
        }
    }

    /// The row showing `source_line`; `None` when a fold hides it. Lines past the end map to
    /// rows past the end.
    #[must_use]
    pub fn visible_index(&self, source_line: usize) -> Option<usize> {
        if self.folded.is_empty() {
            return Some(source_line);
        }
        if source_line >= self.total {
            return Some(self.rows.len() + (source_line - self.total));
        }
        let line = u32::try_from(source_line).ok()?;
        self.rows.binary_search(&line).ok()
    }

    /// The row showing `source_line`, or when it is hidden the row of the folded container
    /// hiding it (where a cursor on that line belongs after folding).
    #[must_use]
    pub fn row_of(&self, source_line: usize) -> usize {
        if self.folded.is_empty() {
            return source_line;
        }
        if source_line >= self.total {
            return self.rows.len() + (source_line - self.total);
        }
        // The last visible line at or before it: itself, or the outermost folded opener.
        self.rows
            .partition_point(|&r| r as usize <= source_line)
            .saturating_sub(1)
    }

    /// Folds exactly the containers `keep` selects.
    fn fold_where(&mut self, outline: &Outline, keep: impl Fn(&Node) -> bool) {
        self.folded.clear();
        self.folded.extend(
            outline
                .nodes
                .iter()
                .filter(|n| keep(n))
                .map(|n| (n.open, n.close)),
        );
        self.rebuild(outline);
    }

    /// Recomputes `rows` from `folded`: walks the lines, jumping over each folded range.
    fn rebuild(&mut self, outline: &Outline) {
        self.total = outline.lines;
        if self.folded.is_empty() {
            self.rows = Vec::new();
            return;
        }
        self.rows.clear();
        let total = u32::try_from(outline.lines).unwrap_or(u32::MAX);
        let mut next = 0u32; // first line not yet shown or hidden
        for &(open, close) in &self.folded {
            if open < next {
                continue; // inside a folded container already skipped
            }
            self.rows.extend(next..=open);
            next = close.saturating_add(1);
        }
        self.rows.extend(next..total);
    }
}

/// What the viewer shows instead of a folded container's opener line: the opener, the
/// number of children, then the closer line's text (e.g. `  "records": [… 50,000 items],`).
#[must_use]
pub fn folded_text(line_text: &str, container: Container, close_line_text: &str) -> String {
    let noun = match (container.kind, container.children == 1) {
        (Kind::Array, true) => "item",
        (Kind::Array, false) => "items",
        (Kind::Object, true) => "key",
        (Kind::Object, false) => "keys",
    };
    format!(
        "{line_text}… {} {noun}{}",
        thousands(container.children),
        close_line_text.trim_start_matches(' ')
    )
}

/// `n` with commas between groups of three digits.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The jq path of the value on `line` (`.records[12].Email`, `."Last Name"`), relative to
/// the root holding it: `.` for a root; a closer line gives its container's path. Empty when
/// the text is not JSON, and for a blank line (between roots, or past the end). Time
/// proportional to the depth of the line (times a binary search); no line but the keys' is
/// read.
#[must_use]
pub fn path_at(outline: &Outline, lines: &Lines, line: usize) -> String {
    if !outline.json {
        return String::new();
    }
    // The value on the line: a closer stands for its container.
    let mut at = line;
    let mut parent = outline.enclosing_id(line);
    if let Some(id) = parent
        && outline.nodes[id].close as usize == line
    {
        at = outline.nodes[id].open as usize;
        parent = outline.nodes[id].parent();
    }
    let mut steps: Vec<Step> = Vec::new(); // innermost first
    while let Some(id) = parent {
        let node = outline.nodes[id];
        steps.push(if node.is_object() {
            Step::Key(member_key(lines.line(at)))
        } else {
            Step::Index(outline.child_index(id, at))
        });
        at = node.open as usize;
        parent = node.parent();
    }
    let mut out = String::new();
    for step in steps.iter().rev() {
        match step {
            Step::Key(key) if is_identifier(key) => {
                out.push('.');
                out.push_str(key);
            }
            Step::Key(key) => {
                out.push('.');
                push_jq_string(&mut out, key);
            }
            Step::Index(i) => {
                if out.is_empty() {
                    out.push('.');
                }
                let _ = write!(out, "[{i}]");
            }
        }
    }
    if out.is_empty() && !lines.line(at).trim_start_matches(' ').is_empty() {
        out.push('.');
    }
    out
}

/// One step of a path.
enum Step {
    Key(String),
    Index(usize),
}

/// jq's reserved words: `.if` does not parse, `."if"` does.
const JQ_KEYWORDS: &[&str] = &[
    "and", "as", "catch", "def", "elif", "else", "end", "foreach", "if", "import", "include",
    "label", "or", "reduce", "then", "try", "__loc__",
];

/// A key jq accepts after a bare `.`: `[A-Za-z_][A-Za-z0-9_]*`, not a keyword.
fn is_identifier(key: &str) -> bool {
    let mut bytes = key.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !JQ_KEYWORDS.contains(&key)
}

/// Appends `s` as a jq (and JSON) string literal.
fn push_jq_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c < ' ' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The decoded key of a member line `"key": value`.
fn member_key(line: &str) -> String {
    let text = line.trim_start_matches(' ');
    if text.starts_with('"') {
        read_string(text).0
    } else {
        text.to_owned()
    }
}

/// The value on `line`: for a scalar, its text (a string decoded: `\"`, `\\`, `\n`, `\uXXXX`
/// …; a number, `true`, `false`, `null`, `{}` or `[]` as written); for a container's opener
/// or closer, the container's pretty text from opener to closer without key or trailing
/// comma, moved left so the opener is at column 0 (valid JSON). Text that is not JSON gives
/// the line as it is.
#[must_use]
pub fn value_at(outline: &Outline, lines: &Lines, line: usize) -> String {
    let text = lines.line(line);
    if !outline.json {
        return text.to_owned();
    }
    let parent = outline.enclosing_id(line);
    if let Some(id) = outline.opened_at(line) {
        return container_text(outline, lines, id);
    }
    if let Some(id) = parent
        && outline.nodes[id].close as usize == line
    {
        return container_text(outline, lines, id);
    }
    let mut value = text.trim_start_matches(' ');
    if parent.is_some_and(|id| outline.nodes[id].is_object()) && value.starts_with('"') {
        value = read_string(value).1;
        value = value.trim_start_matches(' ');
        value = value.strip_prefix(':').unwrap_or(value);
        value = value.trim_start_matches(' ');
    }
    if value.starts_with('"') {
        return read_string(value).0;
    }
    value.strip_suffix(',').unwrap_or(value).to_owned()
}

/// The lines of node `id`, outdented to column 0, without key prefix or trailing comma.
fn container_text(outline: &Outline, lines: &Lines, id: usize) -> String {
    let node = outline.nodes[id];
    let indent = node.depth() as usize * 2;
    let opener = lines.line(node.open as usize);
    let mut out = String::new();
    out.push_str(opener.get(opener.len().saturating_sub(1)..).unwrap_or(""));
    for i in node.open as usize + 1..=node.close as usize {
        let text = lines.line(i);
        let mut text = text
            .get(indent..)
            .unwrap_or_else(|| text.trim_start_matches(' '));
        if i == node.close as usize {
            text = text.strip_suffix(',').unwrap_or(text);
        }
        out.push('\n');
        out.push_str(text);
    }
    out
}

/// Decodes the JSON string `text` starts with (at its opening quote): its content and the
/// text after the closing quote. Lenient: a bad escape is kept as written, a lone surrogate
/// becomes U+FFFD, an unterminated string runs to the end.
fn read_string(text: &str) -> (String, &str) {
    let body = text.get(1..).unwrap_or("");
    let bytes = body.as_bytes();
    let mut out = String::new();
    let mut run = 0; // start of the bytes not yet copied
    let mut at = 0;
    loop {
        let Some(found) = memchr::memchr2(b'"', b'\\', &bytes[at..]) else {
            out.push_str(&body[run..]);
            return (out, "");
        };
        let i = at + found;
        out.push_str(&body[run..i]);
        if bytes[i] == b'"' {
            return (out, &body[i + 1..]);
        }
        at = i + 2;
        match bytes.get(i + 1) {
            Some(b'"') => out.push('"'),
            Some(b'\\') => out.push('\\'),
            Some(b'/') => out.push('/'),
            Some(b'b') => out.push('\u{8}'),
            Some(b'f') => out.push('\u{c}'),
            Some(b'n') => out.push('\n'),
            Some(b'r') => out.push('\r'),
            Some(b't') => out.push('\t'),
            Some(b'u') => match hex4(bytes, i + 2) {
                Some(high @ 0xD800..=0xDBFF) => {
                    let low = (bytes.get(i + 6..i + 8) == Some(b"\\u"))
                        .then(|| hex4(bytes, i + 8))
                        .flatten()
                        .filter(|low| (0xDC00..=0xDFFF).contains(low));
                    if let Some(low) = low {
                        let c = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                        out.push(char::from_u32(c).unwrap_or('\u{fffd}'));
                        at = i + 12;
                    } else {
                        out.push('\u{fffd}');
                        at = i + 6;
                    }
                }
                Some(code) => {
                    out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                    at = i + 6;
                }
                None => {
                    out.push('\\');
                    at = i + 1;
                }
            },
            // Not an escape: keep the backslash, copy what follows as text.
            _ => {
                out.push('\\');
                at = i + 1;
            }
        }
        run = at;
    }
}

/// The four hex digits at `bytes[at..at + 4]` as a number.
fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    bytes.get(at..at + 4)?.iter().try_fold(0u32, |n, &b| {
        let digit = (b as char).to_digit(16)?;
        Some(n * 16 + digit)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::reindent;

    fn lines_of(json: &str) -> Lines {
        Lines::from_string(reindent(json))
    }

    fn all_text(lines: &Lines) -> Vec<String> {
        (0..lines.len()).map(|i| lines.line(i).to_owned()).collect()
    }

    const SAMPLE: &str = r#"{"name":"Ada","tags":["x",{"a":[1,[]]},{}],
        "weird":"a [b] {c}, \"d\": e","Last Name":"Lovelace","empty":{},
        "nested":{"deep":{"deeper":[true,false,null]}},"ünï":"ç😀\u00e9\ud83d\ude00",
        "esc\"key":"tab\there\\","n":-1.5e3}"#;

    #[test]
    fn records_are_seen_without_parsing() {
        let holds = |json: &str| Outline::build(&lines_of(json)).may_hold_records();
        assert!(holds(r#"[{"a":1},{"a":2}]"#));
        assert!(holds(r#"{"meta":{"n":2},"records":[{"a":1},{"a":2},3]}"#));
        let outputs = format!("{}\n{}", reindent(r#"{"a":1}"#), reindent(r#"{"a":2}"#));
        assert!(Outline::build(&Lines::from_string(outputs)).may_hold_records());
        assert!(!holds(r#"{"a":1,"b":{"c":2}}"#));
        assert!(!holds(r#"[1,2,{"a":1}]"#));
        assert!(!holds("[[1],[2]]"));
        assert!(!holds("\"text\""));
    }

    #[test]
    fn sample_outline() {
        let lines = lines_of(SAMPLE);
        let text = all_text(&lines);
        let outline = Outline::build(&lines);
        let root = outline.container_at(0).unwrap();
        assert_eq!(
            root,
            Container {
                open: 0,
                close: lines.len() - 1,
                children: 9,
                kind: Kind::Object,
                depth: 0
            }
        );
        let tags = text.iter().position(|l| l == "  \"tags\": [").unwrap();
        let c = outline.container_at(tags).unwrap();
        assert_eq!((c.children, c.kind, c.depth), (3, Kind::Array, 1));
        assert_eq!(text[c.close], "  ],");
        // Scalars, closers and empty containers open nothing.
        assert_eq!(outline.container_at(1), None);
        assert_eq!(outline.container_at(c.close), None);
        let empty = text.iter().position(|l| l == "  \"empty\": {},").unwrap();
        assert_eq!(outline.container_at(empty), None);
        assert_eq!(outline.enclosing(empty), Some(root));
        assert_eq!(outline.enclosing(0), None);
        assert_eq!(outline.enclosing(c.close), Some(c));
        assert_eq!(outline.enclosing(tags + 1), Some(c));
        assert_eq!(outline.enclosing(root.close), Some(root));
        assert_eq!(outline.enclosing(root.close + 1), None);
        assert!(!outline.is_empty());
        assert_eq!(outline.len(), 7);
    }

    #[test]
    fn sample_paths_and_values() {
        let lines = lines_of(SAMPLE);
        let text = all_text(&lines);
        let outline = Outline::build(&lines);
        // The last line with that text.
        let find = |s: &str| text.iter().rposition(|l| l == s).unwrap();
        let path = |s: &str| path_at(&outline, &lines, find(s));
        let value = |s: &str| value_at(&outline, &lines, find(s));
        assert_eq!(path("{"), ".");
        assert_eq!(path("  \"name\": \"Ada\","), ".name");
        assert_eq!(path("    \"x\","), ".tags[0]");
        assert_eq!(path("        1,"), ".tags[1].a[0]");
        assert_eq!(path("        []"), ".tags[1].a[1]");
        assert_eq!(path("    {}"), ".tags[2]");
        assert_eq!(path("  \"Last Name\": \"Lovelace\","), ".\"Last Name\"");
        assert_eq!(path("        null"), ".nested.deep.deeper[2]");
        assert_eq!(path("      ]"), ".nested.deep.deeper");
        assert_eq!(path("  \"ünï\": \"ç😀\\u00e9\\ud83d\\ude00\","), ".\"ünï\"");
        assert_eq!(
            path("  \"esc\\\"key\": \"tab\\there\\\\\","),
            ".\"esc\\\"key\""
        );
        assert_eq!(path("}"), ".");
        assert_eq!(value("  \"name\": \"Ada\","), "Ada");
        assert_eq!(
            value("  \"weird\": \"a [b] {c}, \\\"d\\\": e\","),
            "a [b] {c}, \"d\": e"
        );
        assert_eq!(value("  \"ünï\": \"ç😀\\u00e9\\ud83d\\ude00\","), "ç😀é😀");
        assert_eq!(
            value("  \"esc\\\"key\": \"tab\\there\\\\\","),
            "tab\there\\"
        );
        assert_eq!(value("  \"n\": -1.5e3"), "-1.5e3");
        assert_eq!(value("        1,"), "1");
        assert_eq!(value("        []"), "[]");
        assert_eq!(value("  \"empty\": {},"), "{}");
        assert_eq!(value("        null"), "null");
        assert_eq!(value("    \"x\","), "x");
        let deep = "{\n  \"deeper\": [\n    true,\n    false,\n    null\n  ]\n}";
        assert_eq!(value("    \"deep\": {"), deep);
        assert_eq!(value("    }"), deep);
        assert_eq!(value("{"), reindent(SAMPLE));
        assert_eq!(value("    {"), "{\n  \"a\": [\n    1,\n    []\n  ]\n}");
    }

    #[test]
    fn folded_text_counts_and_closers() {
        let c = |children, kind| Container {
            open: 0,
            close: 1,
            children,
            kind,
            depth: 1,
        };
        assert_eq!(
            folded_text("  \"records\": [", c(50000, Kind::Array), "  ],"),
            "  \"records\": [… 50,000 items],"
        );
        assert_eq!(
            folded_text("    {", c(12, Kind::Object), "    }"),
            "    {… 12 keys}"
        );
        assert_eq!(folded_text("[", c(1, Kind::Array), "]"), "[… 1 item]");
        assert_eq!(folded_text("{", c(1, Kind::Object), "},"), "{… 1 key},");
        assert_eq!(
            folded_text("[", c(1_234_567, Kind::Array), "]"),
            "[… 1,234,567 items]"
        );
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(100_000), "100,000");
    }

    #[test]
    fn jq_keys() {
        let json = r#"{"a_1":{"_x":1,"9lives":2,"x.y":3,"if":4,"":5,"a\u0041":6,"ctl\u0001\n":7,"back\\slash\/":8}}"#;
        let lines = lines_of(json);
        let outline = Outline::build(&lines);
        let paths: Vec<String> = (2..10).map(|i| path_at(&outline, &lines, i)).collect();
        assert_eq!(
            paths,
            [
                ".a_1._x",
                ".a_1.\"9lives\"",
                ".a_1.\"x.y\"",
                ".a_1.\"if\"",
                ".a_1.\"\"",
                ".a_1.aA",
                ".a_1.\"ctl\\u0001\\n\"",
                ".a_1.\"back\\\\slash/\"",
            ]
        );
        let root_array = lines_of(r#"[{"a":[[1]]}]"#);
        let outline = Outline::build(&root_array);
        assert_eq!(path_at(&outline, &root_array, 4), ".[0].a[0][0]");
        assert_eq!(path_at(&outline, &root_array, 1), ".[0]");
    }

    #[test]
    fn read_string_is_lenient() {
        assert_eq!(read_string(r#""a\"b" rest"#), ("a\"b".to_owned(), " rest"));
        assert_eq!(read_string(r#""\u00e9\/""#).0, "é/");
        assert_eq!(read_string(r#""\ud83d""#).0, "\u{fffd}");
        assert_eq!(read_string(r#""\ud83dx""#).0, "\u{fffd}x");
        assert_eq!(read_string(r#""\ude00""#).0, "\u{fffd}");
        assert_eq!(read_string(r#""\uzzzz""#).0, "\\uzzzz");
        assert_eq!(read_string(r#""\u12"#).0, "\\u12");
        assert_eq!(read_string(r#""\q\é""#).0, "\\q\\é");
        assert_eq!(
            read_string(r#""unterminated"#),
            ("unterminated".to_owned(), "")
        );
        assert_eq!(read_string(r#""ends\"#).0, "ends\\");
        assert_eq!(read_string("\"").0, "");
        assert_eq!(read_string("").0, "");
    }

    #[test]
    fn folds_sample() {
        let json = r#"{"a":[1,{"b":2},3],"c":{"d":[4,5]},"e":6}"#;
        let lines = lines_of(json);
        let text = all_text(&lines);
        let outline = Outline::build(&lines);
        let mut folds = Folds::default();
        assert!(folds.is_empty());
        assert_eq!(folds.visible_len(lines.len()), lines.len());
        assert_eq!(folds.source_line(5), 5);
        assert_eq!(folds.visible_index(5), Some(5));
        // Fold `"a": [` (line 1) from a line inside it.
        assert_eq!(folds.toggle(&outline, 2), Some(1));
        assert!(folds.is_folded(1));
        assert!(!folds.is_folded(2));
        let c = outline.container_at(1).unwrap();
        assert_eq!(
            folded_text(&text[1], c, &text[c.close]),
            "  \"a\": [… 3 items],"
        );
        assert_eq!(folds.visible_len(lines.len()), lines.len() - 6);
        assert_eq!(folds.source_line(1), 1);
        assert_eq!(folds.source_line(2), 8);
        assert_eq!(folds.visible_index(3), None);
        assert_eq!(folds.visible_index(8), Some(2));
        assert_eq!(folds.row_of(4), 1);
        assert_eq!(folds.row_of(8), 2);
        // Past the end.
        assert_eq!(folds.source_line(100), lines.len() + 100 - folds.rows.len());
        assert_eq!(folds.visible_index(lines.len()), Some(folds.rows.len()));
        // Unfold from the opener.
        assert_eq!(folds.toggle(&outline, 1), Some(1));
        assert!(folds.is_empty());
        assert_eq!(folds.rows.capacity(), 0);
        // zM / z1 / zR.
        folds.fold_below_root(&outline);
        let shown: Vec<usize> = (0..folds.visible_len(lines.len()))
            .map(|r| folds.source_line(r))
            .collect();
        assert_eq!(shown, [0, 1, 8, 14, 15]);
        let mut z1 = Folds::default();
        z1.fold_to_depth(&outline, 1);
        assert_eq!(z1.folded, folds.folded);
        z1.fold_to_depth(&outline, 0);
        assert_eq!(z1.visible_len(lines.len()), 1);
        z1.fold_to_depth(&outline, 9);
        assert!(z1.is_empty());
        // Reveal a line two folds deep: both open, the sibling fold stays.
        let five = text.iter().position(|l| l == "      5").unwrap();
        assert_eq!(folds.visible_index(five), None);
        folds.reveal(&outline, five);
        assert!(folds.visible_index(five).is_some());
        assert!(folds.is_folded(1) && folds.is_folded(3));
        assert!(!folds.is_folded(8) && !folds.is_folded(9));
        // Revealing a folded opener keeps it folded.
        folds.reveal(&outline, 1);
        assert!(folds.is_folded(1));
        folds.unfold_all();
        assert!(folds.is_empty());
        assert_eq!(folds.visible_len(lines.len()), lines.len());
        // No container: nothing to toggle.
        let scalar = lines_of("42");
        let outline = Outline::build(&scalar);
        assert_eq!(folds.toggle(&outline, 0), None);
        assert!(folds.is_empty());
    }

    #[test]
    fn concatenated_roots() {
        let text = format!(
            "{}\n{}\n\"third\"\n{}",
            reindent(r#"{"a":{"b":1}}"#),
            reindent("[1,[2]]"),
            reindent("[]")
        );
        let lines = Lines::from_string(text);
        let outline = Outline::build(&lines);
        assert_eq!(outline.len(), 4);
        let paths: Vec<String> = (0..lines.len())
            .map(|i| path_at(&outline, &lines, i))
            .collect();
        assert_eq!(
            paths,
            [
                ".", ".a", ".a.b", ".a", ".", ".", ".[0]", ".[1]", ".[1][0]", ".[1]", ".", ".", "."
            ]
        );
        let mut folds = Folds::default();
        folds.fold_below_root(&outline);
        let shown: Vec<usize> = (0..folds.visible_len(lines.len()))
            .map(|r| folds.source_line(r))
            .collect();
        assert_eq!(shown, [0, 1, 4, 5, 6, 7, 10, 11, 12]);
        assert_eq!(value_at(&outline, &lines, 11), "third");
        assert_eq!(value_at(&outline, &lines, 12), "[]");
        assert_eq!(
            value_at(&outline, &lines, 10),
            "[\n  1,\n  [\n    2\n  ]\n]"
        );
        // A blank line between roots is fine.
        let lines = Lines::from_string(format!("{}\n\n{}", reindent("[1]"), reindent("[2]")));
        let outline = Outline::build(&lines);
        assert_eq!(outline.len(), 2);
        let paths: Vec<String> = (0..=lines.len())
            .map(|i| path_at(&outline, &lines, i))
            .collect();
        assert_eq!(paths, [".", ".[0]", ".", "", ".", ".[0]", ".", ""]);
        assert_eq!(value_at(&outline, &lines, 3), "");
    }

    #[test]
    fn not_json_gives_an_empty_outline() {
        let texts = [
            "",
            "hello\nworld",
            "foo {\n  bar\n}",
            "{\n  \"a\": 1\n",
            "{\n  \"a\": 1\n]",
            "[\n  1\n  2\n]",
            "[\n  1,\n]",
            "{\n   \"a\": 1\n}",
            "{\n  a: 1\n}",
            "}\n{",
            "[\n]",
            "[\n  1\n],",
            "  [\n    1\n  ]",
            "{\n  \"a\": [\n    1\n  }\n}",
            "[\n  x [\n  ]\n]",
            "{\n\n}",
            "\u{0}\u{fffd}[",
        ];
        for text in texts {
            let lines = Lines::from_string(text.to_owned());
            let outline = Outline::build(&lines);
            assert!(outline.is_empty(), "{text:?}");
            let mut folds = Folds::default();
            folds.fold_below_root(&outline);
            folds.fold_to_depth(&outline, 0);
            assert_eq!(folds.toggle(&outline, 0), None);
            folds.reveal(&outline, 1);
            assert!(folds.is_empty());
            for i in 0..=lines.len() {
                assert_eq!(path_at(&outline, &lines, i), "");
                assert_eq!(value_at(&outline, &lines, i), lines.line(i));
                assert_eq!(outline.enclosing(i), None);
                assert_eq!(folds.visible_index(i), Some(i));
            }
        }
    }

    /// Deterministic pseudo-random numbers (xorshift64*).
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        fn below(&mut self, n: usize) -> usize {
            usize::try_from(self.next() % n as u64).unwrap()
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len())]
        }
    }

    #[derive(Debug, Clone)]
    enum Json {
        Scalar(String),
        Str(String),
        Array(Vec<Json>),
        Object(Vec<(String, Json)>),
    }

    const STRINGS: &[&str] = &[
        "",
        "plain",
        "with, comma",
        "brackets [ { } ]",
        "ends with [",
        "{",
        "quote \" inside",
        "\"",
        "back\\slash",
        "ends with \\",
        "unicode ünï 😀",
        "line\nbreak\ttab",
        "ctl \u{1}",
        "key\": [",
        "/",
    ];
    const KEYS: &[&str] = &[
        "name",
        "_id",
        "Email",
        "a1",
        "Last Name",
        "9lives",
        "x.y",
        "if",
        "",
        "a\"b",
        "ü",
        "t\tab",
        "b\\s",
        "[",
        "}",
        ",",
        "k: {",
    ];
    const SCALARS: &[&str] = &["0", "-1.5e10", "42", "true", "false", "null"];

    fn generate(rng: &mut Rng, depth: usize) -> Json {
        let roll = rng.below(10);
        if depth >= 4 || roll < 4 {
            return if rng.below(2) == 0 {
                Json::Scalar(rng.pick(SCALARS).to_owned())
            } else {
                Json::Str(rng.pick(STRINGS).to_owned())
            };
        }
        let n = rng.below(5);
        if roll < 7 {
            Json::Array((0..n).map(|_| generate(rng, depth + 1)).collect())
        } else {
            Json::Object(
                (0..n)
                    .map(|_| (rng.pick(KEYS).to_owned(), generate(rng, depth + 1)))
                    .collect(),
            )
        }
    }

    fn json_string(s: &str) -> String {
        let mut out = String::new();
        push_jq_string(&mut out, s);
        out
    }

    fn compact(v: &Json) -> String {
        match v {
            Json::Scalar(s) => s.clone(),
            Json::Str(s) => json_string(s),
            Json::Array(items) => {
                let items: Vec<String> = items.iter().map(compact).collect();
                format!("[{}]", items.join(","))
            }
            Json::Object(members) => {
                let members: Vec<String> = members
                    .iter()
                    .map(|(k, v)| format!("{}:{}", json_string(k), compact(v)))
                    .collect();
                format!("{{{}}}", members.join(","))
            }
        }
    }

    /// What each line of the pretty text should give.
    #[derive(Debug)]
    struct Expected {
        text: String,
        path: String,
        value: String,
        /// For an opener: (close, children, kind, depth).
        opens: Option<(usize, usize, Kind, usize)>,
    }

    fn key_step(key: &str) -> String {
        let plain = key
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && key != "if";
        if plain {
            format!(".{key}")
        } else {
            format!(".{}", json_string(key))
        }
    }

    /// A reference pretty printer recording what each line should give.
    fn layout(
        v: &Json,
        depth: usize,
        prefix: &str,
        suffix: &str,
        path: &str,
        out: &mut Vec<Expected>,
    ) {
        let pad = "  ".repeat(depth);
        let shown_path = if path.is_empty() { "." } else { path };
        let children: Vec<(String, String, &Json)> = match v {
            Json::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let step = if path.is_empty() {
                        format!(".[{i}]")
                    } else {
                        format!("{path}[{i}]")
                    };
                    (String::new(), step, item)
                })
                .collect(),
            Json::Object(members) => members
                .iter()
                .map(|(k, item)| {
                    (
                        format!("{}: ", json_string(k)),
                        format!("{path}{}", key_step(k)),
                        item,
                    )
                })
                .collect(),
            _ => Vec::new(),
        };
        let (open, close) = match v {
            Json::Array(_) => ('[', ']'),
            Json::Object(_) => ('{', '}'),
            Json::Scalar(s) | Json::Str(s) => {
                out.push(Expected {
                    text: format!("{pad}{prefix}{}{suffix}", compact(v)),
                    path: shown_path.to_owned(),
                    value: s.clone(),
                    opens: None,
                });
                return;
            }
        };
        if children.is_empty() {
            out.push(Expected {
                text: format!("{pad}{prefix}{open}{close}{suffix}"),
                path: shown_path.to_owned(),
                value: format!("{open}{close}"),
                opens: None,
            });
            return;
        }
        let value = reindent(&compact(v));
        let kind = if open == '[' {
            Kind::Array
        } else {
            Kind::Object
        };
        let at = out.len();
        out.push(Expected {
            text: format!("{pad}{prefix}{open}"),
            path: shown_path.to_owned(),
            value: value.clone(),
            opens: None,
        });
        let last = children.len() - 1;
        for (i, (key, step, item)) in children.iter().enumerate() {
            let comma = if i < last { "," } else { "" };
            layout(item, depth + 1, key, comma, step, out);
        }
        out[at].opens = Some((out.len(), children.len(), kind, depth));
        out.push(Expected {
            text: format!("{pad}{close}{suffix}"),
            path: shown_path.to_owned(),
            value,
            opens: None,
        });
    }

    /// The rows shown with `folded` (opener lines), computed the slow way.
    fn naive_rows(expected: &[Expected], folded: &[usize]) -> Vec<usize> {
        (0..expected.len())
            .filter(|&line| {
                !folded.iter().any(|&open| {
                    let close = expected[open].opens.unwrap().0;
                    open < line && line <= close
                })
            })
            .collect()
    }

    fn check_folds(folds: &Folds, model: &[usize], expected: &[Expected]) {
        let rows = naive_rows(expected, model);
        let n = expected.len();
        assert_eq!(folds.visible_len(n), rows.len());
        for (row, &line) in rows.iter().enumerate() {
            assert_eq!(folds.source_line(row), line);
            assert_eq!(folds.visible_index(line), Some(row));
        }
        for line in 0..n {
            assert_eq!(folds.is_folded(line), model.contains(&line), "line {line}");
            if rows.contains(&line) {
                assert_eq!(rows[folds.row_of(line)], line);
            } else {
                assert_eq!(folds.visible_index(line), None);
                let row = folds.row_of(line);
                let shown = rows[row];
                assert!(model.contains(&shown) && shown < line);
            }
        }
        assert_eq!(folds.is_empty(), model.is_empty());
    }

    /// Random fold operations on `outline`, checked against a model set of folded openers.
    fn random_fold_ops(
        rng: &mut Rng,
        outline: &Outline,
        expected: &[Expected],
        enclosing: &[Option<usize>],
    ) {
        let n = expected.len();
        let openers: Vec<usize> = (0..n).filter(|&i| expected[i].opens.is_some()).collect();
        let mut folds = Folds::default();
        let mut model: Vec<usize> = Vec::new();
        check_folds(&folds, &model, expected);
        for _ in 0..12 {
            match rng.below(8) {
                0..=3 => {
                    let line = rng.below(n);
                    let target = outline
                        .container_at(line)
                        .map(|c| c.open)
                        .or(enclosing[line]);
                    assert_eq!(folds.toggle(outline, line), target);
                    if let Some(t) = target {
                        if let Some(i) = model.iter().position(|&m| m == t) {
                            model.remove(i);
                        } else {
                            model.push(t);
                        }
                    }
                }
                4 => {
                    folds.fold_below_root(outline);
                    model = openers
                        .iter()
                        .copied()
                        .filter(|&o| expected[o].opens.unwrap().3 > 0)
                        .collect();
                }
                5 => {
                    let depth = rng.below(4);
                    folds.fold_to_depth(outline, depth);
                    model = openers
                        .iter()
                        .copied()
                        .filter(|&o| expected[o].opens.unwrap().3 >= depth)
                        .collect();
                }
                6 => {
                    let line = rng.below(n);
                    folds.reveal(outline, line);
                    model.retain(|&o| !(o < line && line <= expected[o].opens.unwrap().0));
                    assert!(folds.visible_index(line).is_some());
                }
                _ => {
                    if rng.below(3) == 0 {
                        folds.unfold_all();
                        model.clear();
                    }
                }
            }
            model.sort_unstable();
            check_folds(&folds, &model, expected);
        }
    }

    #[test]
    fn random_documents_match_the_reference() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for case in 0..600 {
            let roots = 1 + rng.below(3) * usize::from(case % 4 == 0);
            let mut expected = Vec::new();
            let mut text = String::new();
            for r in 0..roots {
                let value = generate(&mut rng, 0);
                let pretty = reindent(&compact(&value));
                // Line numbers in `expected` are absolute: `layout` appends.
                layout(&value, 0, "", "", "", &mut expected);
                if r > 0 {
                    text.push('\n');
                }
                text.push_str(&pretty);
            }
            let lines = Lines::from_string(text.clone());
            let got = all_text(&lines);
            let want: Vec<String> = expected.iter().map(|e| e.text.clone()).collect();
            assert_eq!(got, want, "reference layout differs from reindent: {text}");
            let outline = Outline::build(&lines);
            let n = expected.len();
            let mut enclosing: Vec<Option<usize>> = vec![None; n];
            for (open, e) in expected.iter().enumerate() {
                if let Some((close, children, kind, depth)) = e.opens {
                    let c = outline.container_at(open).expect("opener");
                    assert_eq!(
                        c,
                        Container {
                            open,
                            close,
                            children,
                            kind,
                            depth
                        }
                    );
                    for slot in &mut enclosing[open + 1..=close] {
                        *slot = Some(open); // inner containers overwrite later
                    }
                } else {
                    assert_eq!(outline.container_at(open), None);
                }
            }
            for line in 0..n {
                assert_eq!(
                    outline.enclosing(line).map(|c| c.open),
                    enclosing[line],
                    "{text}"
                );
                assert_eq!(
                    path_at(&outline, &lines, line),
                    expected[line].path,
                    "{text}"
                );
                assert_eq!(value_at(&outline, &lines, line), expected[line].value);
            }
            random_fold_ops(&mut rng, &outline, &expected, &enclosing);
        }
    }

    #[test]
    fn damaged_documents_never_panic() {
        let mut rng = Rng(42);
        let noise = [
            '{', '}', '[', ']', ',', '"', ' ', '\n', '\\', ':', 'ü', 'x', '1',
        ];
        for _ in 0..400 {
            let value = generate(&mut rng, 0);
            let mut chars: Vec<char> = reindent(&compact(&value)).chars().collect();
            if chars.is_empty() {
                continue;
            }
            for _ in 0..=rng.below(3) {
                let at = rng.below(chars.len());
                match rng.below(3) {
                    0 => chars[at] = noise[rng.below(noise.len())],
                    1 => chars.insert(at, noise[rng.below(noise.len())]),
                    _ => chars.truncate(at),
                }
                if chars.is_empty() {
                    break;
                }
            }
            let text: String = chars.into_iter().collect();
            let lines = Lines::from_string(text);
            let outline = Outline::build(&lines);
            // Whatever came out is well nested.
            for w in outline.nodes.windows(2) {
                assert!(w[0].open < w[1].open);
            }
            for n in &outline.nodes {
                assert!(n.open < n.close && (n.close as usize) < lines.len());
                if let Some(p) = n.parent() {
                    let p = outline.nodes[p];
                    assert!(p.open < n.open && n.close < p.close);
                }
            }
            let mut folds = Folds::default();
            for line in 0..=lines.len() {
                let _ = path_at(&outline, &lines, line);
                let _ = value_at(&outline, &lines, line);
                let _ = outline.enclosing(line);
                let _ = folds.toggle(&outline, line);
                folds.reveal(&outline, line);
            }
            folds.fold_below_root(&outline);
            for row in 0..folds.visible_len(lines.len()) {
                let line = folds.source_line(row);
                assert_eq!(folds.visible_index(line), Some(row));
            }
        }
    }
}
