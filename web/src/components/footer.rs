//! The footer: proof that the core runs in this page.

use keywrap_core::selftest::SelfTest;
use yew::prelude::*;

/// What the footer shows.
#[derive(Properties, PartialEq)]
pub struct FooterProps {
    /// The core's known-answer self-test result.
    pub self_test: SelfTest,
}

/// Core version and the RFC 3394 §4.1 self-test, run in this tab.
#[component]
pub fn Footer(props: &FooterProps) -> Html {
    let (class, icon, word) = if props.self_test.passed {
        ("self-test passed", "✔", "passed")
    } else {
        ("self-test failed", "✖", "FAILED")
    };
    html! {
        <footer class="footer">
            <span class="core-version">{ format!("keywrap-core {}", keywrap_core::VERSION) }</span>
            <span {class} data-testid="self-test">
                <span aria-hidden="true">{ icon }</span>
                { format!(" Self-test (RFC 3394 §4.1 vector, wrap and unwrap, in this tab): {word}") }
            </span>
        </footer>
    }
}
