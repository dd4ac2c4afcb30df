//! The wrap core's known answers, run inside headless Chromium.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn rfc3394_self_test_passes_in_the_browser() {
    let report = keywrap_core::selftest::self_test();
    assert!(report.passed, "{}", report.text);
}
