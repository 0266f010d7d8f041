//! Pages of a list: every list endpoint takes `page` (from 1) and `per_page` (1–200, default
//! 50) and answers `{"items": […], "total": N, "page": P, "per_page": K}`. A page past the end
//! is empty and still tells the true total; a page number too large to reach any row is a 422,
//! never an overflow.
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait, QuerySelect, Select};
use serde::{Deserialize, Serialize};

use crate::domain::FieldError;

pub const DEFAULT_PER_PAGE: u64 = 50;
pub const MAX_PER_PAGE: u64 = 200;

/// One page of a list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many items the whole list holds, across all pages.
    pub total: u64,
    /// This page's number, from 1.
    pub page: u64,
    /// Items per page asked for.
    pub per_page: u64,
}

impl<T> Page<T> {
    /// The same page with each item turned into another.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        }
    }

    pub fn try_map<U, E>(self, f: impl FnMut(T) -> Result<U, E>) -> Result<Page<U>, E> {
        Ok(Page {
            items: self.items.into_iter().map(f).collect::<Result<_, _>>()?,
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        })
    }
}

/// `page` and `per_page` as a query sends them, for query structs that take nothing else.
#[derive(Debug, Clone, Copy, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page number, from 1.
    pub page: Option<u64>,
    /// Items per page, 1–200 (default 50).
    pub per_page: Option<u64>,
}

/// Checked paging parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    pub page: u64,
    pub per_page: u64,
}

impl Default for Paging {
    fn default() -> Self {
        Paging {
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

impl Paging {
    /// Checks `page` ≥ 1 and `per_page` in 1–200, adding a message naming each wrong one to
    /// `errors` (which the caller answers with, beside its other checks, as a 422).
    pub fn check(page: Option<u64>, per_page: Option<u64>, errors: &mut Vec<FieldError>) -> Paging {
        Self::check_with_default(page, per_page, DEFAULT_PER_PAGE, errors)
    }

    /// [`check`](Self::check) for a list whose default page size is not 50.
    pub fn check_with_default(
        page: Option<u64>,
        per_page: Option<u64>,
        default_per_page: u64,
        errors: &mut Vec<FieldError>,
    ) -> Paging {
        let page = page.unwrap_or(1);
        let per_page = per_page.unwrap_or(default_per_page);
        if page == 0 {
            errors.push(FieldError::new("page", "页码 page 应为不小于 1 的整数"));
        }
        if !(1..=MAX_PER_PAGE).contains(&per_page) {
            errors.push(FieldError::new(
                "per_page",
                format!("每页条数 per_page 应为 1 到 {MAX_PER_PAGE} 之间的整数"),
            ));
        }
        let paging = Paging {
            page: page.max(1),
            per_page: per_page.clamp(1, MAX_PER_PAGE),
        };
        // A page that starts beyond any row a database can number is no page at all.
        let last = i64::MAX as u64 / paging.per_page;
        if page > last {
            errors.push(FieldError::new(
                "page",
                format!("页码 page 过大，应为 1 到 {last} 之间的整数"),
            ));
        }
        paging
    }

    /// The rows to skip, or `None` when the page lies beyond any list this database can hold.
    fn offset(self) -> Option<u64> {
        (self.page - 1)
            .checked_mul(self.per_page)
            .filter(|o| *o <= i64::MAX as u64)
    }

    /// This page of a list held in memory.
    pub fn slice<T>(self, all: Vec<T>) -> Page<T> {
        let total = all.len() as u64;
        let items = match self.offset() {
            Some(offset) if offset < total => all
                .into_iter()
                .skip(offset as usize)
                .take(self.per_page as usize)
                .collect(),
            _ => Vec::new(),
        };
        Page {
            items,
            total,
            page: self.page,
            per_page: self.per_page,
        }
    }

    /// This page of a query, with the total count of its rows.
    pub async fn fetch<E, C>(
        self,
        db: &C,
        select: Select<E>,
    ) -> crate::error::Result<Page<E::Model>>
    where
        E: EntityTrait,
        E::Model: Send + Sync,
        C: ConnectionTrait,
    {
        let total = select.clone().count(db).await?;
        let items = match self.offset() {
            Some(offset) if offset < total => {
                select.offset(offset).limit(self.per_page).all(db).await?
            }
            _ => Vec::new(),
        };
        Ok(Page {
            items,
            total,
            page: self.page,
            per_page: self.per_page,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_slice_and_never_overflow() {
        let mut errors = Vec::new();
        let p = Paging::check(Some(2), Some(2), &mut errors);
        assert!(errors.is_empty());
        let page = p.slice(vec![1, 2, 3, 4, 5]);
        assert_eq!((page.items, page.total), (vec![3, 4], 5));
        let far = Paging::check(Some(1000), Some(200), &mut errors).slice(vec![1]);
        assert_eq!((far.items.len(), far.total), (0, 1));
        assert!(errors.is_empty());
        Paging::check(Some(u64::MAX), Some(200), &mut errors);
        assert_eq!(errors.len(), 1);
        errors.clear();
        Paging::check(Some(0), Some(1000), &mut errors);
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["page", "per_page"]);
    }
}
