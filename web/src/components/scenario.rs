//! Key-separation attacks, shown: the notices the page raises when the
//! core reports that an operation yielded a protected key's plaintext (or a
//! looser copy of it), and the guided scenario "How a sensitive key leaks,
//! and how to stop it", which runs the attack and then the defence as real
//! commands in the terminal, step by step.
//!
//! Every judgement (which key, which path, what a real HSM does, which
//! policy stops it) is the core's ([`keywrap_core::hsm::copies`],
//! [`keywrap_core::access::SeparationPath`]); this file only lays out the
//! words and the commands, whose handles it fills in when a step runs.

use std::rc::Rc;

use keywrap_core::access::Source;
use keywrap_core::store::KeyHandle;
use yew::prelude::*;

use super::Dispatch;
use crate::state::{Action, Line, SeparationNotice};

/// The id of the scenario's section (the who-can-see panel links to it).
pub const SCENARIO_ID: &str = "leak-scenario";

/// The notices of key-separation attacks, newest first: which key, which
/// path, what a real HSM does, what stops it.
pub fn separation_notices(notices: &[Rc<SeparationNotice>], dispatch: &Dispatch) -> Html {
    if notices.is_empty() {
        return html! {};
    }
    html! {
        <section class="separations" aria-labelledby="separations-title" data-testid="separation-notices">
            <h2 id="separations-title" class="visually-hidden">{ "Key-separation attacks" }</h2>
            { for notices.iter().map(|n| {
                let id = n.id;
                let r = &n.report;
                let dismiss = {
                    let d = dispatch.clone();
                    Callback::from(move |_: MouseEvent| d.dispatch(Action::DismissSeparation(id)))
                };
                html! {
                    <div class="separation" role="alert" key={id} data-testid="separation-notice"
                        data-key={r.key.to_string()} data-path={r.path.title()}>
                        <p><span aria-hidden="true">{ "⚠ " }</span>
                            <strong>{ "A protected key left the HSM." }</strong>
                            { " " }{ r.headline() }</p>
                        <p><strong>{ "What a real HSM does: " }</strong>{ r.path.real_hsm() }</p>
                        <p><strong>{ "What stops it: " }</strong>{ r.path.defence() }</p>
                        <p class="source"><span class="muted">{ "Where this comes from: " }</span>{ Source::KeySeparation.citation() }</p>
                        <div class="buttons">
                            <a class="small" href={format!("#{SCENARIO_ID}")}>{ "See the attack and the defence, step by step" }</a>
                            <button type="button" class="small" onclick={dismiss}
                                aria-label={format!("Dismiss the notice about key {}", r.key)}>{ "Dismiss" }</button>
                        </div>
                    </div>
                }
            }) }
        </section>
    }
}

/// One step of the scenario: what it shows, the commands it runs (`{0}`…
/// stand for the keys the scenario made, in order), how many keys it makes,
/// and what to expect.
struct Step {
    title: &'static str,
    lines: &'static [&'static str],
    creates: u64,
    expect: &'static str,
}

/// The attack, then the defence.
const STEPS: [Step; 8] = [
    Step {
        title: "Attack 1. A KEK and a sensitive key",
        lines: &[
            "genSymKey -t 31 -s 32 -l demo-kek",
            "genSymKey -t 31 -s 32 -l demo-secret",
        ],
        creates: 2,
        expect: "The KEK may wrap and unwrap; the secret is sensitive: never shown.",
    },
    Step {
        title: "Attack 2. Wrap the secret without a header",
        lines: &["wrapKey -k {1} -w {0} -noheader -out demo-secret.bin -m 5"],
        creates: 0,
        expect: "Allowed: you own it and it is extractable.",
    },
    Step {
        title: "Attack 3. Decrypt the blob to the host",
        lines: &["aesWrapUnwrap -m 0 -f demo-secret.bin -w {0} -out demo-secret.plain"],
        creates: 0,
        expect: "Allowed too: its bytes are now in a file and the transcript. A notice says so.",
    },
    Step {
        title: "Defence 1. A secret that may be wrapped only under trusted keys, and a KEK that wraps but never decrypts",
        lines: &[
            "genSymKey -t 31 -s 32 -l demo-secret-2",
            "setAttribute -o {2} -a 528 -v 1",
            "genSymKey -t 31 -s 32 -l demo-wrap-only",
            "setAttribute -o {3} -a 263 -v 0",
        ],
        creates: 2,
        expect: "WRAP_WITH_TRUSTED (528) is one-way; the new KEK has UNWRAP (263) off.",
    },
    Step {
        title: "Defence 2. The same attack under the old KEK",
        lines: &["wrapKey -k {2} -w {0} -noheader -out demo-secret-2.bin -m 5"],
        creates: 0,
        expect: "Refused: the old KEK is not trusted.",
    },
    Step {
        title: "Defence 3. The crypto officer trusts the wrap-only KEK",
        lines: &[
            "logoutHSM",
            "loginHSM -u CO -s admin -p demo",
            "setAttribute -o {3} -a 134 -v 1",
            "logoutHSM",
            "loginHSM -u CU -s alice -p demo",
        ],
        creates: 0,
        expect: "Only the officer may set TRUSTED (134).",
    },
    Step {
        title: "Defence 4. Wrapping under the trusted KEK works",
        lines: &["wrapKey -k {2} -w {3} -noheader -out demo-secret-2.bin -m 5"],
        creates: 0,
        expect: "Allowed: it may still travel to an HSM holding that KEK.",
    },
    Step {
        title: "Defence 5. No key here turns that blob back into plaintext or a looser key",
        lines: &[
            "aesWrapUnwrap -m 0 -f demo-secret-2.bin -w {3}",
            "unWrapKey -f demo-secret-2.bin -w {3} -noheader -l copy -kc 4 -kt 31 -m 5",
        ],
        creates: 0,
        expect: "Both refused: the trusted KEK does not unwrap.",
    },
];

/// What the scenario calls its keys before they exist.
const KEY_NAMES: [&str; 4] = [
    "‹demo-kek›",
    "‹demo-secret›",
    "‹demo-secret-2›",
    "‹demo-wrap-only›",
];

/// A step's lines with the scenario's handles filled in (a key not made
/// yet goes by its name).
fn resolve(line: &str, handles: &[KeyHandle]) -> String {
    let mut out = line.to_owned();
    for (i, name) in KEY_NAMES.iter().enumerate() {
        let shown = handles
            .get(i)
            .map_or_else(|| (*name).to_owned(), ToString::to_string);
        out = out.replace(&format!("{{{i}}}"), &shown);
    }
    out
}

/// What the scenario needs.
#[derive(Properties, PartialEq)]
pub struct ScenarioProps {
    /// The handle the next key will get (the scenario's keys are named
    /// when their step runs).
    pub next_handle: KeyHandle,
    /// The reducer.
    pub dispatch: Dispatch,
}

/// "How a sensitive key leaks, and how to stop it".
#[component]
pub fn LeakScenario(props: &ScenarioProps) -> Html {
    // The keys the scenario made, and how many steps ran.
    let run = use_state(|| (Vec::<KeyHandle>::new(), 0_usize));
    let (handles, done) = (*run).clone();
    let next = STEPS.get(done);
    let on_next = {
        let run = run.clone();
        let dispatch = props.dispatch.clone();
        let first = props.next_handle.get();
        Callback::from(move |_: MouseEvent| {
            let (mut handles, done) = (*run).clone();
            let Some(step) = STEPS.get(done) else {
                return;
            };
            handles.extend((0..step.creates).map(|i| KeyHandle::new(first + i)));
            let lines = step
                .lines
                .iter()
                .map(|l| Line::from(resolve(l, &handles)))
                .collect();
            dispatch.dispatch(Action::RunLines(lines));
            run.set((handles, done + 1));
        })
    };
    let on_reset = {
        let run = run.clone();
        Callback::from(move |_: MouseEvent| run.set((Vec::new(), 0)))
    };
    html! {
        <section class="panel scenario" id={SCENARIO_ID} aria-labelledby="scenario-title" tabindex="-1">
            <h2 id="scenario-title">{ "How a sensitive key leaks, and how to stop it" }</h2>
            <p class="hint">
                { "A key that may both wrap and decrypt lets its user wrap a sensitive key and decrypt the blob \
                   (Clulow, 2003). These steps run in the terminal: the attack, then the policy that stops it \
                   (one step as the crypto officer; they end as alice)." }
            </p>
            <ol class="steps-list" data-testid="scenario-steps">
                { for STEPS.iter().enumerate().map(|(i, step)| {
                    let state = match i.cmp(&done) {
                        std::cmp::Ordering::Less => "ran",
                        std::cmp::Ordering::Equal => "next",
                        std::cmp::Ordering::Greater => "later",
                    };
                    let shown: Vec<String> = step.lines.iter().map(|l| resolve(l, &handles)).collect();
                    html! {
                        <li class={classes!("scenario-step", state)} data-state={state}>
                            <p><strong>{ step.title }</strong>
                                if i < done { <span class="hint">{ " — ran" }</span> }</p>
                            <pre class="mono">{ shown.join("\n") }</pre>
                            <p class="hint">{ step.expect }</p>
                        </li>
                    }
                }) }
            </ol>
            <div class="buttons">
                if let Some(step) = next {
                    <button type="button" onclick={on_next} data-testid="scenario-next">
                        { format!("Run: {}", step.title) }</button>
                } else {
                    <p class="hint" data-testid="scenario-done">{ "Done: the terminal shows each answer." }</p>
                }
                if done > 0 {
                    <button type="button" class="small" onclick={on_reset}>{ "Start again (with new keys)" }</button>
                }
            </div>
            if !handles.is_empty() {
                <p class="hint">{ format!("The scenario's keys: {}.", handles.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")) }</p>
            }
        </section>
    }
}
