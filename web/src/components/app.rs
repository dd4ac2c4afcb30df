//! The root component: owns the one reducer and lays out the panels.

use yew::prelude::*;

use crate::components::{footer::Footer, header::Header, key_table::KeyTable, terminal::Terminal};
use crate::state::{Action, AppState};

/// The whole console.
#[component]
pub fn App() -> Html {
    let state = use_reducer(AppState::default);
    let on_clear = {
        let state = state.clone();
        Callback::from(move |()| state.dispatch(Action::ClearTranscript))
    };
    html! {
        <div class="app">
            <Header />
            <main class="panels">
                <KeyTable />
                <Terminal transcript={state.transcript.clone()} {on_clear} />
            </main>
            <Footer self_test={state.self_test.clone()} />
        </div>
    }
}
