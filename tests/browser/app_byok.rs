//! The "Prepare a key for import" panel in headless Chromium, driven as a
//! user drives it: paste a provider's public key (its size and fingerprint
//! appear), choose provider, algorithm and material, prepare, and read the
//! file, the finishing command and both layers; refusals are specific.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(test)]
#[path = "support/mod.rs"]
mod support;

use support::{mount, wait_until};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const RSA3072_PUBLIC: &str = include_str!("../../crate/tests/vectors/byok/rsa3072-public.pem");
const RSA2048_PUBLIC_DER: &[u8] =
    include_bytes!("../../crate/tests/vectors/byok/rsa2048-public.der");
const EC_PUBLIC: &str = include_str!("../../crate/tests/vectors/byok/ec-p256-public.pem");
const FINGERPRINT_3072: &str = "999603f692b63278e46a72562a3620f0aa98722679efb085d38145a822e4a5fb";

#[wasm_bindgen_test]
async fn a_google_package_from_a_pasted_key() {
    let app = mount().await;
    app.choose("Provider", "Google Cloud KMS").await;
    app.choose("Algorithm", "RSA_OAEP_3072_SHA256_AES_256")
        .await;
    app.fill("Provider's public wrapping key", RSA3072_PUBLIC)
        .await;
    let info = app.text("[data-testid=byok-key-info]");
    assert!(info.contains("RSA-3072"), "{info}");
    assert_eq!(app.text("[data-testid=byok-fingerprint]"), FINGERPRINT_3072);
    app.choose("Key material", "A fresh 32-byte key").await;
    app.click("Prepare the package").await;
    let result = app.text("[data-testid=byok-result]");
    assert!(result.contains("wrapped-key.bin (424 bytes)"), "{result}");
    assert!(app.has_button("Download wrapped-key.bin"));
    assert!(app.has_button("Copy as base64"));
    let finish = app.text("[data-testid=byok-finish]");
    assert!(
        finish.starts_with("gcloud kms keys versions import"),
        "{finish}"
    );
    assert!(
        finish.contains("--wrapped-key-file wrapped-key.bin"),
        "{finish}"
    );
    assert!(
        app.text("[data-testid=byok-openssl]")
            .contains("rsa_oaep_md:sha256")
    );
    let steps = app.text("[data-testid=byok-steps]");
    assert!(steps.contains("3072 bits, k = 384 bytes"), "{steps}");
    assert!(
        steps.contains("A65959A600000020"),
        "KWP's initial value for 32 bytes: {steps}"
    );
    // A provider's key: the OAEP encoding is not opened.
    assert!(!app.has("[data-testid=byok-masking]"));
}

#[wasm_bindgen_test]
async fn aws_base64_key_and_specific_refusals() {
    let app = mount().await;
    // AWS's PublicKey field: base64 of the DER.
    let b64 = keywrap_core::encoding::encode_base64(RSA2048_PUBLIC_DER);
    app.fill("Provider's public wrapping key", &b64).await;
    assert!(
        app.text("[data-testid=byok-key-info]")
            .contains("base64 of DER")
    );
    app.choose("Algorithm", "RSAES_OAEP_SHA_256").await;
    app.choose("Key material", "Pasted bytes").await;
    app.fill(
        "Key material (hex or base64)",
        "00112233445566778899aabbccddeeff",
    )
    .await;
    app.click("Prepare the package").await;
    let error = app.text("[data-testid=byok-error]");
    assert!(error.contains("32 bytes"), "{error}");
    assert!(!app.has("[data-testid=byok-result]"), "nothing made");
    // An EC key is refused as soon as it is pasted.
    app.fill("Provider's public wrapping key", EC_PUBLIC).await;
    assert!(
        app.text("[data-testid=byok-key-info]")
            .contains("elliptic-curve")
    );
    app.click("Prepare the package").await;
    assert!(
        app.text("[data-testid=byok-error]")
            .contains("elliptic-curve")
    );
}

#[wasm_bindgen_test]
async fn a_practice_key_shows_the_oaep_masking() {
    let app = mount().await;
    app.click("Generate a practice key pair (RSA-2048, for learning only)")
        .await;
    assert!(
        wait_until(|| app.has("[data-testid=byok-fingerprint]")).await,
        "the practice key is generated"
    );
    assert!(
        app.text("[data-testid=byok-key-info]")
            .contains("a practice key generated here")
    );
    app.click("Prepare the package").await;
    let masking = app.text("[data-testid=byok-masking]");
    assert!(
        masking.contains("seed = maskedSeed ⊕ seedMask"),
        "{masking}"
    );
    assert!(masking.contains("PS"), "{masking}");
    assert!(app.text("[data-testid=byok-kwp]").contains("Layer 2"));
}

#[wasm_bindgen_test]
async fn a_key_in_the_virtual_hsm_as_material_with_the_package_byte_map() {
    let app = mount().await;
    // A key you own and may export (imported in the clear: not sensitive),
    // a sensitive one, and one that may never leave the HSM.
    let kek = support::handle_in(&app.run("genSymKey -t 31 -s 32 -l kek").await);
    app.upload("Upload file", "plain.bin", &[0x42; 32]).await;
    let open = support::handle_in(
        &app.run(&format!("imSymKey -f plain.bin -w {kek} -t 31 -l open"))
            .await,
    );
    let sensitive = support::handle_in(&app.run("genSymKey -t 31 -s 32 -l secret").await);
    let nex = support::handle_in(&app.run("genSymKey -t 31 -s 32 -l locked -nex").await);
    app.fill("Provider's public wrapping key", RSA3072_PUBLIC)
        .await;
    app.choose("Key material", &format!("HSM key {open} ·"))
        .await;
    assert!(
        app.text("[data-testid=byok-hsm-rule]")
            .contains("a secret key you own")
    );
    app.click("Prepare the package").await;
    let result = app.text("[data-testid=byok-result]");
    assert!(
        result.contains("EncryptedKeyMaterial.bin (424 bytes)"),
        "{result}"
    );
    // The byte map: the 384-byte RSA part, then the KWP part's ranges.
    let ranges: Vec<String> = app
        .all("[data-testid=byok-package-map] .byte-range")
        .iter()
        .filter_map(|e| e.get_attribute("data-range"))
        .collect();
    assert_eq!(
        ranges.first().map(String::as_str),
        Some("RSA part: RSA-OAEP(K)")
    );
    assert_eq!(ranges.get(1).map(String::as_str), Some("KWP C[0] = A"));
    assert_eq!(ranges.len(), 1 + 1 + 4, "{ranges:?}");
    let map = app.text("[data-testid=byok-package-map]");
    assert!(map.contains("bytes 0–383 (384)"), "{map}");
    assert!(app.text("[data-testid=byok-kwp]").contains("Layer 2"));
    // The key's bytes are in no element of the page.
    let body = support::document().body().unwrap().inner_html();
    assert!(!body.to_ascii_uppercase().contains(&"42".repeat(32)));
    // A sensitive key is packaged, its KWP steps withheld.
    app.choose("Key material", &format!("HSM key {sensitive} ·"))
        .await;
    app.click("Prepare the package").await;
    assert!(app.has("[data-testid=byok-result]"));
    assert!(
        app.text("[data-testid=byok-kwp-withheld]")
            .contains("withheld")
    );
    // A key that may not leave the HSM is refused with the reason.
    app.choose("Key material", &format!("HSM key {nex} ·"))
        .await;
    app.click("Prepare the package").await;
    let error = app.text("[data-testid=byok-error]");
    assert!(
        error.contains(&format!("Key {nex} cannot be packaged")),
        "{error}"
    );
    assert!(error.contains("not extractable"), "{error}");
    assert!(!app.has("[data-testid=byok-result]"));
    // Each attempt is in the audit log.
    let audit = app.audit_rows().join("\n");
    assert!(
        audit.contains(&format!("prepare import package of key {nex}")),
        "{audit}"
    );
}

/// The clock, in milliseconds.
fn now_ms() -> f64 {
    js_sys::Date::now()
}

#[wasm_bindgen_test]
async fn an_rsa_round_trip_in_the_console_of_the_page() {
    let app = mount().await;
    let start = now_ms();
    let out = app.run("genRSAKeyPair -m 2048 -e 65537 -l rsa").await;
    let took = now_ms() - start;
    wasm_bindgen_test::console_log!("genRSAKeyPair -m 2048 in the page: {took:.0} ms");
    assert!(out.contains("public key handle: "), "{out}");
    let payload = support::handle_in(&app.run("genSymKey -t 31 -s 32 -l payload").await);
    let (public, private) = (payload - 2, payload - 1);
    // The key table gives an RSA key's modulus in bits and which half it is.
    let rows: Vec<String> = app
        .all("table.key-table tbody tr")
        .iter()
        .filter_map(|r| r.text_content())
        .collect();
    assert!(
        rows.iter().any(|r| r.contains("2048 bits, public"))
            && rows.iter().any(|r| r.contains("2048 bits, private")),
        "{rows:?}"
    );
    for (m, t) in [(7, 3), (8, 2)] {
        let out = app
            .run(&format!(
                "wrapKey -k {payload} -w {public} -m {m} -t {t} -out p{m}.bin"
            ))
            .await;
        assert!(out.contains("Key Wrapped."), "{out}");
        let out = app
            .run(&format!(
                "unWrapKey -f p{m}.bin -w {private} -m {m} -t {t} -noheader -l back{m} -kc 4 -kt 31"
            ))
            .await;
        assert!(out.contains("Key Unwrapped."), "{out}");
    }
    // The two copies have the payload's KCV: one KCV in the key table thrice.
    let kcvs: Vec<String> = app
        .all("table.key-table tbody td.mono")
        .iter()
        .filter_map(|c| c.text_content())
        .filter(|t| t.len() == 6 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .collect();
    assert!(
        kcvs.iter()
            .any(|k| kcvs.iter().filter(|o| *o == k).count() == 3),
        "{kcvs:?}"
    );
    // The files panel names the packages; the access model's wrapping key is the public key.
    assert!(app.text(".files").contains("p7.bin"));
}

/// RSA key generation in the page, timed (the figure in the notes): each
/// size once; key generation's time varies widely with the primes drawn.
#[wasm_bindgen_test]
async fn rsa_key_generation_time_in_the_page() {
    use keywrap_core::hsm::ops_rsa::RsaPairSpec;
    let mut s = keywrap_core::Session::new();
    for bits in [2048u64, 3072, 4096] {
        let start = now_ms();
        let pair = s
            .rsa_generate_pair(&RsaPairSpec {
                modulus_bits: bits,
                public_exponent: 65537,
                public_label: "p",
                private_label: "q",
                id: "",
                extractable: true,
                token: true,
            })
            .unwrap();
        let took = now_ms() - start;
        wasm_bindgen_test::console_log!("RSA-{bits} key pair in the page: {took:.0} ms");
        assert_eq!(s.unwrapper_of(pair.public), Some(pair.private));
    }
}
