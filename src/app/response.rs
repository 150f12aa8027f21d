//! Pane 3, bottom: the response viewer and the call in flight.

use crate::cyclr::CallRequest;
use crate::document::{Lines, ResponseDoc};
use crate::effect::RequestId;
use std::sync::Arc;
use std::time::Instant;

/// The viewer's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Pretty,
    Raw,
    Headers,
    Request,
}

impl Tab {
    /// Every tab, in order.
    pub const ALL: [Tab; 4] = [Tab::Pretty, Tab::Raw, Tab::Headers, Tab::Request];

    /// The tab's title.
    pub fn title(self) -> &'static str {
        match self {
            Tab::Pretty => "Pretty",
            Tab::Raw => "Raw",
            Tab::Headers => "Headers",
            Tab::Request => "Request sent",
        }
    }

    fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// A call on its way.
#[derive(Debug, Clone)]
pub struct InFlight {
    pub id: RequestId,
    pub started: Instant,
    /// What is being called, for the title.
    pub label: String,
    /// The request, kept to offer saving a body too large to show.
    pub request: CallRequest,
}

/// How the last call ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// A response arrived (any status).
    Response(Arc<ResponseDoc>),
    /// No response: network failure, bad configuration…
    Failed(String),
    /// The body passed the size cap; `request` can be made again to save it to a file.
    TooLarge {
        message: String,
        request: CallRequest,
    },
}

/// Search in the response text.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub query: String,
    /// True while the query is being typed.
    pub editing: bool,
    /// The line of the current match.
    pub hit: Option<usize>,
    pub not_found: bool,
}

/// The response viewer.
#[derive(Debug, Default)]
pub struct ResponsePane {
    pub in_flight: Option<InFlight>,
    pub outcome: Option<Outcome>,
    pub tab: Tab,
    pub wrap: bool,
    /// Top line shown, per tab.
    scroll: [usize; 4],
    pub hscroll: usize,
    pub search: Search,
}

impl ResponsePane {
    /// Shows a new outcome from the top.
    pub fn set_outcome(&mut self, outcome: Outcome) {
        self.outcome = Some(outcome);
        self.scroll = [0; 4];
        self.hscroll = 0;
        self.search.hit = None;
        self.search.not_found = false;
    }

    /// The response document, if the last call got one.
    pub fn doc(&self) -> Option<&ResponseDoc> {
        match &self.outcome {
            Some(Outcome::Response(doc)) => Some(doc),
            _ => None,
        }
    }

    /// The text of the current tab.
    pub fn lines(&self) -> Option<&Lines> {
        let doc = self.doc()?;
        Some(match self.tab {
            Tab::Pretty => &doc.pretty,
            Tab::Raw => &doc.raw,
            Tab::Headers => &doc.headers,
            Tab::Request => &doc.request,
        })
    }

    /// Top line of the current tab.
    pub fn scroll(&self) -> usize {
        self.scroll[self.tab.index()]
    }

    fn max_scroll(&self, rows: usize) -> usize {
        self.lines()
            .map_or(0, |l| l.len().saturating_sub(rows.max(1)))
    }

    /// Scrolls by `delta` lines within the text (`rows` is the viewport height).
    pub fn scroll_by(&mut self, delta: isize, rows: usize) {
        let max = self.max_scroll(rows);
        let i = self.tab.index();
        self.scroll[i] = self.scroll[i].saturating_add_signed(delta).min(max);
    }

    /// Shows the first line.
    pub fn top(&mut self) {
        self.scroll[self.tab.index()] = 0;
    }

    /// Shows the last page.
    pub fn bottom(&mut self, rows: usize) {
        let max = self.max_scroll(rows);
        self.scroll[self.tab.index()] = max;
    }

    /// Switches tab by `step` (wrapping); each tab keeps its own scroll.
    pub fn switch_tab(&mut self, step: isize) {
        let n = Tab::ALL.len() as isize;
        self.tab = Tab::ALL[(self.tab.index() as isize + step).rem_euclid(n) as usize];
        self.search.hit = None;
    }

    /// Jumps to the next (or previous) line matching the search, scrolling it into view.
    pub fn search_step(&mut self, forward: bool, rows: usize) {
        let from = self.search.hit.unwrap_or_else(|| {
            // Start just before the first visible line so a match on it is found first.
            if forward {
                self.scroll().wrapping_sub(1)
            } else {
                self.scroll()
            }
        });
        let found = self.lines().and_then(|lines| {
            let from = if from == usize::MAX {
                lines.len().saturating_sub(1)
            } else {
                from
            };
            lines.find(&self.search.query, from, forward)
        });
        self.search.hit = found;
        self.search.not_found = found.is_none() && !self.search.query.is_empty();
        if let Some(line) = found {
            let top = self.scroll();
            if line < top || line >= top + rows.max(1) {
                let target = line.saturating_sub(rows / 3);
                let max = self.max_scroll(rows);
                self.scroll[self.tab.index()] = target.min(max);
            }
        }
    }
}
