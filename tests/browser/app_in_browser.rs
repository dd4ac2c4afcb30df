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

#[wasm_bindgen_test]
async fn the_banner_promises_no_network_and_counts_requests_and_blocked_attempts() {
    let root = mount_app().await;
    let banner = root.query_selector(".banner").unwrap().expect("a banner");
    let text = banner.text_content().unwrap();
    assert!(
        text.contains("This page has locked itself out of the network"),
        "{text}"
    );
    assert!(text.contains("default-src 'none'"), "{text}");
    let count = || {
        root.query_selector("[data-testid='network-count']")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    let blocked = || {
        root.query_selector("[data-testid='blocked-count']")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    assert_eq!(count(), "0");

    // An image aimed at the page's own host after boot: the lock refuses it,
    // the banner counts the refusal, and no request is made.
    let img = document().create_element("img").unwrap();
    img.set_attribute("src", "/leak.png?key=00112233").unwrap();
    document().body().unwrap().append_child(&img).unwrap();
    let mut seen = false;
    for _ in 0..100 {
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
                .unwrap();
        });
        wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
        yew::scheduler::flush().await;
        if blocked() != "0" && count() != "0" {
            seen = true;
            break;
        }
    }
    img.remove();
    assert!(
        seen,
        "the blocked image was counted: {} blocked, {} requests",
        blocked(),
        count()
    );
    // Chromium reports the refused image as a resource entry too: every
    // request the browser reported is one the policy blocked.
    let (requests, refused): (u32, u32) = (count().parse().unwrap(), blocked().parse().unwrap());
    assert!(
        requests <= refused,
        "{requests} requests, {refused} blocked"
    );
}
