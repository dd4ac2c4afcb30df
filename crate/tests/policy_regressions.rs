//! Regressions for the policy bugs found by trying to break the console, and
//! the check that the page's Reveal and the access model's "you can see the
//! plaintext" are the same rule.

// In tests a failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "support/console.rs"]
mod support;

use keywrap_core::access::{self, Actor, Answer, Capability, TenancyMode};
use keywrap_core::hsm::header::WrappedKeyFile;
use keywrap_core::hsm::{UnwrapInto, Unwrapped, WorkbenchKey};
use keywrap_core::store::{KeyHandle, KeyType};
use keywrap_core::{Mechanism, mask_secrets};
use support::{h, run_ok, session, unwrap_request};

/// A header edited to clear SENSITIVE and re-uploaded still gives a
/// sensitive key, whose value Reveal refuses.
#[test]
fn a_header_cannot_loosen_sensitive() {
    let mut s = session();
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l kek");
    run_ok(&mut s, "genSymKey -t 31 -s 16 -l secret");
    assert!(s.key(h(7)).unwrap().attributes.sensitive);
    run_ok(&mut s, "wrapKey -k 7 -w 6 -out secret.key -m 5");
    let mut file = WrappedKeyFile::parse(s.read_file_bytes("secret.key").unwrap()).unwrap();
    assert!(file.attributes.sensitive);
    file.attributes.sensitive = false;
    s.upload_file("loosened.key", file.to_bytes().unwrap())
        .unwrap();
    let out = s.run("unWrapKey -f loosened.key -w 6");
    assert!(out.return_code.is_success(), "{}", out.output);
    let copy = out.effects.created[0];
    let view = s.key(copy).unwrap();
    assert!(view.attributes.sensitive, "the header loosened SENSITIVE");
    assert_eq!(view.kcv_hex(), s.key(h(7)).unwrap().kcv_hex());
    assert!(s.reveal_key(copy, Actor::You).is_err());
}

/// A header cannot make a key extractable that the unwrap asks to be
/// non-extractable, nor clear WRAP_WITH_TRUSTED or TOKEN the template sets.
#[test]
fn a_header_only_tightens_the_template() {
    let mut s = session();
    s.run("genSymKey -t 31 -s 32 -l kek");
    s.run("genSymKey -t 31 -s 16 -l payload");
    s.run("wrapKey -k 7 -w 6 -out p.key -m 5");
    let out = s.run("unWrapKey -f p.key -w 6 -nex -sess");
    assert!(out.return_code.is_success(), "{}", out.output);
    let copy = s.key(out.effects.created[0]).unwrap();
    assert!(!copy.attributes.extractable && !copy.attributes.token);

    let file = WrappedKeyFile::parse(s.read_file_bytes("p.key").unwrap()).unwrap();
    let asked = keywrap_core::store::KeyAttributes {
        wrap_with_trusted: true,
        ..s.key(h(7)).unwrap().attributes
    };
    let mut header = file.attributes.clone();
    header.wrap_with_trusted = false;
    header.sensitive = false;
    let made = header.tightened(&asked);
    assert!(
        made.wrap_with_trusted,
        "the header cleared WRAP_WITH_TRUSTED"
    );
    assert!(made.sensitive, "the header cleared SENSITIVE");
    assert!(!made.local && !made.trusted);
}

/// The workbench's "unwrap into a new key" and `unWrapKey -noheader` make
/// the same key from the same blob: one default, in the HSM.
#[test]
fn workbench_and_noheader_unwrap_share_one_default() {
    let mut s = session();
    s.run("genSymKey -t 31 -s 32 -l kek");
    s.run("genSymKey -t 31 -s 16 -l payload");
    s.run("wrapKey -k 7 -w 6 -out bare.key -m 5 -noheader");
    let typed = s.run("unWrapKey -f bare.key -w 6 -m 5 -noheader -l copy -kc 4 -kt 31");
    assert!(typed.return_code.is_success(), "{}", typed.output);
    let blob = s.read_file_bytes("bare.key").unwrap().to_vec();
    let result = s.workbench_unwrap(&unwrap_request(
        &blob,
        WorkbenchKey::Handle(h(6)),
        Mechanism::Kw,
        UnwrapInto::new_key("copy", KeyType::Aes),
    ));
    let Ok(Unwrapped::NewKey { handle, .. }) = result.outcome else {
        panic!("the workbench unwrap failed: {:?}", result.outcome);
    };
    let typed = s.key(typed.effects.created[0]).unwrap().attributes;
    let form = s.key(handle).unwrap().attributes;
    assert!(
        typed.sensitive && form.sensitive,
        "both sensitive by default"
    );
    assert_eq!(typed, form, "the same attributes from the same blob");
    assert!(result.trace.is_none(), "a sensitive new key: no trace");
}

/// Only the value of a secret flag is masked: not a `-p` inside another
/// word, and every `-p` value, quoted or not.
#[test]
fn secret_words_come_from_the_command() {
    assert_eq!(
        mask_secrets("loginHSM -u CU -s my-pass -p ass"),
        "loginHSM -u CU -s my-pass -p ********"
    );
    assert_eq!(
        mask_secrets("loginHSM -p one -u CU -s alice -p two"),
        "loginHSM -p ******** -u CU -s alice -p ********"
    );
    assert_eq!(
        mask_secrets("loginHSM -u CU -s alice -p \"two words\""),
        "loginHSM -u CU -s alice -p ********"
    );
    // `-p` is no flag of findKey: a label, shown as typed.
    assert_eq!(mask_secrets("findKey -l -p"), "findKey -l -p");
    // The value of -s is the user's name, even if it looks like -p.
    assert_eq!(
        mask_secrets("loginHSM -u CU -s -p -p pw"),
        "loginHSM -u CU -s -p -p ********"
    );
    assert_eq!(mask_secrets("genSymKey -t 31"), "genSymKey -t 31");

    // The audit log keeps the parsed command, which has no password.
    let mut s = session();
    s.run("logoutHSM");
    s.run("loginHSM -u CU -s alice -p ass");
    let last = s.audit_log().last().unwrap();
    assert_eq!(last.command, "loginHSM -u CU -s alice");
    s.run("logoutHSM");
    s.run("loginHSM -u CU -s alice -p ass -p again");
    let last = s.audit_log().last().unwrap();
    assert_eq!(last.command, "loginHSM (usage error)");
}

/// The access model says you can see a key's plaintext exactly when the
/// page's Reveal would show it, for every combination of SENSITIVE,
/// EXTRACTABLE, ownership and tenancy mode (no key here was exported in
/// the clear, which the access model rightly counts as plaintext too).
#[test]
fn you_see_plaintext_exactly_when_reveal_passes() {
    let mut s = session();
    s.run("genSymKey -t 31 -s 32 -l kek");
    s.upload_file("k.bin", (0u8..16).collect()).unwrap();
    let mut keys: Vec<KeyHandle> = Vec::new();
    for (sensitive, extractable) in [(false, true), (true, true), (false, false), (true, false)] {
        let out = s.run("imSymKey -f k.bin -w 6 -t 31 -l mine");
        assert!(out.return_code.is_success(), "{}", out.output);
        let key = out.effects.created[0];
        if sensitive {
            assert!(
                s.run(&format!("setAttribute -o {key} -a 259 -v 1"))
                    .return_code
                    .is_success()
            );
        }
        if !extractable {
            assert!(
                s.run(&format!("setAttribute -o {key} -a 354 -v 0"))
                    .return_code
                    .is_success()
            );
        }
        keys.push(key);
    }
    // Bob's keys: one shared with alice (user 3), one not.
    s.run("logoutHSM");
    s.run("loginHSM -u CU -s bob");
    s.run("genSymKey -t 31 -s 32 -l bobs-kek");
    for share in [true, false] {
        let out = s.run("imSymKey -f k.bin -w 11 -t 31 -l bobs");
        assert!(out.return_code.is_success(), "{}", out.output);
        let key = out.effects.created[0];
        if share {
            s.run(&format!("shareKey -k {key} -u 3 -m 1"));
        }
        keys.push(key);
    }
    s.run("logoutHSM");
    s.run("loginHSM -u CU -s alice");
    let mut seen = 0;
    for key in keys {
        for mode in [
            TenancyMode::DedicatedSingleTenant,
            TenancyMode::SharedMultiTenant,
        ] {
            let facts = s.key_facts(key).unwrap();
            assert!(facts.plaintext_copies.is_empty());
            let verdict = access::decide(Actor::You, Capability::Plaintext, &facts, mode);
            let revealed = s.reveal_key(key, Actor::You).is_ok();
            assert_eq!(
                verdict.answer == Answer::Yes,
                revealed,
                "key {key} in {mode:?}: access says {:?}, Reveal {}",
                verdict.answer,
                if revealed { "shows it" } else { "refuses" }
            );
            seen += usize::from(revealed);
        }
    }
    assert_eq!(
        seen, 2,
        "exactly the owned, extractable, non-sensitive key, in both modes"
    );
}
