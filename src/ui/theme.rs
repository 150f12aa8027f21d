//! The few styles the explorer uses, drawn for a dark background; [`for_light_background`]
//! turns a drawn frame into the light theme.

use ratatui::style::{Color, Modifier, Style};

pub const FOCUS: Style = Style::new().fg(Color::Cyan);
pub const DIM: Style = Style::new().fg(Color::DarkGray);
pub const ERROR: Style = Style::new().fg(Color::Red);
pub const WARN: Style = Style::new().fg(Color::Yellow);
pub const OK: Style = Style::new().fg(Color::Green);
pub const SELECTED: Style = Style::new()
    .bg(Color::DarkGray)
    .add_modifier(Modifier::BOLD);
pub const DEMO: Style = Style::new()
    .fg(Color::Black)
    .bg(Color::Yellow)
    .add_modifier(Modifier::BOLD);
pub const TITLE: Style = Style::new().add_modifier(Modifier::BOLD);
/// The cursor line of the pretty JSON view.
pub const CURSOR: Style = Style::new().bg(Color::DarkGray);
pub const MATCH: Style = Style::new().fg(Color::Black).bg(Color::Yellow);
pub const KEY: Style = Style::new().fg(Color::Cyan);
pub const STRING: Style = Style::new().fg(Color::Green);
pub const NUMBER: Style = Style::new().fg(Color::Yellow);
pub const LITERAL: Style = Style::new().fg(Color::Magenta);

/// The light theme: the colours of a drawn frame swapped for darker ones that read on a light
/// background (yellow text turns amber, the grey selection bar pale). Applied to the whole
/// frame after drawing, so every widget follows without a style of its own per theme.
pub fn for_light_background(buffer: &mut ratatui::buffer::Buffer) {
    for cell in &mut buffer.content {
        cell.fg = match cell.fg {
            Color::Yellow if cell.bg == Color::Reset => Color::Rgb(150, 95, 0),
            Color::Green => Color::Rgb(0, 115, 0),
            Color::Cyan => Color::Rgb(0, 100, 150),
            Color::Magenta => Color::Rgb(140, 0, 140),
            Color::Red => Color::Rgb(185, 0, 0),
            Color::DarkGray => Color::Rgb(105, 105, 105),
            other => other,
        };
        if cell.bg == Color::DarkGray {
            cell.bg = Color::Rgb(210, 210, 215);
        }
    }
}
