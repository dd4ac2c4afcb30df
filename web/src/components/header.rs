//! The header: the name, who is logged in, "View as", and a slot for the
//! page's badges (the network lock). The tenancy switch lives with the
//! who-can-see panel, beside the matrix it changes.

use keywrap_core::access::Actor;
use keywrap_core::store::{User, UserType};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::Dispatch;
use crate::state::Action;

/// What the header shows.
#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// The logged-in user, if any.
    pub user: Option<User>,
    /// Whose eyes the tables are drawn with.
    pub view_as: Actor,
    /// The page's badges, shown under the name.
    #[prop_or_default]
    pub children: Html,
    /// The reducer.
    pub dispatch: Dispatch,
}

fn actor_value(actor: Actor) -> &'static str {
    match actor {
        Actor::You => "you",
        Actor::PageHost => "host",
        Actor::OriginCode => "origin",
        Actor::OtherUser => "user",
        Actor::OtherTenant => "tenant",
        Actor::Provider => "provider",
        Actor::BlobHolder => "blob",
        Actor::KekHolder => "kek",
    }
}

/// The console's title bar.
#[component]
pub fn Header(props: &HeaderProps) -> Html {
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
            <div class="badges">{ props.children.clone() }</div>
            <div class="view-as">
                <label for="view-as">{ "View as" }</label>
                <select id="view-as" onchange={on_view_as} aria-describedby="view-as-hint">
                    { for Actor::ALL.iter().map(|&a| html! {
                        <option value={actor_value(a)} selected={props.view_as == a}>{ a.label() }</option>
                    }) }
                </select>
                <p class="hint" id="view-as-hint">{ "Redraws the key table and the files as that actor would see them." }</p>
            </div>
        </header>
    }
}
