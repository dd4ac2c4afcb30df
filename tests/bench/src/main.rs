//! The in-browser benchmark page.
//!
//! Exports timing loops over `keywrap-core` to JavaScript (trunk's loader puts
//! them on `window.wasmBindings`); `tests/e2e/bench/browser_bench.mjs` calls
//! them beside WebCrypto's AES-KW in the same page and prints the figures.
//! Each loop returns elapsed milliseconds measured with `performance.now()`.
//! The data is random test data, never a user's key.
#![forbid(unsafe_code)]

use keywrap_core::hsm::{OsRandom, Session};
use keywrap_core::{Kek, Mechanism, unwrap, wrap};
use wasm_bindgen::prelude::*;

fn now_ms() -> Result<f64, JsError> {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .ok_or_else(|| JsError::new("performance.now() is not available"))
}

fn kek(bytes: &[u8]) -> Result<Kek, JsError> {
    Kek::new(bytes).map_err(|e| JsError::new(&e.to_string()))
}

/// Wraps `key` under `kek` `iterations` times with RFC 3394 KW; returns ms.
#[wasm_bindgen]
pub fn kw_wrap_loop(kek_bytes: &[u8], key: &[u8], iterations: u32) -> Result<f64, JsError> {
    let kek = kek(kek_bytes)?;
    let start = now_ms()?;
    for _ in 0..iterations {
        let blob =
            wrap(&kek, Mechanism::Kw, None, key).map_err(|e| JsError::new(&e.to_string()))?;
        std::hint::black_box(blob);
    }
    Ok(now_ms()? - start)
}

/// Unwraps `blob` under `kek` `iterations` times with RFC 3394 KW; returns ms.
#[wasm_bindgen]
pub fn kw_unwrap_loop(kek_bytes: &[u8], blob: &[u8], iterations: u32) -> Result<f64, JsError> {
    let kek = kek(kek_bytes)?;
    let start = now_ms()?;
    for _ in 0..iterations {
        let key =
            unwrap(&kek, Mechanism::Kw, None, blob).map_err(|e| JsError::new(&e.to_string()))?;
        std::hint::black_box(key);
    }
    Ok(now_ms()? - start)
}

/// One RFC 3394 wrap, called from JavaScript per operation (to compare with
/// WebCrypto's per-call cost).
#[wasm_bindgen]
pub fn kw_wrap_once(kek_bytes: &[u8], key: &[u8]) -> Result<Vec<u8>, JsError> {
    wrap(&kek(kek_bytes)?, Mechanism::Kw, None, key).map_err(|e| JsError::new(&e.to_string()))
}

/// KWP-wraps then unwraps `size` bytes of zeros `iterations` times; returns
/// `[wrap_ms, unwrap_ms]`.
#[wasm_bindgen]
pub fn kwp_round_trip(kek_bytes: &[u8], size: usize, iterations: u32) -> Result<Vec<f64>, JsError> {
    let kek = kek(kek_bytes)?;
    let data = vec![0x5a_u8; size];
    let mut wrap_ms = 0.0;
    let mut unwrap_ms = 0.0;
    for _ in 0..iterations {
        let start = now_ms()?;
        let blob =
            wrap(&kek, Mechanism::Kwp, None, &data).map_err(|e| JsError::new(&e.to_string()))?;
        let mid = now_ms()?;
        let back =
            unwrap(&kek, Mechanism::Kwp, None, &blob).map_err(|e| JsError::new(&e.to_string()))?;
        wrap_ms += mid - start;
        unwrap_ms += now_ms()? - mid;
        if back.expose_secret() != data.as_slice() {
            return Err(JsError::new("KWP round trip gave different bytes"));
        }
    }
    Ok(vec![wrap_ms, unwrap_ms])
}

/// Fills a fresh virtual HSM with `keys` AES-256 keys (labels `key-0` …),
/// then runs `findKey -l key-N` `lookups` times for labels spread over the
/// store. Returns `[fill_ms, find_ms_total]`.
#[wasm_bindgen]
pub fn find_key_bench(keys: u32, lookups: u32) -> Result<Vec<f64>, JsError> {
    let mut session = Session::with_key_source(Box::new(OsRandom));
    let start = now_ms()?;
    for i in 0..keys {
        let out = session.run(&format!("genSymKey -t 31 -s 32 -l key-{i}"));
        if !out.return_code.is_success() {
            return Err(JsError::new(&out.output));
        }
    }
    let filled = now_ms()?;
    let step = (keys / lookups.max(1)).max(1);
    for n in 0..lookups {
        let out = session.run(&format!("findKey -l key-{}", (n * step) % keys.max(1)));
        if !out.return_code.is_success() {
            return Err(JsError::new(&out.output));
        }
        std::hint::black_box(out);
    }
    Ok(vec![filled - start, now_ms()? - filled])
}

fn main() {}
