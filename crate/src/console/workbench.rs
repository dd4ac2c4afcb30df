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
//! IV check. The rule is the console's one rule, in [`super::steps`].

use super::Session;
use super::error::ConsoleError;
use super::exec::{check_hsm_iv, kek_of};
use super::files::{FileOrigin, check_file_name};
use super::retcode::ReturnCode;
use super::steps::{self, IvCheckSummary};
use crate::store::{KeyAttributes, KeyHandle, KeyType, policy};
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
    /// A new key in the HSM (needs an HSM KEK), as `unWrapKey -noheader`.
    NewKey {
        /// `OBJ_ATTR_LABEL`.
        label: String,
        /// AES or generic secret.
        key_type: KeyType,
        /// `OBJ_ATTR_SENSITIVE` (KMU's default: true).
        sensitive: bool,
        /// `OBJ_ATTR_EXTRACTABLE`.
        extractable: bool,
        /// Persistent (true) or session key.
        token: bool,
    },
    /// The bytes, to the page (as `aesWrapUnwrap -m 0`, or standalone).
    Bytes,
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
    pub outcome: Result<Unwrapped, ConsoleError>,
    /// Every step of W⁻¹ and the IV check, when the page may show them.
    pub trace: Option<UnwrapTrace>,
    /// Why the trace is withheld, when it is.
    pub trace_withheld: Option<String>,
    /// When the trace is withheld but W⁻¹ ran: its IV check alone (the
    /// recovered `A` beside the expected IV, KWP's length and padding
    /// verdicts), which holds no key data ([`IvCheckSummary`]).
    pub iv_check: Option<IvCheckSummary>,
}

fn pasted_kek(bytes: &[u8]) -> Result<Kek, ConsoleError> {
    Kek::new(bytes).map_err(ConsoleError::Crypto)
}

impl Session {
    /// Wraps with the workbench. Same policy as the commands; audited.
    pub fn workbench_wrap(
        &mut self,
        request: &WrapRequest<'_>,
    ) -> Result<WrapResult, ConsoleError> {
        let user = self.current_user().map(|u| u.name.clone());
        let (audit_text, handles) = describe(
            "workbench wrap",
            request.target,
            request.kek,
            request.mechanism,
            request.iv.as_ref(),
        );
        let result = self.workbench_wrap_checked(request);
        let code = result
            .as_ref()
            .map_or_else(ConsoleError::return_code, |_| ReturnCode::Success);
        self.audit.append(user, audit_text, handles, code);
        let (wrapped, file, trace, trace_withheld) = result?;
        if let Some(name) = &file {
            let (key, wrapping) = (handle_of(request.target), handle_of(request.kek));
            self.files.write(
                name.clone(),
                wrapped.clone(),
                FileOrigin::Workbench { key, wrapping },
            );
        }
        Ok(WrapResult {
            wrapped,
            trace,
            trace_withheld,
            file,
        })
    }

    #[allow(clippy::type_complexity)] // A private tuple, named by its one caller.
    fn workbench_wrap_checked(
        &self,
        r: &WrapRequest<'_>,
    ) -> Result<(Vec<u8>, Option<String>, Option<WrapTrace>, Option<String>), ConsoleError> {
        if let Some(name) = &r.out_file {
            check_file_name(name)?;
        }
        let iv = r.iv.as_ref();
        let (kek, data, may_show): (Kek, &[u8], Result<(), String>) = match (r.target, r.kek) {
            (WorkbenchKey::Handle(t), WorkbenchKey::Handle(w)) => {
                let caller = self.caller()?;
                let target = self
                    .store
                    .get(t)
                    .ok_or(policy::PolicyError::HandleInvalid(t))?;
                let wrapper = self
                    .store
                    .get(w)
                    .ok_or(policy::PolicyError::HandleInvalid(w))?;
                policy::check_wrap(target, wrapper, caller)?;
                check_hsm_iv(r.mechanism, iv)?;
                let may = self.step_rule(steps::may_show_key(target, caller));
                (kek_of(wrapper)?, target.value().expose_secret(), may)
            }
            (WorkbenchKey::Pasted(data), WorkbenchKey::Handle(w)) => {
                let caller = self.caller()?;
                let wrapper = self
                    .store
                    .get(w)
                    .ok_or(policy::PolicyError::HandleInvalid(w))?;
                policy::check_host_wrap(wrapper, caller, true)?;
                (kek_of(wrapper)?, data, steps::may_show_page_bytes())
            }
            (WorkbenchKey::Pasted(data), WorkbenchKey::Pasted(k)) => {
                (pasted_kek(k)?, data, steps::may_show_page_bytes())
            }
            (WorkbenchKey::Handle(_), WorkbenchKey::Pasted(_)) => {
                return Err(ConsoleError::ExternalKek);
            }
        };
        let wrapped = crate::wrap(&kek, r.mechanism, iv, data).map_err(ConsoleError::Crypto)?;
        let (trace, withheld) = match steps::wrap_steps(&kek, r.mechanism, iv, data, may_show) {
            Ok(t) => (Some(t), None),
            Err(w) => (None, Some(w.reason)),
        };
        Ok((wrapped, r.out_file.clone(), trace, withheld))
    }

    /// Unwraps with the workbench. Same policy as the commands; audited.
    pub fn workbench_unwrap(&mut self, request: &UnwrapRequest<'_>) -> UnwrapResult {
        let user = self.current_user().map(|u| u.name.clone());
        let (audit_text, mut handles) = describe(
            "workbench unwrap",
            WorkbenchKey::Pasted(&[]),
            request.kek,
            request.mechanism,
            request.iv.as_ref(),
        );
        let result = self.workbench_unwrap_inner(request);
        let code = result
            .outcome
            .as_ref()
            .map_or_else(ConsoleError::return_code, |_| ReturnCode::Success);
        if let Ok(Unwrapped::NewKey { handle, .. }) = &result.outcome {
            handles.push(*handle);
        }
        self.audit.append(user, audit_text, handles, code);
        result
    }

    fn workbench_unwrap_inner(&mut self, r: &UnwrapRequest<'_>) -> UnwrapResult {
        let refused = |e: ConsoleError| UnwrapResult {
            outcome: Err(e),
            trace: None,
            trace_withheld: Some("the operation was refused before any unwrapping".to_owned()),
            iv_check: None,
        };
        let iv = r.iv.as_ref();
        // Check policy and pick the KEK; nothing is changed yet.
        let (kek, caller) = match r.kek {
            WorkbenchKey::Handle(w) => {
                let caller = match self.caller() {
                    Ok(c) => c,
                    Err(e) => return refused(e),
                };
                let Some(wrapper) = self.store.get(w) else {
                    return refused(policy::PolicyError::HandleInvalid(w).into());
                };
                let checked = match &r.into {
                    UnwrapInto::NewKey { .. } => policy::check_unwrap(wrapper, caller)
                        .map_err(ConsoleError::from)
                        .and_then(|()| check_hsm_iv(r.mechanism, iv)),
                    UnwrapInto::Bytes => {
                        policy::check_host_wrap(wrapper, caller, false).map_err(ConsoleError::from)
                    }
                };
                if let Err(e) = checked.and_then(|()| kek_of(wrapper).map(|_| ())) {
                    return refused(e);
                }
                match kek_of(wrapper) {
                    Ok(k) => (k, Some(caller)),
                    Err(e) => return refused(e),
                }
            }
            WorkbenchKey::Pasted(k) => {
                if matches!(r.into, UnwrapInto::NewKey { .. }) {
                    return refused(ConsoleError::ExternalKek);
                }
                match pasted_kek(k) {
                    Ok(k) => (k, None),
                    Err(e) => return refused(e),
                }
            }
        };
        // May the page see the key data (and so the trace)?
        let may_show = match &r.into {
            UnwrapInto::Bytes => steps::may_show_page_bytes(),
            UnwrapInto::NewKey {
                sensitive,
                extractable,
                ..
            } => self.step_rule(steps::may_show_new_key(*sensitive, *extractable)),
        };
        let (trace, trace_withheld, iv_check) =
            match steps::unwrap_steps(&kek, r.mechanism, iv, r.wrapped, may_show) {
                Ok(t) => (Some(t), None, None),
                Err(w) => (None, Some(w.reason), w.iv_check),
            };
        let value = match crate::unwrap(&kek, r.mechanism, iv, r.wrapped) {
            Ok(v) => v,
            Err(e) => {
                return UnwrapResult {
                    outcome: Err(ConsoleError::Crypto(e)),
                    trace,
                    trace_withheld,
                    iv_check,
                };
            }
        };
        let outcome = match (&r.into, caller) {
            (UnwrapInto::Bytes, _) => Ok(Unwrapped::Bytes(value)),
            (
                UnwrapInto::NewKey {
                    label,
                    key_type,
                    sensitive,
                    extractable,
                    token,
                },
                Some(caller),
            ) => self.create_unwrapped(
                caller.user,
                label,
                *key_type,
                *sensitive,
                *extractable,
                *token,
                value,
            ),
            (UnwrapInto::NewKey { .. }, None) => Err(ConsoleError::ExternalKek),
        };
        UnwrapResult {
            outcome,
            trace,
            trace_withheld,
            iv_check,
        }
    }

    #[allow(clippy::too_many_arguments)] // The template's fields, one by one.
    fn create_unwrapped(
        &mut self,
        owner: crate::store::UserId,
        label: &str,
        key_type: KeyType,
        sensitive: bool,
        extractable: bool,
        token: bool,
        value: SecretBytes,
    ) -> Result<Unwrapped, ConsoleError> {
        let size_ok = match key_type {
            KeyType::Aes => matches!(value.len(), 16 | 24 | 32),
            KeyType::GenericSecret => (1..=3584).contains(&value.len()),
            other => return Err(ConsoleError::UnsupportedKeyType(other)),
        };
        if !size_ok {
            return Err(ConsoleError::KeySize {
                key_type,
                size: u64::try_from(value.len()).unwrap_or(u64::MAX),
            });
        }
        if label.len() > 255 {
            return Err(ConsoleError::AttributeValue {
                detail: "OBJ_ATTR_LABEL is at most 255 bytes".to_owned(),
            });
        }
        let attributes = KeyAttributes {
            token,
            sensitive,
            extractable,
            ..KeyAttributes::new_secret(key_type, label, "", value.expose_secret())
        };
        let kcv = attributes.kcv;
        let handle = self
            .store
            .insert(attributes, owner, Default::default(), value);
        Ok(Unwrapped::NewKey { handle, kcv })
    }
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
        text.push_str(&format!(" -i {}", super::command::hex(iv.as_bytes())));
    }
    let mut handles: Vec<KeyHandle> = [handle_of(target), handle_of(kek)]
        .into_iter()
        .flatten()
        .collect();
    handles.sort_unstable();
    handles.dedup();
    (text, handles)
}
