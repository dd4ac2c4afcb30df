//! [`KekCipher`]: the expanded AES key of a KEK, and the non-generic entry
//! points that run W and W⁻¹ with it.
//!
//! Which AES runs: natively, the `aes` crate (AES-NI where the CPU has it,
//! fixslice otherwise) for everything. In the page (`wasm32` built with
//! `simd128`), a single key's chain of dependent blocks (W, W⁻¹, their
//! traces and slices, single blocks) goes through [`crate::vperm`], one
//! block per register pass; the interleaved many-key rounds keep the `aes`
//! crate's fixslice, whose four blocks per pass suit independent keys.

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
use aes::Block;
use aes::cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use aes::{Aes128, Aes192, Aes256};

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
use crate::w::{Off, UnwrapRange, WrapRange};
use crate::w::{Step, UnwrapMany, WrapMany};

/// An expanded AES-128, AES-192 or AES-256 key, for key wrap.
///
/// The key schedule is computed once by [`KekCipher::new`] and wiped when
/// the value is dropped (the `aes` crate's `zeroize` support, and
/// [`vperm::Schedule`](crate::vperm::Schedule)'s own); the raw key bytes are
/// not kept. There is no `Clone` and no `Debug`: `keywrap-core`'s `Kek`
/// wraps this type and prints only its size.
pub struct KekCipher {
    aes: AesKey,
    /// The same key for the vector-permute AES (page builds only).
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    vperm: crate::vperm::Schedule,
}

/// The `aes` crate's expanded key, by length.
enum AesKey {
    /// AES-128 (16-byte key).
    Aes128(Aes128),
    /// AES-192 (24-byte key).
    Aes192(Aes192),
    /// AES-256 (32-byte key).
    Aes256(Aes256),
}

/// Runs `$body` with `$c` bound to the concrete AES type.
macro_rules! with_cipher {
    ($self:expr, |$c:ident| $body:expr) => {
        match &$self.aes {
            AesKey::Aes128($c) => $body,
            AesKey::Aes192($c) => $body,
            AesKey::Aes256($c) => $body,
        }
    };
}

impl KekCipher {
    /// Expands a 16-, 24- or 32-byte key; `None` for any other length.
    #[inline(never)]
    pub fn new(key: &[u8]) -> Option<KekCipher> {
        let aes = match key.len() {
            16 => Aes128::new_from_slice(key).ok().map(AesKey::Aes128),
            24 => Aes192::new_from_slice(key).ok().map(AesKey::Aes192),
            32 => Aes256::new_from_slice(key).ok().map(AesKey::Aes256),
            _ => None,
        }?;
        Some(KekCipher {
            aes,
            #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
            vperm: crate::vperm::Schedule::new(key)?,
        })
    }

    /// The key length in bytes: 16, 24 or 32.
    pub fn key_len(&self) -> usize {
        match self.aes {
            AesKey::Aes128(_) => 16,
            AesKey::Aes192(_) => 24,
            AesKey::Aes256(_) => 32,
        }
    }

    /// Which AES runs a single key's chain of blocks in this build:
    /// `"vperm wasm simd128"` in the page, `"aes crate"` elsewhere (the
    /// browser tests check that the page build uses the SIMD code).
    pub const SINGLE_CHAIN_AES: &'static str =
        if cfg!(all(target_arch = "wasm32", target_feature = "simd128")) {
            "vperm wasm simd128"
        } else {
            "aes crate"
        };
}

/// The single-key chains in the page's SIMD build: the vector-permute AES
/// (each method does what its native twin below documents).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
impl KekCipher {
    /// One AES block encryption in place (KWP with one semiblock, KCVs).
    #[inline(never)]
    pub fn encrypt_block(&self, block: &mut [u8; 16]) {
        self.vperm.encrypt_block(block);
    }

    /// One AES block decryption in place (KWP with one semiblock).
    #[inline(never)]
    pub fn decrypt_block(&self, block: &mut [u8; 16]) {
        self.vperm.decrypt_block(block);
    }

    /// W over `buf` = `A | R[1] | … | R[n]` (n ≥ 2).
    #[inline(never)]
    pub fn w(&self, buf: &mut [u8]) {
        self.vperm.w(buf);
    }

    /// W⁻¹ over `buf` = `C[0] | … | C[n]` (n ≥ 2).
    #[inline(never)]
    pub fn w_inverse(&self, buf: &mut [u8]) {
        self.vperm.w_inverse(buf);
    }

    /// W, pushing every step onto `steps`.
    pub fn w_traced(&self, buf: &mut [u8], steps: &mut Vec<Step>) {
        self.vperm.w_traced(buf, steps);
    }

    /// W⁻¹, pushing every step onto `steps`.
    pub fn w_inverse_traced(&self, buf: &mut [u8], steps: &mut Vec<Step>) {
        self.vperm.w_inverse_traced(buf, steps);
    }

    /// At most `max_steps` steps of W after the first `done`.
    #[inline(never)]
    pub fn w_steps(&self, buf: &mut [u8], done: usize, max_steps: usize) -> usize {
        self.vperm.w_steps(buf, done, max_steps)
    }

    /// At most `max_steps` steps of W⁻¹ after the first `done`.
    #[inline(never)]
    pub fn w_inverse_steps(&self, buf: &mut [u8], done: usize, max_steps: usize) -> usize {
        self.vperm.w_inverse_steps(buf, done, max_steps)
    }
}

/// The single-key chains natively (and in a wasm build without SIMD): the
/// `aes` crate.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
impl KekCipher {
    /// One AES block encryption in place (KWP with one semiblock, KCVs).
    #[inline(never)]
    pub fn encrypt_block(&self, block: &mut [u8; 16]) {
        let mut b = Block::from(*block);
        with_cipher!(self, |c| c.encrypt_block(&mut b));
        *block = b.into();
        zeroize::Zeroize::zeroize(b.as_mut_slice());
    }

    /// One AES block decryption in place (KWP with one semiblock).
    #[inline(never)]
    pub fn decrypt_block(&self, block: &mut [u8; 16]) {
        let mut b = Block::from(*block);
        with_cipher!(self, |c| c.decrypt_block(&mut b));
        *block = b.into();
        zeroize::Zeroize::zeroize(b.as_mut_slice());
    }

    /// W over `buf` = `A | R[1] | … | R[n]` (n ≥ 2): on return `buf` =
    /// `C[0] | … | C[n]`.
    #[inline(never)]
    pub fn w(&self, buf: &mut [u8]) {
        let to = crate::w_step_count(buf.len());
        let mut off = Off;
        let rounds = WrapRange::new(buf, 0, to, &mut off);
        with_cipher!(self, |c| c.encrypt_with_backend(rounds));
    }

    /// W⁻¹ over `buf` = `C[0] | … | C[n]` (n ≥ 2): on return `buf` =
    /// `A | R[1] | … | R[n]`, `A` still to be checked by the caller.
    #[inline(never)]
    pub fn w_inverse(&self, buf: &mut [u8]) {
        let to = crate::w_step_count(buf.len());
        let mut off = Off;
        let rounds = UnwrapRange::new(buf, 0, to, &mut off);
        with_cipher!(self, |c| c.decrypt_with_backend(rounds));
    }

    /// [`w`](Self::w), pushing every step onto `steps` (reserve `6n` first
    /// so that the vector never reallocates and leaves a copy behind).
    pub fn w_traced(&self, buf: &mut [u8], steps: &mut Vec<Step>) {
        let to = crate::w_step_count(buf.len());
        let rounds = WrapRange::new(buf, 0, to, steps);
        with_cipher!(self, |c| c.encrypt_with_backend(rounds));
    }

    /// [`w_inverse`](Self::w_inverse), pushing every step onto `steps`.
    pub fn w_inverse_traced(&self, buf: &mut [u8], steps: &mut Vec<Step>) {
        let to = crate::w_step_count(buf.len());
        let rounds = UnwrapRange::new(buf, 0, to, steps);
        with_cipher!(self, |c| c.decrypt_with_backend(rounds));
    }

    /// Runs at most `max_steps` steps of W over `buf`, the first `done`
    /// already run by earlier calls, and returns the new count of steps
    /// done (at most [`w_step_count`](crate::w_step_count)). Between calls
    /// `buf` holds `A | R[1] | … | R[n]` as W left them, so a caller may
    /// stop at any point and wipe it. Calling it until it returns `6n`
    /// gives exactly what [`w`](Self::w) gives.
    #[inline(never)]
    pub fn w_steps(&self, buf: &mut [u8], done: usize, max_steps: usize) -> usize {
        let total = crate::w_step_count(buf.len());
        let to = done.saturating_add(max_steps).min(total);
        let mut off = Off;
        let rounds = WrapRange::new(buf, done, to, &mut off);
        with_cipher!(self, |c| c.encrypt_with_backend(rounds));
        to
    }

    /// As [`w_steps`](Self::w_steps), for W⁻¹ (steps counted from the
    /// first one W⁻¹ runs, `t = 6n`, down to `t = 1`).
    #[inline(never)]
    pub fn w_inverse_steps(&self, buf: &mut [u8], done: usize, max_steps: usize) -> usize {
        let total = crate::w_step_count(buf.len());
        let to = done.saturating_add(max_steps).min(total);
        let mut off = Off;
        let rounds = UnwrapRange::new(buf, done, to, &mut off);
        with_cipher!(self, |c| c.decrypt_with_backend(rounds));
        to
    }
}

impl KekCipher {
    /// W over every buffer of `bufs`, interleaving keys: runs of
    /// consecutive buffers of equal length go through the cipher's
    /// parallel blocks together (sort by length first for the best
    /// grouping). Each buffer ends exactly as [`w`](Self::w) would leave it.
    ///
    /// This runs on the `aes` crate in every build: in the page its
    /// fixslice computes four keys' blocks per pass, which measured faster
    /// for 10,000 keys than the vector-permute AES one key after the other
    /// (24.6 against 35.0 ms, `rounds_many_bench` in the in-browser
    /// benchmark); a lockstep vector-permute version was no faster.
    #[inline(never)]
    pub fn w_many(&self, bufs: &mut [&mut [u8]]) {
        let rounds = WrapMany { bufs };
        with_cipher!(self, |c| c.encrypt_with_backend(rounds));
    }

    /// W⁻¹ over every buffer of `bufs`, interleaved as in
    /// [`w_many`](Self::w_many); each ends as [`w_inverse`](Self::w_inverse)
    /// would leave it.
    #[inline(never)]
    pub fn w_inverse_many(&self, bufs: &mut [&mut [u8]]) {
        let rounds = UnwrapMany { bufs };
        with_cipher!(self, |c| c.decrypt_with_backend(rounds));
    }
}
