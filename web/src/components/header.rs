//! The header: the name, the tenancy switch with the FIPS level each mode
//! stands for and its source, who is logged in, and "View as".

use keywrap_core::access::{Actor, TenancyMode};
use keywrap_core::store::{User, UserType};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::Dispatch;
use crate::state::Action;

/// What the header shows.
#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// The session's tenancy mode.
    pub tenancy: TenancyMode,
    /// The logged-in user, if any.
    pub user: Option<User>,
    /// Whose eyes the tables are drawn with.
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

fn actor_value(actor: Actor) -> &'static str {
    match actor {
        Actor::You => "you",
        Actor::PageHost => "host",
        Actor::OtherTenant => "tenant",
        Actor::Provider => "provider",
        Actor::BlobHolder => "blob",
        Actor::KekHolder => "kek",
    }
}

/// The console's title bar.
#[component]
pub fn Header(props: &HeaderProps) -> Html {
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
    let on_view_as = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(actor) = Actor::ALL.into_iter().find(|a| actor_value(*a) == value) {
                dispatch.dispatch(Action::SetViewAs(actor));
            }
        })
    };
    let who = match &props.user {
        Some(u) => {
            let kind = match u.user_type {
                UserType::CryptoOfficer => "crypto officer",
                UserType::CryptoUser => "crypto user",
            };
            let you = if u.id == keywrap_core::hsm::DEFAULT_USER {
                ", you"
            } else {
                ""
            };
            format!("{} ({kind}{you}, id {})", u.name, u.id)
        }
        None => "nobody — type loginHSM -u CU -s alice -p any".to_owned(),
    };
    let mode = props.tenancy;
    html! {
        <header class="header">
            <div class="brand">
                <h1>{ "Keywrap Console" }</h1>
                <p class="tagline">
                    { "Generate, wrap and unwrap keys with a virtual HSM that lives only in this tab." }
                </p>
                <p class="who" data-testid="logged-in">
                    <span class="muted">{ "Logged in to the HSM: " }</span><strong>{ who }</strong>
                </p>
            </div>
            <fieldset class="tenancy">
                <legend>{ "HSM tenancy" }</legend>
                { for radios }
                <p class="fips" data-testid="fips-summary">{ mode.fips_summary() }</p>
                <p class="source"><span class="muted">{ "Source: " }</span>{ mode.source().citation() }</p>
            </fieldset>
            <div class="view-as">
                <label for="view-as">{ "View as" }</label>
                <select id="view-as" onchange={on_view_as}>
                    { for Actor::ALL.iter().map(|&a| html! {
                        <option value={actor_value(a)} selected={props.view_as == a}>{ a.label() }</option>
                    }) }
                </select>
                <p class="hint">{ "Redraws the key table and the files as that actor would see them." }</p>
            </div>
        </header>
    }
}
