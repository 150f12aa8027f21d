//! What a key (or click) means, independent of which key it was.

/// The panes that can hold focus, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pane {
    Connectors,
    Methods,
    Editor,
    Response,
}

impl Pane {
    /// Every pane, in Tab order.
    pub const ALL: [Pane; 4] = [
        Pane::Connectors,
        Pane::Methods,
        Pane::Editor,
        Pane::Response,
    ];

    /// The next pane in Tab order (wrapping).
    #[must_use]
    pub fn next(self) -> Pane {
        let i = Pane::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Pane::ALL[(i + 1) % Pane::ALL.len()]
    }

    /// The previous pane in Tab order (wrapping).
    #[must_use]
    pub fn previous(self) -> Pane {
        let i = Pane::ALL.iter().position(|p| *p == self).unwrap_or(0);
        Pane::ALL[(i + Pane::ALL.len() - 1) % Pane::ALL.len()]
    }
}

/// A user intent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    FocusNext,
    FocusPrevious,
    Focus(Pane),
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Enter: load the selected connector's methods, or prepare the selected method.
    Select,
    /// Select row `index` of a list pane (a click).
    SelectRow(Pane, usize),
    /// Scroll a pane by this many lines (the mouse wheel).
    Scroll(Pane, i32),
    /// Start typing a filter (lists) or a search (response).
    StartFilter,
    /// Next search match in the response.
    SearchNext,
    /// Previous search match in the response.
    SearchPrevious,
    Reload,
    Send,
    Cancel,
    ToggleEndpoint,
    ToggleVerb,
    ToggleAddressing,
    /// Put the selected method's template back into the editor.
    ResetEditor,
    /// Cycle the raw body's content type (JSON, XML, text).
    ToggleContentType,
    /// Select all the editor's text (a paste then replaces it).
    SelectAll,
    /// Empty the editor.
    ClearBody,
    NextTab,
    PreviousTab,
    /// Show this tab of the response (a click on its label).
    SelectTab(crate::app::Tab),
    ToggleWrap,
    ScrollLeft,
    ScrollRight,
    /// Save a response that was too large to show to a file instead.
    SaveBody,
    /// Cycle how methods are sorted (category, name, id).
    CycleSort,
    ToggleHelp,
    /// Open the history of the method in the editor (or of every call).
    OpenHistory,
    /// Open the account picker.
    PickAccount,
    /// Mark or unmark a history entry for a comparison.
    ToggleMark,
    /// Switch the history between this method's calls and every call.
    ToggleScope,
    /// Compare the two marked history entries.
    Diff,
    /// Send the selected history entry's request again.
    Rerun,
    /// Start typing a jq filter on the response.
    StartJq,
    /// `z`: the next key is a folding command.
    FoldPrefix,
    /// Fold or unfold the pretty view.
    Fold(crate::app::Fold),
    /// Open the copy menu.
    OpenCopyMenu,
    /// Save the body (or the filter's result) to a file.
    SaveResponse,
    /// Edit the request body in the user's editor.
    EditExternally,
    /// Table: sort by the selected column (ascending, descending, unsorted).
    SortColumn,
    /// Table: choose the columns shown.
    PickColumns,
    /// Show the request as a form, or as JSON again.
    ToggleForm,
    /// Show the selected account connector's details.
    ShowDetails,
}
