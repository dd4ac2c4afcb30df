//! Who can see the selected key: actor × {plaintext, wrapped blob, use},
//! each cell with its answer, reason and source — all from the core's
//! access model (`keywrap_core::access`), in the session's tenancy mode.
//! Cells the other tenancy mode answers differently are marked.

use keywrap_core::access::{AccessMatrix, Actor, Capability, TenancyMode};
use yew::prelude::*;

use super::{Dispatch, answer_badge};
use crate::state::Action;

/// What the matrix shows.
#[derive(Properties, PartialEq)]
pub struct WhoCanSeeProps {
    /// The matrix of the selected key in the current mode.
    pub matrix: Option<AccessMatrix>,
    /// The same key's matrix in the other mode (to mark what switching changes).
    pub other_matrix: Option<AccessMatrix>,
    /// The selected key's label.
    pub label: Option<String>,
    /// The current tenancy mode.
    pub tenancy: TenancyMode,
    /// The actor the tables are drawn for.
    pub view_as: Actor,
    /// The reducer.
    pub dispatch: Dispatch,
}

/// The who-can-see panel.
#[component]
pub fn WhoCanSee(props: &WhoCanSeeProps) -> Html {
    let Some(matrix) = &props.matrix else {
        return html! {
            <section class="panel access" aria-labelledby="access-title">
                <h2 id="access-title">{ "Who can see a key" }</h2>
                <p class="muted">{ "Create a key (or select one): this panel shows who could get its plaintext, a wrapped copy, or use it." }</p>
            </section>
        };
    };
    let handle = matrix.handle;
    let other = props.other_matrix.as_ref();
    let rows = matrix.rows.iter().map(|row| {
        let actor = row.actor;
        let view = {
            let d = props.dispatch.clone();
            Callback::from(move |_: MouseEvent| d.dispatch(Action::SetViewAs(actor)))
        };
        let cells = Capability::ALL.iter().map(|&cap| {
            let v = row.cell(cap);
            let changes = other
                .and_then(|m| m.rows.iter().find(|r| r.actor == actor))
                .is_some_and(|r| r.cell(cap) != v);
            let answer_changes = other
                .and_then(|m| m.rows.iter().find(|r| r.actor == actor))
                .is_some_and(|r| r.cell(cap).answer != v.answer);
            html! {
                <td class={classes!("cell", answer_changes.then_some("mode-dependent"))}
                    data-actor={actor.label()} data-capability={cap.label()}
                    data-answer={v.answer.label()}>
                    { answer_badge(v.answer) }
                    if answer_changes {
                        <span class="tag" title="The other tenancy mode answers this cell differently">
                            <span aria-hidden="true">{ "⇄ " }</span>{ "depends on tenancy" }</span>
                    } else if changes {
                        <span class="tag subtle" title="The other tenancy mode gives another reason">
                            <span aria-hidden="true">{ "⇄ " }</span>{ "reason depends on tenancy" }</span>
                    }
                    <p class="reason">{ v.reason.clone() }</p>
                    <details class="source">
                        <summary>{ "Source" }</summary>
                        <p>{ v.source.citation() }</p>
                    </details>
                </td>
            }
        });
        html! {
            <tr class={classes!((props.view_as == actor).then_some("viewing"))}>
                <th scope="row">
                    { actor.label() }
                    if props.view_as != actor {
                        <button type="button" class="small link" onclick={view}
                            aria-label={format!("Draw the tables as {}", actor.label().to_lowercase())}>
                            { "see as them" }</button>
                    } else {
                        <span class="hint">{ " — the tables show their view" }</span>
                    }
                </th>
                { for cells }
            </tr>
        }
    });
    html! {
        <section class="panel access" aria-labelledby="access-title">
            <h2 id="access-title">{ format!("Who can see key {handle}") }
                if let Some(l) = &props.label { <span class="muted">{ format!(" — {l}") }</span> }</h2>
            <p class="hint">
                { format!("In the mode \"{}\". Cells marked ⇄ change when you switch tenancy in the header. \
                           ● Yes · ○ No · ◐ Possible (within their power, or under the condition given).",
                           props.tenancy.label()) }
            </p>
            <div class="table-scroll">
                <table class="matrix" data-testid="who-can-see">
                    <caption class="visually-hidden">{ format!("Who can see key {handle}") }</caption>
                    <thead><tr>
                        <th scope="col">{ "Who" }</th>
                        { for Capability::ALL.iter().map(|c| html! { <th scope="col">{ c.label() }</th> }) }
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            </div>
        </section>
    }
}
