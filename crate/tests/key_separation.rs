//! The PKCS#11 key-separation attacks (FACTS.md, "PKCS#11 key-separation
//! attacks"), through the session: for each path, first the leak and the
//! report the core makes of it, then the policy that prevents it.
// Test helpers: a step that cannot be taken should fail the test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "support/console.rs"]
mod support;

use keywrap_core::Mechanism;
use keywrap_core::access::{Actor, Answer, Capability, SeparationPath, TenancyMode};
use keywrap_core::hsm::copies::CopyPlace;
use keywrap_core::hsm::{Session, UnwrapInto, WorkbenchKey, copies::SeparationReport};
use support::{h, into_new_aes_key, run_ok, session, unwrap_request};

/// KEK 6 (wraps and unwraps, as genSymKey makes AES keys) and a sensitive
/// key 7.
fn kek_and_secret() -> Session {
    let mut s = session();
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l kek");
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l secret");
    s
}

fn refused(s: &mut Session, line: &str) -> String {
    let out = s.run(line);
    assert!(!out.return_code.is_success(), "{line} should be refused");
    assert!(out.effects.separations.is_empty());
    out.output
}

/// The crypto officer marks `key` trusted, then alice is back.
fn officer_trusts(s: &mut Session, key: u64) {
    run_ok(s, "logoutHSM");
    run_ok(s, "loginHSM -u CO -s admin -p any");
    run_ok(s, &format!("setAttribute -o {key} -a 134 -v 1"));
    run_ok(s, "logoutHSM");
    run_ok(s, "loginHSM -u CU -s alice -p any");
}

fn plaintext_cell(s: &Session, key: u64) -> keywrap_core::access::Verdict {
    s.who_can_see(h(key), TenancyMode::DedicatedSingleTenant)
        .expect("exists")
        .rows
        .into_iter()
        .find(|r| r.actor == Actor::You)
        .expect("your row")
        .cell(Capability::Plaintext)
        .clone()
}

fn only(reports: &[SeparationReport]) -> &SeparationReport {
    let first = reports.first().expect("a report");
    assert!(
        reports
            .iter()
            .all(|r| r.key == first.key && r.path == first.path)
    );
    first
}

#[test]
fn wrap_then_decrypt_is_reported_then_stopped_by_trusted_wrap_only_keks() {
    // The leak: a sensitive key wrapped, the blob decrypted to the host.
    let mut s = kek_and_secret();
    assert_eq!(plaintext_cell(&s, 7).answer, Answer::Possible);
    run_ok(&mut s, "wrapKey -k 7 -w 6 -noheader -out secret.bin -m 5");
    let out = run_ok(
        &mut s,
        "aesWrapUnwrap -m 0 -f secret.bin -w 6 -out secret.plain",
    );
    let r = only(&out.effects.separations);
    assert_eq!(
        (r.key, r.path, r.unwrapped_by),
        (h(7), SeparationPath::WrapThenDecrypt, Some(h(6)))
    );
    assert_eq!(r.promised, "sensitive");
    assert_eq!(r.kcv, s.key(h(7)).expect("7").kcv_hex());
    assert!(
        r.headline()
            .contains("Key 7 is sensitive, yet its plaintext"),
        "{}",
        r.headline()
    );
    assert!(r.headline().contains("wrap-then-decrypt (Clulow 2003)"));
    let cell = plaintext_cell(&s, 7);
    assert_eq!(cell.answer, Answer::Yes);
    assert!(
        cell.reason.starts_with("Yes — via wrap-then-decrypt"),
        "{}",
        cell.reason
    );
    // The workbench's "into this page" is the same path.
    let wrapped = s.read_file_bytes("secret.bin").expect("file").to_vec();
    let result = s.workbench_unwrap(&unwrap_request(
        &wrapped,
        WorkbenchKey::Handle(h(6)),
        Mechanism::Kw,
        UnwrapInto::Bytes,
    ));
    assert!(result.outcome.is_ok());
    let r = only(&result.separations);
    assert_eq!(
        r.place,
        CopyPlace::Workbench(keywrap_core::hsm::copies::OutputUse::Shown)
    );

    // The defence: WRAP_WITH_TRUSTED, and a trusted KEK that wraps but
    // does not decrypt.
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l secret2"); // 8
    run_ok(&mut s, "setAttribute -o 8 -a 528 -v 1");
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l wrap-only"); // 9
    run_ok(&mut s, "setAttribute -o 9 -a 263 -v 0");
    let why = refused(&mut s, "wrapKey -k 8 -w 6 -noheader -out s2.bin -m 5");
    assert!(why.contains("not trusted"), "{why}");
    officer_trusts(&mut s, 9);
    run_ok(&mut s, "wrapKey -k 8 -w 9 -noheader -out s2.bin -m 5");
    let why = refused(&mut s, "aesWrapUnwrap -m 0 -f s2.bin -w 9 -out s2.plain");
    assert!(why.contains("OBJ_ATTR_UNWRAP"), "{why}");
    assert_eq!(
        plaintext_cell(&s, 8).answer,
        Answer::Possible,
        "exSymKey by its owner remains"
    );
    // WRAP_WITH_TRUSTED is one-way.
    refused(&mut s, "setAttribute -o 8 -a 528 -v 0");
}

#[test]
fn a_looser_template_is_reported_then_stopped() {
    // The leak: a bare blob re-imported without SENSITIVE.
    let mut s = kek_and_secret();
    run_ok(&mut s, "wrapKey -k 7 -w 6 -noheader -out secret.bin -m 5");
    let blob = s.read_file_bytes("secret.bin").expect("file").to_vec();
    let result = s.workbench_unwrap(&unwrap_request(
        &blob,
        WorkbenchKey::Handle(h(6)),
        Mechanism::Kw,
        into_new_aes_key(false),
    ));
    assert!(result.outcome.is_ok());
    let r = only(&result.separations);
    assert_eq!(
        (r.key, r.path, r.place.clone()),
        (
            h(7),
            SeparationPath::LooserTemplate,
            CopyPlace::HsmKey(h(8))
        )
    );
    // Key 8 is yours and not sensitive: one Reveal from the plaintext.
    let cell = plaintext_cell(&s, 7);
    assert_eq!(cell.answer, Answer::Possible, "{}", cell.reason);
    assert!(
        cell.reason
            .starts_with("Possible — via re-import under a looser template"),
        "{}",
        cell.reason
    );
    assert!(cell.reason.contains("key 8"), "{}", cell.reason);
    assert!(s.reveal_key(h(8), Actor::You).is_ok());
    // Deleting the twin takes the copy with it.
    run_ok(&mut s, "deleteKey -k 8");
    assert!(!plaintext_cell(&s, 7).reason.contains("via"));

    // The CLI's --attributes sensitive=false is the same path.
    let out = run_ok(
        &mut s,
        "key unwrap aes-no-pad --filter key-reference=0x0000000000000006 --key-type-class aes --label copy --data-path secret.bin --attributes sensitive=false",
    );
    assert_eq!(
        only(&out.effects.separations).path,
        SeparationPath::LooserTemplate
    );

    // With a header, unWrapKey keeps SENSITIVE (CloudHSM's rule: it can only tighten).
    run_ok(&mut s, "wrapKey -k 7 -w 6 -out secret.key -m 5");
    let out = run_ok(&mut s, "unWrapKey -f secret.key -w 6");
    assert!(out.effects.separations.is_empty());
    // The defence: a key wrapped only under a trusted KEK that does not unwrap here.
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l secret2"); // 11
    run_ok(&mut s, "setAttribute -o 11 -a 528 -v 1");
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l wrap-only"); // 12
    run_ok(&mut s, "setAttribute -o 12 -a 263 -v 0");
    officer_trusts(&mut s, 12);
    run_ok(&mut s, "wrapKey -k 11 -w 12 -noheader -out s2.bin -m 5");
    refused(
        &mut s,
        "unWrapKey -f s2.bin -w 12 -noheader -l copy -kc 4 -kt 31 -m 5",
    );
    refused(&mut s, "wrapKey -k 11 -w 6 -noheader -out s3.bin -m 5");
}

#[test]
fn a_non_extractable_key_reimported_from_an_old_copy_is_reported() {
    let mut s = kek_and_secret();
    run_ok(&mut s, "wrapKey -k 7 -w 6 -out secret.key -m 5");
    run_ok(&mut s, "setAttribute -o 7 -a 354 -v 0");
    let out = run_ok(&mut s, "unWrapKey -f secret.key -w 6");
    let r = only(&out.effects.separations);
    assert_eq!((r.key, r.path), (h(7), SeparationPath::LooserTemplate));
    assert_eq!(r.promised, "sensitive and not extractable");
    // The defence: -nex from birth, so no copy can ever exist.
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l never -nex"); // 9
    refused(&mut s, "wrapKey -k 9 -w 6 -out never.key -m 5");
    refused(&mut s, "exSymKey -k 9 -w 6 -out never.plain");
    assert_eq!(plaintext_cell(&s, 9).answer, Answer::No);
}

#[test]
fn trusted_wrap_stripped_by_noheader_is_reported_then_stopped() {
    // The leak: a WRAP_WITH_TRUSTED key wrapped under a trusted KEK with
    // -noheader, unwrapped again: the copy wraps under anything.
    let mut s = kek_and_secret();
    run_ok(&mut s, "setAttribute -o 7 -a 528 -v 1");
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l trusted"); // 8, wraps and unwraps
    officer_trusts(&mut s, 8);
    refused(&mut s, "wrapKey -k 7 -w 6 -noheader -out x.bin -m 5");
    run_ok(&mut s, "wrapKey -k 7 -w 8 -noheader -out t.bin -m 5");
    let out = run_ok(
        &mut s,
        "unWrapKey -f t.bin -w 8 -noheader -l copy -kc 4 -kt 31 -m 5",
    );
    let r = only(&out.effects.separations);
    assert_eq!((r.key, r.path), (h(7), SeparationPath::TrustedWrapStripped));
    assert!(r.headline().contains("trusted wrap stripped by -noheader"));
    // The stripped copy (key 9) now wraps under the untrusted KEK.
    run_ok(&mut s, "wrapKey -k 9 -w 6 -noheader -out x.bin -m 5");

    // With the header the flag survives (it can only tighten): no report.
    run_ok(&mut s, "wrapKey -k 7 -w 8 -out t.key -m 5");
    let out = run_ok(&mut s, "unWrapKey -f t.key -w 8");
    assert!(out.effects.separations.is_empty());
    assert!(s.key(h(10)).is_some_and(|k| k.attributes.wrap_with_trusted));
    // The defence: a trusted KEK that does not unwrap here.
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l wrap-only"); // 11
    run_ok(&mut s, "setAttribute -o 11 -a 263 -v 0");
    officer_trusts(&mut s, 11);
    run_ok(&mut s, "wrapKey -k 7 -w 11 -noheader -out w.bin -m 5");
    refused(
        &mut s,
        "unWrapKey -f w.bin -w 11 -noheader -l copy -kc 4 -kt 31 -m 5",
    );
}

#[test]
fn every_path_says_what_a_real_hsm_does_and_what_stops_it() {
    for path in SeparationPath::ALL {
        assert!(path.real_hsm().contains("real PKCS#11 HSM"), "{path:?}");
        assert!(
            path.defence().contains("trusted") || path.defence().contains("TRUSTED"),
            "{path:?}"
        );
        assert!(!path.title().is_empty());
    }
    assert!(
        SeparationPath::WrapThenDecrypt
            .defence()
            .contains("CKA_MODIFIABLE")
    );
}

#[test]
fn exsymkey_and_imsymkey_are_the_same_paths_and_ordinary_copies_are_no_leak() {
    let mut s = kek_and_secret();
    // exSymKey is wrap-then-decrypt by design: for a sensitive key, reported.
    let out = run_ok(&mut s, "exSymKey -k 7 -w 6 -out secret.plain");
    assert_eq!(
        only(&out.effects.separations).path,
        SeparationPath::WrapThenDecrypt
    );
    // Importing those bytes makes a key without SENSITIVE: a looser copy.
    let out = run_ok(&mut s, "imSymKey -f secret.plain -w 6 -t 31 -l back"); // 8
    let r = only(&out.effects.separations);
    assert_eq!((r.key, r.path), (h(7), SeparationPath::LooserTemplate));
    // Key 8 is ordinary (not sensitive, extractable): its plaintext is a
    // copy, reported for key 7 only.
    run_ok(&mut s, "wrapKey -k 8 -w 6 -noheader -out back.bin -m 5");
    let out = run_ok(
        &mut s,
        "aesWrapUnwrap -m 0 -f back.bin -w 6 -out back.plain",
    );
    assert!(out.effects.separations.iter().all(|r| r.key == h(7)));
    let copies = s.copies_of(h(8));
    assert!(
        copies
            .iter()
            .any(|c| c.place == CopyPlace::File("back.plain".to_owned()) && c.via.is_none())
    );
    let cell = plaintext_cell(&s, 8);
    assert_eq!(cell.answer, Answer::Yes);
    assert!(!cell.reason.contains("via"), "{}", cell.reason);
    // A wrap yields no plaintext.
    let out = run_ok(
        &mut s,
        "aesWrapUnwrap -m 1 -f secret.plain -w 6 -out again.bin",
    );
    assert!(out.effects.separations.is_empty());
}

#[test]
fn a_kek_that_left_the_hsm_opens_blobs_in_the_workbench_and_that_is_reported() {
    let mut s = kek_and_secret();
    run_ok(&mut s, "exSymKey -k 6 -w 6 -out kek.plain");
    run_ok(&mut s, "wrapKey -k 7 -w 6 -noheader -out secret.bin -m 5");
    let kek = s.read_file_bytes("kek.plain").expect("file").to_vec();
    let blob = s.read_file_bytes("secret.bin").expect("file").to_vec();
    let result = s.workbench_unwrap(&unwrap_request(
        &blob,
        WorkbenchKey::Pasted(&kek),
        Mechanism::Kw,
        UnwrapInto::Bytes,
    ));
    assert!(result.outcome.is_ok());
    let r = only(&result.separations);
    assert_eq!(
        (r.key, r.path, r.unwrapped_by),
        (h(7), SeparationPath::WrapThenDecrypt, None)
    );
    assert_eq!(plaintext_cell(&s, 7).answer, Answer::Yes);
    // Bytes that are no HSM key are no copy of one.
    let other = s.workbench_unwrap(&unwrap_request(
        &[
            0x1f, 0xa6, 0x8b, 0x0a, 0x81, 0x12, 0xb4, 0x47, 0xae, 0xf3, 0x4b, 0xd8, 0xfb, 0x5a,
            0x7b, 0x82, 0x9d, 0x3e, 0x86, 0x23, 0x71, 0xd2, 0xcf, 0xe5,
        ],
        WorkbenchKey::Pasted(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]),
        Mechanism::Kw,
        UnwrapInto::Bytes,
    ));
    assert!(other.outcome.is_ok(), "RFC 3394 §4.1");
    assert!(other.separations.is_empty());
}
