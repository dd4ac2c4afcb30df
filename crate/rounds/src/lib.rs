//! # keywrap-rounds
//!
//! The hot path of Keywrap Console's wrap engine, and nothing else: the AES
//! key schedule of a key-encryption key ([`KekCipher`]) and the wrapping
//! function W and its inverse W⁻¹ of RFC 3394 §2.2.1–2.2.2 (NIST SP 800-38F
//! §6.1, algorithms 1 and 2) over buffers laid out as
//! `A | R[1] | … | R[n]`.
//!
//! **Why a crate of its own.** The `aes` crate's software AES is generic
//! code, compiled into whichever crate instantiates it. The release build
//! compiles the page for size (`opt-level = "z"`), but AES and the rounds
//! are where the time goes; a per-package `opt-level = 3` on this crate (see
//! the workspace's `[profile.release.package.keywrap-rounds]`) reaches them
//! alone, not the console language and the store around them. Every entry
//! point here is therefore a plain, non-generic function: it is compiled
//! here, at this crate's optimisation level, whoever calls it.
//!
//! Padding, lengths, the integrity check and the errors live in
//! `keywrap-core` (`wrap` module), which re-exports what users need; this
//! crate only moves blocks. Its functions never panic: a buffer whose length
//! is not `8(n + 1)` with `n ≥ 1` is left as it is (the core never passes
//! one).
//!
//! Three ways to run the rounds:
//! - one key: [`KekCipher::w`] / [`KekCipher::w_inverse`] (and the traced
//!   variants that record every [`Step`]);
//! - many keys under one KEK, **interleaved**: [`KekCipher::w_many`] /
//!   [`KekCipher::w_inverse_many`]. Step `t` of W is one AES block per key,
//!   and different keys' blocks are independent, so they go through the
//!   cipher's parallel-block interface together (`encrypt_par_blocks`:
//!   4 blocks per call in the bitsliced software AES on wasm32 and 64-bit
//!   targets, whose 64-bit words hold 4 blocks; 8 with AES-NI);
//! - a few steps at a time: [`KekCipher::w_steps`] /
//!   [`KekCipher::w_inverse_steps`], so a caller can spread a large key's
//!   `6n` steps over several calls (animation frames) and stop in between.
//!
//! All three give byte for byte the same result (tested in `keywrap-core`
//! against RustCrypto's `aes-kw`).
//!
//! In the page, a single key's chain runs on [`vperm`]: a constant-time AES
//! over WebAssembly SIMD128 (the vector-permute technique), a block per
//! register pass instead of the fixslice's four-blocks-for-one; natively
//! the `aes` crate runs everything ([`KekCipher::SINGLE_CHAIN_AES`] says
//! which, [`vperm`] says why it is constant time).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod cipher;
pub mod vperm;
mod w;

pub use cipher::KekCipher;
pub use w::Step;

/// The size of a semiblock (half an AES block) in bytes.
pub const SEMIBLOCK_LEN: usize = 8;

/// The number of steps of W (or W⁻¹) for a buffer of `len` bytes
/// (`A | R[1] | … | R[n]`): `6n`, or 0 when `len` is not `8(n + 1)` with
/// `n ≥ 2`. (KWP's one-semiblock case is a single AES block, not W.)
pub fn w_step_count(len: usize) -> usize {
    match semiblocks(len) {
        Some(n) if n >= 2 => 6 * n,
        _ => 0,
    }
}

/// `n` for a buffer of `8(n + 1)` bytes.
fn semiblocks(len: usize) -> Option<usize> {
    if len.is_multiple_of(SEMIBLOCK_LEN) && len >= 2 * SEMIBLOCK_LEN {
        Some(len / SEMIBLOCK_LEN - 1)
    } else {
        None
    }
}
