//! Return codes, with the text `key_mgmt_util` prints after them.
//!
//! | code | text | when | source |
//! |------|------|------|--------|
//! | 0x00 | SUCCESS | the command succeeded | KMU docs |
//! | 0xa8 | Invalid object handle is passed to this operation | no such key, or not yours to see (`CKR_OBJECT_HANDLE_INVALID`) | KMU docs |
//! | 0xc6 | Key Access is denied. | only the owner may export, delete, share or change a key | KMU docs |
//! | 0xb3 | This operation violates the current configured/FIPS policies | a non-default IV, an IV with KWP, an unsupported key type or mechanism | KMU docs |
//! | 0xdb | Invalid User Type. | `-u` not CO/CU; a CU setting TRUSTED; a CO using keys | KMU docs |
//! | 0x90 | User not logged in | a key command before `loginHSM` | chosen here (`CKR_USER_NOT_LOGGED_IN`) |
//! | 0x91 | User already logged in | `loginHSM` twice | chosen here (`CKR_USER_ALREADY_LOGGED_IN`) |
//! | 0x92 | This user doesn't exist | `loginHSM -s` names no user of that type | chosen here (text as CloudHSM clients print it) |
//! | 0x93 | Key function not permitted | wrapping key without WRAP, unwrapping key without UNWRAP | chosen here (`CKR_KEY_FUNCTION_NOT_PERMITTED`) |
//! | 0x94 | Key is not extractable | the target's EXTRACTABLE is 0 | chosen here (`CKR_KEY_UNEXTRACTABLE`) |
//! | 0x95 | Key can only be wrapped with a trusted key | WRAP_WITH_TRUSTED target, untrusted wrapping key | chosen here (`CKR_KEY_NOT_WRAPPABLE`) |
//! | 0x96 | Key size is out of range | `-s` or an imported/unwrapped key of the wrong length | chosen here (`CKR_KEY_SIZE_RANGE`) |
//! | 0x97 | Attribute is read only | CLASS, KEY_TYPE, VALUE_LEN, KCV, LOCAL, NEVER_EXTRACTABLE, PRIVATE | chosen here (`CKR_ATTRIBUTE_READ_ONLY`) |
//! | 0x98 | Invalid attribute value | a one-way attribute moved the wrong way, a bad `-v` | chosen here (`CKR_ATTRIBUTE_VALUE_INVALID`) |
//! | 0x99 | Wrapped key is invalid | unwrap integrity check failed: wrong KEK, wrong IV or a tampered blob | chosen here (`CKR_WRAPPED_KEY_INVALID`) |
//! | 0x9a | Wrapped key length is invalid | a blob whose length no mechanism accepts | chosen here (`CKR_WRAPPED_KEY_LEN_RANGE`) |
//! | 0x9b | Key attribute is sensitive | revealing a sensitive key | chosen here (`CKR_ATTRIBUTE_SENSITIVE`) |
//! | 0x9c | Invalid wrapped key file header | a header that does not parse, or disagrees with `-m` | chosen here |
//! | 0x9d | File not found | `-f` names no in-page file | chosen here (the tool's own, not the HSM's) |
//! | 0x9e | Invalid input data length | `aesWrapUnwrap` input of a length KW refuses | chosen here (`CKR_DATA_LEN_RANGE`) |
//! | 0x9f | Invalid arguments | a usage error (the usage is printed) | chosen here |
//! | 0xa0 | Invalid attribute type | `getAttribute` of an attribute the key lacks: MODULUS, MODULUS_BITS or PUBLIC_EXPONENT of a secret key | chosen here (`CKR_ATTRIBUTE_TYPE_INVALID`; AWS: "returns an error") |

use core::fmt;

use crate::hsm::{HsmError, HsmErrorKind};
use crate::store::PolicyError;

/// A return code of a console command: the HSM's status in KMU's
/// numbering. The table above gives each variant's number, text and use
/// ([`ReturnCode::code`], [`ReturnCode::message`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
#[allow(missing_docs)] // The module's table documents every code.
pub enum ReturnCode {
    Success,
    ObjectHandleInvalid,
    KeyAccessDenied,
    PolicyViolation,
    InvalidUserType,
    NotLoggedIn,
    AlreadyLoggedIn,
    NoSuchUser,
    KeyFunctionNotPermitted,
    KeyUnextractable,
    KeyNotWrappable,
    KeySizeRange,
    AttributeReadOnly,
    AttributeValueInvalid,
    WrappedKeyInvalid,
    WrappedKeyLenRange,
    AttributeSensitive,
    HeaderInvalid,
    FileNotFound,
    DataLenRange,
    InvalidArguments,
    AttributeTypeInvalid,
}

impl ReturnCode {
    /// The number printed as `0x%02x`.
    pub const fn code(self) -> u8 {
        match self {
            Self::Success => 0x00,
            Self::ObjectHandleInvalid => 0xa8,
            Self::KeyAccessDenied => 0xc6,
            Self::PolicyViolation => 0xb3,
            Self::InvalidUserType => 0xdb,
            Self::NotLoggedIn => 0x90,
            Self::AlreadyLoggedIn => 0x91,
            Self::NoSuchUser => 0x92,
            Self::KeyFunctionNotPermitted => 0x93,
            Self::KeyUnextractable => 0x94,
            Self::KeyNotWrappable => 0x95,
            Self::KeySizeRange => 0x96,
            Self::AttributeReadOnly => 0x97,
            Self::AttributeValueInvalid => 0x98,
            Self::WrappedKeyInvalid => 0x99,
            Self::WrappedKeyLenRange => 0x9a,
            Self::AttributeSensitive => 0x9b,
            Self::HeaderInvalid => 0x9c,
            Self::FileNotFound => 0x9d,
            Self::DataLenRange => 0x9e,
            Self::InvalidArguments => 0x9f,
            Self::AttributeTypeInvalid => 0xa0,
        }
    }

    /// The text after `HSM Return: ` / `HSM Error: `.
    pub const fn message(self) -> &'static str {
        match self {
            Self::Success => "SUCCESS",
            Self::ObjectHandleInvalid => "Invalid object handle is passed to this operation",
            Self::KeyAccessDenied => "Key Access is denied.",
            Self::PolicyViolation => "This operation violates the current configured/FIPS policies",
            Self::InvalidUserType => "Invalid User Type.",
            Self::NotLoggedIn => "User not logged in",
            Self::AlreadyLoggedIn => "User already logged in",
            Self::NoSuchUser => "This user doesn't exist",
            Self::KeyFunctionNotPermitted => "Key function not permitted",
            Self::KeyUnextractable => "Key is not extractable",
            Self::KeyNotWrappable => "Key can only be wrapped with a trusted key",
            Self::KeySizeRange => "Key size is out of range",
            Self::AttributeReadOnly => "Attribute is read only",
            Self::AttributeValueInvalid => "Invalid attribute value",
            Self::WrappedKeyInvalid => "Wrapped key is invalid",
            Self::WrappedKeyLenRange => "Wrapped key length is invalid",
            Self::AttributeSensitive => "Key attribute is sensitive",
            Self::HeaderInvalid => "Invalid wrapped key file header",
            Self::FileNotFound => "File not found",
            Self::DataLenRange => "Invalid input data length",
            Self::InvalidArguments => "Invalid arguments",
            Self::AttributeTypeInvalid => "Invalid attribute type",
        }
    }

    /// Whether the command succeeded.
    pub const fn is_success(self) -> bool {
        matches!(self, Self::Success)
    }

    /// `HSM Return: SUCCESS` or `HSM Error: <message>`.
    pub fn status_text(self) -> String {
        if self.is_success() {
            format!("HSM Return: {}", self.message())
        } else {
            format!("HSM Error: {}", self.message())
        }
    }
}

impl ReturnCode {
    /// Success, or the code of the refusal.
    pub fn of_result<T>(result: &Result<T, HsmError>) -> Self {
        result
            .as_ref()
            .map_or_else(|e| Self::from(&e.kind), |_| Self::Success)
    }
}

impl From<&HsmError> for ReturnCode {
    fn from(e: &HsmError) -> Self {
        Self::from(&e.kind)
    }
}

impl From<&HsmErrorKind> for ReturnCode {
    fn from(kind: &HsmErrorKind) -> Self {
        use crate::Error as E;
        use HsmErrorKind as K;
        match kind {
            K::InvalidFileName(_) => Self::InvalidArguments,
            K::UnsupportedKeyType(_) | K::UnsupportedClass(_) | K::IvRefused { .. } => {
                Self::PolicyViolation
            }
            K::NotLoggedIn => Self::NotLoggedIn,
            K::AlreadyLoggedIn => Self::AlreadyLoggedIn,
            K::NoSuchUser(_) => Self::NoSuchUser,
            K::Policy(p) => match p {
                PolicyError::HandleInvalid(_) => Self::ObjectHandleInvalid,
                PolicyError::NotOwner { .. } => Self::KeyAccessDenied,
                PolicyError::FunctionNotPermitted { .. } => Self::KeyFunctionNotPermitted,
                PolicyError::Unextractable(_) => Self::KeyUnextractable,
                PolicyError::NotWrappable { .. } => Self::KeyNotWrappable,
                PolicyError::ReadOnly(_) => Self::AttributeReadOnly,
                PolicyError::OneWay { .. } => Self::AttributeValueInvalid,
                PolicyError::OnlyCryptoOfficer(_) | PolicyError::WrongUserType(_) => {
                    Self::InvalidUserType
                }
                PolicyError::Sensitive(_) => Self::AttributeSensitive,
            },
            K::KeySize { .. } => Self::KeySizeRange,
            K::Header(_) | K::MechanismMismatch { .. } => Self::HeaderInvalid,
            K::FileNotFound(_) => Self::FileNotFound,
            K::FileTooLarge { .. } | K::HostDataLength(_) => Self::DataLenRange,
            K::AttributeValue { .. } => Self::AttributeValueInvalid,
            K::AttributeTypeInvalid { .. } => Self::AttributeTypeInvalid,
            K::Crypto(e) => match e {
                E::IntegrityCheckFailed
                | E::KwpLengthOutOfRange { .. }
                | E::KwpPaddingNotZero
                | E::Pkcs5PaddingInvalid => Self::WrappedKeyInvalid,
                E::InputLength {
                    direction: crate::Direction::Wrap,
                    ..
                } => Self::DataLenRange,
                E::InputLength { .. } | E::InputTooLarge { .. } => Self::WrappedKeyLenRange,
                E::KekLength { .. } | E::KeyLength { .. } | E::GenerateLength { .. } => {
                    Self::KeySizeRange
                }
                E::IvNotAllowed { .. } | E::IvLength { .. } => Self::PolicyViolation,
                _ => Self::InvalidArguments,
            },
            K::KcvMismatch => Self::WrappedKeyInvalid,
            K::ShareTarget(_) => Self::InvalidUserType,
            K::NotAnAesKey(_) => Self::KeyFunctionNotPermitted,
            K::ExternalKek => Self::PolicyViolation,
            K::Rsa(e) => Self::from(e),
            K::JobStale(Some(why)) => Self::from(&**why),
            K::JobStale(None) => Self::NotLoggedIn,
        }
    }
}

impl fmt::Display for ReturnCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:02x} : {}", self.code(), self.status_text())
    }
}

impl From<&crate::hsm::ops_bulk::WrapAllError> for ReturnCode {
    /// Nothing to wrap is an invalid handle (no key matched), as a single
    /// wrap of a missing key; a refusal is the HSM's own code.
    fn from(e: &crate::hsm::ops_bulk::WrapAllError) -> Self {
        e.hsm_error()
            .map_or(Self::ObjectHandleInvalid, |error| Self::from(&error.kind))
    }
}
