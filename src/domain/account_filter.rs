//! The accounts list's view, as its URL carries it (docs/product.md → Pages):
//! `?status=active|expiring|needs_reauth|disconnected|all&platform=facebook|instagram|threads&q=…
//! &sort=name|platform|status|expiry|last_used` (a leading `-` sorts descending) `&page=N`.
//! Read leniently — an unknown or malformed value falls back to its default, never an error —
//! and written back the same way, so every link on the page is a bookmarkable view.

use super::{AccountStatus, Platform};

/// The longest search kept (longer input is cut, not refused).
pub const MAX_QUERY_CHARS: usize = 100;
/// Rows a page.
pub const PAGE_SIZE: u64 = 50;
/// The highest page number read; beyond it is the last page anyway at any real size.
pub const MAX_PAGE: u64 = 100_000;

/// Which accounts, by status. "Expiring soon" is a view of Active accounts, not a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    #[default]
    Active,
    Expiring,
    NeedsReauth,
    Disconnected,
    All,
}

impl StatusFilter {
    pub const ALL: [StatusFilter; 5] = [
        StatusFilter::Active,
        StatusFilter::Expiring,
        StatusFilter::NeedsReauth,
        StatusFilter::Disconnected,
        StatusFilter::All,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StatusFilter::Active => "active",
            StatusFilter::Expiring => "expiring",
            StatusFilter::NeedsReauth => "needs_reauth",
            StatusFilter::Disconnected => "disconnected",
            StatusFilter::All => "all",
        }
    }

    /// The Status select's wording.
    pub fn label(self) -> &'static str {
        match self {
            StatusFilter::Active => "Active",
            StatusFilter::Expiring => "Expiring soon",
            StatusFilter::NeedsReauth => "Needs Reauthorization",
            StatusFilter::Disconnected => "Disconnected",
            StatusFilter::All => "All",
        }
    }

    /// The stored status this view selects (`Expiring` selects Active ones, then narrows).
    pub fn status(self) -> Option<AccountStatus> {
        match self {
            StatusFilter::Active | StatusFilter::Expiring => Some(AccountStatus::Active),
            StatusFilter::NeedsReauth => Some(AccountStatus::NeedsReauth),
            StatusFilter::Disconnected => Some(AccountStatus::Disconnected),
            StatusFilter::All => None,
        }
    }
}

/// Which accounts, by platform. Instagram covers Business and Creator alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlatformFilter {
    #[default]
    All,
    Facebook,
    Instagram,
    Threads,
}

impl PlatformFilter {
    pub const ALL: [PlatformFilter; 4] = [
        PlatformFilter::All,
        PlatformFilter::Facebook,
        PlatformFilter::Instagram,
        PlatformFilter::Threads,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PlatformFilter::All => "all",
            PlatformFilter::Facebook => "facebook",
            PlatformFilter::Instagram => "instagram",
            PlatformFilter::Threads => "threads",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PlatformFilter::All => "All",
            PlatformFilter::Facebook => "Facebook",
            PlatformFilter::Instagram => "Instagram",
            PlatformFilter::Threads => "Threads",
        }
    }

    /// The stored platforms this view selects; empty means every platform.
    pub fn platforms(self) -> &'static [Platform] {
        match self {
            PlatformFilter::All => &[],
            PlatformFilter::Facebook => &[Platform::FacebookPage],
            PlatformFilter::Instagram => &[Platform::InstagramBusiness, Platform::InstagramCreator],
            PlatformFilter::Threads => &[Platform::Threads],
        }
    }
}

/// The column a list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    Name,
    Platform,
    Status,
    Expiry,
    LastUsed,
}

impl SortKey {
    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Name => "name",
            SortKey::Platform => "platform",
            SortKey::Status => "status",
            SortKey::Expiry => "expiry",
            SortKey::LastUsed => "last_used",
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        [
            SortKey::Name,
            SortKey::Platform,
            SortKey::Status,
            SortKey::Expiry,
            SortKey::LastUsed,
        ]
        .into_iter()
        .find(|key| key.as_str() == raw)
    }
}

/// A sort: a column and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

impl Sort {
    /// `name`, `-expiry`, …
    pub fn as_param(self) -> String {
        format!(
            "{}{}",
            if self.descending { "-" } else { "" },
            self.key.as_str()
        )
    }
}

/// One view of the accounts list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AccountFilter {
    pub status: StatusFilter,
    pub platform: PlatformFilter,
    /// The search, trimmed, at most [`MAX_QUERY_CHARS`] characters.
    pub q: String,
    pub sort: Sort,
    /// 1-based, at most [`MAX_PAGE`].
    pub page: u64,
}

impl AccountFilter {
    /// Reads a view from query parameters; what can't be read takes its default.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut filter = AccountFilter {
            page: 1,
            ..Self::default()
        };
        for (key, value) in pairs {
            let value = value.trim();
            match key {
                "status" => {
                    filter.status = StatusFilter::ALL
                        .into_iter()
                        .find(|s| s.as_str() == value)
                        .unwrap_or_default()
                }
                "platform" => {
                    filter.platform = PlatformFilter::ALL
                        .into_iter()
                        .find(|p| p.as_str() == value)
                        .unwrap_or_default()
                }
                "q" => filter.q = value.chars().take(MAX_QUERY_CHARS).collect(),
                "sort" => {
                    let (descending, name) = match value.strip_prefix('-') {
                        Some(rest) => (true, rest),
                        None => (false, value),
                    };
                    filter.sort = SortKey::parse(name)
                        .map(|key| Sort { key, descending })
                        .unwrap_or_default();
                }
                "page" => {
                    filter.page = value
                        .parse::<u64>()
                        .ok()
                        .filter(|page| *page >= 1)
                        .map(|page| page.min(MAX_PAGE))
                        .unwrap_or(1)
                }
                _ => {}
            }
        }
        filter
    }

    /// The query string of this view (defaults left out), for links and the form.
    pub fn to_query(&self) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        if self.status != StatusFilter::default() {
            query.append_pair("status", self.status.as_str());
        }
        if self.platform != PlatformFilter::default() {
            query.append_pair("platform", self.platform.as_str());
        }
        if !self.q.is_empty() {
            query.append_pair("q", &self.q);
        }
        if self.sort != Sort::default() {
            query.append_pair("sort", &self.sort.as_param());
        }
        if self.page > 1 {
            query.append_pair("page", &self.page.to_string());
        }
        query.finish()
    }

    /// This view on another page.
    pub fn on_page(&self, page: u64) -> Self {
        Self {
            page: page.clamp(1, MAX_PAGE),
            ..self.clone()
        }
    }

    /// This view sorted by `key`: ascending first, descending when already ascending by it.
    pub fn sorted_by(&self, key: SortKey) -> Self {
        let descending = self.sort.key == key && !self.sort.descending;
        Self {
            sort: Sort { key, descending },
            page: 1,
            ..self.clone()
        }
    }

    /// Rows to skip for this page.
    pub fn offset(&self) -> u64 {
        (self.page.max(1) - 1).saturating_mul(PAGE_SIZE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(query: &str) -> AccountFilter {
        let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect();
        AccountFilter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    #[test]
    fn the_default_view_is_active_accounts_of_every_platform_by_name_on_page_one() {
        let filter = read("");
        assert_eq!(filter.status, StatusFilter::Active);
        assert_eq!(filter.platform, PlatformFilter::All);
        assert_eq!(filter.sort, Sort::default());
        assert_eq!((filter.page, filter.offset()), (1, 0));
        assert_eq!(filter.to_query(), "");
    }

    #[test]
    fn every_value_reads_and_writes_back_the_same() {
        let filter =
            read("status=expiring&platform=instagram&q=Acme+%26+Co&sort=-last_used&page=3");
        assert_eq!(filter.status, StatusFilter::Expiring);
        assert_eq!(filter.platform, PlatformFilter::Instagram);
        assert_eq!(filter.q, "Acme & Co");
        assert_eq!(
            filter.sort,
            Sort {
                key: SortKey::LastUsed,
                descending: true
            }
        );
        assert_eq!(filter.offset(), 100);
        assert_eq!(read(&filter.to_query()), filter);
    }

    #[test]
    fn unknown_or_malformed_values_fall_back_to_their_defaults() {
        let filter = read("status=banned&platform=myspace&sort=-shoe_size&page=-4");
        assert_eq!(filter, read(""));
        for page in ["0", "abc", "", "1e9", "99999999999999999999999"] {
            assert_eq!(read(&format!("page={page}")).page, 1, "{page}");
        }
        assert_eq!(read("page=18446744073709551615").page, MAX_PAGE);
        assert_eq!(
            read(&format!("q={}", "x".repeat(500))).q.len(),
            MAX_QUERY_CHARS
        );
    }

    #[test]
    fn a_header_link_sorts_ascending_then_descending_and_goes_back_to_page_one() {
        let filter = read("page=4");
        let by_expiry = filter.sorted_by(SortKey::Expiry);
        assert_eq!(by_expiry.to_query(), "sort=expiry");
        assert_eq!(
            by_expiry.sorted_by(SortKey::Expiry).to_query(),
            "sort=-expiry"
        );
        assert_eq!(read("").sorted_by(SortKey::Name).to_query(), "sort=-name");
    }
}
