//! Interoperability of the virtual HSM's RSA wrapping with the machine's
//! OpenSSL 3: a package made by `wrapKey -m 7` (RSA_AES) under a public key
//! imported with `importPubKey` opens with `openssl pkeyutl -decrypt`
//! (RSA-OAEP of the AES key) and `openssl enc -d -id-aes256-wrap-pad -iv
//! A65959A6` (the KWP part); one made by `-m 8` (RSA_OAEP) opens with
//! `pkeyutl` alone. Both hashes (`-t 2` SHA-1, `-t 3` SHA-256).
//!
//! Skipped, with a message, only when `openssl` is not installed.

// In tests a failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]

#[path = "support/console.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{run_ok, session};

const PUBLIC_3072: &[u8] = include_bytes!("vectors/byok/rsa3072-public.pem");
const PRIVATE_3072: &[u8] = include_bytes!("vectors/byok/rsa3072-private.pem");

fn openssl_available() -> bool {
    Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("keywrap-hsm-rsa-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn openssl_opens_what_wrap_key_m7_and_m8_make() {
    if !openssl_available() {
        println!("SKIPPED: openssl is not installed; the OpenSSL interop test did not run");
        return;
    }
    let mut s = session();
    let plain: Vec<u8> = (0u8..32).map(|b| b.wrapping_mul(37) ^ 0x5a).collect();
    s.upload_file("provider.pem", PUBLIC_3072.to_vec()).unwrap();
    s.upload_file("plain.bin", plain.clone()).unwrap();
    run_ok(&mut s, "importPubKey -l provider -f provider.pem"); // 6
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l kek"); // 7
    run_ok(&mut s, "imSymKey -f plain.bin -w 7 -t 31 -l payload"); // 8
    for (t, md) in [(2, "sha1"), (3, "sha256")] {
        for m in [7, 8] {
            let name = format!("pkg-m{m}-t{t}.bin");
            run_ok(
                &mut s,
                &format!("wrapKey -k 8 -w 6 -m {m} -t {t} -out {name}"),
            );
            let package = s.read_file_bytes(&name).unwrap().to_vec();
            let dir = scratch(&format!("m{m}-t{t}"));
            std::fs::write(dir.join("private.pem"), PRIVATE_3072).unwrap();
            let (omd, mgf) = (format!("rsa_oaep_md:{md}"), format!("rsa_mgf1_md:{md}"));
            let decrypt = |input: &str, output: &str| {
                openssl(
                    &dir,
                    &[
                        "pkeyutl",
                        "-decrypt",
                        "-inkey",
                        "private.pem",
                        "-in",
                        input,
                        "-out",
                        output,
                        "-pkeyopt",
                        "rsa_padding_mode:oaep",
                        "-pkeyopt",
                        &omd,
                        "-pkeyopt",
                        &mgf,
                    ],
                );
            };
            if m == 7 {
                // RSA part (k = 384 bytes) ‖ KWP part (40 bytes for 32).
                assert_eq!(package.len(), 384 + 40);
                std::fs::write(dir.join("rsa.bin"), &package[..384]).unwrap();
                std::fs::write(dir.join("kwp.bin"), &package[384..]).unwrap();
                decrypt("rsa.bin", "aes.bin");
                let aes = std::fs::read(dir.join("aes.bin")).unwrap();
                assert_eq!(aes.len(), 32, "the ephemeral key is AES-256");
                let hex = keywrap_core::encoding::encode_hex(&aes);
                openssl(
                    &dir,
                    &[
                        "enc",
                        "-d",
                        "-id-aes256-wrap-pad",
                        "-iv",
                        "A65959A6",
                        "-K",
                        &hex,
                        "-in",
                        "kwp.bin",
                        "-out",
                        "opened.bin",
                    ],
                );
            } else {
                assert_eq!(package.len(), 384);
                std::fs::write(dir.join("package.bin"), &package).unwrap();
                decrypt("package.bin", "opened.bin");
            }
            assert_eq!(
                std::fs::read(dir.join("opened.bin")).unwrap(),
                plain,
                "-m {m} -t {t}"
            );
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}
