//! The terminal: the "Command" field and the transcript log.

use yew::prelude::*;

use crate::state::TranscriptEntry;

/// What the terminal shows and can ask for.
#[derive(Properties, PartialEq)]
pub struct TerminalProps {
    /// The transcript, oldest first.
    pub transcript: Vec<TranscriptEntry>,
    /// Clear the transcript (Ctrl+L).
    pub on_clear: Callback<()>,
}

/// The key_mgmt_util-style console.
#[component]
pub fn Terminal(props: &TerminalProps) -> Html {
    let onkeydown = {
        let on_clear = props.on_clear.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.ctrl_key() && e.key() == "l" {
                e.prevent_default();
                on_clear.emit(());
            }
        })
    };
    html! {
        <section class="panel terminal" aria-labelledby="terminal-title">
            <h2 id="terminal-title">{ "Console" }</h2>
            <div class="transcript" role="log" aria-live="polite" aria-label="Transcript">
                { for props.transcript.iter().map(|entry| html! {
                    <div class="entry">
                        <div class="echo">{ "Command:  " }{ &entry.command }</div>
                        <pre class="output">{ &entry.output }</pre>
                    </div>
                }) }
            </div>
            <form class="prompt" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <label for="command-input">{ "Command" }</label>
                <input id="command-input" type="text" autocomplete="off" autocapitalize="off"
                    spellcheck="false" placeholder="help" {onkeydown} />
            </form>
        </section>
    }
}
