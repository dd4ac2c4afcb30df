//! Helpers the app's browser tests share: mount the app into its own element,
//! act on it as a user does (type, choose, click, press keys, pick a file),
//! and read what the page shows. Included by each `app_*.rs` test with
//! `#[path = "support/mod.rs"] mod support;`.
#![allow(dead_code)] // Each test file uses a different subset.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

pub fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// A mounted app; unmounted and removed from the page when dropped.
pub struct App {
    pub root: Element,
    handle: Option<yew::AppHandle<keywrap_web::App>>,
}

impl Drop for App {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            handle.destroy();
        }
        self.root.remove();
    }
}

/// Mounts a fresh app (its own virtual HSM) and lets Yew render.
pub async fn mount() -> App {
    let root = document().create_element("div").unwrap();
    document().body().unwrap().append_child(&root).unwrap();
    let handle = keywrap_web::mount(root.clone()).expect("the network lock installs");
    settle().await;
    App {
        root,
        handle: Some(handle),
    }
}

/// Lets Yew run what was dispatched and render.
pub async fn settle() {
    yew::scheduler::flush().await;
}

/// Waits `ms` milliseconds (for timers and file reads).
pub async fn sleep(ms: i32) {
    raw_sleep(ms).await;
    settle().await;
}

/// A timer's worth of waiting, without flushing Yew's scheduler (whose
/// flush waits until it is idle, which a running job never is).
pub async fn raw_sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

impl App {
    /// The one element matching `selector` (panics with the selector if none).
    pub fn q(&self, selector: &str) -> Element {
        self.root
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("nothing matches {selector}"))
    }

    /// Whether something matches `selector`.
    pub fn has(&self, selector: &str) -> bool {
        self.root.query_selector(selector).unwrap().is_some()
    }

    /// Every element matching `selector`.
    pub fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.root.query_selector_all(selector).unwrap();
        (0..list.length())
            .filter_map(|i| list.get(i))
            .filter_map(|n| n.dyn_into::<Element>().ok())
            .collect()
    }

    /// The text of the element matching `selector`.
    pub fn text(&self, selector: &str) -> String {
        self.q(selector).text_content().unwrap_or_default()
    }

    /// The control whose `<label>` reads exactly `label` (as a user finds it).
    pub fn labelled(&self, label: &str) -> Element {
        for l in self.all("label") {
            let text = l.text_content().unwrap_or_default();
            if text.trim() == label {
                let id = l
                    .get_attribute("for")
                    .unwrap_or_else(|| panic!("label {label} has no for"));
                return self.q(&format!("#{id}"));
            }
        }
        panic!("no label reads {label:?}")
    }

    /// The button whose accessible name (aria-label, else text) is exactly `name`.
    pub fn button(&self, name: &str) -> HtmlElement {
        self.all("button")
            .into_iter()
            .find(|b| {
                b.get_attribute("aria-label")
                    .unwrap_or_else(|| b.text_content().unwrap_or_default())
                    .trim()
                    == name
            })
            .unwrap_or_else(|| panic!("no button named {name:?}"))
            .dyn_into::<HtmlElement>()
            .unwrap()
    }

    /// Whether a button with that exact accessible name exists.
    pub fn has_button(&self, name: &str) -> bool {
        self.all("button").into_iter().any(|b| {
            b.get_attribute("aria-label")
                .unwrap_or_else(|| b.text_content().unwrap_or_default())
                .trim()
                == name
        })
    }

    /// Clicks a button by its accessible name.
    pub async fn click(&self, name: &str) {
        self.button(name).click();
        settle().await;
    }

    /// Types `value` into the labelled text field or text area.
    pub async fn fill(&self, label: &str, value: &str) {
        let el = self.labelled(label);
        if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
            input.set_value(value);
        } else if let Some(area) = el.dyn_ref::<HtmlTextAreaElement>() {
            area.set_value(value);
        } else {
            panic!("{label} is not a text field");
        }
        fire(&el, "input");
        settle().await;
    }

    /// The value of the labelled field.
    pub fn value(&self, label: &str) -> String {
        let el = self.labelled(label);
        if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
            input.value()
        } else if let Some(area) = el.dyn_ref::<HtmlTextAreaElement>() {
            area.value()
        } else if let Some(select) = el.dyn_ref::<HtmlSelectElement>() {
            select.value()
        } else {
            panic!("{label} has no value")
        }
    }

    /// Chooses the option whose text starts with `option` in the labelled select.
    pub async fn choose(&self, label: &str, option: &str) {
        let el = self.labelled(label);
        let select = el.dyn_ref::<HtmlSelectElement>().expect("a select");
        let options = select.options();
        let found = (0..options.length())
            .filter_map(|i| options.item(i))
            .find(|o| {
                o.text_content()
                    .unwrap_or_default()
                    .trim()
                    .starts_with(option)
            })
            .unwrap_or_else(|| panic!("{label} has no option {option:?}"));
        select.set_value(&found.get_attribute("value").unwrap_or_default());
        fire(&el, "change");
        settle().await;
    }

    /// Checks (or unchecks) the labelled checkbox or radio button.
    pub async fn check(&self, label: &str, on: bool) {
        let el = self.labelled(label);
        let input = el.dyn_ref::<HtmlInputElement>().expect("an input");
        if input.checked() != on {
            input.click();
        }
        settle().await;
    }

    /// The id of the transcript's newest entry (0 when empty).
    fn last_entry(&self) -> u64 {
        self.all(".transcript .entry")
            .last()
            .and_then(|e| e.get_attribute("data-entry"))
            .and_then(|id| id.parse().ok())
            .unwrap_or(0)
    }

    /// Runs a console line as if typed and entered; returns the text (echo
    /// and output) of the entries it added.
    pub async fn run(&self, line: &str) -> String {
        let before = self.last_entry();
        self.fill("Command", line).await;
        self.button("Run").click();
        settle().await;
        self.all(".transcript .entry")
            .iter()
            .filter(|e| {
                e.get_attribute("data-entry")
                    .and_then(|id| id.parse::<u64>().ok())
                    .is_some_and(|id| id > before)
            })
            .map(|e| {
                let part = |sel: &str| {
                    e.query_selector(sel)
                        .ok()
                        .flatten()
                        .and_then(|n| n.text_content())
                        .unwrap_or_default()
                };
                format!("{}{}", part(".echo"), part(".output"))
            })
            .collect()
    }

    /// Presses a key in the labelled field.
    pub async fn press(&self, label: &str, key: &str, ctrl: bool) -> bool {
        let el = self.labelled(label);
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(key);
        init.set_ctrl_key(ctrl);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let event =
            web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        let not_cancelled = el.dispatch_event(&event).unwrap();
        settle().await;
        !not_cancelled
    }

    /// Picks a file in the labelled file input, then waits for the page to read it.
    pub async fn upload(&self, label: &str, name: &str, bytes: &[u8]) {
        let el = self.labelled(label);
        let input = el.dyn_ref::<HtmlInputElement>().expect("a file input");
        let parts = js_sys::Array::new();
        parts.push(&js_sys::Uint8Array::from(bytes));
        let file = web_sys::File::new_with_u8_array_sequence(&parts, name).unwrap();
        let transfer = web_sys::DataTransfer::new().unwrap();
        transfer.items().add_with_file(&file).unwrap();
        input.set_files(transfer.files().as_ref());
        fire(&el, "change");
        // FileReader is asynchronous: wait until the page names the file
        // (the files table or the unwrap form's note), at most two seconds.
        sleep(40).await;
        let quoted = name.to_owned();
        wait_until(|| self.root.inner_html().contains(&quoted)).await;
    }

    /// The key table's rows, as text.
    pub fn key_rows(&self) -> Vec<String> {
        self.all("table.key-table tbody tr")
            .iter()
            .map(|r| r.text_content().unwrap_or_default())
            .collect()
    }

    /// The audit log's rows, as text.
    pub fn audit_rows(&self) -> Vec<String> {
        self.all("table.audit-table tbody tr:not(.empty)")
            .iter()
            .map(|r| r.text_content().unwrap_or_default())
            .collect()
    }
}

/// Waits (up to about two seconds) until `f` holds; whether it did.
pub async fn wait_until(f: impl Fn() -> bool) -> bool {
    for _ in 0..100 {
        if f() {
            return true;
        }
        sleep(20).await;
    }
    f()
}

/// Fires a bubbling event of `kind` at `el` (Yew listens at the root).
pub fn fire(el: &Element, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict(kind, &init).unwrap();
    el.dispatch_event(&event).unwrap();
}

/// The handle printed after "Key Handle: " in console output.
pub fn handle_in(output: &str) -> u64 {
    let at = output.find("Key Handle: ").expect("a Key Handle line") + "Key Handle: ".len();
    output[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}
