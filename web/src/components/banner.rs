//! The page's own promise, in exact words: what its network lock blocks and
//! what no policy can block, and a live count of the requests made since its
//! static files loaded (which stays 0).
//!
//! The count comes from a `PerformanceObserver` on `resource` entries started
//! when the app mounts (right after the network lock), and the blocked
//! attempts from `securitypolicyviolation` events. Both run in an effect and
//! are torn down when the banner unmounts.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use super::Dispatch;
use crate::state::{Action, NetworkCount, StatusLine};

/// What the banner shows.
#[derive(Properties, PartialEq)]
pub struct BannerProps {
    /// Requests and blocked attempts since boot.
    pub network: NetworkCount,
    /// The last message about a copy, download or upload.
    pub status: Option<StatusLine>,
    /// The reducer.
    pub dispatch: Dispatch,
}

/// Keeps the observer and the listener alive; dropping it stops both.
struct Watch {
    observer: Option<web_sys::PerformanceObserver>,
    _callback: Option<Closure<dyn FnMut(web_sys::PerformanceObserverEntryList)>>,
    _violations: Option<gloo::events::EventListener>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        if let Some(observer) = &self.observer {
            observer.disconnect();
        }
    }
}

fn watch_network(dispatch: Dispatch) -> Watch {
    let counts = Rc::new(Cell::new(NetworkCount::default()));
    let report = {
        let counts = Rc::clone(&counts);
        move |update: &dyn Fn(&mut NetworkCount)| {
            let mut c = counts.get();
            update(&mut c);
            counts.set(c);
            dispatch.dispatch(Action::Network(c));
        }
    };
    let report = Rc::new(report);

    let callback = {
        let report = Rc::clone(&report);
        Closure::<dyn FnMut(web_sys::PerformanceObserverEntryList)>::new(
            move |list: web_sys::PerformanceObserverEntryList| {
                let n = list.get_entries().length();
                if n > 0 {
                    report(&|c| c.requests = c.requests.saturating_add(n));
                }
            },
        )
    };
    let observer = web_sys::PerformanceObserver::new(callback.as_ref().unchecked_ref()).ok();
    if let Some(observer) = &observer {
        // Only entries from now on: the page's own files loaded before the lock.
        let types = js_sys::Array::of1(&"resource".into());
        observer.observe(&web_sys::PerformanceObserverInit::new(&types));
    }
    let violations = web_sys::window()
        .and_then(|w| w.document())
        .map(|document| {
            let report = Rc::clone(&report);
            gloo::events::EventListener::new(&document, "securitypolicyviolation", move |_| {
                report(&|c| c.blocked = c.blocked.saturating_add(1));
            })
        });
    let observing = observer.is_some();
    report(&|c| c.observing = observing);
    Watch {
        observer,
        _callback: Some(callback),
        _violations: violations,
    }
}

/// How the policy came to be, before the policy's name: added after boot
/// (`dist/`).
pub const LOCK_ADDED: &str =
    "Once its own files had loaded, it added a Content-Security-Policy of ";

/// The same for the single-file build, sealed from its first byte.
pub const LOCK_SEALED: &str = "It started under a Content-Security-Policy of ";

/// What the lock blocks: one sentence (README and ARCHITECTURE.md say the same).
pub const LOCK_BLOCKS: &str = ", which blocks every request the page itself makes: subresources \
(scripts, styles, images, fonts, media, frames), connections (fetch, WebSocket, EventSource), \
beacons, workers and form submissions, to any server, the one it came from included.";

/// What no policy can block, when WebRTC was removed at boot: one sentence.
pub const LOCK_CANNOT: &str = "No policy can block a navigation of the whole tab (a link, \
location, window.open) or WebRTC, so the page removed WebRTC when it started, and its own code \
never navigates.";

/// The same sentence when this page's realm still has WebRTC.
pub const LOCK_CANNOT_WEBRTC_PRESENT: &str = "No policy can block a navigation of the whole \
tab (a link, location, window.open) or WebRTC, and WebRTC is still present in this page: its own \
code uses neither, but do not trust it with keys.";

/// A padlock drawn inline (the page may load no image and no font).
pub(super) fn lock_icon() -> Html {
    html! {
        <svg class="icon lock" viewBox="0 0 24 24" aria-hidden="true">
            <rect x="5" y="11" width="14" height="10" rx="2" />
            <path d="M8 11V7a4 4 0 0 1 8 0v4" />
        </svg>
    }
}

/// The promise banner and the page's status line.
#[component]
pub fn Banner(props: &BannerProps) -> Html {
    {
        let dispatch = props.dispatch.clone();
        use_effect_with((), move |_| {
            let watch = watch_network(dispatch);
            move || drop(watch)
        });
    }
    let locked = crate::csp::is_locked();
    let sealed = crate::csp::boot_is_sealed();
    let webrtc = crate::guard::webrtc_present();
    let n = props.network;
    let requests = if n.observing {
        n.requests.to_string()
    } else {
        "unknown (this browser has no PerformanceObserver)".to_owned()
    };
    html! {
        <section class={classes!("banner", (!locked).then_some("unlocked"))} aria-label="The page's promise">
            <p class="promise">
                if locked { { lock_icon() } } else { <span class="lock" aria-hidden="true">{ "⚠" }</span> }
                if locked {
                    <strong>{ "This page has locked itself out of the network." }</strong>
                    { " " }{ if sealed { LOCK_SEALED } else { LOCK_ADDED } }
                    <code>{ "default-src 'none'" }</code>
                    { LOCK_BLOCKS }
                    { " " }{ if webrtc { LOCK_CANNOT_WEBRTC_PRESENT } else { LOCK_CANNOT } }
                    { " Your keys stay in this tab." }
                } else {
                    <strong>{ "The network lock is missing: do not trust this page with keys." }</strong>
                }
            </p>
            <p class="counter">
                { "Network requests since the page's files loaded: " }
                <strong class="network-count" data-testid="network-count">{ requests }</strong>
                <span class="muted">{ " (as the browser's PerformanceObserver reports them)" }</span>
                { " · Attempts the policy blocked: " }
                <strong data-testid="blocked-count">{ n.blocked }</strong>
                <span class="muted">{ " (a blocked attempt may show in both counts; it never leaves the page)" }</span>
            </p>
            <p class={classes!("status", props.status.as_ref().map(|s| if s.ok { "ok" } else { "bad" }))}
               role="status" aria-live="polite">
                { props.status.as_ref().map(|s| s.text.clone()).unwrap_or_default() }
            </p>
        </section>
    }
}
