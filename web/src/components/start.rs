//! The start strip: the ways into the page on first load, each one click.
//! "Learn the steps" loads RFC 3394's own vector into the workbench and
//! wraps it, so the step viewer has every step at once; "Practise the
//! commands" offers the seed session's lines as buttons that run them.

use yew::prelude::*;

use super::Dispatch;
use crate::state::{Action, Line, SEED_SESSION};

/// The start strip. `ran` says which seed lines have run (by index);
/// `on_show_steps` brings the step viewer into view after "learn the steps".
/// A plain function, not a component: it keeps no state of its own.
pub fn start_strip(ran: &[bool], on_show_steps: &Callback<()>, d: &Dispatch) -> Html {
    let on_learn = {
        let d = d.clone();
        let show = on_show_steps.clone();
        Callback::from(move |_: MouseEvent| {
            d.dispatch(Action::StartLearn);
            show.emit(());
        })
    };
    let on_all = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| {
            d.dispatch(Action::RunLines(
                SEED_SESSION.iter().map(|l| Line::from(*l)).collect(),
            ))
        })
    };
    let on_hide = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::DismissStart))
    };
    html! {
        <section class="start" aria-labelledby="start-title">
            <div class="start-head">
                <h2 id="start-title">{ "Start here" }</h2>
                <button type="button" class="small" onclick={on_hide}>{ "Hide these paths" }</button>
            </div>
            <div class="paths">
                <div class="path">
                    <h3>{ "Learn the steps" }</h3>
                    <p>{ "Wrap the RFC 3394 test vector (a 128-bit key under a 128-bit KEK) in the workbench and watch all 12 steps of W." }</p>
                    <button type="button" class="primary" onclick={on_learn}>{ "Wrap the RFC 3394 vector" }</button>
                </div>
                <div class="path">
                    <h3>{ "Practise the commands" }</h3>
                    <p>{ "The first session from the README, as key_mgmt_util runs it. Run the lines in order:" }</p>
                    <ol class="seed-lines">
                        { for SEED_SESSION.iter().enumerate().map(|(i, line)| {
                            let d = d.clone();
                            let onclick = Callback::from(move |_: MouseEvent| {
                                d.dispatch(Action::Run(Line::from(*line)))
                            });
                            let done = ran.get(i).copied().unwrap_or(false);
                            html! {
                                <li>
                                    <button type="button" class="seed-line" {onclick}>
                                        <code>{ *line }</code>
                                    </button>
                                    if done { <span class="done"><span aria-hidden="true">{ " ✔" }</span>{ " ran" }</span> }
                                </li>
                            }
                        }) }
                    </ol>
                    <button type="button" class="small" onclick={on_all}>{ "Run all four" }</button>
                </div>
                <div class="path">
                    <h3>{ "Prepare a key for import" }</h3>
                    <p>{ "Wrap a key to AWS KMS, Google Cloud KMS or Azure Key Vault's public wrapping key, \
                          in the provider's own file format, without the key leaving this tab." }</p>
                    <a class="button primary" href="#byok-title">{ "Go to the import panel" }</a>
                </div>
            </div>
        </section>
    }
}
