//! The session API the web app codes against: effects, handle links,
//! metadata views, reveal, files, audit, who-can-see, view-as, workbench,
//! completion, and the wrapped-file header.

// In tests a failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "support/console.rs"]
mod support;

use keywrap_core::access::{Actor, Answer, FileSight, TenancyMode};
use keywrap_core::hsm::Unwrapped;
use keywrap_core::hsm::header::{HeaderError, WrappedKeyFile};
use keywrap_core::hsm::{FileOrigin, HsmErrorKind, UnwrapInto, WorkbenchKey, WrapRequest};
use keywrap_core::kmu::ReturnCode;
use keywrap_core::store::PolicyError;
use keywrap_core::{Iv, Mechanism};
use support::{h, into_new_aes_key, session, unwrap_request};

#[test]
fn effects_and_handle_links() {
    let mut s = session();
    let out = s.run("genSymKey -t 31 -s 32 -l kek");
    assert_eq!(out.effects.created, vec![h(6)]);
    assert_eq!(out.handle_spans.len(), 1);
    assert_eq!(&out.output[out.handle_spans[0].range.clone()], "6");
    s.run("genSymKey -t 31 -s 32 -l payload");
    let out = s.run("wrapKey -k 7 -w 6 -out mykey.key -m 5");
    assert_eq!(out.effects.files_written, vec!["mykey.key".to_owned()]);
    let out = s.run("unWrapKey -f mykey.key -w 6");
    assert_eq!(out.effects.created, vec![h(8)]);
    assert_eq!(
        s.key(h(8)).unwrap().kcv_hex(),
        s.key(h(7)).unwrap().kcv_hex()
    );
    let out = s.run("findKey");
    let linked: Vec<u64> = out.handle_spans.iter().map(|sp| sp.handle.get()).collect();
    assert_eq!(linked, vec![6, 7, 8]);
    let out = s.run("deleteKey -k 8");
    assert_eq!(out.effects.deleted, vec![h(8)]);
    // Handles are never reused.
    assert_eq!(
        s.run("genSymKey -t 31 -s 16 -l again").effects.created,
        vec![h(9)]
    );
}

#[test]
fn session_keys_vanish_at_logout() {
    let mut s = session();
    s.run("genSymKey -t 31 -s 32 -l temp -sess");
    let out = s.run("logoutHSM");
    assert_eq!(out.effects.deleted, vec![h(6)]);
    assert!(out.effects.login_changed);
    assert_eq!(s.key_count(), 0);
    assert!(s.current_user().is_none());
}

#[test]
fn reveal_obeys_policy() {
    let mut s = session();
    s.run("genSymKey -t 31 -s 32 -l kek");
    // Generated keys are sensitive.
    let err = s.reveal_key(h(6), Actor::You).unwrap_err();
    assert_eq!(err.kind, HsmErrorKind::Policy(PolicyError::Sensitive(h(6))));
    s.run("exSymKey -k 6 -w 6 -out kek.plain");
    let out = s.run("imSymKey -f kek.plain -w 6 -t 31 -l imported");
    assert!(out.return_code.is_success(), "{}", out.output);
    let revealed = s.reveal_key(h(7), Actor::You).unwrap();
    assert_eq!(
        revealed.value.expose_secret(),
        s.read_file_bytes("kek.plain").unwrap()
    );
    // Never for another actor.
    assert!(s.reveal_key(h(7), Actor::Provider).is_err());
    // Never once non-extractable.
    s.run("setAttribute -o 7 -a 354 -v 0");
    assert_eq!(
        s.reveal_key(h(7), Actor::You).unwrap_err().kind,
        HsmErrorKind::Policy(PolicyError::Unextractable(h(7)))
    );
    // Never for a user it is only shared with.
    s.run("imSymKey -f kek.plain -w 6 -t 31 -l shared");
    s.run("shareKey -k 8 -u 4 -m 1");
    s.run("logoutHSM");
    s.run("loginHSM -u CU -s bob");
    assert_eq!(
        ReturnCode::from(&s.reveal_key(h(8), Actor::You).unwrap_err()),
        ReturnCode::KeyAccessDenied
    );
    // The audit records reveals, never bytes.
    assert!(
        s.audit_log()
            .iter()
            .any(|e| e.command == "reveal -k 7 (page)")
    );
}

#[test]
fn files_upload_download_delete() {
    let mut s = session();
    s.upload_file("upload.bin", vec![1, 2, 3]).unwrap();
    assert_eq!(s.read_file_bytes("upload.bin"), Some(&[1u8, 2, 3][..]));
    assert_eq!(s.files()[0].origin, FileOrigin::Upload);
    assert!(s.upload_file("", vec![]).is_err());
    assert!(s.upload_file("a/b", vec![]).is_err());
    assert!(s.delete_file("upload.bin"));
    assert!(!s.delete_file("upload.bin"));
    assert!(s.files().is_empty());
}

#[test]
fn audit_never_holds_passwords_or_pasted_text() {
    let mut s = session().logged_out();
    s.run("loginHSM -u CU -s alice -p hunter2");
    s.run("000102030405060708090a0b0c0d0e0f");
    s.run("genSymKey -t 31 -s 32 -l x -bogus 000102030405");
    let log = s.audit_log();
    assert_eq!(log[0].command, "loginHSM -u CU -s alice");
    assert_eq!(log[1].command, "<unknown command>");
    assert_eq!(log[2].command, "genSymKey (usage error)");
    assert_eq!(log[2].return_code, ReturnCode::InvalidArguments);
    assert!(
        log.iter()
            .all(|e| !e.command.contains("hunter2") && !e.command.contains("0001"))
    );
    assert_eq!(
        log.iter().map(|e| e.sequence).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
}

#[test]
fn who_can_see_and_view_as() {
    let mut s = session();
    s.run("genSymKey -t 31 -s 32 -l kek");
    s.run("genSymKey -t 31 -s 32 -l payload");
    s.run("wrapKey -k 7 -w 6 -out mykey.key -m 5");
    let shared = s.who_can_see(h(7), TenancyMode::SharedMultiTenant).unwrap();
    let dedicated = s
        .who_can_see(h(7), TenancyMode::DedicatedSingleTenant)
        .unwrap();
    let provider = |m: &keywrap_core::access::AccessMatrix| {
        m.rows
            .iter()
            .find(|r| r.actor == Actor::Provider)
            .unwrap()
            .plaintext
            .answer
    };
    assert_eq!(provider(&shared), Answer::Possible);
    assert_eq!(provider(&dedicated), Answer::No);
    let blob = s.view_as(Actor::BlobHolder);
    let file = blob
        .files
        .iter()
        .find(|f| f.file.name == "mykey.key")
        .unwrap();
    assert_eq!(file.sight, FileSight::Ciphertext);
    let payload = blob.keys.iter().find(|k| k.key.handle == h(7)).unwrap();
    assert_eq!(payload.row.wrapped_blob.answer, Answer::Yes);
    assert_eq!(payload.row.plaintext.answer, Answer::No);
    s.set_tenancy(TenancyMode::SharedMultiTenant);
    assert_eq!(
        s.view_as(Actor::Provider).mode,
        TenancyMode::SharedMultiTenant
    );
    let host = s.view_as(Actor::PageHost);
    assert!(host.files.iter().all(|f| f.sight == FileSight::Nothing));
}

#[test]
fn workbench_follows_the_same_policy() {
    let mut s = session();
    s.run("genSymKey -t 31 -s 32 -l kek");
    s.run("genSymKey -t 31 -s 32 -l payload");
    // HSM key under HSM key: allowed, but no trace of a sensitive key.
    let r = s
        .workbench_wrap(&WrapRequest {
            target: WorkbenchKey::Handle(h(7)),
            kek: WorkbenchKey::Handle(h(6)),
            mechanism: Mechanism::Kw,
            iv: None,
            out_file: Some("wb.bin".to_owned()),
        })
        .unwrap();
    assert_eq!(r.wrapped.len(), 40);
    assert!(r.trace.is_none() && r.trace_withheld.is_some());
    assert_eq!(s.read_file_bytes("wb.bin"), Some(&r.wrapped[..]));
    // Same bytes as wrapKey -noheader.
    s.run("wrapKey -k 7 -w 6 -out cmd.bin -m 5 -noheader");
    assert_eq!(s.read_file_bytes("cmd.bin"), Some(&r.wrapped[..]));
    // A custom IV is refused for HSM keys, as wrapKey refuses it.
    let iv = Iv::parse_hex("0011223344556677").unwrap();
    let err = s
        .workbench_wrap(&WrapRequest {
            target: WorkbenchKey::Handle(h(7)),
            kek: WorkbenchKey::Handle(h(6)),
            mechanism: Mechanism::Kw,
            iv: Some(iv),
            out_file: None,
        })
        .unwrap_err();
    assert_eq!(ReturnCode::from(&err), ReturnCode::PolicyViolation);
    // An HSM key never goes under a pasted KEK.
    let kek = [0x11u8; 16];
    let err = s
        .workbench_wrap(&WrapRequest {
            target: WorkbenchKey::Handle(h(7)),
            kek: WorkbenchKey::Pasted(&kek),
            mechanism: Mechanism::Kw,
            iv: None,
            out_file: None,
        })
        .unwrap_err();
    assert_eq!(err.kind, HsmErrorKind::ExternalKek);
    // Standalone: pasted key under pasted KEK, custom IV, with the trace.
    let data = [0x22u8; 16];
    let r = s
        .workbench_wrap(&WrapRequest {
            target: WorkbenchKey::Pasted(&data),
            kek: WorkbenchKey::Pasted(&kek),
            mechanism: Mechanism::Kw,
            iv: Some(iv),
            out_file: None,
        })
        .unwrap();
    assert!(r.trace.is_some());
    // Unwrap with the wrong IV fails, and the trace shows why.
    let u = s.workbench_unwrap(&unwrap_request(
        &r.wrapped,
        WorkbenchKey::Pasted(&kek),
        Mechanism::Kw,
        UnwrapInto::Bytes,
    ));
    assert!(u.outcome.is_err());
    assert!(!u.trace.unwrap().passed());
    // Unwrap a blob into a new handle with an HSM KEK: same KCV, new handle.
    let blob = s.read_file_bytes("wb.bin").unwrap().to_vec();
    let u = s.workbench_unwrap(&unwrap_request(
        &blob,
        WorkbenchKey::Handle(h(6)),
        Mechanism::Kw,
        into_new_aes_key(true),
    ));
    match u.outcome.unwrap() {
        Unwrapped::NewKey { handle, kcv } => {
            assert_eq!(handle, h(8));
            assert_eq!(kcv, s.key(h(7)).unwrap().attributes.kcv);
        }
        Unwrapped::Bytes(_) => panic!("expected a new key"),
    }
    assert!(u.trace.is_none());
    // Every workbench operation is audited, without bytes.
    assert!(
        s.audit_log()
            .iter()
            .any(|e| e.command == "workbench wrap key 7 under key 6 -m 5")
    );
    assert!(s.audit_log().iter().any(|e| {
        e.command
            .starts_with("workbench wrap pasted bytes under pasted bytes")
    }));
}

#[test]
fn completion() {
    let mut s = session();
    s.run("genSymKey -t 31 -s 32 -l kek");
    s.run("wrapKey -k 6 -w 6 -out mykey.key -m 5");
    assert_eq!(s.complete("wra"), vec!["wrapKey".to_owned()]);
    assert!(s.complete("wrapKey -k 6 ").contains(&"-w".to_owned()));
    assert!(!s.complete("wrapKey -k 6 ").contains(&"-k".to_owned()));
    assert_eq!(s.complete("unWrapKey -f "), vec!["mykey.key".to_owned()]);
    assert_eq!(s.complete("wrapKey -k "), vec!["6".to_owned()]);
    // After a value flag: its values, never the next flag.
    assert_eq!(
        s.complete("genSymKey -t "),
        vec!["16".to_owned(), "31".to_owned()]
    );
    assert_eq!(s.complete("genSymKey -t 31 -s 2"), vec!["24".to_owned()]);
    assert_eq!(
        s.complete("wrapKey -k 6 -w 6 -m "),
        ["4", "5", "6", "7", "8"].map(str::to_owned).to_vec()
    );
    assert!(s.complete("genSymKey -t 31 -s 32 -l ").is_empty());
    assert_eq!(
        s.complete("wrapKey -k 6 -w 6 -out "),
        vec!["mykey.key".to_owned()]
    );
}

#[test]
fn a_mistyped_command_name_gets_a_suggestion() {
    let mut s = session();
    for (typed, meant) in [
        ("wrapkey", "wrapKey"),
        ("genSymKy", "genSymKey"),
        ("unWrapKye", "unWrapKey"),
    ] {
        let out = s.run(typed).output;
        assert!(
            out.contains(&format!("did you mean {meant}?")),
            "{typed}: {out}"
        );
    }
    assert!(!s.run("frobnicate").output.contains("did you mean"));
}

#[test]
fn header_round_trip_and_strict_errors() {
    let mut s = session();
    s.run("genSymKey -t 31 -s 24 -l \"a label\" -id id1");
    s.run("wrapKey -k 6 -w 6 -out h.key -m 6");
    let bytes = s.read_file_bytes("h.key").unwrap().to_vec();
    let parsed = WrappedKeyFile::parse(&bytes).unwrap();
    assert_eq!(parsed.mechanism, Mechanism::Kwp);
    assert_eq!(parsed.attributes.label, "a label");
    assert_eq!(parsed.attributes.id, "id1");
    assert_eq!(parsed.attributes.value_len, 24);
    assert_eq!(parsed.to_bytes().unwrap(), bytes);
    let mut trailing = bytes.clone();
    trailing.push(0);
    assert_eq!(
        WrappedKeyFile::parse(&trailing),
        Err(HeaderError::TrailingData { extra: 1 })
    );
    for cut in 0..bytes.len() {
        assert!(
            WrappedKeyFile::parse(&bytes[..cut]).is_err(),
            "cut at {cut}"
        );
    }
    let mut bad = bytes.clone();
    bad[5] = 9;
    assert_eq!(
        WrappedKeyFile::parse(&bad),
        Err(HeaderError::UnknownMechanism(9))
    );
    let mut bad = bytes;
    bad[12] = 0x80;
    assert!(matches!(
        WrappedKeyFile::parse(&bad),
        Err(HeaderError::UnknownFlags(_))
    ));
}
