//! Pane 1: the account's connectors.

use super::list::FilteredList;
use super::loadable::Loadable;
use crate::cyclr::AccountConnector;

/// The account connectors, every page, filterable.
#[derive(Debug, Default)]
pub struct ConnectorsPane {
    pub items: Loadable<Vec<AccountConnector>>,
    pub list: FilteredList,
}

impl ConnectorsPane {
    /// Shows freshly loaded connectors, in the server's order.
    pub fn set_items(&mut self, items: Vec<AccountConnector>) {
        let keys = items.iter().map(search_key).collect();
        let filter = self.list.filter().to_string();
        self.list = FilteredList::new(keys, (0..items.len()).collect());
        self.list.set_filter(filter);
        self.items = Loadable::Ready(items);
    }

    /// The selected account connector.
    pub fn selected(&self) -> Option<&AccountConnector> {
        let items = self.items.ready()?;
        items.get(self.list.selected_item()?)
    }
}

fn search_key(c: &AccountConnector) -> String {
    let connector = c.connector.as_ref();
    format!(
        "{} {} {} {}",
        c.name.as_deref().unwrap_or(""),
        connector.and_then(|c| c.name.as_deref()).unwrap_or(""),
        c.id.map(|id| id.to_string()).unwrap_or_default(),
        connector.and_then(|c| c.version.as_deref()).unwrap_or(""),
    )
}
