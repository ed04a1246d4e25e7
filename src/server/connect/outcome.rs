//! The flash a finished connection leaves (docs/product.md → Names and wording → success
//! flash): "Connected N accounts", or after a Reconnect "Reconnected N accounts", followed where
//! they apply by " · N new" and " · N not included", then what the plan has to say (Instagram
//! permissions not granted, Pages that can't be connected, Instagram accounts already
//! connected directly). N counts the accounts connected or renewed.

use super::discovery;
use super::flow::Accounts;
use super::store::Stored;

fn accounts(count: usize) -> &'static str {
    if count == 1 {
        "account"
    } else {
        "accounts"
    }
}

/// The first part: what was connected, and for a Reconnect what is new.
pub fn headline(reconnect: bool, stored: &Stored) -> String {
    let mut parts = vec![match reconnect {
        true => format!("Reconnected {} {}", stored.count, accounts(stored.count)),
        false => discovery::connected(stored.count),
    }];
    if reconnect && stored.new > 0 {
        parts.push(format!("{} new", stored.new));
    }
    // A Connect that leaves Pages out says so too: the rule is the same (docs/product.md).
    if stored.not_included > 0 {
        parts.push(format!("{} not included", stored.not_included));
    }
    parts.join(" · ")
}

/// The whole flash.
pub fn summary(reconnect: bool, stored: &Stored, found: &Accounts) -> String {
    let mut parts = vec![headline(reconnect, stored)];
    if let Accounts::Pages(plan) = found {
        parts.extend(discovery::notes(plan));
    }
    for username in &stored.already_direct {
        parts.push(format!("{username} is already connected directly"));
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(count: usize, new: usize, not_included: usize) -> Stored {
        Stored {
            count,
            new,
            not_included,
            ..Stored::default()
        }
    }

    #[test]
    fn a_reconnect_says_what_is_new_and_what_was_left_out() {
        assert_eq!(
            headline(true, &stored(3, 1, 1)),
            "Reconnected 3 accounts · 1 new · 1 not included"
        );
        assert_eq!(headline(true, &stored(1, 0, 0)), "Reconnected 1 account");
    }

    #[test]
    fn a_connect_never_says_new_but_names_what_was_left_out() {
        assert_eq!(headline(false, &stored(2, 2, 0)), "Connected 2 accounts");
        assert_eq!(
            headline(false, &stored(2, 0, 1)),
            "Connected 2 accounts · 1 not included"
        );
    }
}
