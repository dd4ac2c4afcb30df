//! The step-by-step trace of W and W⁻¹, for the console to show.
//!
//! [`trace_wrap`] and [`trace_unwrap`] run the same code as
//! [`wrap()`](crate::wrap()) and [`unwrap()`](crate::unwrap()) with a
//! recorder switched on, and return:
//!
//! - the registers before the first step ([`Registers`]: `A` and
//!   `R[1..n]`),
//! - every step ([`Step`]): `j`, `i`, the counter `t = n*j + i`, `A` and
//!   `R[i]` before, the 16-byte AES input and output `B`, and `A`, `R[i]`
//!   after — or, for KWP with one semiblock, the single AES block
//!   operation that replaces W ([`Rounds::SingleBlock`]),
//! - the registers after the last step,
//! - for wrap, the padding applied and the wrapped result;
//! - for unwrap, the recovered `A` beside what was expected ([`IvCheck`]),
//!   for KWP the decoded length indicator and its range and the padding
//!   check ([`KwpCheck`]), for KW-PKCS#5 the padding check
//!   ([`Pkcs5Check`]), and the outcome.
//!
//! An unwrap whose integrity check **fails** is still a successful trace:
//! `trace_unwrap` returns `Ok(UnwrapTrace)` whose
//! [`outcome`](UnwrapTrace::outcome) is the `Err` that
//! [`unwrap()`](crate::unwrap()) would return, so the console can show the
//! failed check with both values. `Err` from `trace_unwrap` itself means the
//! input could not be traced at all (a length no mechanism takes, a custom
//! IV for KWP, or more than the cap).
//!
//! **Cap.** A trace records at most [`TRACE_MAX_SEMIBLOCKS`] = 64
//! semiblocks (512 bytes) of padded key data: 384 steps. Above that,
//! [`Error::TraceTooLarge`]; plain wrap and unwrap still work.
//!
//! **Secrets.** Registers hold key data (a wrap starts from the plaintext
//! key; an unwrap ends with it), so every trace type is wiped when dropped,
//! and its `Debug` output shows the shape of the trace but no bytes. Read
//! the fields to display them. (As everywhere with `zeroize`, copies the
//! compiler makes on the stack while recording are beyond its reach; the
//! trace is a teaching tool, meant for demonstration keys.)
//!
//! ```
//! use keywrap_core::{trace_unwrap, trace_wrap, Iv, Kek, Mechanism};
//! use keywrap_core::wrap::trace::Rounds;
//!
//! let kek = Kek::new(&[0x11; 16])?;
//! let t = trace_wrap(&kek, Mechanism::Kw, None, &[0x22; 16])?;
//! let Rounds::W(steps) = &t.rounds else { unreachable!() };
//! assert_eq!(steps.len(), 12); // 6 rounds of n = 2 semiblocks
//! assert_eq!(steps[0].t, 1);
//!
//! // Unwrapping under the wrong IV is traced, with the failed check.
//! let wrong = Iv::new([0; 8]);
//! let u = trace_unwrap(&kek, Mechanism::Kw, Some(&wrong), &t.output)?;
//! assert!(!u.iv_check.passed);
//! assert_eq!(u.iv_check.recovered, *Iv::DEFAULT.as_bytes());
//! assert!(u.outcome.is_err());
//! # Ok::<(), keywrap_core::Error>(())
//! ```

use core::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::{
    Expected, Iv, Kek, Mechanism, SEMIBLOCK_LEN, TRACE_MAX_BYTES, check_unwrap_input,
    check_wrap_input, is_single_block, prepare_wrap, run_unwrap, run_wrap, take_plaintext, verify,
};
use crate::{Error, SecretBytes};

/// Re-exported for the trace's users: the cap, in semiblocks.
pub use super::TRACE_MAX_SEMIBLOCKS;

/// A 64-bit semiblock.
pub type Semiblock = [u8; 8];

/// One step of W (or W⁻¹): defined beside the rounds that fill it, in the
/// `keywrap-rounds` crate.
pub use keywrap_rounds::Step;

/// The registers `A` and `R[1..n]` at one moment.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct Registers {
    /// Register `A`.
    pub a: Semiblock,
    /// Registers `R[1]` to `R[n]` (index 0 holds `R[1]`).
    pub r: Vec<Semiblock>,
}

impl Registers {
    fn from_buf(buf: &[u8]) -> Registers {
        let none = [0u8; SEMIBLOCK_LEN];
        let (head, rest) = buf
            .split_first_chunk::<SEMIBLOCK_LEN>()
            .unwrap_or((&none, &[]));
        let a = *head;
        let r = rest.as_chunks::<SEMIBLOCK_LEN>().0.to_vec();
        Registers { a, r }
    }
}

/// What ran between the initial and the final registers.
#[derive(Zeroize, ZeroizeOnDrop)]
pub enum Rounds {
    /// The wrapping function W (for [`WrapTrace`]) or W⁻¹ (for
    /// [`UnwrapTrace`]): `6n` steps, in the order they ran.
    W(Vec<Step>),
    /// KWP with one semiblock of padded key data: a single AES block
    /// encryption of `AIV | P[1]` (wrap) or decryption of `C[0] | C[1]`
    /// (unwrap), RFC 5649 §4.1 and §4.2.
    SingleBlock {
        /// The block given to AES (or AES⁻¹).
        input: [u8; 16],
        /// What came out.
        output: [u8; 16],
    },
}

/// The padding a wrap applied before W.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Zeroize)]
pub enum Padding {
    /// None (KW).
    None,
    /// KWP: `zeros` zero bytes (0 to 7) after `mli` bytes of key data.
    KwpZeros {
        /// The message length indicator: the key data's length in bytes.
        mli: u32,
        /// How many zero bytes were appended.
        zeros: usize,
    },
    /// KW-PKCS#5: `pad_byte` bytes (1 to 8), each of value `pad_byte`.
    Pkcs5 {
        /// The value, and count, of the padding bytes.
        pad_byte: u8,
    },
}

/// Everything [`trace_wrap`] saw.
#[derive(ZeroizeOnDrop)]
pub struct WrapTrace {
    /// The mechanism.
    #[zeroize(skip)]
    pub mechanism: Mechanism,
    /// The KEK size in bits.
    pub kek_bits: u16,
    /// The length of the key data as given, in bytes.
    pub plaintext_len: usize,
    /// The padding applied.
    pub padding: Padding,
    /// The padded key data `P[1..n]`.
    pub padded: Vec<u8>,
    /// The initial value put in `A`: the IV (default or custom), or KWP's
    /// `A65959A6 | MLI`.
    pub initial_value: Semiblock,
    /// The number `n` of semiblocks of padded key data.
    pub n: usize,
    /// `A` and `R[1..n]` before the first step.
    pub initial_registers: Registers,
    /// The steps of W, or KWP's single block.
    pub rounds: Rounds,
    /// `A` and `R[1..n]` after the last step: `C[0]` and `C[1..n]`.
    pub final_registers: Registers,
    /// The wrapped key `C[0] | … | C[n]` (what [`wrap()`](crate::wrap()) returns).
    pub output: Vec<u8>,
}

/// What the recovered `A` was compared with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpectedIv {
    /// KW and KW-PKCS#5: all 8 bytes must equal this IV.
    Exact(Iv),
    /// KWP: the first 4 bytes must be this constant (`A65959A6`); the last
    /// 4 are the length indicator, checked by range ([`KwpCheck`]).
    KwpPrefix([u8; 4]),
}

impl fmt::Display for ExpectedIv {
    /// `A6A6A6A6A6A6A6A6`, or `A65959A6 | MLI` for KWP.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExpectedIv::Exact(iv) => write!(f, "{iv}"),
            ExpectedIv::KwpPrefix(p) => {
                write!(f, "{} | MLI", crate::encoding::encode_hex_upper(p))
            }
        }
    }
}

/// The integrity check of the recovered initial value.
#[derive(Zeroize)]
pub struct IvCheck {
    /// `A` after W⁻¹ (or the first half of the single decrypted block).
    pub recovered: Semiblock,
    /// What it had to be.
    #[zeroize(skip)]
    pub expected: ExpectedIv,
    /// Whether it matched (compared in constant time).
    pub passed: bool,
}

/// KWP's checks on the length indicator and the padding (RFC 5649 §3).
///
/// Wiped on drop: after a failed check the "padding" bytes are bytes of the
/// decrypted block.
#[derive(Clone, Debug, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct KwpCheck {
    /// The message length indicator: the last 4 bytes of the recovered `A`.
    pub mli: u32,
    /// The smallest MLI allowed for this wrapped size, `8(n-1) + 1`.
    pub min: u64,
    /// The largest MLI allowed for this wrapped size, `8n`.
    pub max: u64,
    /// Whether `min <= mli <= max`.
    pub mli_in_range: bool,
    /// The padding bytes (after the first `mli` bytes of key data); empty if
    /// the MLI is out of range.
    pub padding: Vec<u8>,
    /// Whether the padding is all zeros; `None` if the MLI is out of range
    /// (then there is no padding to speak of).
    pub padding_zero: Option<bool>,
}

/// KW-PKCS#5's padding check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Zeroize)]
pub struct Pkcs5Check {
    /// The last byte of the unwrapped data: the claimed padding length.
    pub pad_byte: u8,
    /// Whether it is 1 to 8 and the last `pad_byte` bytes all equal it.
    pub valid: bool,
}

/// Everything [`trace_unwrap`] saw, including a failed integrity check.
#[derive(ZeroizeOnDrop)]
pub struct UnwrapTrace {
    /// The mechanism.
    #[zeroize(skip)]
    pub mechanism: Mechanism,
    /// The KEK size in bits.
    pub kek_bits: u16,
    /// The wrapped key as given.
    pub wrapped: Vec<u8>,
    /// The number `n` of semiblocks of (padded) key data.
    pub n: usize,
    /// `A = C[0]` and `R[i] = C[i]` before the first step.
    pub initial_registers: Registers,
    /// The steps of W⁻¹, or KWP's single block.
    pub rounds: Rounds,
    /// `A` and `R[1..n]` after the last step.
    pub final_registers: Registers,
    /// The recovered `A` beside what was expected.
    pub iv_check: IvCheck,
    /// KWP only: the length indicator and padding checks.
    pub kwp: Option<KwpCheck>,
    /// KW-PKCS#5 only: the padding check.
    pub pkcs5: Option<Pkcs5Check>,
    /// What [`unwrap()`](crate::unwrap()) returns for the same input: the
    /// key data, or the error naming the check that failed.
    #[zeroize(skip)]
    pub outcome: Result<SecretBytes, Error>,
}

impl UnwrapTrace {
    /// Whether every check passed.
    pub fn passed(&self) -> bool {
        self.outcome.is_ok()
    }
}

impl Rounds {
    /// The recorded steps (empty for [`Rounds::SingleBlock`]).
    pub fn steps(&self) -> &[Step] {
        match self {
            Rounds::W(steps) => steps,
            Rounds::SingleBlock { .. } => &[],
        }
    }
}

/// Checks a traced length against the cap.
fn check_cap(len: usize) -> Result<(), Error> {
    if len > TRACE_MAX_BYTES {
        return Err(Error::TraceTooLarge {
            len,
            max: TRACE_MAX_BYTES,
        });
    }
    Ok(())
}

/// Wraps like [`wrap()`](crate::wrap()) and records every step.
///
/// Errors: those of `wrap`, and [`Error::TraceTooLarge`] above
/// [`TRACE_MAX_SEMIBLOCKS`] semiblocks of padded key data.
pub fn trace_wrap(
    kek: &Kek,
    mechanism: Mechanism,
    iv: Option<&Iv>,
    plaintext: &[u8],
) -> Result<WrapTrace, Error> {
    let padded_len = check_wrap_input(mechanism, iv, plaintext.len())?;
    check_cap(padded_len)?;
    let mut prepared = prepare_wrap(mechanism, iv, plaintext)?;
    let buf = &mut prepared.buf;
    let n = padded_len / SEMIBLOCK_LEN;
    let initial_registers = Registers::from_buf(buf);
    let rounds = if is_single_block(&buf[..]) {
        let mut input = [0u8; 16];
        input.copy_from_slice(buf);
        run_wrap(kek, buf, None);
        let mut output = [0u8; 16];
        output.copy_from_slice(buf);
        Rounds::SingleBlock { input, output }
    } else {
        let mut steps = Vec::with_capacity(6 * n);
        run_wrap(kek, buf, Some(&mut steps));
        Rounds::W(steps)
    };
    Ok(WrapTrace {
        mechanism,
        kek_bits: kek.bits(),
        plaintext_len: plaintext.len(),
        padding: prepared.padding,
        padded: initial_registers.r.concat(),
        initial_value: initial_registers.a,
        n,
        initial_registers,
        rounds,
        final_registers: Registers::from_buf(buf),
        output: buf.to_vec(),
    })
}

/// Unwraps like [`unwrap()`](crate::unwrap()) and records every step.
///
/// `Ok` even when a check fails: see [`UnwrapTrace::outcome`]. `Err` only
/// when the input cannot be traced: the length errors of `unwrap`,
/// [`Error::IvNotAllowed`], [`Error::InputTooLarge`], and
/// [`Error::TraceTooLarge`] above [`TRACE_MAX_SEMIBLOCKS`] semiblocks.
pub fn trace_unwrap(
    kek: &Kek,
    mechanism: Mechanism,
    iv: Option<&Iv>,
    wrapped: &[u8],
) -> Result<UnwrapTrace, Error> {
    let expected = check_unwrap_input(mechanism, iv, wrapped.len())?;
    check_cap(wrapped.len() - SEMIBLOCK_LEN)?;
    let n = wrapped.len() / SEMIBLOCK_LEN - 1;
    let mut buf = Zeroizing::new(wrapped.to_vec());
    let initial_registers = Registers::from_buf(&buf);
    let rounds = if is_single_block(&buf[..]) {
        let mut input = [0u8; 16];
        input.copy_from_slice(&buf);
        run_unwrap(kek, &mut buf, None);
        let mut output = [0u8; 16];
        output.copy_from_slice(&buf);
        Rounds::SingleBlock { input, output }
    } else {
        let mut steps = Vec::with_capacity(6 * n);
        run_unwrap(kek, &mut buf, Some(&mut steps));
        Rounds::W(steps)
    };
    let final_registers = Registers::from_buf(&buf);
    let verdict = verify(mechanism, &expected, &buf);
    let iv_check = IvCheck {
        recovered: final_registers.a,
        expected: match expected {
            Expected::Iv(iv) => ExpectedIv::Exact(iv),
            Expected::KwpPrefix => ExpectedIv::KwpPrefix(Iv::KWP_PREFIX),
        },
        passed: verdict.iv_ok,
    };
    let outcome = match verdict.result {
        Ok(()) => Ok(take_plaintext(buf, verdict.plaintext_len)),
        Err(e) => {
            buf.zeroize();
            Err(e)
        }
    };
    Ok(UnwrapTrace {
        mechanism,
        kek_bits: kek.bits(),
        wrapped: wrapped.to_vec(),
        n,
        initial_registers,
        rounds,
        final_registers,
        iv_check,
        kwp: verdict.kwp,
        pkcs5: verdict.pkcs5,
        outcome,
    })
}

impl fmt::Debug for Registers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Registers([REDACTED; A + {} semiblocks])", self.r.len())
    }
}

impl fmt::Debug for Rounds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rounds::W(steps) => write!(f, "W([{} steps])", steps.len()),
            Rounds::SingleBlock { .. } => f.write_str("SingleBlock([REDACTED])"),
        }
    }
}

impl fmt::Debug for IvCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IvCheck")
            .field("expected", &self.expected)
            .field("passed", &self.passed)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for WrapTrace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WrapTrace")
            .field("mechanism", &self.mechanism)
            .field("kek_bits", &self.kek_bits)
            .field("plaintext_len", &self.plaintext_len)
            .field("n", &self.n)
            .field("rounds", &self.rounds)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for UnwrapTrace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnwrapTrace")
            .field("mechanism", &self.mechanism)
            .field("kek_bits", &self.kek_bits)
            .field("n", &self.n)
            .field("rounds", &self.rounds)
            .field("iv_check", &self.iv_check)
            .field("outcome", &self.outcome.as_ref().map(|_| "[REDACTED]"))
            .finish_non_exhaustive()
    }
}
