//! Syntax colours for one line of pretty-printed JSON (keys, strings, numbers, literals).
//! Works line by line, so only the visible lines of a huge response are ever coloured.

use super::theme;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Colours one line of pretty JSON. Never fails: text it does not understand stays plain.
#[must_use]
pub fn highlight_json_line(line: &str) -> Line<'static> {
    let bytes = line.as_bytes();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut plain_start = 0;
    let mut i = 0;
    let push = |spans: &mut Vec<Span<'static>>, text: &str, style: Style| {
        if !text.is_empty() {
            spans.push(Span::styled(text.to_string(), style));
        }
    };
    while i < bytes.len() {
        let (end, style) = match bytes[i] {
            b'"' => {
                let mut j = i + 1;
                while j < bytes.len() && bytes[j] != b'"' {
                    j += if bytes[j] == b'\\' { 2 } else { 1 };
                }
                let end = (j + 1).min(bytes.len());
                let is_key = line[end..].trim_start().starts_with(':');
                (end, if is_key { theme::KEY } else { theme::STRING })
            }
            b'-' | b'0'..=b'9' => {
                let mut j = i + 1;
                while j < bytes.len()
                    && matches!(bytes[j], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                {
                    j += 1;
                }
                (j, theme::NUMBER)
            }
            b't' | b'f' | b'n' => {
                let word = ["true", "false", "null"]
                    .into_iter()
                    .find(|w| line[i..].starts_with(w));
                if let Some(w) = word {
                    (i + w.len(), theme::LITERAL)
                } else {
                    i += 1;
                    continue;
                }
            }
            _ => {
                i += 1;
                continue;
            }
        };
        let end = (end..=line.len())
            .find(|&e| line.is_char_boundary(e))
            .unwrap_or(line.len());
        push(&mut spans, &line[plain_start..i], Style::default());
        push(&mut spans, &line[i..end], style);
        i = end;
        plain_start = end;
    }
    push(
        &mut spans,
        &line[plain_start.min(line.len())..],
        Style::default(),
    );
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styles(line: &str) -> Vec<(String, Style)> {
        highlight_json_line(line)
            .spans
            .into_iter()
            .map(|s| (s.content.into_owned(), s.style))
            .collect()
    }

    #[test]
    fn colours_keys_strings_numbers_and_literals() {
        let s = styles(r#"  "name": "a \"q\" b", "n": -1.5e3, "t": true, "z": null"#);
        assert_eq!(s[1], ("\"name\"".into(), theme::KEY));
        assert_eq!(s[3], ("\"a \\\"q\\\" b\"".into(), theme::STRING));
        assert!(s.contains(&("-1.5e3".into(), theme::NUMBER)));
        assert!(s.contains(&("true".into(), theme::LITERAL)));
        assert!(s.contains(&("null".into(), theme::LITERAL)));
    }

    #[test]
    fn survives_broken_and_unicode_lines() {
        for line in [
            "\"unterminated",
            "\"\\",
            "日本\"語",
            "{",
            "",
            "nul",
            "\"a\\\"",
            "-",
        ] {
            let rebuilt: String = highlight_json_line(line)
                .spans
                .iter()
                .map(|s| s.content.as_ref())
                .collect();
            assert_eq!(rebuilt, line);
        }
    }
}
