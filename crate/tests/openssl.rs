//! Interoperability with the machine's OpenSSL: `keywrap wrap` gives what
//! `openssl enc -id-aes{128,192,256}-wrap -iv A6A6A6A6A6A6A6A6` (KW) and
//! `-id-aes{128,192,256}-wrap-pad -iv A65959A6` (KWP) give, for all three
//! KEK sizes, and `keywrap unwrap` reads OpenSSL's output back.
//!
//! Skipped, with a message, only when `openssl` is not installed. Wrapped
//! keys stay at or below 4096 bytes: `openssl enc` wraps (and unwraps) each
//! 4 KiB chunk of its input separately, so larger inputs are not one blob.
#![cfg(feature = "cli")]

use std::io::Write;
use std::process::{Command, Stdio};

const KEYWRAP: &str = env!("CARGO_BIN_EXE_keywrap");

fn openssl_available() -> bool {
    Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs `program args` with `input` on stdin; returns stdout, or the failure.
fn run(program: &str, args: &[&str], input: &[u8]) -> Result<Vec<u8>, String> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{program}: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input).map_err(|e| e.to_string())?;
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(format!(
            "{program} {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Deterministic bytes (no dependency on a random source).
#[expect(
    clippy::cast_possible_truncation,
    reason = "a byte pattern: keeping the low byte is the point"
)]
fn bytes(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(167).wrapping_add(seed) ^ (i >> 8) as u8)
        .collect()
}

fn hex(b: &[u8]) -> String {
    keywrap_core::encoding::encode_hex(b)
}

#[test]
fn keywrap_equals_openssl() {
    if !openssl_available() {
        println!("SKIPPED: openssl is not installed; the OpenSSL interop test did not run");
        return;
    }
    let mut compared = 0;
    for kek_len in [16usize, 24, 32] {
        let kek = hex(&bytes(kek_len, u8::try_from(kek_len).unwrap_or(u8::MAX)));
        for (mode, suffix, iv, lengths) in [
            (
                "kw",
                "wrap",
                "A6A6A6A6A6A6A6A6",
                &[16usize, 24, 32, 40, 64, 256, 4088][..],
            ),
            (
                "kwp",
                "wrap-pad",
                "A65959A6",
                &[1usize, 7, 8, 9, 16, 20, 31, 33, 100, 1000, 4081][..],
            ),
        ] {
            let cipher = format!("-id-aes{}-{suffix}", kek_len * 8);
            for &len in lengths {
                let data = bytes(len, u8::try_from(len % 256).unwrap_or_default());
                let theirs = run("openssl", &["enc", &cipher, "-iv", iv, "-K", &kek], &data);
                let ours = run(
                    KEYWRAP,
                    &[
                        "wrap",
                        "--kek",
                        &kek,
                        "--mode",
                        mode,
                        "--in-format",
                        "raw",
                        "--out-format",
                        "raw",
                        "-",
                    ],
                    &data,
                );
                assert!(
                    ours.is_ok() && ours == theirs,
                    "{cipher} {len} bytes: {:?}",
                    theirs.map(|b| b.len())
                );
                let blob = theirs.unwrap_or_default();
                // The other way round: our unwrap reads OpenSSL's output,
                // and OpenSSL's unwrap reads ours.
                let back = run(
                    KEYWRAP,
                    &[
                        "unwrap",
                        "--kek",
                        &kek,
                        "--mode",
                        mode,
                        "--out-format",
                        "raw",
                        &hex(&blob),
                    ],
                    b"",
                );
                assert_eq!(
                    back.as_deref(),
                    Ok(&data[..]),
                    "unwrap {cipher} {len} bytes"
                );
                let back = run(
                    "openssl",
                    &["enc", "-d", &cipher, "-iv", iv, "-K", &kek],
                    &blob,
                );
                assert_eq!(
                    back.as_deref(),
                    Ok(&data[..]),
                    "openssl -d {cipher} {len} bytes"
                );
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 3 * (7 + 11));
    println!("OpenSSL interop: {compared} wraps compared, each unwrapped both ways");
}

#[test]
fn hex_output_matches_openssl_too() {
    if !openssl_available() {
        println!("SKIPPED: openssl is not installed");
        return;
    }
    let kek = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    let data = "00112233445566778899aabbccddeeff000102030405060708090a0b0c0d0e0f";
    let theirs = run(
        "openssl",
        &[
            "enc",
            "-id-aes256-wrap",
            "-iv",
            "A6A6A6A6A6A6A6A6",
            "-K",
            kek,
        ],
        &keywrap_core::encoding::decode(data, keywrap_core::encoding::Format::Hex)
            .map(|z| z.to_vec())
            .unwrap_or_default(),
    )
    .map(|b| format!("{}\n", hex(&b)));
    let ours = run(KEYWRAP, &["wrap", "--kek", kek, data], b"")
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    assert_eq!(ours, theirs);
    // RFC 3394 §4.6.
    assert_eq!(
        ours.as_deref(),
        Ok("28c9f404c4b810f4cbccb35cfb87f8263f5786e2d80ed326cbc7f0e71a99f43bfb988b9b7a02dd21\n")
    );
}
