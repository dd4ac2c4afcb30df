//! The console's panels in headless Chromium, driven as a user would: the
//! terminal (commands, history, completion, Ctrl+L, handle links), the key
//! table (sort, filter, reveal), the handle remarks, the files and the audit log.
#![cfg(target_arch = "wasm32")]
// Test code: a step that cannot be taken should fail the test. Clippy's
// allow-unwrap-in-tests does not reach closures inside `wasm_bindgen_test`
// async functions, so it is said here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

#[cfg(test)]
#[path = "support/mod.rs"]
mod support;

use support::{handle_in, mount, wait_until};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_typed_command_creates_a_key_that_the_table_and_audit_show() {
    let app = mount().await;
    assert!(app.text("table.key-table").contains("No keys yet"));

    let out = app.run("genSymKey -t 31 -s 32 -l kek").await;
    assert!(out.contains("Symmetric Key Created."), "{out}");
    let kek = handle_in(&out);

    let rows = app.key_rows();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].contains("kek") && rows[0].contains("AES") && rows[0].contains("256 bits"));
    assert!(rows[0].contains("alice (you)"), "{}", rows[0]);
    // The handle in the output is a button that selects the key.
    assert!(app.has_button(&format!("Select key {kek}")));
    let audit = app.audit_rows();
    assert_eq!(audit.len(), 1);
    assert!(
        audit[0].contains("genSymKey") && audit[0].contains("SUCCESS"),
        "{}",
        audit[0]
    );
    // The input is cleared after Enter.
    assert_eq!(app.value("Command"), "");
}

#[wasm_bindgen_test]
async fn a_refused_command_shows_the_error_and_changes_nothing() {
    let app = mount().await;
    let out = app.run("genSymKey -t 31 -s 33 -l bad").await;
    assert!(
        out.contains("an AES key is 16, 24 or 32 bytes, not 33"),
        "{out}"
    );
    assert!(app.has(".transcript .entry.refused"));
    assert!(app.text("table.key-table").contains("No keys yet"));
    let audit = app.audit_rows();
    assert_eq!(audit.len(), 1);
    assert!(audit[0].contains("✖"), "{}", audit[0]);

    let out = app.run("frobnicate").await;
    assert!(out.contains("is not a command"), "{out}");
    let out = app.run("wrapkey").await;
    assert!(out.contains("did you mean wrapKey?"), "{out}");
    // An empty Enter adds nothing.
    let entries = app.all(".transcript .entry").len();
    app.run("   ").await;
    assert_eq!(app.all(".transcript .entry").len(), entries);
}

#[wasm_bindgen_test]
async fn arrow_keys_walk_the_history_and_ctrl_l_clears_the_transcript() {
    let app = mount().await;
    app.run("help").await;
    app.run("loginStatus").await;
    app.fill("Command", "find").await;

    assert!(app.press("Command", "ArrowUp", false).await, "↑ is handled");
    assert_eq!(app.value("Command"), "loginStatus");
    app.press("Command", "ArrowUp", false).await;
    assert_eq!(app.value("Command"), "help");
    app.press("Command", "ArrowUp", false).await;
    assert_eq!(app.value("Command"), "help", "stays at the oldest");
    app.press("Command", "ArrowDown", false).await;
    assert_eq!(app.value("Command"), "loginStatus");
    app.press("Command", "ArrowDown", false).await;
    assert_eq!(app.value("Command"), "find", "back to the line being typed");

    assert!(app.text("[role='log']").contains("Help Commands Available"));
    assert!(app.press("Command", "l", true).await, "Ctrl+L is handled");
    assert_eq!(app.text("[role='log']"), "");
    // The HSM is untouched: the audit log still has both commands.
    assert_eq!(app.audit_rows().len(), 2);
}

#[wasm_bindgen_test]
async fn tab_completes_commands_flags_handles_and_file_names() {
    let app = mount().await;
    app.fill("Command", "genS").await;
    assert!(app.press("Command", "Tab", false).await);
    assert_eq!(app.value("Command"), "genSymKey ");

    // Several candidates: the common prefix, and the list shown.
    app.fill("Command", "ge").await;
    app.press("Command", "Tab", false).await;
    assert!(
        app.text("[data-testid='completions']")
            .contains("genSymKey")
    );
    assert!(
        app.text("[data-testid='completions']")
            .contains("getAttribute")
    );

    let kek = handle_in(&app.run("genSymKey -t 31 -s 32 -l kek").await);
    app.fill("Command", "wrapKey -k ").await;
    app.press("Command", "Tab", false).await;
    assert_eq!(app.value("Command"), format!("wrapKey -k {kek} "));

    app.fill("Command", "wrapKey -k 1 -w 1 -o").await;
    app.press("Command", "Tab", false).await;
    assert_eq!(app.value("Command"), "wrapKey -k 1 -w 1 -out ");

    let payload = handle_in(&app.run("genSymKey -t 31 -s 32 -l payload").await);
    app.run(&format!(
        "wrapKey -k {payload} -w {kek} -out mykey.key -m 5"
    ))
    .await;
    app.fill("Command", "unWrapKey -f my").await;
    app.press("Command", "Tab", false).await;
    assert_eq!(app.value("Command"), "unWrapKey -f mykey.key ");

    // After a value flag, its values.
    app.fill("Command", "genSymKey -t 3").await;
    assert!(app.press("Command", "Tab", false).await);
    assert_eq!(app.value("Command"), "genSymKey -t 31 ");
    app.fill("Command", "genSymKey -t 31 -s ").await;
    app.press("Command", "Tab", false).await;
    assert_eq!(app.value("Command"), "genSymKey -t 31 -s ", "never a flag");
    let offered = app.text("[data-testid='completions']");
    assert!(
        offered.contains("16") && offered.contains("24") && offered.contains("32"),
        "{offered}"
    );

    // On an empty line, or after a space where only flags could follow,
    // Tab is left to the browser, to move focus.
    app.fill("Command", "").await;
    assert!(!app.press("Command", "Tab", false).await);
    app.fill("Command", "genSymKey -t 31 -s 32 -l k ").await;
    assert!(!app.press("Command", "Tab", false).await);
}

#[wasm_bindgen_test]
async fn the_seed_session_unwraps_one_blob_into_two_handles_and_says_so() {
    let app = mount().await;
    let kek = handle_in(&app.run("genSymKey -t 31 -s 32 -l kek").await);
    let payload = handle_in(&app.run("genSymKey -t 31 -s 32 -l payload").await);
    let out = app
        .run(&format!(
            "wrapKey -k {payload} -w {kek} -out mykey.key -m 5"
        ))
        .await;
    assert!(out.contains("Key Wrapped."), "{out}");
    let first = handle_in(&app.run(&format!("unWrapKey -f mykey.key -w {kek}")).await);
    let second = handle_in(&app.run(&format!("unWrapKey -f mykey.key -w {kek}")).await);
    assert!(first != payload && second != first);

    let kcv_of = |h: u64| {
        app.key_rows()
            .into_iter()
            .find(|r| r.starts_with(&h.to_string()))
            .map(|r| {
                r.split_whitespace()
                    .find(|w| w.len() == 6 && w.chars().all(|c| c.is_ascii_hexdigit()))
                    .unwrap_or_default()
                    .to_owned()
            })
            .unwrap_or_default()
    };
    assert_eq!(kcv_of(first), kcv_of(payload));
    assert_eq!(kcv_of(second), kcv_of(payload));

    let notices = app.text("[data-testid='handle-notices']");
    assert!(
        notices.contains(&format!("Key {second} has KCV")) && notices.contains("same key bytes"),
        "{notices}"
    );
    assert!(
        notices.contains("names this key inside this HSM only"),
        "{notices}"
    );

    // Deleted handles are never reused.
    app.run(&format!("deleteKey -k {second}")).await;
    let notices = app.text("[data-testid='handle-notices']");
    assert!(
        notices.contains(&format!("Handle {second} is deleted")),
        "{notices}"
    );
    let next = handle_in(&app.run("genSymKey -t 31 -s 16 -l after").await);
    assert_eq!(next, second + 1);
    assert!(
        app.audit_rows()
            .iter()
            .any(|r| r.contains(&format!("deleteKey -k {second}")))
    );

    // The file written by wrapKey is in the files panel.
    let files = app.text("table.files-table");
    assert!(
        files.contains("mykey.key")
            && files.contains(&format!("key {payload} wrapped under key {kek}")),
        "{files}"
    );
}

#[wasm_bindgen_test]
async fn handle_links_select_the_key_in_the_table_and_the_matrix() {
    let app = mount().await;
    let kek = handle_in(&app.run("genSymKey -t 31 -s 32 -l kek").await);
    let payload = handle_in(&app.run("genSymKey -t 31 -s 32 -l payload").await);
    assert!(
        app.text("#access-title")
            .contains(&format!("key {payload}"))
    );

    // Click the kek's handle in the first command's output.
    let link = app
        .all(".transcript .handle-link")
        .into_iter()
        .find(|b| b.text_content().unwrap_or_default() == kek.to_string())
        .expect("a handle link");
    link.dyn_into::<web_sys::HtmlElement>().unwrap().click();
    support::settle().await;
    assert!(app.text("#access-title").contains(&format!("key {kek}")));
    assert!(app.text("table.key-table tr.selected").contains("kek"));
}

#[wasm_bindgen_test]
async fn the_key_table_sorts_and_filters_by_label() {
    let app = mount().await;
    app.run("genSymKey -t 31 -s 32 -l zeta").await;
    app.run("genSymKey -t 31 -s 16 -l alpha").await;
    app.run("genSymKey -t 16 -s 20 -l mid").await;

    let labels = |app: &support::App| {
        app.all("table.key-table tbody td.label")
            .iter()
            .map(|c| c.text_content().unwrap_or_default())
            .collect::<Vec<_>>()
    };
    assert_eq!(labels(&app), ["zeta", "alpha", "mid"], "by handle");
    app.click("Sort by label").await;
    assert_eq!(labels(&app), ["alpha", "mid", "zeta"]);
    app.click("Sort by label").await;
    assert_eq!(labels(&app), ["zeta", "mid", "alpha"]);
    app.click("Sort by size").await;
    assert_eq!(labels(&app), ["alpha", "mid", "zeta"], "16 < 20 < 32 bytes");
    assert!(
        app.text("table.key-table").contains("20 bytes"),
        "a generic secret's size in bytes"
    );

    app.fill("Filter by label", "ET").await;
    assert_eq!(labels(&app), ["zeta"]);
    app.fill("Filter by label", "nothing").await;
    assert!(
        app.text("table.key-table")
            .contains("No key's label matches")
    );
}

#[wasm_bindgen_test]
async fn reveal_is_refused_for_a_sensitive_key_and_shows_another_until_blur() {
    let app = mount().await;
    let kek = handle_in(&app.run("genSymKey -t 31 -s 32 -l kek").await);
    // Reveal is offered only where it can succeed; elsewhere, the reason.
    assert!(!app.has_button(&format!("Reveal key {kek}")));
    assert!(
        app.key_rows()[0].contains("Never shown: sensitive"),
        "{:?}",
        app.key_rows()
    );
    assert!(!app.has("[data-testid='revealed-value']"));

    // A non-sensitive key: wrap pasted bytes under the kek, unwrap into a new key.
    app.choose("Wrapping key", &format!("Key {kek}")).await;
    app.choose("Key to wrap", "Paste key bytes").await;
    let value = "000102030405060708090a0b0c0d0e0f";
    app.fill("Key bytes (hex or base64)", value).await;
    app.click("Wrap").await;
    app.click("Use as unwrap input").await;
    app.fill("Label for the new key", "revealable").await;
    app.check("Sensitive", false).await;
    app.click("Unwrap").await;
    let out = app.text("[data-testid='unwrap-result']");
    assert!(out.contains("Key Unwrapped."), "{out}");
    assert!(
        out.contains("c6a13b"),
        "the KCV of 000102…0f is c6a13b: {out}"
    );
    let new = handle_in(&out);

    app.click(&format!("Reveal key {new}")).await;
    let shown = app.q("[data-testid='revealed-value']");
    assert_eq!(shown.text_content().unwrap(), value);
    // It took focus; when focus leaves, the value is gone from the page.
    let active = support::document().active_element().unwrap();
    assert_eq!(active, shown);
    app.labelled("Command")
        .dyn_ref::<web_sys::HtmlElement>()
        .unwrap()
        .focus()
        .unwrap();
    support::settle().await;
    assert!(!app.has("[data-testid='revealed-value']"));
    assert!(!app.root.inner_html().contains(value));
    assert!(
        app.audit_rows()
            .iter()
            .any(|r| r.contains(&format!("reveal -k {new}")))
    );
}

#[wasm_bindgen_test]
async fn files_are_listed_uploaded_and_deleted() {
    let app = mount().await;
    assert!(app.text("table.files-table").contains("No files yet"));
    app.upload("Upload file", "notes.bin", &[1, 2, 3, 4]).await;
    assert!(wait_until(|| app.text("table.files-table").contains("notes.bin")).await);
    assert!(app.text("table.files-table").contains("4 bytes"));
    assert!(app.text("table.files-table").contains("uploaded by you"));
    assert!(app.text("[data-testid='status']").contains("Uploaded"));

    // The console reads it: aesWrapUnwrap refuses 4 bytes, by name.
    let out = app.run("genSymKey -t 31 -s 16 -l k").await;
    let k = handle_in(&out);
    let out = app
        .run(&format!("aesWrapUnwrap -m 1 -f notes.bin -w {k}"))
        .await;
    assert!(
        out.contains("0x9e : HSM Error: Invalid input data length"),
        "{out}"
    );

    app.click("Delete file notes.bin").await;
    assert!(!app.text("table.files-table").contains("notes.bin"));
    assert!(
        app.audit_rows()
            .iter()
            .any(|r| r.contains("delete file \"notes.bin\""))
    );
    // Download of a file goes through a Blob, and says so.
    let w = handle_in(&app.run("genSymKey -t 31 -s 16 -l w").await);
    let out = app
        .run(&format!("wrapKey -k {k} -w {w} -out self.key -m 5"))
        .await;
    assert!(out.contains("self.key"), "{out}");
    app.click("Download file self.key").await;
    assert!(
        app.text("[data-testid='status']")
            .contains("Downloaded \"self.key\"")
    );
}

#[wasm_bindgen_test]
async fn a_typed_unwrapkey_with_the_wrong_key_shows_the_failed_iv_check() {
    let app = mount().await;
    assert!(!app.text(".steps-panel").contains("print no steps"));
    let kek = handle_in(&app.run("genSymKey -t 31 -s 32 -l kek").await);
    let other = handle_in(&app.run("genSymKey -t 31 -s 32 -l other").await);
    let payload = handle_in(&app.run("genSymKey -t 31 -s 32 -l payload").await);
    let out = app
        .run(&format!(
            "wrapKey -k {payload} -w {kek} -out bare.key -m 5 -noheader"
        ))
        .await;
    assert!(out.contains("Key Wrapped."), "{out}");
    // The sensitive payload's wrap: named, and withheld.
    let title = app.text("[data-testid='trace-title']");
    assert!(
        title.contains("wrapKey -k") && title.contains("Cfm2WrapKey"),
        "{title}"
    );
    assert!(
        app.text("[data-testid='trace-withheld']")
            .contains("sensitive")
    );

    let out = app
        .run(&format!(
            "unWrapKey -f bare.key -w {other} -m 5 -noheader -l wrong -kc 4 -kt 31"
        ))
        .await;
    assert!(out.contains("integrity check failed"), "{out}");
    let title = app.text("[data-testid='trace-title']");
    assert!(
        title.contains("unWrapKey -f bare.key") && title.contains("Cfm2UnWrapWithTemplate3"),
        "{title}"
    );
    let withheld = app.text("[data-testid='trace-withheld']");
    assert!(withheld.contains("sensitive"), "{withheld}");
    let check = app.text("[data-testid='iv-check']");
    assert!(check.contains("IV check failed"), "{check}");
    assert_eq!(app.text("[data-testid='iv-expected']"), "A6A6A6A6A6A6A6A6");
    let recovered = app.text("[data-testid='iv-recovered']");
    assert_eq!(recovered.len(), 16);
    assert_ne!(recovered, "A6A6A6A6A6A6A6A6");
    assert!(!app.has("table.registers"), "no register is shown");
}

#[wasm_bindgen_test]
async fn a_typed_aeswrapunwrap_shows_its_steps() {
    let app = mount().await;
    let kek = handle_in(&app.run("genSymKey -t 31 -s 16 -l kek").await);
    app.upload("Upload file", "data.bin", &[0x11; 16]).await;
    let out = app
        .run(&format!(
            "aesWrapUnwrap -m 1 -f data.bin -w {kek} -out w.bin"
        ))
        .await;
    assert!(out.contains("result written to file w.bin"), "{out}");
    let title = app.text("[data-testid='trace-title']");
    assert!(
        title.contains("aesWrapUnwrap -m 1") && title.contains("Cfm3WrapHostKey"),
        "{title}"
    );
    assert!(!app.has("[data-testid='trace-withheld']"));
    assert_eq!(app.text("[data-testid='step-position']"), "Step 0 of 12");
    assert!(
        app.text("[data-testid='trace-iv']")
            .starts_with("A6A6A6A6A6A6A6A6")
    );
    app.click("Step ▶").await;
    let detail = app.text("[data-testid='step-detail']");
    // Step t = 1 encrypts A | R[1]: the IV, then the first 8 bytes of the file.
    assert!(
        detail.contains("A6A6A6A6A6A6A6A61111111111111111"),
        "{detail}"
    );

    // Unwrapping it back under another IV: the full trace, and the failed check.
    app.run(&format!(
        "aesWrapUnwrap -m 0 -f w.bin -w {kek} -i 0011223344556677"
    ))
    .await;
    let check = app.text("[data-testid='iv-check']");
    assert!(check.contains("IV check failed"), "{check}");
    assert_eq!(app.text("[data-testid='iv-expected']"), "0011223344556677");
    assert_eq!(app.text("[data-testid='iv-recovered']"), "A6A6A6A6A6A6A6A6");
    assert!(
        app.has("table.registers"),
        "page bytes: every step is shown"
    );
}

#[wasm_bindgen_test]
async fn the_audit_log_says_which_dialect_each_line_came_from() {
    let app = mount().await;
    let out = app.run("genSymKey -t 31 -s 32 -l kek").await;
    assert!(out.contains("Symmetric Key Created."), "{out}");
    let out = app.run("key list").await;
    assert!(out.contains("\"error_code\": 0"), "{out}");
    let audit = app.audit_rows();
    assert_eq!(audit.len(), 2, "{audit:?}");
    assert!(audit[0].contains("key_mgmt_util"), "{}", audit[0]);
    assert!(audit[1].contains("CloudHSM CLI"), "{}", audit[1]);
}
