//! Pane 1: the account's connectors, every page, filterable.

use super::list::{ListPane, Searchable};
use crate::cyclr::AccountConnector;

/// The account connectors, in the server's order.
pub type ConnectorsPane = ListPane<AccountConnector>;

impl Searchable for AccountConnector {
    fn search_key(&self) -> String {
        let connector = self.connector.as_ref();
        format!(
            "{} {} {} {}",
            self.name.as_deref().unwrap_or(""),
            connector.and_then(|c| c.name.as_deref()).unwrap_or(""),
            self.id.map(|id| id.to_string()).unwrap_or_default(),
            connector.and_then(|c| c.version.as_deref()).unwrap_or(""),
        )
    }
}
