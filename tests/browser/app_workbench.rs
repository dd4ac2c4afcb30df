//! The wrap / unwrap workbench and the IV and step viewer in headless
//! Chromium: known answers through the forms, the steps, the IV check with
//! both values, KWP's length indicator, and every kind of refusal.
#![cfg(target_arch = "wasm32")]
// Test code: a step that cannot be taken should fail the test. Clippy's
// allow-unwrap-in-tests does not reach closures inside `wasm_bindgen_test`
// async functions, so it is said here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

#[cfg(test)]
#[path = "support/mod.rs"]
mod support;

use support::{App, handle_in, mount, wait_until};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const RFC3394_KEK: &str = "000102030405060708090A0B0C0D0E0F";
const RFC3394_KEY: &str = "00112233445566778899AABBCCDDEEFF";
const RFC3394_WRAPPED: &str = "1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5";

#[cfg(test)]
/// Fills the workbench for a standalone wrap with a pasted KEK and key.
async fn standalone(app: &App, kek: &str, key: &str) {
    app.choose("Wrapping key", "Paste a KEK").await;
    app.fill("KEK (hex or base64)", kek).await;
    app.choose("Key to wrap", "Paste key bytes").await;
    app.fill("Key bytes (hex or base64)", key).await;
}

#[wasm_bindgen_test]
async fn the_rfc_3394_vector_wraps_through_the_form_with_every_step() {
    let app = mount().await;
    assert_eq!(
        app.value("IV (hex)"),
        "A6A6A6A6A6A6A6A6",
        "the default IV is shown"
    );
    standalone(&app, RFC3394_KEK, RFC3394_KEY).await;
    assert!(app.text(".workbench").contains("16 bytes, read as hex"));
    app.click("Wrap").await;
    assert_eq!(app.value("Wrapped key output"), RFC3394_WRAPPED);

    // The step viewer: 6n = 12 steps, from the IV.
    assert!(
        app.text("[data-testid='trace-iv']")
            .starts_with("A6A6A6A6A6A6A6A6")
    );
    assert_eq!(app.text("[data-testid='step-position']"), "Step 0 of 12");
    app.click("Step ▶").await;
    assert_eq!(app.text("[data-testid='step-position']"), "Step 1 of 12");
    let detail = app.text("[data-testid='step-detail']");
    assert!(detail.contains("1 (j = 0, i = 1)"), "{detail}");
    // RFC 3394 §2.2.1, step t = 1: the AES input is A | R[1].
    assert!(
        detail.contains("A6A6A6A6A6A6A6A60011223344556677"),
        "AES input = A | R[1]: {detail}"
    );
    app.click("To the end").await;
    assert_eq!(app.text("[data-testid='step-position']"), "Step 12 of 12");
    app.click("◀ Back").await;
    assert_eq!(app.text("[data-testid='step-position']"), "Step 11 of 12");
    app.click("Reset").await;
    assert_eq!(app.text("[data-testid='step-position']"), "Step 0 of 12");

    // Play advances on its own.
    app.click("▶ Play").await;
    assert!(wait_until(|| app.text("[data-testid='step-position']") != "Step 0 of 12").await);
    app.click("⏸ Pause").await;

    // Copy reports what happened (the test browser may refuse the clipboard).
    app.click("Copy wrapped key").await;
    assert!(
        wait_until(|| {
            let status = app.text("[data-testid='status']");
            status.contains("Copied the wrapped key")
                || status.contains("Could not copy the wrapped key")
        })
        .await
    );

    // Base64 output of the same blob.
    app.choose("Output format", "base64").await;
    assert_eq!(
        app.value("Wrapped key output"),
        "H6aLCoEStEeu80vY+1p7gp0+hiNx0s/l"
    );
}

#[wasm_bindgen_test]
async fn unwrapping_with_the_wrong_kek_or_a_tampered_blob_fails_the_iv_check_with_both_values() {
    let app = mount().await;
    standalone(&app, RFC3394_KEK, RFC3394_KEY).await;
    app.click("Wrap").await;
    app.click("Use as unwrap input").await;
    app.check("This page (show the bytes)", true).await;

    // The right KEK: passed.
    app.click("Unwrap").await;
    let check = app.text("[data-testid='iv-check']");
    assert!(check.contains("IV check passed"), "{check}");
    assert_eq!(
        app.value("Unwrapped key output"),
        RFC3394_KEY.to_lowercase()
    );

    // A wrong KEK.
    app.fill("KEK (hex or base64)", "0F0E0D0C0B0A09080706050403020100")
        .await;
    app.click("Unwrap").await;
    let check = app.text("[data-testid='iv-check']");
    assert!(check.contains("IV check failed"), "{check}");
    assert_eq!(app.text("[data-testid='iv-expected']"), "A6A6A6A6A6A6A6A6");
    let recovered = app.text("[data-testid='iv-recovered']");
    assert_eq!(recovered.len(), 16);
    assert_ne!(recovered, "A6A6A6A6A6A6A6A6");
    let refused = app.text(".unwrap-form .result.failed");
    assert!(
        refused.contains("0x99") && refused.contains("integrity check failed"),
        "{refused}"
    );
    assert!(!app.has("#unwrap-output"), "no key data is shown");

    // A tampered blob under the right KEK.
    app.fill("KEK (hex or base64)", RFC3394_KEK).await;
    app.fill(
        "Wrapped key (hex or base64)",
        &format!("00{}", &RFC3394_WRAPPED[2..]),
    )
    .await;
    app.click("Unwrap").await;
    assert!(
        app.text("[data-testid='iv-check']")
            .contains("IV check failed")
    );
    assert_eq!(app.text("[data-testid='iv-expected']"), "A6A6A6A6A6A6A6A6");
}

#[wasm_bindgen_test]
async fn a_custom_iv_round_trips_and_fails_under_the_default() {
    let app = mount().await;
    standalone(&app, RFC3394_KEK, RFC3394_KEY).await;
    app.fill("IV (hex)", "0102030405060708").await;
    assert!(
        app.text(".workbench")
            .contains("A custom IV. CloudHSM refuses it")
    );
    app.click("Wrap").await;
    let wrapped = app.value("Wrapped key output");
    assert_ne!(wrapped, RFC3394_WRAPPED);
    assert!(
        app.text("[data-testid='trace-iv']")
            .starts_with("0102030405060708")
    );

    app.click("Use as unwrap input").await;
    app.check("This page (show the bytes)", true).await;
    app.click("Unwrap").await;
    assert!(
        app.text("[data-testid='iv-check']")
            .contains("IV check passed")
    );

    app.click("Use the default IV").await;
    assert_eq!(app.value("IV (hex)"), "A6A6A6A6A6A6A6A6");
    app.click("Unwrap").await;
    assert!(
        app.text("[data-testid='iv-check']")
            .contains("IV check failed")
    );
    assert_eq!(app.text("[data-testid='iv-recovered']"), "0102030405060708");
}

#[wasm_bindgen_test]
async fn kwp_wraps_seven_bytes_and_shows_the_length_indicator() {
    let app = mount().await;
    // RFC 5649 §6, second example.
    standalone(
        &app,
        "5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8",
        "466f7250617369",
    )
    .await;
    app.choose("Mechanism", "AES-KWP").await;
    assert!(
        app.labelled("IV (hex)").has_attribute("disabled"),
        "KWP takes no IV"
    );
    app.click("Wrap").await;
    assert_eq!(
        app.value("Wrapped key output"),
        "afbeb0f07dfbf5419200f2ccb50bb24f"
    );
    assert!(
        app.text("[data-testid='trace-iv']")
            .contains("MLI: 7 bytes")
    );
    assert_eq!(
        app.text("[data-testid='step-position']"),
        "Step 0 of 1",
        "one AES block"
    );

    app.click("Use as unwrap input").await;
    app.check("This page (show the bytes)", true).await;
    app.click("Unwrap").await;
    let kwp = app.text("[data-testid='kwp-check']");
    assert!(kwp.contains("MLI = 7 is within 1..=8"), "{kwp}");
    assert!(kwp.contains("Padding 00 is all zero"), "{kwp}");
    assert_eq!(app.value("Unwrapped key output"), "466f7250617369");
}

#[wasm_bindgen_test]
async fn pkcs5_padded_kw_round_trips() {
    let app = mount().await;
    standalone(&app, RFC3394_KEK, "0011223344556677889900").await;
    app.choose("Mechanism", "AES-KW with PKCS#5").await;
    app.click("Wrap").await;
    // 11 bytes + 5 bytes of padding = 16, wrapped to 24.
    assert_eq!(app.value("Wrapped key output").len(), 48);
    assert!(app.text(".steps-panel").contains("5 bytes of value 0x05"));
    app.click("Use as unwrap input").await;
    app.check("This page (show the bytes)", true).await;
    app.click("Unwrap").await;
    assert!(
        app.text(".steps-panel")
            .contains("PKCS#5 padding: 5 bytes of 0x05")
    );
    assert_eq!(app.value("Unwrapped key output"), "0011223344556677889900");
}

#[wasm_bindgen_test]
async fn bad_input_gives_a_specific_error_and_changes_nothing() {
    let app = mount().await;
    // Nothing chosen.
    app.click("Wrap").await;
    assert!(
        app.text(".wrap-form .result.failed")
            .contains("Choose the key to wrap")
    );

    // Bad hex (and not base64 either).
    standalone(&app, "00:zz", RFC3394_KEY).await;
    let hint = app.text(".workbench .shared .error");
    assert!(
        hint.contains("neither hex nor base64") && hint.contains("'z'"),
        "{hint}"
    );
    app.click("Wrap").await;
    let refused = app.text(".wrap-form .result.failed");
    assert!(
        refused.contains("The KEK is neither hex nor base64"),
        "{refused}"
    );
    assert!(refused.contains("Nothing changed"));

    // A KEK of the wrong length: refused under the field, never a ✔.
    app.fill("KEK (hex or base64)", "000102030405060708090A0B0C0D0E")
        .await;
    let hint = app.text(".workbench .shared .error");
    assert!(
        hint.contains("15 bytes") && hint.contains("16, 24 or 32"),
        "{hint}"
    );
    assert!(!app.text(".workbench .shared").contains("✔ 15 bytes"));
    app.click("Wrap").await;
    assert!(
        app.text(".wrap-form .result.failed")
            .contains("16, 24 or 32 bytes")
    );

    // A malformed IV.
    app.fill("KEK (hex or base64)", RFC3394_KEK).await;
    app.fill("IV (hex)", "0102").await;
    assert_eq!(
        app.labelled("IV (hex)")
            .get_attribute("aria-invalid")
            .as_deref(),
        Some("true")
    );
    app.click("Wrap").await;
    assert!(
        app.text(".wrap-form .result.failed")
            .contains("exactly 8 bytes")
    );
    // KW refuses 8 bytes of key data.
    app.click("Use the default IV").await;
    app.fill("Key bytes (hex or base64)", "0011223344556677")
        .await;
    app.click("Wrap").await;
    assert!(
        app.text(".wrap-form .result.failed")
            .contains("cannot wrap 8 bytes")
    );

    // Nothing reached the HSM's files; only the last refusal's audit entries exist.
    assert!(app.text("table.files-table").contains("No files yet"));
    assert!(app.text("table.key-table").contains("No keys yet"));
}

#[wasm_bindgen_test]
async fn policy_refusals_show_the_kmu_error_and_change_nothing() {
    let app = mount().await;
    let kek = handle_in(&app.run("genSymKey -t 31 -s 32 -l kek").await);
    let locked = handle_in(&app.run("genSymKey -t 31 -s 32 -l locked -nex").await);
    let audit_before = app.audit_rows().len();
    let keys_before = app.key_rows();

    app.choose("Wrapping key", &format!("Key {kek}")).await;
    app.choose("Key to wrap", &format!("Key {locked}")).await;
    app.check("Also save to the page's files", true).await;
    app.click("Wrap").await;
    let refused = app.text(".wrap-form .result.failed");
    assert!(
        refused.contains("0x94") && refused.contains("not extractable"),
        "{refused}"
    );
    assert_eq!(app.key_rows(), keys_before);
    assert!(app.text("table.files-table").contains("No files yet"));
    let audit = app.audit_rows();
    assert_eq!(audit.len(), audit_before + 1, "the refusal is audited");
    assert!(audit[audit.len() - 1].contains("✖"));

    // An HSM key cannot be wrapped under a pasted KEK.
    app.choose("Wrapping key", "Paste a KEK").await;
    app.fill("KEK (hex or base64)", RFC3394_KEK).await;
    app.choose("Key to wrap", &format!("Key {kek}")).await;
    app.click("Wrap").await;
    assert!(
        app.text(".wrap-form .result.failed")
            .contains("only under keys it holds")
    );

    // CloudHSM refuses a custom IV for HSM keys.
    let payload = handle_in(&app.run("genSymKey -t 31 -s 32 -l payload").await);
    app.choose("Wrapping key", &format!("Key {kek}")).await;
    app.choose("Key to wrap", &format!("Key {payload}")).await;
    app.fill("IV (hex)", "0102030405060708").await;
    app.click("Wrap").await;
    let refused = app.text(".wrap-form .result.failed");
    assert!(
        refused.contains("0xb3") && refused.contains("accepts only the default IV"),
        "{refused}"
    );
}

#[wasm_bindgen_test]
async fn hsm_keys_wrap_and_unwrap_through_the_forms_with_the_trace_withheld_for_sensitive_keys() {
    let app = mount().await;
    let kek = handle_in(&app.run("genSymKey -t 31 -s 32 -l kek").await);
    let payload = handle_in(&app.run("genSymKey -t 31 -s 32 -l payload").await);
    app.choose("Wrapping key", &format!("Key {kek}")).await;
    app.choose("Key to wrap", &format!("Key {payload}")).await;
    app.click("Wrap").await;
    assert_eq!(
        app.value("Wrapped key output").len(),
        80,
        "32 + 8 bytes in hex"
    );
    let withheld = app.text("[data-testid='trace-withheld']");
    assert!(withheld.contains("sensitive"), "{withheld}");

    app.click("Use as unwrap input").await;
    app.check("Sensitive", false).await;
    app.click("Unwrap").await;
    let first = handle_in(&app.text("[data-testid='unwrap-result']"));
    app.click("Unwrap").await;
    let second = handle_in(&app.text("[data-testid='unwrap-result']"));
    assert!(first != payload && second != first);
    // The unwrap's steps are shown (the new key is not sensitive) and passed.
    assert!(
        app.text("[data-testid='iv-check']")
            .contains("IV check passed")
    );
    let notices = app.text("[data-testid='handle-notices']");
    assert!(
        notices.contains(&format!("Key {second} has KCV")),
        "{notices}"
    );
    assert!(
        notices.contains(&format!("keys {payload}, {first}")),
        "{notices}"
    );

    // Ticking Sensitive withholds the unwrap's steps too.
    app.check("Sensitive", true).await;
    app.click("Unwrap").await;
    assert!(
        app.text("[data-testid='trace-withheld']")
            .contains("sensitive")
    );
}

#[wasm_bindgen_test]
async fn download_and_upload_a_wrapped_file_then_unwrap_it() {
    let app = mount().await;
    let kek = handle_in(&app.run("genSymKey -t 31 -s 32 -l kek").await);
    let payload = handle_in(&app.run("genSymKey -t 31 -s 24 -l payload").await);
    app.run(&format!(
        "wrapKey -k {payload} -w {kek} -out mykey.key -m 5"
    ))
    .await;

    // The workbench's Download button saves the last blob.
    app.choose("Wrapping key", &format!("Key {kek}")).await;
    app.choose("Key to wrap", &format!("Key {payload}")).await;
    app.click("Wrap").await;
    app.click("Download").await;
    assert!(
        app.text("[data-testid='status']")
            .contains("Downloaded the wrapped key as \"mykey.key\"")
    );

    // A file with the key_mgmt_util header: the form takes its blob and attributes.
    let header_file = {
        let mut s = keywrap_core::Session::new();
        let k = handle_in(&s.run("genSymKey -t 31 -s 32 -l kek2").output);
        let p = handle_in(&s.run("genSymKey -t 31 -s 24 -l from-file").output);
        s.run(&format!("wrapKey -k {p} -w {k} -out f.key -m 5"));
        s.read_file_bytes("f.key").unwrap().to_vec()
    };
    app.upload("Upload wrapped key", "f.key", &header_file)
        .await;
    assert!(wait_until(|| app.has("[data-testid='upload-note']")).await);
    let note = app.text("[data-testid='upload-note']");
    assert!(
        note.contains("carries a key_mgmt_util header") && note.contains("from-file"),
        "{note}"
    );
    assert_eq!(app.value("Label for the new key"), "from-file");
    assert_eq!(
        app.value("Wrapped key (hex or base64)").len(),
        64,
        "the bare 32-byte blob"
    );
    // Under this page's kek the blob does not open: the core says why.
    app.click("Unwrap").await;
    assert!(app.text(".unwrap-form .result.failed").contains("0x99"));

    // A bare blob as a binary file, from this page's own wrap: it unwraps.
    app.click("Wrap").await;
    let hex = app.value("Wrapped key output");
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    app.upload("Upload wrapped key", "bare.key", &bytes).await;
    assert!(wait_until(|| app.text("[data-testid='upload-note']").contains("bare.key")).await);
    assert_eq!(app.value("Wrapped key (hex or base64)"), hex);
    app.click("Unwrap").await;
    let out = app.text("[data-testid='unwrap-result']");
    assert!(out.contains("Key Unwrapped."), "{out}");
}

/// The text of the step viewer panel, upper-cased (hex is shown upper case).
fn steps_panel_text(app: &App) -> String {
    app.text(".steps-panel").to_uppercase()
}

#[wasm_bindgen_test]
async fn a_failed_sensitive_unwrap_withholds_the_steps_but_shows_the_iv_check() {
    let app = mount().await;
    let kek = handle_in(&app.run("genSymKey -t 31 -s 32 -l kek").await);
    let payload = handle_in(&app.run("genSymKey -t 31 -s 32 -l payload").await);
    // The wrong KEK has known bytes, so the test can trace what the HSM did.
    let known = [0x42u8; 32];
    app.upload("Upload file", "known.plain", &known).await;
    let wrong = handle_in(
        &app.run(&format!("imSymKey -f known.plain -w {kek} -t 31 -l wrong"))
            .await,
    );

    app.choose("Wrapping key", &format!("Key {kek}")).await;
    app.choose("Key to wrap", &format!("Key {payload}")).await;
    app.click("Wrap").await;
    let blob_hex = app.value("Wrapped key output");
    app.click("Use as unwrap input").await;
    app.choose("Wrapping key", &format!("Key {wrong}")).await;
    app.check("Sensitive", true).await;
    app.click("Unwrap").await;

    let withheld = app.text("[data-testid='trace-withheld']");
    assert!(
        withheld.contains("withheld the steps") && withheld.contains("sensitive"),
        "{withheld}"
    );
    assert!(
        withheld.contains("Only the IV check is shown"),
        "{withheld}"
    );
    let check = app.text("[data-testid='iv-check']");
    assert!(check.contains("IV check failed"), "{check}");
    assert_eq!(app.text("[data-testid='iv-expected']"), "A6A6A6A6A6A6A6A6");
    let recovered = app.text("[data-testid='iv-recovered']");
    assert_eq!(recovered.len(), 16);
    assert_ne!(recovered, "A6A6A6A6A6A6A6A6");
    assert!(!app.has("table.registers") && !app.has("[data-testid='step-position']"));
    let refused = app.text(".unwrap-form .result.failed");
    assert!(refused.contains("integrity check failed"), "{refused}");

    // The same W⁻¹ traced here: the same A, and none of its R values on the page.
    let blob = keywrap_core::encoding::decode(&blob_hex, keywrap_core::encoding::Format::Hex)
        .unwrap()
        .to_vec();
    let kek_known = keywrap_core::Kek::new(&known).unwrap();
    let full =
        keywrap_core::trace_unwrap(&kek_known, keywrap_core::Mechanism::Kw, None, &blob).unwrap();
    assert_eq!(
        recovered,
        keywrap_core::encoding::encode_hex_upper(&full.iv_check.recovered)
    );
    let panel = steps_panel_text(&app);
    for r in &full.final_registers.r {
        let r = keywrap_core::encoding::encode_hex_upper(r);
        assert!(!panel.contains(&r), "the page shows R = {r}");
    }
}

#[wasm_bindgen_test]
async fn pasted_keys_recompute_as_you_type_and_a_pasted_kek_unwraps_into_the_page() {
    let app = mount().await;
    standalone(&app, RFC3394_KEK, RFC3394_KEY).await;
    // No click: with both keys pasted the output follows the fields.
    assert_eq!(app.value("Wrapped key output"), RFC3394_WRAPPED);
    assert!(
        app.text(".wrap-form .result")
            .contains("Recomputed as you type")
    );
    // Hex output in the case and grouping asked for.
    app.choose("Hex case", "UPPER").await;
    app.choose("Group", "8 bytes").await;
    assert_eq!(
        app.value("Wrapped key output"),
        "1FA68B0A8112B447 AEF34BD8FB5A7B82 9D3E862371D2CFE5"
    );
    // A pasted KEK is not in the HSM: "Unwrap into" follows it to the page.
    let into_key = app.labelled("A new key in the HSM");
    let into_key = into_key.dyn_ref::<web_sys::HtmlInputElement>().unwrap();
    assert!(into_key.disabled() && !into_key.checked());
    assert!(
        app.labelled("This page (show the bytes)")
            .dyn_ref::<web_sys::HtmlInputElement>()
            .unwrap()
            .checked()
    );
    assert_eq!(
        into_key.get_attribute("aria-describedby").as_deref(),
        Some("wb-into-why")
    );
    // One byte less of KEK: an error under the field and no stale output.
    app.fill("KEK (hex or base64)", &RFC3394_KEK[..30]).await;
    assert!(!app.has("[data-testid='wrap-output']"));
    assert!(app.text(".workbench .shared .error").contains("15 bytes"));
    // Hints are tied to their fields.
    assert_eq!(
        app.labelled("KEK (hex or base64)")
            .get_attribute("aria-describedby")
            .as_deref(),
        Some("wb-kek-hint")
    );
    assert!(app.has("#wb-kek-hint"));
    // The pasted key never becomes an attribute of the page.
    assert!(!app.root.inner_html().contains(RFC3394_KEY));
}

#[wasm_bindgen_test]
async fn the_start_strip_wraps_the_rfc_vector_and_runs_the_seed_lines() {
    let app = mount().await;
    app.click("Wrap the RFC 3394 vector").await;
    assert_eq!(app.value("Wrapped key output"), RFC3394_WRAPPED);
    assert_eq!(app.text("[data-testid='step-position']"), "Step 0 of 12");
    app.click("genSymKey -t 31 -s 32 -l kek").await;
    assert!(app.text("[role='log']").contains("Symmetric Key Created."));
    assert!(app.text("section.start").contains("ran"));
    app.click("Hide these paths").await;
    assert!(!app.has("section.start"));
}

/// Waits up to `secs` seconds until `f` holds (a debug build runs W slowly).
#[cfg(test)]
async fn wait_long(secs: u32, f: impl Fn() -> bool) -> bool {
    for _ in 0..secs * 50 {
        if f() {
            return true;
        }
        support::sleep(20).await;
    }
    f()
}

#[wasm_bindgen_test]
async fn a_large_wrap_runs_as_a_job_with_progress_cancel_and_a_refusal_when_the_hsm_changes() {
    use keywrap_core::wrap::PAGE_SLICED_ABOVE_BYTES;
    let app = mount().await;
    let kek = handle_in(&app.run("genSymKey -t 31 -s 32 -l kek").await);
    app.choose("Wrapping key", &format!("Key {kek}")).await;
    app.choose("Key to wrap", "Paste key bytes").await;
    // Just above the size the page slices: 49,153 semiblocks, 294,918 steps of W.
    let len = PAGE_SLICED_ABOVE_BYTES + 8;
    app.fill("Key bytes (hex or base64)", &"5a".repeat(len))
        .await;
    let audited = app.audit_rows().len();
    let running = || app.has("#wb-job-progress");
    let wrap_disabled = || app.button("Wrap").has_attribute("disabled");

    // Started: a labelled bar, its status, Cancel focused, Wrap disabled.
    app.click("Wrap").await;
    assert!(running(), "the job shows its progress");
    let bar = app.q("#wb-job-progress");
    assert_eq!(bar.get_attribute("max").as_deref(), Some("294918"));
    let label = app.text("label[for='wb-job-progress']");
    assert!(
        label.starts_with("Wrapping: Wrap of a pasted 393224-byte key under key 6"),
        "{label}"
    );
    assert!(app.text("[data-testid='job']").contains("% done"));
    assert!(wrap_disabled(), "no second job while one runs");
    assert!(app.has_button("Cancel"));
    let focused = support::document().active_element().unwrap();
    assert_eq!(focused.text_content().unwrap_or_default().trim(), "Cancel");

    // Cancelled: nothing changed, and the page says so.
    app.click("Cancel").await;
    assert!(!running());
    assert!(
        app.text("[data-testid='job-note']")
            .contains("nothing changed")
    );
    assert_eq!(app.audit_rows().len(), audited, "no audit entry");
    assert!(!app.has("[data-testid='wrap-output']"));
    assert!(!wrap_disabled());

    // To the end: the result, one audit entry, the output cut for the field.
    app.click("Wrap").await;
    // Polled between the job's own timers, without `settle` (Yew's flush
    // waits until its scheduler is idle, which a running job never is).
    let mut seen: Vec<String> = Vec::new();
    let mut finished = false;
    for _ in 0..20_000 {
        if let Some(bar) = app.all("#wb-job-progress").first() {
            let value = bar.get_attribute("value").unwrap_or_default();
            if seen.last() != Some(&value) {
                seen.push(value);
            }
        }
        if app.has("[data-testid='wrap-output']") {
            finished = true;
            break;
        }
        support::raw_sleep(1).await;
    }
    assert!(finished, "the job finishes");
    // The reducer runs slices for about JOB_FRAME_BUDGET_MS a frame, so this
    // key takes a few frames: the bar shows at least one value between
    // nothing and done (one call would jump straight to the result).
    assert!(
        seen.iter()
            .filter_map(|v| v.parse::<u64>().ok())
            .any(|v| v > 0 && v < 294_918),
        "the bar advances: {seen:?}"
    );
    assert!(!running());
    assert_eq!(app.audit_rows().len(), audited + 1);
    assert!(
        app.text(".wrap-form").contains("393232 bytes"),
        "{}",
        app.text(".wrap-form")
    );
    assert!(
        app.text("#wrap-output-cut")
            .contains("first 16384 of 786464 characters")
    );
    // Too long to trace for anyone: the viewer says so and offers no X-ray
    // (it would show nothing more), only the throwaway replay.
    let steps = app.text(".steps-panel");
    assert!(steps.contains("cannot trace"), "{steps}");
    assert!(!app.has_button("Turn on X-ray: show what happens inside the HSM"));
    assert!(app.has_button("Replay with a throwaway key"));

    // The KEK deleted while a job runs: the job is refused, nothing applied.
    app.click("Wrap").await;
    assert!(running());
    app.run("deleteKey -k 6").await;
    assert!(wait_long(60, || !running()).await);
    let refusal = app.text(".wrap-form [role='alert']");
    assert!(
        refusal.contains("the HSM changed while the job ran"),
        "{refusal}"
    );
    assert!(
        app.audit_rows()
            .last()
            .unwrap()
            .contains("workbench wrap pasted bytes under key 6")
    );
}
