//! [`KekCipher`]: the expanded AES key of a KEK, and the non-generic entry
//! points that run W and W⁻¹ with it.

use aes::cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use aes::{Aes128, Aes192, Aes256, Block};

use crate::w::{Off, Step, UnwrapMany, UnwrapRange, WrapMany, WrapRange};

/// An expanded AES-128, AES-192 or AES-256 key, for key wrap.
///
/// The key schedule is computed once by [`KekCipher::new`] and wiped when
/// the value is dropped (the `aes` crate's `zeroize` support); the raw key
/// bytes are not kept. There is no `Clone` and no `Debug`: `keywrap-core`'s
/// `Kek` wraps this type and prints only its size.
pub enum KekCipher {
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
        match $self {
            KekCipher::Aes128($c) => $body,
            KekCipher::Aes192($c) => $body,
            KekCipher::Aes256($c) => $body,
        }
    };
}

impl KekCipher {
    /// Expands a 16-, 24- or 32-byte key; `None` for any other length.
    #[inline(never)]
    pub fn new(key: &[u8]) -> Option<KekCipher> {
        match key.len() {
            16 => Aes128::new_from_slice(key).ok().map(KekCipher::Aes128),
            24 => Aes192::new_from_slice(key).ok().map(KekCipher::Aes192),
            32 => Aes256::new_from_slice(key).ok().map(KekCipher::Aes256),
            _ => None,
        }
    }

    /// The key length in bytes: 16, 24 or 32.
    pub fn key_len(&self) -> usize {
        match self {
            KekCipher::Aes128(_) => 16,
            KekCipher::Aes192(_) => 24,
            KekCipher::Aes256(_) => 32,
        }
    }

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

    /// W over every buffer of `bufs`, interleaving keys: runs of
    /// consecutive buffers of equal length go through the cipher's
    /// parallel blocks together (sort by length first for the best
    /// grouping). Each buffer ends exactly as [`w`](Self::w) would leave it.
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
