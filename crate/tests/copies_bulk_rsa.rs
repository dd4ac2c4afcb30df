//! The copy ledger sees every way a key leaves as a blob: a bulk export
//! (`extWrapAll`, `ext wrap-all`) writes one wrapped copy per key, an RSA
//! wrap (`wrapKey -m 7/8`, `key wrap rsa-aes`) one opened by the public
//! key's private half — in this HSM for a pair generated here, nowhere here
//! for an imported public key — and an unwrap with the private key makes an
//! HSM twin. The who-can-see cells follow from those facts.

// In tests a failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "support/console.rs"]
mod support;

use keywrap_core::access::{Actor, Answer, Capability, TenancyMode};
use keywrap_core::hsm::copies::{CopyForm, CopyPlace};
use keywrap_core::hsm::{InsecureSeededKeys, Session};
use support::{h, run_ok, session};

fn answer(s: &Session, key: u64, actor: Actor, cap: Capability) -> (Answer, String) {
    let m = s
        .who_can_see(h(key), TenancyMode::DedicatedSingleTenant)
        .expect("the key exists");
    let row = m.rows.into_iter().find(|r| r.actor == actor).unwrap();
    let cell = row.cell(cap).clone();
    (cell.answer, cell.reason)
}

#[test]
fn a_bulk_export_records_a_wrapped_copy_per_key_in_both_dialects() {
    let mut s = session();
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l kek");
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l payload");
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l payload");
    for key in [7, 8] {
        assert!(s.copies_of(h(key)).is_empty(), "no copy before the export");
    }
    run_ok(&mut s, "extWrapAll -w 6 -m 5 -l payload -out b-");
    for key in [7, 8] {
        let copies = s.copies_of(h(key));
        assert_eq!(copies.len(), 1, "{copies:?}");
        assert_eq!(copies[0].place, CopyPlace::File(format!("b-{key}.key")));
        assert!(
            matches!(copies[0].form, CopyForm::Wrapped { wrapping, header: true } if wrapping == h(6))
        );
        assert_eq!(
            answer(&s, key, Actor::You, Capability::WrappedBlob).0,
            Answer::Yes
        );
        let (kek, reason) = answer(&s, key, Actor::KekHolder, Capability::Plaintext);
        assert_eq!(kek, Answer::Possible);
        assert!(reason.contains(&format!("b-{key}.key")), "{reason}");
    }
    // The CloudHSM CLI spelling records the same facts.
    let cli = s.run(
        "ext wrap-all aes-no-pad --payload-filter key-reference=0x0000000000000007 \
         --wrapping-filter key-reference=0x0000000000000006 --path-prefix c-",
    );
    assert!(cli.return_code.is_success(), "{}", cli.output);
    assert!(
        s.copies_of(h(7))
            .iter()
            .any(|c| c.place == CopyPlace::File("c-7.key".to_owned())),
        "{:?}",
        s.copies_of(h(7))
    );
}

#[test]
fn a_refused_bulk_export_records_no_copy() {
    let mut s = session();
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l kek");
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l payload");
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l payload -nex");
    assert!(
        !s.run("extWrapAll -w 6 -m 5 -l payload -out b-")
            .return_code
            .is_success()
    );
    assert!(s.copies_of(h(7)).is_empty());
    assert!(s.copies_of(h(8)).is_empty());
}

#[test]
fn an_rsa_package_is_opened_by_the_private_half_here_or_by_nobody_here() {
    let mut s = Session::with_key_source(Box::new(InsecureSeededKeys::new(10)));
    run_ok(&mut s, "genRSAKeyPair -m 2048 -e 65537 -l rsa");
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l payload");
    run_ok(&mut s, "wrapKey -k 8 -w 6 -m 7 -t 3 -out pkg7.bin");
    let facts = s.key_facts(h(8)).unwrap();
    let pkg = facts
        .wrapped_copies
        .iter()
        .find(|c| c.place.contains("pkg7.bin"))
        .expect("the package is a wrapped copy");
    assert_eq!((pkg.wrapping, pkg.opener), (h(6), Some(h(7))));
    assert!(pkg.you_open, "you own the private key");

    // An imported public key: its private half is outside this HSM.
    run_ok(&mut s, "exportPubKey -k 6 -out rsa.pem");
    run_ok(&mut s, "importPubKey -l provider -f rsa.pem");
    run_ok(&mut s, "wrapKey -k 8 -w 9 -m 8 -t 3 -out provider.bin");
    let facts = s.key_facts(h(8)).unwrap();
    let out = facts
        .wrapped_copies
        .iter()
        .find(|c| c.place.contains("provider.bin"))
        .expect("the OAEP package is a wrapped copy");
    assert_eq!(
        (out.wrapping, out.opener, out.you_open),
        (h(9), None, false)
    );

    // Unwrapping with the private key makes a twin of key 8 in the HSM.
    run_ok(
        &mut s,
        "unWrapKey -f pkg7.bin -w 7 -m 7 -t 3 -noheader -l back -kc 4 -kt 31",
    );
    assert!(
        s.copies_of(h(8))
            .iter()
            .any(|c| c.place == CopyPlace::HsmKey(h(10)) && c.unwrapped_by == Some(h(7))),
        "{:?}",
        s.copies_of(h(8))
    );
}
