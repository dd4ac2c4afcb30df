//! The wrap / unwrap workbench: the same operations as the commands, for
//! people who do not type, with the step-by-step trace — and the same policy.
//!
//! | target | KEK | what it is | policy |
//! |---|---|---|---|
//! | HSM key | HSM key | `wrapKey -noheader` | [`policy::check_wrap`], CloudHSM's IV rule |
//! | pasted bytes | HSM key | `aesWrapUnwrap -m 1` | WRAP on the KEK; any IV (KW, KW-PKCS#5) |
//! | pasted bytes | pasted KEK | standalone, as CyberChef | none: nothing in the HSM is touched |
//! | HSM key | pasted KEK | refused | an HSM wraps only under keys it holds |
//!
//! A trace shows the key data (the registers R hold it), so a trace of an
//! HSM key is given only where the page could reveal that key anyway;
//! otherwise it is withheld, with the reason, and an unwrap still shows its
//! IV check. The rule is the HSM's one rule, in [`super::steps`]; every
//! operation on an HSM key is the same [`super::ops`] function the
//! dialects call.

use super::audit::Dialect;
use super::copies::{self, CopyPlace, KeyCopy, OutputUse, SeparationReport};
use super::error::{HsmError, HsmErrorKind, Stage};
use super::files::{FileOrigin, check_file_name};
use super::ops::{self, NewKeyTemplate, OpFailure, OutFile, Planned};
use super::steps::{self, IvCheckSummary, OperationSteps};
use super::{Effects, Session};
use crate::kmu::ReturnCode;
use crate::store::{KeyHandle, KeyType};
use crate::{Iv, Kek, Mechanism, SecretBytes, UnwrapTrace, WrapTrace};

/// A key for the workbench: one in the HSM, or bytes pasted into the page.
#[derive(Clone, Copy, Debug)]
pub enum WorkbenchKey<'a> {
    /// A key in the HSM.
    Handle(KeyHandle),
    /// Bytes pasted (decoded from hex or base64 by the caller).
    Pasted(&'a [u8]),
}

/// A wrap for the workbench.
#[derive(Clone, Debug)]
pub struct WrapRequest<'a> {
    /// The key to wrap.
    pub target: WorkbenchKey<'a>,
    /// The wrapping key.
    pub kek: WorkbenchKey<'a>,
    /// KW, KWP or KW-PKCS#5.
    pub mechanism: Mechanism,
    /// A custom IV (`None`: the standard one).
    pub iv: Option<Iv>,
    /// Also write the blob to this in-page file (bare, as `-noheader`).
    pub out_file: Option<String>,
}

/// A successful workbench wrap.
#[derive(Debug)]
pub struct WrapResult {
    /// The wrapped key.
    pub wrapped: Vec<u8>,
    /// Every step of W, when the page may show the key data.
    pub trace: Option<WrapTrace>,
    /// Why the trace is withheld, when it is.
    pub trace_withheld: Option<String>,
    /// The file written, if one was asked for.
    pub file: Option<String>,
}

/// Where a workbench unwrap puts the key.
#[derive(Clone, Debug)]
pub enum UnwrapInto {
    /// A new key in the HSM (needs an HSM KEK), as `unWrapKey -noheader`;
    /// start from [`UnwrapInto::new_key`], the HSM's one default.
    NewKey(NewKeyTemplate),
    /// The bytes, to the page (as `aesWrapUnwrap -m 0`, or standalone).
    Bytes,
}

impl UnwrapInto {
    /// A new key with the HSM's default attributes for an unwrapped key
    /// ([`NewKeyTemplate::new`]: sensitive, extractable, persistent).
    pub fn new_key(label: &str, key_type: KeyType) -> Self {
        Self::NewKey(NewKeyTemplate::new(label, key_type))
    }
}

/// An unwrap for the workbench.
#[derive(Clone, Debug)]
pub struct UnwrapRequest<'a> {
    /// The wrapped key (pasted or read from a file by the caller).
    pub wrapped: &'a [u8],
    /// The unwrapping key.
    pub kek: WorkbenchKey<'a>,
    /// KW, KWP or KW-PKCS#5.
    pub mechanism: Mechanism,
    /// A custom IV (`None`: the standard one).
    pub iv: Option<Iv>,
    /// Where the key goes.
    pub into: UnwrapInto,
}

/// What a workbench unwrap produced.
#[derive(Debug)]
pub enum Unwrapped {
    /// A new HSM key.
    NewKey {
        /// Its handle.
        handle: KeyHandle,
        /// Its KCV.
        kcv: [u8; 3],
    },
    /// The key bytes.
    Bytes(SecretBytes),
}

/// The result of a workbench unwrap: the outcome, and the trace even when
/// the integrity check failed (so the viewer can show why).
#[derive(Debug)]
pub struct UnwrapResult {
    /// The key, or why not.
    pub outcome: Result<Unwrapped, HsmError>,
    /// Every step of W⁻¹ and the IV check, when the page may show them.
    pub trace: Option<UnwrapTrace>,
    /// Why the trace is withheld, when it is.
    pub trace_withheld: Option<String>,
    /// When the trace is withheld but W⁻¹ ran: its IV check alone (the
    /// recovered `A` beside the expected IV, KWP's length and padding
    /// verdicts), which holds no key data ([`IvCheckSummary`]).
    pub iv_check: Option<IvCheckSummary>,
    /// Key-separation attacks the unwrap completed ([`super::copies`]):
    /// the page says so plainly.
    pub separations: Vec<SeparationReport>,
}

fn pasted_kek(bytes: &[u8]) -> Result<Kek, HsmError> {
    Kek::new(bytes).map_err(|e| HsmErrorKind::Crypto(e).at(Stage::Check))
}

fn check(kind: HsmErrorKind) -> HsmError {
    kind.at(Stage::Check)
}

/// What the workbench shows of an operation's steps: the full trace, or why
/// not (with an unwrap's IV check alone).
fn shown_steps(
    steps: Option<OperationSteps>,
) -> (
    Option<WrapTrace>,
    Option<UnwrapTrace>,
    Option<String>,
    Option<IvCheckSummary>,
) {
    match steps {
        Some(OperationSteps::Wrap(t)) => (Some(t), None, None, None),
        Some(OperationSteps::Unwrap(t)) => (None, Some(t), None, None),
        Some(OperationSteps::Withheld(w)) => (None, None, Some(w.reason), w.iv_check),
        None => (None, None, None, None),
    }
}

impl Session {
    /// Plans an operation, applies it when it succeeded, and records it in
    /// the audit log as the page's.
    fn page_op<T>(
        &mut self,
        audit_text: String,
        mut handles: Vec<KeyHandle>,
        plan: impl FnOnce(&Self) -> ops::Plan<T>,
    ) -> (Result<(T, Effects), HsmError>, Option<OperationSteps>) {
        let planned = plan(self);
        let (result, steps) = match planned {
            Ok(Planned {
                mutations,
                result,
                steps,
            }) => {
                let effects = self.apply(mutations);
                handles.extend(effects.created.iter().copied());
                (Ok((result, effects)), steps)
            }
            Err(OpFailure { error, steps }) => (Err(error), steps.map(|s| *s)),
        };
        let code = ReturnCode::of_result(&result);
        self.record(Dialect::Page, audit_text, handles, code);
        (result, steps)
    }

    /// Wraps with the workbench. Same policy as the commands; audited.
    pub fn workbench_wrap(&mut self, request: &WrapRequest<'_>) -> Result<WrapResult, HsmError> {
        let (audit_text, handles) = describe(
            "workbench wrap",
            request.target,
            request.kek,
            request.mechanism,
            request.iv.as_ref(),
        );
        let out_name = request.out_file.as_deref();
        let origin = FileOrigin::Workbench {
            key: handle_of(request.target),
            wrapping: handle_of(request.kek),
        };
        let out = out_name.map(|name| OutFile { name, origin });
        let mut shown = Vec::new();
        let (result, steps) = self.page_op(audit_text, handles, |s| {
            let mut plan = match (request.target, request.kek) {
                (WorkbenchKey::Handle(key), WorkbenchKey::Handle(wrapping)) => ops::wrap(
                    &s.state,
                    &ops::WrapSpec {
                        key,
                        wrapping,
                        mechanism: request.mechanism,
                        iv: request.iv,
                        header: false,
                        out,
                    },
                ),
                (WorkbenchKey::Pasted(data), WorkbenchKey::Handle(key)) => ops::host_wrap(
                    &s.state,
                    &ops::HostWrapSpec {
                        wrap: true,
                        key,
                        mechanism: request.mechanism,
                        iv: request.iv,
                        data,
                        out,
                    },
                )
                .map(|p| Planned {
                    mutations: p.mutations,
                    result: p.result.expose_secret().to_vec(),
                    steps: p.steps,
                }),
                (WorkbenchKey::Pasted(data), WorkbenchKey::Pasted(k)) => {
                    standalone_wrap(k, request.mechanism, request.iv.as_ref(), data, out)
                }
                (WorkbenchKey::Handle(_), WorkbenchKey::Pasted(_)) => {
                    Err(OpFailure::from(check(HsmErrorKind::ExternalKek)))
                }
            };
            if let Ok(p) = plan.as_mut() {
                shown = shown_in_workbench(&mut p.mutations);
            }
            plan
        });
        self.state
            .copies
            .set_output(copies::WorkbenchOutput::Wrapped, shown);
        let (wrapped, _) = result?;
        let (trace, _, trace_withheld, _) = shown_steps(steps);
        Ok(WrapResult {
            wrapped,
            trace,
            trace_withheld,
            file: request.out_file.clone(),
        })
    }

    /// Unwraps with the workbench. Same policy as the commands; audited.
    pub fn workbench_unwrap(&mut self, request: &UnwrapRequest<'_>) -> UnwrapResult {
        let (audit_text, handles) = describe(
            "workbench unwrap",
            WorkbenchKey::Pasted(&[]),
            request.kek,
            request.mechanism,
            request.iv.as_ref(),
        );
        let mut shown = Vec::new();
        let (result, steps) = self.page_op(audit_text, handles, |s| {
            let mut plan = match (request.kek, &request.into) {
                (WorkbenchKey::Handle(unwrapping), UnwrapInto::NewKey(template)) => ops::unwrap(
                    &s.state,
                    &ops::UnwrapSpec {
                        input: ops::WrappedInput::Bytes(request.wrapped),
                        unwrapping,
                        source: ops::UnwrapSource::Template {
                            mechanism: request.mechanism,
                            iv: request.iv,
                            template: template.clone(),
                        },
                    },
                )
                .map(|p| {
                    let kcv = p
                        .mutations
                        .iter()
                        .find_map(|m| match m {
                            ops::Mutation::CreateKey { attributes, .. } => Some(attributes.kcv),
                            _ => None,
                        })
                        .unwrap_or_default();
                    Planned {
                        mutations: p.mutations,
                        result: Unwrapped::NewKey {
                            handle: p.result,
                            kcv,
                        },
                        steps: p.steps,
                    }
                }),
                (WorkbenchKey::Handle(key), UnwrapInto::Bytes) => ops::host_wrap(
                    &s.state,
                    &ops::HostWrapSpec {
                        wrap: false,
                        key,
                        mechanism: request.mechanism,
                        iv: request.iv,
                        data: request.wrapped,
                        out: None,
                    },
                )
                .map(|p| Planned {
                    mutations: p.mutations,
                    result: Unwrapped::Bytes(p.result),
                    steps: p.steps,
                }),
                (WorkbenchKey::Pasted(_), UnwrapInto::NewKey(_)) => {
                    Err(OpFailure::from(check(HsmErrorKind::ExternalKek)))
                }
                (WorkbenchKey::Pasted(k), UnwrapInto::Bytes) => {
                    standalone_unwrap(k, request.mechanism, request.iv.as_ref(), request.wrapped)
                        .map(|mut p| {
                            // A pasted KEK can open a blob of an HSM key: the
                            // bytes are that key's plaintext (compared inside
                            // the HSM, by KCV and then value).
                            if let Unwrapped::Bytes(bytes) = &p.result {
                                let found = copies::plaintext_copies(
                                    &s.state,
                                    bytes.expose_secret(),
                                    &CopyPlace::Transcript,
                                    None,
                                );
                                p.mutations.extend(copies::mutations(found));
                            }
                            p
                        })
                }
            };
            if let Ok(p) = plan.as_mut() {
                shown = shown_in_workbench(&mut p.mutations);
            }
            plan
        });
        self.state
            .copies
            .set_output(copies::WorkbenchOutput::Unwrapped, shown);
        let separations = match &result {
            Ok((_, effects)) => effects.separations.clone(),
            Err(_) => Vec::new(),
        };
        let ran = steps.is_some();
        let (_, trace, withheld, iv_check) = shown_steps(steps);
        let trace_withheld = if ran {
            withheld
        } else {
            Some("the operation was refused before any unwrapping".to_owned())
        };
        let outcome = result.map(|(unwrapped, _)| unwrapped);
        UnwrapResult {
            outcome,
            trace,
            trace_withheld,
            iv_check,
            separations,
        }
    }
}

/// A wrap with a pasted KEK: nothing in the HSM is touched, so no HSM rule
/// applies; the page holds these bytes already, so it may show the steps.
fn standalone_wrap(
    kek: &[u8],
    mechanism: Mechanism,
    iv: Option<&Iv>,
    data: &[u8],
    out: Option<OutFile<'_>>,
) -> ops::Plan<Vec<u8>> {
    if let Some(out) = out {
        check_file_name(out.name).map_err(|e| OpFailure::from(check(e)))?;
    }
    let kek = pasted_kek(kek)?;
    let wrapped = crate::wrap(&kek, mechanism, iv, data)
        .map_err(|e| OpFailure::from(check(HsmErrorKind::Crypto(e))))?;
    let steps = OperationSteps::of_wrap(steps::wrap_steps(
        &kek,
        mechanism,
        iv,
        data,
        steps::may_show_page_bytes(),
    ));
    let mutations = out
        .map(|out| ops::Mutation::WriteFile(out.name.to_owned(), wrapped.clone(), out.origin))
        .into_iter()
        .collect();
    Ok(Planned {
        mutations,
        result: wrapped,
        steps: Some(steps),
    })
}

/// An unwrap with a pasted KEK, to the page.
fn standalone_unwrap(
    kek: &[u8],
    mechanism: Mechanism,
    iv: Option<&Iv>,
    wrapped: &[u8],
) -> ops::Plan<Unwrapped> {
    let kek = pasted_kek(kek)?;
    let steps = OperationSteps::of_unwrap(steps::unwrap_steps(
        &kek,
        mechanism,
        iv,
        wrapped,
        steps::may_show_page_bytes(),
    ));
    match crate::unwrap(&kek, mechanism, iv, wrapped) {
        Ok(value) => Ok(Planned {
            mutations: Vec::new(),
            result: Unwrapped::Bytes(value),
            steps: Some(steps),
        }),
        Err(e) => Err(OpFailure {
            error: check(HsmErrorKind::Crypto(e)),
            steps: Some(Box::new(steps)),
        }),
    }
}

/// The workbench shows what an operation hands back: its copies "printed"
/// are in the workbench's output instead, and a blob it also saved to a
/// file is shown as well. Returns the copies the output holds.
fn shown_in_workbench(mutations: &mut [ops::Mutation]) -> Vec<KeyCopy> {
    let mut shown: Vec<KeyCopy> = Vec::new();
    for m in mutations.iter_mut() {
        let ops::Mutation::Copy(c) = m else { continue };
        if c.place == CopyPlace::Transcript {
            c.place = CopyPlace::Workbench(OutputUse::Shown);
        }
        if matches!(c.place, CopyPlace::File(_) | CopyPlace::Workbench(_)) {
            let s = KeyCopy {
                place: CopyPlace::Workbench(OutputUse::Shown),
                ..c.clone()
            };
            if !shown.contains(&s) {
                shown.push(s);
            }
        }
    }
    shown
}

fn handle_of(key: WorkbenchKey<'_>) -> Option<KeyHandle> {
    match key {
        WorkbenchKey::Handle(h) => Some(h),
        WorkbenchKey::Pasted(_) => None,
    }
}

/// The audit line for a workbench operation: handles and mechanism, never
/// pasted bytes (not even their KCV).
fn describe(
    what: &str,
    target: WorkbenchKey<'_>,
    kek: WorkbenchKey<'_>,
    mechanism: Mechanism,
    iv: Option<&Iv>,
) -> (String, Vec<KeyHandle>) {
    let name = |k: WorkbenchKey<'_>| match k {
        WorkbenchKey::Handle(h) => format!("key {h}"),
        WorkbenchKey::Pasted(_) => "pasted bytes".to_owned(),
    };
    let mut text = if what.ends_with("unwrap") {
        format!("{what} under {} -m {}", name(kek), mechanism.kmu_number())
    } else {
        format!(
            "{what} {} under {} -m {}",
            name(target),
            name(kek),
            mechanism.kmu_number()
        )
    };
    if let Some(iv) = iv {
        text.push_str(&format!(
            " -i {}",
            crate::encoding::encode_hex(iv.as_bytes())
        ));
    }
    let mut handles: Vec<KeyHandle> = [handle_of(target), handle_of(kek)]
        .into_iter()
        .flatten()
        .collect();
    handles.sort_unstable();
    handles.dedup();
    (text, handles)
}
