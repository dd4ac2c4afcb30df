//! The page's lock: a second Content-Security-Policy added once the module runs.
//!
//! `index.html` boots under a policy that lets the page fetch its own script,
//! wasm and stylesheet (nothing else). As soon as the wasm module is
//! instantiated, [`lock_network`] appends a `<meta>` policy with
//! `default-src 'none'`. Browsers enforce every policy a page has, so from this
//! moment no fetch, image, style, font, beacon or WebSocket can reach any
//! server, the page's own host included. See ARCHITECTURE.md, "The network lock".

use wasm_bindgen::JsCast;

/// The policy added after boot. Everything a running page could use to send
/// bytes somewhere is `'none'`; `base-uri` and `form-action` are not covered by
/// `default-src`, so they are named too.
pub const LOCKED_POLICY: &str = "default-src 'none'; script-src 'none'; style-src 'none'; \
img-src 'none'; font-src 'none'; connect-src 'none'; media-src 'none'; object-src 'none'; \
frame-src 'none'; worker-src 'none'; manifest-src 'none'; base-uri 'none'; form-action 'none'";

/// Why the lock could not be installed (the page then refuses to start).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockError(pub &'static str);

/// Appends the locked policy to `<head>`. Idempotent: a second call finds the
/// meta element already there.
pub fn lock_network() -> Result<(), LockError> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(LockError("no document"))?;
    if document
        .query_selector("meta[data-keywrap-lock]")
        .ok()
        .flatten()
        .is_some()
    {
        return Ok(());
    }
    let head = document.head().ok_or(LockError("no <head>"))?;
    let meta = document
        .create_element("meta")
        .map_err(|_| LockError("cannot create <meta>"))?
        .dyn_into::<web_sys::HtmlMetaElement>()
        .map_err(|_| LockError("<meta> is not a meta element"))?;
    meta.set_http_equiv("Content-Security-Policy");
    meta.set_content(LOCKED_POLICY);
    meta.set_attribute("data-keywrap-lock", "")
        .map_err(|_| LockError("cannot mark the lock"))?;
    head.append_child(&meta)
        .map_err(|_| LockError("cannot append the lock to <head>"))?;
    Ok(())
}

/// Whether the lock is in the document.
pub fn is_locked() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector("meta[data-keywrap-lock]").ok().flatten())
        .is_some()
}
