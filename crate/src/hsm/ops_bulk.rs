//! Many HSM keys wrapped under one KEK in one operation, one file each: the
//! Keywrap Console's bulk export (neither `key_mgmt_util` nor CloudHSM CLI
//! has one; both dialects spell it as a labelled extension, and the page's
//! "wrap all selected keys" runs it).
//!
//! It plans like every operation in [`super::ops`]: every key is checked
//! under the same rules as a single wrap ([`policy::check_wrap`]: the
//! caller owns it, it is EXTRACTABLE, the KEK has WRAP, WRAP_WITH_TRUSTED
//! needs a TRUSTED KEK), every file name is checked, and only then are the
//! keys wrapped, in one [`wrap_many`] call that interleaves their rounds
//! through the cipher's parallel blocks (byte for byte what one wrap each
//! gives). A refusal writes nothing and names the key that stopped it.

use core::fmt;

use super::HsmState;
use super::copies;
use super::error::{HsmError, HsmErrorKind, Stage};
use super::files::{FileOrigin, check_file_name};
use super::header::{HeaderAttributes, WrappedKeyFile};
use super::ops::{self, Mutation, Planned};
use crate::Mechanism;
use crate::store::{KeyHandle, policy};
use crate::wrap::wrap_many;

/// A bulk wrap: these keys, under this key, one file each.
#[derive(Clone, Debug)]
pub struct WrapAllSpec<'a> {
    /// The keys to wrap, in the order their files are written. A handle
    /// given twice is wrapped once; the wrapping key itself is never among
    /// them (a KEK is not exported under itself by a bulk export).
    pub keys: &'a [KeyHandle],
    /// The wrapping key.
    pub wrapping: KeyHandle,
    /// KW, KWP or KW-PKCS#5 (no explicit IV: CloudHSM's default).
    pub mechanism: Mechanism,
    /// Whether each file carries the key's attributes before the blob (as
    /// `wrapKey` without `-noheader`, so `unWrapKey` restores them).
    pub header: bool,
    /// Each file is named this followed by the key's handle and `.key`.
    pub file_prefix: &'a str,
}

/// The file a key was wrapped into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrappedToFile {
    /// The key wrapped.
    pub key: KeyHandle,
    /// The file written.
    pub file: String,
    /// The wrapped key alone (without the header the file may carry). Not
    /// secret: it is the key under the KEK.
    pub wrapped: Vec<u8>,
    /// The file's length in bytes.
    pub file_len: usize,
}

/// Why a bulk wrap wrote nothing.
#[derive(Clone, Debug, PartialEq)]
pub enum WrapAllError {
    /// No key was left to wrap (none matched, or only the wrapping key did).
    NoKeys,
    /// The HSM refused: at `key` when it was that key's check (or wrap)
    /// that stopped the plan, else before any key (the login, the KEK).
    Refused {
        /// The key at which the plan stopped.
        key: Option<KeyHandle>,
        /// Why.
        error: HsmError,
    },
}

impl WrapAllError {
    /// The HSM's refusal, if it was one.
    pub fn hsm_error(&self) -> Option<&HsmError> {
        match self {
            Self::NoKeys => None,
            Self::Refused { error, .. } => Some(error),
        }
    }
}

impl fmt::Display for WrapAllError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoKeys => f.write_str(
                "no key to wrap: nothing you may see matches (the wrapping key itself is never wrapped)",
            ),
            Self::Refused {
                key: Some(key),
                error,
            } => write!(
                f,
                "key {key} stopped the wrap, so no file was written: {error}"
            ),
            Self::Refused { key: None, error } => {
                write!(f, "no file was written: {error}")
            }
        }
    }
}

impl core::error::Error for WrapAllError {}

/// The name of the file `key` is wrapped into.
pub fn wrap_all_file_name(prefix: &str, key: KeyHandle) -> String {
    format!("{prefix}{key}.key")
}

/// Plans the wrap of every key of `spec` under its wrapping key, one file
/// each; the result lists the files in the keys' order. Nothing is written
/// unless every key passes.
pub fn wrap_all(
    state: &HsmState,
    spec: &WrapAllSpec<'_>,
) -> Result<Planned<Vec<WrappedToFile>>, WrapAllError> {
    let before = |kind: HsmErrorKind| WrapAllError::Refused {
        key: None,
        error: kind.at(Stage::Check),
    };
    let at = |key: KeyHandle| {
        move |kind: HsmErrorKind| WrapAllError::Refused {
            key: Some(key),
            error: kind.at(Stage::Check),
        }
    };
    let caller = ops::crypto_user(state).map_err(before)?;
    let wrapper = ops::lookup(state, spec.wrapping).map_err(before)?;
    policy::check_use(wrapper, caller).map_err(|e| before(e.into()))?;
    let kek = ops::kek_of(wrapper).map_err(before)?;
    let mut keys: Vec<KeyHandle> = Vec::with_capacity(spec.keys.len());
    for &key in spec.keys {
        if key != spec.wrapping && !keys.contains(&key) {
            keys.push(key);
        }
    }
    if keys.is_empty() {
        return Err(WrapAllError::NoKeys);
    }
    // Every check before any wrap: a refusal at the last key writes nothing.
    let mut targets = Vec::with_capacity(keys.len());
    for &key in &keys {
        let refused = at(key);
        let target = ops::lookup(state, key).map_err(&refused)?;
        policy::check_wrap(target, wrapper, caller).map_err(|e| refused(e.into()))?;
        check_file_name(&wrap_all_file_name(spec.file_prefix, key)).map_err(&refused)?;
        targets.push(target);
    }
    let values: Vec<&[u8]> = targets.iter().map(|t| t.value().expose_secret()).collect();
    let blobs = wrap_many(&kek, spec.mechanism, None, &values);
    let mut mutations = Vec::with_capacity(targets.len());
    let mut result = Vec::with_capacity(targets.len());
    for (target, blob) in targets.iter().zip(blobs) {
        let key = target.handle();
        let refused = at(key);
        let wrapped = blob.map_err(|e| refused(HsmErrorKind::Crypto(e)))?;
        let bytes = if spec.header {
            WrappedKeyFile {
                mechanism: spec.mechanism,
                attributes: HeaderAttributes::of(target.attributes()),
                wrapped: wrapped.clone(),
            }
            .to_bytes()
            .map_err(|e| refused(e.into()))?
        } else {
            wrapped.clone()
        };
        let file = wrap_all_file_name(spec.file_prefix, key);
        result.push(WrappedToFile {
            key,
            file: file.clone(),
            wrapped,
            file_len: bytes.len(),
        });
        mutations.push(Mutation::WriteFile(
            file.clone(),
            bytes,
            FileOrigin::WrapKey {
                key,
                wrapping: spec.wrapping,
                header: spec.header,
            },
        ));
        // Each file is a wrapped copy of its key, as wrapKey's is.
        mutations.push(Mutation::Copy(copies::KeyCopy {
            key,
            place: copies::CopyPlace::File(file),
            form: copies::CopyForm::Wrapped {
                wrapping: spec.wrapping,
                header: spec.header,
            },
            via: None,
            unwrapped_by: None,
        }));
    }
    Ok(Planned {
        mutations,
        result,
        steps: None,
    })
}
