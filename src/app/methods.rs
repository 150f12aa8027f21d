//! Pane 2: the methods of the selected account connector's connector release.

use super::list::FilteredList;
use super::loadable::Loadable;
use crate::cyclr::Method;

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
    pub fn next(self) -> Self {
        match self {
            MethodSort::Category => MethodSort::Name,
            MethodSort::Name => MethodSort::Id,
            MethodSort::Id => MethodSort::Category,
        }
    }

    /// A short label for the pane title.
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

/// The methods of one connector release, sorted and filterable.
#[derive(Debug, Default)]
pub struct MethodsPane {
    pub owner: Option<MethodsOwner>,
    pub items: Loadable<Vec<Method>>,
    pub list: FilteredList,
    pub sort: MethodSort,
}

impl MethodsPane {
    /// Shows freshly loaded methods in the current order.
    pub fn set_items(&mut self, items: Vec<Method>) {
        let keys = items.iter().map(search_key).collect();
        self.list = FilteredList::new(keys, order(&items, self.sort));
        self.items = Loadable::Ready(items);
    }

    /// Switches to the next sort order.
    pub fn cycle_sort(&mut self) {
        self.sort = self.sort.next();
        if let Some(items) = self.items.ready() {
            let order = order(items, self.sort);
            self.list.set_order(order);
        }
    }

    /// The selected method.
    pub fn selected(&self) -> Option<&Method> {
        self.items.ready()?.get(self.list.selected_item()?)
    }
}

fn order(items: &[Method], sort: MethodSort) -> Vec<usize> {
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

fn search_key(m: &Method) -> String {
    format!(
        "{} {} {} {}",
        m.name.as_deref().unwrap_or(""),
        m.category.as_deref().unwrap_or(""),
        m.id.map(|id| id.to_string()).unwrap_or_default(),
        m.method_unique_identifier.as_deref().unwrap_or(""),
    )
}
