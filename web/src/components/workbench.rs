//! The wrap / unwrap workbench, for people who do not type: a key (from the
//! HSM or pasted) and a wrapping key (from the HSM or a pasted KEK), the
//! mechanism with its names across tools, the IV, and the result as hex,
//! base64 (hex in either case, grouped or not) or a file. Unwrap from a
//! paste or an uploaded file, into a new HSM key or into the page. With both
//! keys pasted the wrap is recomputed as you type. Pasted keys stay in
//! `Zeroizing` strings: their fields are uncontrolled (the page never puts
//! them into an attribute), and only the reducer holds a copy. The core does
//! every wrap, unwrap and policy check.

use std::cell::RefCell;
use std::rc::Rc;

use keywrap_core::Mechanism;
use keywrap_core::encoding::Format;
use keywrap_core::hsm::copies::{OutputUse, WorkbenchOutput};
use keywrap_core::hsm::{KeyView, MAX_FILE_SIZE};
use keywrap_core::store::{KeyHandle, KeyType};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::Dispatch;
use super::key_table::size_text;
use crate::state::workbench::{MAX_PASTE_CHARS, PasteReading};
use crate::state::{
    Action, FileBytes, HexStyle, KeyChoice, OpError, UnwrapOutput, WorkbenchField, WorkbenchState,
    form_iv,
};
use zeroize::Zeroizing;

/// What the workbench shows.
#[derive(Properties, PartialEq)]
pub struct WorkbenchProps {
    /// The workbench's slice: the form, paste readings, last results.
    pub state: Rc<WorkbenchState>,
    /// The keys you can see.
    pub keys: Rc<Vec<KeyView>>,
    /// Brings the step viewer into view.
    pub on_show_steps: Callback<()>,
    /// The reducer.
    pub dispatch: Dispatch,
}

fn choice_value(choice: KeyChoice) -> String {
    match choice {
        KeyChoice::None => "none".to_owned(),
        KeyChoice::Pasted => "paste".to_owned(),
        KeyChoice::Handle(h) => format!("key-{h}"),
    }
}

fn parse_choice(value: &str) -> KeyChoice {
    match value {
        "paste" => KeyChoice::Pasted,
        v => v
            .strip_prefix("key-")
            .and_then(|h| h.parse::<KeyHandle>().ok())
            .map_or(KeyChoice::None, KeyChoice::Handle),
    }
}

fn mechanism_value(m: Mechanism) -> &'static str {
    m.mode_name()
}

fn field<E>(dispatch: &Dispatch, make: fn(String) -> WorkbenchField) -> Callback<E>
where
    E: AsRef<web_sys::Event> + 'static,
{
    let dispatch = dispatch.clone();
    Callback::from(move |e: E| {
        let target = AsRef::<web_sys::Event>::as_ref(&e).target();
        let value = target
            .as_ref()
            .and_then(|t| t.dyn_ref::<HtmlInputElement>().map(|i| i.value()))
            .or_else(|| {
                target
                    .as_ref()
                    .and_then(|t| t.dyn_ref::<HtmlTextAreaElement>().map(|i| i.value()))
            })
            .or_else(|| {
                target
                    .as_ref()
                    .and_then(|t| t.dyn_ref::<HtmlSelectElement>().map(|i| i.value()))
            })
            .unwrap_or_default();
        dispatch.dispatch(Action::Workbench(make(value)));
    })
}

fn checkbox(dispatch: &Dispatch, make: fn(bool) -> WorkbenchField) -> Callback<Event> {
    let dispatch = dispatch.clone();
    Callback::from(move |e: Event| {
        let on = e.target_unchecked_into::<HtmlInputElement>().checked();
        dispatch.dispatch(Action::Workbench(make(on)));
    })
}

use wasm_bindgen::JsCast;

/// A pasted-key textarea's input handler: the text goes from the field
/// straight into a `Zeroizing` string in the state.
fn secret_input(
    d: &Dispatch,
    make: fn(Zeroizing<String>) -> WorkbenchField,
) -> Callback<InputEvent> {
    let d = d.clone();
    Callback::from(move |e: InputEvent| {
        let text = Zeroizing::new(e.target_unchecked_into::<HtmlTextAreaElement>().value());
        d.dispatch(Action::Workbench(make(text)));
    })
}

/// Sets an uncontrolled secret field from the state when they differ (a
/// value the page filled in); typing never differs, so the caret stays.
fn sync_secret(field: &NodeRef, text: &str) {
    if let Some(el) = field.cast::<HtmlTextAreaElement>() {
        // The field's text is a secret too: its copy is wiped after the look.
        let shown = Zeroizing::new(el.value());
        if shown.as_str() != text {
            el.set_value(text);
        }
    }
}

fn focus(node: &NodeRef) {
    if let Some(el) = node.cast::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

/// Whether nothing has the focus (it was on an element that went away).
fn focus_is_lost() -> bool {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    match (doc.active_element(), doc.body()) {
        (None, _) => true,
        (Some(active), Some(body)) => active == *AsRef::<web_sys::Element>::as_ref(&body),
        (Some(_), None) => false,
    }
}

/// Above this many characters an output field shows only its beginning:
/// laying out megabytes of text in a field takes the browser longer than a
/// frame (about 300 ms for the 2 MiB of hex of a 1 MiB KWP). Copy and
/// Download still take all of it.
const OUTPUT_PREVIEW_CHARS: usize = 16 * 1024;

/// What an output field shows of `text`, and a note when it is cut.
fn preview(text: &str) -> (String, Option<String>) {
    if text.len() <= OUTPUT_PREVIEW_CHARS {
        return (text.to_owned(), None);
    }
    // Hex and base64 are ASCII, so any byte index is a character boundary.
    let cut = text.get(..OUTPUT_PREVIEW_CHARS).unwrap_or_default();
    let note = format!(
        "The field shows the first {OUTPUT_PREVIEW_CHARS} of {} characters; Copy and Download take all of them.",
        text.len()
    );
    (format!("{cut}…"), Some(note))
}

fn paste_limit_text() -> String {
    format!(
        "Hex (spaces, ':' and 0x allowed) or base64; at most {MAX_PASTE_CHARS} characters (1 MiB of bytes)."
    )
}

/// A line under a paste field, with the id its field points at.
fn paste_hint(reading: &PasteReading, id: &'static str) -> Html {
    match reading {
        None => html! { <p class="hint" {id}>{ paste_limit_text() }</p> },
        Some(Ok(text)) => html! {
            <p class="hint ok" {id}><span aria-hidden="true">{ "✔ " }</span>{ text.clone() }</p>
        },
        Some(Err(e)) => html! {
            <p class="error" {id}><span aria-hidden="true">{ "✖ " }</span>{ e.clone() }</p>
        },
    }
}

fn key_options(keys: &[KeyView], chosen: KeyChoice, paste_label: &str) -> Html {
    html! {
        <>
            <option value="none" selected={chosen == KeyChoice::None}>{ "Choose…" }</option>
            { for keys.iter().map(|k| {
                let value = choice_value(KeyChoice::Handle(k.handle));
                let text = format!("Key {} — {} ({} {}, KCV {})", k.handle, k.label(),
                    k.attributes.key_type.name(), size_text(k), k.kcv_hex());
                html! { <option {value} selected={chosen == KeyChoice::Handle(k.handle)}>{ text }</option> }
            }) }
            <option value="paste" selected={chosen == KeyChoice::Pasted}>{ paste_label.to_owned() }</option>
        </>
    }
}

fn op_error(e: &OpError) -> Html {
    html! {
        <div class="result failed" role="alert">
            <p><span aria-hidden="true">{ "✖ " }</span><strong>{ "Refused" }</strong>
                if let Some(code) = &e.code { { " — " }<code>{ code.clone() }</code> }</p>
            <p>{ e.message.clone() }</p>
            <p class="hint">{ "Nothing changed." }</p>
        </div>
    }
}

fn names_table(m: Mechanism) -> Html {
    let n = m.names();
    html! {
        <table class="names" aria-label="What other tools call this mechanism">
            <tbody>
                <tr><th scope="row">{ "Standard" }</th><td>{ n.standard }</td></tr>
                <tr><th scope="row">{ "key_mgmt_util" }</th><td><code>{ format!("-m {}", n.kmu_number) }</code>{ " " }{ n.kmu_name }</td></tr>
                <tr><th scope="row">{ "CloudHSM CLI" }</th><td><code>{ format!("key wrap {}", n.cloudhsm_cli) }</code></td></tr>
                <tr><th scope="row">{ "PKCS#11" }</th><td><code>{ n.pkcs11_name }</code>{ format!(" (0x{:04X})", n.pkcs11_value) }
                    if let Some(note) = n.pkcs11_note { <br /><span class="hint">{ note }</span> }</td></tr>
                <tr><th scope="row">{ "OpenSSL" }</th><td>{ match n.openssl {
                    Some(c) => html! { <><code>{ c }</code>{ " (AES-256 KEK; id-aes128-… and id-aes192-… for smaller)" }</> },
                    None => html! { "— (not offered)" } } }</td></tr>
                <tr><th scope="row">{ "WebCrypto" }</th><td>{ match n.webcrypto {
                    Some(c) => html! { <><code>{ c }</code>{ " (default IV only)" }</> },
                    None => html! { "— (not offered)" } } }</td></tr>
            </tbody>
        </table>
    }
}

/// The workbench panel.
#[component]
pub fn Workbench(props: &WorkbenchProps) -> Html {
    let wb = &props.state;
    let form = &wb.form;
    // The pasted key and KEK fields are uncontrolled (no copy of a secret in
    // an attribute); they follow the state when its text or the field
    // changes (reading a megabyte field back at every render, a slice of a
    // job included, would cost the page milliseconds each time).
    let kek_field = use_node_ref();
    let key_field = use_node_ref();
    {
        let (kek_field, key_field) = (kek_field.clone(), key_field.clone());
        let state = Rc::clone(&props.state);
        let text_id = |t: &Zeroizing<String>| (t.as_ptr() as usize, t.len());
        let deps = (
            text_id(&form.pasted_kek),
            text_id(&form.pasted_key),
            form.kek == KeyChoice::Pasted,
            form.target == KeyChoice::Pasted,
        );
        use_effect_with(deps, move |_| {
            sync_secret(&kek_field, &state.form.pasted_kek);
            sync_secret(&key_field, &state.form.pasted_key);
        });
    }
    let d = &props.dispatch;
    // Keeps a file read alive until it finishes.
    let reader: Rc<RefCell<Option<gloo::file::callbacks::FileReader>>> =
        use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);

    let on_target = field::<Event>(d, |v| WorkbenchField::Target(parse_choice(&v)));
    let on_kek = field::<Event>(d, |v| WorkbenchField::Kek(parse_choice(&v)));
    let on_mechanism = field::<Event>(d, |v| {
        WorkbenchField::Mechanism(
            Mechanism::ALL
                .into_iter()
                .find(|m| mechanism_value(*m) == v)
                .unwrap_or(Mechanism::Kw),
        )
    });
    let on_iv = field::<InputEvent>(d, WorkbenchField::Iv);
    let on_format = field::<Event>(d, |v| {
        WorkbenchField::OutFormat(if v == "base64" {
            Format::Base64
        } else {
            Format::Hex
        })
    });
    let style = form.hex_style;
    let on_case = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            d.dispatch(Action::Workbench(WorkbenchField::HexStyle(HexStyle {
                upper: v == "upper",
                ..style
            })));
        })
    };
    let on_group = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            d.dispatch(Action::Workbench(WorkbenchField::HexStyle(HexStyle {
                group: v.parse().unwrap_or(0),
                ..style
            })));
        })
    };
    let on_file_name = field::<InputEvent>(d, WorkbenchField::FileName);
    let on_save = checkbox(d, WorkbenchField::SaveToFiles);
    let on_wrapped = field::<InputEvent>(d, WorkbenchField::Wrapped);
    let on_label = field::<InputEvent>(d, WorkbenchField::Label);
    let on_key_type = field::<Event>(d, |v| {
        WorkbenchField::KeyType(if v == "16" {
            KeyType::GenericSecret
        } else {
            KeyType::Aes
        })
    });
    let on_sensitive = checkbox(d, WorkbenchField::Sensitive);
    let on_extractable = checkbox(d, WorkbenchField::Extractable);
    let on_token = checkbox(d, WorkbenchField::Token);
    let on_into = |into_new_key: bool| {
        let d = d.clone();
        Callback::from(move |_: Event| {
            d.dispatch(Action::Workbench(WorkbenchField::IntoNewKey(into_new_key)))
        })
    };
    let on_wrap = {
        let d = d.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            d.dispatch(Action::Wrap);
        })
    };
    let on_unwrap = {
        let d = d.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            d.dispatch(Action::Unwrap);
        })
    };
    let on_reset_iv = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::ResetIv))
    };
    let on_upload = {
        let d = d.clone();
        let reader = Rc::clone(&reader);
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let Some(file) = crate::browser::chosen_file(&input) else {
                return;
            };
            let done = {
                let d = d.clone();
                Callback::from(
                    move |result: Result<(String, Vec<u8>), String>| match result {
                        Ok((name, bytes)) => d.dispatch(Action::UnwrapFileRead {
                            name,
                            bytes: FileBytes(bytes),
                        }),
                        Err(text) => d.dispatch(Action::Status { text, ok: false }),
                    },
                )
            };
            *reader.borrow_mut() = crate::browser::read_file(file, MAX_FILE_SIZE, done);
            input.set_value("");
        })
    };

    let copy = |text: String, what: &'static str, which: WorkbenchOutput| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| {
            let d = d.clone();
            crate::browser::copy_text(
                text.clone(),
                Callback::from(move |r: Result<(), String>| {
                    if r.is_ok() {
                        // A copy of what the output holds, for who-can-see.
                        d.dispatch(Action::WorkbenchOutputUsed(which, OutputUse::Copied));
                    }
                    let (text, ok) = match r {
                        Ok(()) => (format!("Copied the {what} to the clipboard."), true),
                        Err(e) => (format!("Could not copy the {what}: {e}."), false),
                    };
                    d.dispatch(Action::Status { text, ok });
                }),
            );
        })
    };

    let show_steps = {
        let cb = props.on_show_steps.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let steps_button = html! {
        <button type="button" class="steps-link small" onclick={show_steps}>
            { "See the steps" }<span aria-hidden="true">{ " →" }</span></button>
    };
    let shown_hex = |hex: &str| form.hex_style.apply(hex);
    let iv_state = form_iv(form);
    let takes_iv = form.mechanism.takes_custom_iv();
    let iv_hint = if !takes_iv {
        html! { <p class="hint" id="wb-iv-hint">{ "AES-KWP takes no IV: its initial value is always A65959A6 followed by the key's length in bytes (the MLI)." }</p> }
    } else {
        match &iv_state {
            Ok(None) => {
                html! { <p class="hint ok" id="wb-iv-hint"><span aria-hidden="true">{ "✔ " }</span>{ "The default IV of RFC 3394 §2.2.3.1, the only one CloudHSM accepts for its keys." }</p> }
            }
            Ok(Some(_)) => html! {
                <p class="hint warn" id="wb-iv-hint"><span aria-hidden="true">{ "⚠ " }</span>
                    { "A custom IV. CloudHSM refuses it for keys in the HSM (wrapKey and unWrapKey accept only A6A6A6A6A6A6A6A6); it works here with pasted bytes. Unwrap must use the same IV." }</p>
            },
            Err(e) => {
                html! { <p class="error" id="wb-iv-hint"><span aria-hidden="true">{ "✖ " }</span>{ e.clone() }</p> }
            }
        }
    };

    let wrap_out = match &wb.wrap_result {
        None => html! {},
        Some(Err(e)) => op_error(e),
        Some(Ok(out)) => {
            let text = if form.out_format == Format::Base64 {
                out.base64.clone()
            } else {
                shown_hex(&out.hex)
            };
            let on_download = {
                let d = d.clone();
                let bytes = Rc::clone(&out.wrapped);
                let name = if form.file_name.trim().is_empty() {
                    crate::state::DEFAULT_FILE_NAME.to_owned()
                } else {
                    form.file_name.trim().to_owned()
                };
                Callback::from(move |_: MouseEvent| {
                    let (text, ok) = match crate::browser::download(&name, &bytes) {
                        Ok(()) => {
                            let used = OutputUse::Downloaded;
                            d.dispatch(Action::WorkbenchOutputUsed(WorkbenchOutput::Wrapped, used));
                            (format!("Downloaded the wrapped key as \"{name}\"."), true)
                        }
                        Err(e) => (format!("Download failed: {e}."), false),
                    };
                    d.dispatch(Action::Status { text, ok });
                })
            };
            let on_use = {
                let d = d.clone();
                Callback::from(move |_: MouseEvent| d.dispatch(Action::UseWrappedAsInput))
            };
            let (shown, cut) = preview(&text);
            html! {
                <div class="result passed">
                    <p><span aria-hidden="true">{ "✔ " }</span><strong>{ "Key wrapped" }</strong>
                        { format!(" — {}: {} bytes.", out.summary, out.wrapped.len()) }
                        if out.live { <span class="hint">{ " Recomputed as you type." }</span> }</p>
                    if let Some(f) = &out.file {
                        <p class="hint">{ format!("Also saved in the page's files as \"{f}\".") }</p>
                    }
                    <label for="wrap-output">{ "Wrapped key output" }</label>
                    <textarea id="wrap-output" class="mono" readonly=true rows="3"
                        data-testid="wrap-output" data-wrap-id={out.id.to_string()} value={shown}
                        aria-describedby={cut.is_some().then_some("wrap-output-cut")} />
                    if let Some(note) = cut { <p class="hint" id="wrap-output-cut">{ note }</p> }
                    <div class="buttons">
                        <button type="button" onclick={copy(text, "wrapped key", WorkbenchOutput::Wrapped)} aria-label="Copy wrapped key">{ "Copy" }</button>
                        <button type="button" onclick={on_download}>{ "Download" }</button>
                        <button type="button" onclick={on_use}>{ "Use as unwrap input" }</button>
                        { steps_button.clone() }
                    </div>
                </div>
            }
        }
    };

    let unwrap_out = match &wb.unwrap_result {
        None => html! {},
        Some(Err(e)) => op_error(e),
        Some(Ok(UnwrapOutput::NewKey { handle, kcv })) => {
            let handle = *handle;
            let onclick = {
                let d = d.clone();
                Callback::from(move |_: MouseEvent| d.dispatch(Action::SelectKey(handle)))
            };
            html! {
                <div class="result passed" data-testid="unwrap-result">
                    <p><span aria-hidden="true">{ "✔ " }</span><strong>{ "Key Unwrapped." }</strong>
                        { " Key Handle: " }
                        <button type="button" class="handle-link" {onclick} aria-label={format!("Select key {handle}")}>{ handle.to_string() }</button>
                        { format!(" · KCV {kcv}") }</p>
                    <div class="buttons">{ steps_button.clone() }</div>
                </div>
            }
        }
        Some(Ok(UnwrapOutput::Bytes { hex, base64, len })) => {
            let text = if form.out_format == Format::Base64 {
                base64.to_string()
            } else {
                shown_hex(hex)
            };
            let (shown, cut) = preview(&text);
            html! {
                <div class="result passed" data-testid="unwrap-result">
                    <p><span aria-hidden="true">{ "✔ " }</span><strong>{ format!("Unwrapped {len} bytes") }</strong>
                        { " — shown because you asked for them in this page." }</p>
                    <label for="unwrap-output">{ "Unwrapped key output" }</label>
                    <textarea id="unwrap-output" class="mono" readonly=true rows="2" value={shown}
                        aria-describedby={cut.is_some().then_some("unwrap-output-cut")} />
                    if let Some(note) = cut { <p class="hint" id="unwrap-output-cut">{ note }</p> }
                    <div class="buttons">
                        <button type="button" onclick={copy(text, "unwrapped key", WorkbenchOutput::Unwrapped)} aria-label="Copy unwrapped key">{ "Copy" }</button>
                        { steps_button.clone() }
                    </div>
                </div>
            }
        }
    };

    // A large job runs a slice after each frame: the timer fires once the
    // page has rendered the last slice's progress, and goes with the job.
    {
        let d = d.clone();
        let tick = wb.job.as_ref().map(|j| (j.id, j.done));
        use_effect_with(tick, move |tick| {
            let timer = tick.map(|(id, _)| {
                gloo::timers::callback::Timeout::new(0, move || d.dispatch(Action::JobStep(id)))
            });
            move || drop(timer)
        });
    }
    // Focus: to Cancel when a job starts (the button that started it is
    // disabled now); back to that button when it ends, unless the user has
    // moved on to something else meanwhile.
    let cancel_ref = use_node_ref();
    let wrap_button = use_node_ref();
    let unwrap_button = use_node_ref();
    let last_job = use_mut_ref(|| None::<bool>);
    {
        let (cancel_ref, wrap_button, unwrap_button) = (
            cancel_ref.clone(),
            wrap_button.clone(),
            unwrap_button.clone(),
        );
        let running = wb.job.as_ref().map(|j| (j.id, j.wrap));
        use_effect_with(running, move |running| {
            let before = last_job.replace(running.map(|(_, wrap)| wrap));
            match (running, before) {
                (Some(_), _) => focus(&cancel_ref),
                (None, Some(wrap)) if focus_is_lost() => {
                    focus(if wrap { &wrap_button } else { &unwrap_button });
                }
                _ => {}
            }
        });
    }
    let on_cancel = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::CancelJob))
    };
    let running = wb.job.is_some();
    let job_view = |for_wrap: bool| -> Html {
        match (&wb.job, &wb.job_note) {
            (Some(j), _) if j.wrap == for_wrap => {
                let verb = if j.wrap { "Wrapping" } else { "Unwrapping" };
                let percent = j.percent();
                html! {
                    <div class="job" data-testid="job">
                        <label for="wb-job-progress">{ format!("{verb}: {}", j.title) }</label>
                        <div class="inline">
                            <progress id="wb-job-progress" max={j.total.to_string()}
                                value={j.done.to_string()} aria-describedby="wb-job-status">
                                { format!("{percent}%") }</progress>
                            <span class="mono" data-testid="job-percent">{ format!("{percent}%") }</span>
                            <button type="button" ref={cancel_ref.clone()} onclick={on_cancel.clone()}>
                                { "Cancel" }</button>
                        </div>
                        <p class="hint">{ format!("{verb} in slices, so the page keeps answering.") }</p>
                        // Announced at every quarter, not at every slice;
                        // the bar and the figure beside it show the rest.
                        <p class="visually-hidden" id="wb-job-status" role="status">
                            { format!("{}% done.", percent / 25 * 25) }</p>
                    </div>
                }
            }
            (None, Some((wrap, note))) if *wrap == for_wrap => html! {
                <p class="hint" role="status" data-testid="job-note">
                    <span aria-hidden="true">{ "■ " }</span>{ note.clone() }</p>
            },
            _ => html! {},
        }
    };

    let hsm_target = matches!(form.target, KeyChoice::Handle(_));
    let pasted_kek = form.kek == KeyChoice::Pasted;

    html! {
        <section class="panel workbench" aria-labelledby="workbench-title">
            <h2 id="workbench-title">{ "Wrap / unwrap workbench" }</h2>
            <p class="hint">
                { "The same operations as wrapKey and unWrapKey, with the same policy, for those who do not type. \
                   Paste a KEK to use it standalone, as in CyberChef: nothing in the HSM is touched then." }
            </p>
            <div class="shared">
                <div class="field">
                    <label for="wb-kek">{ "Wrapping key" }</label>
                    <select id="wb-kek" onchange={on_kek}>
                        { key_options(&props.keys, form.kek, "Paste a KEK (hex or base64)…") }
                    </select>
                    if pasted_kek {
                        <label for="wb-pasted-kek">{ "KEK (hex or base64)" }</label>
                        <textarea id="wb-pasted-kek" ref={kek_field} class="mono" rows="2" spellcheck="false"
                            autocomplete="off" maxlength={MAX_PASTE_CHARS.to_string()}
                            oninput={secret_input(d, WorkbenchField::PastedKek)}
                            aria-describedby="wb-kek-hint"
                            aria-invalid={matches!(wb.kek_reading, Some(Err(_))).to_string()} />
                        { paste_hint(&wb.kek_reading, "wb-kek-hint") }
                    }
                </div>
                <div class="field">
                    <label for="wb-mechanism">{ "Mechanism" }</label>
                    <select id="wb-mechanism" onchange={on_mechanism}>
                        { for Mechanism::ALL.iter().map(|&m| html! {
                            <option value={mechanism_value(m)} selected={form.mechanism == m}>
                                { format!("{} — -m {}", m.display_name(), m.kmu_number()) }</option>
                        }) }
                    </select>
                    <details class="names-details">
                        <summary>{ "Names across tools" }</summary>
                        { names_table(form.mechanism) }
                    </details>
                </div>
                <div class="field">
                    <label for="wb-iv">{ "IV (hex)" }</label>
                    <div class="inline">
                        <input id="wb-iv" type="text" class="mono" spellcheck="false" autocomplete="off"
                            value={if takes_iv { form.iv.clone() } else { "A65959A6 ‖ MLI".to_owned() }}
                            disabled={!takes_iv} oninput={on_iv}
                            aria-invalid={iv_state.is_err().to_string()} aria-describedby="wb-iv-hint" />
                        <button type="button" class="small" onclick={on_reset_iv} disabled={!takes_iv}>
                            { "Use the default IV" }</button>
                    </div>
                    { iv_hint }
                </div>
            </div>
            <div class="columns">
                <form class="wrap-form" onsubmit={on_wrap} aria-label="Wrap">
                    <h3>{ "Wrap" }</h3>
                    <div class="field">
                        <label for="wb-target">{ "Key to wrap" }</label>
                        <select id="wb-target" onchange={on_target}>
                            { key_options(&props.keys, form.target, "Paste key bytes (hex or base64)…") }
                        </select>
                        if form.target == KeyChoice::Pasted {
                            <label for="wb-pasted-key">{ "Key bytes (hex or base64)" }</label>
                            <textarea id="wb-pasted-key" ref={key_field} class="mono" rows="2" spellcheck="false"
                                autocomplete="off" maxlength={MAX_PASTE_CHARS.to_string()}
                                oninput={secret_input(d, WorkbenchField::PastedKey)}
                                aria-describedby="wb-key-hint"
                                aria-invalid={matches!(wb.key_reading, Some(Err(_))).to_string()} />
                            { paste_hint(&wb.key_reading, "wb-key-hint") }
                        }
                        if hsm_target && pasted_kek {
                            <p class="hint warn">{ "An HSM wraps its keys only under keys it holds: choose a wrapping key from the HSM, or paste the key bytes too." }</p>
                        }
                    </div>
                    <div class="field inline-fields">
                        <span class="pair">
                            <label for="wb-format">{ "Output format" }</label>
                            <select id="wb-format" onchange={on_format}>
                                <option value="hex" selected={form.out_format == Format::Hex}>{ "hex" }</option>
                                <option value="base64" selected={form.out_format == Format::Base64}>{ "base64" }</option>
                            </select>
                        </span>
                        if form.out_format == Format::Hex {
                            <span class="pair">
                                <label for="wb-case">{ "Hex case" }</label>
                                <select id="wb-case" onchange={on_case}>
                                    <option value="lower" selected={!style.upper}>{ "lower" }</option>
                                    <option value="upper" selected={style.upper}>{ "UPPER" }</option>
                                </select>
                            </span>
                            <span class="pair">
                                <label for="wb-group">{ "Group" }</label>
                                <select id="wb-group" onchange={on_group}>
                                    <option value="0" selected={style.group == 0}>{ "none" }</option>
                                    <option value="4" selected={style.group == 4}>{ "4 bytes" }</option>
                                    <option value="8" selected={style.group == 8}>{ "8 bytes" }</option>
                                </select>
                            </span>
                        }
                        <span class="pair">
                            <label for="wb-file">{ "File name" }</label>
                            <input id="wb-file" type="text" value={form.file_name.clone()} oninput={on_file_name} />
                        </span>
                    </div>
                    <div class="check-line check-field">
                        <input id="wb-save" type="checkbox" checked={form.save_to_files} onchange={on_save} />
                        <label for="wb-save">{ "Also save to the page's files" }</label>
                    </div>
                    <button type="submit" class="primary" ref={wrap_button} disabled={running}>{ "Wrap" }</button>
                    { job_view(true) }
                    { wrap_out }
                </form>
                <form class="unwrap-form" onsubmit={on_unwrap} aria-label="Unwrap">
                    <h3>{ "Unwrap" }</h3>
                    <div class="field">
                        <label for="wb-wrapped">{ "Wrapped key (hex or base64)" }</label>
                        <textarea id="wb-wrapped" class="mono" rows="3" spellcheck="false" autocomplete="off"
                            maxlength={MAX_PASTE_CHARS.to_string()} aria-describedby="wb-wrapped-hint"
                            value={form.wrapped.clone()} oninput={on_wrapped} />
                        { paste_hint(&wb.wrapped_reading, "wb-wrapped-hint") }
                        <label for="wb-upload" class="upload">{ "Upload wrapped key" }</label>
                        <input id="wb-upload" type="file" onchange={on_upload} />
                        if let Some(note) = &form.upload_note {
                            <p class="hint" data-testid="upload-note">{ note.clone() }</p>
                        }
                    </div>
                    <fieldset class="field">
                        <legend>{ "Unwrap into" }</legend>
                        <div class="radio">
                            <input type="radio" id="wb-into-key" name="wb-into" checked={form.into_new_key}
                                disabled={pasted_kek} onchange={on_into(true)}
                                aria-describedby={pasted_kek.then_some("wb-into-why")} />
                            <label for="wb-into-key">{ "A new key in the HSM" }</label>
                        </div>
                        <div class="radio">
                            <input type="radio" id="wb-into-page" name="wb-into" checked={!form.into_new_key}
                                onchange={on_into(false)} />
                            <label for="wb-into-page">{ "This page (show the bytes)" }</label>
                        </div>
                    </fieldset>
                    if pasted_kek {
                        <p class="hint" id="wb-into-why">{ "A pasted KEK is not in the HSM, so it unwraps into this page only; choose a wrapping key from the HSM to make a new HSM key." }</p>
                    }
                    if form.into_new_key {
                        <div class="field inline-fields">
                            <label for="wb-label">{ "Label for the new key" }</label>
                            <input id="wb-label" type="text" value={form.label.clone()} oninput={on_label} />
                            <label for="wb-key-type">{ "Key type" }</label>
                            <select id="wb-key-type" onchange={on_key_type}>
                                <option value="31" selected={form.key_type == KeyType::Aes}>{ "AES (31)" }</option>
                                <option value="16" selected={form.key_type == KeyType::GenericSecret}>{ "Generic secret (16)" }</option>
                            </select>
                        </div>
                        <div class="field flags-fields">
                            <span class="check-field">
                                <input id="wb-sensitive" type="checkbox" checked={form.sensitive} onchange={on_sensitive} aria-describedby="wb-flags-hint" />
                                <label for="wb-sensitive">{ "Sensitive" }</label>
                            </span>
                            <span class="check-field">
                                <input id="wb-extractable" type="checkbox" checked={form.extractable} onchange={on_extractable} />
                                <label for="wb-extractable">{ "Extractable" }</label>
                            </span>
                            <span class="check-field">
                                <input id="wb-token" type="checkbox" checked={form.token} onchange={on_token} />
                                <label for="wb-token">{ "Token key (kept after logout)" }</label>
                            </span>
                        </div>
                        <p class="hint" id="wb-flags-hint">
                            { "Sensitive by default, as KMU's unWrapKey makes keys. Untick it and the step viewer may \
                               show the unwrap; ticked, the page will never show the key's value, nor its steps." }
                        </p>
                    }
                    <button type="submit" class="primary" ref={unwrap_button} disabled={running}>{ "Unwrap" }</button>
                    { job_view(false) }
                    { unwrap_out }
                </form>
            </div>
        </section>
    }
}
