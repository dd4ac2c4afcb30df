//! The terminal: `key_mgmt_util` commands on the page's virtual HSM, with
//! history (↑ / ↓), Tab completion, `help`, Ctrl+L, and handles in the output
//! as buttons that select the key.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::Dispatch;
use crate::state::{Action, TranscriptEntry};

/// What the terminal shows.
#[derive(Properties, PartialEq)]
pub struct TerminalProps {
    /// The transcript, oldest first.
    pub transcript: Vec<Rc<TranscriptEntry>>,
    /// The input line.
    pub input: String,
    /// Candidates of the last Tab, when there were several.
    pub completions: Vec<String>,
    /// Who is logged in (for the prompt's hint).
    pub user_name: Option<String>,
    /// The reducer.
    pub dispatch: Dispatch,
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
                aria-label={format!("Select key {handle}")}
                title={format!("Select key {handle} in the key table and the who-can-see matrix")}>
                { digits.to_owned() }
            </button>
        });
        at = span.range.end;
    }
    parts.push(html! { { text.get(at..).unwrap_or_default().to_owned() } });
    html! { <pre class="output">{ for parts }</pre> }
}

/// The key_mgmt_util-style console.
#[component]
pub fn Terminal(props: &TerminalProps) -> Html {
    let input_ref = use_node_ref();
    let log_ref = use_node_ref();

    // Keep the newest output in view.
    {
        let log_ref = log_ref.clone();
        let last = props.transcript.last().map(|e| e.id);
        use_effect_with(last, move |_| {
            if let Some(log) = log_ref.cast::<web_sys::Element>() {
                log.set_scroll_top(log.scroll_height());
            }
        });
    }

    let onkeydown = {
        let dispatch = props.dispatch.clone();
        let has_text = !props.input.is_empty();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "ArrowUp" => {
                e.prevent_default();
                dispatch.dispatch(Action::HistoryPrev);
            }
            "ArrowDown" => {
                e.prevent_default();
                dispatch.dispatch(Action::HistoryNext);
            }
            // Tab completes while there is something to complete; on an empty
            // line (or with Shift) it moves focus, as everywhere else.
            "Tab" if has_text && !e.shift_key() && !e.ctrl_key() && !e.alt_key() => {
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
            dispatch.dispatch(Action::SetCommandInput(value));
        })
    };
    let onsubmit = {
        let dispatch = props.dispatch.clone();
        let input_ref = input_ref.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // Read the field itself: it is the truth at the moment of Enter.
            if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                dispatch.dispatch(Action::Run(input.value()));
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
            <p class="hint">
                { "AWS CloudHSM key_mgmt_util and CloudHSM CLI commands, run by the virtual HSM in this tab. Try " }
                <code>{ "genSymKey -t 31 -s 32 -l kek" }</code>{ ", " }<code>{ "key list" }</code>{ ", " }<code>{ "help" }</code>{ ", " }<code>{ "help key" }</code>
                { " or " }<code>{ "help mechanisms" }</code>
                { ". ↑/↓ history · Tab completes · Ctrl+L clears · handles are buttons." }
            </p>
            <div class="transcript" role="log" aria-live="polite" aria-label="Transcript" ref={log_ref}
                tabindex="0">
                { for props.transcript.iter().map(|entry| html! {
                    <div key={entry.id} class={classes!("entry", if entry.success { "ok" } else { "refused" })}>
                        <div class="echo">
                            <span class="sr-mark" aria-hidden="true">{ if entry.success { "✔ " } else { "✖ " } }</span>
                            { keywrap_core::prompt_of(&entry.command) }{ &entry.command }
                        </div>
                        { render_output(entry, &props.dispatch) }
                    </div>
                }) }
            </div>
            <form class="prompt" {onsubmit}>
                <label for="command-input">{ "Command" }</label>
                <input id="command-input" type="text" autocomplete="off" autocapitalize="off"
                    spellcheck="false" placeholder="help" ref={input_ref}
                    value={props.input.clone()} {oninput} {onkeydown}
                    aria-describedby="prompt-user" />
                <button type="submit">{ "Run" }</button>
            </form>
            <p id="prompt-user" class="hint">{ format!("Commands run as: {prompt_user}") }</p>
            if !props.completions.is_empty() {
                <p class="completions" aria-live="polite" data-testid="completions">
                    { "Completions: " }
                    { for props.completions.iter().map(|c| html! { <code>{ c }</code> }) }
                </p>
            }
        </section>
    }
}
