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

/// Whether the page's boot policy (the first `<meta>` policy in the document)
/// already lets nothing be fetched: every directive allows only `'none'`,
/// hashes, `'wasm-unsafe-eval'`, or `data:` (which names no server). The
/// single-file build boots so (`scripts/single_file.py`); there the lock added
/// by [`lock_network`] changes nothing and is kept only as a second statement
/// of the same rule (it can forbid nothing the page still needs: its script,
/// style and wasm were all inline and ran before it).
pub fn boot_is_sealed() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector("meta[http-equiv='Content-Security-Policy']:not([data-keywrap-lock])")
                .ok()
                .flatten()
        })
        .and_then(|meta| meta.get_attribute("content"))
        .is_some_and(|policy| policy_is_sealed(&policy))
}

/// The rule behind [`boot_is_sealed`], on a policy's text.
pub fn policy_is_sealed(policy: &str) -> bool {
    let mut has_default_none = false;
    for directive in policy.split(';') {
        let mut words = directive.split_ascii_whitespace();
        let Some(name) = words.next() else {
            continue;
        };
        let sources: Vec<&str> = words.collect();
        if name.eq_ignore_ascii_case("default-src") && sources == ["'none'"] {
            has_default_none = true;
        }
        let names_no_server = sources.iter().all(|s| {
            *s == "'none'"
                || *s == "'wasm-unsafe-eval'"
                || *s == "data:"
                || (s.starts_with("'sha256-") && s.ends_with('\''))
        });
        if !names_no_server {
            return false;
        }
    }
    has_default_none
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_policy_that_names_no_server_is_sealed() {
        // The single-file build's boot policy, and the lock itself.
        let single = "default-src 'none'; script-src 'wasm-unsafe-eval' \
            'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA='; style-src \
            'sha256-BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB='; img-src data:; base-uri 'none'; \
            form-action 'none'";
        assert!(policy_is_sealed(single));
        assert!(policy_is_sealed(LOCKED_POLICY));
        // dist/'s boot policy lets the page fetch from its own host.
        let boot = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-x'; \
            connect-src 'self'; style-src 'self'; img-src data:";
        assert!(!policy_is_sealed(boot));
        assert!(!policy_is_sealed(
            "default-src 'none'; report-uri https://example.org/r"
        ));
        assert!(!policy_is_sealed("default-src 'none'; img-src *"));
        assert!(
            !policy_is_sealed("script-src 'none'"),
            "no default-src 'none'"
        );
        assert!(!policy_is_sealed(""));
    }
}
