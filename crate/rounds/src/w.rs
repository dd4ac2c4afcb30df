//! The wrapping function W and its inverse W⁻¹ (RFC 3394 §2.2.1 and
//! §2.2.2, NIST SP 800-38F §6.1 algorithms 1 and 2), as closures handed to
//! the `aes` crate's backend (`encrypt_with_backend`), exactly as
//! RustCrypto's `aes-kw` does, so that the CPU-specific AES code (AES-NI, or
//! the constant-time bitsliced software on wasm32) is chosen once per call,
//! not once per block.
//!
//! For `j = 0..=5` and `i = 1..=n`, step `t = n*j + i` of W is
//!
//! ```text
//! B    = AES(K, A | R[i])
//! A    = MSB64(B) xor t
//! R[i] = LSB64(B)
//! ```
//!
//! and W⁻¹ runs the same steps from `t = 6n` down to 1 with
//! `B = AES⁻¹(K, (A xor t) | R[i])`. A step needs the `A` of the step
//! before, so one key's steps form a chain; different keys' steps do not,
//! which is what [`WrapMany`] and [`UnwrapMany`] use: at step `t`, the
//! blocks of up to `ParBlocksSize` keys go through one
//! `encrypt_par_blocks` call.
//!
//! The 16-byte block `A | R[i]` lives in a local that is wiped at the end;
//! between steps `A` stays in the block's first half. The ranges
//! ([`WrapRange`], [`UnwrapRange`]) run steps `from..to` (counted from 0 in
//! the order they run) and write `A` back into the buffer, so that a long
//! W can be cut into slices. The [`Recorder`] is a type parameter: for
//! [`Off`], `ON` is `false` and every `if R::ON { … }` block is removed at
//! compile time.

use aes::cipher::{
    Block, BlockCipherDecBackend, BlockCipherDecClosure, BlockCipherEncBackend,
    BlockCipherEncClosure, BlockSizeUser, ParBlocks, typenum::U16,
};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::SEMIBLOCK_LEN;

/// A 64-bit semiblock.
type Semiblock = [u8; 8];

/// One step of W (or W⁻¹), as the step viewer shows it.
///
/// For wrap: `aes_input = a_before | r_before`, `b = AES(K, aes_input)`,
/// `a_after = MSB64(b) xor t`, `r_after = LSB64(b)`.
/// For unwrap: `aes_input = (a_before xor t) | r_before`,
/// `b = AES⁻¹(K, aes_input)`, `a_after = MSB64(b)`, `r_after = LSB64(b)`.
///
/// The registers hold key data, so a `Step` is wiped when dropped, and its
/// `Debug` prints `j`, `i` and `t` only.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct Step {
    /// The round, 0 to 5 (counting down from 5 when unwrapping).
    pub j: u8,
    /// The semiblock index, 1 to n (counting down when unwrapping).
    pub i: usize,
    /// The step counter `t = n*j + i`, 1 to 6n.
    pub t: u64,
    /// Register `A` before the step.
    pub a_before: Semiblock,
    /// Register `R[i]` before the step.
    pub r_before: Semiblock,
    /// The 16-byte block given to AES (or AES⁻¹).
    pub aes_input: [u8; 16],
    /// The AES output `B`.
    pub b: [u8; 16],
    /// Register `A` after the step.
    pub a_after: Semiblock,
    /// Register `R[i]` after the step.
    pub r_after: Semiblock,
}

impl core::fmt::Debug for Step {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "Step {{ j: {}, i: {}, t: {}, registers: [REDACTED] }}",
            self.j, self.i, self.t
        )
    }
}

/// Receives the steps of W or W⁻¹ when a trace is wanted.
pub(crate) trait Recorder {
    /// Whether steps are recorded at all; `false` removes the recording code.
    const ON: bool;
    /// Records one step.
    fn record(&mut self, step: Step);
}

/// No trace: plain wrap and unwrap.
pub(crate) struct Off;

impl Recorder for Off {
    const ON: bool = false;
    #[inline(always)]
    fn record(&mut self, _step: Step) {}
}

/// A trace: the caller reserves `6n` steps up front, so the vector never
/// reallocates (a reallocation would leave an unwiped copy behind).
impl Recorder for Vec<Step> {
    const ON: bool = true;
    fn record(&mut self, step: Step) {
        self.push(step);
    }
}

fn semiblock(bytes: &[u8]) -> Semiblock {
    let mut s = [0u8; 8];
    s.copy_from_slice(bytes);
    s
}

fn block16(block: &[u8]) -> [u8; 16] {
    let mut s = [0u8; 16];
    s.copy_from_slice(block);
    s
}

/// `A` (the first half of the block), mutably.
#[inline(always)]
fn a_half(block: &mut [u8]) -> &mut [u8] {
    block.split_at_mut(SEMIBLOCK_LEN).0
}

/// `R[i]` (the second half of the block), mutably.
#[inline(always)]
fn r_half(block: &mut [u8]) -> &mut [u8] {
    block.split_at_mut(SEMIBLOCK_LEN).1
}

/// `A ^= t` (big-endian), RFC 3394 §2.2.1.
#[inline(always)]
fn xor_t(block: &mut [u8], t: u64) {
    for (x, y) in a_half(block).iter_mut().zip(t.to_be_bytes()) {
        *x ^= y;
    }
}

/// `t` as the wrap counts it: step `i0 + 1` of round `j`.
#[inline(always)]
fn counter(n: usize, j: usize, i0: usize) -> u64 {
    (n * j + i0 + 1) as u64
}

/// The round number of a step for the trace (always below 6).
fn round_u8(j: usize) -> u8 {
    u8::try_from(j).unwrap_or(u8::MAX)
}

/// Steps `from..to` of W over `buf` = `A | R[1] | … | R[n]`.
pub(crate) struct WrapRange<'a, R> {
    buf: &'a mut [u8],
    from: usize,
    to: usize,
    recorder: &'a mut R,
}

impl<'a, R> WrapRange<'a, R> {
    pub(crate) fn new(buf: &'a mut [u8], from: usize, to: usize, recorder: &'a mut R) -> Self {
        WrapRange {
            buf,
            from,
            to,
            recorder,
        }
    }
}

impl<R> BlockSizeUser for WrapRange<'_, R> {
    type BlockSize = U16;
}

impl<R: Recorder> BlockCipherEncClosure for WrapRange<'_, R> {
    #[inline(always)]
    fn call<B: BlockCipherEncBackend<BlockSize = U16>>(self, backend: &B) {
        let Some((a, rest)) = self.buf.split_first_chunk_mut::<SEMIBLOCK_LEN>() else {
            return;
        };
        let (r, _) = rest.as_chunks_mut::<SEMIBLOCK_LEN>();
        let n = r.len();
        let to = self.to.min(6 * n);
        if self.from >= to {
            return;
        }
        let mut block = Block::<Self>::default();
        // 1) Initialize variables: A = IV (already in `a`), R[i] = P[i].
        a_half(&mut block).copy_from_slice(a);
        // 2) For j = 0 to 5, for i = 1 to n (from step `from` on).
        let mut s = self.from;
        while s < to {
            let j = s / n;
            let first = s % n;
            let end = to.min((j + 1) * n);
            for (i0, ri) in r.iter_mut().enumerate().skip(first).take(end - s) {
                let t = counter(n, j, i0);
                let before = if R::ON {
                    Some((semiblock(a_half(&mut block)), *ri))
                } else {
                    None
                };
                //  B = AES(K, A | R[i])
                r_half(&mut block).copy_from_slice(ri);
                let aes_input = if R::ON { block16(&block) } else { [0; 16] };
                backend.encrypt_block((&mut block).into());
                let b = if R::ON { block16(&block) } else { [0; 16] };
                //  A = MSB(64, B) ^ t where t = (n*j)+i
                xor_t(&mut block, t);
                //  R[i] = LSB(64, B)
                ri.copy_from_slice(r_half(&mut block));
                if let Some((a_before, r_before)) = before {
                    self.recorder.record(Step {
                        j: round_u8(j),
                        i: i0 + 1,
                        t,
                        a_before,
                        r_before,
                        aes_input,
                        b,
                        a_after: semiblock(a_half(&mut block)),
                        r_after: *ri,
                    });
                }
            }
            s = end;
        }
        // 3) C[0] = A (or, between slices, A as it stands).
        a.copy_from_slice(a_half(&mut block));
        block.as_mut_slice().zeroize();
    }
}

/// Steps `from..to` of W⁻¹ over `buf` = `C[0] | … | C[n]`, counted in the
/// order they run (step 0 has `t = 6n`).
pub(crate) struct UnwrapRange<'a, R> {
    buf: &'a mut [u8],
    from: usize,
    to: usize,
    recorder: &'a mut R,
}

impl<'a, R> UnwrapRange<'a, R> {
    pub(crate) fn new(buf: &'a mut [u8], from: usize, to: usize, recorder: &'a mut R) -> Self {
        UnwrapRange {
            buf,
            from,
            to,
            recorder,
        }
    }
}

impl<R> BlockSizeUser for UnwrapRange<'_, R> {
    type BlockSize = U16;
}

impl<R: Recorder> BlockCipherDecClosure for UnwrapRange<'_, R> {
    #[inline(always)]
    fn call<B: BlockCipherDecBackend<BlockSize = U16>>(self, backend: &B) {
        let Some((a, rest)) = self.buf.split_first_chunk_mut::<SEMIBLOCK_LEN>() else {
            return;
        };
        let (r, _) = rest.as_chunks_mut::<SEMIBLOCK_LEN>();
        let n = r.len();
        let total = 6 * n;
        let to = self.to.min(total);
        if self.from >= to {
            return;
        }
        let mut block = Block::<Self>::default();
        // 1) Initialize variables: A = C[0], R[i] = C[i].
        a_half(&mut block).copy_from_slice(a);
        // 2) For j = 5 to 0, for i = n to 1 (from step `from` on).
        let mut s = self.from;
        while s < to {
            let t_next = total - s;
            let j = (t_next - 1) / n;
            let last = (t_next - 1) % n;
            let count = (last + 1).min(to - s);
            for (i0, ri) in r.iter_mut().enumerate().take(last + 1).rev().take(count) {
                let t = counter(n, j, i0);
                let before = if R::ON {
                    Some((semiblock(a_half(&mut block)), *ri))
                } else {
                    None
                };
                //  B = AES-1(K, (A ^ t) | R[i]) where t = n*j+i
                xor_t(&mut block, t);
                r_half(&mut block).copy_from_slice(ri);
                let aes_input = if R::ON { block16(&block) } else { [0; 16] };
                backend.decrypt_block((&mut block).into());
                //  A = MSB(64, B) (already in place); R[i] = LSB(64, B)
                ri.copy_from_slice(r_half(&mut block));
                if let Some((a_before, r_before)) = before {
                    self.recorder.record(Step {
                        j: round_u8(j),
                        i: i0 + 1,
                        t,
                        a_before,
                        r_before,
                        aes_input,
                        b: block16(&block),
                        a_after: semiblock(a_half(&mut block)),
                        r_after: *ri,
                    });
                }
            }
            s += count;
        }
        // 3) A is left in `a` for the caller's integrity check.
        a.copy_from_slice(a_half(&mut block));
        block.as_mut_slice().zeroize();
    }
}

/// How many of the first buffers (at most `lanes`) share the first one's
/// length: the group that goes through the parallel blocks together.
fn group_len(bufs: &[&mut [u8]], lanes: usize) -> usize {
    let len = bufs.first().map_or(0, |b| b.len());
    bufs.iter()
        .take(lanes)
        .take_while(|b| b.len() == len)
        .count()
        .max(1)
}

/// W over many buffers, interleaved (see the module docs).
pub(crate) struct WrapMany<'a, 'b> {
    pub(crate) bufs: &'a mut [&'b mut [u8]],
}

impl BlockSizeUser for WrapMany<'_, '_> {
    type BlockSize = U16;
}

impl BlockCipherEncClosure for WrapMany<'_, '_> {
    #[inline(always)]
    fn call<B: BlockCipherEncBackend<BlockSize = U16>>(self, backend: &B) {
        let mut blocks = ParBlocks::<B>::default();
        let lanes = blocks.len();
        let mut rest = self.bufs;
        while !rest.is_empty() {
            let g = group_len(rest, lanes).min(rest.len());
            let (group, tail) = core::mem::take(&mut rest).split_at_mut(g);
            rest = tail;
            if let [one] = group {
                let to = crate::w_step_count(one.len());
                WrapRange::new(one, 0, to, &mut Off).call(backend);
                continue;
            }
            let n = group
                .first()
                .map_or(0, |b| crate::w_step_count(b.len()) / 6);
            if n == 0 {
                continue;
            }
            // A of each key into its lane.
            for (blk, buf) in blocks.iter_mut().zip(group.iter()) {
                if let Some(a) = buf.first_chunk::<SEMIBLOCK_LEN>() {
                    a_half(blk).copy_from_slice(a);
                }
            }
            for j in 0..6 {
                for i0 in 0..n {
                    let t = counter(n, j, i0);
                    for (blk, buf) in blocks.iter_mut().zip(group.iter_mut()) {
                        if let Some(ri) = buf.as_chunks_mut::<SEMIBLOCK_LEN>().0.get(i0 + 1) {
                            r_half(blk).copy_from_slice(ri);
                        }
                    }
                    // B = AES(K, A | R[i]) for every key at once.
                    backend.encrypt_par_blocks((&mut blocks).into());
                    for (blk, buf) in blocks.iter_mut().zip(group.iter_mut()) {
                        xor_t(blk, t);
                        if let Some(ri) = buf.as_chunks_mut::<SEMIBLOCK_LEN>().0.get_mut(i0 + 1) {
                            ri.copy_from_slice(r_half(blk));
                        }
                    }
                }
            }
            for (blk, buf) in blocks.iter_mut().zip(group.iter_mut()) {
                if let Some(a) = buf.first_chunk_mut::<SEMIBLOCK_LEN>() {
                    a.copy_from_slice(a_half(blk));
                }
            }
        }
        for blk in blocks.iter_mut() {
            blk.as_mut_slice().zeroize();
        }
    }
}

/// W⁻¹ over many buffers, interleaved (see the module docs).
pub(crate) struct UnwrapMany<'a, 'b> {
    pub(crate) bufs: &'a mut [&'b mut [u8]],
}

impl BlockSizeUser for UnwrapMany<'_, '_> {
    type BlockSize = U16;
}

impl BlockCipherDecClosure for UnwrapMany<'_, '_> {
    #[inline(always)]
    fn call<B: BlockCipherDecBackend<BlockSize = U16>>(self, backend: &B) {
        let mut blocks = ParBlocks::<B>::default();
        let lanes = blocks.len();
        let mut rest = self.bufs;
        while !rest.is_empty() {
            let g = group_len(rest, lanes).min(rest.len());
            let (group, tail) = core::mem::take(&mut rest).split_at_mut(g);
            rest = tail;
            if let [one] = group {
                let to = crate::w_step_count(one.len());
                UnwrapRange::new(one, 0, to, &mut Off).call(backend);
                continue;
            }
            let n = group
                .first()
                .map_or(0, |b| crate::w_step_count(b.len()) / 6);
            if n == 0 {
                continue;
            }
            for (blk, buf) in blocks.iter_mut().zip(group.iter()) {
                if let Some(a) = buf.first_chunk::<SEMIBLOCK_LEN>() {
                    a_half(blk).copy_from_slice(a);
                }
            }
            for j in (0..6).rev() {
                for i0 in (0..n).rev() {
                    let t = counter(n, j, i0);
                    for (blk, buf) in blocks.iter_mut().zip(group.iter_mut()) {
                        xor_t(blk, t);
                        if let Some(ri) = buf.as_chunks_mut::<SEMIBLOCK_LEN>().0.get(i0 + 1) {
                            r_half(blk).copy_from_slice(ri);
                        }
                    }
                    // B = AES⁻¹(K, (A ^ t) | R[i]) for every key at once.
                    backend.decrypt_par_blocks((&mut blocks).into());
                    for (blk, buf) in blocks.iter_mut().zip(group.iter_mut()) {
                        if let Some(ri) = buf.as_chunks_mut::<SEMIBLOCK_LEN>().0.get_mut(i0 + 1) {
                            ri.copy_from_slice(r_half(blk));
                        }
                    }
                }
            }
            for (blk, buf) in blocks.iter_mut().zip(group.iter_mut()) {
                if let Some(a) = buf.first_chunk_mut::<SEMIBLOCK_LEN>() {
                    a.copy_from_slice(a_half(blk));
                }
            }
        }
        for blk in blocks.iter_mut() {
            blk.as_mut_slice().zeroize();
        }
    }
}
