//! The CloudHSM CLI dialect through the session API: completion in both
//! dialects, the audit log's dialect column, handle links in JSON, and
//! replies that are JSON a program can read.

// In tests a failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "support/console.rs"]
mod support;

use keywrap_core::hsm::Dialect;
use keywrap_core::{dialect_of, prompt_of};
use support::{h, session};

#[test]
fn lines_are_read_in_their_dialect() {
    for line in [
        "key list",
        "login --username alice --role crypto-user",
        "logout",
        "user list",
        "help key",
    ] {
        assert_eq!(dialect_of(line), Dialect::CloudHsmCli, "{line}");
        assert_eq!(prompt_of(line), "aws-cloudhsm > ");
    }
    for line in [
        "genSymKey -t 31 -s 16 -l a",
        "help",
        "help wrapKey",
        "quit",
        "Key list",
        "",
    ] {
        assert_eq!(dialect_of(line), Dialect::Kmu, "{line}");
        assert_eq!(prompt_of(line), "Command:  ");
    }
}

#[test]
fn completion_offers_both_dialects() {
    let mut s = session();
    s.run("genSymKey -t 31 -s 32 -l kek");
    s.run("wrapKey -k 6 -w 6 -out k.key -m 5 -noheader");
    let first = s.complete("");
    assert!(first.contains(&"genSymKey".to_owned()) && first.contains(&"key".to_owned()));
    assert_eq!(
        s.complete("lo"),
        ["login", "loginHSM", "loginStatus", "logout", "logoutHSM"]
    );
    assert!(
        s.complete("key ")
            .contains(&"generate-symmetric".to_owned())
    );
    assert_eq!(s.complete("key un"), ["unshare", "unwrap"]);
    assert_eq!(
        s.complete("key wrap aes-"),
        ["aes-no-pad", "aes-pkcs5-pad", "aes-zero-pad"]
    );
    let filters = s.complete("key wrap aes-no-pad --payload-filter ");
    assert!(
        filters.contains(&"key-reference=0x0000000000000006".to_owned()),
        "{filters:?}"
    );
    assert!(
        filters.contains(&"attr.label=kek".to_owned()),
        "{filters:?}"
    );
    assert_eq!(s.complete("key unwrap aes-no-pad --data-path "), ["k.key"]);
    assert_eq!(
        s.complete("key share --filter attr.label=kek --username b"),
        ["bob"]
    );
    assert!(
        s.complete("key generate-symmetric aes --la")
            .contains(&"--label".to_owned())
    );
    // KMU's completion is as before.
    assert_eq!(s.complete("wrapKey -k "), ["6"]);
}

#[test]
fn the_audit_log_names_each_lines_dialect() {
    let mut s = session();
    s.run("key generate-symmetric aes --label kek --key-length-bytes 32");
    s.run("findKey");
    s.run("key delete --filter attr.label=nosuch");
    s.upload_file("x.bin", vec![1, 2, 3]).unwrap();
    let log = s.audit_log();
    let dialects: Vec<Dialect> = log.iter().map(|e| e.dialect).collect();
    assert_eq!(
        dialects,
        [
            Dialect::CloudHsmCli,
            Dialect::Kmu,
            Dialect::CloudHsmCli,
            Dialect::Page
        ]
    );
    assert_eq!(
        log[0].command,
        "key generate-symmetric aes --label kek --key-length-bytes 32"
    );
    assert_eq!(log[0].handles, [h(6)]);
    assert!(!log[2].return_code.is_success());
}

#[test]
fn replies_are_json_with_linked_references() {
    let mut s = session();
    let out = s.run("key generate-symmetric aes --label kek --key-length-bytes 32");
    assert!(out.return_code.is_success());
    let reply: serde_json::Value = serde_json::from_str(&out.output).unwrap();
    assert_eq!(reply["error_code"], 0);
    assert_eq!(reply["data"]["key"]["key-reference"], "0x0000000000000006");
    assert_eq!(reply["data"]["key"]["attributes"]["key-length-bytes"], 32);
    assert_eq!(out.effects.created, [h(6)]);
    let span = &out.handle_spans[0];
    assert_eq!(&out.output[span.range.clone()], "0x0000000000000006");
    assert_eq!(span.handle, h(6));

    let out = s.run(
        "key wrap aes-no-pad --payload-filter attr.label=kek --wrapping-filter attr.label=kek",
    );
    let reply: serde_json::Value = serde_json::from_str(&out.output).unwrap();
    let blob = keywrap_core::encoding::decode(
        reply["data"]["wrapped_key_data"].as_str().unwrap(),
        keywrap_core::encoding::Format::Base64,
    )
    .unwrap();
    assert_eq!(blob.len(), 40, "32 bytes wrap to 40");
    assert!(out.steps.is_some_and(|st| st.function == "key wrap"));

    let out = s.run("key list --filter attr.label=nosuch attr.sensitive=maybe");
    let reply: serde_json::Value = serde_json::from_str(&out.output).unwrap();
    assert_eq!(reply["error_code"], 1);
    assert!(reply["data"].as_str().unwrap().contains("true or false"));
}
