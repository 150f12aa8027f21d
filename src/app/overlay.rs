//! Things drawn over the panes that take the keyboard while open (help now; pickers,
//! confirmations and history later). They form a stack: the top one gets the keys, and the
//! screen draws them in order, the top one last.

/// One overlay and its own state.
#[derive(Debug)]
pub enum Overlay {
    /// Every key, generated from the keymap, and how the explorer is connected.
    Help {
        /// First line shown.
        scroll: u16,
    },
    /// The partner's accounts: Enter switches to the chosen one.
    Accounts(Box<super::picker::AccountPicker>),
    /// Recorded calls: Enter shows one, two marked ones can be compared.
    History(Box<super::picker::HistoryPicker>),
    /// A long text (the differences between two responses).
    Text(super::picker::TextView),
    /// A write about to be sent: Enter sends it, Esc goes back with nothing sent.
    ConfirmSend {
        /// The method it calls (the reply lands there).
        key: super::editor::CallKey,
        request: Box<crate::cyclr::CallRequest>,
        /// What it does, where, and the values it sends.
        lines: Vec<String>,
    },
}
