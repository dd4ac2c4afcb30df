//! Why the virtual HSM refused an operation: one error type for every front
//! end (the KMU and CloudHSM CLI dialects, the workbench, the page's own
//! buttons). A dialect decides how to print it, never whether it happened.

use core::fmt;

use super::header::HeaderError;
use crate::Mechanism;
use crate::store::{AttributeType, KeyClass, KeyHandle, KeyType, PolicyError, UserId};

/// An operation the HSM refused: where in the operation, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct HsmError {
    /// Which part of the operation refused it.
    pub stage: Stage,
    /// Why.
    pub kind: HsmErrorKind,
}

/// The part of an operation that refused it. Dialects that name the library
/// call which failed (KMU's `Cfm…` functions) map it to their own names; the
/// rest ignore it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Checking the request against the session and the key policy.
    Check,
    /// Looking up the key the operation acts on (KMU's `deleteKey` reports
    /// this in `Cfm3FindKey`).
    Find,
    /// The host's half of an operation that runs partly outside the HSM
    /// (`exSymKey` unwraps the exported blob on the host).
    Host,
    /// The HSM's half of such an operation (`imSymKey` unwraps the imported
    /// key into the HSM).
    Hsm,
}

/// Why the HSM refused, independent of how a dialect prints it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum HsmErrorKind {
    /// A key operation was asked for before anyone logged in.
    NotLoggedIn,
    /// A login while someone is logged in.
    AlreadyLoggedIn,
    /// A login names no user of that type.
    NoSuchUser(String),
    /// The key policy refused the operation.
    Policy(PolicyError),
    /// The key type is known but not held by this HSM (RSA, 3DES, …).
    UnsupportedKeyType(KeyType),
    /// The key class is not secret (private and public keys are not held here).
    UnsupportedClass(KeyClass),
    /// The key size does not fit the key type.
    KeySize {
        /// The key type.
        key_type: KeyType,
        /// The size given, in bytes.
        size: u64,
    },
    /// CloudHSM refuses this IV: only `A6A6A6A6A6A6A6A6` with KW and
    /// KW-PKCS#5, and no explicit IV at all with KWP.
    IvRefused {
        /// The mechanism.
        mechanism: Mechanism,
    },
    /// The wrapped-file header could not be parsed.
    Header(HeaderError),
    /// The mechanism asked for disagrees with the one in the file's header.
    MechanismMismatch {
        /// The mechanism in the header.
        header: Mechanism,
        /// The mechanism asked for.
        given: Mechanism,
    },
    /// No in-page file has this name.
    FileNotFound(String),
    /// A file name is empty, too long, or holds a control character or a slash.
    InvalidFileName(String),
    /// A file is larger than the page keeps ([`super::MAX_FILE_SIZE`]).
    FileTooLarge {
        /// Its size in bytes.
        len: usize,
    },
    /// The key has no such attribute: the modulus, modulus bits or public
    /// exponent of a key that is not an RSA key (PKCS#11's
    /// `CKR_ATTRIBUTE_TYPE_INVALID`; AWS documents only that `getAttribute`
    /// "returns an error" for "the modulus of an AES key").
    AttributeTypeInvalid {
        /// The key asked about.
        handle: KeyHandle,
        /// The attribute it lacks.
        attribute: AttributeType,
    },
    /// An attribute value does not fit the attribute.
    AttributeValue {
        /// What is wrong.
        detail: String,
    },
    /// The wrap engine refused (wrong KEK, tampered blob, bad length, …).
    Crypto(crate::Error),
    /// An unwrapped key's KCV differs from the one in the header.
    KcvMismatch,
    /// A share names no crypto user other than the owner.
    ShareTarget(UserId),
    /// The wrapping key is not an AES key of 16, 24 or 32 bytes.
    NotAnAesKey(KeyHandle),
    /// `aesWrapUnwrap` input is empty or larger than KMU's 4 KB limit.
    HostDataLength(usize),
    /// An HSM key can be wrapped only under a key the HSM holds, and a key
    /// unwrapped into the HSM needs a KEK inside it.
    ExternalKek,
    /// An RSA key pair operation or RSA wrap refused ([`super::ops_rsa`]).
    Rsa(super::ops_rsa::RsaError),
    /// The HSM changed while a sliced workbench job ran W or W⁻¹, so its
    /// plan was not applied: the check that now fails (a key deleted, a
    /// flag changed, nobody logged in), or `None` when another user logged
    /// in since the job started.
    JobStale(Option<Box<HsmErrorKind>>),
}

impl HsmErrorKind {
    /// This refusal, found at `stage`.
    pub const fn at(self, stage: Stage) -> HsmError {
        HsmError { stage, kind: self }
    }
}

impl From<PolicyError> for HsmErrorKind {
    fn from(e: PolicyError) -> Self {
        Self::Policy(e)
    }
}

impl From<HeaderError> for HsmErrorKind {
    fn from(e: HeaderError) -> Self {
        Self::Header(e)
    }
}

impl From<crate::Error> for HsmErrorKind {
    fn from(e: crate::Error) -> Self {
        Self::Crypto(e)
    }
}

impl fmt::Display for HsmErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotLoggedIn => f.write_str("log in first: loginHSM -u CU -s alice"),
            Self::AlreadyLoggedIn => f.write_str("a user is already logged in: logoutHSM first"),
            Self::NoSuchUser(name) => write!(f, "no user of that type is named \"{name}\""),
            Self::Policy(p) => write!(f, "{p}"),
            Self::UnsupportedKeyType(t) => write!(
                f,
                "key type {} ({}) is not held by this HSM: use 31 (AES) or 16 (GENERIC_SECRET)",
                t.number(),
                t.name()
            ),
            Self::UnsupportedClass(c) => write!(
                f,
                "key class {} is not held by this HSM: only 4 (secret keys)",
                c.number()
            ),
            Self::KeySize { key_type, size } => match key_type {
                KeyType::Aes => write!(f, "an AES key is 16, 24 or 32 bytes, not {size}"),
                _ => write!(
                    f,
                    "a generic secret is 1 to {} bytes, not {size}",
                    super::rules::MAX_GENERIC_SECRET
                ),
            },
            Self::IvRefused { mechanism } => match mechanism {
                Mechanism::Kwp => f.write_str(
                    "CloudHSM allows no explicit IV with NIST_AES_WRAP_PAD (-m 6): its IV is A65959A6 followed by the key length",
                ),
                _ => f.write_str(
                    "CloudHSM accepts only the default IV A6A6A6A6A6A6A6A6 here; use aesWrapUnwrap or the workbench with a pasted KEK to try another",
                ),
            },
            Self::Header(e) => write!(f, "{e}"),
            Self::MechanismMismatch { header, given } => write!(
                f,
                "-m {} disagrees with the file's header, which says -m {}",
                given.kmu_number(),
                header.kmu_number()
            ),
            Self::FileNotFound(name) => write!(f, "no file named \"{name}\" in this page"),
            Self::InvalidFileName(name) => write!(f, "\"{name}\" is not a valid file name"),
            Self::FileTooLarge { len } => write!(
                f,
                "the file is too large: {len} bytes; the page keeps files of at most {} bytes",
                super::MAX_FILE_SIZE
            ),
            Self::AttributeTypeInvalid { handle, attribute } => write!(
                f,
                "key {handle} has no {attribute}: only RSA keys have a modulus, its size and a public exponent"
            ),
            Self::AttributeValue { detail } => f.write_str(detail),
            Self::Crypto(e) => write!(f, "{e}"),
            Self::KcvMismatch => f.write_str(
                "the unwrapped key's KCV differs from the header's: the header does not belong to this blob",
            ),
            Self::ShareTarget(u) => write!(f, "user {u} is not another crypto user of this HSM"),
            Self::NotAnAesKey(h) => {
                write!(f, "key {h} is not an AES key, so it cannot wrap or unwrap")
            }
            Self::HostDataLength(n) => write!(
                f,
                "aesWrapUnwrap takes 16 to 4095 bytes (a multiple of 8 to wrap), not {n}"
            ),
            Self::Rsa(e) => write!(f, "{e}"),
            Self::ExternalKek => f.write_str(
                "an HSM wraps and unwraps only under keys it holds: import the KEK first (imSymKey)",
            ),
            Self::JobStale(why) => {
                f.write_str("the HSM changed while the job ran, so nothing was applied: ")?;
                match why {
                    Some(kind) => kind.fmt(f),
                    None => f.write_str("another user is logged in now"),
                }
            }
        }
    }
}

impl fmt::Display for HsmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}

impl core::error::Error for HsmErrorKind {}
impl core::error::Error for HsmError {}
