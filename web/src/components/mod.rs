//! The page's panels, one file each: each renders what it is given and
//! dispatches [`crate::state::Action`]s.
//!
//! | panel | file |
//! | --- | --- |
//! | layout, the one reducer | [`app`] |
//! | name, who is logged in, "View as", badges | [`header`] |
//! | the start strip (first load) | [`start`] |
//! | the page's promise and its live network count | [`banner`] |
//! | the `key_mgmt_util` terminal | [`terminal`] |
//! | keys (sort, filter, reveal; or as another actor sees them) | [`key_table`] |
//! | wrap / unwrap workbench | [`workbench`] |
//! | IV and step viewer | [`step_viewer`] |
//! | who can see the selected key, both tenancy modes, the tenancy switch | [`access`] |
//! | key-separation notices; "How a sensitive key leaks, and how to stop it" | [`scenario`] |
//! | the W function as a picture (SVG) | [`w_diagram`] |
//! | every byte explained: a blob's byte map | [`byte_map`] |
//! | what handles are, as the session shows it | [`handles`] |
//! | in-page files | [`files`] |
//! | audit log | [`audit`] |
//! | core version and self-test | [`footer`] |
//! | prepare a key for import (BYOK; its own reducer) | [`byok`] |

pub mod access;
pub mod app;
pub mod audit;
pub mod banner;
pub mod byok;
pub mod byte_map;
pub mod files;
pub mod footer;
pub mod handles;
pub mod header;
pub mod key_table;
pub mod scenario;
pub mod start;
pub mod step_viewer;
pub mod terminal;
pub mod w_diagram;
pub mod workbench;

use keywrap_core::access::{Answer, Verdict};
use yew::prelude::*;

/// The dispatcher every panel gets (compares equal across renders).
pub type Dispatch = UseReducerDispatcher<crate::state::AppState>;

/// An answer as icon and word (never color alone).
pub fn answer_badge(answer: Answer) -> Html {
    let (class, icon) = match answer {
        Answer::Yes => ("answer yes", "●"),
        Answer::No => ("answer no", "○"),
        Answer::Possible => ("answer possible", "◐"),
    };
    html! {
        <span {class}><span aria-hidden="true">{ icon }</span>{ " " }{ answer.label() }</span>
    }
}

/// A verdict cell: the answer (the who-can-see panel gives the reasons).
pub fn verdict_short(verdict: &Verdict) -> Html {
    html! { <span class="verdict">{ answer_badge(verdict.answer) }</span> }
}

/// A pass / fail mark with its word.
pub fn pass_fail(passed: bool, yes: &str, no: &str) -> Html {
    if passed {
        html! { <span class="check passed"><span aria-hidden="true">{ "✔ " }</span>{ yes.to_owned() }</span> }
    } else {
        html! { <span class="check failed"><span aria-hidden="true">{ "✖ " }</span>{ no.to_owned() }</span> }
    }
}
