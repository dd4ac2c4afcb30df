//! The `keywrap` command: output, error messages and exit codes
//! (0 success, 1 the operation failed, 2 usage error).
#![cfg(feature = "cli")]

use std::io::Write;
use std::process::{Command, Stdio};

const KEYWRAP: &str = env!("CARGO_BIN_EXE_keywrap");
const KEK: &str = "000102030405060708090A0B0C0D0E0F";
const DATA: &str = "00112233445566778899AABBCCDDEEFF";
const WRAPPED: &str = "1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5";

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn keywrap(args: &[&str], stdin: &[u8]) -> Out {
    let child = Command::new(KEYWRAP)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        panic!("cannot start {KEYWRAP}");
    };
    if let Some(mut s) = child.stdin.take() {
        let _ = s.write_all(stdin);
    }
    let Ok(out) = child.wait_with_output() else {
        panic!("keywrap did not finish");
    };
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn wrap_and_unwrap() {
    let o = keywrap(&["wrap", "--kek", KEK, DATA], b"");
    assert_eq!(
        (o.code, o.stdout.as_str()),
        (0, "1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5\n")
    );
    let o = keywrap(&["unwrap", "--kek", KEK, WRAPPED], b"");
    assert_eq!(
        (o.code, o.stdout.as_str()),
        (0, "00112233445566778899aabbccddeeff\n")
    );
    assert!(o.stderr.is_empty());
}

#[test]
fn standard_input_and_formats() {
    let o = keywrap(
        &["wrap", "--kek", KEK, "--out-format", "base64"],
        b"00 11 22 33 44 55 66 77\n88 99 aa bb cc dd ee ff\n",
    );
    assert_eq!(
        (o.code, o.stdout.as_str()),
        (0, "H6aLCoEStEeu80vY+1p7gp0+hiNx0s/l\n")
    );
    let o = keywrap(
        &["unwrap", "--kek", KEK, "--in-format", "base64", "-"],
        b"H6aLCoEStEeu80vY+1p7gp0+hiNx0s/l",
    );
    assert_eq!(
        (o.code, o.stdout.as_str()),
        (0, "00112233445566778899aabbccddeeff\n")
    );
    let o = keywrap(
        &["wrap", "--kek", KEK, "--mode", "kwp", "--in-format", "raw"],
        b"ForPasi",
    );
    assert_eq!(o.code, 0);
    assert_eq!(o.stdout.len(), 33);
}

#[test]
fn custom_iv() {
    let o = keywrap(
        &["wrap", "--kek", KEK, "--iv", "0102030405060708", DATA],
        b"",
    );
    assert_eq!(o.code, 0);
    let blob = o.stdout.trim().to_owned();
    assert_ne!(blob, WRAPPED);
    let o = keywrap(
        &[
            "unwrap",
            "--kek",
            KEK,
            "--iv",
            "01:02:03:04:05:06:07:08",
            &blob,
        ],
        b"",
    );
    assert_eq!(
        (o.code, o.stdout.as_str()),
        (0, "00112233445566778899aabbccddeeff\n")
    );
    let o = keywrap(&["unwrap", "--kek", KEK, &blob], b"");
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("integrity check failed"), "{}", o.stderr);
}

#[test]
fn operation_failures_exit_1_with_the_specific_error() {
    let tampered = "1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe4";
    let o = keywrap(&["unwrap", "--kek", KEK, tampered], b"");
    assert_eq!(o.code, 1);
    assert!(o.stdout.is_empty());
    assert!(
        o.stderr.starts_with("keywrap: integrity check failed"),
        "{}",
        o.stderr
    );

    let o = keywrap(&["wrap", "--kek", KEK, "0011223344556677"], b"");
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("cannot wrap 8 bytes"), "{}", o.stderr);
    assert!(o.stderr.contains("at least 16 bytes"), "{}", o.stderr);

    let o = keywrap(&["wrap", "--kek", KEK, "00112g"], b"");
    assert_eq!(o.code, 1);
    assert!(
        o.stderr.contains("bad character 'g' at position 6"),
        "{}",
        o.stderr
    );

    let o = keywrap(&["wrap", "--kek", KEK, "001"], b"");
    assert_eq!(o.code, 1);
    assert!(
        o.stderr.contains("odd number of digits (3)"),
        "{}",
        o.stderr
    );

    let o = keywrap(&["unwrap", "--kek", KEK, "--mode", "kwp", WRAPPED], b"");
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("keywrap: "), "{}", o.stderr);
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["wrap", "--kek", "0011", DATA][..],
        &["wrap", DATA][..],
        &["wrap", "--kek", KEK, "--mode", "gcm", DATA][..],
        &["wrap", "--kek", KEK, "--iv", "a6a6", DATA][..],
        &[
            "wrap",
            "--kek",
            KEK,
            "--mode",
            "kwp",
            "--iv",
            "A6A6A6A6A6A6A6A6",
            DATA,
        ][..],
        &["kcv", "--key", "00"][..],
        &["frobnicate"][..],
        &[][..],
    ] {
        let o = keywrap(args, b"");
        assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
        assert!(!o.stderr.is_empty());
    }
    // The KEK is never echoed back.
    let secret = "00112233445566778899aabbccddee";
    let o = keywrap(&["wrap", "--kek", secret, DATA], b"");
    assert_eq!(o.code, 2);
    assert!(!o.stderr.contains(secret), "{}", o.stderr);
    assert!(o.stderr.contains("the KEK is 15 bytes"), "{}", o.stderr);
}

#[test]
fn kcv() {
    let key = "000102030405060708090a0b0c0d0e0f";
    assert_eq!(keywrap(&["kcv", "--key", key], b"").stdout, "c6a13b\n");
    assert_eq!(
        keywrap(&["kcv", "--key", key, "--method", "cmac"], b"").stdout,
        "be7ed6\n"
    );
}

#[test]
fn trace() {
    let o = keywrap(&["trace", "wrap", "--kek", KEK, DATA], b"");
    assert_eq!(o.code, 0, "{}", o.stderr);
    // RFC 3394 §4.1's first and last intermediate values.
    assert!(o.stdout.contains("F4740052E82A2250"), "{}", o.stdout);
    assert!(
        o.stdout.contains(" 5    2    12  93B71967EED41FF7"),
        "{}",
        o.stdout
    );
    assert!(
        o.stdout
            .contains("Wrapped (24 bytes): 1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5")
    );

    let o = keywrap(
        &[
            "trace",
            "unwrap",
            "--kek",
            KEK,
            "--iv",
            "0000000000000000",
            WRAPPED,
        ],
        b"",
    );
    assert_eq!(o.code, 1);
    assert!(
        o.stdout
            .contains("recovered A = A6A6A6A6A6A6A6A6, expected 0000000000000000 ... FAILED"),
        "{}",
        o.stdout
    );
    assert!(o.stderr.contains("integrity check failed"));

    let o = keywrap(&["trace", "unwrap", "--kek", KEK, WRAPPED], b"");
    assert_eq!(o.code, 0);
    assert!(
        o.stdout
            .contains("Key data (16 bytes): 00112233445566778899aabbccddeeff")
    );

    let big = "00".repeat(520);
    let o = keywrap(&["trace", "wrap", "--kek", KEK, &big], b"");
    assert_eq!(o.code, 1);
    assert!(o.stderr.contains("limited to 512 bytes"), "{}", o.stderr);
    assert_eq!(keywrap(&["wrap", "--kek", KEK, &big], b"").code, 0);
}
