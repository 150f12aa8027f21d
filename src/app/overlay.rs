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
    /// What `y` can copy, each with its key.
    Copy(CopyMenu),
    /// Where to save the body (or the filter's result).
    Save(SavePrompt),
    /// Which of the table's columns are shown.
    Columns,
    /// A form row's allowed values or lookup results: Enter puts the chosen one in the row.
    Choices(Box<super::picker::ChoicePicker>),
    /// An account connector's details and properties.
    Details(Box<super::details::ConnectorDetails>),
}

/// Something the copy menu copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyWhat {
    /// The body as received.
    Body,
    /// The filter's outputs, one a line.
    Filtered,
    /// The value on the cursor's line.
    Value,
    /// The jq path of the cursor's line.
    Path,
    /// The response headers.
    Headers,
    /// The request as a curl command line.
    Curl,
    /// The request as an `HTTPie` command line.
    Httpie,
}

impl CopyWhat {
    /// The key that chooses it in the menu.
    #[must_use]
    pub fn key(self) -> char {
        match self {
            CopyWhat::Body => 'b',
            CopyWhat::Filtered => 'f',
            CopyWhat::Value => 'v',
            CopyWhat::Path => 'p',
            CopyWhat::Headers => 'h',
            CopyWhat::Curl => 'c',
            CopyWhat::Httpie => 'i',
        }
    }

    /// What it is, for the menu.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            CopyWhat::Body => "the body",
            CopyWhat::Filtered => "the filter's result",
            CopyWhat::Value => "the value under the cursor",
            CopyWhat::Path => "the JSON path under the cursor",
            CopyWhat::Headers => "the response headers",
            CopyWhat::Curl => "the request as curl",
            CopyWhat::Httpie => "the request as HTTPie",
        }
    }
}

/// The copy menu: the choices there are for the shown response.
#[derive(Debug, Clone)]
pub struct CopyMenu {
    pub choices: Vec<CopyWhat>,
    pub selected: usize,
}

/// The save prompt: a file name being typed, and what will be written there.
#[derive(Debug, Clone)]
pub struct SavePrompt {
    pub path: String,
    pub text: bytes::Bytes,
    /// Why the last try did not save (a file there already, a folder that does not exist).
    pub error: Option<String>,
    /// True once the user was told the file exists: Enter then replaces it.
    pub overwrite: bool,
    /// True while the file is being written.
    pub waiting: bool,
}
