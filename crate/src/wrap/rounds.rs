//! The wrapping function W and its inverse W⁻¹ (RFC 3394 §2.2.1 and
//! §2.2.2, NIST SP 800-38F §6.1 algorithms 1 and 2): the one implementation
//! behind every mechanism, with and without a trace.
//!
//! Both run on one buffer `A | R[1] | … | R[n]` of `8(n + 1)` bytes, in
//! place, and keep the 16-byte AES block `A | R[i]` in a local that is
//! wiped at the end. They are closures handed to the `aes` crate's backend
//! (`encrypt_with_backend`), exactly as RustCrypto's `aes-kw` does, so the
//! CPU-specific AES code (AES-NI, or the constant-time software fallback on
//! wasm32) is chosen once per call, not once per block.
//!
//! The [`Recorder`] is a type parameter. For [`Off`] its `ON` constant is
//! `false`, so every `if R::ON { … }` block is removed at compile time and
//! plain wrapping does exactly the work `aes-kw` does (the benchmarks in
//! `benches/wrap.rs` check this).

use aes::cipher::{
    Block, BlockCipherDecBackend, BlockCipherDecClosure, BlockCipherEncBackend,
    BlockCipherEncClosure, BlockSizeUser, typenum::U16,
};
use zeroize::Zeroize;

use super::trace::Step;

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

fn semiblock(bytes: &[u8]) -> [u8; 8] {
    let mut s = [0u8; 8];
    s.copy_from_slice(bytes);
    s
}

fn block16(block: &[u8]) -> [u8; 16] {
    let mut s = [0u8; 16];
    s.copy_from_slice(block);
    s
}

/// W over `buf` = `A | R[1] | … | R[n]`: on return `buf` = `C[0] | … | C[n]`.
pub(crate) struct WrapRounds<'a, R> {
    pub(crate) buf: &'a mut [u8],
    pub(crate) recorder: &'a mut R,
}

impl<R> BlockSizeUser for WrapRounds<'_, R> {
    type BlockSize = U16;
}

impl<R: Recorder> BlockCipherEncClosure for WrapRounds<'_, R> {
    #[inline(always)]
    fn call<B: BlockCipherEncBackend<BlockSize = U16>>(self, backend: &B) {
        let n = (self.buf.len() / 8).saturating_sub(1);
        let (a, r) = self.buf.split_at_mut(8);
        let mut block = Block::<Self>::default();

        // 1) Initialize variables: A = IV (already in `a`), R[i] = P[i].
        block[..8].copy_from_slice(a);

        // 2) Calculate intermediate values.
        //    For j = 0 to 5
        //        For i = 1 to n
        for j in 0..6usize {
            for (i0, ri) in r.chunks_exact_mut(8).enumerate() {
                let i = i0 + 1;
                let t = (n * j + i) as u64;
                let before = if R::ON {
                    Some((semiblock(&block[..8]), semiblock(ri)))
                } else {
                    None
                };
                //  B = AES(K, A | R[i])
                block[8..].copy_from_slice(ri);
                let aes_input = if R::ON { block16(&block) } else { [0; 16] };
                backend.encrypt_block((&mut block).into());
                let b = if R::ON { block16(&block) } else { [0; 16] };
                //  A = MSB(64, B) ^ t where t = (n*j)+i
                for (x, y) in block[..8].iter_mut().zip(t.to_be_bytes()) {
                    *x ^= y;
                }
                //  R[i] = LSB(64, B)
                ri.copy_from_slice(&block[8..]);
                if let Some((a_before, r_before)) = before {
                    self.recorder.record(Step {
                        j: j as u8,
                        i,
                        t,
                        a_before,
                        r_before,
                        aes_input,
                        b,
                        a_after: semiblock(&block[..8]),
                        r_after: semiblock(ri),
                    });
                }
            }
        }

        // 3) Output the results: C[0] = A, C[i] = R[i].
        a.copy_from_slice(&block[..8]);
        block[..].zeroize();
    }
}

/// W⁻¹ over `buf` = `C[0] | … | C[n]`: on return `buf` = `A | R[1] | … | R[n]`.
pub(crate) struct UnwrapRounds<'a, R> {
    pub(crate) buf: &'a mut [u8],
    pub(crate) recorder: &'a mut R,
}

impl<R> BlockSizeUser for UnwrapRounds<'_, R> {
    type BlockSize = U16;
}

impl<R: Recorder> BlockCipherDecClosure for UnwrapRounds<'_, R> {
    #[inline(always)]
    fn call<B: BlockCipherDecBackend<BlockSize = U16>>(self, backend: &B) {
        let n = (self.buf.len() / 8).saturating_sub(1);
        let (a, r) = self.buf.split_at_mut(8);
        let mut block = Block::<Self>::default();

        // 1) Initialize variables: A = C[0], R[i] = C[i].
        block[..8].copy_from_slice(a);

        // 2) Compute intermediate values.
        //    For j = 5 to 0
        //        For i = n to 1
        for j in (0..6usize).rev() {
            for (i0, ri) in r.chunks_exact_mut(8).enumerate().rev() {
                let i = i0 + 1;
                let t = (n * j + i) as u64;
                let before = if R::ON {
                    Some((semiblock(&block[..8]), semiblock(ri)))
                } else {
                    None
                };
                //  B = AES-1(K, (A ^ t) | R[i]) where t = n*j+i
                for (x, y) in block[..8].iter_mut().zip(t.to_be_bytes()) {
                    *x ^= y;
                }
                block[8..].copy_from_slice(ri);
                let aes_input = if R::ON { block16(&block) } else { [0; 16] };
                backend.decrypt_block((&mut block).into());
                //  A = MSB(64, B) (already in place)
                //  R[i] = LSB(64, B)
                ri.copy_from_slice(&block[8..]);
                if let Some((a_before, r_before)) = before {
                    self.recorder.record(Step {
                        j: j as u8,
                        i,
                        t,
                        a_before,
                        r_before,
                        aes_input,
                        b: block16(&block),
                        a_after: semiblock(&block[..8]),
                        r_after: semiblock(ri),
                    });
                }
            }
        }

        // 3) Output results: A is left in `a` for the caller's integrity
        //    check, P[i] = R[i] in place.
        a.copy_from_slice(&block[..8]);
        block[..].zeroize();
    }
}
