//! Lists that can be filtered as you type, with a selection that survives filtering, and
//! the generic list pane built on them (remote items, their filter and selection).

use super::loadable::Loadable;
use crate::effect::RequestId;
use crate::msg::CallError;

/// What a list's filter matches an item against.
pub trait Searchable {
    /// The text the filter looks in (names, ids, …); matched ignoring case.
    fn search_key(&self) -> String;
}

/// A list pane's data: the items as they load, and which of them show and are selected.
#[derive(Debug, Clone)]
pub struct ListPane<T> {
    pub items: Loadable<Vec<T>>,
    pub list: FilteredList,
}

impl<T> Default for ListPane<T> {
    fn default() -> Self {
        ListPane {
            items: Loadable::Idle,
            list: FilteredList::default(),
        }
    }
}

impl<T: Searchable> ListPane<T> {
    /// A list of `items`, ready, in the order given: built where the work does not hold up
    /// the screen (a worker task), then swapped in.
    #[must_use]
    pub fn ready(items: Vec<T>) -> Self {
        let mut pane = ListPane::default();
        pane.set_items(items);
        pane
    }

    /// Shows freshly loaded items in the order they came, keeping the filter typed so far.
    pub fn set_items(&mut self, items: Vec<T>) {
        let order = (0..items.len()).collect();
        self.set_items_ordered(items, order);
    }

    /// Shows freshly loaded items in `order` (item indexes), keeping the filter typed so far.
    pub fn set_items_ordered(&mut self, items: Vec<T>, order: Vec<usize>) {
        let keys = items.iter().map(Searchable::search_key).collect();
        let filter = self.list.filter().to_string();
        self.list = FilteredList::new(keys, order);
        self.list.set_filter(filter);
        self.items = Loadable::Ready(items);
    }

    /// Takes the reply to load `id`; a stale reply is dropped. `order` puts loaded items in
    /// display order.
    pub fn reply(
        &mut self,
        id: RequestId,
        result: Result<Vec<T>, CallError>,
        order: impl FnOnce(&[T]) -> Vec<usize>,
    ) {
        if let Some(items) = self.items.reply(id, result) {
            let order = order(&items);
            self.set_items_ordered(items, order);
        }
    }

    /// The selected item.
    #[must_use]
    pub fn selected(&self) -> Option<&T> {
        self.items.ready()?.get(self.list.selected_item()?)
    }
}

/// Which items show, in what order, and which one is selected.
#[derive(Debug, Clone, Default)]
pub struct FilteredList {
    /// Lower-case text each item is matched against, computed once.
    keys: Vec<String>,
    /// Item indexes in display order (before filtering).
    order: Vec<usize>,
    /// Item indexes that pass the filter, in display order.
    visible: Vec<usize>,
    /// Position in `visible`.
    selected: usize,
    filter: String,
}

impl FilteredList {
    /// A list over items with these search keys, shown in `order`.
    #[must_use]
    pub fn new(keys: Vec<String>, order: Vec<usize>) -> Self {
        let keys = keys.into_iter().map(|k| k.to_lowercase()).collect();
        let mut list = FilteredList {
            keys,
            visible: order.clone(),
            order,
            selected: 0,
            filter: String::new(),
        };
        list.apply_filter();
        list
    }

    /// The filter text as typed.
    #[must_use]
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// Replaces the filter; the selected item stays selected if it still shows.
    pub fn set_filter(&mut self, filter: String) {
        self.filter = filter;
        self.apply_filter();
    }

    /// Changes the display order, keeping the selected item.
    pub fn set_order(&mut self, order: Vec<usize>) {
        self.order = order;
        self.apply_filter();
    }

    fn apply_filter(&mut self) {
        let current = self.selected_item();
        let terms: Vec<String> = self
            .filter
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        self.visible = self
            .order
            .iter()
            .copied()
            .filter(|&i| {
                terms
                    .iter()
                    .all(|t| self.keys.get(i).is_some_and(|k| k.contains(t.as_str())))
            })
            .collect();
        self.selected = current
            .and_then(|item| self.visible.iter().position(|&i| i == item))
            .unwrap_or(0);
    }

    /// Item indexes that show, in order.
    #[must_use]
    pub fn visible(&self) -> &[usize] {
        &self.visible
    }

    /// Position of the selection among the visible items.
    #[must_use]
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The selected item's index, if anything shows.
    #[must_use]
    pub fn selected_item(&self) -> Option<usize> {
        self.visible.get(self.selected).copied()
    }

    /// Total items, filtered or not.
    #[must_use]
    pub fn total(&self) -> usize {
        self.keys.len()
    }

    /// Moves the selection by `delta` rows, stopping at the ends.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.visible.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// Selects visible row `row` (clamped).
    pub fn select_row(&mut self, row: usize) {
        self.selected = row.min(self.visible.len().saturating_sub(1));
    }

    /// Selects the first row.
    pub fn top(&mut self) {
        self.selected = 0;
    }

    /// Selects the last row.
    pub fn bottom(&mut self) {
        self.selected = self.visible.len().saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> FilteredList {
        let keys = ["Salesforce Sales", "HubSpot", "Salesforce Support", "Slack"];
        FilteredList::new(
            keys.iter().map(ToString::to_string).collect(),
            vec![0, 1, 2, 3],
        )
    }

    #[test]
    fn filters_by_every_term_and_keeps_the_selection() {
        let mut l = list();
        l.move_by(2);
        assert_eq!(l.selected_item(), Some(2));
        l.set_filter("SALES sup".into());
        assert_eq!(l.visible(), [2]);
        assert_eq!(l.selected_item(), Some(2));
        l.set_filter("nothing".into());
        assert_eq!(l.selected_item(), None);
        l.set_filter(String::new());
        assert_eq!(l.selected_item(), Some(0));
    }

    #[test]
    fn moves_within_bounds() {
        let mut l = list();
        l.move_by(-5);
        assert_eq!(l.selected(), 0);
        l.move_by(50);
        assert_eq!(l.selected(), 3);
        l.select_row(99);
        assert_eq!(l.selected(), 3);
        let mut empty = FilteredList::default();
        empty.move_by(1);
        empty.bottom();
        assert_eq!(empty.selected_item(), None);
    }
}
