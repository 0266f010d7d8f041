//! The pager under every paged list: previous, the page numbers around this one (with the first
//! and last), next — each a link that keeps the list's other query parameters.

/// One link of a pager.
#[derive(Debug, Clone)]
pub struct PageLink {
    pub label: String,
    /// What a screen reader says: 第N页 for a number, the label for 上一页 / 下一页.
    pub aria: String,
    pub href: String,
    pub current: bool,
}

/// The links under a list; empty when everything fits on one page. Drawn by `_pager.html`.
#[derive(Debug, Clone, Default)]
pub struct Pager {
    pub links: Vec<PageLink>,
}

impl Pager {
    /// Links to the pages of a list of `total` items, `per_page` a page, at `base` (a path with
    /// its other query parameters, ending in `?` or `&`).
    pub fn new(base: &str, page: u64, per_page: u64, total: u64) -> Pager {
        let pages = total.div_ceil(per_page.max(1)).max(1);
        if pages <= 1 {
            return Pager::default();
        }
        let link = |label: String, p: u64| PageLink {
            aria: if label.chars().all(|c| c.is_ascii_digit()) {
                format!("第{label}页")
            } else {
                label.clone()
            },
            label,
            href: format!("{base}page={p}"),
            current: p == page,
        };
        let mut links = Vec::new();
        if page > 1 {
            links.push(link("上一页".into(), page - 1));
        }
        let from = page.saturating_sub(3).max(1);
        let to = (page + 3).min(pages);
        if from > 1 {
            links.push(link("1".into(), 1));
        }
        for p in from..=to {
            links.push(link(p.to_string(), p));
        }
        if to < pages {
            links.push(link(pages.to_string(), pages));
        }
        if page < pages {
            links.push(link("下一页".into(), page + 1));
        }
        Pager { links }
    }

    /// [`Pager::new`] at `path`, keeping the query's other non-empty parameters.
    pub fn keeping(
        path: &str,
        query: &[(String, String)],
        page: u64,
        per_page: u64,
        total: u64,
    ) -> Pager {
        let kept = kept_query(query);
        let base = if kept.is_empty() {
            format!("{path}?")
        } else {
            format!("{path}?{kept}&")
        };
        Pager::new(&base, page, per_page, total)
    }
}

/// The query's non-blank pairs but `page`, encoded (`county=611002&q=%E5%8E%BF`).
pub fn kept_query(query: &[(String, String)]) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in query.iter().filter(|(k, v)| k != "page" && !v.is_empty()) {
        q.append_pair(k, v);
    }
    q.finish()
}

/// `path` with the query's filters kept (not its page): a download of what a page lists.
pub fn keeping_href(path: &str, query: &[(String, String)]) -> String {
    let kept = kept_query(query);
    if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{kept}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_the_filters_and_mark_the_current_page() {
        let query = vec![
            ("county".to_owned(), "611002".to_owned()),
            ("q".to_owned(), String::new()),
            ("page".to_owned(), "2".to_owned()),
        ];
        let pager = Pager::keeping("/projects", &query, 2, 50, 239);
        let labels: Vec<&str> = pager.links.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, ["上一页", "1", "2", "3", "4", "5", "下一页"]);
        assert_eq!(pager.links[0].href, "/projects?county=611002&page=1");
        assert!(pager.links[2].current);
        assert!(Pager::keeping("/projects", &[], 1, 50, 50).links.is_empty());
    }
}
