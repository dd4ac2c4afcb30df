//! The step viewer in headless Chromium, driven as a user drives it: X-ray
//! of the HSM off (the README's session is withheld, with the ways on) and
//! on (its W⁻¹ is shown), the W picture's values against the core's own
//! trace at every step forward and back, keyboard operation, KWP's single
//! block and checks, and the byte maps' labelled ranges.
#![cfg(target_arch = "wasm32")]
// Test code: a step that cannot be taken should fail the test. Clippy's
// allow-unwrap-in-tests does not reach closures inside `wasm_bindgen_test`
// async functions, so it is said here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

#[cfg(test)]
#[path = "support/mod.rs"]
mod support;

use keywrap_core::encoding::{Format, decode, encode_hex_upper};
use keywrap_core::wrap::trace::Rounds;
use keywrap_core::{Kek, Mechanism, trace_wrap};
use support::{App, mount, settle};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const RFC3394_KEK: &str = "000102030405060708090A0B0C0D0E0F";
const RFC3394_KEY: &str = "00112233445566778899AABBCCDDEEFF";

/// The README's first session.
async fn seed_session(app: &App) {
    for line in [
        "genSymKey -t 31 -s 32 -l kek",
        "genSymKey -t 31 -s 32 -l payload",
        "wrapKey -k 7 -w 6 -out mykey.key -m 5",
        "unWrapKey -f mykey.key -w 6",
    ] {
        let out = app.run(line).await;
        assert!(out.contains("HSM Return: SUCCESS"), "{line}: {out}");
    }
}

fn position(app: &App) -> String {
    app.text("[data-testid='step-position']")
}

/// Presses `key` on the focused W picture.
async fn key_on_picture(app: &App, key: &str) -> bool {
    let el = app.q("[data-testid='w-diagram-box']");
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    let not_cancelled = el.dispatch_event(&event).unwrap();
    settle().await;
    !not_cancelled
}

/// The byte map range button named `name` in the map `map`.
fn range(app: &App, map: &str, name: &str) -> web_sys::Element {
    app.q(&format!(
        "[data-testid='{map}-map'] button[data-range='{name}']"
    ))
}

/// The explanation that describes a range (its `aria-describedby`).
fn explanation(app: &App, map: &str, name: &str) -> String {
    let id = range(app, map, name)
        .get_attribute("aria-describedby")
        .unwrap();
    let el = support::document().get_element_by_id(&id).unwrap();
    assert_eq!(el.get_attribute("role").as_deref(), Some("tooltip"));
    el.text_content().unwrap()
}

#[wasm_bindgen_test]
async fn xray_off_withholds_the_seed_session_and_offers_the_ways_on() {
    let app = mount().await;
    let switch = app.labelled("Show what happens inside the HSM");
    assert_eq!(switch.get_attribute("role").as_deref(), Some("switch"));
    assert!(
        !switch
            .dyn_ref::<web_sys::HtmlInputElement>()
            .unwrap()
            .checked(),
        "X-ray is off by default"
    );
    seed_session(&app).await;
    assert!(
        app.text("[data-testid='trace-title']")
            .contains("unWrapKey")
    );
    assert!(app.has("[data-testid='trace-withheld']"));
    assert!(
        !app.has("[data-testid='w-diagram']"),
        "no picture of withheld steps"
    );
    assert!(!app.has("[data-testid='xray-frame']"));
    // The notice offers the switch, a throwaway replay and the vector.
    for offer in [
        "Turn on X-ray: show what happens inside the HSM",
        "Replay with a throwaway key",
        "Try the RFC 3394 vector",
    ] {
        assert!(app.has_button(offer), "{offer} offered");
    }
    // The IV check is still drawn, from the core's summary.
    assert!(app.text("[data-testid='check-diagram']").contains("passed"));

    // The notice's own switch turns X-ray on, and the withheld W⁻¹ is
    // replayed inside the HSM at once: no command runs again.
    let keys_before = app.all(".keys tbody tr").len();
    let audit_before = app.text(".audit-table tbody");
    app.click("Turn on X-ray: show what happens inside the HSM")
        .await;
    assert!(
        switch
            .dyn_ref::<web_sys::HtmlInputElement>()
            .unwrap()
            .checked()
    );
    assert!(!app.has("[data-testid='trace-withheld']"));
    assert!(
        app.text("[data-testid='trace-title']")
            .contains("inside the HSM (X-ray)")
    );
    assert!(app.has("[data-testid='w-diagram']"));
    assert_eq!(position(&app), "Step 0 of 24");
    app.click("To the end").await;
    assert_eq!(app.text("[data-testid='wd-a-after']"), "A6A6A6A6A6A6A6A6");
    assert_eq!(app.all(".keys tbody tr").len(), keys_before);
    assert_eq!(app.text(".audit-table tbody"), audit_before);
}

#[wasm_bindgen_test]
async fn xray_on_shows_the_seed_sessions_w_inverse_ending_in_the_iv() {
    let app = mount().await;
    app.check("Show what happens inside the HSM", true).await;
    assert!(app.text(".xray").contains("no actor outside the HSM"));
    seed_session(&app).await;
    assert!(
        app.text("[data-testid='trace-title']")
            .contains("unWrapKey")
    );
    assert!(!app.has("[data-testid='trace-withheld']"));
    assert!(
        app.text("[data-testid='xray-frame']")
            .contains("Inside the HSM")
    );
    assert_eq!(position(&app), "Step 0 of 24");
    // W⁻¹ counts t down from 6n = 24.
    app.click("Step ▶").await;
    assert_eq!(app.text("[data-testid='wd-t']"), "t = 24");
    assert!(
        app.text("[data-testid='w-diagram'] title")
            .contains("W⁻¹, step 1 of 24")
    );
    app.click("To the end").await;
    assert_eq!(app.text("[data-testid='wd-t']"), "t = 1");
    // The last step recovers the default IV in A, and the check passes.
    assert_eq!(app.text("[data-testid='wd-a-after']"), "A6A6A6A6A6A6A6A6");
    assert!(app.text("[data-testid='wd-check-iv']").contains("passed"));
    // The wrapped key's byte map: A, then R[1..4].
    assert_eq!(
        app.all("[data-testid='map-input-map'] button.byte-range")
            .len(),
        5
    );
}

#[wasm_bindgen_test]
async fn step_and_back_draw_the_traces_values_for_the_rfc_vector() {
    let app = mount().await;
    seed_session(&app).await;
    app.click("Try the RFC 3394 vector").await;
    assert!(app.text("[data-testid='trace-title']").starts_with("Wrap"));
    // The core's own trace of the same wrap.
    let kek = Kek::new(&decode(RFC3394_KEK, Format::Hex).unwrap()).unwrap();
    let trace = trace_wrap(
        &kek,
        Mechanism::Kw,
        None,
        &decode(RFC3394_KEY, Format::Hex).unwrap(),
    )
    .unwrap();
    let Rounds::W(steps) = &trace.rounds else {
        panic!("two semiblocks run W")
    };
    assert_eq!(position(&app), "Step 0 of 12");
    assert_eq!(
        app.text("[data-testid='wd-a-after']"),
        "?",
        "not yet computed"
    );
    let check = |k: usize| {
        let s = &steps[k];
        assert_eq!(app.text("[data-testid='wd-t']"), format!("t = {}", s.t));
        assert_eq!(
            app.text("[data-testid='wd-a-before']"),
            encode_hex_upper(&s.a_before)
        );
        assert_eq!(
            app.text("[data-testid='wd-r-before']"),
            encode_hex_upper(&s.r_before)
        );
        assert_eq!(
            app.text("[data-testid='wd-b-msb']"),
            encode_hex_upper(&s.b[..8])
        );
        assert_eq!(
            app.text("[data-testid='wd-b-lsb']"),
            encode_hex_upper(&s.b[8..])
        );
        assert_eq!(
            app.text("[data-testid='wd-a-after']"),
            encode_hex_upper(&s.a_after)
        );
        assert_eq!(
            app.text("[data-testid='wd-r-after']"),
            encode_hex_upper(&s.r_after)
        );
    };
    for k in 0..12 {
        app.click("Step ▶").await;
        check(k);
    }
    // RFC 3394 §4.1's output is A then R[1], R[2] after the last step.
    assert_eq!(app.text("[data-testid='wd-a-after']"), "1FA68B0A8112B447");
    for k in (0..11).rev() {
        app.click("◀ Back").await;
        check(k);
    }
}

#[wasm_bindgen_test]
async fn the_picture_and_the_step_list_work_by_keyboard() {
    let app = mount().await;
    seed_session(&app).await;
    app.click("Try the RFC 3394 vector").await;
    let picture = app.q("[data-testid='w-diagram-box']");
    assert_eq!(picture.get_attribute("tabindex").as_deref(), Some("0"));
    assert!(
        picture
            .get_attribute("aria-label")
            .unwrap()
            .contains("Right arrow: step")
    );
    assert!(key_on_picture(&app, "ArrowRight").await, "the key is taken");
    assert_eq!(position(&app), "Step 1 of 12");
    key_on_picture(&app, "ArrowRight").await;
    key_on_picture(&app, "ArrowLeft").await;
    assert_eq!(position(&app), "Step 1 of 12");
    key_on_picture(&app, "End").await;
    assert_eq!(position(&app), "Step 12 of 12");
    key_on_picture(&app, "Home").await;
    assert_eq!(position(&app), "Step 0 of 12");
    assert!(!key_on_picture(&app, "x").await, "other keys pass through");
    // "All 12 steps" is a focusable, named region, every row in it.
    let list = app.q(".steps-scroll");
    assert_eq!(list.get_attribute("tabindex").as_deref(), Some("0"));
    assert_eq!(list.get_attribute("role").as_deref(), Some("region"));
    assert!(
        list.get_attribute("aria-label")
            .unwrap()
            .starts_with("All 12 steps")
    );
    assert_eq!(app.all(".steps-scroll tbody tr").len(), 12);
}

#[wasm_bindgen_test]
async fn kwp_single_block_and_its_checks_are_drawn() {
    let app = mount().await;
    app.choose("Wrapping key", "Paste a KEK").await;
    app.fill("KEK (hex or base64)", RFC3394_KEK).await;
    app.choose("Key to wrap", "Paste key bytes").await;
    app.fill("Key bytes (hex or base64)", "0011223344").await;
    app.choose("Mechanism", "AES-KWP").await;
    app.click("Wrap").await;
    assert_eq!(position(&app), "Step 0 of 1");
    assert!(
        app.text("[data-testid='w-diagram'] title")
            .contains("single block")
    );
    // AIV = A65959A6 ‖ MLI 5, then the key and three zero bytes.
    assert_eq!(app.text("[data-testid='wd-in-hi']"), "A65959A600000005");
    assert_eq!(app.text("[data-testid='wd-in-lo']"), "0011223344000000");
    assert_eq!(app.text("[data-testid='wd-out-lo']"), "?");
    app.click("Step ▶").await;
    let wrapped = app.value("Wrapped key output").to_uppercase();
    assert_eq!(app.text("[data-testid='wd-out-hi']"), wrapped[..16]);
    assert_eq!(
        app.all("[data-testid='map-output-map'] button.byte-range")
            .len(),
        1,
        "one AES block"
    );
    // Unwrap it back into the page: the checks after the block.
    app.click("Use as unwrap input").await;
    app.check("This page (show the bytes)", true).await;
    app.click("Unwrap").await;
    app.click("To the end").await;
    assert!(app.text("[data-testid='wd-check-mli']").contains("≤ MLI ≤"));
    assert!(app.text("[data-testid='wd-check-mli']").contains("passed"));
    assert!(
        app.text("[data-testid='wd-check-padding']")
            .contains("passed")
    );
    // The recovered AIV's byte map: the constant, then the MLI.
    assert!(explanation(&app, "map-aiv", "MLI").contains("5 bytes of key data"));
}

#[wasm_bindgen_test]
async fn byte_map_ranges_are_labelled_on_focus_and_hover() {
    let app = mount().await;
    seed_session(&app).await;
    app.click("Try the RFC 3394 vector").await;
    let names: Vec<String> = app
        .all("[data-testid='map-output-map'] button.byte-range")
        .iter()
        .map(|b| b.get_attribute("data-range").unwrap())
        .collect();
    assert_eq!(names, ["C[0] = A", "C[1] = R[1]", "C[2] = R[2]"]);
    assert!(
        app.text("[data-testid='map-output-map']")
            .contains("focus a range"),
        "says how to use it"
    );
    // Each range is described by its explanation, shown on focus (not
    // only on hover), hidden otherwise.
    let c1 = range(&app, "map-output", "C[1] = R[1]");
    assert!(c1.text_content().unwrap().contains("AEF34BD8FB5A7B82"));
    assert!(
        explanation(&app, "map-output", "C[1] = R[1]").starts_with("C[1] = R[1], bytes 8–15 (8)")
    );
    assert!(explanation(&app, "map-output", "C[0] = A").contains("integrity register A"));
    // The stylesheet shows it on hover or focus (`.byte-range:focus +
    // .range-explain`, checked end to end): it is the button's next sibling.
    let next = c1.next_element_sibling().unwrap();
    assert_eq!(
        next.get_attribute("id"),
        c1.get_attribute("aria-describedby")
    );
    assert_eq!(next.class_name(), "range-explain");

    // The page's file mykey.key: header fields, then the wrapped key.
    assert_eq!(app.text(".file-map[open] summary"), "mykey.key");
    let fields: Vec<String> = app
        .all("[data-testid='map-file-0-map'] button.byte-range")
        .iter()
        .map(|b| b.get_attribute("data-range").unwrap())
        .collect();
    assert_eq!(fields[0], "magic");
    assert!(fields.contains(&"label".to_owned()));
    assert!(fields.contains(&"C[0] = A".to_owned()));
    assert!(explanation(&app, "map-file-0", "label").contains("\"payload\""));
    assert!(explanation(&app, "map-file-0", "mechanism").contains("-m 5"));
}

#[wasm_bindgen_test]
async fn a_throwaway_replay_shows_every_step() {
    let app = mount().await;
    seed_session(&app).await;
    app.click("Replay with a throwaway key").await;
    assert!(!app.has("[data-testid='trace-withheld']"));
    assert!(app.text("[data-testid='trace-title']").starts_with("Wrap"));
    // Shaped like the withheld unwrap: AES-256 KEK, 32 bytes, AES-KW.
    assert!(app.text(".facts").contains("AES-256"));
    assert_eq!(position(&app), "Step 0 of 24");
}

use wasm_bindgen::JsCast;
