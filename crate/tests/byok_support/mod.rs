//! BYOK checks shared by the native test (`crate/tests/byok.rs`) and the
//! browser test (`tests/browser/byok_in_browser.rs`, through `#[path]`).
//!
//! The key pairs were made once with OpenSSL 3 (`openssl genpkey -algorithm
//! RSA -pkeyopt rsa_keygen_bits:N`; see `vectors/SOURCES.md`) and are
//! compiled in, so nothing is read from disk and no key is generated (slow
//! in a debug build).

#![allow(dead_code)] // each includer uses a different subset

use keywrap_core::byok::{
    self, ByokError, KwpLayer, MaterialKind, PackageRequest, Provider, Scheme, TestKeyPair,
    UnwrappingPrivateKey, WrappingPublicKey,
};
use serde_json::Value;

pub const RSA2048_PRIVATE: &str = include_str!("../vectors/byok/rsa2048-private.pem");
pub const RSA3072_PRIVATE: &str = include_str!("../vectors/byok/rsa3072-private.pem");
pub const RSA4096_PRIVATE: &str = include_str!("../vectors/byok/rsa4096-private.pem");
pub const RSA2048_PUBLIC: &str = include_str!("../vectors/byok/rsa2048-public.pem");
pub const RSA3072_PUBLIC: &str = include_str!("../vectors/byok/rsa3072-public.pem");
pub const RSA4096_PUBLIC: &str = include_str!("../vectors/byok/rsa4096-public.pem");
pub const RSA2048_PUBLIC_DER: &[u8] = include_bytes!("../vectors/byok/rsa2048-public.der");
pub const RSA2048_PUBLIC_PKCS1: &str = include_str!("../vectors/byok/rsa2048-public-pkcs1.pem");
pub const RSA2048_PRIVATE_PKCS1: &str = include_str!("../vectors/byok/rsa2048-private-pkcs1.pem");
pub const RSA1024_PUBLIC: &str = include_str!("../vectors/byok/rsa1024-public.pem");
pub const EC_PUBLIC: &str = include_str!("../vectors/byok/ec-p256-public.pem");
pub const EC_PRIVATE: &str = include_str!("../vectors/byok/ec-p256-private.pem");
pub const CERTIFICATE: &str = include_str!("../vectors/byok/rsa2048-cert.pem");

/// SHA-256 of each key's SPKI DER, from `openssl pkey -pubin -outform DER | sha256sum`.
pub const FINGERPRINTS: [(usize, &str); 3] = [
    (
        2048,
        "15ca7262b4a6b32e751dcd638294ce1ea77126a43c12d8dbd17d1c79275f8096",
    ),
    (
        3072,
        "999603f692b63278e46a72562a3620f0aa98722679efb085d38145a822e4a5fb",
    ),
    (
        4096,
        "19193645069b867a13ec5ae8a6a65a51ac998d4e94f540d7ee49af3af62b98c4",
    ),
];

pub const WYCHEPROOF_OAEP_SHA1: &str =
    include_str!("../vectors/wycheproof/rsa_oaep_2048_sha1_mgf1sha1_test.json");
pub const WYCHEPROOF_OAEP_SHA256: &str =
    include_str!("../vectors/wycheproof/rsa_oaep_2048_sha256_mgf1sha256_test.json");

/// The three test key pairs, by size.
pub fn key_pairs() -> Vec<(usize, UnwrappingPrivateKey)> {
    [
        (2048, RSA2048_PRIVATE),
        (3072, RSA3072_PRIVATE),
        (4096, RSA4096_PRIVATE),
    ]
    .into_iter()
    .map(
        |(bits, pem)| match UnwrappingPrivateKey::parse(pem.as_bytes()) {
            Ok(k) => (bits, k),
            Err(e) => panic!("test key {bits}: {e}"),
        },
    )
    .collect()
}

/// Deterministic bytes.
pub fn bytes(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i.to_le_bytes()[0]).wrapping_mul(167).wrapping_add(seed))
        .collect()
}

/// A PKCS#8 DER private key as material (the 2048-bit test key itself).
pub fn pkcs8_material() -> Vec<u8> {
    let body: String = RSA2048_PRIVATE
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    match keywrap_core::encoding::decode(&body, keywrap_core::encoding::Format::Base64) {
        Ok(der) => der.to_vec(),
        Err(e) => panic!("test key DER: {e}"),
    }
}

/// The 2048-bit test key as PKCS#1 `RSAPrivateKey` DER.
pub fn pkcs1_private_der() -> Vec<u8> {
    let body: String = RSA2048_PRIVATE_PKCS1
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect();
    match keywrap_core::encoding::decode(&body, keywrap_core::encoding::Format::Base64) {
        Ok(der) => der.to_vec(),
        Err(e) => panic!("test key DER: {e}"),
    }
}

pub const AZURE_KID: &str = "https://contoso-hsm.managedhsm.azure.net/keys/kek/0123456789abcdef";

/// The material each algorithm is tried with: a 32-byte AES key always;
/// a PKCS#8 private key for RSA-AES.
fn materials(scheme: Scheme) -> Vec<Vec<u8>> {
    match scheme {
        Scheme::DirectOaep => vec![bytes(32, 1)],
        Scheme::RsaAes => vec![bytes(32, 2), pkcs8_material()],
    }
}

/// One round trip: an algorithm, a key size, a hash choice, a material.
pub struct RoundTrip {
    pub algorithm: &'static byok::Algorithm,
    pub bits: usize,
    pub hash: Option<byok::OaepHash>,
    pub material: Vec<u8>,
}

/// Every algorithm of every provider, under every key size it takes, with
/// each hash where the name does not fix it; RSA-AES with an AES key and a
/// PKCS#8 private key, direct OAEP with an AES key.
pub fn round_trip_cases() -> Vec<RoundTrip> {
    let mut cases = Vec::new();
    for algorithm in byok::ALGORITHMS.iter() {
        for bits in [2048, 3072, 4096] {
            if !algorithm.wrapping_bits.contains(&bits) {
                continue;
            }
            let hashes: Vec<Option<byok::OaepHash>> = match algorithm.hash {
                byok::HashRule::Fixed(_) => vec![None],
                byok::HashRule::Chosen => {
                    vec![Some(byok::OaepHash::Sha1), Some(byok::OaepHash::Sha256)]
                }
            };
            for hash in hashes {
                for material in materials(algorithm.scheme) {
                    cases.push(RoundTrip {
                        algorithm,
                        bits,
                        hash,
                        material,
                    });
                }
            }
        }
    }
    cases
}

/// Prepares one package, checks its length and file, opens it with the
/// private key and compares. For Azure, the `.byok` JSON is read back.
pub fn run_round_trip(case: &RoundTrip, pairs: &[(usize, UnwrappingPrivateKey)]) {
    let RoundTrip {
        algorithm,
        bits,
        hash,
        material,
    } = case;
    let Some((_, private)) = pairs.iter().find(|(b, _)| b == bits) else {
        panic!("no test key of {bits} bits");
    };
    let request = PackageRequest {
        algorithm,
        hash: *hash,
        aes: None,
        wrapping_key: private.public_key(),
        material,
        material_kind: MaterialKind::Auto,
        kid: Some(AZURE_KID),
        key_name: Some("imported"),
    };
    let package = match byok::prepare(&request) {
        Ok(p) => p,
        Err(e) => panic!("{} {bits}: {e}", algorithm.name),
    };
    let k = bits / 8;
    let expected_len = match algorithm.scheme {
        Scheme::DirectOaep => k,
        Scheme::RsaAes => k + material.len().div_ceil(8) * 8 + 8,
    };
    assert_eq!(package.wrapped.len(), expected_len, "{}", algorithm.name);
    let wrapped = if algorithm.provider == Provider::Azure {
        azure_ciphertext(&package.file_contents)
    } else {
        assert_eq!(package.file_contents, package.wrapped);
        package.wrapped.clone()
    };
    match byok::open(algorithm, *hash, private, &wrapped) {
        Ok(key) => assert_eq!(key.expose_secret(), &material[..]),
        Err(e) => panic!("{} {bits}: open: {e}", algorithm.name),
    }
}

/// Every round trip of [`round_trip_cases`]; returns how many ran.
pub fn round_trip_every_profile() -> usize {
    let pairs = key_pairs();
    let cases = round_trip_cases();
    for case in &cases {
        run_round_trip(case, &pairs);
    }
    cases.len()
}

/// The ephemeral AES key sizes of PKCS#11's CKM_RSA_AES_KEY_WRAP.
pub fn pkcs11_aes_sizes_round_trip() {
    let pairs = key_pairs();
    let (_, private) = &pairs[0];
    let algorithm = match Provider::Pkcs11.algorithm("CKM_RSA_AES_KEY_WRAP") {
        Ok(a) => a,
        Err(e) => panic!("{e}"),
    };
    for aes in [
        byok::AesKeySize::Aes128,
        byok::AesKeySize::Aes192,
        byok::AesKeySize::Aes256,
    ] {
        let material = bytes(20, 9);
        let request = PackageRequest {
            algorithm,
            hash: None,
            aes: Some(aes),
            wrapping_key: private.public_key(),
            material: &material,
            material_kind: MaterialKind::Secret,
            kid: None,
            key_name: None,
        };
        let package = byok::prepare(&request).unwrap_or_else(|e| panic!("{aes}: {e}"));
        assert!(
            package
                .openssl_commands
                .contains(&format!("-id-aes{}-wrap-pad", aes.bits()))
        );
        assert!(
            package
                .openssl_commands
                .contains(&format!("openssl rand -out aes-key.bin {}", aes.byte_len()))
        );
        let opened = byok::open(algorithm, None, private, &package.wrapped)
            .unwrap_or_else(|e| panic!("{aes}: {e}"));
        assert_eq!(opened.expose_secret(), &material[..]);
    }
}

/// The `ciphertext` of an Azure `.byok` file, checking every other field.
pub fn azure_ciphertext(file: &[u8]) -> Vec<u8> {
    azure_ciphertext_from(file, "Keywrap Console ")
}

/// [`azure_ciphertext`] for a file whose `generator` starts with `generator`.
pub fn azure_ciphertext_from(file: &[u8], generator: &str) -> Vec<u8> {
    let json: Value = serde_json::from_slice(file).unwrap_or_else(|e| panic!(".byok: {e}"));
    assert_eq!(json["schema_version"], "1.0.0");
    assert_eq!(json["header"]["kid"], AZURE_KID);
    assert_eq!(json["header"]["alg"], "dir");
    assert_eq!(json["header"]["enc"], "CKM_RSA_AES_KEY_WRAP");
    assert!(
        json["generator"]
            .as_str()
            .is_some_and(|g| g.starts_with(generator))
    );
    let text = json["ciphertext"].as_str().unwrap_or_default();
    assert!(
        text.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
        "base64url without padding"
    );
    keywrap_core::encoding::decode(text, keywrap_core::encoding::Format::Base64)
        .unwrap_or_else(|e| panic!("ciphertext: {e}"))
        .to_vec()
}

/// What the Wycheproof OAEP check saw.
#[derive(Debug, Default)]
pub struct OaepReport {
    /// Valid, empty label: decrypted to `msg`.
    pub valid: usize,
    /// Valid under a non-empty label: refused under the empty label (the
    /// only label providers use) with the one generic error.
    pub labelled: usize,
    /// Invalid: refused with the one generic error.
    pub invalid: usize,
}

fn hex(s: &Value) -> Vec<u8> {
    let text = s.as_str().unwrap_or_default();
    keywrap_core::encoding::decode(text, keywrap_core::encoding::Format::Hex)
        .map(|b| b.to_vec())
        .unwrap_or_default()
}

/// Decrypt-side known answers: every test of a Wycheproof RSA-OAEP file.
/// Every refusal must be the one [`ByokError::OaepDecryptionFailed`], the
/// step-view decoder must agree with the RSA crate on every valid case.
pub fn wycheproof_oaep(file: &str, hash: byok::OaepHash) -> OaepReport {
    let json: Value = serde_json::from_str(file).unwrap_or_else(|e| panic!("{e}"));
    let mut report = OaepReport::default();
    for group in json["testGroups"].as_array().into_iter().flatten() {
        let der = hex(&group["privateKeyPkcs8"]);
        let key = UnwrappingPrivateKey::parse(&der).unwrap_or_else(|e| panic!("key: {e}"));
        assert_eq!(key.public_key().bits(), 2048);
        for test in group["tests"].as_array().into_iter().flatten() {
            let id = &test["tcId"];
            let ct = hex(&test["ct"]);
            let msg = hex(&test["msg"]);
            let labelled = test["label"].as_str().is_some_and(|l| !l.is_empty());
            let result = byok::oaep_decrypt(&key, hash, &ct);
            let opened = byok::rsa_oaep::open_oaep_layer(&key, hash, &ct);
            match (test["result"].as_str(), labelled) {
                (Some("valid"), false) => {
                    let got = result.unwrap_or_else(|e| panic!("tcId {id}: {e}"));
                    assert_eq!(got.expose_secret(), &msg[..], "tcId {id}");
                    let masking = opened.unwrap_or_else(|e| panic!("tcId {id}: {e}"));
                    assert_eq!(masking.message, msg, "tcId {id}: step view");
                    assert_eq!(masking.db.len(), 256 - hash.digest_len() - 1);
                    report.valid += 1;
                }
                (Some("valid"), true) => {
                    assert_eq!(
                        result.err(),
                        Some(ByokError::OaepDecryptionFailed),
                        "tcId {id}"
                    );
                    assert!(opened.is_err(), "tcId {id}");
                    report.labelled += 1;
                }
                _ => {
                    assert_eq!(
                        result.err(),
                        Some(ByokError::OaepDecryptionFailed),
                        "tcId {id}"
                    );
                    assert_eq!(
                        opened.err(),
                        Some(ByokError::OaepDecryptionFailed),
                        "tcId {id}"
                    );
                    report.invalid += 1;
                }
            }
        }
    }
    report
}

/// The step view of an RSA-AES package under a test key: the OAEP masking
/// opened and consistent, the KWP trace the package's own KWP part.
pub fn steps_under_test_key() {
    let pairs = key_pairs();
    let (_, private) = &pairs[1];
    let pair = TestKeyPair::from_private_key(
        UnwrappingPrivateKey::parse(RSA3072_PRIVATE.as_bytes()).unwrap_or_else(|e| panic!("{e}")),
    );
    let algorithm = Provider::Gcp
        .algorithm("RSA_OAEP_3072_SHA256_AES_256")
        .unwrap_or_else(|e| panic!("{e}"));
    let material = bytes(32, 5);
    let request = PackageRequest {
        algorithm,
        hash: None,
        aes: None,
        wrapping_key: private.public_key(),
        material: &material,
        material_kind: MaterialKind::Auto,
        kid: None,
        key_name: None,
    };
    let (package, steps) =
        byok::prepare_with_steps(&request, Some(&pair)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(steps.rsa_part_len, 384);
    assert_eq!(steps.oaep.modulus_bits, 3072);
    assert_eq!(steps.oaep.message_len, 32);
    assert_eq!(steps.oaep.max_message_len, 384 - 2 * 32 - 2);
    let masking = steps
        .masking
        .as_ref()
        .unwrap_or_else(|| panic!("no masking"));
    assert_eq!(masking.message.len(), 32, "the ephemeral AES-256 key");
    assert_eq!(masking.ps_len, 384 - 32 - 2 * 32 - 2);
    let KwpLayer::Traced { trace, .. } = &steps.kwp else {
        panic!("no KWP trace");
    };
    assert_eq!(&package.wrapped[384..], &trace.output[..]);
    // The ephemeral key the masking shows really is the KWP layer's key.
    let kek = keywrap_core::Kek::new(&masking.message).unwrap_or_else(|e| panic!("{e}"));
    let inner = keywrap_core::unwrap(&kek, keywrap_core::Mechanism::Kwp, None, &trace.output)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(inner.expose_secret(), &material[..]);

    // Without the test key (a real provider's key) there is no masking.
    let (_, steps) = byok::prepare_with_steps(&request, None).unwrap_or_else(|e| panic!("{e}"));
    assert!(steps.masking.is_none());
}

/// A bad input and the error it must give.
pub struct BadCase {
    pub what: &'static str,
    pub got: Result<(), ByokError>,
    pub expected: fn(&ByokError) -> bool,
}

fn parse_err(input: &[u8]) -> Result<(), ByokError> {
    WrappingPublicKey::parse(input).map(|_| ())
}

fn prepare_err(
    provider: Provider,
    algorithm: &str,
    key: &str,
    material: &[u8],
    kind: MaterialKind,
    kid: Option<&str>,
) -> Result<(), ByokError> {
    let algorithm = provider.algorithm(algorithm)?;
    let wrapping_key = WrappingPublicKey::parse(key.as_bytes())?;
    let request = PackageRequest {
        algorithm,
        hash: None,
        aes: None,
        wrapping_key: &wrapping_key,
        material,
        material_kind: kind,
        kid,
        key_name: None,
    };
    byok::prepare(&request).map(|_| ())
}

/// The bad-input table: each case a specific error, nothing made.
pub fn bad_inputs() -> Vec<BadCase> {
    let truncated = &RSA2048_PUBLIC[..RSA2048_PUBLIC.len() / 2];
    let no_end = RSA2048_PUBLIC.replace("-----END PUBLIC KEY-----", "");
    let pkcs8 = pkcs8_material();
    vec![
        BadCase {
            what: "empty",
            got: parse_err(b"  \n"),
            expected: |e| *e == ByokError::EmptyKey,
        },
        BadCase {
            what: "EC public key",
            got: parse_err(EC_PUBLIC.as_bytes()),
            expected: |e| *e == ByokError::EcKeyGiven,
        },
        BadCase {
            what: "EC private key",
            got: parse_err(EC_PRIVATE.as_bytes()),
            expected: |e| *e == ByokError::PrivateKeyGiven,
        },
        BadCase {
            what: "RSA-1024",
            got: parse_err(RSA1024_PUBLIC.as_bytes()),
            expected: |e| *e == ByokError::UnsupportedKeySize { bits: 1024 },
        },
        BadCase {
            what: "private key pasted (PKCS#8)",
            got: parse_err(RSA2048_PRIVATE.as_bytes()),
            expected: |e| *e == ByokError::PrivateKeyGiven,
        },
        BadCase {
            what: "private key pasted (PKCS#1)",
            got: parse_err(RSA2048_PRIVATE_PKCS1.as_bytes()),
            expected: |e| *e == ByokError::PrivateKeyGiven,
        },
        BadCase {
            what: "private key as DER",
            got: parse_err(&pkcs8),
            expected: |e| *e == ByokError::PrivateKeyGiven,
        },
        BadCase {
            what: "certificate",
            got: parse_err(CERTIFICATE.as_bytes()),
            expected: |e| *e == ByokError::CertificateGiven,
        },
        BadCase {
            what: "truncated PEM",
            got: parse_err(truncated.as_bytes()),
            expected: |e| matches!(e, ByokError::MalformedPem { .. }),
        },
        BadCase {
            what: "PEM without END line",
            got: parse_err(no_end.as_bytes()),
            expected: |e| matches!(e, ByokError::MalformedPem { .. }),
        },
        BadCase {
            what: "truncated DER",
            got: parse_err(&RSA2048_PUBLIC_DER[..100]),
            expected: |e| matches!(e, ByokError::MalformedKey { .. }),
        },
        BadCase {
            what: "not a key",
            got: parse_err("hello, world!".as_bytes()),
            expected: |e| matches!(e, ByokError::MalformedKey { .. }),
        },
        BadCase {
            what: "AWS SYMMETRIC_DEFAULT with 16 bytes",
            got: prepare_err(
                Provider::Aws,
                "RSAES_OAEP_SHA_256",
                RSA2048_PUBLIC,
                &[7; 16],
                MaterialKind::Auto,
                None,
            ),
            expected: |e| matches!(e, ByokError::MaterialLength { got: 16, .. }),
        },
        BadCase {
            what: "AWS HMAC of 40 bytes",
            got: prepare_err(
                Provider::Aws,
                "RSA_AES_KEY_WRAP_SHA_256",
                RSA2048_PUBLIC,
                &[7; 40],
                MaterialKind::Hmac,
                None,
            ),
            expected: |e| matches!(e, ByokError::MaterialLength { got: 40, .. }),
        },
        BadCase {
            what: "AWS direct OAEP with a private key",
            got: prepare_err(
                Provider::Aws,
                "RSAES_OAEP_SHA_256",
                RSA4096_PUBLIC,
                &pkcs8,
                MaterialKind::Auto,
                None,
            ),
            expected: |e| {
                matches!(e, ByokError::MaterialNeedsRsaAes { use_instead, .. }
                    if use_instead == "RSA_AES_KEY_WRAP_SHA_256")
            },
        },
        BadCase {
            what: "Google _3072_ method with a 2048-bit key",
            got: prepare_err(
                Provider::Gcp,
                "RSA_OAEP_3072_SHA256_AES_256",
                RSA2048_PUBLIC,
                &[7; 32],
                MaterialKind::Auto,
                None,
            ),
            expected: |e| {
                *e == ByokError::WrappingKeySizeMismatch {
                    algorithm: "RSA_OAEP_3072_SHA256_AES_256",
                    expected_bits: 3072,
                    got_bits: 2048,
                }
            },
        },
        BadCase {
            what: "Google direct OAEP with an RSA private key",
            got: prepare_err(
                Provider::Gcp,
                "RSA_OAEP_4096_SHA256",
                RSA4096_PUBLIC,
                &pkcs8,
                MaterialKind::Auto,
                None,
            ),
            expected: |e| matches!(e, ByokError::MaterialNeedsRsaAes { .. }),
        },
        BadCase {
            what: "Google unknown method",
            got: prepare_err(
                Provider::Gcp,
                "RSA_OAEP_2048_SHA256",
                RSA2048_PUBLIC,
                &[7; 32],
                MaterialKind::Auto,
                None,
            ),
            expected: |e| matches!(e, ByokError::UnknownAlgorithm { .. }),
        },
        BadCase {
            what: "Azure without kid",
            got: prepare_err(
                Provider::Azure,
                "CKM_RSA_AES_KEY_WRAP",
                RSA2048_PUBLIC,
                &pkcs8,
                MaterialKind::Auto,
                None,
            ),
            expected: |e| *e == ByokError::KidRequired,
        },
        BadCase {
            what: "Azure kid over http",
            got: prepare_err(
                Provider::Azure,
                "CKM_RSA_AES_KEY_WRAP",
                RSA2048_PUBLIC,
                &pkcs8,
                MaterialKind::Auto,
                Some("http://v.vault.azure.net/keys/k/1"),
            ),
            expected: |e| matches!(e, ByokError::KidInvalid { .. }),
        },
        BadCase {
            what: "Azure AES key into a Key Vault (not a Managed HSM)",
            got: prepare_err(
                Provider::Azure,
                "CKM_RSA_AES_KEY_WRAP",
                RSA2048_PUBLIC,
                &[7; 32],
                MaterialKind::Auto,
                Some("https://v.vault.azure.net/keys/k/1"),
            ),
            expected: |e| matches!(e, ByokError::MaterialNotImported { .. }),
        },
        BadCase {
            what: "Azure AES key of 20 bytes",
            got: prepare_err(
                Provider::Azure,
                "CKM_RSA_AES_KEY_WRAP",
                RSA2048_PUBLIC,
                &[7; 20],
                MaterialKind::Auto,
                Some(AZURE_KID),
            ),
            expected: |e| matches!(e, ByokError::MaterialLength { got: 20, .. }),
        },
        BadCase {
            what: "PKCS#11 direct OAEP too long for the key",
            got: prepare_err(
                Provider::Pkcs11,
                "CKM_RSA_PKCS_OAEP",
                RSA2048_PUBLIC,
                &[7; 191],
                MaterialKind::Secret,
                None,
            ),
            expected: |e| *e == ByokError::OaepMessageTooLong { len: 191, max: 190 },
        },
        BadCase {
            what: "PKCS#1 private key as material",
            got: prepare_err(
                Provider::Aws,
                "RSA_AES_KEY_WRAP_SHA_256",
                RSA2048_PUBLIC,
                &pkcs1_private_der(),
                MaterialKind::Auto,
                None,
            ),
            expected: |e| *e == ByokError::MaterialIsPkcs1,
        },
        BadCase {
            what: "empty material",
            got: prepare_err(
                Provider::Pkcs11,
                "CKM_RSA_AES_KEY_WRAP",
                RSA2048_PUBLIC,
                &[],
                MaterialKind::Secret,
                None,
            ),
            expected: |e| *e == ByokError::EmptyMaterial,
        },
    ]
}
