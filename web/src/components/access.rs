//! Who can see the selected key, built around the comparison: for each
//! actor, what they can get (plaintext, a wrapped blob, use) under a shared
//! multi-tenant HSM and under a dedicated one, side by side. Each row gives
//! one reason; a cell adds words only where its reason differs from the
//! row's; the cells the two modes answer differently are marked with an
//! icon and a word; sources are one numbered list. The switch that sets
//! this HSM's mode lives here too, with its FIPS level as a one-line badge.
//! Every answer, reason and source is the core's (`keywrap_core::access`).

use keywrap_core::access::{AccessMatrix, AccessRow, Actor, Capability, Source, TenancyMode};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{Dispatch, answer_badge};
use crate::state::Action;

/// What the panel shows.
#[derive(Properties, PartialEq)]
pub struct WhoCanSeeProps {
    /// The selected key's matrix in the shared mode.
    pub shared: Option<AccessMatrix>,
    /// The same key's matrix in the dedicated mode.
    pub dedicated: Option<AccessMatrix>,
    /// The selected key's label.
    pub label: Option<String>,
    /// This HSM's tenancy mode.
    pub tenancy: TenancyMode,
    /// The actor the tables are drawn for.
    pub view_as: Actor,
    /// The reducer.
    pub dispatch: Dispatch,
}

fn mode_id(mode: TenancyMode) -> &'static str {
    match mode {
        TenancyMode::SharedMultiTenant => "tenancy-shared",
        TenancyMode::DedicatedSingleTenant => "tenancy-dedicated",
    }
}

/// The mode in two or three words, for table headings.
pub fn mode_short(mode: TenancyMode) -> &'static str {
    match mode {
        TenancyMode::SharedMultiTenant => "Shared multi-tenant HSM",
        TenancyMode::DedicatedSingleTenant => "Dedicated single-tenant HSM",
    }
}

/// The FIPS badge's one line (the details hold the core's full summary).
fn fips_line(mode: TenancyMode) -> &'static str {
    match mode {
        TenancyMode::SharedMultiTenant => {
            "FIPS 140-3 Level 3 today (AWS KMS); the provider runs the tenant separation"
        }
        TenancyMode::DedicatedSingleTenant => {
            "FIPS 140-3 Level 3 (CloudHSM hsm2m.medium); the provider has no user on it"
        }
    }
}

/// The sources cited, numbered in order of first use.
#[derive(Default)]
struct References(Vec<Source>);

impl References {
    fn number(&mut self, source: Source) -> usize {
        match self.0.iter().position(|s| *s == source) {
            Some(i) => i + 1,
            None => {
                self.0.push(source);
                self.0.len()
            }
        }
    }
}

/// The reason a row gives once: the one most of its cells share (the
/// plaintext cell's on a tie).
fn row_reason(row: &AccessRow) -> (&str, Source) {
    let cells: Vec<_> = Capability::ALL.iter().map(|&c| row.cell(c)).collect();
    let best = cells
        .iter()
        .max_by_key(|v| {
            // Ties keep the first (plaintext) cell: count, then earliness.
            let count = cells.iter().filter(|o| o.reason == v.reason).count();
            let first = cells.iter().position(|o| o.reason == v.reason).unwrap_or(0);
            (count, usize::MAX - first)
        })
        .copied();
    match best {
        Some(v) => (v.reason.as_str(), v.source),
        None => ("", Source::ThisPage),
    }
}

fn same_row(a: &AccessRow, b: &AccessRow) -> bool {
    Capability::ALL.iter().all(|&c| a.cell(c) == b.cell(c))
}

/// One mode's table.
fn mode_table(
    matrix: &AccessMatrix,
    other: Option<&AccessMatrix>,
    current: bool,
    refs: &mut References,
    props: &WhoCanSeeProps,
) -> Html {
    let mode = matrix.mode;
    let rows = matrix.rows.iter().map(|row| {
        let actor = row.actor;
        let other_row = other.and_then(|m| m.rows.iter().find(|r| r.actor == actor));
        let (reason, source) = row_reason(row);
        let same_as_other = other_row.is_some_and(|o| same_row(row, o));
        let reason_html = if !current && same_as_other {
            html! { <p class="reason same">{ "Same answers and reasons as this HSM." }</p> }
        } else {
            let n = refs.number(source);
            html! { <p class="reason">{ reason.to_owned() }<span class="ref">{ format!(" [{n}]") }</span></p> }
        };
        let cells = Capability::ALL.iter().map(|&cap| {
            let v = row.cell(cap);
            let changes = other_row.is_some_and(|r| r.cell(cap).answer != v.answer);
            let own_reason = ((current || !same_as_other) && v.reason != reason).then(|| {
                let n = refs.number(v.source);
                html! { <p class="cell-reason">{ v.reason.clone() }<span class="ref">{ format!(" [{n}]") }</span></p> }
            });
            html! {
                <td class={classes!("cell", changes.then_some("mode-dependent"))}
                    data-actor={actor.label()} data-capability={cap.label()}
                    data-answer={v.answer.label()}>
                    { answer_badge(v.answer) }
                    if changes {
                        <span class="tag"><span aria-hidden="true">{ "⇄ " }</span>{ "differs by mode" }</span>
                    }
                    { for own_reason }
                </td>
            }
        });
        let view = {
            let d = props.dispatch.clone();
            Callback::from(move |_: MouseEvent| d.dispatch(Action::SetViewAs(actor)))
        };
        html! {
            <tr class={classes!((current && props.view_as == actor).then_some("viewing"))}>
                <th scope="row">
                    <span class="actor">{ actor.label() }</span>
                    if current {
                        if props.view_as != actor {
                            <button type="button" class="small link" onclick={view}>
                                { "View as" }<span class="visually-hidden">{ format!(" {}", actor.label().to_lowercase()) }</span>
                            </button>
                        } else {
                            <span class="hint">{ " (the tables show their view)" }</span>
                        }
                    }
                    { reason_html }
                </th>
                { for cells }
            </tr>
        }
    });
    let testid = if current {
        "who-can-see"
    } else {
        "who-can-see-other"
    };
    html! {
        <div class={classes!("mode", current.then_some("current"))}>
            <h3>{ mode_short(mode) }
                if current { <span class="this-hsm">{ " — this HSM" }</span> }</h3>
            <table class="matrix" data-testid={testid} data-mode={mode_id(mode)}>
                <caption class="visually-hidden">{ format!("Who can see key {} — {}", matrix.handle, mode_short(mode)) }</caption>
                <thead><tr>
                    <th scope="col">{ "Who, and why" }</th>
                    { for Capability::ALL.iter().map(|c| html! { <th scope="col">{ c.label() }</th> }) }
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
    }
}

/// The tenancy switch and its FIPS badge.
fn tenancy_switch(props: &WhoCanSeeProps) -> Html {
    let radios = TenancyMode::ALL.iter().map(|&mode| {
        let onchange = {
            let dispatch = props.dispatch.clone();
            Callback::from(move |e: Event| {
                if e.target_unchecked_into::<HtmlInputElement>().checked() {
                    dispatch.dispatch(Action::SetTenancy(mode));
                }
            })
        };
        html! {
            <div class="radio">
                <input type="radio" name="tenancy" id={mode_id(mode)}
                    checked={props.tenancy == mode} {onchange} />
                <label for={mode_id(mode)}>{ mode.label() }</label>
            </div>
        }
    });
    let mode = props.tenancy;
    html! {
        <div class="tenancy-row">
            <fieldset class="tenancy">
                <legend>{ "This HSM's tenancy" }</legend>
                { for radios }
            </fieldset>
            <details class="badge fips-badge">
                <summary>{ fips_line(mode) }</summary>
                <p class="fips" data-testid="fips-summary">{ mode.fips_summary() }</p>
                <p class="source"><span class="muted">{ "Where this comes from: " }</span>{ mode.source().citation() }</p>
            </details>
        </div>
    }
}

/// The who-can-see panel.
#[component]
pub fn WhoCanSee(props: &WhoCanSeeProps) -> Html {
    let (Some(shared), Some(dedicated)) = (&props.shared, &props.dedicated) else {
        return html! {
            <section class="panel access" aria-labelledby="access-title">
                <h2 id="access-title">{ "Who can see a key" }</h2>
                { tenancy_switch(props) }
                <p class="muted">{ "Create a key (or select one): this panel shows who could get its plaintext, a wrapped copy, or use it, in both tenancy modes." }</p>
                <p class="scenario-link"><a href={format!("#{}", super::scenario::SCENARIO_ID)}>{ "How a sensitive key leaks, and how to stop it" }</a></p>
            </section>
        };
    };
    let (current, other) = match props.tenancy {
        TenancyMode::SharedMultiTenant => (shared, dedicated),
        TenancyMode::DedicatedSingleTenant => (dedicated, shared),
    };
    let handle = current.handle;
    let mut refs = References::default();
    let current_table = mode_table(current, Some(other), true, &mut refs, props);
    let other_table = mode_table(other, Some(current), false, &mut refs, props);
    html! {
        <section class="panel access" aria-labelledby="access-title">
            <h2 id="access-title">{ format!("Who can see key {handle}") }
                if let Some(l) = &props.label { <span class="muted">{ format!(" — {l}") }</span> }</h2>
            { tenancy_switch(props) }
            <p class="hint">
                { "● Yes · ○ No · ◐ Possible (within their power, or under the condition given). \
                   ⇄ marks a cell the other mode answers differently. Numbers in brackets are sources, listed below." }
            </p>
            <div class="modes">
                { current_table }
                { other_table }
            </div>
            <p class="scenario-link">
                <a href={format!("#{}", super::scenario::SCENARIO_ID)}>{ "How a sensitive key leaks, and how to stop it" }</a>
                { " — the attack and the defence, step by step." }</p>
            <h3 id="access-sources">{ "Sources" }</h3>
            <ol class="refs" aria-labelledby="access-sources">
                { for refs.0.iter().map(|s| html! { <li>{ s.citation() }</li> }) }
            </ol>
        </section>
    }
}
