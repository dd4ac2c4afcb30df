//! The in-browser benchmark page.
//!
//! Exports timing loops over `keywrap-core` to JavaScript (trunk's loader puts
//! them on `window.wasmBindings`); `tests/e2e/bench/browser_bench.mjs` calls
//! them beside WebCrypto's AES-KW in the same page and prints the figures.
//! Each loop returns elapsed milliseconds measured with `performance.now()`.
//! The data is random test data, never a user's key.
#![forbid(unsafe_code)]

use keywrap_core::hsm::{OsRandom, Session};
use keywrap_core::wrap::{Progress, WrapJob, unwrap_many, wrap_many};
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

/// `count` keys of `key_len` bytes (a fixed pattern per key), wrapped with
/// RFC 3394 KW under `kek` in one `wrap_many` call and then one by one with
/// `wrap`; checks that both give the same blobs. Returns
/// `[batch_ms, one_by_one_ms]`.
#[wasm_bindgen]
pub fn kw_wrap_many_bench(
    kek_bytes: &[u8],
    key_len: usize,
    count: u32,
) -> Result<Vec<f64>, JsError> {
    let kek = kek(kek_bytes)?;
    let keys: Vec<Vec<u8>> = (0..count)
        .map(|k| {
            (0..key_len)
                .map(|i| {
                    let i = u32::try_from(i).unwrap_or(0);
                    k.wrapping_mul(31).wrapping_add(i).to_le_bytes()[0]
                })
                .collect()
        })
        .collect();
    let start = now_ms()?;
    let batch = wrap_many(&kek, Mechanism::Kw, None, &keys);
    let mid = now_ms()?;
    let mut single = Vec::with_capacity(keys.len());
    for key in &keys {
        single.push(wrap(&kek, Mechanism::Kw, None, key));
    }
    let end = now_ms()?;
    if batch != single || batch.iter().any(Result::is_err) {
        return Err(JsError::new("wrap_many and wrap disagree"));
    }
    Ok(vec![mid - start, end - mid])
}

/// Unwraps `count` copies of `blob` in one `unwrap_many` call and then one
/// by one; returns `[batch_ms, one_by_one_ms]`.
#[wasm_bindgen]
pub fn kw_unwrap_many_bench(
    kek_bytes: &[u8],
    blob: &[u8],
    count: u32,
) -> Result<Vec<f64>, JsError> {
    let kek = kek(kek_bytes)?;
    let blobs: Vec<&[u8]> = (0..count).map(|_| blob).collect();
    let start = now_ms()?;
    let batch = unwrap_many(&kek, Mechanism::Kw, None, &blobs);
    let mid = now_ms()?;
    let mut single = Vec::with_capacity(blobs.len());
    for b in &blobs {
        single.push(unwrap(&kek, Mechanism::Kw, None, b));
    }
    let end = now_ms()?;
    if batch != single || batch.iter().any(Result::is_err) {
        return Err(JsError::new("unwrap_many and unwrap disagree"));
    }
    Ok(vec![mid - start, end - mid])
}

/// KWP-wraps `size` bytes with a `WrapJob` in slices of `slice_steps`
/// steps, as a page would across animation frames (without yielding: this
/// measures the slices). Checks the result against `wrap`. Returns
/// `[total_ms, slices, longest_slice_ms]`.
#[wasm_bindgen]
pub fn kwp_sliced_bench(
    kek_bytes: &[u8],
    size: usize,
    slice_steps: usize,
) -> Result<Vec<f64>, JsError> {
    let kek = kek(kek_bytes)?;
    let data = vec![0x5a_u8; size];
    let mut job = WrapJob::new(&kek, Mechanism::Kwp, None, &data)
        .map_err(|e| JsError::new(&e.to_string()))?;
    let start = now_ms()?;
    let mut slices = 0u32;
    let mut longest: f64 = 0.0;
    loop {
        let t = now_ms()?;
        let progress = job.run(slice_steps);
        longest = longest.max(now_ms()? - t);
        slices += 1;
        if progress == Progress::Done {
            break;
        }
    }
    let blob = job.finish();
    let total = now_ms()? - start;
    if Ok(blob) != wrap(&kek, Mechanism::Kwp, None, &data) {
        return Err(JsError::new("the sliced KWP wrap and wrap disagree"));
    }
    Ok(vec![total, f64::from(slices), longest])
}

/// The page's AES itself, for reading the other figures: `iterations` AES-256
/// encryptions of one block at a time with the `aes` crate's fixslice (the
/// chain one key's W was before the vector-permute AES), then of four
/// blocks per call (what `wrap_many` gives the fixslice), then one block at
/// a time with the vector-permute AES over SIMD128 that the W rounds now use
/// for one key (encryption, then decryption). Returns
/// `[ns_fixslice_single, ns_fixslice_each_in_fours, ns_vperm_encrypt, ns_vperm_decrypt]`.
#[wasm_bindgen]
pub fn aes_block_bench(iterations: u32) -> Result<Vec<f64>, JsError> {
    use aes::cipher::{BlockCipherEncrypt, KeyInit};
    let cipher =
        aes::Aes256::new_from_slice(&[0x42; 32]).map_err(|e| JsError::new(&e.to_string()))?;
    let mut block = aes::Block::default();
    let start = now_ms()?;
    for _ in 0..iterations {
        cipher.encrypt_block(&mut block);
    }
    let mid = now_ms()?;
    let mut four = [aes::Block::default(); 4];
    for _ in 0..iterations / 4 {
        cipher.encrypt_blocks(&mut four);
    }
    let end = now_ms()?;
    std::hint::black_box((block, four));
    let vperm = keywrap_rounds::vperm::Schedule::new(&[0x42; 32])
        .ok_or_else(|| JsError::new("AES-256 key refused"))?;
    let enc = vperm.encryptor();
    let mut b = [0u8; 16];
    let t0 = now_ms()?;
    for _ in 0..iterations {
        enc.encrypt(&mut b);
    }
    let t1 = now_ms()?;
    let dec = vperm.decryptor();
    for _ in 0..iterations {
        dec.decrypt(&mut b);
    }
    let t2 = now_ms()?;
    std::hint::black_box(b);
    let n = f64::from(iterations.max(1));
    Ok(vec![
        (mid - start) * 1e6 / n,
        (end - mid) * 1e6 / n,
        (t1 - t0) * 1e6 / n,
        (t2 - t1) * 1e6 / n,
    ])
}

/// The many-key W rounds alone over `count` buffers of 40 bytes (a 256-bit
/// key under its IV) and an AES-256 KEK: `KekCipher::w_many` (the `aes`
/// crate's fixslice, four keys per pass) beside the vector-permute AES one
/// key after the other (the measurement behind keeping the fixslice for
/// batches). Checks that both agree. Returns `[fixslice_many_ms, vperm_one_by_one_ms]`.
#[wasm_bindgen]
pub fn rounds_many_bench(count: u32) -> Result<Vec<f64>, JsError> {
    let key = [0x42; 32];
    let fixslice =
        keywrap_rounds::KekCipher::new(&key).ok_or_else(|| JsError::new("key refused"))?;
    let vperm =
        keywrap_rounds::vperm::Schedule::new(&key).ok_or_else(|| JsError::new("key refused"))?;
    let make = || -> Vec<Vec<u8>> {
        (0..count)
            .map(|k| {
                let mut b = vec![0xa6; 40];
                for (x, y) in b.iter_mut().skip(8).zip(k.to_le_bytes().iter().cycle()) {
                    *x = *y;
                }
                b
            })
            .collect()
    };
    let mut a = make();
    let mut b = make();
    let t0 = now_ms()?;
    let mut refs: Vec<&mut [u8]> = a.iter_mut().map(|x| x.as_mut_slice()).collect();
    fixslice.w_many(&mut refs);
    let t1 = now_ms()?;
    for buf in b.iter_mut() {
        vperm.w(buf);
    }
    let t2 = now_ms()?;
    if a != b {
        return Err(JsError::new("fixslice and vperm many-key rounds disagree"));
    }
    Ok(vec![t1 - t0, t2 - t1])
}

fn main() {}
