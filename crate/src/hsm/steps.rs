//! What the step viewer may show of a wrap or unwrap the console ran — a
//! typed command's or the workbench's — and the one rule that decides it.
//!
//! **The rule** ([`may_show_key`], [`may_show_new_key`],
//! [`may_show_page_bytes`]): a trace shows the
//! key data (the registers R hold it), so the full trace is given only where
//! the page could reveal that key anyway ([`policy::check_reveal`]: the
//! caller owns it, it is extractable and not sensitive). Otherwise the steps
//! are withheld with the reason, and an unwrap still gets its integrity check
//! ([`IvCheckSummary`]), which holds no key data.
//!
//! **X-ray of the HSM** ([`Session::set_xray`]): a teaching switch, off by
//! default. With it on, the rule gives the full trace of the virtual HSM's
//! own keys too (sensitive or non-extractable ones): the view the HSM itself
//! has while it computes W or W⁻¹, which no actor outside it has. It changes
//! nothing else: the console's output, [`Session::reveal_key`], the key
//! attributes and [`crate::access`]'s who-can-see verdicts stay as they are.
//! (A real HSM has no such switch; this one is virtual, and its keys are
//! demonstration keys.) Switched on after steps were withheld, it can
//! replay them ([`Session::replay_withheld`]): the withheld steps keep only
//! handles, the mechanism, the IV and the wrapped bytes ([`StepReplay`]),
//! never key data, and the replay runs the same W or W⁻¹ over the same keys
//! again without changing the session.
//!
//! Only the commands that run W or W⁻¹ trace (`wrapKey`, `unWrapKey`,
//! `aesWrapUnwrap`, `exSymKey`, `imSymKey`), and the wrap engine's cap
//! ([`crate::wrap::trace::TRACE_MAX_SEMIBLOCKS`]) applies: above it the steps
//! are withheld as too large, and the command itself is unaffected.

use super::{HsmState, Session};
use crate::store::{Caller, KeyHandle, KeyObject, UserId, policy};
use crate::wrap::trace::{ExpectedIv, Semiblock};
use crate::{Error, Iv, Kek, Mechanism, UnwrapTrace, WrapTrace};

/// What the step viewer may show of one run of W or W⁻¹.
#[derive(Debug)]
pub enum OperationSteps {
    /// Every step of W (the page could reveal the key anyway).
    Wrap(WrapTrace),
    /// Every step of W⁻¹ and the checks (the page could reveal the key anyway).
    Unwrap(UnwrapTrace),
    /// The steps are withheld: why, and for an unwrap the IV check alone.
    Withheld(WithheldSteps),
}

/// Steps the page may not show, and what it may show instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WithheldSteps {
    /// Why, in words.
    pub reason: String,
    /// For an unwrap that ran, its integrity check without the registers.
    pub iv_check: Option<IvCheckSummary>,
    /// How to run the same W or W⁻¹ again as the HSM sees it, once X-ray is
    /// on ([`Session::replay_withheld`]); `None` where the operation used
    /// bytes the HSM does not keep (a pasted KEK).
    replay: Option<StepReplay>,
    /// Whether the trace could not be made at all (too long to trace, or
    /// bad input): then X-ray would show nothing more.
    untraceable: bool,
}

impl WithheldSteps {
    /// Withheld for `reason`, with nothing else to show and nothing to replay.
    pub fn because(reason: impl Into<String>) -> Self {
        Self {
            reason: reason.into(),
            iv_check: None,
            replay: None,
            untraceable: false,
        }
    }

    /// Withheld because the trace itself cannot be made (the key data is
    /// longer than a trace holds, or the input is bad), whoever looks.
    pub fn untraceable(reason: impl Into<String>) -> Self {
        Self {
            untraceable: true,
            ..Self::because(reason)
        }
    }

    /// Withheld for `reason`, with the IV check of an unwrap that ran.
    pub fn with_iv_check(reason: impl Into<String>, iv_check: Option<IvCheckSummary>) -> Self {
        Self {
            iv_check,
            ..Self::because(reason)
        }
    }

    /// Whether [`Session::replay_withheld`] can show these steps under X-ray.
    pub fn replayable(&self) -> bool {
        self.replay.is_some()
    }

    /// Whether turning X-ray on could show these steps: not when the trace
    /// cannot be made for anyone (a megabyte of key data, say).
    pub fn xray_would_show(&self) -> bool {
        !self.untraceable
    }
}

/// What it takes to run a withheld W or W⁻¹ again inside the HSM: handles,
/// the mechanism and IV, and for W⁻¹ the wrapped bytes — never key data.
/// The keys themselves stay in the store; a replay looks them up again, so
/// a key deleted since cannot be replayed.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum StepReplay {
    /// W of the HSM key `key` under the HSM key `kek`.
    Wrap {
        /// Who ran it: a replay is for the same user only.
        user: UserId,
        /// The wrapping key.
        kek: KeyHandle,
        /// The wrapped key.
        key: KeyHandle,
        /// The mechanism.
        mechanism: Mechanism,
        /// The IV given, if any.
        iv: Option<Iv>,
    },
    /// W⁻¹ of `wrapped` under the HSM key `kek`.
    Unwrap {
        /// Who ran it.
        user: UserId,
        /// The unwrapping key.
        kek: KeyHandle,
        /// The mechanism.
        mechanism: Mechanism,
        /// The IV given, if any.
        iv: Option<Iv>,
        /// The wrapped bytes (ciphertext: what W⁻¹ read).
        wrapped: Vec<u8>,
    },
}

impl std::fmt::Debug for StepReplay {
    // Handles and lengths only: the wrapped bytes need not be in a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StepReplay::Wrap {
                kek,
                key,
                mechanism,
                ..
            } => {
                write!(f, "Wrap(key {key} under {kek}, {mechanism:?})")
            }
            StepReplay::Unwrap {
                kek,
                mechanism,
                wrapped,
                ..
            } => write!(
                f,
                "Unwrap({} bytes under {kek}, {mechanism:?})",
                wrapped.len()
            ),
        }
    }
}

impl OperationSteps {
    /// A wrap's trace, or why it is withheld.
    pub fn of_wrap(steps: Result<WrapTrace, WithheldSteps>) -> Self {
        steps.map_or_else(OperationSteps::Withheld, OperationSteps::Wrap)
    }

    /// An unwrap's trace, or why it is withheld and its IV check.
    pub fn of_unwrap(steps: Result<UnwrapTrace, WithheldSteps>) -> Self {
        steps.map_or_else(OperationSteps::Withheld, OperationSteps::Unwrap)
    }

    /// These steps, with how to replay them if they are withheld.
    pub(crate) fn replayable_as(self, replay: StepReplay) -> Self {
        match self {
            OperationSteps::Withheld(w) => OperationSteps::Withheld(WithheldSteps {
                replay: Some(replay),
                ..w
            }),
            shown => shown,
        }
    }

    /// The integrity check of an unwrap, from the full trace or the summary
    /// given in its place.
    pub fn iv_check(&self) -> Option<IvCheckSummary> {
        match self {
            OperationSteps::Wrap(_) => None,
            OperationSteps::Unwrap(t) => Some(IvCheckSummary::from_trace(t)),
            OperationSteps::Withheld(w) => w.iv_check.clone(),
        }
    }
}

/// The steps of a typed command (`Outcome::steps`).
#[derive(Debug)]
pub struct CommandSteps {
    /// What ran W or W⁻¹, as the line's dialect names it: a KMU function
    /// (`Cfm2WrapKey`, `Cfm3UnWrapKey`, `Cfm2UnWrapWithTemplate3`,
    /// `Cfm3WrapHostKey`, `Cfm3UnWrapHostKey`) or a CloudHSM CLI command
    /// (`key wrap`, `key unwrap`). `exSymKey` and `imSymKey` run both W and
    /// W⁻¹; theirs is the W⁻¹ that delivered the key (to the host, or into
    /// the HSM).
    pub function: &'static str,
    /// What may be shown.
    pub steps: OperationSteps,
}

/// The integrity check at the end of W⁻¹, without the registers: what the
/// page shows of an unwrap whose steps are withheld.
///
/// **Why none of this is key data.** After W⁻¹ the key data is in `R[1..n]`,
/// and no `R` value, no AES input or output `B` and no padding byte is kept
/// here. What is kept:
///
/// - `expected`: the IV the caller gave (or the default, or KWP's constant
///   `A65959A6`) — public.
/// - `recovered`: the register `A`. When the check passes it *is* the
///   expected IV (for KWP, `A65959A6 | MLI` with the MLI below). When it
///   fails (wrong KEK, wrong IV, tampered blob) it is half of one AES⁻¹
///   output under the KEK for a blob the person supplied, and no key is
///   created. AES being a pseudo-random permutation, such halves say nothing
///   of the KEK, and they cannot be chained into the key data of another
///   blob: each step of W⁻¹ feeds the *other* half (`R[i] = LSB64(B)`) into
///   a later step, and that half is never shown. (A real HSM says only
///   "integrity check failed"; showing `A` is what this page teaches, and
///   the person may use this KEK to unwrap, or the policy would have refused
///   before W⁻¹ ran.)
/// - KWP's MLI and its range: the last four bytes of `A`, so no more than
///   `A` itself; after a successful unwrap it is the key's length, which
///   the key's metadata (`OBJ_ATTR_VALUE_LEN`) shows anyway.
/// - KWP's padding verdict — only when the first half of `A` was
///   `A65959A6` and the MLI in range: then the blob was made by a KWP wrap
///   under this KEK, and the bytes after the MLI are padding, not key data,
///   by the format's own definition (and zero whenever the unwrap passes).
///   When the first check failed, "padding" would be arbitrary bytes of
///   `R`, so no verdict is given ([`KwpCheckSummary::padding_zero`] is
///   `None`), as RFC 5649 stops at the first failed check too.
/// - KW-PKCS#5's padding verdict — only when the IV check passed, where the
///   unwrap's own error (shown anyway) says the same. The padding byte
///   itself is never kept: a KW blob unwrapped as KW-PKCS#5 passes the IV
///   check, and then that "padding byte" is the key's last byte.
/// - The outcome's error, which the console prints anyway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IvCheckSummary {
    /// The mechanism W⁻¹ ran with.
    pub mechanism: Mechanism,
    /// The KEK size in bits.
    pub kek_bits: u16,
    /// The wrapped key's length in bytes.
    pub wrapped_len: usize,
    /// What `A` had to be.
    pub expected: ExpectedIv,
    /// `A` after W⁻¹ (for KWP: its first half is checked, its second half
    /// is the MLI).
    pub recovered: Semiblock,
    /// Whether `A` (for KWP, its first half) matched.
    pub passed: bool,
    /// KWP only: the length indicator and the padding verdict.
    pub kwp: Option<KwpCheckSummary>,
    /// KW-PKCS#5 only: whether the padding is valid; `None` when the IV
    /// check failed first.
    pub pkcs5_padding_valid: Option<bool>,
    /// The check that failed, as the unwrap reports it; `None` when every
    /// check passed.
    pub error: Option<Error>,
}

/// KWP's checks on the alternative IV, without the padding bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KwpCheckSummary {
    /// The message length indicator: the last 4 bytes of the recovered `A`.
    pub mli: u32,
    /// The smallest MLI allowed for this wrapped size, `8(n-1) + 1`.
    pub min: u64,
    /// The largest MLI allowed for this wrapped size, `8n`.
    pub max: u64,
    /// Whether `min <= mli <= max`.
    pub mli_in_range: bool,
    /// Whether the padding is all zeros; `None` when it was not checked
    /// (the first half of `A` was wrong, or the MLI out of range).
    pub padding_zero: Option<bool>,
}

impl IvCheckSummary {
    /// The check of a full trace, without its registers or padding bytes
    /// (see the type's documentation for why what is kept is not key data).
    pub fn from_trace(trace: &UnwrapTrace) -> IvCheckSummary {
        let check = &trace.iv_check;
        let kwp = trace.kwp.as_ref().map(|k| KwpCheckSummary {
            mli: k.mli,
            min: k.min,
            max: k.max,
            mli_in_range: k.mli_in_range,
            padding_zero: if check.passed && k.mli_in_range {
                k.padding_zero
            } else {
                None
            },
        });
        let pkcs5_padding_valid = trace
            .pkcs5
            .as_ref()
            .and_then(|p| check.passed.then_some(p.valid));
        IvCheckSummary {
            mechanism: trace.mechanism,
            kek_bits: trace.kek_bits,
            wrapped_len: trace.wrapped.len(),
            expected: check.expected,
            recovered: check.recovered,
            passed: check.passed,
            kwp,
            pkcs5_padding_valid,
            error: trace.outcome.as_ref().err().cloned(),
        }
    }

    /// Whether every check passed (the unwrap released key data).
    pub fn all_passed(&self) -> bool {
        self.error.is_none()
    }
}

impl Session {
    /// Turns X-ray of the HSM on or off (see the module's documentation):
    /// from the next wrap or unwrap on, the step viewer gets the full trace
    /// of the HSM's own keys, and steps withheld before can be replayed
    /// ([`Session::replay_withheld`]). Off in a new session.
    pub fn set_xray(&mut self, on: bool) {
        self.state.xray = on;
    }

    /// Whether X-ray of the HSM is on.
    pub fn xray(&self) -> bool {
        self.state.xray
    }

    /// The steps that were withheld, run again as the HSM sees them: the
    /// page switched X-ray on after a wrap or unwrap it could not show. The
    /// replay runs W or W⁻¹ once more over the same keys (looked up again)
    /// and changes nothing: no key, file or audit entry. It is refused when
    /// X-ray is off, when another user (or nobody) is logged in now, when a
    /// key it needs was deleted, and when the steps were withheld for a
    /// reason X-ray does not lift (a trace too large to show).
    pub fn replay_withheld(&self, withheld: &WithheldSteps) -> Result<OperationSteps, String> {
        if !self.state.xray {
            return Err("X-ray is off".to_owned());
        }
        let Some(replay) = &withheld.replay else {
            return Err("these steps cannot be replayed inside the HSM".to_owned());
        };
        let (StepReplay::Wrap { user, kek, .. } | StepReplay::Unwrap { user, kek, .. }) = replay;
        if self.state.login != Some(*user) {
            return Err("the user who ran it is no longer logged in".to_owned());
        }
        let gone = |h: KeyHandle| format!("key {h} no longer exists");
        let kek_object = self.state.store.get(*kek).ok_or_else(|| gone(*kek))?;
        let kek = Kek::new(kek_object.value().expose_secret()).map_err(|e| e.to_string())?;
        let steps = match replay {
            StepReplay::Wrap {
                key, mechanism, iv, ..
            } => {
                let target = self.state.store.get(*key).ok_or_else(|| gone(*key))?;
                OperationSteps::of_wrap(wrap_steps(
                    &kek,
                    *mechanism,
                    iv.as_ref(),
                    target.value().expose_secret(),
                    self.state.step_rule(Err(String::new())),
                ))
            }
            StepReplay::Unwrap {
                mechanism,
                iv,
                wrapped,
                ..
            } => OperationSteps::of_unwrap(unwrap_steps(
                &kek,
                *mechanism,
                iv.as_ref(),
                wrapped,
                self.state.step_rule(Err(String::new())),
            )),
        };
        match steps {
            OperationSteps::Withheld(w) => Err(w.reason),
            shown => Ok(shown),
        }
    }
}

impl HsmState {
    /// The session's step rule for an HSM key: `outside` (what any actor
    /// outside the HSM may see, [`may_show_key`] or [`may_show_new_key`]),
    /// or, with X-ray on, the HSM's own view: everything.
    pub(crate) fn step_rule(&self, outside: Result<(), String>) -> Result<(), String> {
        xray_rule(outside, self.xray)
    }
}

/// The step rule with X-ray: the outside rule when off, the full trace when on.
fn xray_rule(outside: Result<(), String>, xray: bool) -> Result<(), String> {
    if xray { Ok(()) } else { outside }
}

/// The rule for an existing key: the page may show its steps only if it
/// could reveal the key anyway.
pub(crate) fn may_show_key(key: &KeyObject, caller: Caller) -> Result<(), String> {
    policy::check_reveal(key, caller).map_err(|why| format!("the trace would show the key: {why}"))
}

/// The rule for bytes that come from the page or go to it (a paste, an
/// in-page file, bytes unwrapped to the page): the page holds them already,
/// so it may show their steps.
pub(crate) fn may_show_page_bytes() -> Result<(), String> {
    Ok(())
}

/// The rule for a key an unwrap creates: the caller will own it, so it could
/// be revealed exactly when it is extractable and not sensitive — the rest
/// of [`policy::check_reveal`].
pub(crate) fn may_show_new_key(sensitive: bool, extractable: bool) -> Result<(), String> {
    if !policy::may_reveal(true, extractable, sensitive) {
        Err("the new key is sensitive or non-extractable, and the trace would show it".to_owned())
    } else {
        Ok(())
    }
}

/// The trace of a wrap, or why it is withheld.
// The Ok side (a trace) is larger still; one call per operation.
#[allow(clippy::result_large_err)]
pub(crate) fn wrap_steps(
    kek: &Kek,
    mechanism: Mechanism,
    iv: Option<&Iv>,
    key_data: &[u8],
    may_show: Result<(), String>,
) -> Result<WrapTrace, WithheldSteps> {
    may_show.map_err(WithheldSteps::because)?;
    crate::trace_wrap(kek, mechanism, iv, key_data)
        .map_err(|e| WithheldSteps::untraceable(e.to_string()))
}

/// The trace of an unwrap, or why it is withheld and the IV check alone.
/// Traced even when withheld, to read the check; that trace (registers and
/// all) is wiped when it drops here.
// The Ok side (a trace) is larger still; one call per operation.
#[allow(clippy::result_large_err)]
pub(crate) fn unwrap_steps(
    kek: &Kek,
    mechanism: Mechanism,
    iv: Option<&Iv>,
    wrapped: &[u8],
    may_show: Result<(), String>,
) -> Result<UnwrapTrace, WithheldSteps> {
    let trace = crate::trace_unwrap(kek, mechanism, iv, wrapped)
        .map_err(|e| WithheldSteps::untraceable(e.to_string()))?;
    match may_show {
        Ok(()) => Ok(trace),
        Err(reason) => Err(WithheldSteps::with_iv_check(
            reason,
            Some(IvCheckSummary::from_trace(&trace)),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xray_off_keeps_the_outside_rule_and_on_shows_the_hsm_view() {
        let refused = Err("sensitive".to_owned());
        assert_eq!(xray_rule(refused.clone(), false), refused);
        assert_eq!(xray_rule(refused, true), Ok(()));
        assert_eq!(xray_rule(Ok(()), false), Ok(()));
    }

    #[test]
    fn a_new_session_has_xray_off() {
        let mut s = Session::new();
        assert!(!s.xray());
        s.set_xray(true);
        assert!(s.xray());
    }
}
