//! The key table: every key you can see, as metadata (handle, label, type,
//! size, KCV, owner, flags), sortable and filterable by label; a deliberate
//! "Reveal" only on keys whose value the core would show (else the reason).
//! Under "View as", the same keys as another actor would see them, from the
//! core's access model; a label is redacted for an actor who can get
//! nothing of the key.

use std::cmp::Ordering;
use std::rc::Rc;

use keywrap_core::access::{Actor, Answer, TenancyMode};
use keywrap_core::hsm::{ActorView, KeyView};
use keywrap_core::store::KeyHandle;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{Dispatch, verdict_short};
use crate::state::{Action, KeysState, SortColumn};

/// What the key table shows.
#[derive(Properties, PartialEq)]
pub struct KeyTableProps {
    /// The keys you can see (owned or shared).
    pub keys: Rc<Vec<KeyView>>,
    /// The page as another actor sees it (when "View as" is not you).
    pub actor_view: Option<Rc<ActorView>>,
    /// The key table's slice: whose eyes, sort, filter, a revealed value.
    pub state: Rc<KeysState>,
    /// The tenancy mode.
    pub tenancy: TenancyMode,
    /// The selected key.
    pub selected: Option<KeyHandle>,
    /// The reducer.
    pub dispatch: Dispatch,
}

fn compare(a: &KeyView, b: &KeyView, column: SortColumn) -> Ordering {
    match column {
        SortColumn::Handle => a.handle.cmp(&b.handle),
        SortColumn::Label => a.label().cmp(b.label()).then(a.handle.cmp(&b.handle)),
        SortColumn::Type => a
            .attributes
            .key_type
            .name()
            .cmp(b.attributes.key_type.name())
            .then(a.handle.cmp(&b.handle)),
        SortColumn::Size => a
            .attributes
            .value_len
            .cmp(&b.attributes.value_len)
            .then(a.handle.cmp(&b.handle)),
        SortColumn::Kcv => a.kcv_hex().cmp(&b.kcv_hex()).then(a.handle.cmp(&b.handle)),
        SortColumn::Owner => a
            .owner_name
            .cmp(&b.owner_name)
            .then(a.handle.cmp(&b.handle)),
    }
}

/// `AES-256` or `GENERIC_SECRET, 20 bytes`.
pub fn size_text(key: &KeyView) -> String {
    let bytes = key.attributes.value_len;
    match key.attributes.key_type {
        keywrap_core::store::KeyType::Aes => format!("{} bits", u64::from(bytes) * 8),
        _ => format!("{bytes} bytes"),
    }
}

fn flag(on: bool, name: &'static str) -> Html {
    let (class, mark) = if on {
        ("flag on", "✔")
    } else {
        ("flag off", "✖")
    };
    html! {
        <li {class}><span aria-hidden="true">{ mark }</span>
            <span class="visually-hidden">{ if on { "set: " } else { "not set: " } }</span>{ name }</li>
    }
}

fn flags(key: &KeyView) -> Html {
    let a = &key.attributes;
    html! {
        <ul class="flags">
            { flag(a.extractable, "extractable") }
            { flag(a.sensitive, "sensitive") }
            { flag(a.wrap, "wrap") }
            { flag(a.unwrap, "unwrap") }
            { flag(a.trusted, "trusted") }
            <li class="flag kind">{ if a.token { "token" } else { "session" } }</li>
        </ul>
    }
}

/// Why the page will not reveal a key's value, or `None` when the core
/// would (the owner's extractable, non-sensitive key: `policy::check_reveal`).
fn reveal_refusal(key: &KeyView) -> Option<&'static str> {
    let a = &key.attributes;
    match key.relation {
        keywrap_core::access::Relation::Owner if !a.extractable => {
            Some("Never shown: not extractable")
        }
        keywrap_core::access::Relation::Owner if a.sensitive => Some("Never shown: sensitive"),
        keywrap_core::access::Relation::Owner => None,
        _ => Some("Never shown: only its owner may see it"),
    }
}

fn owner_text(key: &KeyView) -> String {
    match key.relation {
        keywrap_core::access::Relation::Owner => format!("{} (you)", key.owner_name),
        keywrap_core::access::Relation::SharedWithYou => {
            format!("{} (shared with you)", key.owner_name)
        }
        keywrap_core::access::Relation::None => key.owner_name.clone(),
    }
}

/// The key table.
#[component]
pub fn KeyTable(props: &KeyTableProps) -> Html {
    let reveal_ref = use_node_ref();
    // A revealed value takes focus; it is dropped when focus leaves.
    {
        let reveal_ref = reveal_ref.clone();
        let shown = props.state.revealed.as_ref().map(|r| r.handle);
        use_effect_with(shown, move |shown| {
            if shown.is_some()
                && let Some(el) = reveal_ref.cast::<web_sys::HtmlElement>()
            {
                let _ = el.focus();
            }
        });
    }
    let on_filter = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            dispatch.dispatch(Action::SetFilter(value));
        })
    };
    let ks = &props.state;
    let filter = ks.filter.trim().to_lowercase();
    let matches = |label: &str| filter.is_empty() || label.to_lowercase().contains(&filter);

    let select_button = |handle: KeyHandle| {
        let dispatch = props.dispatch.clone();
        let onclick =
            Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SelectKey(handle)));
        html! {
            <button type="button" class="handle-link" {onclick}
                aria-pressed={(props.selected == Some(handle)).to_string()}
                aria-label={format!("Select key {handle}")}>{ handle.to_string() }</button>
        }
    };

    let body = if ks.view_as == Actor::You {
        let mut rows: Vec<&KeyView> = props.keys.iter().filter(|k| matches(k.label())).collect();
        let (column, ascending) = ks.sort;
        rows.sort_by(|a, b| {
            let o = compare(a, b, column);
            if ascending { o } else { o.reverse() }
        });
        if props.keys.is_empty() {
            html! {
                <tr class="empty">
                    <td colspan="8">{ "No keys yet. Try " }<code>{ "genSymKey -t 31 -s 32 -l kek" }</code></td>
                </tr>
            }
        } else if rows.is_empty() {
            html! { <tr class="empty"><td colspan="8">{ "No key's label matches the filter." }</td></tr> }
        } else {
            html! { { for rows.into_iter().map(|k| {
                let handle = k.handle;
                let value_cell = match &ks.revealed {
                    Some(r) if r.handle == handle => {
                        let onblur = {
                            let dispatch = props.dispatch.clone();
                            Callback::from(move |_: FocusEvent| dispatch.dispatch(Action::HideReveal(handle)))
                        };
                        html! {
                            <code class="revealed" tabindex="0" ref={reveal_ref.clone()} {onblur}
                                aria-label={format!("Value of key {handle} (hidden again when focus leaves)")}
                                data-testid="revealed-value">{ r.hex.as_str() }</code>
                        }
                    }
                    _ if reveal_refusal(k).is_some() => html! {
                        <span class="never">{ reveal_refusal(k).unwrap_or_default() }</span>
                    },
                    _ => {
                        let onclick = {
                            let dispatch = props.dispatch.clone();
                            Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Reveal(handle)))
                        };
                        let error = ks.reveal_error.as_ref().filter(|(h, _)| *h == handle).map(|(_, e)| e.clone());
                        html! {
                            <>
                                <button type="button" class="small" {onclick}
                                    aria-label={format!("Reveal key {handle}")}>{ "Reveal" }</button>
                                if let Some(e) = error {
                                    <p class="error" role="alert"><span aria-hidden="true">{ "✖ " }</span>{ e }</p>
                                }
                            </>
                        }
                    }
                };
                html! {
                    <tr key={handle.get()} class={classes!((props.selected == Some(handle)).then_some("selected"))}>
                        <td>{ select_button(handle) }</td>
                        <td class="label">{ k.label() }</td>
                        <td>{ k.attributes.key_type.name() }</td>
                        <td class="nowrap">{ size_text(k) }</td>
                        <td class="mono">{ k.kcv_hex() }</td>
                        <td>{ owner_text(k) }</td>
                        <td>{ flags(k) }</td>
                        <td class="value">{ value_cell }</td>
                    </tr>
                }
            }) } }
        }
    } else if let Some(view) = &props.actor_view {
        // An actor who can get nothing of a key does not see its label either.
        let sees_nothing = |s: &&keywrap_core::hsm::KeySight| {
            [&s.row.plaintext, &s.row.wrapped_blob, &s.row.use_key]
                .iter()
                .all(|v| v.answer == Answer::No)
        };
        let rows: Vec<_> = view
            .keys
            .iter()
            .filter(|s| sees_nothing(s) || matches(s.key.label()))
            .collect();
        if rows.is_empty() {
            html! { <tr class="empty"><td colspan="8">{ "No keys in this HSM (or none matches the filter)." }</td></tr> }
        } else {
            html! { { for rows.into_iter().map(|sight| {
                let k = &sight.key;
                let hidden = sees_nothing(&sight) || !sight.label_visible;
                let sees = match (sight.row.plaintext.answer, sight.row.wrapped_blob.answer) {
                    (Answer::Yes, _) => "the key's value",
                    (Answer::Possible, _) => "possibly the key's value",
                    (_, Answer::Yes) => "ciphertext only (a wrapped blob)",
                    (_, Answer::Possible) => "possibly a wrapped copy",
                    _ => "nothing",
                };
                html! {
                    <tr key={k.handle.get()} class={classes!((props.selected == Some(k.handle)).then_some("selected"))}>
                        <td>{ select_button(k.handle) }</td>
                        <td class="label">
                            if hidden { <span class="redacted">{ "(label hidden from them)" }</span> } else { { k.label() } }
                        </td>
                        <td>{ k.attributes.key_type.name() }</td>
                        <td>{ size_text(k) }</td>
                        <td>{ verdict_short(&sight.row.plaintext) }</td>
                        <td>{ verdict_short(&sight.row.wrapped_blob) }</td>
                        <td>{ verdict_short(&sight.row.use_key) }</td>
                        <td class="sees">{ sees }</td>
                    </tr>
                }
            }) } }
        }
    } else {
        html! {}
    };

    let header = if ks.view_as == Actor::You {
        let (column, ascending) = ks.sort;
        html! {
            <tr>
                { for SortColumn::ALL.iter().map(|&c| {
                    let dispatch = props.dispatch.clone();
                    let onclick = Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::Sort(c)));
                    let sorted = column == c;
                    let aria_sort = match (sorted, ascending) {
                        (false, _) => "none",
                        (true, true) => "ascending",
                        (true, false) => "descending",
                    };
                    html! {
                        <th scope="col" aria-sort={aria_sort}>
                            <button type="button" class="sort" {onclick}
                                aria-label={format!("Sort by {}", c.title().to_lowercase())}>
                                { c.title() }
                                <span aria-hidden="true">{ match (sorted, ascending) { (false, _) => " ↕", (true, true) => " ▲", (true, false) => " ▼" } }</span>
                            </button>
                        </th>
                    }
                }) }
                <th scope="col">{ "Flags" }</th>
                <th scope="col">{ "Value" }</th>
            </tr>
        }
    } else {
        html! {
            <tr>
                <th scope="col">{ "Handle" }</th>
                <th scope="col">{ "Label" }</th>
                <th scope="col">{ "Type" }</th>
                <th scope="col">{ "Size" }</th>
                <th scope="col">{ "Plaintext" }</th>
                <th scope="col">{ "Wrapped blob" }</th>
                <th scope="col">{ "Use" }</th>
                <th scope="col">{ "They see" }</th>
            </tr>
        }
    };

    let caption = if ks.view_as == Actor::You {
        "Keys you can see on the virtual HSM (metadata only)".to_owned()
    } else {
        format!(
            "Keys as {} would see them ({})",
            ks.view_as.label().to_lowercase(),
            props.tenancy.label()
        )
    };

    html! {
        <section class="panel keys" aria-labelledby="keys-title">
            <div class="panel-head">
                <h2 id="keys-title">{ "Keys" }</h2>
                <span class="filter">
                    <label for="key-filter">{ "Filter by label" }</label>
                    <input id="key-filter" type="search" value={ks.filter.clone()} oninput={on_filter} />
                </span>
            </div>
            if ks.view_as != Actor::You {
                <p class="viewing-as" data-testid="viewing-as">
                    { format!("Viewing as: {}. ", ks.view_as.label()) }
                    { "The who-can-see panel gives the reasons and sources for the selected key." }
                </p>
            }
            <div class="table-scroll" role="region" aria-label="Keys table" tabindex="0">
                <table class="key-table">
                    <caption>{ caption }</caption>
                    <thead>{ header }</thead>
                    <tbody>{ body }</tbody>
                </table>
            </div>
            <p class="hint">
                { "The page never shows the value of a sensitive or non-extractable key. \
                   Reveal asks the core, which allows it only to the key's owner; the value \
                   disappears when focus leaves it. Keys live only in this tab: closing or \
                   reloading it loses them (the page asks first)." }
            </p>
            <details class="flag-help">
                <summary>{ "What the flags mean" }</summary>
                <dl>
                    <dt>{ "extractable" }</dt><dd>{ "OBJ_ATTR_EXTRACTABLE: the key may leave the HSM wrapped." }</dd>
                    <dt>{ "sensitive" }</dt><dd>{ "OBJ_ATTR_SENSITIVE: the value is never shown in the clear." }</dd>
                    <dt>{ "wrap / unwrap" }</dt><dd>{ "OBJ_ATTR_WRAP / OBJ_ATTR_UNWRAP: may wrap other keys, or unwrap keys into the HSM." }</dd>
                    <dt>{ "trusted" }</dt><dd>{ "OBJ_ATTR_TRUSTED: set by the crypto officer only." }</dd>
                    <dt>{ "token / session" }</dt><dd>{ "OBJ_ATTR_TOKEN: a token key persists; a session key vanishes at logout." }</dd>
                </dl>
            </details>
        </section>
    }
}
