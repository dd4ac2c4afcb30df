//! # keywrap-web
//!
//! Keywrap Console's browser app, built with Yew. It holds one state
//! ([`state::AppState`], driven by [`state::Action`] through `use_reducer`),
//! renders it, and dispatches what the user does. All crypto and policy live in
//! `keywrap-core`; this crate never touches key bytes except to hand them to the
//! core or to show what the core allows to be shown.
#![forbid(unsafe_code)]

pub mod browser;
pub mod byok_state;
pub mod components;
pub mod csp;
pub mod guard;
pub mod state;

pub use components::app::App;

/// Checks where the page runs and removes WebRTC (see [`guard`]), locks the
/// page's network (see [`csp`]) and mounts the app into `<body>`.
///
/// If the guard refuses or the lock cannot be installed the app does not
/// start: the page says why instead of running without its promise.
pub fn start() {
    if guard::enforce().is_err() {
        return;
    }
    match csp::lock_network() {
        Ok(()) => {
            yew::Renderer::<App>::new().render();
        }
        Err(csp::LockError(why)) => {
            if let Some(body) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.body())
            {
                body.set_text_content(Some(&format!(
                    "Keywrap Console did not start: it could not lock the page's network ({why})."
                )));
            }
        }
    }
}

/// Mounts the app into `root` (used by the browser tests). The network lock is
/// installed first, as in [`start`].
pub fn mount(root: web_sys::Element) -> Result<yew::AppHandle<App>, csp::LockError> {
    csp::lock_network()?;
    Ok(yew::Renderer::<App>::with_root(root).render())
}
