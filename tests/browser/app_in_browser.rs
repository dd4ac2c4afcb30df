//! The app mounted into a real document in headless Chromium.
#![cfg(target_arch = "wasm32")]
// A failed unwrap here is a failed test, which is what a test should do.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts a fresh app into its own element and lets Yew render.
async fn mount_app() -> web_sys::Element {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let handle = keywrap_web::mount(root.clone()).expect("the network lock installs");
    // The handle would unmount the app when dropped; the test keeps it for the page's life.
    std::mem::forget(handle);
    yew::scheduler::flush().await;
    root
}

#[wasm_bindgen_test]
async fn first_screen_has_command_field_log_and_passing_self_test() {
    let root = mount_app().await;

    let input = root
        .query_selector("input#command-input")
        .unwrap()
        .expect("a command input");
    let label = root
        .query_selector("label[for='command-input']")
        .unwrap()
        .expect("a label for it");
    assert_eq!(label.text_content().unwrap().trim(), "Command");
    assert_eq!(input.get_attribute("type").as_deref(), Some("text"));

    let log = root
        .query_selector("[role='log']")
        .unwrap()
        .expect("a transcript with role=log");
    assert_eq!(log.get_attribute("aria-live").as_deref(), Some("polite"));

    let table = root
        .query_selector("table.key-table")
        .unwrap()
        .expect("a key table");
    assert!(table.text_content().unwrap().contains("No keys yet"));

    let self_test = root
        .query_selector("[data-testid='self-test']")
        .unwrap()
        .expect("a self-test line");
    let text = self_test.text_content().unwrap();
    assert!(text.contains("RFC 3394"), "{text}");
    assert!(
        text.contains("passed"),
        "self-test did not pass in the browser: {text}"
    );
    assert!(self_test.class_list().contains("passed"));

    let footer = root.query_selector(".core-version").unwrap().unwrap();
    assert_eq!(
        footer.text_content().unwrap(),
        format!("keywrap-core {}", keywrap_core::VERSION)
    );
}

#[wasm_bindgen_test]
async fn mounting_locks_the_network_with_a_second_policy() {
    let _root = mount_app().await;
    let lock = document()
        .query_selector("meta[data-keywrap-lock]")
        .unwrap()
        .expect("the lock policy is in <head>");
    assert_eq!(
        lock.get_attribute("http-equiv").as_deref(),
        Some("Content-Security-Policy")
    );
    let policy = lock.get_attribute("content").unwrap();
    assert!(policy.starts_with("default-src 'none'"), "{policy}");
    assert!(policy.contains("connect-src 'none'"), "{policy}");
    assert!(keywrap_web::csp::is_locked());
    // Mounting twice adds no second copy.
    let _again = mount_app().await;
    assert_eq!(
        document()
            .query_selector_all("meta[data-keywrap-lock]")
            .unwrap()
            .length(),
        1
    );
}
