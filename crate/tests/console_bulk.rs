//! The bulk wrap (`extWrapAll` in KMU, `ext wrap-all` in CloudHSM CLI, and
//! [`ops_bulk::wrap_all`] under both): each file is byte for byte what one
//! `wrapKey` / `key wrap` of that key writes, for every mechanism, with and
//! without the header, over more keys than the cipher interleaves at once;
//! a refusal at any key writes nothing, names that key and is audited.

// In tests a failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]

#[path = "support/console.rs"]
mod support;

use keywrap_core::Mechanism;
use keywrap_core::hsm::ops_bulk::{self, WrapAllError, WrapAllSpec};
use keywrap_core::hsm::{Dialect, Session};
use keywrap_core::kmu::ReturnCode;
use keywrap_core::store::KeyHandle;
use support::{h, run_ok, session};

/// A KEK (handle 6) and `n` AES keys of 16, 24 and 32 bytes in turn (7…).
fn with_keys(n: u64) -> Session {
    let mut s = session();
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l kek");
    for i in 0..n {
        let size = [16, 24, 32][usize::try_from(i % 3).unwrap()];
        run_ok(&mut s, &format!("genSymKey -t 31 -s {size} -l bulk"));
    }
    s
}

fn file(s: &Session, name: &str) -> Vec<u8> {
    s.read_file_bytes(name)
        .unwrap_or_else(|| panic!("no file {name}"))
        .to_vec()
}

#[test]
fn every_file_is_what_one_wrap_key_writes() {
    // 19 keys: several groups of 4 (and of 8) lanes, and a ragged end.
    let mut s = with_keys(19);
    for m in [4, 5, 6] {
        for (tag, noheader) in [("hdr", ""), ("bare", " -noheader")] {
            let out = run_ok(
                &mut s,
                &format!("extWrapAll -w 6 -m {m} -l bulk -out {tag}{m}-{noheader}"),
            );
            assert!(
                out.output.contains("19 keys wrapped under key 6"),
                "{}",
                out.output
            );
            for key in 7..26 {
                run_ok(
                    &mut s,
                    &format!("wrapKey -k {key} -w 6 -out one.key -m {m}{noheader}"),
                );
                assert_eq!(
                    file(&s, &format!("{tag}{m}-{key}.key")),
                    file(&s, "one.key"),
                    "-m {m}{noheader}, key {key}"
                );
            }
        }
    }
}

#[test]
fn cloudhsm_cli_files_are_what_key_wrap_writes() {
    let mut s = with_keys(9);
    for mechanism in ["aes-no-pad", "aes-pkcs5-pad", "aes-zero-pad"] {
        let out = run_ok(
            &mut s,
            &format!(
                "ext wrap-all {mechanism} --payload-filter attr.label=bulk \
                 --wrapping-filter attr.label=kek --path-prefix {mechanism}-"
            ),
        );
        assert_eq!(out.dialect, Dialect::CloudHsmCli);
        assert!(
            out.output.contains("\"wrapped_key_count\": 9"),
            "{}",
            out.output
        );
        for key in 7..16 {
            run_ok(
                &mut s,
                &format!(
                    "key wrap {mechanism} --payload-filter key-reference=0x{key:016x} \
                     --wrapping-filter key-reference=0x0000000000000006 --path one.key"
                ),
            );
            assert_eq!(
                file(&s, &format!("{mechanism}-{key}.key")),
                file(&s, "one.key"),
                "{mechanism}, key {key}"
            );
        }
    }
}

#[test]
fn a_refusal_at_the_last_key_writes_nothing_and_names_it() {
    let mut s = with_keys(6);
    run_ok(&mut s, "genSymKey -t 31 -s 16 -l bulk -nex"); // 13, last
    for line in [
        "extWrapAll -w 6 -m 5 -l bulk -out x-",
        "ext wrap-all aes-no-pad --payload-filter attr.label=bulk \
         --wrapping-filter attr.label=kek --path-prefix x-",
    ] {
        let before = s.snapshot();
        let files_before = s.files().len();
        let audit_before = s.audit_log().len();
        let out = s.run(line);
        assert_eq!(out.return_code, ReturnCode::KeyUnextractable, "{line}");
        assert!(
            out.output
                .contains("key 13 stopped the wrap, so no file was written"),
            "{}",
            out.output
        );
        assert!(s.snapshot() == before, "{line} changed the session");
        assert_eq!(s.files().len(), files_before);
        let entry = s.audit_log().last().unwrap();
        assert_eq!(s.audit_log().len(), audit_before + 1);
        assert_eq!(entry.return_code, ReturnCode::KeyUnextractable);
        assert_eq!(entry.dialect, out.dialect);
    }
}

#[test]
fn the_audit_names_the_command_and_every_key_wrapped() {
    let mut s = with_keys(3);
    run_ok(&mut s, "extWrapAll -w 6 -m 6 -k 9,7 -out sel- -noheader");
    let entry = s.audit_log().last().unwrap();
    assert_eq!(
        entry.command,
        "extWrapAll -w 6 -m 6 -out sel- -k 9,7 -noheader"
    );
    assert_eq!(entry.dialect, Dialect::Kmu);
    assert_eq!(entry.handles, vec![h(6), h(7), h(9)]);
    // The files come in the order the keys were named.
    let names: Vec<String> = s.files().into_iter().map(|f| f.name).collect();
    assert!(names.contains(&"sel-9.key".to_owned()) && names.contains(&"sel-7.key".to_owned()));
    assert!(!names.contains(&"sel-8.key".to_owned()));
}

#[test]
fn the_operation_skips_the_kek_and_repeats_and_needs_a_key() {
    let s = with_keys(2);
    let plan = |keys: &[KeyHandle]| {
        ops_bulk::wrap_all(
            s.hsm_state(),
            &WrapAllSpec {
                keys,
                wrapping: h(6),
                mechanism: Mechanism::Kw,
                header: false,
                file_prefix: "p-",
            },
        )
    };
    let planned = plan(&[h(8), h(6), h(8), h(7)]).unwrap();
    let keys: Vec<KeyHandle> = planned.result.iter().map(|w| w.key).collect();
    assert_eq!(keys, vec![h(8), h(7)]);
    assert_eq!(planned.result[0].file, "p-8.key");
    // Per key: its file, and the wrapped copy the ledger records.
    assert_eq!(planned.mutations.len(), 4);
    assert_eq!(plan(&[h(6)]).unwrap_err(), WrapAllError::NoKeys);
    assert_eq!(plan(&[]).unwrap_err(), WrapAllError::NoKeys);
    match plan(&[h(7), h(42)]).unwrap_err() {
        WrapAllError::Refused { key, .. } => assert_eq!(key, Some(h(42))),
        other => panic!("{other}"),
    }
}

#[test]
fn completion_offers_the_extension_in_both_dialects() {
    let s = with_keys(2);
    assert!(s.complete("ext").contains(&"extWrapAll".to_owned()));
    assert!(s.complete("ext").contains(&"ext".to_owned()));
    assert_eq!(s.complete("ext "), vec!["wrap-all".to_owned()]);
    assert_eq!(
        s.complete("ext wrap-all "),
        vec!["aes-no-pad", "aes-pkcs5-pad", "aes-zero-pad"]
    );
    assert!(
        s.complete("ext wrap-all aes-no-pad --payload-filter ")
            .contains(&"key-reference=0x0000000000000007".to_owned())
    );
    assert_eq!(s.complete("extWrapAll -w 6 -m "), vec!["4", "5", "6"]);
    assert!(s.complete("extWrapAll -w ").contains(&"6".to_owned()));
    assert!(
        s.complete("extWrapAll -w 6 -")
            .contains(&"-noheader".to_owned())
    );
}

#[test]
fn every_key_reference_in_the_cli_reply_is_a_link() {
    let mut s = with_keys(5);
    let out = run_ok(
        &mut s,
        "ext wrap-all aes-zero-pad --payload-filter attr.label=bulk \
         --wrapping-filter attr.label=kek --path-prefix l-",
    );
    let linked: Vec<u64> = out.handle_spans.iter().map(|sp| sp.handle.get()).collect();
    // The KEK first, then each payload once.
    assert_eq!(linked, vec![6, 7, 8, 9, 10, 11]);
    for span in &out.handle_spans {
        assert_eq!(
            &out.output[span.range.clone()],
            format!("0x{:016x}", span.handle.get())
        );
    }
}
