//! The HSM's operations, one typed function each. Every front end — the KMU
//! and CloudHSM CLI dialects and the workbench — calls these same functions,
//! so no HSM rule exists twice.
//!
//! Each function *plans*: it reads an [`HsmState`] (a shared borrow, so the
//! compiler checks that planning changes nothing) and returns the
//! [`Mutation`]s to apply, its result and what the step viewer may show, or
//! an [`OpFailure`]. The session applies a plan only when it succeeded, which
//! is why a refused operation leaves keys, files, login and the handle
//! counter exactly as they were.

use std::rc::Rc;

use super::HsmState;
use super::copies;
use super::error::{HsmError, HsmErrorKind, Stage};
use super::files::{FileOrigin, check_file_name};
use super::header::{HeaderAttributes, WrappedKeyFile};
use super::keysource::KeySource;
use super::rules;
use super::steps::{self, OperationSteps, StepReplay};
use crate::store::{
    Attribute, AttributeType, Caller, KeyAttributes, KeyClass, KeyHandle, KeyObject, KeyType,
    UserId, UserType, kcv_of, policy,
};
use crate::{Iv, Kek, Mechanism, SecretBytes};

/// One change to the session, applied only after an operation fully succeeded.
#[derive(Debug)]
pub enum Mutation {
    /// A new key (its handle is the store's next one).
    CreateKey {
        /// Its attributes.
        attributes: KeyAttributes,
        /// Its owner.
        owner: UserId,
        /// Its value.
        value: SecretBytes,
    },
    /// A key deleted.
    DeleteKey(KeyHandle),
    /// One attribute set.
    SetAttribute(KeyHandle, Attribute),
    /// A key shared with (true) or unshared from (false) a user.
    Share(KeyHandle, UserId, bool),
    /// An in-page file written (or overwritten).
    WriteFile(String, Vec<u8>, FileOrigin),
    /// A user logged in.
    Login(UserId),
    /// The user logged out (their session keys go with them).
    Logout,
    /// A copy of a key was made (a file, an output, an HSM twin): a fact
    /// for the access model ([`super::copies`]).
    Copy(super::copies::KeyCopy),
}

/// A successful plan: the changes to apply, the result, and what the step
/// viewer may show of the W or W⁻¹ it ran.
#[derive(Debug)]
pub struct Planned<T> {
    /// The changes, in order.
    pub mutations: Vec<Mutation>,
    /// What the operation produced.
    pub result: T,
    /// For an operation that ran W or W⁻¹.
    pub steps: Option<OperationSteps>,
}

impl<T> Planned<T> {
    pub(crate) fn new(result: T) -> Self {
        Self {
            mutations: Vec::new(),
            result,
            steps: None,
        }
    }

    pub(crate) fn with(mut self, mutation: Mutation) -> Self {
        self.mutations.push(mutation);
        self
    }

    fn steps(mut self, steps: OperationSteps) -> Self {
        self.steps = Some(steps);
        self
    }

    /// Sets the steps, if any (`ops_rsa`: RSA-OAEP runs no W).
    pub(crate) fn with_steps(mut self, steps: Option<OperationSteps>) -> Self {
        self.steps = steps;
        self
    }

    /// The same plan with its result replaced.
    pub(crate) fn map<U>(self, f: impl FnOnce(T) -> U) -> Planned<U> {
        Planned {
            mutations: self.mutations,
            result: f(self.result),
            steps: self.steps,
        }
    }
}

/// A refused plan: the error, and when W⁻¹ ran before the refusal (a wrong
/// KEK, a KCV that does not match) what the step viewer may show of it, so
/// it can still say why the IV check failed.
#[derive(Debug)]
pub struct OpFailure {
    /// Why, and where.
    pub error: HsmError,
    /// The steps of the W⁻¹ that led to it. Boxed: most refusals carry none.
    pub steps: Option<Box<OperationSteps>>,
}

impl From<HsmError> for OpFailure {
    fn from(error: HsmError) -> Self {
        Self { error, steps: None }
    }
}

/// The result of a plan.
pub type Plan<T> = Result<Planned<T>, OpFailure>;

/// Maps a refusal found at `stage` into an [`OpFailure`].
pub(crate) fn at<E: Into<HsmErrorKind>>(stage: Stage) -> impl Fn(E) -> OpFailure {
    move |e| OpFailure::from(e.into().at(stage))
}

const CHECK: Stage = Stage::Check;

// ---- Reading the state ---------------------------------------------------------

/// The logged-in user and their type.
pub fn caller(state: &HsmState) -> Result<Caller, HsmErrorKind> {
    let id = state.login.ok_or(HsmErrorKind::NotLoggedIn)?;
    let user = state.store.user(id).ok_or(HsmErrorKind::NotLoggedIn)?;
    Ok(Caller {
        user: id,
        user_type: user.user_type,
    })
}

/// The logged-in user, who must be a crypto user (a crypto officer owns no keys).
pub fn crypto_user(state: &HsmState) -> Result<Caller, HsmErrorKind> {
    let caller = caller(state)?;
    if caller.user_type == UserType::CryptoUser {
        Ok(caller)
    } else {
        Err(policy::PolicyError::WrongUserType(caller.user_type).into())
    }
}

/// The key at `handle`, which need not be visible to the caller (the
/// policy checks decide that).
pub(crate) fn lookup(state: &HsmState, handle: KeyHandle) -> Result<&KeyObject, HsmErrorKind> {
    state
        .store
        .get(handle)
        .ok_or(HsmErrorKind::Policy(policy::PolicyError::HandleInvalid(
            handle,
        )))
}

/// An in-page file's bytes.
pub fn read_file<'s>(state: &'s HsmState, name: &str) -> Result<&'s [u8], HsmErrorKind> {
    state
        .files
        .read(name)
        .ok_or_else(|| HsmErrorKind::FileNotFound(name.to_owned()))
}

/// The IV rule CloudHSM applies to wrapping and unwrapping HSM keys: only the
/// default IV, and none at all with KWP.
fn check_hsm_iv(mechanism: Mechanism, iv: Option<&Iv>) -> Result<(), HsmErrorKind> {
    match iv {
        None => Ok(()),
        Some(_) if mechanism == Mechanism::Kwp => Err(HsmErrorKind::IvRefused { mechanism }),
        Some(iv) if !iv.is_default() => Err(HsmErrorKind::IvRefused { mechanism }),
        Some(_) => Ok(()),
    }
}

/// The AES mechanisms wrap and export secret keys only (an RSA key's DER
/// under KW would come back as a "secret key" of that DER).
fn check_secret_target(target: &KeyObject) -> Result<(), HsmErrorKind> {
    if target.is_secret() {
        Ok(())
    } else {
        Err(super::ops_rsa::RsaError::NotASecretKey(target.handle()).into())
    }
}

/// The wrapping key as a KEK: it must be an AES key.
pub(super) fn kek_of(key: &KeyObject) -> Result<Kek, HsmErrorKind> {
    if key.attributes().key_type != KeyType::Aes {
        return Err(HsmErrorKind::NotAnAesKey(key.handle()));
    }
    Kek::new(key.value().expose_secret()).map_err(|_| HsmErrorKind::NotAnAesKey(key.handle()))
}

/// Runs W⁻¹ with what the step viewer may see of it (`may_show`: the rule
/// for the key or bytes it delivers). A failed unwrap carries those steps.
pub(crate) fn unwrap_with_steps(
    stage: Stage,
    kek: &Kek,
    mechanism: Mechanism,
    iv: Option<&Iv>,
    wrapped: &[u8],
    may_show: Result<(), String>,
    replay: Option<StepReplay>,
) -> Result<(SecretBytes, OperationSteps), OpFailure> {
    let value = crate::unwrap(kek, mechanism, iv, wrapped);
    unwrapped_with_steps(stage, kek, mechanism, iv, wrapped, may_show, replay, value)
}

/// [`unwrap_with_steps`] once W⁻¹ has run elsewhere (a sliced job): `value`
/// is what [`crate::unwrap`] gave, or a job running to the end.
#[allow(clippy::too_many_arguments)]
pub(crate) fn unwrapped_with_steps(
    stage: Stage,
    kek: &Kek,
    mechanism: Mechanism,
    iv: Option<&Iv>,
    wrapped: &[u8],
    may_show: Result<(), String>,
    replay: Option<StepReplay>,
    value: Result<SecretBytes, crate::Error>,
) -> Result<(SecretBytes, OperationSteps), OpFailure> {
    let mut steps =
        OperationSteps::of_unwrap(steps::unwrap_steps(kek, mechanism, iv, wrapped, may_show));
    if let Some(replay) = replay {
        steps = steps.replayable_as(replay);
    }
    match value {
        Ok(value) => Ok((value, steps)),
        Err(e) => Err(OpFailure {
            error: HsmErrorKind::Crypto(e).at(stage),
            steps: Some(Box::new(steps)),
        }),
    }
}

/// Where a plan writes a file, and what the file will say it holds.
#[derive(Clone, Copy, Debug)]
pub struct OutFile<'a> {
    /// The file's name.
    pub name: &'a str,
    /// Its origin, for the access model.
    pub origin: FileOrigin,
}

// ---- Users -----------------------------------------------------------------------

/// Logs in as `name` of `user_type` (the page keeps no passwords).
pub fn login(state: &HsmState, user_type: UserType, name: &str) -> Plan<UserId> {
    let f = at::<HsmErrorKind>(CHECK);
    if state.login.is_some() {
        return Err(f(HsmErrorKind::AlreadyLoggedIn));
    }
    let user = state
        .store
        .users()
        .iter()
        .find(|u| u.name == name && u.user_type == user_type)
        .ok_or_else(|| f(HsmErrorKind::NoSuchUser(name.to_owned())))?;
    Ok(Planned::new(user.id).with(Mutation::Login(user.id)))
}

/// Logs out; the user's session keys are deleted.
pub fn logout(state: &HsmState) -> Plan<()> {
    caller(state).map_err(at(CHECK))?;
    Ok(Planned::new(()).with(Mutation::Logout))
}

// ---- Creating keys -------------------------------------------------------------

/// A key to generate.
#[derive(Clone, Debug)]
pub struct GenerateSpec<'a> {
    /// AES or generic secret.
    pub key_type: KeyType,
    /// Its length in bytes.
    pub size: u32,
    /// Its label.
    pub label: &'a str,
    /// Its id.
    pub id: &'a str,
    /// Whether it may ever leave the HSM.
    pub extractable: bool,
    /// Persistent (true) or gone at logout (false).
    pub token: bool,
    /// Further attributes asked for (CloudHSM CLI's `--attributes`); they
    /// may only tighten what the HSM gives a generated key
    /// ([`rules::generated_override`]).
    pub attributes: Vec<Attribute>,
    /// Crypto users to share the new key with.
    pub share_with: Vec<UserId>,
}

/// Generates a key inside the HSM from `keys`.
pub fn generate(
    state: &HsmState,
    keys: &mut dyn KeySource,
    spec: &GenerateSpec<'_>,
) -> Plan<KeyHandle> {
    let f = at::<HsmErrorKind>(CHECK);
    let caller = crypto_user(state).map_err(&f)?;
    rules::check_key_size(spec.key_type, u64::from(spec.size)).map_err(&f)?;
    rules::check_label(AttributeType::Label, spec.label).map_err(&f)?;
    rules::check_label(AttributeType::Id, spec.id).map_err(&f)?;
    let len = usize::try_from(spec.size).map_err(|_| {
        f(HsmErrorKind::KeySize {
            key_type: spec.key_type,
            size: u64::from(spec.size),
        })
    })?;
    for &user in &spec.share_with {
        check_share_target(state, caller, user).map_err(&f)?;
    }
    let value = keys.generate(len).map_err(at(CHECK))?;
    let mut attributes = KeyAttributes {
        token: spec.token,
        // CloudHSM's getAttribute shows generated keys as sensitive.
        sensitive: true,
        extractable: spec.extractable,
        local: true,
        never_extractable: !spec.extractable,
        // The size asked for, whatever the key source returned.
        value_len: spec.size,
        ..KeyAttributes::new_secret(spec.key_type, spec.label, spec.id, value.expose_secret())
    };
    for asked in &spec.attributes {
        rules::generated_override(&mut attributes, asked).map_err(&f)?;
    }
    let mut planned = created(state, attributes, caller.user, value);
    for &user in &spec.share_with {
        let handle = planned.result;
        planned = planned.with(Mutation::Share(handle, user, true));
    }
    Ok(planned)
}

/// A key may be shared only with another crypto user of this HSM.
fn check_share_target(state: &HsmState, caller: Caller, user: UserId) -> Result<(), HsmErrorKind> {
    let target_ok = state
        .store
        .user(user)
        .is_some_and(|u| u.user_type == UserType::CryptoUser && u.id != caller.user);
    if target_ok {
        Ok(())
    } else {
        Err(HsmErrorKind::ShareTarget(user))
    }
}

pub(crate) fn created(
    state: &HsmState,
    attributes: KeyAttributes,
    owner: UserId,
    value: SecretBytes,
) -> Planned<KeyHandle> {
    Planned::new(state.store.next_handle()).with(Mutation::CreateKey {
        attributes,
        owner,
        value,
    })
}

/// A key an unwrap under `unwrapped_by` creates, with the copies it makes
/// of keys already in the HSM holding the same bytes (the ledger's twins,
/// [`copies::unwrapped_key_copies`]).
pub(crate) fn created_by_unwrap(
    state: &HsmState,
    attributes: KeyAttributes,
    owner: UserId,
    value: SecretBytes,
    unwrapped_by: KeyHandle,
) -> Planned<KeyHandle> {
    let twins = copies::unwrapped_key_copies(
        state,
        value.expose_secret(),
        state.store.next_handle(),
        &attributes,
        unwrapped_by,
    );
    let mut planned = created(state, attributes, owner, value);
    planned.mutations.extend(copies::mutations(twins));
    planned
}

/// The attributes asked for a key an unwrap creates. One rule for every
/// front end ([`NewKeyTemplate::new`]): KMU's `unWrapKey` (with a header or
/// `-noheader`), CloudHSM CLI's `key unwrap` and the workbench.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewKeyTemplate {
    /// Its label.
    pub label: String,
    /// Its id.
    pub id: String,
    /// Its class (only secret keys are held here).
    pub class: KeyClass,
    /// AES or generic secret.
    pub key_type: KeyType,
    /// `OBJ_ATTR_SENSITIVE`.
    pub sensitive: bool,
    /// `OBJ_ATTR_EXTRACTABLE`.
    pub extractable: bool,
    /// `OBJ_ATTR_TOKEN`: persistent (true) or session key.
    pub token: bool,
}

impl NewKeyTemplate {
    /// The default for a key unwrapped into the HSM: a persistent,
    /// extractable, **sensitive** secret key, as KMU's `unWrapKey` makes it.
    /// A front end may loosen SENSITIVE only when the person asks for it in
    /// so many words (a form's box, `--attributes sensitive=false`).
    pub fn new(label: &str, key_type: KeyType) -> Self {
        Self {
            label: label.to_owned(),
            id: String::new(),
            class: KeyClass::Secret,
            key_type,
            sensitive: true,
            extractable: true,
            token: true,
        }
    }

    pub(crate) fn attributes(&self, value: &SecretBytes) -> KeyAttributes {
        KeyAttributes {
            token: self.token,
            sensitive: self.sensitive,
            extractable: self.extractable,
            ..KeyAttributes::new_secret(self.key_type, &self.label, &self.id, value.expose_secret())
        }
    }
}

/// What an unwrap reads.
#[derive(Clone, Copy, Debug)]
pub enum WrappedInput<'a> {
    /// An in-page file.
    File(&'a str),
    /// Bytes the caller holds (pasted into the workbench, given as base64).
    Bytes(&'a [u8]),
}

/// Where the new key's attributes come from.
#[derive(Clone, Debug)]
pub enum UnwrapSource {
    /// The file's header, which can only tighten `template` (its label, id
    /// and type are ignored). `mechanism`, if given, must match the header's.
    Header {
        /// The mechanism asked for, if any.
        mechanism: Option<Mechanism>,
        /// What the unwrap asks: TOKEN, SENSITIVE, EXTRACTABLE.
        template: NewKeyTemplate,
    },
    /// A bare blob and a template.
    Template {
        /// The mechanism.
        mechanism: Mechanism,
        /// An explicit IV (CloudHSM accepts only the default).
        iv: Option<Iv>,
        /// The new key.
        template: NewKeyTemplate,
    },
}

/// An unwrap into a new HSM key.
#[derive(Clone, Debug)]
pub struct UnwrapSpec<'a> {
    /// The wrapped key.
    pub input: WrappedInput<'a>,
    /// The unwrapping key.
    pub unwrapping: KeyHandle,
    /// Where the attributes come from.
    pub source: UnwrapSource,
}

/// What [`unwrap`] checked before W⁻¹: the KEK and what W⁻¹ runs over.
pub(crate) struct UnwrapChecked<'a> {
    caller: Caller,
    /// The unwrapping key as a KEK (a sliced job shares it).
    pub(crate) kek: Rc<Kek>,
    /// The mechanism (the header's, for a file with one).
    pub(crate) mechanism: Mechanism,
    /// The IV asked for.
    pub(crate) iv: Option<Iv>,
    /// The bare wrapped key.
    pub(crate) wrapped: Vec<u8>,
    header: Option<HeaderAttributes>,
    template: &'a NewKeyTemplate,
}

/// Unwraps a key into the HSM: [`unwrap_check`], W⁻¹, [`unwrap_plan`].
pub fn unwrap(state: &HsmState, spec: &UnwrapSpec<'_>) -> Plan<KeyHandle> {
    let checked = unwrap_check(state, spec)?;
    let value = crate::unwrap(
        &checked.kek,
        checked.mechanism,
        checked.iv.as_ref(),
        &checked.wrapped,
    );
    unwrap_plan(state, spec, &checked, value)
}

/// Every check of [`unwrap`] before W⁻¹ runs (a sliced job runs them when
/// it starts and again before it plans).
pub(crate) fn unwrap_check<'a>(
    state: &HsmState,
    spec: &'a UnwrapSpec<'_>,
) -> Result<UnwrapChecked<'a>, OpFailure> {
    let f = at::<HsmErrorKind>(CHECK);
    let caller = crypto_user(state).map_err(&f)?;
    let bytes = match spec.input {
        WrappedInput::File(name) => read_file(state, name).map_err(&f)?,
        WrappedInput::Bytes(bytes) => bytes,
    };
    let unwrapper = lookup(state, spec.unwrapping).map_err(&f)?;
    policy::check_unwrap(unwrapper, caller).map_err(at(CHECK))?;
    let kek = kek_of(unwrapper).map_err(&f)?;
    // Everything is checked before W⁻¹ runs: the header, or the template's
    // class, mechanism and IV.
    let (mechanism, iv, wrapped, header, template) = match &spec.source {
        UnwrapSource::Header {
            mechanism,
            template,
        } => {
            let parsed = WrappedKeyFile::parse(bytes).map_err(at(CHECK))?;
            if let Some(given) = *mechanism
                && given != parsed.mechanism
            {
                return Err(f(HsmErrorKind::MechanismMismatch {
                    header: parsed.mechanism,
                    given,
                }));
            }
            (
                parsed.mechanism,
                None,
                parsed.wrapped,
                Some(parsed.attributes),
                template,
            )
        }
        UnwrapSource::Template {
            mechanism,
            iv,
            template,
        } => {
            if template.class != KeyClass::Secret {
                return Err(f(HsmErrorKind::UnsupportedClass(template.class)));
            }
            rules::check_label(AttributeType::Label, &template.label).map_err(&f)?;
            rules::check_label(AttributeType::Id, &template.id).map_err(&f)?;
            check_hsm_iv(*mechanism, iv.as_ref()).map_err(&f)?;
            (*mechanism, *iv, bytes.to_vec(), None, template)
        }
    };
    Ok(UnwrapChecked {
        caller,
        kek: Rc::new(kek),
        mechanism,
        iv,
        wrapped,
        header,
        template,
    })
}

/// [`unwrap`] once W⁻¹ ran over what [`unwrap_check`] found: `value` is
/// its result. The steps, the new key and the ledger's twins are planned
/// against `state` as it is now.
pub(crate) fn unwrap_plan(
    state: &HsmState,
    spec: &UnwrapSpec<'_>,
    checked: &UnwrapChecked<'_>,
    value: Result<SecretBytes, crate::Error>,
) -> Plan<KeyHandle> {
    let UnwrapChecked {
        caller,
        mechanism,
        ref header,
        template,
        ..
    } = *checked;
    let iv = checked.iv.as_ref();
    // The new key's flags decide what the step viewer may show.
    let (sensitive, extractable) = match header {
        Some(h) => (
            h.sensitive || template.sensitive,
            h.extractable && template.extractable,
        ),
        None => (template.sensitive, template.extractable),
    };
    let (value, steps) = unwrapped_with_steps(
        CHECK,
        &checked.kek,
        mechanism,
        iv,
        &checked.wrapped,
        state.step_rule(steps::may_show_new_key(sensitive, extractable)),
        Some(StepReplay::Unwrap {
            user: caller.user,
            kek: spec.unwrapping,
            mechanism,
            iv: iv.copied(),
            wrapped: checked.wrapped.clone(),
        }),
        value,
    )?;
    let refused = |kind: HsmErrorKind, steps: OperationSteps| OpFailure {
        error: kind.at(CHECK),
        steps: Some(Box::new(steps)),
    };
    let attributes = match header {
        Some(h) => {
            if u32::try_from(value.len()).ok() != Some(h.value_len)
                || kcv_of(value.expose_secret()) != h.kcv
            {
                return Err(refused(HsmErrorKind::KcvMismatch, steps));
            }
            h.tightened(&template.attributes(&value))
        }
        None => {
            if let Err(e) =
                rules::check_key_size(template.key_type, rules::size_of(value.expose_secret()))
            {
                return Err(refused(e, steps));
            }
            template.attributes(&value)
        }
    };
    Ok(created_by_unwrap(state, attributes, caller.user, value, spec.unwrapping).steps(steps))
}

/// An `imSymKey`: a plaintext key from an in-page file.
#[derive(Clone, Debug)]
pub struct ImportSpec<'a> {
    /// The file holding the key.
    pub file: &'a str,
    /// The key the HSM wraps and unwraps it under on the way in.
    pub wrapping: KeyHandle,
    /// Its type (AES only).
    pub key_type: KeyType,
    /// Its label.
    pub label: &'a str,
    /// Its id.
    pub id: &'a str,
    /// Persistent (true) or session key.
    pub token: bool,
}

/// Imports a plaintext key: the host wraps it under `wrapping` and the HSM
/// unwraps it (stage [`Stage::Hsm`]).
pub fn import(state: &HsmState, spec: &ImportSpec<'_>) -> Plan<KeyHandle> {
    let f = at::<HsmErrorKind>(CHECK);
    let caller = crypto_user(state).map_err(&f)?;
    if spec.key_type != KeyType::Aes {
        return Err(f(HsmErrorKind::UnsupportedKeyType(spec.key_type)));
    }
    let bytes = read_file(state, spec.file).map_err(&f)?;
    rules::check_key_size(spec.key_type, rules::size_of(bytes)).map_err(&f)?;
    rules::check_label(AttributeType::Label, spec.label).map_err(&f)?;
    let wrapper = lookup(state, spec.wrapping).map_err(&f)?;
    policy::check_host_wrap(wrapper, caller, true).map_err(at(CHECK))?;
    policy::check_unwrap(wrapper, caller).map_err(at(Stage::Hsm))?;
    let kek = kek_of(wrapper).map_err(&f)?;
    let blob = crate::wrap(&kek, Mechanism::Kw, None, bytes).map_err(at(CHECK))?;
    // The bytes were in the clear outside the HSM already; PKCS#11's
    // default for CKA_SENSITIVE is false. setAttribute can raise it.
    let (sensitive, extractable) = (false, true);
    // The steps shown are the HSM's W⁻¹, the one that made the key.
    let (value, steps) = unwrap_with_steps(
        Stage::Hsm,
        &kek,
        Mechanism::Kw,
        None,
        &blob,
        state.step_rule(steps::may_show_new_key(sensitive, extractable)),
        Some(StepReplay::Unwrap {
            user: caller.user,
            kek: spec.wrapping,
            mechanism: Mechanism::Kw,
            iv: None,
            wrapped: blob.clone(),
        }),
    )?;
    // Only AES reaches here, so the key may encrypt, decrypt, wrap and unwrap.
    let attributes = KeyAttributes {
        token: spec.token,
        sensitive,
        extractable,
        ..KeyAttributes::new_secret(spec.key_type, spec.label, spec.id, value.expose_secret())
    };
    Ok(created_by_unwrap(state, attributes, caller.user, value, spec.wrapping).steps(steps))
}

// ---- Keys leaving the HSM --------------------------------------------------------

/// A wrap of an HSM key under an HSM key.
#[derive(Clone, Debug)]
pub struct WrapSpec<'a> {
    /// The key to wrap.
    pub key: KeyHandle,
    /// The wrapping key.
    pub wrapping: KeyHandle,
    /// KW, KWP or KW-PKCS#5.
    pub mechanism: Mechanism,
    /// An explicit IV (CloudHSM accepts only the default).
    pub iv: Option<Iv>,
    /// Whether the file carries the key's attributes before the blob.
    pub header: bool,
    /// The file to write, if any.
    pub out: Option<OutFile<'a>>,
}

/// What [`wrap`] checked before W: the key and the KEK.
pub(crate) struct WrapChecked<'s> {
    caller: Caller,
    /// The key to wrap.
    pub(crate) target: &'s KeyObject,
    /// The wrapping key as a KEK (a sliced job shares it).
    pub(crate) kek: Rc<Kek>,
}

/// Wraps an HSM key: [`wrap_check`], W, [`wrap_plan`]. The result is the
/// bare blob (without the header the file may carry).
pub fn wrap(state: &HsmState, spec: &WrapSpec<'_>) -> Plan<Vec<u8>> {
    let checked = wrap_check(state, spec)?;
    let blob = crate::wrap(
        &checked.kek,
        spec.mechanism,
        spec.iv.as_ref(),
        checked.target.value().expose_secret(),
    )
    .map_err(at(CHECK))?;
    wrap_plan(state, spec, &checked, blob)
}

/// Every check of [`wrap`] before W runs (a sliced job runs them when it
/// starts and again before it plans).
pub(crate) fn wrap_check<'s>(
    state: &'s HsmState,
    spec: &WrapSpec<'_>,
) -> Result<WrapChecked<'s>, OpFailure> {
    let f = at::<HsmErrorKind>(CHECK);
    let caller = crypto_user(state).map_err(&f)?;
    if let Some(out) = spec.out {
        check_file_name(out.name).map_err(&f)?;
    }
    let target = lookup(state, spec.key).map_err(&f)?;
    let wrapper = lookup(state, spec.wrapping).map_err(&f)?;
    policy::check_wrap(target, wrapper, caller).map_err(at(CHECK))?;
    check_secret_target(target).map_err(&f)?;
    check_hsm_iv(spec.mechanism, spec.iv.as_ref()).map_err(&f)?;
    let kek = Rc::new(kek_of(wrapper).map_err(&f)?);
    Ok(WrapChecked {
        caller,
        target,
        kek,
    })
}

/// [`wrap`] once W ran over what [`wrap_check`] found: `blob` is its
/// output. The steps, the file and the ledger's copy are planned here.
pub(crate) fn wrap_plan(
    state: &HsmState,
    spec: &WrapSpec<'_>,
    checked: &WrapChecked<'_>,
    blob: Vec<u8>,
) -> Plan<Vec<u8>> {
    let WrapChecked {
        caller,
        target,
        ref kek,
    } = *checked;
    let iv = spec.iv.as_ref();
    let key_data = target.value().expose_secret();
    let steps = OperationSteps::of_wrap(steps::wrap_steps(
        kek,
        spec.mechanism,
        iv,
        key_data,
        state.step_rule(steps::may_show_key(target, caller)),
    ))
    .replayable_as(StepReplay::Wrap {
        user: caller.user,
        kek: spec.wrapping,
        key: spec.key,
        mechanism: spec.mechanism,
        iv: spec.iv,
    });
    let mut planned = Planned::new(blob.clone()).steps(steps);
    if let Some(out) = spec.out {
        let bytes = if spec.header {
            WrappedKeyFile {
                mechanism: spec.mechanism,
                attributes: HeaderAttributes::of(target.attributes()),
                wrapped: blob,
            }
            .to_bytes()
            .map_err(at(CHECK))?
        } else {
            blob
        };
        planned = planned.with(Mutation::WriteFile(out.name.to_owned(), bytes, out.origin));
    }
    // The blob is a copy of the key: in the file (recorded after the
    // file is written, which forgets what it held before), or handed back
    // to be printed or shown.
    planned = planned.with(Mutation::Copy(copies::KeyCopy {
        key: spec.key,
        place: spec.out.map_or(copies::CopyPlace::Transcript, |o| {
            copies::CopyPlace::File(o.name.to_owned())
        }),
        form: copies::CopyForm::Wrapped {
            wrapping: spec.wrapping,
            header: spec.header && spec.out.is_some(),
        },
        via: None,
        unwrapped_by: None,
    }));
    Ok(planned)
}

/// Exports an HSM key in plaintext to the file `out` (`exSymKey`): the HSM
/// wraps it under `wrapping` with KW-PKCS#5 and the host unwraps it (stage
/// [`Stage::Host`]), so the file holds what came back through the wrap.
pub fn export(state: &HsmState, key: KeyHandle, wrapping: KeyHandle, out: &str) -> Plan<()> {
    let f = at::<HsmErrorKind>(CHECK);
    let caller = crypto_user(state).map_err(&f)?;
    check_file_name(out).map_err(&f)?;
    let target = lookup(state, key).map_err(&f)?;
    let wrapper = lookup(state, wrapping).map_err(&f)?;
    policy::check_wrap(target, wrapper, caller).map_err(at(CHECK))?;
    check_secret_target(target).map_err(&f)?;
    let kek = kek_of(wrapper).map_err(&f)?;
    let blob = crate::wrap(
        &kek,
        Mechanism::KwPkcs5,
        None,
        target.value().expose_secret(),
    )
    .map_err(at(CHECK))?;
    // The steps shown are the host's W⁻¹, the one that delivered the key.
    let (plain, steps) = unwrap_with_steps(
        Stage::Host,
        &kek,
        Mechanism::KwPkcs5,
        None,
        &blob,
        state.step_rule(steps::may_show_key(target, caller)),
        Some(StepReplay::Unwrap {
            user: caller.user,
            kek: wrapping,
            mechanism: Mechanism::KwPkcs5,
            iv: None,
            wrapped: blob.clone(),
        }),
    )?;
    let exported = copies::plaintext_copies(
        state,
        plain.expose_secret(),
        &copies::CopyPlace::File(out.to_owned()),
        Some(wrapping),
    );
    let mut planned = Planned::new(())
        .with(Mutation::WriteFile(
            out.to_owned(),
            plain.expose_secret().to_vec(),
            FileOrigin::ExSymKey { key },
        ))
        .steps(steps);
    planned.mutations.extend(copies::mutations(exported));
    Ok(planned)
}

/// A wrap or unwrap of bytes that are not an HSM key, under an HSM key
/// (`aesWrapUnwrap`, the workbench with pasted bytes).
#[derive(Clone, Debug)]
pub struct HostWrapSpec<'a> {
    /// Wrap (true) or unwrap (false).
    pub wrap: bool,
    /// The HSM key.
    pub key: KeyHandle,
    /// KW, KWP or KW-PKCS#5.
    pub mechanism: Mechanism,
    /// Any IV (these bytes are the page's own).
    pub iv: Option<Iv>,
    /// The data.
    pub data: &'a [u8],
    /// The file to write the result to, if any.
    pub out: Option<OutFile<'a>>,
}

/// Wraps or unwraps the page's own bytes under an HSM key: the key needs
/// WRAP (to wrap) or UNWRAP (to unwrap). The result is the output, wiped on drop.
/// Runs [`host_wrap_check`], W or W⁻¹, and [`host_wrap_plan`].
pub fn host_wrap(state: &HsmState, spec: &HostWrapSpec<'_>) -> Plan<SecretBytes> {
    let kek = host_wrap_check(state, spec)?;
    let (mechanism, iv) = (spec.mechanism, spec.iv.as_ref());
    let output = if spec.wrap {
        crate::wrap(&kek, mechanism, iv, spec.data)
            .map(|blob| SecretBytes::from(zeroize::Zeroizing::new(blob)))
    } else {
        crate::unwrap(&kek, mechanism, iv, spec.data)
    };
    host_wrap_plan(state, spec, &kek, output)
}

/// Every check of [`host_wrap`] before W or W⁻¹ runs; the KEK it runs
/// under (a sliced job shares it).
pub(crate) fn host_wrap_check(
    state: &HsmState,
    spec: &HostWrapSpec<'_>,
) -> Result<Rc<Kek>, OpFailure> {
    let f = at::<HsmErrorKind>(CHECK);
    let caller = crypto_user(state).map_err(&f)?;
    if let Some(out) = spec.out {
        check_file_name(out.name).map_err(&f)?;
    }
    let wrapper = lookup(state, spec.key).map_err(&f)?;
    policy::check_host_wrap(wrapper, caller, spec.wrap).map_err(at(CHECK))?;
    Ok(Rc::new(kek_of(wrapper).map_err(&f)?))
}

/// [`host_wrap`] once W or W⁻¹ ran under the KEK [`host_wrap_check`]
/// gave: `output` is its result. The steps, the file and the ledger's
/// plaintext copies are planned here.
pub(crate) fn host_wrap_plan(
    state: &HsmState,
    spec: &HostWrapSpec<'_>,
    kek: &Kek,
    output: Result<SecretBytes, crate::Error>,
) -> Plan<SecretBytes> {
    let iv = spec.iv.as_ref();
    let (result, steps) = if spec.wrap {
        let blob = output.map_err(at(CHECK))?;
        let steps = steps::wrap_steps(
            kek,
            spec.mechanism,
            iv,
            spec.data,
            steps::may_show_page_bytes(),
        );
        (blob, OperationSteps::of_wrap(steps))
    } else {
        unwrapped_with_steps(
            CHECK,
            kek,
            spec.mechanism,
            iv,
            spec.data,
            steps::may_show_page_bytes(),
            None,
            output,
        )?
    };
    let mut planned = Planned::new(result.duplicate_secret()).steps(steps);
    if let Some(out) = spec.out {
        planned = planned.with(Mutation::WriteFile(
            out.name.to_owned(),
            result.expose_secret().to_vec(),
            out.origin,
        ));
    }
    if !spec.wrap {
        // Unwrapped bytes that are an HSM key are a plaintext copy of it:
        // in the file, and where the result is printed or shown.
        let places = spec
            .out
            .map(|o| copies::CopyPlace::File(o.name.to_owned()))
            .into_iter()
            .chain([copies::CopyPlace::Transcript]);
        for place in places {
            let found =
                copies::plaintext_copies(state, result.expose_secret(), &place, Some(spec.key));
            planned.mutations.extend(copies::mutations(found));
        }
    }
    Ok(planned)
}

// ---- Reading and changing keys ---------------------------------------------------

/// The keys the caller may see that match, by ascending handle. `label`,
/// when given, must match exactly (and is looked up by index).
pub fn find(
    state: &HsmState,
    label: Option<&str>,
    matches: impl Fn(&KeyObject) -> bool,
) -> Result<Vec<KeyHandle>, HsmError> {
    let caller = caller(state).map_err(|e| e.at(CHECK))?;
    let visible = |o: &&KeyObject| policy::check_visible(o, caller).is_ok() && matches(o);
    Ok(match label {
        Some(label) => state
            .store
            .with_label(label)
            .filter(visible)
            .map(KeyObject::handle)
            .collect(),
        None => state
            .store
            .iter()
            .filter(visible)
            .map(KeyObject::handle)
            .collect(),
    })
}

/// A key's attributes, if the caller may see it.
pub fn attributes(state: &HsmState, handle: KeyHandle) -> Result<&KeyAttributes, HsmError> {
    let f = |e: HsmErrorKind| e.at(CHECK);
    let caller = caller(state).map_err(f)?;
    let key = lookup(state, handle).map_err(f)?;
    policy::check_visible(key, caller).map_err(|e| f(e.into()))?;
    Ok(key.attributes())
}

/// Sets one attribute. `value` reads the typed value once the key is found
/// and visible (so a bad value never tells of a key one may not see).
pub fn set_attribute(
    state: &HsmState,
    handle: KeyHandle,
    value: impl FnOnce(&KeyAttributes) -> Result<Attribute, HsmErrorKind>,
) -> Plan<()> {
    let f = at::<HsmErrorKind>(CHECK);
    let caller = caller(state).map_err(&f)?;
    let key = lookup(state, handle).map_err(&f)?;
    policy::check_visible(key, caller).map_err(at(CHECK))?;
    let new = value(key.attributes()).map_err(&f)?;
    policy::check_set_attribute(key, caller, &new).map_err(at(CHECK))?;
    Ok(Planned::new(()).with(Mutation::SetAttribute(handle, new)))
}

/// Shares (or unshares) a key the caller owns with another crypto user.
pub fn share(state: &HsmState, handle: KeyHandle, user: UserId, on: bool) -> Plan<()> {
    let f = at::<HsmErrorKind>(CHECK);
    let caller = crypto_user(state).map_err(&f)?;
    let key = lookup(state, handle).map_err(&f)?;
    policy::check_owner(key, caller, "share").map_err(at(CHECK))?;
    check_share_target(state, caller, user).map_err(&f)?;
    Ok(Planned::new(()).with(Mutation::Share(handle, user, on)))
}

/// Deletes a key the caller owns. The key is looked up first (stage
/// [`Stage::Find`]), as KMU does.
pub fn delete(state: &HsmState, handle: KeyHandle) -> Plan<()> {
    let caller = crypto_user(state).map_err(at(CHECK))?;
    let key = lookup(state, handle).map_err(at(Stage::Find))?;
    policy::check_use(key, caller).map_err(at(Stage::Find))?;
    policy::check_owner(key, caller, "delete").map_err(at(CHECK))?;
    Ok(Planned::new(()).with(Mutation::DeleteKey(handle)))
}

/// Writes an in-page file (`getAttribute -out`).
pub fn write_file(name: &str, bytes: Vec<u8>, origin: FileOrigin) -> Plan<()> {
    check_file_name(name).map_err(at(CHECK))?;
    Ok(Planned::new(()).with(Mutation::WriteFile(name.to_owned(), bytes, origin)))
}
