//! The key table: every key you can see, as metadata (handle, label, type,
//! size, KCV, owner, flags), sortable and filterable by label; a deliberate
//! "Reveal" only on keys whose value the core would show (else the reason).
//! Under "View as", the same keys as another actor would see them, from the
//! core's access model; a label is redacted for an actor who can get
//! nothing of the key. "Wrap all selected keys": a box per row (and one for
//! every key the filter shows), a wrapping key, a mechanism and a file name
//! prefix; one button runs the console's bulk wrap extension on them.

use std::cmp::Ordering;
use std::rc::Rc;

use keywrap_core::Mechanism;
use keywrap_core::access::{Actor, Answer, TenancyMode};
use keywrap_core::hsm::{ActorView, KeyView};
use keywrap_core::store::{KeyHandle, KeyType};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::{Dispatch, verdict_short};
use crate::state::{Action, BulkField, KeysState, SortColumn};

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

/// `256 bits` (AES), `2048 bits, public` (RSA: the modulus, and which half
/// of the pair), or `20 bytes` (a generic secret).
pub fn size_text(key: &KeyView) -> String {
    use keywrap_core::store::{KeyClass, KeyType};
    let bytes = key.attributes.value_len;
    let bits = u64::from(bytes) * 8;
    match (key.attributes.key_type, key.attributes.class) {
        (KeyType::Aes, _) => format!("{bits} bits"),
        (KeyType::Rsa, KeyClass::Public) => format!("{bits} bits, public"),
        (KeyType::Rsa, KeyClass::Private) => format!("{bits} bits, private"),
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

    // The keys the filter shows you: what "select all" ticks.
    let shown: Vec<KeyHandle> = props
        .keys
        .iter()
        .filter(|k| matches(k.label()))
        .map(|k| k.handle)
        .collect();
    let check_box = |handle: KeyHandle| {
        let dispatch = props.dispatch.clone();
        let onchange = Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            dispatch.dispatch(Action::CheckKeys(vec![handle], on));
        });
        html! {
            <input type="checkbox" checked={ks.checked.contains(&handle)} {onchange}
                aria-label={format!("Select key {handle} to wrap")} />
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
                    <td colspan="9">{ "No keys yet. Try " }<code>{ "genSymKey -t 31 -s 32 -l kek" }</code></td>
                </tr>
            }
        } else if rows.is_empty() {
            html! { <tr class="empty"><td colspan="9">{ "No key's label matches the filter." }</td></tr> }
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
                        <td class="check">{ check_box(handle) }</td>
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
        let all_checked = !shown.is_empty() && shown.iter().all(|h| ks.checked.contains(h));
        let on_all = {
            let dispatch = props.dispatch.clone();
            let shown = shown.clone();
            Callback::from(move |e: Event| {
                let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                dispatch.dispatch(Action::CheckKeys(shown.clone(), on));
            })
        };
        html! {
            <tr>
                <th scope="col" class="check">
                    <span class="visually-hidden">{ "Wrap" }</span>
                    <input type="checkbox" checked={all_checked} onchange={on_all}
                        disabled={shown.is_empty()}
                        aria-label="Select every key the filter shows, to wrap" />
                </th>
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
            if ks.view_as == Actor::You {
                { bulk_form(&props.keys, ks, &props.dispatch) }
            }
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

/// The value of a mechanism's `<option>`: its KMU number.
fn mechanism_of(value: &str) -> Option<Mechanism> {
    value
        .parse::<u8>()
        .ok()
        .and_then(Mechanism::from_kmu_number)
}

/// "Wrap all selected keys": the wrapping key (AES keys with WRAP you can
/// use), the mechanism, the file name prefix, and the button. What it runs
/// is the console's bulk wrap extension, so every rule is the core's.
fn bulk_form(keys: &[KeyView], ks: &KeysState, dispatch: &Dispatch) -> Html {
    let form = &ks.bulk;
    let count = ks.checked.len();
    let wrappers: Vec<&KeyView> = keys
        .iter()
        .filter(|k| k.attributes.wrap && k.attributes.key_type == KeyType::Aes)
        .collect();
    let on_wrapping = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            let handle = value.parse::<KeyHandle>().ok();
            dispatch.dispatch(Action::Bulk(BulkField::Wrapping(handle)));
        })
    };
    let on_mechanism = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(m) = mechanism_of(&value) {
                dispatch.dispatch(Action::Bulk(BulkField::Mechanism(m)));
            }
        })
    };
    let on_prefix = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            dispatch.dispatch(Action::Bulk(BulkField::Prefix(value)));
        })
    };
    let onsubmit = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            dispatch.dispatch(Action::WrapChecked);
        })
    };
    let example = ks
        .checked
        .iter()
        .next()
        .map_or_else(|| "7".to_owned(), ToString::to_string);
    let chosen_gone = form
        .wrapping
        .is_some_and(|h| !wrappers.iter().any(|k| k.handle == h));
    html! {
        <form class="bulk-wrap" {onsubmit} aria-labelledby="bulk-title">
            <fieldset>
                <legend id="bulk-title">{ "Wrap all selected keys" }</legend>
                <p class="hint" id="bulk-hint">
                    { format!("{count} key{} selected. ", if count == 1 { "" } else { "s" }) }
                    { "Each is wrapped under one key into a file of its own, in one batch; if the HSM \
                       refuses one, no file is written and the reason names it. This runs " }
                    <code>{ "extWrapAll" }</code>
                    { ", a Keywrap Console extension (not part of key_mgmt_util), shown in the terminal." }
                </p>
                <div class="field inline-fields">
                    <div class="field">
                        <label for="bulk-wrapping">{ "Wrap them under key" }</label>
                        <select id="bulk-wrapping" onchange={on_wrapping}>
                            <option value="" selected={form.wrapping.is_none() || chosen_gone}>
                                { if wrappers.is_empty() { "No AES key with wrap yet" } else { "Choose…" } }
                            </option>
                            { for wrappers.iter().map(|k| html! {
                                <option value={k.handle.to_string()} selected={form.wrapping == Some(k.handle)}>
                                    { format!("{} — {} ({})", k.handle, k.label(), size_text(k)) }
                                </option>
                            }) }
                        </select>
                    </div>
                    <div class="field">
                        <label for="bulk-mechanism">{ "With mechanism" }</label>
                        <select id="bulk-mechanism" onchange={on_mechanism}>
                            { for Mechanism::ALL.iter().map(|&m| html! {
                                <option value={m.kmu_number().to_string()} selected={form.mechanism == m}>
                                    { format!("{} — -m {}", m.display_name(), m.kmu_number()) }
                                </option>
                            }) }
                        </select>
                    </div>
                    <div class="field">
                        <label for="bulk-prefix">{ "File name prefix" }</label>
                        <input id="bulk-prefix" type="text" class="mono" spellcheck="false" autocomplete="off"
                            value={form.prefix.clone()} oninput={on_prefix} aria-describedby="bulk-files" />
                    </div>
                </div>
                <p class="hint" id="bulk-files">
                    { format!("Key {example} goes to {}{example}.key, and so on.", form.prefix.trim()) }
                </p>
                <div class="buttons">
                    <button type="submit" aria-describedby="bulk-hint">
                        { format!("Wrap {count} selected key{}", if count == 1 { "" } else { "s" }) }
                    </button>
                </div>
                if let Some(e) = &ks.bulk_error {
                    <p class="error" role="alert" data-testid="bulk-error">
                        <span aria-hidden="true">{ "✖ " }</span>{ e.clone() }
                    </p>
                }
            </fieldset>
        </form>
    }
}
