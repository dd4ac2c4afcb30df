//! Bring-your-own-key packages, natively: round trips for every provider
//! profile and key size, Wycheproof RSA-OAEP known answers on the decrypt
//! side, the step view, the bad-input table, and interoperability with the
//! machine's OpenSSL 3 in both directions, following each profile's own
//! printed recipe.

// Test code: a wrong index or slice is a failed test, which is its job.
#![allow(clippy::indexing_slicing)]

mod byok_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use byok_support as support;
use keywrap_core::byok::{
    self, ByokError, KeyForm, MaterialKind, OaepHash, PackageRequest, Provider, Scheme,
    WrappingPublicKey,
};

#[test]
fn every_profile_round_trips_under_every_key_size() {
    // AWS 4 algorithms × 3 sizes, Google 6 × 1, Azure 1 × 3, PKCS#11 2 × 3 × 2
    // hashes; RSA-AES with an AES key and a PKCS#8 key, direct with an AES key.
    let n = support::round_trip_every_profile();
    assert_eq!(
        n,
        (2 * 3 + 2 * 3 * 2) + (4 * 2 + 2) + 3 * 2 + (3 * 2 * 2 + 3 * 2)
    );
}

#[test]
fn pkcs11_takes_every_aes_size() {
    support::pkcs11_aes_sizes_round_trip();
}

#[test]
fn wycheproof_oaep_sha1_known_answers() {
    let r = support::wycheproof_oaep(support::WYCHEPROOF_OAEP_SHA1, OaepHash::Sha1);
    assert_eq!((r.valid, r.labelled, r.invalid), (10, 7, 19));
}

#[test]
fn wycheproof_oaep_sha256_known_answers() {
    let r = support::wycheproof_oaep(support::WYCHEPROOF_OAEP_SHA256, OaepHash::Sha256);
    assert_eq!((r.valid, r.labelled, r.invalid), (10, 8, 19));
}

#[test]
fn the_step_view_shows_both_layers() {
    support::steps_under_test_key();
}

#[test]
fn bad_inputs_get_specific_errors() {
    let cases = support::bad_inputs();
    assert!(cases.len() >= 20);
    for case in cases {
        match case.got {
            Ok(()) => panic!("{}: accepted", case.what),
            Err(e) => {
                assert!((case.expected)(&e), "{}: wrong error: {e:?}", case.what);
                assert!(
                    e.to_string().len() > 30,
                    "{}: say what is expected",
                    case.what
                );
            }
        }
    }
}

#[test]
fn public_keys_in_every_form() {
    let spki = WrappingPublicKey::parse(support::RSA2048_PUBLIC.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let pkcs1 = WrappingPublicKey::parse(support::RSA2048_PUBLIC_PKCS1.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    let der =
        WrappingPublicKey::parse(support::RSA2048_PUBLIC_DER).unwrap_or_else(|e| panic!("{e}"));
    let b64 = keywrap_core::encoding::encode_base64(support::RSA2048_PUBLIC_DER);
    let aws = WrappingPublicKey::parse(b64.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    // Pasted with a shell prompt and blank lines around it.
    let noisy = format!("$ cat key.pem\n\n{}\n$ ", support::RSA2048_PUBLIC);
    let noisy = WrappingPublicKey::parse(noisy.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        [
            spki.form(),
            pkcs1.form(),
            der.form(),
            aws.form(),
            noisy.form()
        ],
        [
            KeyForm::PemSpki,
            KeyForm::PemPkcs1,
            KeyForm::DerSpki,
            KeyForm::Base64Spki,
            KeyForm::PemSpki
        ]
    );
    for key in [&pkcs1, &der, &aws, &noisy] {
        assert_eq!(key.spki_der(), spki.spki_der());
    }
    assert_eq!(spki.spki_der(), support::RSA2048_PUBLIC_DER);
    assert_eq!(spki.public_exponent(), Some(65537));
    for (bits, pem) in [
        (2048, support::RSA2048_PUBLIC),
        (3072, support::RSA3072_PUBLIC),
        (4096, support::RSA4096_PUBLIC),
    ] {
        let key = WrappingPublicKey::parse(pem.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((key.bits(), key.modulus_len()), (bits, bits / 8));
        let expected = support::FINGERPRINTS
            .iter()
            .find(|(b, _)| *b == bits)
            .map(|(_, f)| *f);
        assert_eq!(Some(key.fingerprint_sha256().as_str()), expected);
        assert_eq!(key.to_pem().trim(), pem.trim());
    }
}

#[test]
fn oaep_limits_and_tampering() {
    let pairs = support::key_pairs();
    for (bits, private) in &pairs {
        let public = private.public_key();
        for hash in [OaepHash::Sha1, OaepHash::Sha256] {
            let max = bits / 8 - 2 * hash.digest_len() - 2;
            let ct =
                byok::oaep_encrypt(public, hash, &vec![1; max]).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(ct.len(), bits / 8);
            assert_eq!(
                byok::oaep_encrypt(public, hash, &vec![1; max + 1]).err(),
                Some(ByokError::OaepMessageTooLong { len: max + 1, max })
            );
            // Every tampering, a wrong hash and a wrong length: the one error.
            let other = match hash {
                OaepHash::Sha1 => OaepHash::Sha256,
                OaepHash::Sha256 => OaepHash::Sha1,
            };
            let mut flipped = ct.clone();
            flipped[bits / 16] ^= 1;
            for bad in [flipped, ct[1..].to_vec(), [ct.clone(), vec![0]].concat()] {
                assert_eq!(
                    byok::oaep_decrypt(private, hash, &bad).err(),
                    Some(ByokError::OaepDecryptionFailed)
                );
            }
            assert_eq!(
                byok::oaep_decrypt(private, other, &ct).err(),
                Some(ByokError::OaepDecryptionFailed)
            );
        }
    }
    // RSA-AES: a flipped KWP byte fails the KWP layer, a short package is
    // refused by length, and the FACTS table's OAEP limits hold.
    let (_, private) = &pairs[0];
    let mut pkg = byok::rsa_aes_wrap(
        private.public_key(),
        OaepHash::Sha256,
        byok::AesKeySize::Aes256,
        &[9; 32],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pkg.len(), 256 + 40);
    let last = pkg.len() - 1;
    pkg[last] ^= 1;
    assert!(matches!(
        byok::rsa_aes_unwrap(private, OaepHash::Sha256, &pkg),
        Err(ByokError::KwpLayer(
            keywrap_core::Error::IntegrityCheckFailed
        ))
    ));
    assert!(matches!(
        byok::rsa_aes_unwrap(private, OaepHash::Sha256, &pkg[..256 + 8]),
        Err(ByokError::PackageTooShort {
            len: 264,
            modulus_len: 256
        })
    ));
    assert_eq!(
        [2048, 3072, 4096].map(|b| [
            OaepHash::Sha1.max_message_len(b / 8),
            OaepHash::Sha256.max_message_len(b / 8)
        ]),
        [[214, 190], [342, 318], [470, 446]]
    );
}

#[test]
fn aws_package_names_and_commands() {
    let pairs = support::key_pairs();
    let (_, private) = &pairs[2];
    let request = PackageRequest {
        algorithm: Provider::Aws
            .algorithm("rsa_aes_key_wrap_sha_256")
            .unwrap_or_else(|e| panic!("{e}")),
        hash: None,
        aes: None,
        wrapping_key: private.public_key(),
        material: &[3; 32],
        material_kind: MaterialKind::Auto,
        kid: None,
        key_name: None,
    };
    let p = byok::prepare(&request).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(p.file_name, "EncryptedKeyMaterial.bin");
    assert!(p.finishing_command.starts_with("aws kms import-key-material --key-id <KEY_ID> --encrypted-key-material fileb://EncryptedKeyMaterial.bin --import-token fileb://ImportToken.bin"));
    assert!(
        p.openssl_commands
            .contains("-inkey WrappingPublicKey.bin -keyform DER")
    );
    assert!(
        p.openssl_commands.contains(
            "cat aes-key-wrapped.bin key-material-wrapped.bin > EncryptedKeyMaterial.bin"
        )
    );
    assert_eq!(p.wrapping_fingerprint, support::FINGERPRINTS[2].1);
    // Asking SHA-1 of a _SHA_256 algorithm is refused.
    let wrong = PackageRequest {
        hash: Some(OaepHash::Sha1),
        ..request
    };
    assert!(matches!(
        byok::prepare(&wrong),
        Err(ByokError::HashFixedByAlgorithm { .. })
    ));
}

// ---- OpenSSL 3, both directions -------------------------------------------

fn openssl_available() -> bool {
    Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A fresh directory under the system's temporary directory.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("keywrap-byok-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

fn sh(dir: &Path, script: &str) {
    let out = Command::new("sh")
        .arg("-ec")
        .arg(script)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("sh: {e}"));
    assert!(
        out.status.success(),
        "script failed:\n{script}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn read(path: PathBuf) -> Vec<u8> {
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write(path: PathBuf, bytes: &[u8]) {
    std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// One representative algorithm of every profile and scheme, with the key
/// pair it is tried under.
fn interop_cases() -> Vec<(
    &'static byok::Algorithm,
    Option<OaepHash>,
    usize,
    &'static str,
)> {
    let a = |p: Provider, n: &str| p.algorithm(n).unwrap_or_else(|e| panic!("{e}"));
    vec![
        (
            a(Provider::Aws, "RSA_AES_KEY_WRAP_SHA_256"),
            None,
            4096,
            support::RSA4096_PRIVATE,
        ),
        (
            a(Provider::Aws, "RSA_AES_KEY_WRAP_SHA_1"),
            None,
            2048,
            support::RSA2048_PRIVATE,
        ),
        (
            a(Provider::Aws, "RSAES_OAEP_SHA_256"),
            None,
            3072,
            support::RSA3072_PRIVATE,
        ),
        (
            a(Provider::Aws, "RSAES_OAEP_SHA_1"),
            None,
            2048,
            support::RSA2048_PRIVATE,
        ),
        (
            a(Provider::Gcp, "RSA_OAEP_3072_SHA1_AES_256"),
            None,
            3072,
            support::RSA3072_PRIVATE,
        ),
        (
            a(Provider::Gcp, "RSA_OAEP_4096_SHA256_AES_256"),
            None,
            4096,
            support::RSA4096_PRIVATE,
        ),
        (
            a(Provider::Gcp, "RSA_OAEP_4096_SHA256"),
            None,
            4096,
            support::RSA4096_PRIVATE,
        ),
        (
            a(Provider::Azure, "CKM_RSA_AES_KEY_WRAP"),
            None,
            2048,
            support::RSA2048_PRIVATE,
        ),
        (
            a(Provider::Pkcs11, "CKM_RSA_AES_KEY_WRAP"),
            Some(OaepHash::Sha1),
            3072,
            support::RSA3072_PRIVATE,
        ),
        (
            a(Provider::Pkcs11, "CKM_RSA_PKCS_OAEP"),
            Some(OaepHash::Sha256),
            2048,
            support::RSA2048_PRIVATE,
        ),
    ]
}

fn material_for(scheme: Scheme) -> Vec<u8> {
    match scheme {
        Scheme::DirectOaep => support::bytes(32, 0x51),
        Scheme::RsaAes => support::pkcs8_material(),
    }
}

#[test]
fn openssl_opens_our_packages() {
    if !openssl_available() {
        println!("SKIPPED: openssl is not installed; the OpenSSL interop test did not run");
        return;
    }
    for (i, (algorithm, hash, bits, private_pem)) in interop_cases().into_iter().enumerate() {
        let dir = scratch(&format!("ours-{i}"));
        let private = byok::UnwrappingPrivateKey::parse(private_pem.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        let material = material_for(algorithm.scheme);
        let request = PackageRequest {
            algorithm,
            hash,
            aes: None,
            wrapping_key: private.public_key(),
            material: &material,
            material_kind: MaterialKind::Auto,
            kid: Some(support::AZURE_KID),
            key_name: None,
        };
        let package = byok::prepare(&request).unwrap_or_else(|e| panic!("{e}"));
        let wrapped = if algorithm.provider == Provider::Azure {
            support::azure_ciphertext(&package.file_contents)
        } else {
            package.file_contents.clone()
        };
        write(dir.join("private.pem"), private_pem.as_bytes());
        let h = package.checked.hash.openssl_name();
        let (md, mgf) = (format!("rsa_oaep_md:{h}"), format!("rsa_mgf1_md:{h}"));
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
                    &md,
                    "-pkeyopt",
                    &mgf,
                ],
            );
        };
        let k = bits / 8;
        match algorithm.scheme {
            Scheme::DirectOaep => {
                write(dir.join("package.bin"), &wrapped);
                decrypt("package.bin", "opened.bin");
            }
            Scheme::RsaAes => {
                write(dir.join("rsa.bin"), &wrapped[..k]);
                write(dir.join("kwp.bin"), &wrapped[k..]);
                decrypt("rsa.bin", "aes.bin");
                let aes = read(dir.join("aes.bin"));
                assert_eq!(aes.len(), 32, "{}: AES-256", algorithm.name);
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
            }
        }
        assert_eq!(read(dir.join("opened.bin")), material, "{}", algorithm.name);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn we_open_packages_made_by_each_profiles_openssl_recipe() {
    if !openssl_available() {
        println!("SKIPPED: openssl is not installed; the OpenSSL interop test did not run");
        return;
    }
    for (i, (algorithm, hash, _, private_pem)) in interop_cases().into_iter().enumerate() {
        let dir = scratch(&format!("theirs-{i}"));
        let private = byok::UnwrappingPrivateKey::parse(private_pem.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        let public = private.public_key();
        let material = material_for(algorithm.scheme);
        let request = PackageRequest {
            algorithm,
            hash,
            aes: None,
            wrapping_key: public,
            material: &material,
            material_kind: MaterialKind::Auto,
            kid: Some(support::AZURE_KID),
            key_name: Some("imported"),
        };
        let package = byok::prepare(&request).unwrap_or_else(|e| panic!("{e}"));
        // The inputs, named and encoded as the recipe's first line says.
        let (key_file, key_bytes, material_file) = match algorithm.provider {
            Provider::Aws => (
                "WrappingPublicKey.bin",
                public.spki_der().to_vec(),
                "PlaintextKeyMaterial.bin",
            ),
            Provider::Azure => ("kek.pem", public.to_pem().into_bytes(), "key-material.bin"),
            _ => (
                "wrapping-key.pem",
                public.to_pem().into_bytes(),
                "key-material.bin",
            ),
        };
        write(dir.join(key_file), &key_bytes);
        write(dir.join(material_file), &material);
        sh(&dir, &package.openssl_commands);
        let produced = read(dir.join(&package.file_name));
        let wrapped = if algorithm.provider == Provider::Azure {
            support::azure_ciphertext_from(&produced, "OpenSSL 3")
        } else {
            produced
        };
        assert_eq!(wrapped.len(), package.wrapped.len(), "{}", algorithm.name);
        let opened = byok::open(algorithm, hash, &private, &wrapped)
            .unwrap_or_else(|e| panic!("{}: {e}", algorithm.name));
        assert_eq!(opened.expose_secret(), &material[..], "{}", algorithm.name);
        // The recipe leaves no ephemeral key behind.
        assert!(!dir.join("aes-key.bin").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Our constant-time EME-OAEP decoding agrees with the RSA crate's wherever
/// Wycheproof calls a case valid; where the crate accepts an invalid case
/// (rsa 0.10.0 skips the first-byte check of RFC 8017 §7.1.2 step 3g), ours
/// refuses it. The count is printed.
#[test]
fn our_oaep_decoding_agrees_with_the_rsa_crate_on_wycheproof() {
    use rsa::pkcs8::DecodePrivateKey;
    use serde_json::Value;
    for (file, hash) in [
        (support::WYCHEPROOF_OAEP_SHA1, OaepHash::Sha1),
        (support::WYCHEPROOF_OAEP_SHA256, OaepHash::Sha256),
    ] {
        let json: Value = serde_json::from_str(file).unwrap_or_else(|e| panic!("{e}"));
        let mut crate_accepts_invalid = Vec::new();
        let mut agreed = 0;
        for group in json["testGroups"].as_array().into_iter().flatten() {
            let hex = |v: &Value| {
                keywrap_core::encoding::decode(
                    v.as_str().unwrap_or_default(),
                    keywrap_core::encoding::Format::Hex,
                )
                .map(|b| b.to_vec())
                .unwrap_or_default()
            };
            let der = hex(&group["privateKeyPkcs8"]);
            let theirs = rsa::PrivateKey::from_pkcs8_der(&der).unwrap_or_else(|e| panic!("{e}"));
            let ours = byok::UnwrappingPrivateKey::parse(&der).unwrap_or_else(|e| panic!("{e}"));
            for test in group["tests"].as_array().into_iter().flatten() {
                if test["label"].as_str().is_some_and(|l| !l.is_empty()) {
                    continue;
                }
                let ct = hex(&test["ct"]);
                let crate_result = match hash {
                    OaepHash::Sha1 => theirs.oaep_decrypt::<sha1::Sha1>(&ct),
                    OaepHash::Sha256 => theirs.oaep_decrypt::<sha2::Sha256>(&ct),
                };
                let our_result = byok::oaep_decrypt(&ours, hash, &ct);
                match (test["result"].as_str(), crate_result, our_result) {
                    (Some("valid"), Ok(a), Ok(b)) => {
                        assert_eq!(&a[..], b.expose_secret());
                        agreed += 1;
                    }
                    (Some("invalid"), Ok(_), Err(ByokError::OaepDecryptionFailed)) => {
                        crate_accepts_invalid.push(test["tcId"].clone());
                    }
                    (Some("invalid"), Err(_), Err(ByokError::OaepDecryptionFailed)) => agreed += 1,
                    (r, a, b) => panic!(
                        "tcId {}: {r:?} rsa {:?} ours {:?}",
                        test["tcId"],
                        a.is_ok(),
                        b.is_ok()
                    ),
                }
            }
        }
        println!(
            "{}: {agreed} cases agree; the rsa crate accepts invalid tcIds {crate_accepts_invalid:?}, which we refuse",
            hash.name()
        );
        assert!(agreed >= 27);
    }
}
