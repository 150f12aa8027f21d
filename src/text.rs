//! Making text from a server inert before it reaches a terminal.
//!
//! Control characters (C0, DEL, C1), bidirectional overrides and invisible zero-width
//! characters are replaced by visible escapes such as `\x1b` or `\u{202e}`, so nothing a
//! server sends can move the cursor, clear the screen, write the clipboard (OSC 52), open a
//! link (OSC 8) or reorder what the user reads.

use std::borrow::Cow;
use std::fmt::Write;

/// True for characters that must never reach the terminal as they are.
#[must_use]
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}' // zero-width space/joiners, LRM/RLM
            | '\u{202A}'..='\u{202E}' // bidi embeddings and overrides
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}' // bidi isolates
            | '\u{061C}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// Escapes every unsafe character, newlines and tabs included: for one-line text.
#[must_use]
pub fn inert(s: &str) -> Cow<'_, str> {
    escape(s, |_| false)
}

/// Escapes unsafe characters but keeps `\n` and `\t` (tabs become four spaces): for bodies.
#[must_use]
pub fn inert_multiline(s: &str) -> Cow<'_, str> {
    let kept = escape(s, |c| c == '\n' || c == '\t');
    if kept.contains('\t') {
        Cow::Owned(kept.replace('\t', "    "))
    } else {
        kept
    }
}

fn escape(s: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if !is_unsafe(c) || keep(c) {
            out.push(c);
        } else if (c as u32) < 0x100 {
            let _ = write!(out, "\\x{:02x}", c as u32);
        } else {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
    Cow::Owned(out)
}

/// Writes unsafe characters (but not `\n` and `\t`) as JSON `\uXXXX` escapes: for JSON text
/// that reaches a terminal (the CLI's output, the request editor). `serde_json` leaves DEL, C1
/// controls, bidi and zero-width characters raw; escaped, a JSON string means the same.
#[must_use]
pub fn json_escaped(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) && c != '\n' && c != '\t') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe(c) && c != '\n' && c != '\t' {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Shortens `s` to at most `max` characters, marking the cut with `…`.
#[must_use]
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some((end, _)) => Cow::Owned(format!("{}…", &s[..end])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_sequences_controls_and_bidi() {
        let hostile = "a\u{1b}[2Jb\u{1b}]52;c;aGVsbG8=\u{7}c\u{9b}d\u{202e}e\u{200b}f\ng";
        let out = inert(hostile);
        assert!(!out.chars().any(is_unsafe));
        assert_eq!(
            out,
            "a\\x1b[2Jb\\x1b]52;c;aGVsbG8=\\x07c\\x9bd\\u{202e}e\\u{200b}f\\x0ag"
        );
        assert_eq!(inert_multiline("x\ny\tz\u{1b}"), "x\ny    z\\x1b");
    }

    #[test]
    fn json_escapes_keep_the_meaning_inside_strings() {
        let raw = "a\u{200c}b\u{1b}c\nd";
        let escaped = json_escaped(raw);
        assert_eq!(escaped, "a\\u200cb\\u001bc\nd");
        let quoted = format!("\"{}\"", escaped.replace('\n', "\\n"));
        assert_eq!(serde_json::from_str::<String>(&quoted).unwrap(), raw);
    }

    #[test]
    fn leaves_clean_text_borrowed_and_keeps_wide_characters() {
        assert!(matches!(inert("日本語 🎉 ok"), Cow::Borrowed(_)));
    }

    #[test]
    fn truncates_on_char_boundaries() {
        assert_eq!(truncate("日本語です", 3), "日本語…");
        assert_eq!(truncate("abc", 3), "abc");
    }
}
