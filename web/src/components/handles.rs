//! What a handle is, as this session shows it: the remarks the page makes
//! when one key gets two handles, when a handle is deleted (never reused),
//! and that a handle means nothing outside this HSM.

use std::rc::Rc;

use keywrap_core::store::KeyHandle;
use yew::prelude::*;

use crate::state::Notice;

/// What the handles panel shows.
#[derive(Properties, PartialEq)]
pub struct HandlesPanelProps {
    /// Remarks, newest first.
    pub notices: Vec<Rc<Notice>>,
    /// The handle the next key will get.
    pub next_handle: KeyHandle,
    /// How many keys you can see.
    pub key_count: usize,
}

/// The handles panel.
#[component]
pub fn HandlesPanel(props: &HandlesPanelProps) -> Html {
    html! {
        <section class="panel handles" aria-labelledby="handles-title">
            <h2 id="handles-title">{ "Handles" }</h2>
            <p>
                { "A handle is a number this HSM gives an object: " }
                <strong>{ "it names the object here, not the key" }</strong>
                { ". Unwrapping the same blob twice makes two objects, two handles, one KCV. \
                   Deleted handles are never reused. Another HSM — or this page after a reload — \
                   numbers its keys its own way." }
            </p>
            <p class="next-handle" data-testid="next-handle">
                { format!("The next key will get handle {} · keys you can see: {}", props.next_handle, props.key_count) }
            </p>
            if props.notices.is_empty() {
                <p class="muted">{ "Remarks about the handles of this session appear here." }</p>
            } else {
                <ul class="notices" aria-live="polite" data-testid="handle-notices">
                    { for props.notices.iter().map(|n| html! {
                        <li key={n.id}><span aria-hidden="true">{ "☞ " }</span>{ n.text.clone() }</li>
                    }) }
                </ul>
            }
        </section>
    }
}
