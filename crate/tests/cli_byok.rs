//! `keywrap byok` and `keywrap byok unwrap`: files, output, and exit codes
//! (0 success, 1 the key or material is wrong for the provider, 2 usage),
//! with nothing written when the command fails.
#![cfg(feature = "cli")]
// Test code: a wrong index is a failed test.
#![allow(clippy::indexing_slicing)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

const KEYWRAP: &str = env!("CARGO_BIN_EXE_keywrap");
const VECTORS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/byok");
const KID: &str = "https://contoso.managedhsm.azure.net/keys/kek/1";
const AES_KEY: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

struct Out {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

fn keywrap(args: &[&str], stdin: &[u8]) -> Out {
    let mut child = Command::new(KEYWRAP)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {KEYWRAP}: {e}"));
    if let Some(mut s) = child.stdin.take() {
        let _ = s.write_all(stdin);
    }
    let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn key(name: &str) -> String {
    format!("{VECTORS}/{name}")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("keywrap-cli-byok-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

/// Wrap to a file with every provider, then open the file again.
#[test]
fn every_provider_wraps_to_a_file_and_unwraps() {
    let dir = scratch("files");
    let der = Command::new("openssl")
        .args([
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            &key("rsa2048-private.pem"),
            "-outform",
            "DER",
        ])
        .output();
    // The PKCS#8 material comes from OpenSSL when present, else an AES key.
    let pkcs8_material = match der {
        Ok(o) if o.status.success() => {
            let path = dir.join("pkcs8.der");
            std::fs::write(&path, o.stdout).unwrap_or_else(|e| panic!("{e}"));
            Some(path)
        }
        _ => None,
    };
    let cases: [(&str, &str, &str, Option<&str>); 5] = [
        ("aws", "RSA_AES_KEY_WRAP_SHA_256", "rsa4096", None),
        ("aws", "RSAES_OAEP_SHA_1", "rsa2048", None),
        ("gcp", "RSA_OAEP_3072_SHA256_AES_256", "rsa3072", None),
        ("azure", "CKM_RSA_AES_KEY_WRAP", "rsa2048", Some(KID)),
        ("pkcs11", "CKM_RSA_PKCS_OAEP", "rsa3072", None),
    ];
    for (provider, algorithm, pair, kid) in cases {
        let out = dir.join(format!("{provider}-{algorithm}.pkg"));
        let public = key(&format!("{pair}-public.pem"));
        let out_str = out.to_string_lossy().into_owned();
        let mut args = vec![
            "byok",
            "--provider",
            provider,
            "--algorithm",
            algorithm,
            "--public-key",
            &public,
            "--key",
            AES_KEY,
            "--out",
            &out_str,
        ];
        if let Some(kid) = kid {
            args.extend(["--kid", kid]);
        }
        let o = keywrap(&args, b"");
        assert_eq!(o.code, 0, "{provider} {algorithm}: {}", o.stderr);
        assert!(o.stdout.is_empty());
        assert!(o.stderr.contains("SHA-256 fingerprint"), "{}", o.stderr);
        assert!(o.stderr.contains("finish with: "), "{}", o.stderr);
        let private = key(&format!("{pair}-private.pem"));
        let o = keywrap(
            &[
                "byok",
                "unwrap",
                "--provider",
                provider,
                "--algorithm",
                algorithm,
                "--private-key",
                &private,
                "--in",
                &out_str,
            ],
            b"",
        );
        assert_eq!(
            (o.code, String::from_utf8_lossy(&o.stdout).trim()),
            (0, AES_KEY),
            "{}",
            o.stderr
        );
    }
    if let Some(material) = pkcs8_material {
        let material = material.to_string_lossy().into_owned();
        let out = dir
            .join("EncryptedKeyMaterial.bin")
            .to_string_lossy()
            .into_owned();
        let o = keywrap(
            &[
                "byok",
                "--provider",
                "aws",
                "--algorithm",
                "RSA_AES_KEY_WRAP_SHA_1",
                "--public-key",
                &key("rsa3072-public.pem"),
                "--key-file",
                &material,
                "--out",
                &out,
            ],
            b"",
        );
        assert_eq!(o.code, 0, "{}", o.stderr);
        assert!(
            o.stderr.contains("RSA private key (PKCS#8)"),
            "{}",
            o.stderr
        );
        let o = keywrap(
            &[
                "byok",
                "unwrap",
                "--provider",
                "aws",
                "--algorithm",
                "RSA_AES_KEY_WRAP_SHA_1",
                "--private-key",
                &key("rsa3072-private.pem"),
                "--in",
                &out,
                "--out-format",
                "raw",
            ],
            b"",
        );
        assert_eq!(o.code, 0, "{}", o.stderr);
        assert_eq!(o.stdout, std::fs::read(&material).unwrap_or_default());
    }
    // OpenSSL 3.0's `pkey -outform DER` writes an RSA key as PKCS#1, which
    // no provider imports: a specific error says how to convert it.
    let pkcs1 = Command::new("openssl")
        .args([
            "pkey",
            "-in",
            &key("rsa2048-private.pem"),
            "-outform",
            "DER",
        ])
        .output();
    if let Ok(o) = pkcs1
        && o.status.success()
    {
        let path = dir.join("pkcs1.der");
        std::fs::write(&path, o.stdout).unwrap_or_else(|e| panic!("{e}"));
        let path = path.to_string_lossy().into_owned();
        let o = keywrap(
            &[
                "byok",
                "--provider",
                "aws",
                "--algorithm",
                "RSA_AES_KEY_WRAP_SHA_256",
                "--public-key",
                &key("rsa3072-public.pem"),
                "--key-file",
                &path,
            ],
            b"",
        );
        assert_eq!(o.code, 1, "{}", o.stderr);
        assert!(o.stderr.contains("openssl pkcs8 -topk8"), "{}", o.stderr);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Without --out: base64 of the binary file, or Azure's JSON, on stdout;
/// `byok unwrap` reads the package from standard input.
#[test]
fn prints_base64_or_the_byok_json() {
    let o = keywrap(
        &[
            "byok",
            "--provider",
            "pkcs11",
            "--algorithm",
            "CKM_RSA_AES_KEY_WRAP",
            "--hash",
            "sha1",
            "--aes-bits",
            "128",
            "--public-key",
            &key("rsa2048-public.der"),
            "--key",
            "0011223344",
        ],
        b"",
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let text = String::from_utf8_lossy(&o.stdout).trim().to_owned();
    let bytes = keywrap_core::encoding::decode(&text, keywrap_core::encoding::Format::Base64)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(bytes.len(), 256 + 16, "RSA-2048 part, KWP of 5 bytes");
    let o = keywrap(
        &[
            "byok",
            "unwrap",
            "--provider",
            "pkcs11",
            "--algorithm",
            "CKM_RSA_AES_KEY_WRAP",
            "--hash",
            "sha1",
            "--private-key",
            &key("rsa2048-private-pkcs1.pem"),
            "--out-format",
            "hex",
        ],
        &bytes,
    );
    assert_eq!(
        (o.code, String::from_utf8_lossy(&o.stdout).trim()),
        (0, "0011223344"),
        "{}",
        o.stderr
    );

    let o = keywrap(
        &[
            "byok",
            "--provider",
            "azure",
            "--algorithm",
            "CKM_RSA_AES_KEY_WRAP",
            "--kid",
            KID,
            "--key-name",
            "payments",
            "--public-key",
            &key("rsa3072-public.pem"),
            "--key",
            AES_KEY,
        ],
        b"",
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let json: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json["header"]["kid"], KID);
    assert_eq!(json["header"]["enc"], "CKM_RSA_AES_KEY_WRAP");
    assert!(
        o.stderr.contains(
            "az keyvault key import --hsm-name contoso --name payments --byok-file payments.byok"
        ),
        "{}",
        o.stderr
    );
    let o2 = keywrap(
        &[
            "byok",
            "unwrap",
            "--provider",
            "azure",
            "--algorithm",
            "CKM_RSA_AES_KEY_WRAP",
            "--private-key",
            &key("rsa3072-private.pem"),
        ],
        &o.stdout,
    );
    assert_eq!(
        (o2.code, String::from_utf8_lossy(&o2.stdout).trim()),
        (0, AES_KEY),
        "{}",
        o2.stderr
    );
}

/// Exit 1: the key or the material is wrong; the error says what the
/// provider expects, and no file is written.
#[test]
fn bad_input_exits_1_and_writes_nothing() {
    let dir = scratch("bad");
    let out = dir.join("never.bin").to_string_lossy().into_owned();
    let cases: [(&[&str], &str); 7] = [
        (
            &[
                "--provider",
                "aws",
                "--algorithm",
                "RSAES_OAEP_SHA_256",
                "--public-key",
                &key("rsa2048-public.pem"),
                "--key",
                "00112233445566778899aabbccddeeff",
            ],
            "32 bytes",
        ),
        (
            &[
                "--provider",
                "gcp",
                "--algorithm",
                "RSA_OAEP_3072_SHA256_AES_256",
                "--public-key",
                &key("rsa2048-public.pem"),
                "--key",
                AES_KEY,
            ],
            "needs a 3072-bit wrapping key",
        ),
        (
            &[
                "--provider",
                "aws",
                "--algorithm",
                "RSAES_OAEP_SHA_256",
                "--public-key",
                &key("ec-p256-public.pem"),
                "--key",
                AES_KEY,
            ],
            "elliptic-curve",
        ),
        (
            &[
                "--provider",
                "aws",
                "--algorithm",
                "RSAES_OAEP_SHA_256",
                "--public-key",
                &key("rsa1024-public.pem"),
                "--key",
                AES_KEY,
            ],
            "1024-bit",
        ),
        (
            &[
                "--provider",
                "aws",
                "--algorithm",
                "RSAES_OAEP_SHA_256",
                "--public-key",
                &key("rsa2048-private.pem"),
                "--key",
                AES_KEY,
            ],
            "PRIVATE key",
        ),
        (
            &[
                "--provider",
                "aws",
                "--algorithm",
                "RSAES_OAEP_SHA_256",
                "--public-key",
                &key("rsa2048-cert.pem"),
                "--key",
                AES_KEY,
            ],
            "certificate",
        ),
        (
            &[
                "--provider",
                "aws",
                "--algorithm",
                "RSAES_OAEP_SHA_256",
                "--public-key",
                &key("no-such-file.pem"),
                "--key",
                AES_KEY,
            ],
            "no-such-file.pem",
        ),
    ];
    for (args, says) in cases {
        let mut all = vec!["byok"];
        all.extend_from_slice(args);
        all.extend(["--out", &out]);
        let o = keywrap(&all, b"");
        assert_eq!(o.code, 1, "{args:?}: {}", o.stderr);
        assert!(o.stderr.contains(says), "{args:?}: {}", o.stderr);
        assert!(
            !std::path::Path::new(&out).exists(),
            "{args:?} wrote a file"
        );
    }
    // Opening with the wrong private key: the one generic OAEP error.
    let o = keywrap(
        &[
            "byok",
            "--provider",
            "aws",
            "--algorithm",
            "RSAES_OAEP_SHA_256",
            "--public-key",
            &key("rsa2048-public.pem"),
            "--key",
            AES_KEY,
            "--out",
            &out,
        ],
        b"",
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let o = keywrap(
        &[
            "byok",
            "unwrap",
            "--provider",
            "aws",
            "--algorithm",
            "RSAES_OAEP_SHA_1",
            "--private-key",
            &key("rsa2048-private.pem"),
            "--in",
            &out,
        ],
        b"",
    );
    assert_eq!(o.code, 1);
    assert!(
        o.stderr.contains("RSA-OAEP decryption failed"),
        "{}",
        o.stderr
    );
    assert!(o.stdout.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Exit 2: usage errors.
#[test]
fn usage_errors_exit_2() {
    let public = key("rsa2048-public.pem");
    let cases: [&[&str]; 7] = [
        &[
            "byok",
            "--provider",
            "aws",
            "--algorithm",
            "RSAES_OAEP_SHA_256",
            "--public-key",
            &public,
        ],
        &[
            "byok",
            "--provider",
            "aws",
            "--algorithm",
            "RSAES_PKCS1_V1_5",
            "--public-key",
            &public,
            "--key",
            AES_KEY,
        ],
        &[
            "byok",
            "--provider",
            "aws",
            "--algorithm",
            "RSAES_OAEP_SHA_256",
            "--hash",
            "sha1",
            "--public-key",
            &public,
            "--key",
            AES_KEY,
        ],
        &[
            "byok",
            "--provider",
            "azure",
            "--algorithm",
            "CKM_RSA_AES_KEY_WRAP",
            "--public-key",
            &public,
            "--key",
            AES_KEY,
        ],
        &[
            "byok",
            "--provider",
            "aws",
            "--algorithm",
            "RSAES_OAEP_SHA_256",
            "--public-key",
            &public,
            "--key",
            "xyz",
        ],
        &[
            "byok",
            "--provider",
            "ibm",
            "--algorithm",
            "X",
            "--public-key",
            &public,
            "--key",
            AES_KEY,
        ],
        &[
            "byok",
            "--provider",
            "pkcs11",
            "--algorithm",
            "CKM_RSA_AES_KEY_WRAP",
            "--aes-bits",
            "512",
            "--public-key",
            &public,
            "--key",
            AES_KEY,
        ],
    ];
    for args in cases {
        let o = keywrap(args, b"");
        assert_eq!(o.code, 2, "{args:?}: {}", o.stderr);
        assert!(o.stdout.is_empty());
    }
    let o = keywrap(
        &[
            "byok",
            "--provider",
            "aws",
            "--algorithm",
            "RSAES_PKCS1_V1_5",
            "--public-key",
            &public,
            "--key",
            AES_KEY,
        ],
        b"",
    );
    assert!(
        o.stderr.contains(
            "RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, RSA_AES_KEY_WRAP_SHA_1, RSA_AES_KEY_WRAP_SHA_256"
        ),
        "{}",
        o.stderr
    );
}
