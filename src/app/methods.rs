//! Pane 2: the methods of the selected account connector's connector release.

use super::list::{ListPane, Searchable};
use crate::cyclr::Method;
use std::ops::{Deref, DerefMut};

/// How the methods are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MethodSort {
    /// By category, then name: methods grouped as Cyclr groups them.
    #[default]
    Category,
    Name,
    Id,
}

impl MethodSort {
    /// The next order in the cycle.
    #[must_use]
    pub fn next(self) -> Self {
        match self {
            MethodSort::Category => MethodSort::Name,
            MethodSort::Name => MethodSort::Id,
            MethodSort::Id => MethodSort::Category,
        }
    }

    /// A short label for the pane title.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            MethodSort::Category => "by category",
            MethodSort::Name => "by name",
            MethodSort::Id => "by id",
        }
    }
}

/// Which account connector the methods belong to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MethodsOwner {
    pub account_connector_id: i64,
    pub connector_id: i64,
    pub name: String,
}

/// The methods of one connector release, sorted and filterable: a list pane (its items
/// and filter through `Deref`) with the account connector they belong to and their order.
#[derive(Debug, Default)]
pub struct MethodsPane {
    pub owner: Option<MethodsOwner>,
    pub sort: MethodSort,
    entries: ListPane<Method>,
}

impl Deref for MethodsPane {
    type Target = ListPane<Method>;
    fn deref(&self) -> &ListPane<Method> {
        &self.entries
    }
}

impl DerefMut for MethodsPane {
    fn deref_mut(&mut self) -> &mut ListPane<Method> {
        &mut self.entries
    }
}

impl MethodsPane {
    /// Shows freshly loaded methods in the current order.
    pub fn set_items(&mut self, items: Vec<Method>) {
        let order = order(&items, self.sort);
        self.entries.set_items_ordered(items, order);
    }

    /// Switches to the next sort order.
    pub fn cycle_sort(&mut self) {
        self.sort = self.sort.next();
        if let Some(items) = self.entries.items.ready() {
            let order = order(items, self.sort);
            self.entries.list.set_order(order);
        }
    }
}

/// The display order of `items` (indexes) under `sort`.
pub(super) fn order(items: &[Method], sort: MethodSort) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    let name = |i: usize| items[i].name.as_deref().unwrap_or("").to_lowercase();
    match sort {
        MethodSort::Category => order.sort_by_cached_key(|&i| {
            (
                items[i].category.as_deref().unwrap_or("~").to_lowercase(),
                name(i),
            )
        }),
        MethodSort::Name => order.sort_by_cached_key(|&i| name(i)),
        MethodSort::Id => order.sort_by_key(|&i| items[i].id.unwrap_or(i64::MAX)),
    }
    order
}

impl Searchable for Method {
    fn search_key(&self) -> String {
        format!(
            "{} {} {} {}",
            self.name.as_deref().unwrap_or(""),
            self.category.as_deref().unwrap_or(""),
            self.id.map(|id| id.to_string()).unwrap_or_default(),
            self.method_unique_identifier.as_deref().unwrap_or(""),
        )
    }
}
