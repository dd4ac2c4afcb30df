//! RSA key pairs in the virtual HSM, and the two RSA wrapping mechanisms
//! every BYOK import takes ([`crate::byok`]): generate a pair, import a
//! public key made elsewhere, export a public key as PEM, wrap a secret key
//! with `CKM_RSA_AES_KEY_WRAP` (key_mgmt_util `-m 7`) or `CKM_RSA_PKCS_OAEP`
//! (`-m 8`) under a public key, and unwrap with the private key.
//!
//! Same shape as [`super::ops`]: each function plans against a shared
//! borrow of [`HsmState`] and returns [`Mutation`]s, or an [`OpFailure`]
//! that changes nothing. Same policy as the AES mechanisms
//! ([`policy::check_wrap`], [`policy::check_unwrap`]): WRAP on the public
//! key, UNWRAP on the private key, an extractable target that the caller
//! owns, WRAP_WITH_TRUSTED only under a trusted public key.
//!
//! Randomness (the primes, the OAEP seed, RSA-AES's ephemeral AES key)
//! comes from the session's [`KeySource`], so a seeded session's transcript
//! is reproducible. The private key's only operation here is the unwrap's
//! RSA decryption, blinded (RUSTSEC-2023-0071 concerns unblinded ones).

use core::fmt;

use super::HsmState;
use super::copies;
use super::error::{HsmError, HsmErrorKind, Stage};
use super::files::{FileOrigin, check_file_name};
use super::keysource::KeySource;
use super::ops::{
    self, Mutation, NewKeyTemplate, OpFailure, OutFile, Plan, Planned, WrappedInput, at,
    crypto_user, lookup, read_file,
};
use super::rules;
use super::steps::{self, OperationSteps};
use crate::byok::{
    self, ByokError, OaepHash, OaepLayer, RsaRng, UnwrappingPrivateKey, WrappingPublicKey,
};
use crate::kmu::ReturnCode;
use crate::store::{
    AttributeType, KeyAttributes, KeyClass, KeyHandle, KeyObject, KeyType, RsaKeyInfo, policy,
};
use crate::wrap::RsaMechanism;
use crate::{Mechanism, SecretBytes};

/// The only public exponent this HSM generates (CloudHSM's docs use it in
/// every example; PKCS#11 tokens commonly refuse others).
pub const PUBLIC_EXPONENT: u64 = 65537;

/// The ephemeral AES key of `-m 7` / `rsa-aes`: AES-256, as every cloud
/// provider's import expects (neither dialect offers another size).
const EPHEMERAL_AES_LEN: usize = 32;

/// Why an RSA operation was refused.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum RsaError {
    /// A modulus size other than 2048, 3072 or 4096 bits.
    ModulusBits(u64),
    /// A public exponent other than 65537.
    PublicExponent(u64),
    /// The wrapping key is not an RSA public key.
    NotAPublicKey {
        /// The key given.
        handle: KeyHandle,
        /// Its public half, when it is an RSA private key whose pair is here.
        public_half: Option<KeyHandle>,
    },
    /// The unwrapping key is not an RSA private key.
    NotAPrivateKey {
        /// The key given.
        handle: KeyHandle,
        /// Its private half, when it is an RSA public key whose pair is here.
        private_half: Option<KeyHandle>,
    },
    /// Only secret keys are wrapped and unwrapped by these mechanisms here.
    NotASecretKey(KeyHandle),
    /// The key has WRAP_WITH_TRUSTED, and a provider's key outside the HSM
    /// is never trusted.
    WrapWithTrusted(KeyHandle),
    /// A BYOK engine refusal: a public key that does not parse, material
    /// too long for RSA-OAEP, a package that does not open (one generic
    /// error for every OAEP failure), …
    Byok(ByokError),
}

impl From<ByokError> for RsaError {
    fn from(e: ByokError) -> Self {
        RsaError::Byok(e)
    }
}

impl From<RsaError> for HsmErrorKind {
    fn from(e: RsaError) -> Self {
        HsmErrorKind::Rsa(e)
    }
}

impl fmt::Display for RsaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RsaError::ModulusBits(bits) => write!(
                f,
                "an RSA key pair here is 2048, 3072 or 4096 bits, not {bits}"
            ),
            RsaError::PublicExponent(e) => {
                write!(
                    f,
                    "this HSM generates RSA keys with public exponent 65537 only, not {e}"
                )
            }
            RsaError::NotAPublicKey {
                handle,
                public_half: Some(public),
            } => write!(
                f,
                "key {handle} is an RSA private key: use its public key, {public}"
            ),
            RsaError::NotAPublicKey { handle, .. } => write!(
                f,
                "key {handle} is not an RSA public key (RSA-AES and RSA-OAEP wrap under one; \
                 exportPubKey exports one)"
            ),
            RsaError::NotAPrivateKey {
                handle,
                private_half: Some(private),
            } => write!(
                f,
                "key {handle} is an RSA public key: unwrap with its private key, {private}"
            ),
            RsaError::NotAPrivateKey {
                handle,
                private_half: None,
            } => write!(
                f,
                "key {handle} is not an RSA private key held by this HSM, so it cannot unwrap \
                 with RSA-AES or RSA-OAEP (an imported public key's private half is elsewhere)"
            ),
            RsaError::NotASecretKey(h) => write!(
                f,
                "key {h} is not a secret key: this HSM wraps only AES and generic secret keys"
            ),
            RsaError::WrapWithTrusted(h) => write!(
                f,
                "key {h} has OBJ_ATTR_WRAP_WITH_TRUSTED set: only a trusted key in this HSM may \
                 wrap it, and a provider's public key outside the HSM is not one"
            ),
            RsaError::Byok(e) => write!(f, "{e}"),
        }
    }
}

impl core::error::Error for RsaError {}

impl From<&RsaError> for ReturnCode {
    fn from(e: &RsaError) -> Self {
        match e {
            RsaError::ModulusBits(_) => ReturnCode::KeySizeRange,
            RsaError::PublicExponent(_) => ReturnCode::AttributeValueInvalid,
            RsaError::NotAPublicKey { .. } | RsaError::NotAPrivateKey { .. } => {
                ReturnCode::KeyFunctionNotPermitted
            }
            RsaError::NotASecretKey(_) => ReturnCode::PolicyViolation,
            RsaError::WrapWithTrusted(_) => ReturnCode::KeyNotWrappable,
            RsaError::Byok(b) => match b {
                ByokError::OaepDecryptionFailed
                | ByokError::KwpLayer(_)
                | ByokError::PackageTooShort { .. }
                | ByokError::EphemeralKeyLength { .. } => ReturnCode::WrappedKeyInvalid,
                ByokError::OaepMessageTooLong { .. } | ByokError::EmptyMaterial => {
                    ReturnCode::DataLenRange
                }
                ByokError::UnsupportedKeySize { .. } => ReturnCode::KeySizeRange,
                _ => ReturnCode::InvalidArguments,
            },
        }
    }
}

/// Fills `dst` from the session's [`KeySource`] (primes, OAEP seeds), in
/// pieces: a key source caps one draw (`random::MAX_GENERATED_KEY_LEN`).
fn fill_from(keys: &mut dyn KeySource, dst: &mut [u8]) -> Result<(), crate::Error> {
    for chunk in dst.chunks_mut(256) {
        let bytes = keys.generate(chunk.len())?;
        chunk.copy_from_slice(bytes.expose_secret());
    }
    Ok(())
}

fn rsa_failure(stage: Stage) -> impl Fn(RsaError) -> OpFailure {
    move |e| OpFailure::from(HsmErrorKind::Rsa(e).at(stage))
}

const CHECK: Stage = Stage::Check;

// ---- Reading RSA objects ------------------------------------------------------------

/// The public key of an RSA public-key object.
fn public_key_of(state: &HsmState, key: &KeyObject) -> Result<WrappingPublicKey, RsaError> {
    if key.attributes().key_type != KeyType::Rsa || key.attributes().class != KeyClass::Public {
        let public_half = (key.attributes().class == KeyClass::Private)
            .then(|| key.rsa().and_then(|r| r.counterpart))
            .flatten()
            .filter(|h| state.store.get(*h).is_some());
        return Err(RsaError::NotAPublicKey {
            handle: key.handle(),
            public_half,
        });
    }
    Ok(WrappingPublicKey::parse(key.value().expose_secret())?)
}

/// The private key of an RSA private-key object.
fn private_key_of(state: &HsmState, key: &KeyObject) -> Result<UnwrappingPrivateKey, RsaError> {
    if key.attributes().key_type != KeyType::Rsa || key.attributes().class != KeyClass::Private {
        return Err(RsaError::NotAPrivateKey {
            handle: key.handle(),
            private_half: state
                .store
                .unwrapper_of(key.handle())
                .filter(|h| *h != key.handle()),
        });
    }
    Ok(UnwrappingPrivateKey::parse(key.value().expose_secret())?)
}

// ---- Creating RSA keys --------------------------------------------------------------

/// A key pair to generate.
#[derive(Clone, Debug)]
pub struct RsaPairSpec<'a> {
    /// The modulus size in bits: 2048, 3072 or 4096.
    pub modulus_bits: u64,
    /// The public exponent: 65537.
    pub public_exponent: u64,
    /// The public key's label.
    pub public_label: &'a str,
    /// The private key's label.
    pub private_label: &'a str,
    /// Both halves' id.
    pub id: &'a str,
    /// Whether the private key may ever leave the HSM.
    pub extractable: bool,
    /// Persistent (true) or gone at logout (false).
    pub token: bool,
}

/// The two handles of a new pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyPairHandles {
    /// The public key (it wraps).
    pub public: KeyHandle,
    /// The private key (it unwraps).
    pub private: KeyHandle,
}

/// Generates an RSA key pair inside the HSM: the public key gets the next
/// handle, the private key the one after. Slow: RSA key generation takes
/// seconds at 4096 bits, more in a debug build.
pub fn generate_pair(
    state: &HsmState,
    keys: &mut dyn KeySource,
    spec: &RsaPairSpec<'_>,
) -> Plan<KeyPairHandles> {
    let f = at::<HsmErrorKind>(CHECK);
    let r = rsa_failure(CHECK);
    let caller = crypto_user(state).map_err(&f)?;
    let bits = match usize::try_from(spec.modulus_bits) {
        Ok(b) if byok::public_key::SUPPORTED_BITS.contains(&b) => b,
        _ => return Err(r(RsaError::ModulusBits(spec.modulus_bits))),
    };
    if spec.public_exponent != PUBLIC_EXPONENT {
        return Err(r(RsaError::PublicExponent(spec.public_exponent)));
    }
    rules::check_label(AttributeType::Label, spec.public_label).map_err(&f)?;
    rules::check_label(AttributeType::Label, spec.private_label).map_err(&f)?;
    rules::check_label(AttributeType::Id, spec.id).map_err(&f)?;
    let mut fill = |dst: &mut [u8]| fill_from(keys, dst);
    let private = UnwrappingPrivateKey::generate_with_rng(&mut RsaRng::new(&mut fill), bits)
        .map_err(|e| r(e.into()))?;
    let public_handle = state.store.next_handle();
    let private_handle = KeyHandle::new(public_handle.get().saturating_add(1));
    let public = private.public_key();
    let facts = RsaKeyInfo::from_spki_der(public.spki_der(), None).map_err(|e| r(e.into()))?;
    let info = |counterpart| RsaKeyInfo {
        counterpart: Some(counterpart),
        ..facts.clone()
    };
    let private_der = private.to_pkcs8_der().map_err(|e| r(e.into()))?;
    let public_attributes = KeyAttributes {
        token: spec.token,
        local: true,
        ..KeyAttributes::new_rsa(
            KeyClass::Public,
            spec.public_label,
            spec.id,
            public.spki_der(),
            info(private_handle),
        )
    };
    let private_attributes = KeyAttributes {
        token: spec.token,
        local: true,
        extractable: spec.extractable,
        never_extractable: !spec.extractable,
        ..KeyAttributes::new_rsa(
            KeyClass::Private,
            spec.private_label,
            spec.id,
            &private_der,
            info(public_handle),
        )
    };
    Ok(Planned::new(KeyPairHandles {
        public: public_handle,
        private: private_handle,
    })
    .with(Mutation::CreateKey {
        attributes: public_attributes,
        owner: caller.user,
        value: SecretBytes::from(zeroize::Zeroizing::new(public.spki_der().to_vec())),
    })
    .with(Mutation::CreateKey {
        attributes: private_attributes,
        owner: caller.user,
        value: SecretBytes::from(private_der),
    }))
}

/// A public key made elsewhere, to import (`importPubKey`, `key import pem`).
#[derive(Clone, Debug)]
pub struct PublicImportSpec<'a> {
    /// The key: PEM (SPKI or PKCS#1), DER, or base64 of DER.
    pub input: WrappedInput<'a>,
    /// Its label.
    pub label: &'a str,
    /// Its id.
    pub id: &'a str,
    /// Persistent (true) or session key.
    pub token: bool,
}

/// Imports an RSA public key (2048, 3072 or 4096 bits). Its private half is
/// outside this HSM: [`RsaKeyInfo::counterpart`] is `None`, and nothing
/// here can unwrap what it wraps.
pub fn import_public(state: &HsmState, spec: &PublicImportSpec<'_>) -> Plan<KeyHandle> {
    let f = at::<HsmErrorKind>(CHECK);
    let caller = crypto_user(state).map_err(&f)?;
    let bytes = match spec.input {
        WrappedInput::File(name) => read_file(state, name).map_err(&f)?,
        WrappedInput::Bytes(bytes) => bytes,
    };
    rules::check_label(AttributeType::Label, spec.label).map_err(&f)?;
    rules::check_label(AttributeType::Id, spec.id).map_err(&f)?;
    let public = WrappingPublicKey::parse(bytes).map_err(|e| rsa_failure(CHECK)(e.into()))?;
    let info = RsaKeyInfo::from_spki_der(public.spki_der(), None)
        .map_err(|e| rsa_failure(CHECK)(e.into()))?;
    let attributes = KeyAttributes {
        token: spec.token,
        ..KeyAttributes::new_rsa(
            KeyClass::Public,
            spec.label,
            spec.id,
            public.spki_der(),
            info,
        )
    };
    Ok(
        Planned::new(state.store.next_handle()).with(Mutation::CreateKey {
            attributes,
            owner: caller.user,
            value: SecretBytes::from(zeroize::Zeroizing::new(public.spki_der().to_vec())),
        }),
    )
}

/// Writes a public key as PEM `BEGIN PUBLIC KEY` to the in-page file `out`
/// (`exportPubKey`). Any user who may use the key may export it: a public
/// key is not secret. A private key's handle is refused, naming its public
/// half.
pub fn export_public(state: &HsmState, handle: KeyHandle, out: &str) -> Plan<String> {
    let f = at::<HsmErrorKind>(CHECK);
    let caller = crypto_user(state).map_err(&f)?;
    check_file_name(out).map_err(&f)?;
    let key = lookup(state, handle).map_err(&f)?;
    policy::check_use(key, caller).map_err(at(CHECK))?;
    let public = public_key_of(state, key).map_err(rsa_failure(CHECK))?;
    // AWS: "You can only export public keys that have a OBJ_ATTR_EXTRACTABLE value of 1".
    if !key.attributes().extractable {
        return Err(f(policy::PolicyError::Unextractable(handle).into()));
    }
    let pem = public.to_pem();
    Ok(Planned::new(pem.clone()).with(Mutation::WriteFile(
        out.to_owned(),
        pem.into_bytes(),
        FileOrigin::PublicKey { key: handle },
    )))
}

// ---- Wrapping and unwrapping ----------------------------------------------------------

/// A wrap of an HSM secret key under an HSM RSA public key.
#[derive(Clone, Debug)]
pub struct RsaWrapSpec<'a> {
    /// The key to wrap.
    pub key: KeyHandle,
    /// The RSA public key.
    pub wrapping: KeyHandle,
    /// RSA-AES or RSA-OAEP.
    pub mechanism: RsaMechanism,
    /// The OAEP hash (also MGF1's).
    pub hash: OaepHash,
    /// The file to write, if any (no header: the package is what a KMS takes).
    pub out: Option<OutFile<'a>>,
}

/// What an RSA wrap made.
#[derive(Debug)]
pub struct RsaWrapped {
    /// The package: `RSA part ‖ KWP part` for RSA-AES, the OAEP ciphertext
    /// for RSA-OAEP.
    pub package: Vec<u8>,
    /// The OAEP layer: hash, modulus, lengths.
    pub oaep: OaepLayer,
    /// The length of the RSA part (`k`); the rest is the KWP part.
    pub rsa_part_len: usize,
}

/// Wraps an HSM secret key with RSA-AES or RSA-OAEP. The steps are the
/// KWP layer's W under the ephemeral key (RSA-AES; the target's bytes are
/// in its registers, so [`steps::may_show_key`] decides, X-ray as ever);
/// RSA-OAEP runs no W and has none.
pub fn wrap(
    state: &HsmState,
    keys: &mut dyn KeySource,
    spec: &RsaWrapSpec<'_>,
) -> Plan<RsaWrapped> {
    let f = at::<HsmErrorKind>(CHECK);
    let r = rsa_failure(CHECK);
    let caller = crypto_user(state).map_err(&f)?;
    if let Some(out) = spec.out {
        check_file_name(out.name).map_err(&f)?;
    }
    let target = lookup(state, spec.key).map_err(&f)?;
    let wrapper = lookup(state, spec.wrapping).map_err(&f)?;
    // The wrapping key's kind before its flags: a private key lacks WRAP
    // too, but "use its public key, N" is the useful answer.
    policy::check_use(wrapper, caller).map_err(at(CHECK))?;
    let public = public_key_of(state, wrapper).map_err(&r)?;
    policy::check_wrap(target, wrapper, caller).map_err(at(CHECK))?;
    if !target.is_secret() {
        return Err(r(RsaError::NotASecretKey(target.handle())));
    }
    let key_data = target.value().expose_secret();
    let (wrapped, steps) = match spec.mechanism {
        RsaMechanism::RsaAes => {
            let ephemeral = keys.generate(EPHEMERAL_AES_LEN).map_err(at(CHECK))?;
            let mut fill = |dst: &mut [u8]| fill_from(keys, dst);
            let mut rng = RsaRng::new(&mut fill);
            let may_show = state.step_rule(steps::may_show_key(target, caller));
            let out = byok::rsa_aes_wrap_with(
                &public,
                spec.hash,
                &ephemeral,
                key_data,
                may_show.is_ok(),
                &mut rng,
            )
            .map_err(|e| r(e.into()))?;
            let steps = match (may_show, out.kwp_trace) {
                (Ok(()), Some(trace)) => OperationSteps::Wrap(trace),
                // The ephemeral AES key is wiped once the package is made,
                // so these steps cannot be replayed under X-ray later.
                (Err(reason), _) => OperationSteps::Withheld(steps::WithheldSteps::because(reason)),
                (Ok(()), None) => OperationSteps::Withheld(steps::WithheldSteps::untraceable(
                    crate::Error::TraceTooLarge {
                        len: key_data.len().div_ceil(8) * 8,
                        max: crate::wrap::trace::TRACE_MAX_SEMIBLOCKS * 8,
                    }
                    .to_string(),
                )),
            };
            (
                RsaWrapped {
                    package: out.package,
                    oaep: out.oaep,
                    rsa_part_len: out.rsa_part_len,
                },
                Some(steps),
            )
        }
        RsaMechanism::RsaOaep => {
            let mut fill = |dst: &mut [u8]| fill_from(keys, dst);
            let mut rng = RsaRng::new(&mut fill);
            let ct = byok::oaep_encrypt_with_rng(&public, spec.hash, key_data, &mut rng)
                .map_err(|e| r(e.into()))?;
            let rsa_part_len = ct.len();
            (
                RsaWrapped {
                    package: ct,
                    oaep: OaepLayer::new(&public, spec.hash, key_data.len()),
                    rsa_part_len,
                },
                None,
            )
        }
    };
    let mut planned = Planned::new(()).with_steps(steps);
    if let Some(out) = spec.out {
        planned = planned.with(Mutation::WriteFile(
            out.name.to_owned(),
            wrapped.package.clone(),
            out.origin,
        ));
    }
    // The package is a wrapped copy of the key, opened by the public key's
    // private half (in this HSM or with whoever holds it outside).
    planned = planned.with(Mutation::Copy(copies::KeyCopy {
        key: spec.key,
        place: spec.out.map_or(copies::CopyPlace::Transcript, |o| {
            copies::CopyPlace::File(o.name.to_owned())
        }),
        form: copies::CopyForm::Wrapped {
            wrapping: spec.wrapping,
            header: false,
        },
        via: None,
        unwrapped_by: None,
    }));
    Ok(planned.map(|()| wrapped))
}

/// An unwrap of an RSA package into a new HSM secret key.
#[derive(Clone, Debug)]
pub struct RsaUnwrapSpec<'a> {
    /// The package.
    pub input: WrappedInput<'a>,
    /// The RSA private key.
    pub unwrapping: KeyHandle,
    /// RSA-AES or RSA-OAEP.
    pub mechanism: RsaMechanism,
    /// The OAEP hash (also MGF1's).
    pub hash: OaepHash,
    /// The new key (secret class only).
    pub template: NewKeyTemplate,
}

/// Unwraps an RSA-AES or RSA-OAEP package with an HSM private key into a
/// new secret key. RSA-AES's steps are the KWP layer's W⁻¹ under the
/// recovered ephemeral key, with the new key's step rule (its IV check
/// always); RSA-OAEP's has none.
pub fn unwrap(state: &HsmState, spec: &RsaUnwrapSpec<'_>) -> Plan<KeyHandle> {
    let f = at::<HsmErrorKind>(CHECK);
    let r = rsa_failure(CHECK);
    let caller = crypto_user(state).map_err(&f)?;
    let bytes = match spec.input {
        WrappedInput::File(name) => read_file(state, name).map_err(&f)?,
        WrappedInput::Bytes(bytes) => bytes,
    };
    let unwrapper = lookup(state, spec.unwrapping).map_err(&f)?;
    policy::check_use(unwrapper, caller).map_err(at(CHECK))?;
    let private = private_key_of(state, unwrapper).map_err(&r)?;
    policy::check_unwrap(unwrapper, caller).map_err(at(CHECK))?;
    let template = &spec.template;
    if template.class != KeyClass::Secret {
        return Err(f(HsmErrorKind::UnsupportedClass(template.class)));
    }
    if !template.key_type.is_supported() {
        return Err(f(HsmErrorKind::UnsupportedKeyType(template.key_type)));
    }
    rules::check_label(AttributeType::Label, &template.label).map_err(&f)?;
    rules::check_label(AttributeType::Id, &template.id).map_err(&f)?;
    let may_show = state.step_rule(steps::may_show_new_key(
        template.sensitive,
        template.extractable,
    ));
    let (value, steps) = match spec.mechanism {
        RsaMechanism::RsaAes => {
            let kwp = byok::rsa_aes_unwrap_with(&private, spec.hash, bytes, |kek, kwp_part| {
                ops::unwrap_with_steps(CHECK, kek, Mechanism::Kwp, None, kwp_part, may_show, None)
            })
            .map_err(|e| r(e.into()))?;
            let (value, steps) = kwp?;
            (value, Some(steps))
        }
        RsaMechanism::RsaOaep => {
            let value = byok::oaep_decrypt(&private, spec.hash, bytes).map_err(|e| r(e.into()))?;
            (value, None)
        }
    };
    if let Err(e) = rules::check_key_size(template.key_type, rules::size_of(value.expose_secret()))
    {
        return Err(OpFailure {
            error: e.at(CHECK),
            steps: steps.map(Box::new),
        });
    }
    let attributes = template.attributes(&value);
    Ok(
        ops::created_by_unwrap(state, attributes, caller.user, value, spec.unwrapping)
            .with_steps(steps),
    )
}

/// Why an RSA operation failed, as an [`HsmError`] (for front ends that
/// check arguments before planning).
pub fn refusal(e: RsaError) -> HsmError {
    HsmErrorKind::Rsa(e).at(CHECK)
}

// ---- The page's own calls ---------------------------------------------------------------

use super::audit::Dialect;
use super::ops::OpFailure as Failure;
use crate::byok::{ImportPackage, KwpLayer, PackageSteps};

impl super::Session {
    /// Plans with the session's key source, applies on success, audits as the page's.
    fn rsa_page_op<T>(
        &mut self,
        audit_text: String,
        mut handles: Vec<KeyHandle>,
        plan: impl FnOnce(&HsmState, &mut dyn KeySource) -> Plan<T>,
    ) -> (Result<T, HsmError>, Option<OperationSteps>) {
        let planned = plan(&self.state, self.key_source.as_mut());
        let (result, steps) = match planned {
            Ok(p) => {
                let effects = self.apply(p.mutations);
                handles.extend(effects.created.iter().copied());
                (Ok(p.result), p.steps)
            }
            Err(Failure { error, steps }) => (Err(error), steps.map(|s| *s)),
        };
        let code = ReturnCode::of_result(&result);
        self.record(Dialect::Page, audit_text, handles, code);
        (result, steps)
    }

    /// The key in this HSM that can unwrap what `handle` wraps
    /// ([`crate::store::Store::unwrapper_of`]): an AES key itself, an RSA
    /// public key its private half while the HSM holds it, else `None`.
    pub fn unwrapper_of(&self, handle: KeyHandle) -> Option<KeyHandle> {
        self.state.store.unwrapper_of(handle)
    }

    /// Generates an RSA key pair ([`generate_pair`]). Audited.
    pub fn rsa_generate_pair(
        &mut self,
        spec: &RsaPairSpec<'_>,
    ) -> Result<KeyPairHandles, HsmError> {
        let text = format!("generate RSA-{} key pair (page)", spec.modulus_bits);
        self.rsa_page_op(text, Vec::new(), |s, k| generate_pair(s, k, spec))
            .0
    }

    /// Imports an RSA public key ([`import_public`]). Audited.
    pub fn rsa_import_public(
        &mut self,
        spec: &PublicImportSpec<'_>,
    ) -> Result<KeyHandle, HsmError> {
        self.rsa_page_op("import RSA public key (page)".into(), Vec::new(), |s, _| {
            import_public(s, spec)
        })
        .0
    }

    /// Exports a public key as PEM to an in-page file ([`export_public`]). Audited.
    pub fn rsa_export_public(&mut self, handle: KeyHandle, out: &str) -> Result<String, HsmError> {
        let text = format!("export public key {handle} (page)");
        self.rsa_page_op(text, vec![handle], |s, _| export_public(s, handle, out))
            .0
    }

    /// Wraps an HSM key under an HSM public key ([`wrap`]), with its steps. Audited.
    pub fn rsa_wrap(
        &mut self,
        spec: &RsaWrapSpec<'_>,
    ) -> (Result<RsaWrapped, HsmError>, Option<OperationSteps>) {
        let text = format!(
            "wrap {} with {} under {} (page)",
            spec.key, spec.mechanism, spec.wrapping
        );
        self.rsa_page_op(text, vec![spec.key, spec.wrapping], |s, k| wrap(s, k, spec))
    }

    /// Unwraps an RSA package with an HSM private key ([`unwrap`]), with its
    /// steps. Audited.
    pub fn rsa_unwrap(
        &mut self,
        spec: &RsaUnwrapSpec<'_>,
    ) -> (Result<KeyHandle, HsmError>, Option<OperationSteps>) {
        let text = format!(
            "unwrap with {} under {} (page)",
            spec.mechanism, spec.unwrapping
        );
        self.rsa_page_op(text, vec![spec.unwrapping], |s, _| unwrap(s, spec))
    }

    /// Builds a BYOK import package of an HSM key for a provider's public
    /// key outside the HSM: `build` gets the key's bytes (borrowed, never
    /// kept) and makes the package with [`byok::prepare_with_steps`].
    ///
    /// The rule is the wrap rule with an outside, untrusted wrapping key:
    /// the caller owns the key, it is a secret key, extractable, and not
    /// WRAP_WITH_TRUSTED (no key outside the HSM is trusted). A sensitive
    /// key may be packaged (wrapped, never shown): its KWP steps are then
    /// withheld, as the step viewer's rule says. Audited; changes nothing
    /// else.
    pub fn byok_package_of_key(
        &mut self,
        handle: KeyHandle,
        build: impl FnOnce(&[u8]) -> Result<(ImportPackage, PackageSteps), ByokError>,
    ) -> Result<(ImportPackage, PackageSteps), HsmError> {
        let result = self.byok_package_checked(handle, build);
        let code = ReturnCode::of_result(&result);
        self.record(
            Dialect::Page,
            format!("prepare import package of key {handle} (page)"),
            vec![handle],
            code,
        );
        result
    }

    fn byok_package_checked(
        &self,
        handle: KeyHandle,
        build: impl FnOnce(&[u8]) -> Result<(ImportPackage, PackageSteps), ByokError>,
    ) -> Result<(ImportPackage, PackageSteps), HsmError> {
        let check = |kind: HsmErrorKind| kind.at(CHECK);
        let caller = crypto_user(&self.state).map_err(check)?;
        let key = lookup(&self.state, handle).map_err(check)?;
        policy::check_owner(key, caller, "export").map_err(|e| check(e.into()))?;
        if !key.is_secret() {
            return Err(refusal(RsaError::NotASecretKey(handle)));
        }
        if !key.attributes().extractable {
            return Err(check(policy::PolicyError::Unextractable(handle).into()));
        }
        if key.attributes().wrap_with_trusted {
            return Err(refusal(RsaError::WrapWithTrusted(handle)));
        }
        let (package, mut steps) =
            build(key.value().expose_secret()).map_err(|e| refusal(e.into()))?;
        if let Err(reason) = self.state.step_rule(steps::may_show_key(key, caller))
            && let KwpLayer::Traced { aes, .. } = steps.kwp
        {
            // The trace's registers hold the key: drop it (wiped) and say why.
            steps.kwp = KwpLayer::Withheld { aes, reason };
        }
        Ok((package, steps))
    }
}
