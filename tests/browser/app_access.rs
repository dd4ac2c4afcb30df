//! Who is logged in, "View as" and the who-can-see panel (its tenancy
//! switch, both modes side by side) in headless Chromium: every cell the page
//! shows is the core's answer, the cells the modes answer differently are
//! marked, each row gives its reason once, the sources are one numbered
//! list, and labels are hidden from actors who can get nothing of a key.
#![cfg(target_arch = "wasm32")]
// Test code: a step that cannot be taken should fail the test. Clippy's
// allow-unwrap-in-tests does not reach closures inside `wasm_bindgen_test`
// async functions, so it is said here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

#[cfg(test)]
#[path = "support/mod.rs"]
mod support;

use keywrap_core::access::{Actor, Capability, TenancyMode};
use support::{App, handle_in, mount};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[cfg(test)]
/// The matrix as the page shows it: (actor, capability) → answer word.
fn shown_cells(app: &App) -> Vec<(String, String, String)> {
    table_cells(app, "who-can-see")
}

#[cfg(test)]
/// The cells of one of the panel's two tables.
fn table_cells(app: &App, testid: &str) -> Vec<(String, String, String)> {
    app.all(&format!("[data-testid='{testid}'] td.cell"))
        .iter()
        .map(|c| {
            (
                c.get_attribute("data-actor").unwrap(),
                c.get_attribute("data-capability").unwrap(),
                c.get_attribute("data-answer").unwrap(),
            )
        })
        .collect()
}

#[cfg(test)]
/// The same matrix from the core, for a session in the same situation.
fn model_cells(
    session: &keywrap_core::Session,
    handle: u64,
    mode: TenancyMode,
) -> Vec<(String, String, String)> {
    let m = session
        .who_can_see(keywrap_core::store::KeyHandle::new(handle), mode)
        .unwrap();
    m.rows
        .iter()
        .flat_map(|row| {
            Capability::ALL.iter().map(move |&cap| {
                (
                    row.actor.label().to_owned(),
                    cap.label().to_owned(),
                    row.cell(cap).answer.label().to_owned(),
                )
            })
        })
        .collect()
}

#[wasm_bindgen_test]
async fn the_panel_switches_tenancy_with_its_fips_badge_and_the_header_shows_who_is_logged_in() {
    let app = mount().await;
    for mode in TenancyMode::ALL {
        let radio = app.labelled(mode.label());
        assert_eq!(radio.get_attribute("type").as_deref(), Some("radio"));
    }
    assert!(
        app.text("[data-testid='logged-in']")
            .contains("alice (crypto user, you")
    );
    let fips = app.text("[data-testid='fips-summary']");
    assert_eq!(fips, TenancyMode::DedicatedSingleTenant.fips_summary());
    // The switch and its badge live with the matrix they change.
    let radio = app.labelled(TenancyMode::SharedMultiTenant.label());
    assert!(app.q("section.access").contains(Some(radio.as_ref())));
    let badge = app.q("section.access details.fips-badge");
    assert!(badge.get_attribute("open").is_none(), "details on demand");
    assert!(
        badge
            .text_content()
            .unwrap()
            .contains(TenancyMode::DedicatedSingleTenant.source().citation())
    );
    // No jargon from the project's own history.
    let page = app.root.text_content().unwrap();
    assert!(
        !page.contains("seed's") && !page.contains("Project seed"),
        "{page}"
    );

    app.check(TenancyMode::SharedMultiTenant.label(), true)
        .await;
    assert_eq!(
        app.text("[data-testid='fips-summary']"),
        TenancyMode::SharedMultiTenant.fips_summary()
    );

    app.run("logoutHSM").await;
    assert!(app.text("[data-testid='logged-in']").contains("nobody"));
    app.run("loginHSM -u CO -s admin -p secret-words").await;
    assert!(
        app.text("[data-testid='logged-in']")
            .contains("admin (crypto officer")
    );
    // The password never reaches the page's text.
    assert!(!app.root.inner_html().contains("secret-words"));
}

#[wasm_bindgen_test]
async fn every_cell_is_the_models_answer_in_both_modes_and_switching_changes_exactly_those_cells() {
    let app = mount().await;
    // The same situation in the page and in a session of our own.
    let mut model = keywrap_core::Session::new();
    let lines =
        |kek: u64, payload: u64| vec![format!("wrapKey -k {payload} -w {kek} -out mykey.key -m 5")];
    let kek = handle_in(&app.run("genSymKey -t 31 -s 32 -l kek").await);
    let payload = handle_in(&app.run("genSymKey -t 31 -s 32 -l payload").await);
    assert_eq!(
        handle_in(&model.run("genSymKey -t 31 -s 32 -l kek").output),
        kek
    );
    assert_eq!(
        handle_in(&model.run("genSymKey -t 31 -s 32 -l payload").output),
        payload
    );
    for line in lines(kek, payload) {
        app.run(&line).await;
        model.run(&line);
    }
    assert!(
        app.text("#access-title")
            .contains(&format!("key {payload}"))
    );

    let dedicated = shown_cells(&app);
    assert_eq!(dedicated.len(), 24, "8 actors × 3 capabilities");
    assert_eq!(
        dedicated,
        model_cells(&model, payload, TenancyMode::DedicatedSingleTenant)
    );
    // The other mode, side by side.
    assert_eq!(
        table_cells(&app, "who-can-see-other"),
        model_cells(&model, payload, TenancyMode::SharedMultiTenant)
    );

    app.check(TenancyMode::SharedMultiTenant.label(), true)
        .await;
    let shared = shown_cells(&app);
    assert_eq!(
        shared,
        model_cells(&model, payload, TenancyMode::SharedMultiTenant)
    );

    // The cells that changed are the ones the page marks, and the model's.
    let changed: Vec<_> = dedicated
        .iter()
        .zip(&shared)
        .filter(|(a, b)| a.2 != b.2)
        .map(|(a, _)| (a.0.clone(), a.1.clone()))
        .collect();
    let marked: Vec<_> = app
        .all("[data-testid='who-can-see'] td.cell.mode-dependent")
        .iter()
        .map(|c| {
            (
                c.get_attribute("data-actor").unwrap(),
                c.get_attribute("data-capability").unwrap(),
            )
        })
        .collect();
    assert_eq!(changed, marked);
    assert!(
        changed.iter().any(|(a, _)| a == Actor::Provider.label()),
        "{changed:?}"
    );
    let provider_plaintext = shared
        .iter()
        .find(|c| c.0 == Actor::Provider.label() && c.1 == "Plaintext")
        .unwrap();
    assert_eq!(provider_plaintext.2, "Possible");
    // Each row gives one reason with a numbered source; no cell repeats it.
    let rows = app.all("[data-testid='who-can-see'] tbody tr");
    assert_eq!(rows.len(), 8);
    for row in &rows {
        let reason = row
            .query_selector("th .reason")
            .unwrap()
            .expect("a row reason");
        let text = reason.text_content().unwrap();
        assert!(text.contains(" ["), "{text}");
        let cells = row.query_selector_all("td .cell-reason").unwrap();
        for i in 0..cells.length() {
            let cell = cells.get(i).unwrap().text_content().unwrap();
            assert_ne!(cell, text, "a cell says only what differs");
        }
    }
    let refs = app.all("section.access ol.refs li");
    assert!(refs.len() >= 3, "{}", refs.len());
    assert!(
        !app.has("details.source"),
        "one list, not a widget per cell"
    );
    // The marked cells say so in words too, not by colour alone.
    assert!(
        app.all("[data-testid='who-can-see'] td.mode-dependent")
            .iter()
            .all(|c| c.text_content().unwrap().contains("differs by mode"))
    );
}

#[wasm_bindgen_test]
async fn view_as_redraws_the_keys_and_files_as_that_actor_sees_them() {
    let app = mount().await;
    let kek = handle_in(&app.run("genSymKey -t 31 -s 32 -l kek").await);
    let payload = handle_in(&app.run("genSymKey -t 31 -s 32 -l payload").await);
    app.run(&format!(
        "wrapKey -k {payload} -w {kek} -out mykey.key -m 5"
    ))
    .await;
    // Your own view: the value column says why the sensitive kek is never shown.
    assert!(
        app.key_rows()
            .iter()
            .any(|r| r.contains("Never shown: sensitive")),
        "{:?}",
        app.key_rows()
    );

    app.choose("View as", "Someone holding the blob").await;
    assert!(
        app.text("[data-testid='viewing-as']")
            .contains("Someone holding the blob")
    );
    assert!(
        !app.has_button(&format!("Reveal key {kek}"))
            && !app.key_rows().iter().any(|r| r.contains("Never shown")),
        "no reveal as another actor"
    );
    let rows = app.key_rows();
    let payload_row = rows
        .iter()
        .find(|r| r.starts_with(&payload.to_string()))
        .unwrap();
    assert!(payload_row.contains("ciphertext only"), "{payload_row}");
    let kek_row = rows
        .iter()
        .find(|r| r.starts_with(&kek.to_string()))
        .unwrap();
    assert!(kek_row.contains("nothing"), "{kek_row}");
    // They can get nothing of the KEK, so its label is hidden from them too.
    assert!(
        kek_row.contains("(label hidden from them)") && !kek_row.contains("kek"),
        "{kek_row}"
    );
    assert!(payload_row.contains("payload"), "{payload_row}");
    let files = app.text("table.files-table");
    assert!(
        files.contains("mykey.key") && files.contains("ciphertext only"),
        "{files}"
    );
    assert!(!app.has_button("Download file mykey.key"));

    app.choose("View as", "The provider").await;
    let rows = app.key_rows();
    assert!(rows.iter().all(|r| r.contains("No")), "dedicated: {rows:?}");
    app.check(TenancyMode::SharedMultiTenant.label(), true)
        .await;
    let rows = app.key_rows();
    assert!(
        rows.iter().all(|r| r.contains("Possible")),
        "shared: {rows:?}"
    );
    assert!(app.text("table.files-table").contains("nothing"));

    // The matrix row of the actor being viewed is marked, and "see as them" switches.
    assert!(
        app.text("[data-testid='who-can-see'] tr.viewing")
            .contains("The provider")
    );
    app.click("View as you (this tab)").await;
    assert!(!app.has("[data-testid='viewing-as']"));
    // Your own view: the value column says why the sensitive kek is never shown.
    assert!(
        app.key_rows()
            .iter()
            .any(|r| r.contains("Never shown: sensitive")),
        "{:?}",
        app.key_rows()
    );
}

#[wasm_bindgen_test]
async fn wrap_then_decrypt_raises_a_notice_and_the_cell_says_yes_via() {
    let app = mount().await;
    let kek = handle_in(&app.run("genSymKey -t 31 -s 32 -l kek").await);
    let secret = handle_in(&app.run("genSymKey -t 31 -s 32 -l secret").await);
    app.run(&format!(
        "wrapKey -k {secret} -w {kek} -noheader -out s.bin -m 5"
    ))
    .await;
    assert!(
        !app.has("[data-testid='separation-notice']"),
        "a wrap alone is no leak"
    );
    app.run(&format!(
        "aesWrapUnwrap -m 0 -f s.bin -w {kek} -out s.plain"
    ))
    .await;
    let notices = app.all("[data-testid='separation-notice']");
    assert_eq!(
        notices.len(),
        1,
        "one leak, though in a file and the transcript"
    );
    let notice = &notices[0];
    assert_eq!(notice.get_attribute("role").as_deref(), Some("alert"));
    assert_eq!(notice.get_attribute("data-key"), Some(secret.to_string()));
    let text = notice.text_content().unwrap();
    for words in [
        "via wrap-then-decrypt (Clulow 2003)",
        "is sensitive, yet its plaintext",
        "What a real HSM does:",
        "What stops it:",
        "WRAP_WITH_TRUSTED",
    ] {
        assert!(text.contains(words), "{words}: {text}");
    }
    // The matrix of that key: your plaintext cell is "Yes — via …".
    app.click(&format!("Select key {secret}")).await;
    let cell = app.q(
        "[data-testid='who-can-see'] td[data-actor='You (this tab)'][data-capability='Plaintext']",
    );
    assert_eq!(cell.get_attribute("data-answer").as_deref(), Some("Yes"));
    let row = app.text("[data-testid='who-can-see'] tbody tr:first-child");
    assert!(row.contains("Yes — via wrap-then-decrypt"), "{row}");
    // The notice links to the scenario, and goes when dismissed.
    assert!(app.has("a[href='#leak-scenario']"));
    app.click(&format!("Dismiss the notice about key {secret}"))
        .await;
    assert!(!app.has("[data-testid='separation-notice']"));
}

#[wasm_bindgen_test]
async fn the_scenario_runs_the_attack_then_the_defence() {
    let app = mount().await;
    assert!(
        app.text("#scenario-title")
            .contains("How a sensitive key leaks, and how to stop it")
    );
    // Reachable from the who-can-see panel.
    assert!(app.has("section.access a[href='#leak-scenario']"));
    let mut outputs = Vec::new();
    for step in 0..8 {
        let before = app.all(".transcript .entry").len();
        app.q("[data-testid='scenario-next']")
            .dyn_into::<web_sys::HtmlElement>()
            .unwrap()
            .click();
        support::settle().await;
        let entries = app.all(".transcript .entry");
        assert!(entries.len() > before, "step {step} ran commands");
        outputs.push(
            entries[before..]
                .iter()
                .map(|e| e.text_content().unwrap())
                .collect::<Vec<_>>()
                .join("\n"),
        );
        let notices = app.all("[data-testid='separation-notice']").len();
        // The attack's third step leaks; the defence makes no new notice.
        assert_eq!(notices, usize::from(step >= 2), "after step {step}");
    }
    assert!(app.has("[data-testid='scenario-done']"));
    // The defence's refusals, and the trusted wrap that works.
    assert!(outputs[4].contains("not trusted"), "{}", outputs[4]);
    assert!(outputs[6].contains("Key Wrapped."), "{}", outputs[6]);
    assert!(outputs[7].contains("OBJ_ATTR_UNWRAP"), "{}", outputs[7]);
    // It ends logged in as alice, as it said.
    assert!(app.text("[data-testid='logged-in']").contains("alice"));
    let steps = app.all("[data-testid='scenario-steps'] li[data-state='ran']");
    assert_eq!(steps.len(), 8);
}

#[wasm_bindgen_test]
async fn after_a_login_change_the_panel_shows_no_label_the_user_cannot_see() {
    let app = mount().await;
    let secret = handle_in(&app.run("genSymKey -t 31 -s 32 -l alices-secret").await);
    assert!(app.text("#access-title").contains("alices-secret"));
    app.run("logoutHSM").await;
    app.run("loginHSM -u CU -s bob -p any").await;
    // The old selection (a handle link) still points at key `secret`.
    let title = app.text("#access-title");
    assert!(title.contains(&format!("key {secret}")), "{title}");
    assert!(!title.contains("alices-secret"), "{title}");
    // "View as" another user: bob's colleague alice owns it, so it is hers to see.
    app.choose("View as", "Another user of this HSM").await;
    assert!(app.text("#access-title").contains("alices-secret"));
    app.choose("View as", "Someone holding the KEK").await;
    assert!(!app.text("#access-title").contains("alices-secret"));
    assert!(!app.text("table.key-table").contains("alices-secret"));
}
