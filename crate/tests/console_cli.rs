//! `keywrap console` in script mode: each line echoed as `Command:`, output
//! as the session prints it, `--strict` exit status.
#![cfg(feature = "cli")]
// In tests a failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::io::Write;
use std::process::{Command, Stdio};

fn console(args: &[&str], input: &str) -> (String, Option<i32>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_keywrap"))
        .arg("console")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (String::from_utf8(out.stdout).unwrap(), out.status.code())
}

#[test]
fn script_mode_echoes_commands_and_is_reproducible() {
    let script = "genSymKey -t 31 -s 32 -l kek\ngenSymKey -t 31 -s 32 -l payload\n\
                  wrapKey -k 7 -w 6 -out mykey.key -m 5\nunWrapKey -f mykey.key -w 6\n\
                  getAttribute -o 8 -a 371\n";
    let (out, code) = console(&["--insecure-seed", "1"], script);
    assert_eq!(code, Some(0));
    assert!(out.starts_with("Command:  genSymKey -t 31 -s 32 -l kek\n"));
    assert!(out.contains("Key Unwrapped.  Key Handle: 8"));
    assert!(out.contains("OBJ_ATTR_KCV\n0x1f6fe9"));
    assert_eq!(console(&["--insecure-seed", "1"], script).0, out);
}

#[test]
fn strict_fails_on_a_refusal_and_exit_stops() {
    let (out, code) = console(&["--strict", "--logged-out"], "findKey\nexit\nfindKey\n");
    assert_eq!(code, Some(1));
    assert_eq!(out.matches("Command:  findKey").count(), 1);
}

#[test]
fn script_mode_runs_both_dialects_with_their_prompts() {
    let script = "key generate-symmetric aes --label kek --key-length-bytes 32\n\
                  genSymKey -t 31 -s 16 -l payload\n\
                  key wrap aes-no-pad --payload-filter key-reference=0x0000000000000007 --wrapping-filter attr.label=kek\n\
                  logoutHSM\n\
                  login --username bob --role crypto-user --password hunter2\n";
    let (out, code) = console(&["--insecure-seed", "1", "--strict"], script);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.starts_with(
        "aws-cloudhsm > key generate-symmetric aes --label kek --key-length-bytes 32\n{\n  \"error_code\": 0,"
    ));
    assert!(out.contains("Command:  genSymKey -t 31 -s 16 -l payload\n"));
    assert!(out.contains("\"payload_key_reference\": \"0x0000000000000007\""));
    assert!(
        out.contains(
            "aws-cloudhsm > login --username bob --role crypto-user --password ********\n"
        )
    );
    assert!(!out.contains("hunter2"), "the echo shows the password");
}
