//! Properties of the console, in both dialects (KMU and CloudHSM CLI lines,
//! mixed): no line panics, and a refused command leaves the session (keys
//! and their values, the handle counter, files, login, tenancy) exactly as
//! it was. Only the audit log grows, and never with a password.

// In tests a failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use keywrap_core::hsm::{InsecureSeededKeys, Session};
use proptest::prelude::*;

/// A session with keys of every kind and files of every kind.
fn seeded_session() -> Session {
    let mut s = Session::with_key_source(Box::new(InsecureSeededKeys::new(42)));
    for line in [
        "genSymKey -t 31 -s 32 -l kek",
        "genSymKey -t 31 -s 16 -l payload",
        "genSymKey -t 31 -s 24 -l locked -nex",
        "genSymKey -t 16 -s 20 -l generic",
        "genSymKey -t 31 -s 32 -l temp -sess",
        "wrapKey -k 7 -w 6 -out mykey.key -m 5",
        "wrapKey -k 7 -w 6 -out bare.key -m 6 -noheader",
        "exSymKey -k 7 -w 6 -out plain.key",
        "shareKey -k 6 -u 4 -m 1",
        "setAttribute -o 7 -a 528 -v 1",
    ] {
        assert!(s.run(line).return_code.is_success(), "{line}");
    }
    s
}

/// A password the generator types after `-p`; it must never reach the audit log.
const PASSWORD: &str = "pw-not-for-the-log";

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("genSymKey"),
        Just("wrapKey"),
        Just("unWrapKey"),
        Just("findKey"),
        Just("getAttribute"),
        Just("setAttribute"),
        Just("deleteKey"),
        Just("shareKey"),
        Just("exSymKey"),
        Just("imSymKey"),
        Just("aesWrapUnwrap"),
        Just("loginHSM"),
        Just("logoutHSM"),
        Just("loginStatus"),
        Just("listAttributes"),
        Just("help"),
        Just("extWrapAll"),
        Just("7,8"),
        Just("6,7,9,8"),
        Just("bk-"),
        Just("-t"),
        Just("-s"),
        Just("-l"),
        Just("-k"),
        Just("-w"),
        Just("-o"),
        Just("-a"),
        Just("-v"),
        Just("-m"),
        Just("-u"),
        Just("-f"),
        Just("-out"),
        Just("-i"),
        Just("-id"),
        Just("-kc"),
        Just("-kt"),
        Just("-noheader"),
        Just("-nex"),
        Just("-sess"),
        Just("-kcv"),
        Just("-p"),
        Just(PASSWORD),
        Just("CU"),
        Just("CO"),
        Just("alice"),
        Just("bob"),
        Just("admin"),
        Just("mykey.key"),
        Just("bare.key"),
        Just("plain.key"),
        Just("new.key"),
        Just("A6A6A6A6A6A6A6A6"),
        Just("0011223344556677"),
        Just("\"two words\""),
        Just("512"),
        Just("354"),
        Just("259"),
        Just("134"),
        Just("3"),
        Just("371"),
        Just("31"),
        Just("16"),
        Just("21"),
        Just("32"),
        Just("24"),
        Just("20"),
        Just("0"),
        Just("1"),
        Just("4"),
        Just("5"),
        Just("6"),
        Just("7"),
        Just("8"),
        Just("9"),
        Just("10"),
        Just("11"),
        Just("99"),
    ]
    .prop_map(str::to_owned)
}

/// Words of CloudHSM CLI lines.
fn cli_word() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("key"),
        Just("generate-symmetric"),
        Just("aes"),
        Just("generic-secret"),
        Just("--label"),
        Just("--key-length-bytes"),
        Just("--attributes"),
        Just("extractable=false"),
        Just("sensitive=false"),
        Just("wrap-with-trusted=true"),
        Just("--session"),
        Just("--share-crypto-users"),
        Just("list"),
        Just("--filter"),
        Just("--verbose"),
        Just("--max-items"),
        Just("attr.label=kek"),
        Just("attr.key-type=aes"),
        Just("key-reference=0x0000000000000006"),
        Just("key-reference=0x0000000000000007"),
        Just("key-reference=0x0000000000000008"),
        Just("wrap"),
        Just("unwrap"),
        Just("aes-no-pad"),
        Just("aes-zero-pad"),
        Just("aes-pkcs5-pad"),
        Just("--payload-filter"),
        Just("--wrapping-filter"),
        Just("--path"),
        Just("--data-path"),
        Just("--data"),
        Just("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
        Just("--key-type-class"),
        Just("set-attribute"),
        Just("--name"),
        Just("--value"),
        Just("true"),
        Just("false"),
        Just("share"),
        Just("unshare"),
        Just("delete"),
        Just("--username"),
        Just("--role"),
        Just("crypto-user"),
        Just("login"),
        Just("logout"),
        Just("user"),
        Just("--password"),
        Just(PASSWORD),
        Just("--path-prefix"),
        Just("bk-"),
        Just("attr.label=payload"),
    ]
    .prop_map(str::to_owned)
}

/// A CloudHSM CLI login with the password somewhere, right or wrong user.
fn cli_login_line() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["crypto-user", "admin", "officer"]),
        prop::sample::select(vec!["alice", "admin", "bob"]),
        any::<bool>(),
    )
        .prop_map(|(role, user, password_first)| {
            if password_first {
                format!("login --password {PASSWORD} --username {user} --role {role}")
            } else {
                format!("login --username {user} --role {role} --password {PASSWORD}")
            }
        })
}

/// A login with the password in one of two places, right or wrong user.
fn login_line() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["CU", "CO", "XX"]),
        prop::sample::select(vec!["alice", "admin", "bob"]),
        any::<bool>(),
    )
        .prop_map(|(user_type, user, password_first)| {
            if password_first {
                format!("loginHSM -p {PASSWORD} -u {user_type} -s {user}")
            } else {
                format!("loginHSM -u {user_type} -s {user} -p {PASSWORD}")
            }
        })
}

fn command_line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(word(), 1..12).prop_map(|w| w.join(" ")),
        3 => (cli_word(), prop::collection::vec(prop_oneof![cli_word(), word()], 0..12))
            .prop_map(|(first, rest)| format!("key {first} {}", rest.join(" "))),
        1 => prop::collection::vec(cli_word(), 1..12).prop_map(|w| w.join(" ")),
        // The bulk wrap extension, in both dialects.
        1 => prop::collection::vec(prop_oneof![cli_word(), word()], 0..10)
            .prop_map(|rest| format!("ext wrap-all {}", rest.join(" "))),
        1 => prop::collection::vec(word(), 0..10)
            .prop_map(|rest| format!("extWrapAll {}", rest.join(" "))),
        1 => login_line(),
        1 => cli_login_line(),
        1 => Just("logout".to_owned()),
        1 => "\\PC{0,80}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn refused_commands_change_nothing(lines in prop::collection::vec(command_line(), 1..8)) {
        let mut session = seeded_session();
        for line in &lines {
            let before = session.snapshot();
            let audit_before = session.audit_log().len();
            let outcome = session.run(line);
            if !outcome.return_code.is_success() {
                prop_assert!(session.snapshot() == before, "`{}` was refused but changed the session", line);
                prop_assert_eq!(outcome.effects.created.len() + outcome.effects.deleted.len(), 0);
                prop_assert_eq!(session.audit_log().len(), audit_before + 1);
            }
            // The audit log never holds the password typed after loginHSM's -p.
            // (Elsewhere "-p" can be a plain value, e.g. `findKey -id -p`, and
            // the password word a label; only a login's password must vanish.)
            let words: Vec<&str> = line.split_whitespace().collect();
            let typed_password = (words.first() == Some(&"loginHSM")
                && words.windows(2).any(|w| w == ["-p", PASSWORD]))
                || (words.first() == Some(&"login")
                    && words.windows(2).any(|w| w == ["--password", PASSWORD]));
            if typed_password && words.iter().filter(|w| **w == PASSWORD).count() == 1 {
                let last = session.audit_log().last().map(|e| e.command.clone()).unwrap_or_default();
                prop_assert!(!last.contains(PASSWORD), "the audit holds the password: {}", last);
                let shown = keywrap_core::mask_secrets(line);
                prop_assert!(!shown.contains(PASSWORD), "the echo shows the password: {}", shown);
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics(line in "\\PC{0,200}") {
        let mut session = seeded_session();
        let _ = session.run(&line);
        let _ = session.complete(&line);
    }
}
