//! What the seeded accounts are, decided before anything is written: the platform and status
//! mix of a large agency's workspace, names and usernames that read like real ones, varied
//! token expiries and last uses. Reproducible from a seed, so every run benchmarks the same rows.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use switchboard::domain::{AccountStatus, Platform};

pub const DAY: i64 = 86_400;

const BRANDS: [&str; 12] = [
    "Acme",
    "Northwind",
    "Blue Harbor",
    "Sunrise",
    "Maple",
    "Copper",
    "Lumen",
    "Riverside",
    "Atlas",
    "Juniper",
    "Harbor Lane",
    "Old Mill",
];
/// "Bakery" is one in ten: the benchmark's search term matches about a tenth of the rows.
const TRADES: [&str; 10] = [
    "Bakery",
    "Coffee",
    "Studio",
    "Fitness",
    "Books",
    "Florist",
    "Garage",
    "Dental",
    "Kitchen",
    "Outfitters",
];

/// One account to insert, before ids are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub platform: Platform,
    pub external_id: String,
    pub name: String,
    pub username: Option<String>,
    /// An Instagram Business account reached through a Page (its parent is picked at insert).
    pub through_page: bool,
    pub status: AccountStatus,
    pub status_reason: Option<String>,
    pub token_expires_at: Option<i64>,
    pub search_text: String,
    pub connected_at: i64,
    pub last_used_at: Option<i64>,
}

/// The mix of platforms (≈40 % Pages, 35 % Instagram Business, 10 % Creator, 15 % Threads) and
/// statuses (≈80 % active, 15 % needs reauthorization, 5 % disconnected), reproducible from
/// `seed`.
pub fn plan(count: usize, now: i64, seed: u64) -> Vec<Planned> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..count)
        .map(|index| {
            let platform = match rng.gen_range(0..100) {
                0..=39 => Platform::FacebookPage,
                40..=74 => Platform::InstagramBusiness,
                75..=84 => Platform::InstagramCreator,
                _ => Platform::Threads,
            };
            let (status, status_reason) = match rng.gen_range(0..100) {
                0..=79 => (AccountStatus::Active, None),
                80..=94 => (
                    AccountStatus::NeedsReauth,
                    Some(if rng.gen_bool(0.7) {
                        "Token expired"
                    } else {
                        "Permission removed"
                    }),
                ),
                _ => (
                    AccountStatus::Disconnected,
                    Some("Disconnected by a member"),
                ),
            };
            let brand = BRANDS[rng.gen_range(0..BRANDS.len())];
            let trade = TRADES[rng.gen_range(0..TRADES.len())];
            let name = format!("{brand} {trade} {index:04}");
            let handle = format!("{brand}.{trade}.{index:04}")
                .to_lowercase()
                .replace(' ', "");
            let username = match platform {
                Platform::FacebookPage if rng.gen_bool(0.2) => None,
                _ => Some(handle),
            };
            let token_expires_at = match (status, rng.gen_range(0..100)) {
                (AccountStatus::NeedsReauth, _) => Some(now - rng.gen_range(3600..30 * DAY)),
                (_, 0..=11) => Some(now + rng.gen_range(3600..7 * DAY)),
                (_, 12..=59) => Some(now + rng.gen_range(8 * DAY..60 * DAY)),
                _ => None,
            };
            let search_text = search_text(&name, username.as_deref());
            Planned {
                platform,
                external_id: (17_000_000_000 + index as u64).to_string(),
                name,
                username,
                through_page: platform == Platform::InstagramBusiness && rng.gen_bool(0.6),
                status,
                status_reason: status_reason.map(str::to_owned),
                token_expires_at,
                search_text,
                connected_at: now - rng.gen_range(DAY..365 * DAY),
                last_used_at: (!rng.gen_bool(0.3)).then(|| now - rng.gen_range(60..30 * DAY)),
            }
        })
        .collect()
}

/// The lower-cased `"{name} {username}"`, exactly as `connect::store::account::upsert` builds it.
pub fn search_text(name: &str, username: Option<&str>) -> String {
    let search = format!("{} {}", name, username.unwrap_or_default()).to_lowercase();
    search.chars().take(520).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(rows: &[Planned], keep: impl Fn(&Planned) -> bool) -> f64 {
        rows.iter().filter(|p| keep(p)).count() as f64 / rows.len() as f64
    }

    #[test]
    fn the_plan_mixes_platforms_and_statuses_as_a_large_agency_would() {
        let rows = plan(10_000, 1_800_000_000, 42);
        let near = |value: f64, target: f64| (value - target).abs() < 0.02;
        assert!(near(
            share(&rows, |p| p.platform == Platform::FacebookPage),
            0.40
        ));
        assert!(near(
            share(&rows, |p| p.platform == Platform::InstagramBusiness),
            0.35
        ));
        assert!(near(
            share(&rows, |p| p.platform == Platform::InstagramCreator),
            0.10
        ));
        assert!(near(
            share(&rows, |p| p.platform == Platform::Threads),
            0.15
        ));
        assert!(near(
            share(&rows, |p| p.status == AccountStatus::Active),
            0.80
        ));
        assert!(near(
            share(&rows, |p| p.status == AccountStatus::NeedsReauth),
            0.15
        ));
        assert!(share(&rows, |p| p.through_page) > 0.15);
        assert!(share(&rows, |p| p.last_used_at.is_none()) > 0.2);
        let soon = |p: &Planned| {
            p.token_expires_at
                .is_some_and(|t| t < 1_800_000_000 + 7 * DAY)
        };
        assert!(share(&rows, soon) > 0.1);
    }

    #[test]
    fn search_text_is_the_lower_cased_name_and_username() {
        let rows = plan(50, 0, 1);
        let row = rows.iter().find(|p| p.username.is_some()).map(|p| {
            assert_eq!(
                p.search_text,
                format!("{} {}", p.name, p.username.clone().unwrap_or_default()).to_lowercase()
            );
        });
        assert!(row.is_some());
        assert_eq!(search_text("Acme Bakery 0042", None), "acme bakery 0042 ");
    }

    #[test]
    fn names_and_usernames_read_like_real_accounts() {
        let rows = plan(100, 0, 7);
        let row = &rows[42];
        assert!(row.name.ends_with(" 0042"), "{}", row.name);
        if let Some(username) = &row.username {
            assert!(
                username.ends_with(".0042") && !username.contains(' '),
                "{username}"
            );
        }
    }

    #[test]
    fn the_benchmarks_filters_match_more_than_a_page_of_rows() {
        let rows = plan(10_000, 0, 42);
        let matched = rows
            .iter()
            .filter(|p| p.status == AccountStatus::Active)
            .filter(|p| {
                matches!(
                    p.platform,
                    Platform::InstagramBusiness | Platform::InstagramCreator
                )
            })
            .filter(|p| p.search_text.contains("bakery"))
            .count();
        assert!(matched >= 50, "{matched}");
    }

    #[test]
    fn about_a_tenth_of_the_rows_match_the_benchmark_search() {
        let rows = plan(10_000, 0, 42);
        let matched = share(&rows, |p| p.search_text.contains("bakery"));
        assert!((0.08..0.12).contains(&matched), "{matched}");
    }
}
