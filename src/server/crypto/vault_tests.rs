//! The vault against ciphertexts written before it existed (by `Keyring::seal` with
//! hand-built v1 associated data, master key `[42; 32]`), so a change to the associated data
//! can't slip through: every stored token in every database depends on these bytes.

use super::*;
use crate::server::crypto::MasterKey;

const GRANT_FIXTURE: &str = "v1.697618657fb92df4.e3pySxrnu39TACbM1hwo8bdmXuaxl4_RjF3g8go9BGCex_4xVfE7uatq0sgXmpT6c194pDOamtr0rwpp.jhoI4ZyR6OUzLkYiA4JJjHyUA4C2UfxKSwzLKX7yHtf3lB46sIwYmNBA0CogHhdfLSSz";
const ACCOUNT_FIXTURE: &str = "v1.697618657fb92df4.k6s-37MzNugZV3exP9JLSv1gz1klCRWYIP9GxahUJo_7o6J5C0z5EtWHV40QSr7aFP0PSTkjOMuJsEYL.RBEPITrRDpN_GvksAd0-zbAqC9Jz2yFiamZOhxe_QNSZN6PI8Dc-Mld9LGZNnK1HkDU4";

fn vault() -> Vault {
    Vault::new(Keyring::new(MasterKey::from_bytes([42; 32]), vec![]))
}

fn owner(row_id: i64) -> Owner {
    Owner {
        row_id,
        workspace_id: 3,
        provider: Provider::Facebook,
    }
}

#[test]
fn ciphertexts_written_before_the_vault_still_open() {
    let vault = vault();
    let grant = vault
        .open(Slot::GRANT_USER_TOKEN, &owner(7), GRANT_FIXTURE)
        .unwrap();
    assert_eq!(grant.expose_secret(), "EAAG-fixture-user-token");
    let account = vault
        .open(Slot::ACCOUNT_TOKEN, &owner(11), ACCOUNT_FIXTURE)
        .unwrap();
    assert_eq!(account.expose_secret(), "EAAG-fixture-page-token");
}

#[test]
fn a_secret_opens_only_in_its_own_slot_and_row() {
    let vault = vault();
    let secret = SecretString::from("EAAG-live".to_owned());
    let stored = vault.seal(Slot::ACCOUNT_TOKEN, &owner(5), &secret).unwrap();
    let opened = vault
        .open(Slot::ACCOUNT_TOKEN, &owner(5), &stored.ciphertext)
        .unwrap();
    assert_eq!(opened.expose_secret(), "EAAG-live");
    assert_eq!(stored.key_fingerprint, "697618657fb92df4");
    for (slot, row) in [
        (Slot::GRANT_USER_TOKEN, owner(5)),
        (Slot::ACCOUNT_TOKEN, owner(6)),
    ] {
        assert_eq!(
            vault.open(slot, &row, &stored.ciphertext).unwrap_err(),
            CryptoError::Decrypt
        );
    }
    let moved = Owner {
        workspace_id: 4,
        ..owner(5)
    };
    assert!(vault
        .open(Slot::ACCOUNT_TOKEN, &moved, &stored.ciphertext)
        .is_err());
}

#[test]
fn a_rewrapped_secret_opens_under_the_new_key_alone_and_keeps_its_secret_part() {
    let old = MasterKey::from_bytes([42; 32]);
    let new = MasterKey::from_bytes([7; 32]);
    let new_fingerprint = new.fingerprint().to_owned();
    let rotating = Vault::new(Keyring::new(new, vec![old]));
    let stored = rotating
        .rewrap(Slot::ACCOUNT_TOKEN, &owner(11), ACCOUNT_FIXTURE)
        .unwrap();
    assert_eq!(stored.key_fingerprint, new_fingerprint);
    assert_eq!(
        secret_part(&stored.ciphertext),
        secret_part(ACCOUNT_FIXTURE)
    );
    let after = Vault::new(Keyring::new(MasterKey::from_bytes([7; 32]), vec![]));
    let token = after
        .open(Slot::ACCOUNT_TOKEN, &owner(11), &stored.ciphertext)
        .unwrap();
    assert_eq!(token.expose_secret(), "EAAG-fixture-page-token");
    assert!(
        after
            .rewrap(Slot::ACCOUNT_TOKEN, &owner(12), &stored.ciphertext)
            .is_err(),
        "another row's associated data refuses the re-wrap"
    );
}
