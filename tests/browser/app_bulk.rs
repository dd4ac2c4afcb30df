//! "Wrap all selected keys" in the key table, in headless Chromium, driven
//! as a user would: tick keys (one by one, or every key the filter shows),
//! choose a wrapping key and a mechanism, wrap them in one action. The files
//! appear in the files panel, the console's bulk wrap extension is echoed in
//! the terminal and audited; a refusal names the key and writes nothing.
//! Also: bare `help` lists both dialects, and Tab completes both.
#![cfg(target_arch = "wasm32")]
// Test code: a step that cannot be taken should fail the test. Clippy's
// allow-unwrap-in-tests does not reach closures inside `wasm_bindgen_test`
// async functions, so it is said here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

#[cfg(test)]
#[path = "support/mod.rs"]
mod support;

use support::{App, mount};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::HtmlInputElement;

wasm_bindgen_test_configure!(run_in_browser);

/// The checkbox whose accessible name (aria-label) is exactly `name`.
fn checkbox(app: &App, name: &str) -> HtmlInputElement {
    app.all("input[type='checkbox']")
        .into_iter()
        .find(|b| b.get_attribute("aria-label").as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no checkbox named {name:?}"))
        .dyn_into::<HtmlInputElement>()
        .unwrap()
}

async fn tick(app: &App, name: &str, on: bool) {
    let b = checkbox(app, name);
    if b.checked() != on {
        b.click();
    }
    support::settle().await;
}

fn file_names(app: &App) -> String {
    if app.has("table.files-table") {
        app.text("table.files-table")
    } else {
        String::new()
    }
}

/// A KEK (6), three payloads (7, 8, 9) and another key labelled `other` (10).
async fn with_keys(app: &App) {
    for line in [
        "genSymKey -t 31 -s 32 -l kek",
        "genSymKey -t 31 -s 16 -l payload",
        "genSymKey -t 31 -s 24 -l payload",
        "genSymKey -t 16 -s 20 -l payload",
        "genSymKey -t 31 -s 32 -l other",
    ] {
        let out = app.run(line).await;
        assert!(out.contains("Symmetric Key Created."), "{out}");
    }
}

#[wasm_bindgen_test]
async fn selected_keys_are_wrapped_in_one_action_into_files() {
    let app = mount().await;
    with_keys(&app).await;

    // Select every key the filter shows: the three payloads, not `other`.
    app.fill("Filter by label", "payload").await;
    tick(&app, "Select every key the filter shows, to wrap", true).await;
    for h in [7, 8, 9] {
        assert!(
            checkbox(&app, &format!("Select key {h} to wrap")).checked(),
            "{h}"
        );
    }
    app.fill("Filter by label", "").await;
    assert!(!checkbox(&app, "Select key 10 to wrap").checked());
    assert!(app.has_button("Wrap 3 selected keys"));

    app.choose("Wrap them under key", "6 — kek").await;
    app.choose("With mechanism", "AES-KWP").await;
    app.fill("File name prefix", "bk-").await;
    app.click("Wrap 3 selected keys").await;

    // The files panel lists one file per key.
    let files = file_names(&app);
    for h in [7, 8, 9] {
        assert!(files.contains(&format!("bk-{h}.key")), "{files}");
    }
    assert!(!files.contains("bk-10.key"), "{files}");
    // The terminal echoes the equivalent extension command and its output.
    let log = app.text("[role='log']");
    assert!(
        log.contains("extWrapAll -w 6 -m 6 -k 7,8,9 -out bk-"),
        "{log}"
    );
    assert!(
        log.contains("3 keys wrapped under key 6 in one batch"),
        "{log}"
    );
    // The audit log records it; the status says what happened; ticks are cleared.
    let audit = app.audit_rows();
    assert!(
        audit.last().unwrap().contains("extWrapAll") && audit.last().unwrap().contains("SUCCESS"),
        "{audit:?}"
    );
    assert!(
        app.text("[data-testid='status']")
            .contains("Wrapped 3 keys under key 6")
    );
    assert!(!checkbox(&app, "Select key 7 to wrap").checked());
    assert!(!app.has("[data-testid='bulk-error']"));

    // The wrapped key is as long as one wrapKey of key 8 makes it.
    let out = app.run("wrapKey -k 8 -w 6 -out one.key -m 6").await;
    assert!(out.contains("length 32"), "{out}");
    assert!(
        log.contains("Key 8 written to file \"bk-8.key\": length 32"),
        "{log}"
    );
}

#[wasm_bindgen_test]
async fn a_refusal_names_the_key_and_writes_nothing() {
    let app = mount().await;
    with_keys(&app).await;
    app.run("genSymKey -t 31 -s 16 -l locked -nex").await; // 11

    // Nothing ticked, no wrapping key: the form says what it needs.
    app.click("Wrap 0 selected keys").await;
    assert!(
        app.text("[data-testid='bulk-error']")
            .contains("Tick the keys to wrap first"),
        "{}",
        app.text("[data-testid='bulk-error']")
    );
    tick(&app, "Select key 7 to wrap", true).await;
    tick(&app, "Select key 11 to wrap", true).await;
    app.click("Wrap 2 selected keys").await;
    assert!(
        app.text("[data-testid='bulk-error']")
            .contains("Choose the wrapping key")
    );

    // Key 11 is not extractable: the wrap of both stops there.
    app.choose("Wrap them under key", "6 — kek").await;
    app.choose("With mechanism", "AES-KW (").await;
    app.click("Wrap 2 selected keys").await;
    let error = app.text("[data-testid='bulk-error']");
    assert!(
        error.contains("key 11 stopped the wrap, so no file was written")
            && error.contains("not extractable"),
        "{error}"
    );
    assert!(!file_names(&app).contains("wrapped-7.key"));
    // The keys stay ticked, so the user can untick the culprit and retry.
    tick(&app, "Select key 11 to wrap", false).await;
    app.click("Wrap 1 selected key").await;
    assert!(file_names(&app).contains("wrapped-7.key"));
    assert!(!app.has("[data-testid='bulk-error']"));
    assert!(
        app.audit_rows()
            .iter()
            .any(|r| r.contains("extWrapAll") && !r.contains("SUCCESS"))
    );
}

#[wasm_bindgen_test]
async fn help_lists_both_dialects_and_tab_completes_both() {
    let app = mount().await;
    let out = app.run("help").await;
    assert!(out.contains("Help Commands Available"), "{out}");
    assert!(out.contains("CloudHSM CLI commands"), "{out}");
    assert!(
        out.contains("key generate-symmetric") && out.contains("extWrapAll"),
        "{out}"
    );

    // Tab completes a KMU command, a CloudHSM CLI subcommand and the extension.
    for (typed, completed) in [
        ("genSym", "genSymKey "),
        ("key generate-sym", "key generate-symmetric "),
        ("ext wrap-", "ext wrap-all "),
        ("extWrap", "extWrapAll "),
    ] {
        app.fill("Command", typed).await;
        assert!(
            app.press("Command", "Tab", false).await,
            "Tab is handled for {typed}"
        );
        assert_eq!(app.value("Command"), completed, "{typed}");
    }
}
