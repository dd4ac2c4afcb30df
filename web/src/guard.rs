//! The same-origin guard: what runs before anything else in the page.
//!
//! Any page that shares the console's origin is, for the browser, the console
//! itself: if it frames the console or opens it with `window.open`, it holds a
//! handle through which it can type commands and read every key the page
//! shows, and its own realm is not under the console's network lock. So the
//! console refuses to start when it is not the top window of its own tab, and
//! when another page opened it and still holds it. It says so on screen, in
//! plain words, before the app mounts: no session exists and no key is ever
//! created.
//!
//! What each check can and cannot stop:
//!
//! - **`window.top !== window`** (framed by anyone, through `<iframe>`,
//!   `<frame>`, `<object>` or `<embed>`). `top` is `[LegacyUnforgeable]`: no
//!   script can redefine it. It stops every framer that lets the console's code
//!   run as shipped, and cross-origin framers entirely (clickjacking). It
//!   cannot stop a *same-origin* parent that rewrites the frame's globals
//!   (`globalThis`, `Object`, the loader) before the wasm boots: same-origin
//!   code can script the frame's document from its first moment. Only the
//!   `frame-ancestors 'none'` response header (`_headers`,
//!   `deploy/nginx.conf`) stops that, in the browser, before any of this
//!   page's code runs; a `<meta>` policy cannot carry `frame-ancestors`.
//! - **`window.opener`** (opened by `window.open` or a link with
//!   `target` and `rel="opener"`). It stops every opener that keeps its handle
//!   and leaves it alone. An opener that used `noopener` (or `noreferrer`) has
//!   no handle to the console, so letting the console run then is right. It
//!   cannot stop a same-origin opener that keeps its handle and sets
//!   `opened.opener = null` (or replaces the property) after the console's
//!   document exists and before the wasm reads it. `Cross-Origin-Opener-Policy:
//!   same-origin` severs every cross-origin opener in the browser, but a
//!   same-origin page served with the same header keeps its handle.
//! - **`document.referrer` is not used.** A referrer from the console's own
//!   origin is what a harmless link leaves (the linking page is gone, or holds
//!   no handle since links open with `noopener`), so refusing on it would turn
//!   honest visitors away, while the one dangerous case (an opener that kept
//!   its handle and nulled `opener`) hides its referrer with one
//!   `<meta name="referrer" content="no-referrer">`.
//!
//! The conclusion, which README's Deploy section states: serve the console on
//! an origin of its own (its own subdomain), never beside other pages.
//!
//! The guard also deletes WebRTC from the page's realm ([`remove_webrtc`]):
//! Content-Security-Policy does not govern `RTCPeerConnection`, whose STUN and
//! TURN traffic (a TURN username can carry any string) would otherwise be the
//! one channel out that the network lock leaves open to a script in this page.

use wasm_bindgen::JsValue;

/// Why the console refuses to start. Each reason carries the sentences the
/// page shows in its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The page is not the top window of its tab: another page frames it.
    Framed,
    /// Another page opened this window and still holds a handle to it.
    Opened,
    /// A WebRTC interface could not be deleted from the page's realm.
    WebRtcRemains,
}

impl Refusal {
    /// The heading of the refusal: what the page will not do.
    pub fn title(self) -> &'static str {
        match self {
            Refusal::Framed => "Keywrap Console will not run inside another page.",
            Refusal::Opened => "Keywrap Console will not run in a window another page opened.",
            Refusal::WebRtcRemains => {
                "Keywrap Console will not run: it could not switch off WebRTC."
            }
        }
    }

    /// Why, and what to do instead, in plain words.
    pub fn explanation(self) -> &'static str {
        match self {
            Refusal::Framed => {
                "This page was loaded inside a frame of another page. A page that frames the \
                 console can type commands into it and read every key it shows, so the console \
                 did not start and no key was created. Open the console's address in a tab of \
                 its own."
            }
            Refusal::Opened => {
                "Another page opened this window and still holds a handle to it. Through that \
                 handle it could type commands here and read every key the console shows, so \
                 the console did not start and no key was created. Close this window and open \
                 the console's address yourself, in a new tab."
            }
            Refusal::WebRtcRemains => {
                "WebRTC can send data past the page's network lock, and this browser did not let \
                 the console remove it, so the console did not start and no key was created. \
                 Try another browser."
            }
        }
    }
}

/// The interfaces [`remove_webrtc`] deletes: every global whose name starts
/// with one of these prefixes (`RTCPeerConnection`, `webkitRTCPeerConnection`,
/// `RTCDataChannel`, `RTCSessionDescription`, `RTCIceCandidate`,
/// `RTCRtpSender`, … whatever this browser exposes).
pub const WEBRTC_PREFIXES: [&str; 2] = ["RTC", "webkitRTC"];

/// Checks where the page runs. `Ok` when it is the top window of its tab and
/// no page holds it as an opener.
pub fn check(window: &web_sys::Window) -> Result<(), Refusal> {
    let own: &JsValue = window.as_ref();
    // `top` is unforgeable; comparing with `===` (JsValue's PartialEq) needs no
    // global such as `Object.is` that a script could have replaced.
    match window.top() {
        Ok(Some(top)) if AsRef::<JsValue>::as_ref(&top) == own => {}
        // A missing or unreadable `top` means no ordinary top-level window.
        _ => return Err(Refusal::Framed),
    }
    match window.opener() {
        Ok(opener) if opener.is_null() || opener.is_undefined() => Ok(()),
        _ => Err(Refusal::Opened),
    }
}

/// Deletes every WebRTC interface from the page's realm; returns their names.
///
/// Defence in depth: after this, code in this page cannot construct an
/// `RTCPeerConnection` from its own globals. It does not stop a script that
/// finds another realm of the same origin: a new `about:blank` frame or
/// window (its realm has a fresh `RTCPeerConnection`), or another page of the
/// origin. Only the page's own code runs here (no user text becomes HTML or a
/// URL), and a dedicated origin leaves no other page to borrow from.
pub fn remove_webrtc(window: &web_sys::Window) -> Result<Vec<String>, Refusal> {
    let global: &js_sys::Object = window.as_ref();
    let names = js_sys::Object::get_own_property_names(global);
    let mut removed = Vec::new();
    for name in names.iter().filter_map(|n| n.as_string()) {
        if !WEBRTC_PREFIXES.iter().any(|p| name.starts_with(p)) {
            continue;
        }
        let key = JsValue::from_str(&name);
        let deleted = js_sys::Reflect::delete_property(global, &key).unwrap_or(false);
        if !deleted || js_sys::Reflect::has(global, &key).unwrap_or(true) {
            return Err(Refusal::WebRtcRemains);
        }
        removed.push(name);
    }
    Ok(removed)
}

/// Whether the page's realm still has an `RTCPeerConnection` (the banner
/// reports it).
pub fn webrtc_present() -> bool {
    web_sys::window().is_none_or(|w| {
        let global: &js_sys::Object = w.as_ref();
        ["RTCPeerConnection", "webkitRTCPeerConnection"]
            .iter()
            .any(|n| js_sys::Reflect::has(global, &JsValue::from_str(n)).unwrap_or(true))
    })
}

/// Runs the checks, then removes WebRTC. On a refusal it replaces the body
/// with the reason and returns it: the caller must not mount the app.
pub fn enforce() -> Result<(), Refusal> {
    let Some(window) = web_sys::window() else {
        return Err(Refusal::Framed);
    };
    let verdict = check(&window).and_then(|()| remove_webrtc(&window).map(drop));
    if let Err(refusal) = verdict {
        show_refusal(&window, refusal);
    }
    verdict
}

/// Replaces the body's content with the refusal (text nodes only).
fn show_refusal(window: &web_sys::Window, refusal: Refusal) {
    let Some(document) = window.document() else {
        return;
    };
    let Some(body) = document.body() else {
        return;
    };
    body.set_text_content(None);
    let build = || -> Result<(), JsValue> {
        let section = document.create_element("section")?;
        section.set_class_name("banner unlocked refusal");
        section.set_attribute("role", "alert")?;
        section.set_attribute("data-testid", "refusal")?;
        let heading = document.create_element("h1")?;
        heading.set_text_content(Some(refusal.title()));
        let text = document.create_element("p")?;
        text.set_text_content(Some(refusal.explanation()));
        section.append_child(&heading)?;
        section.append_child(&text)?;
        body.append_child(&section)?;
        Ok(())
    };
    if build().is_err() {
        body.set_text_content(Some(&format!(
            "{} {}",
            refusal.title(),
            refusal.explanation()
        )));
    }
}
