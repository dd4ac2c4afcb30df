//! The page header: the name and what the page is.

use yew::prelude::*;

/// The console's title bar.
#[component]
pub fn Header() -> Html {
    html! {
        <header class="header">
            <h1>{ "Keywrap Console" }</h1>
            <p class="tagline">
                { "Generate, wrap and unwrap keys with a virtual HSM that lives only in this tab." }
            </p>
        </header>
    }
}
