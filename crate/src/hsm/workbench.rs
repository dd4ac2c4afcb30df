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
use super::steps::{self, IvCheckSummary, OperationSteps, WithheldSteps};
use super::{Effects, HsmState, Session};
use crate::kmu::ReturnCode;
use crate::store::{KeyHandle, KeyType, UserId};
use crate::wrap::{Progress, UnwrapJob, WrapJob};
use crate::{Iv, Kek, Mechanism, SecretBytes, UnwrapTrace, WrapTrace};
use std::rc::Rc;
use zeroize::Zeroizing;

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
    /// Why the trace is withheld, when it is (with how X-ray could replay it).
    pub trace_withheld: Option<WithheldSteps>,
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
    /// Why the trace is withheld, when it is (with how X-ray could replay it).
    pub trace_withheld: Option<WithheldSteps>,
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

fn crypto(e: crate::Error) -> OpFailure {
    OpFailure::from(check(HsmErrorKind::Crypto(e)))
}

/// A check that passed when a job started and fails when it finishes: the
/// HSM changed in between.
fn stale(failure: OpFailure) -> OpFailure {
    let HsmError { stage, kind } = failure.error;
    OpFailure::from(HsmErrorKind::JobStale(Some(Box::new(kind))).at(stage))
}

/// What the workbench shows of an operation's steps: the full trace, or why
/// not (with an unwrap's IV check alone).
fn shown_steps(
    steps: Option<OperationSteps>,
) -> (
    Option<WrapTrace>,
    Option<UnwrapTrace>,
    Option<WithheldSteps>,
    Option<IvCheckSummary>,
) {
    match steps {
        Some(OperationSteps::Wrap(t)) => (Some(t), None, None, None),
        Some(OperationSteps::Unwrap(t)) => (None, Some(t), None, None),
        Some(OperationSteps::Withheld(w)) => {
            let iv_check = w.iv_check.clone();
            (None, None, Some(w), iv_check)
        }
        None => (None, None, None, None),
    }
}

/// A key a job keeps: a handle, or the pasted bytes (wiped on drop).
enum JobKey {
    Handle(KeyHandle),
    Pasted(Zeroizing<Vec<u8>>),
}

impl JobKey {
    fn of(key: WorkbenchKey<'_>) -> Self {
        match key {
            WorkbenchKey::Handle(h) => Self::Handle(h),
            WorkbenchKey::Pasted(b) => Self::Pasted(Zeroizing::new(b.to_vec())),
        }
    }

    fn key(&self) -> WorkbenchKey<'_> {
        match self {
            Self::Handle(h) => WorkbenchKey::Handle(*h),
            Self::Pasted(b) => WorkbenchKey::Pasted(b),
        }
    }
}

/// What a job runs, and the request it runs for (owned, so the page may
/// drop its copy of the paste while the job runs).
enum JobOp {
    Wrap {
        target: JobKey,
        kek: JobKey,
        mechanism: Mechanism,
        iv: Option<Iv>,
        out_file: Option<String>,
        w: WrapJob<Rc<Kek>>,
    },
    Unwrap {
        wrapped: Vec<u8>,
        kek: JobKey,
        mechanism: Mechanism,
        iv: Option<Iv>,
        into: UnwrapInto,
        w: UnwrapJob<Rc<Kek>>,
    },
}

/// A workbench wrap or unwrap that runs W or W⁻¹ a slice at a time, for a
/// page that must keep answering while a large key is wrapped
/// ([`crate::wrap::PAGE_SLICE_STEPS`] a frame above
/// [`crate::wrap::PAGE_SLICED_ABOVE_BYTES`]).
///
/// [`Session::workbench_wrap_job`] and [`Session::workbench_unwrap_job`]
/// run every check first, with the errors (and audit entry) of the one-shot
/// calls; [`WorkbenchJob::run`] advances W; [`Session::finish_workbench_job`]
/// runs the checks again against the HSM as it is *then* and plans and
/// applies exactly what the one-shot call would (audit entry, files, copy
/// ledger, result). The console may run commands between slices: when a
/// check no longer passes (the KEK deleted, its WRAP flag cleared, the user
/// logged out or another logged in) the job is refused with
/// [`HsmErrorKind::JobStale`] and nothing but that refusal's audit entry is
/// recorded. Dropping a job cancels it: the store, files, ledger and audit
/// log stay as they were (a real HSM would never have seen the operation),
/// and its buffers, pasted bytes and KEK are wiped.
pub struct WorkbenchJob {
    op: JobOp,
    /// Who was logged in when it started.
    user: Option<UserId>,
}

impl std::fmt::Debug for WorkbenchJob {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "WorkbenchJob({}, {} bytes, {:?})",
            if self.is_wrap() { "wrap" } else { "unwrap" },
            self.input_len(),
            self.progress()
        )
    }
}

impl WorkbenchJob {
    /// Runs at most `max_steps` more steps of W or W⁻¹ (one AES block each).
    pub fn run(&mut self, max_steps: usize) -> Progress {
        match &mut self.op {
            JobOp::Wrap { w, .. } => w.run(max_steps),
            JobOp::Unwrap { w, .. } => w.run(max_steps),
        }
    }

    /// Where the job stands, without running anything.
    pub fn progress(&self) -> Progress {
        match &self.op {
            JobOp::Wrap { w, .. } => w.progress(),
            JobOp::Unwrap { w, .. } => w.progress(),
        }
    }

    /// Whether it is a wrap (else an unwrap).
    pub fn is_wrap(&self) -> bool {
        matches!(self.op, JobOp::Wrap { .. })
    }

    /// The bytes W or W⁻¹ runs over: the key data, or the wrapped key.
    pub fn input_len(&self) -> usize {
        match &self.op {
            JobOp::Wrap {
                target: JobKey::Pasted(b),
                ..
            } => b.len(),
            // An HSM key is at most a few kilobytes.
            JobOp::Wrap { .. } => 0,
            JobOp::Unwrap { wrapped, .. } => wrapped.len(),
        }
    }
}

/// What a finished job gave: what [`Session::workbench_wrap`] or
/// [`Session::workbench_unwrap`] would have.
#[derive(Debug)]
// One value per finished job, moved once: its size does not matter.
#[allow(clippy::large_enum_variant)]
pub enum JobResult {
    /// A wrap's result.
    Wrapped(Result<WrapResult, HsmError>),
    /// An unwrap's result (boxed: it carries a trace).
    Unwrapped(Box<UnwrapResult>),
}

impl Session {
    /// Records an operation planned from the page: applies it when it
    /// succeeded, and writes its audit entry.
    fn page_op<T>(
        &mut self,
        audit_text: String,
        mut handles: Vec<KeyHandle>,
        planned: ops::Plan<T>,
    ) -> (Result<(T, Effects), HsmError>, Option<OperationSteps>) {
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

    /// Wraps with the workbench. Same policy as the commands; audited. A
    /// [`WorkbenchJob`] run to the end in one go.
    pub fn workbench_wrap(&mut self, request: &WrapRequest<'_>) -> Result<WrapResult, HsmError> {
        let mut job = self.workbench_wrap_job(request)?;
        job.run(usize::MAX);
        match self.finish_workbench_job(job) {
            JobResult::Wrapped(result) => result,
            // A wrap job finishes as a wrap.
            JobResult::Unwrapped(_) => Err(check(HsmErrorKind::ExternalKek)),
        }
    }

    /// Unwraps with the workbench. Same policy as the commands; audited. A
    /// [`WorkbenchJob`] run to the end in one go.
    pub fn workbench_unwrap(&mut self, request: &UnwrapRequest<'_>) -> UnwrapResult {
        let mut job = match self.workbench_unwrap_job(request) {
            Ok(job) => job,
            Err(refused) => return *refused,
        };
        job.run(usize::MAX);
        match self.finish_workbench_job(job) {
            JobResult::Unwrapped(result) => *result,
            // An unwrap job finishes as an unwrap.
            JobResult::Wrapped(_) => UnwrapResult::refused(check(HsmErrorKind::ExternalKek)),
        }
    }

    /// Starts a workbench wrap: every check of [`Session::workbench_wrap`],
    /// with its errors (a refusal is audited and clears the workbench's
    /// output, as there); no step of W has run yet.
    pub fn workbench_wrap_job(
        &mut self,
        request: &WrapRequest<'_>,
    ) -> Result<WorkbenchJob, HsmError> {
        match self.start_wrap(request) {
            Ok(w) => Ok(WorkbenchJob {
                op: JobOp::Wrap {
                    target: JobKey::of(request.target),
                    kek: JobKey::of(request.kek),
                    mechanism: request.mechanism,
                    iv: request.iv,
                    out_file: request.out_file.clone(),
                    w,
                },
                user: self.state.login,
            }),
            // Recorded as the one-shot call records it; a refused plan
            // concludes as its error.
            Err(failure) => match self.conclude_wrap(request, Err(failure)) {
                Err(error) => Err(error),
                Ok(_) => Err(check(HsmErrorKind::ExternalKek)),
            },
        }
    }

    /// Starts a workbench unwrap: every check of
    /// [`Session::workbench_unwrap`]; when one fails, its result (audited,
    /// with the steps W⁻¹ shows when the wrapped length is wrong) is the `Err`.
    pub fn workbench_unwrap_job(
        &mut self,
        request: &UnwrapRequest<'_>,
    ) -> Result<WorkbenchJob, Box<UnwrapResult>> {
        match self.start_unwrap(request) {
            Ok(w) => Ok(WorkbenchJob {
                op: JobOp::Unwrap {
                    wrapped: request.wrapped.to_vec(),
                    kek: JobKey::of(request.kek),
                    mechanism: request.mechanism,
                    iv: request.iv,
                    into: request.into.clone(),
                    w,
                },
                user: self.state.login,
            }),
            Err(failure) => Err(Box::new(self.conclude_unwrap(request, Err(failure)))),
        }
    }

    /// Finishes a job: runs what is left of W or W⁻¹, checks everything
    /// again against the HSM as it is now, and applies the plan exactly as
    /// the one-shot call does; refused with [`HsmErrorKind::JobStale`] when
    /// a check no longer passes.
    pub fn finish_workbench_job(&mut self, job: WorkbenchJob) -> JobResult {
        let user = job.user;
        match job.op {
            JobOp::Wrap {
                target,
                kek,
                mechanism,
                iv,
                out_file,
                w,
            } => {
                let blob = w.finish();
                let request = WrapRequest {
                    target: target.key(),
                    kek: kek.key(),
                    mechanism,
                    iv,
                    out_file,
                };
                let plan = self.finish_wrap(&request, user, blob);
                JobResult::Wrapped(self.conclude_wrap(&request, plan))
            }
            JobOp::Unwrap {
                wrapped,
                kek,
                mechanism,
                iv,
                into,
                w,
            } => {
                let value = w.finish();
                let request = UnwrapRequest {
                    wrapped: &wrapped,
                    kek: kek.key(),
                    mechanism,
                    iv,
                    into,
                };
                let plan = self.finish_unwrap(&request, user, value);
                JobResult::Unwrapped(Box::new(self.conclude_unwrap(&request, plan)))
            }
        }
    }

    /// The checks before W, and W ready to run over the key data.
    fn start_wrap(&self, request: &WrapRequest<'_>) -> Result<WrapJob<Rc<Kek>>, OpFailure> {
        let state = &self.state;
        let out = out_file(request);
        let (kek, data) = match (request.target, request.kek) {
            (WorkbenchKey::Handle(key), WorkbenchKey::Handle(wrapping)) => {
                let c = ops::wrap_check(state, &wrap_spec(request, key, wrapping, out))?;
                (Rc::clone(&c.kek), c.target.value().expose_secret())
            }
            (WorkbenchKey::Pasted(data), WorkbenchKey::Handle(key)) => (
                ops::host_wrap_check(state, &host_spec(request, key, data, out))?,
                data,
            ),
            (WorkbenchKey::Pasted(data), WorkbenchKey::Pasted(k)) => {
                (Rc::new(standalone_check(k, out)?), data)
            }
            (WorkbenchKey::Handle(_), WorkbenchKey::Pasted(_)) => {
                return Err(OpFailure::from(check(HsmErrorKind::ExternalKek)));
            }
        };
        WrapJob::new(kek, request.mechanism, request.iv.as_ref(), data).map_err(crypto)
    }

    /// The plan of a wrap whose W gave `blob`, against the HSM as it is now.
    fn finish_wrap(
        &self,
        request: &WrapRequest<'_>,
        user: Option<UserId>,
        blob: Vec<u8>,
    ) -> ops::Plan<Vec<u8>> {
        let state = &self.state;
        let out = out_file(request);
        match (request.target, request.kek) {
            (WorkbenchKey::Handle(key), WorkbenchKey::Handle(wrapping)) => {
                let spec = wrap_spec(request, key, wrapping, out);
                let c = ops::wrap_check(state, &spec).map_err(stale)?;
                self.same_user(user)?;
                ops::wrap_plan(state, &spec, &c, blob)
            }
            (WorkbenchKey::Pasted(data), WorkbenchKey::Handle(key)) => {
                let spec = host_spec(request, key, data, out);
                let kek = ops::host_wrap_check(state, &spec).map_err(stale)?;
                self.same_user(user)?;
                let blob = SecretBytes::from(Zeroizing::new(blob));
                ops::host_wrap_plan(state, &spec, &kek, Ok(blob))
                    .map(|p| p.map(|b| b.expose_secret().to_vec()))
            }
            (WorkbenchKey::Pasted(data), WorkbenchKey::Pasted(k)) => {
                standalone_wrap_plan(k, request.mechanism, request.iv.as_ref(), data, out, blob)
            }
            (WorkbenchKey::Handle(_), WorkbenchKey::Pasted(_)) => {
                Err(OpFailure::from(check(HsmErrorKind::ExternalKek)))
            }
        }
    }

    /// The checks before W⁻¹, and W⁻¹ ready to run over the wrapped key.
    /// A wrapped length the mechanism cannot have fails as the one-shot
    /// unwrap fails (with the steps' reason).
    fn start_unwrap(&self, request: &UnwrapRequest<'_>) -> Result<UnwrapJob<Rc<Kek>>, OpFailure> {
        let state = &self.state;
        let (mechanism, iv) = (request.mechanism, request.iv.as_ref());
        let job = match (request.kek, &request.into) {
            (WorkbenchKey::Handle(unwrapping), UnwrapInto::NewKey(template)) => {
                let spec = unwrap_spec(request, unwrapping, template);
                let c = ops::unwrap_check(state, &spec)?;
                UnwrapJob::new(Rc::clone(&c.kek), c.mechanism, c.iv.as_ref(), &c.wrapped)
            }
            (WorkbenchKey::Handle(key), UnwrapInto::Bytes) => {
                let kek = ops::host_wrap_check(state, &host_unwrap_spec(request, key))?;
                UnwrapJob::new(kek, mechanism, iv, request.wrapped)
            }
            (WorkbenchKey::Pasted(_), UnwrapInto::NewKey(_)) => {
                return Err(OpFailure::from(check(HsmErrorKind::ExternalKek)));
            }
            (WorkbenchKey::Pasted(k), UnwrapInto::Bytes) => {
                let kek = Rc::new(pasted_kek(k)?);
                UnwrapJob::new(kek, mechanism, iv, request.wrapped)
            }
        };
        // The refusal W⁻¹ would give, with the steps it shows.
        job.map_err(
            |e| match self.finish_unwrap(request, self.state.login, Err(e)) {
                Err(failure) => failure,
                Ok(_) => crypto(crate::Error::IntegrityCheckFailed),
            },
        )
    }

    /// The plan of an unwrap whose W⁻¹ gave `value`, against the HSM as it
    /// is now.
    fn finish_unwrap(
        &self,
        request: &UnwrapRequest<'_>,
        user: Option<UserId>,
        value: Result<SecretBytes, crate::Error>,
    ) -> ops::Plan<Unwrapped> {
        let state = &self.state;
        match (request.kek, &request.into) {
            (WorkbenchKey::Handle(unwrapping), UnwrapInto::NewKey(template)) => {
                let spec = unwrap_spec(request, unwrapping, template);
                let c = ops::unwrap_check(state, &spec).map_err(stale)?;
                self.same_user(user)?;
                ops::unwrap_plan(state, &spec, &c, value).map(|p| {
                    let kcv = p
                        .mutations
                        .iter()
                        .find_map(|m| match m {
                            ops::Mutation::CreateKey { attributes, .. } => Some(attributes.kcv),
                            _ => None,
                        })
                        .unwrap_or_default();
                    p.map(|handle| Unwrapped::NewKey { handle, kcv })
                })
            }
            (WorkbenchKey::Handle(key), UnwrapInto::Bytes) => {
                let spec = host_unwrap_spec(request, key);
                let kek = ops::host_wrap_check(state, &spec).map_err(stale)?;
                self.same_user(user)?;
                ops::host_wrap_plan(state, &spec, &kek, value).map(|p| p.map(Unwrapped::Bytes))
            }
            (WorkbenchKey::Pasted(_), UnwrapInto::NewKey(_)) => {
                Err(OpFailure::from(check(HsmErrorKind::ExternalKek)))
            }
            (WorkbenchKey::Pasted(k), UnwrapInto::Bytes) => standalone_unwrap_plan(
                state,
                k,
                request.mechanism,
                request.iv.as_ref(),
                request.wrapped,
                value,
            ),
        }
    }

    /// A job that used HSM keys finishes for the user who started it.
    fn same_user(&self, user: Option<UserId>) -> Result<(), OpFailure> {
        if self.state.login == user {
            Ok(())
        } else {
            Err(OpFailure::from(check(HsmErrorKind::JobStale(None))))
        }
    }

    /// Applies (or refuses) a workbench wrap's plan and says what it gave.
    fn conclude_wrap(
        &mut self,
        request: &WrapRequest<'_>,
        mut plan: ops::Plan<Vec<u8>>,
    ) -> Result<WrapResult, HsmError> {
        let (audit_text, handles) = describe(
            "workbench wrap",
            request.target,
            request.kek,
            request.mechanism,
            request.iv.as_ref(),
        );
        let shown = match plan.as_mut() {
            Ok(p) => shown_in_workbench(&mut p.mutations),
            Err(_) => Vec::new(),
        };
        let (result, steps) = self.page_op(audit_text, handles, plan);
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

    /// Applies (or refuses) a workbench unwrap's plan and says what it gave.
    fn conclude_unwrap(
        &mut self,
        request: &UnwrapRequest<'_>,
        mut plan: ops::Plan<Unwrapped>,
    ) -> UnwrapResult {
        let (audit_text, handles) = describe(
            "workbench unwrap",
            WorkbenchKey::Pasted(&[]),
            request.kek,
            request.mechanism,
            request.iv.as_ref(),
        );
        let shown = match plan.as_mut() {
            Ok(p) => shown_in_workbench(&mut p.mutations),
            Err(_) => Vec::new(),
        };
        let (result, steps) = self.page_op(audit_text, handles, plan);
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
            Some(WithheldSteps::untraceable(REFUSED_BEFORE_UNWRAP))
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

const REFUSED_BEFORE_UNWRAP: &str = "the operation was refused before any unwrapping";

impl UnwrapResult {
    fn refused(error: HsmError) -> Self {
        Self {
            outcome: Err(error),
            trace: None,
            trace_withheld: Some(WithheldSteps::untraceable(REFUSED_BEFORE_UNWRAP)),
            iv_check: None,
            separations: Vec::new(),
        }
    }
}

fn out_file<'r>(request: &'r WrapRequest<'_>) -> Option<OutFile<'r>> {
    let origin = FileOrigin::Workbench {
        key: handle_of(request.target),
        wrapping: handle_of(request.kek),
    };
    request
        .out_file
        .as_deref()
        .map(|name| OutFile { name, origin })
}

fn wrap_spec<'r>(
    request: &WrapRequest<'_>,
    key: KeyHandle,
    wrapping: KeyHandle,
    out: Option<OutFile<'r>>,
) -> ops::WrapSpec<'r> {
    ops::WrapSpec {
        key,
        wrapping,
        mechanism: request.mechanism,
        iv: request.iv,
        header: false,
        out,
    }
}

fn host_spec<'r>(
    request: &WrapRequest<'_>,
    key: KeyHandle,
    data: &'r [u8],
    out: Option<OutFile<'r>>,
) -> ops::HostWrapSpec<'r> {
    ops::HostWrapSpec {
        wrap: true,
        key,
        mechanism: request.mechanism,
        iv: request.iv,
        data,
        out,
    }
}

fn host_unwrap_spec<'r>(request: &UnwrapRequest<'r>, key: KeyHandle) -> ops::HostWrapSpec<'r> {
    ops::HostWrapSpec {
        wrap: false,
        key,
        mechanism: request.mechanism,
        iv: request.iv,
        data: request.wrapped,
        out: None,
    }
}

fn unwrap_spec<'r>(
    request: &UnwrapRequest<'r>,
    unwrapping: KeyHandle,
    template: &NewKeyTemplate,
) -> ops::UnwrapSpec<'r> {
    ops::UnwrapSpec {
        input: ops::WrappedInput::Bytes(request.wrapped),
        unwrapping,
        source: ops::UnwrapSource::Template {
            mechanism: request.mechanism,
            iv: request.iv,
            template: template.clone(),
        },
    }
}

/// A wrap with a pasted KEK touches nothing in the HSM, so no HSM rule
/// applies: the file name and the KEK are all there is to check.
fn standalone_check(kek: &[u8], out: Option<OutFile<'_>>) -> Result<Kek, OpFailure> {
    if let Some(out) = out {
        check_file_name(out.name).map_err(|e| OpFailure::from(check(e)))?;
    }
    Ok(pasted_kek(kek)?)
}

/// A wrap with a pasted KEK once W gave `wrapped`; the page holds these
/// bytes already, so it may show the steps.
fn standalone_wrap_plan(
    kek: &[u8],
    mechanism: Mechanism,
    iv: Option<&Iv>,
    data: &[u8],
    out: Option<OutFile<'_>>,
    wrapped: Vec<u8>,
) -> ops::Plan<Vec<u8>> {
    let kek = standalone_check(kek, out)?;
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

/// An unwrap with a pasted KEK, to the page, once W⁻¹ gave `value`. A
/// pasted KEK can open a blob of an HSM key: the bytes are then that key's
/// plaintext (compared inside the HSM, by KCV and then value).
fn standalone_unwrap_plan(
    state: &HsmState,
    kek: &[u8],
    mechanism: Mechanism,
    iv: Option<&Iv>,
    wrapped: &[u8],
    value: Result<SecretBytes, crate::Error>,
) -> ops::Plan<Unwrapped> {
    let kek = pasted_kek(kek)?;
    let steps = OperationSteps::of_unwrap(steps::unwrap_steps(
        &kek,
        mechanism,
        iv,
        wrapped,
        steps::may_show_page_bytes(),
    ));
    match value {
        Ok(value) => {
            let found = copies::plaintext_copies(
                state,
                value.expose_secret(),
                &CopyPlace::Transcript,
                None,
            );
            Ok(Planned {
                mutations: copies::mutations(found).collect(),
                result: Unwrapped::Bytes(value),
                steps: Some(steps),
            })
        }
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
