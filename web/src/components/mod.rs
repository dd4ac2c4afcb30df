//! The page's panels, one file each: each renders what it is given and
//! dispatches [`crate::state::Action`]s.
//!
//! | panel | file |
//! | --- | --- |
//! | layout, the one reducer | [`app`] |
//! | name, tenancy switch, who is logged in, "View as" | [`header`] |
//! | the page's promise and its live network count | [`banner`] |
//! | the `key_mgmt_util` terminal | [`terminal`] |
//! | keys (sort, filter, reveal; or as another actor sees them) | [`key_table`] |
//! | wrap / unwrap workbench | [`workbench`] |
//! | IV and step viewer | [`step_viewer`] |
//! | the W function as a picture (SVG) | [`w_diagram`] |
//! | every byte explained: a blob's byte map | [`byte_map`] |
//! | who can see the selected key | [`access`] |
//! | what handles are, as the session shows it | [`handles`] |
//! | in-page files | [`files`] |
//! | audit log | [`audit`] |
//! | core version and self-test | [`footer`] |

pub mod access;
pub mod app;
pub mod audit;
pub mod banner;
pub mod byte_map;
pub mod files;
pub mod footer;
pub mod handles;
pub mod header;
pub mod key_table;
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

/// A verdict cell: the answer, and its reason as the hover text.
pub fn verdict_short(verdict: &Verdict) -> Html {
    html! {
        <span class="verdict" title={verdict.reason.clone()}>{ answer_badge(verdict.answer) }</span>
    }
}

/// A pass / fail mark with its word.
pub fn pass_fail(passed: bool, yes: &str, no: &str) -> Html {
    if passed {
        html! { <span class="check passed"><span aria-hidden="true">{ "✔ " }</span>{ yes.to_owned() }</span> }
    } else {
        html! { <span class="check failed"><span aria-hidden="true">{ "✖ " }</span>{ no.to_owned() }</span> }
    }
}
