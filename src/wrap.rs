//! Wrapping display text by character: how many rows a line takes at a width, and where each
//! row starts. The viewer scrolls by these rows, so its limits and its drawing agree (the end
//! of a wrapped body is reachable), and any row of a huge line is found without drawing the
//! rows above it.
//!
//! The text given here is what reaches the screen, already made inert (no control
//! characters, tabs expanded; see [`crate::text::inert_multiline`]). Rows break between
//! characters, never inside one; a character wider than the row gets a row of its own.

use std::ops::Range;
use unicode_width::UnicodeWidthChar;

/// True when every byte is printable ASCII: then a row is exactly `width` bytes.
fn plain_ascii(text: &str) -> bool {
    text.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// Rows `text` takes at `width` columns (an empty line takes one).
#[must_use]
pub fn rows(text: &str, width: usize) -> usize {
    let width = width.max(1);
    if plain_ascii(text) {
        return text.len().div_ceil(width).max(1);
    }
    let mut rows = 1;
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width && used > 0 {
            rows += 1;
            used = 0;
        }
        used += w;
    }
    rows
}

/// The byte range of rows `first..first + count` of `text` at `width` columns (clamped to
/// the rows there are).
#[must_use]
pub fn row_span(text: &str, width: usize, first: usize, count: usize) -> Range<usize> {
    let width = width.max(1);
    if plain_ascii(text) {
        let start = first.saturating_mul(width).min(text.len());
        let end = first
            .saturating_add(count)
            .saturating_mul(width)
            .min(text.len());
        return start..end;
    }
    let last = first.saturating_add(count);
    let (mut row, mut used) = (0, 0);
    let (mut start, mut end) = (if first == 0 { 0 } else { text.len() }, text.len());
    for (i, c) in text.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > width && used > 0 {
            row += 1;
            used = 0;
            if row == first {
                start = i;
            }
            if row == last {
                end = i;
                break;
            }
        }
        used += w;
    }
    start.min(end)..end
}

/// Splits `text` (at most a few rows of it) into rows of `width` columns.
#[must_use]
pub fn split(text: &str, width: usize) -> Vec<&str> {
    let n = rows(text, width);
    (0..n)
        .map(|row| &text[row_span(text, width, row, 1)])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_rows_are_width_bytes() {
        assert_eq!(rows("", 10), 1);
        assert_eq!(rows("abcdefghij", 10), 1);
        assert_eq!(rows("abcdefghijk", 10), 2);
        assert_eq!(split("abcdefghijk", 4), ["abcd", "efgh", "ijk"]);
        assert_eq!(row_span("abcdefghijk", 4, 1, 5), 4..11);
        assert_eq!(row_span("abc", 4, 3, 1), 3..3);
    }

    #[test]
    fn wide_characters_never_split() {
        // Each ideograph takes two columns: three fit in 7 columns, the fourth wraps.
        let text = "日本語テキスト";
        assert_eq!(rows(text, 7), 3);
        assert_eq!(split(text, 7), ["日本語", "テキス", "ト"]);
        assert_eq!(&text[row_span(text, 7, 1, 2)], "テキスト");
        // Narrower than one character: one per row.
        assert_eq!(split("日本", 1), ["日", "本"]);
        assert_eq!(split("é́x", 1), ["é́", "x"]);
    }
}
