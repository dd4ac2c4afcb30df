//! The terminal: `key_mgmt_util` commands on the page's virtual HSM, with
//! history (↑ / ↓), Tab completion of commands, flags and values (from the
//! core's `Session::complete`), multi-line paste (each line run and echoed),
//! `help`, Ctrl+L, handles in the output as buttons that select the key, and
//! a "see the steps" link on the command whose W or W⁻¹ the step viewer shows.

use std::rc::Rc;

use keywrap_core::kmu::lexer::MAX_LINE_LEN;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::Dispatch;
use crate::state::terminal::{MAX_PASTE_LEN, paste_lines};
use crate::state::{Action, Line, TerminalState, TranscriptEntry};

/// What the terminal shows.
#[derive(Properties, PartialEq)]
pub struct TerminalProps {
    /// The terminal's slice of the state.
    pub terminal: Rc<TerminalState>,
    /// Who is logged in (for the prompt's hint).
    pub user_name: Option<String>,
    /// The core's completion candidates for a line (read when Tab is
    /// pressed, to decide whether Tab completes or moves focus).
    pub complete: Callback<String, Vec<String>>,
    /// The transcript entry whose steps the step viewer shows, if any.
    pub steps_entry: Option<u64>,
    /// Brings the step viewer into view.
    pub on_show_steps: Callback<()>,
    /// The reducer.
    pub dispatch: Dispatch,
}

/// What one transcript entry shows.
#[derive(Properties)]
pub struct EntryProps {
    /// The entry.
    pub entry: Rc<TranscriptEntry>,
    /// Whether the step viewer shows this command's steps.
    pub steps_link: bool,
    /// Brings the step viewer into view.
    pub on_show_steps: Callback<()>,
    /// The reducer.
    pub dispatch: Dispatch,
}

impl PartialEq for EntryProps {
    /// Entries never change once made: the same entry is the same pointer,
    /// so a keystroke re-renders none of them.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.entry, &other.entry)
            && self.steps_link == other.steps_link
            && self.on_show_steps == other.on_show_steps
            && self.dispatch == other.dispatch
    }
}

/// The output of one command, with its handles as buttons.
fn render_output(entry: &TranscriptEntry, dispatch: &Dispatch) -> Html {
    let text = entry.output.as_str();
    let mut spans: Vec<_> = entry.spans.iter().collect();
    spans.sort_by_key(|s| s.range.start);
    let mut parts: Vec<Html> = Vec::new();
    let mut at = 0;
    for span in spans {
        if span.range.start < at {
            continue;
        }
        let (Some(before), Some(digits)) =
            (text.get(at..span.range.start), text.get(span.range.clone()))
        else {
            continue;
        };
        parts.push(html! { { before.to_owned() } });
        let handle = span.handle;
        let onclick = {
            let dispatch = dispatch.clone();
            Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SelectKey(handle)))
        };
        parts.push(html! {
            <button type="button" class="handle-link" {onclick}
                aria-label={format!("Select key {handle}")}>
                { digits.to_owned() }
            </button>
        });
        at = span.range.end;
    }
    parts.push(html! { { text.get(at..).unwrap_or_default().to_owned() } });
    html! { <pre class="output">{ for parts }</pre> }
}

/// One command and its output.
#[component]
pub fn TranscriptItem(props: &EntryProps) -> Html {
    let entry = &props.entry;
    let on_steps = {
        let cb = props.on_show_steps.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    html! {
        <div class={classes!("entry", if entry.success { "ok" } else { "refused" })}
            data-entry={entry.id.to_string()}>
            <div class="echo">
                <span class="sr-mark" aria-hidden="true">{ if entry.success { "✔ " } else { "✖ " } }</span>
                { if entry.pasted { "Pasted:   " } else { keywrap_core::prompt_of(&entry.command) } }{ &entry.command }
            </div>
            { render_output(entry, &props.dispatch) }
            if props.steps_link {
                <button type="button" class="steps-link" onclick={on_steps}>
                    { "See the steps" }<span aria-hidden="true">{ " ↓" }</span></button>
            }
        </div>
    }
}

/// The text of a paste, as a JS string (its length is read before any copy
/// into the page's memory, so a huge paste cannot exhaust it).
fn pasted_text(e: &Event) -> Option<js_sys::JsString> {
    let event = e.dyn_ref::<web_sys::ClipboardEvent>()?;
    let data = event.clipboard_data()?;
    let get: js_sys::Function = js_sys::Reflect::get(&data, &JsValue::from_str("getData"))
        .ok()?
        .dyn_into()
        .ok()?;
    get.call1(&data, &JsValue::from_str("text/plain"))
        .ok()?
        .dyn_into()
        .ok()
}

/// The word being typed at the end of a line ("" after a space).
fn partial_word(line: &str) -> &str {
    if line.ends_with(char::is_whitespace) {
        ""
    } else {
        line.rsplit(char::is_whitespace).next().unwrap_or_default()
    }
}

/// The key_mgmt_util-style console.
#[component]
pub fn Terminal(props: &TerminalProps) -> Html {
    let input_ref = use_node_ref();
    let log_ref = use_node_ref();
    let terminal = &props.terminal;

    // The Command field has focus when the page opens.
    {
        let input_ref = input_ref.clone();
        use_effect_with((), move |_| {
            if let Some(input) = input_ref.cast::<web_sys::HtmlElement>() {
                // Without scrolling: on a phone the start strip stays in view.
                let options = web_sys::FocusOptions::new();
                options.set_prevent_scroll(true);
                let _ = input.focus_with_options(&options);
            }
        });
    }
    // Keep the newest output in view.
    {
        let log_ref = log_ref.clone();
        let last = terminal.transcript.last().map(|e| e.id);
        use_effect_with(last, move |_| {
            if let Some(log) = log_ref.cast::<web_sys::Element>() {
                log.set_scroll_top(log.scroll_height());
            }
        });
    }

    let onkeydown = {
        let dispatch = props.dispatch.clone();
        let complete = props.complete.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "ArrowUp" => {
                e.prevent_default();
                dispatch.dispatch(Action::HistoryPrev);
            }
            "ArrowDown" => {
                e.prevent_default();
                dispatch.dispatch(Action::HistoryNext);
            }
            // Tab completes while there is something to complete; otherwise
            // (an empty or finished line, or with Shift) it moves focus, as
            // everywhere else. After a space only values are offered by Tab:
            // the next flag is the user's choice.
            "Tab" if !e.shift_key() && !e.ctrl_key() && !e.alt_key() => {
                let line = e
                    .target()
                    .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
                    .map(|i| i.value())
                    .unwrap_or_default();
                if line.trim().is_empty() {
                    return;
                }
                let candidates = complete.emit(line.clone());
                let only_flags = candidates.iter().all(|c| c.starts_with('-'));
                if candidates.is_empty() || (partial_word(&line).is_empty() && only_flags) {
                    return;
                }
                e.prevent_default();
                dispatch.dispatch(Action::Complete);
            }
            "l" | "L" if e.ctrl_key() => {
                e.prevent_default();
                dispatch.dispatch(Action::ClearTranscript);
            }
            _ => {}
        })
    };
    let oninput = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            dispatch.dispatch(Action::SetCommandInput(Line(value)));
        })
    };
    let onpaste = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let Some(text) = pasted_text(&e) else {
                return;
            };
            let len = text.length() as usize;
            if len > MAX_PASTE_LEN {
                e.prevent_default();
                dispatch.dispatch(Action::PasteRefused(format!(
                    "The paste is {len} characters; the Command field takes at most \
                     {MAX_PASTE_LEN} at once. Nothing was run."
                )));
                return;
            }
            let text = String::from(text);
            if !text.contains('\n') {
                if text.len() > MAX_LINE_LEN {
                    e.prevent_default();
                    dispatch.dispatch(Action::PasteRefused(format!(
                        "The pasted line is {} bytes; the console reads lines of at most \
                         {MAX_LINE_LEN}. Nothing was pasted.",
                        text.len()
                    )));
                }
                return;
            }
            e.prevent_default();
            match paste_lines(&text) {
                Ok(lines) => dispatch.dispatch(Action::RunLines(
                    lines.into_iter().map(Line::from).collect(),
                )),
                Err(why) => dispatch.dispatch(Action::PasteRefused(why)),
            }
        })
    };
    let onsubmit = {
        let dispatch = props.dispatch.clone();
        let input_ref = input_ref.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // Read the field itself: it is the truth at the moment of Enter.
            if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                dispatch.dispatch(Action::Run(Line(input.value())));
            }
        })
    };
    let on_clear = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::ClearTranscript))
    };
    let prompt_user = props
        .user_name
        .clone()
        .unwrap_or_else(|| "not logged in".to_owned());

    html! {
        <section class="panel terminal" aria-labelledby="terminal-title">
            <div class="panel-head">
                <h2 id="terminal-title">{ "Console" }</h2>
                <button type="button" class="small" onclick={on_clear}>{ "Clear transcript" }</button>
            </div>
            <div class="transcript" role="log" aria-live="polite" aria-label="Transcript" ref={log_ref}
                tabindex="0">
                { for terminal.transcript.iter().map(|entry| html! {
                    <TranscriptItem key={entry.id} entry={Rc::clone(entry)}
                        steps_link={props.steps_entry == Some(entry.id)}
                        on_show_steps={props.on_show_steps.clone()}
                        dispatch={props.dispatch.clone()} />
                }) }
            </div>
            <form class="prompt" {onsubmit}>
                <label for="command-input">{ "Command" }</label>
                <input id="command-input" type="text" autocomplete="off" autocapitalize="off"
                    spellcheck="false" placeholder="help" ref={input_ref}
                    maxlength={MAX_LINE_LEN.to_string()}
                    value={terminal.input.clone()} {oninput} {onkeydown} {onpaste}
                    aria-describedby="prompt-hint prompt-user" />
                <button type="submit">{ "Run" }</button>
            </form>
            <p id="prompt-hint" class="hint">
                { "AWS CloudHSM key_mgmt_util and CloudHSM CLI commands, run by the virtual HSM in this tab. Try " }
                <code>{ "key list" }</code>{ ", " }<code>{ "help" }</code>{ ", " }<code>{ "help key" }</code>{ " or " }<code>{ "help mechanisms" }</code>
                { format!(". ↑/↓ history · Tab completes · paste several lines to run them one by one \
                           · Ctrl+L clears. A line holds at most {MAX_LINE_LEN} characters, a paste {MAX_PASTE_LEN}.") }
            </p>
            <p id="prompt-user" class="hint">{ format!("Commands run as: {prompt_user}") }</p>
            if let Some(why) = &terminal.paste_error {
                <p class="error" role="alert" data-testid="paste-error">
                    <span aria-hidden="true">{ "✖ " }</span>{ why.clone() }</p>
            }
            if !terminal.completions.is_empty() {
                <p class="completions" aria-live="polite" data-testid="completions">
                    { "Completions: " }
                    { for terminal.completions.iter().map(|c| html! { <code>{ c }</code> }) }
                </p>
            }
        </section>
    }
}
