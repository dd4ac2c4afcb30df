//! A constant-time AES (FIPS-197: AES-128, AES-192, AES-256, encryption
//! and decryption, key expansion) over 16-lane byte vectors: WebAssembly
//! SIMD128's `v128` in the page, a portable emulation elsewhere (see
//! [`lanes`](self::lanes)). It is the "vector permute" approach of Mike
//! Hamburg, *Accelerating AES with Vector Permute Instructions* (CHES
//! 2009): the S-box is an inversion in GF(2⁸) seen as GF(2⁴)², where every
//! GF(2⁴) operation is a 16-entry table lookup done by a byte shuffle
//! *inside a register* (`i8x16.swizzle`). The tables, the bases and the
//! formulas are derived in [`tables`](self::tables) and computed there at
//! compile time.
//!
//! **Why.** Key wrap is a chain of dependent single blocks (KWP of 1 MiB is
//! 786,432 blocks, each needing the one before), and the `aes` crate's
//! software AES on wasm32 is fixsliced: it computes four blocks at once and
//! wastes three quarters of its work on a single block. One block here is
//! one pass over one register.
//!
//! ## Constant time
//!
//! In the SIMD build, for any key and any block, the same instructions run
//! in the same order: every round is a fixed sequence of `v128.xor`,
//! `v128.and`, `i8x16.shr_u` and `i8x16.swizzle` (and lane moves in and
//! out); loops depend only on the number of rounds (the key *length*);
//! there is no branch on data and no memory access at an address derived
//! from key or data. The one data-dependent "lookup", `i8x16.swizzle`, is a
//! byte permutation between registers: WebAssembly engines compile it to a
//! single register shuffle (`pshufb` on x86-64, `tbl` on AArch64, plus a
//! saturating add that clamps the index), whose timing does not depend on
//! the index values. The key expansion uses the same S-box on a vector
//! (no S-box table in memory) and branch-free GF(2⁸) arithmetic
//! ([`tables::gmul`]). What this relies on and cannot check: that the
//! engine compiles these instructions to such shuffles (an interpreter, or
//! an engine without SIMD hardware, could emulate `swizzle` with an indexed
//! load; V8, SpiderMonkey and JavaScriptCore emit the register shuffle).
//! The portable emulation used by native tests is *not* constant time and
//! protects no key: natively, `KekCipher` keeps the `aes` crate.
//!
//! ## Layout
//!
//! The state is FIPS-197's column-major byte order (byte `4c + r` is row
//! `r` of column `c`), as the block's bytes come. Encryption keeps the
//! state in the tower basis `φ` between rounds; decryption in
//! `θ = φ ∘ L⁻¹`, so that the affine map before `S⁻¹`'s inversion is free.
//! The constants `0x63` and `0x05` and the bases are folded into the round
//! keys by [`Schedule::new`]; ShiftRows (InvShiftRows) is folded into the
//! byte rotations of MixColumns (InvMixColumns), four shuffles a round.

pub mod lanes;
mod tables;

use aes::cipher::{
    Block, BlockCipherDecBackend, BlockCipherDecClosure, BlockCipherEncBackend,
    BlockCipherEncClosure, BlockSizeUser, InOut, ParBlocksSizeUser,
    typenum::{U1, U16},
};
use zeroize::{Zeroize, ZeroizeOnDrop};

use self::lanes::V;
use self::tables::{
    DEC_9, DEC_11, DEC_13, DEC_14, DEC_LAST, ENC_LAST, ENC_S, ENC_S2, INV, INV_LAMBDA, ISR,
    NIBBLE_MASK, PHI, SR, THETA, gmul,
};
use crate::w::{Off, Step, UnwrapRange, WrapRange};

/// The most round keys AES needs (AES-256: 14 rounds + 1).
const MAX_ROUND_KEYS: usize = 15;

/// An expanded AES key in the vector-permute bases: the encryption and
/// the decryption round keys, wiped on drop. No `Clone`, no `Debug`.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct Schedule {
    /// Encryption keys in the order used: `φ(k₀)`, `φ(kᵣ ⊕ 0x63…)` for the
    /// middle rounds, `k_Nr ⊕ 0x63…` (AES basis) for the last.
    enc: [[u8; 16]; MAX_ROUND_KEYS],
    /// Decryption keys in the order used: `θ(k_Nr) ⊕ φ(0x05…)`,
    /// `θ(InvMixColumns(kᵣ)) ⊕ φ(0x05…)` for `r = Nr − 1 … 1`, then `k₀`.
    dec: [[u8; 16]; MAX_ROUND_KEYS],
    /// Nr: 10, 12 or 14.
    rounds: usize,
}

/// The tower-field inversion of every lane of `z` (in basis `φ`): the two
/// nibble vectors `(V₁, V₂)` that the output tables turn into any linear
/// image of `z⁻¹` (see [`tables`]). Five shuffles.
#[inline(always)]
fn invert(z: V) -> (V, V) {
    let b = z.and(NIBBLE_MASK);
    let a = z.high_nibbles();
    let j = a.xor(b);
    let u = INV_LAMBDA.swizzle(a);
    let v1 = INV.swizzle(u.xor(INV.swizzle(b))).xor(j);
    let v2 = INV.swizzle(u.xor(INV.swizzle(j))).xor(b);
    (v1, v2)
}

/// The linear image of the inverse that a pair of output tables gives.
#[inline(always)]
fn output(t: &[V; 2], v: (V, V)) -> V {
    t[0].swizzle(v.0).xor(t[1].swizzle(v.1))
}

/// A byte-linear map given by its two nibble tables.
#[inline(always)]
fn linear(t: &[V; 2], x: V) -> V {
    t[0].swizzle(x.and(NIBBLE_MASK))
        .xor(t[1].swizzle(x.high_nibbles()))
}

/// `S(x)` of every lane, in the AES basis (for the key expansion).
fn sub_bytes(x: V) -> V {
    output(&ENC_LAST, invert(linear(&PHI, x))).xor(V::splat(0x63))
}

/// A byte-linear map applied to 16 key bytes.
fn map_bytes(t: &[V; 2], bytes: &[u8; 16]) -> [u8; 16] {
    let mut out = [0u8; 16];
    linear(t, V::load(bytes)).store(&mut out);
    out
}

/// InvMixColumns of a round key (branch-free GF(2⁸) products).
fn inv_mix_columns(k: &[u8; 16]) -> [u8; 16] {
    let mut out = [0u8; 16];
    for (o, c) in out.chunks_exact_mut(4).zip(k.chunks_exact(4)) {
        if let ([a0, a1, a2, a3], [o0, o1, o2, o3]) = (c, o) {
            *o0 = gmul(*a0, 14) ^ gmul(*a1, 11) ^ gmul(*a2, 13) ^ gmul(*a3, 9);
            *o1 = gmul(*a1, 14) ^ gmul(*a2, 11) ^ gmul(*a3, 13) ^ gmul(*a0, 9);
            *o2 = gmul(*a2, 14) ^ gmul(*a3, 11) ^ gmul(*a0, 13) ^ gmul(*a1, 9);
            *o3 = gmul(*a3, 14) ^ gmul(*a0, 11) ^ gmul(*a1, 13) ^ gmul(*a2, 9);
        }
    }
    out
}

fn xor16(a: &[u8; 16], b: &[u8; 16]) -> [u8; 16] {
    let mut out = *a;
    for (x, y) in out.iter_mut().zip(b) {
        *x ^= y;
    }
    out
}

/// FIPS-197 §5.2 key expansion: the round keys in the AES basis, `Nr + 1`
/// of them. SubWord goes through [`sub_bytes`] (no table in memory).
fn expand(key: &[u8], rounds: usize) -> [[u8; 16]; MAX_ROUND_KEYS] {
    let nk = key.len() / 4;
    let total = 4 * (rounds + 1);
    let mut w = [[0u8; 4]; 4 * MAX_ROUND_KEYS];
    for (wi, k) in w.iter_mut().zip(key.chunks_exact(4)) {
        wi.copy_from_slice(k);
    }
    let mut rcon = 1u8;
    for i in nk..total {
        let mut temp = w.get(i - 1).copied().unwrap_or_default();
        if i % nk == 0 || (nk > 6 && i % nk == 4) {
            if i % nk == 0 {
                temp.rotate_left(1);
            }
            let mut v = [0u8; 16];
            if let Some(head) = v.get_mut(..4) {
                head.copy_from_slice(&temp);
            }
            let mut s = [0u8; 16];
            sub_bytes(V::load(&v)).store(&mut s);
            temp.copy_from_slice(s.get(..4).unwrap_or(&[0; 4]));
            if i % nk == 0 {
                temp[0] ^= rcon;
                rcon = tables::xtime(rcon);
            }
            v.zeroize();
            s.zeroize();
        }
        let back = w.get(i - nk).copied().unwrap_or_default();
        if let Some(wi) = w.get_mut(i) {
            for ((x, a), b) in wi.iter_mut().zip(back).zip(temp) {
                *x = a ^ b;
            }
        }
        temp.zeroize();
    }
    let mut rk = [[0u8; 16]; MAX_ROUND_KEYS];
    for (k, words) in rk.iter_mut().zip(w.chunks_exact(4)) {
        for (dst, word) in k.chunks_exact_mut(4).zip(words) {
            dst.copy_from_slice(word);
        }
    }
    w.zeroize();
    rk
}

impl Schedule {
    /// Expands a 16-, 24- or 32-byte key; `None` for any other length.
    pub fn new(key: &[u8]) -> Option<Schedule> {
        let rounds = match key.len() {
            16 => 10,
            24 => 12,
            32 => 14,
            _ => return None,
        };
        let mut rk = expand(key, rounds);
        let s63 = [0x63u8; 16];
        let phi05 = [tables::phi(0x05); 16];
        let mut enc = [[0u8; 16]; MAX_ROUND_KEYS];
        let mut dec = [[0u8; 16]; MAX_ROUND_KEYS];
        for (r, k) in rk.iter().enumerate().take(rounds + 1) {
            let e = if r == 0 {
                map_bytes(&PHI, k)
            } else if r < rounds {
                map_bytes(&PHI, &xor16(k, &s63))
            } else {
                xor16(k, &s63)
            };
            let d = if r == rounds {
                xor16(&map_bytes(&THETA, k), &phi05)
            } else if r > 0 {
                xor16(&map_bytes(&THETA, &inv_mix_columns(k)), &phi05)
            } else {
                *k
            };
            if let Some(slot) = enc.get_mut(r) {
                *slot = e;
            }
            if let Some(slot) = dec.get_mut(rounds - r) {
                *slot = d;
            }
        }
        rk.zeroize();
        Some(Schedule { enc, dec, rounds })
    }

    /// The key length in bytes: 16, 24 or 32.
    pub fn key_len(&self) -> usize {
        match self.rounds {
            10 => 16,
            12 => 24,
            _ => 32,
        }
    }

    /// The encryption backend (the round keys loaded into vectors) for the
    /// `aes` crate's block-cipher closures, so that the W rounds run over it
    /// exactly as over the `aes` crate's own backend.
    pub fn encryptor(&self) -> Encryptor {
        Encryptor {
            keys: load_keys(&self.enc),
            rounds: self.rounds,
        }
    }

    /// The decryption backend, as [`encryptor`](Self::encryptor).
    pub fn decryptor(&self) -> Decryptor {
        Decryptor {
            keys: load_keys(&self.dec),
            rounds: self.rounds,
        }
    }

    /// W over `buf` = `A | R[1] | … | R[n]` (n ≥ 2), as
    /// [`KekCipher::w`](crate::KekCipher::w).
    pub fn w(&self, buf: &mut [u8]) {
        let to = crate::w_step_count(buf.len());
        WrapRange::new(buf, 0, to, &mut Off).call(&self.encryptor());
    }

    /// W⁻¹ over `buf`, as [`KekCipher::w_inverse`](crate::KekCipher::w_inverse).
    pub fn w_inverse(&self, buf: &mut [u8]) {
        let to = crate::w_step_count(buf.len());
        UnwrapRange::new(buf, 0, to, &mut Off).call(&self.decryptor());
    }

    /// [`w`](Self::w), pushing every step onto `steps`.
    pub fn w_traced(&self, buf: &mut [u8], steps: &mut Vec<Step>) {
        let to = crate::w_step_count(buf.len());
        WrapRange::new(buf, 0, to, steps).call(&self.encryptor());
    }

    /// [`w_inverse`](Self::w_inverse), pushing every step onto `steps`.
    pub fn w_inverse_traced(&self, buf: &mut [u8], steps: &mut Vec<Step>) {
        let to = crate::w_step_count(buf.len());
        UnwrapRange::new(buf, 0, to, steps).call(&self.decryptor());
    }

    /// Steps `done..done + max_steps` of W, as
    /// [`KekCipher::w_steps`](crate::KekCipher::w_steps).
    pub fn w_steps(&self, buf: &mut [u8], done: usize, max_steps: usize) -> usize {
        let to = done
            .saturating_add(max_steps)
            .min(crate::w_step_count(buf.len()));
        WrapRange::new(buf, done, to, &mut Off).call(&self.encryptor());
        to
    }

    /// Steps of W⁻¹, as [`KekCipher::w_inverse_steps`](crate::KekCipher::w_inverse_steps).
    pub fn w_inverse_steps(&self, buf: &mut [u8], done: usize, max_steps: usize) -> usize {
        let to = done
            .saturating_add(max_steps)
            .min(crate::w_step_count(buf.len()));
        UnwrapRange::new(buf, done, to, &mut Off).call(&self.decryptor());
        to
    }

    /// Encrypts one block in place.
    pub fn encrypt_block(&self, block: &mut [u8; 16]) {
        self.encryptor().encrypt(block);
    }

    /// Decrypts one block in place.
    pub fn decrypt_block(&self, block: &mut [u8; 16]) {
        self.decryptor().decrypt(block);
    }
}

fn load_keys(keys: &[[u8; 16]; MAX_ROUND_KEYS]) -> [V; MAX_ROUND_KEYS] {
    let mut v = [V::ZERO; MAX_ROUND_KEYS];
    for (x, k) in v.iter_mut().zip(keys) {
        *x = V::load(k);
    }
    v
}

/// Overwrites loaded round keys (best effort: `black_box` keeps the
/// compiler from dropping the stores as dead).
fn wipe(keys: &mut [V; MAX_ROUND_KEYS]) {
    *keys = [V::ZERO; MAX_ROUND_KEYS];
    core::hint::black_box(keys);
}

/// The round keys of one direction in registers, for one call; wiped on
/// drop. A block-cipher backend (one block at a time) for the W rounds.
pub struct Encryptor {
    keys: [V; MAX_ROUND_KEYS],
    rounds: usize,
}

/// See [`Encryptor`].
pub struct Decryptor {
    keys: [V; MAX_ROUND_KEYS],
    rounds: usize,
}

impl Drop for Encryptor {
    fn drop(&mut self) {
        wipe(&mut self.keys);
    }
}

impl Drop for Decryptor {
    fn drop(&mut self) {
        wipe(&mut self.keys);
    }
}

impl Encryptor {
    /// AES encryption of one block in place.
    #[inline(always)]
    pub fn encrypt(&self, block: &mut [u8; 16]) {
        let last = self.rounds.min(MAX_ROUND_KEYS - 1);
        let (first, rest) = self.keys.split_at(1);
        let k0 = first.first().copied().unwrap_or(V::ZERO);
        let mut z = linear(&PHI, V::load(block)).xor(k0);
        let (middle, tail) = rest.split_at(last - 1);
        for k in middle {
            let v = invert(z);
            let s = output(&ENC_S, v);
            let t = output(&ENC_S2, v);
            // MixColumns after ShiftRows: 2·a[r] ⊕ 3·a[r+1] ⊕ a[r+2] ⊕ a[r+3].
            z = t
                .swizzle(SR[0])
                .xor(t.xor(s).swizzle(SR[1]))
                .xor(s.swizzle(SR[2]))
                .xor(s.swizzle(SR[3]))
                .xor(*k);
        }
        let kl = tail.first().copied().unwrap_or(V::ZERO);
        let s = output(&ENC_LAST, invert(z));
        s.swizzle(SR[0]).xor(kl).store(block);
    }
}

impl Decryptor {
    /// AES decryption of one block in place.
    #[inline(always)]
    pub fn decrypt(&self, block: &mut [u8; 16]) {
        let last = self.rounds.min(MAX_ROUND_KEYS - 1);
        let (first, rest) = self.keys.split_at(1);
        let k0 = first.first().copied().unwrap_or(V::ZERO);
        let mut z = linear(&THETA, V::load(block)).xor(k0);
        let (middle, tail) = rest.split_at(last - 1);
        for k in middle {
            let v = invert(z);
            // InvMixColumns after InvShiftRows:
            // 14·a[r] ⊕ 11·a[r+1] ⊕ 13·a[r+2] ⊕ 9·a[r+3].
            z = output(&DEC_14, v)
                .swizzle(ISR[0])
                .xor(output(&DEC_11, v).swizzle(ISR[1]))
                .xor(output(&DEC_13, v).swizzle(ISR[2]))
                .xor(output(&DEC_9, v).swizzle(ISR[3]))
                .xor(*k);
        }
        let kl = tail.first().copied().unwrap_or(V::ZERO);
        let y = output(&DEC_LAST, invert(z));
        y.swizzle(ISR[0]).xor(kl).store(block);
    }
}

impl BlockSizeUser for Encryptor {
    type BlockSize = U16;
}
impl ParBlocksSizeUser for Encryptor {
    type ParBlocksSize = U1;
}
impl BlockCipherEncBackend for Encryptor {
    #[inline(always)]
    fn encrypt_block(&self, mut block: InOut<'_, '_, Block<Self>>) {
        let mut b = [0u8; 16];
        b.copy_from_slice(block.get_in());
        self.encrypt(&mut b);
        block.get_out().copy_from_slice(&b);
        b.zeroize();
    }
}

impl BlockSizeUser for Decryptor {
    type BlockSize = U16;
}
impl ParBlocksSizeUser for Decryptor {
    type ParBlocksSize = U1;
}
impl BlockCipherDecBackend for Decryptor {
    #[inline(always)]
    fn decrypt_block(&self, mut block: InOut<'_, '_, Block<Self>>) {
        let mut b = [0u8; 16];
        b.copy_from_slice(block.get_in());
        self.decrypt(&mut b);
        block.get_out().copy_from_slice(&b);
        b.zeroize();
    }
}

#[cfg(test)]
mod tests;
