//! The few styles the explorer uses.

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
pub const MATCH: Style = Style::new().fg(Color::Black).bg(Color::Yellow);
pub const KEY: Style = Style::new().fg(Color::Cyan);
pub const STRING: Style = Style::new().fg(Color::Green);
pub const NUMBER: Style = Style::new().fg(Color::Yellow);
pub const LITERAL: Style = Style::new().fg(Color::Magenta);
