//! Why a console command was refused, each mapped to one return code.

use core::fmt;

use super::command::CommandName;
use super::header::HeaderError;
use super::lexer::LexError;
use super::retcode::ReturnCode;
use crate::Mechanism;
use crate::store::{KeyHandle, KeyType, PolicyError, UserId};

/// Why a command (or a workbench operation) was refused.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ConsoleError {
    /// The line could not be split into words.
    Lex(LexError),
    /// The first word names no command.
    UnknownCommand(String),
    /// The arguments do not fit the command's grammar; its usage is printed.
    Usage {
        /// The command.
        command: CommandName,
        /// What is wrong with the arguments.
        detail: String,
    },
    /// `loginHSM -u` names neither `CO` nor `CU`.
    InvalidUserType,
    /// A refusal found while reading a command's arguments (an unsupported
    /// `-m`, a user type that is not CO or CU), reported by that command.
    Refused {
        /// The command.
        command: CommandName,
        /// The refusal.
        error: Box<ConsoleError>,
    },
    /// `-m` names a mechanism this HSM does not offer (only 4, 5 and 6).
    UnsupportedMechanism(u32),
    /// A key command was given before `loginHSM`.
    NotLoggedIn,
    /// `loginHSM` while someone is logged in.
    AlreadyLoggedIn,
    /// `loginHSM -s` names no user of that type.
    NoSuchUser(String),
    /// The key policy refused the operation.
    Policy(PolicyError),
    /// The key type is known to KMU but not held by this HSM (RSA, 3DES, …).
    UnsupportedKeyType(KeyType),
    /// The key class is not secret (private and public keys are not held here).
    UnsupportedClass(crate::store::KeyClass),
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
    /// `-m` disagrees with the mechanism named in the file's header.
    MechanismMismatch {
        /// The mechanism in the header.
        header: Mechanism,
        /// The mechanism given with `-m`.
        given: Mechanism,
    },
    /// `-f` names no in-page file.
    FileNotFound(String),
    /// A file name is empty or too long.
    InvalidFileName(String),
    /// `setAttribute -v` does not fit the attribute.
    AttributeValue {
        /// What is wrong.
        detail: String,
    },
    /// The wrap engine refused (wrong KEK, tampered blob, bad length, …).
    Crypto(crate::Error),
    /// An unwrapped key's KCV differs from the one in the header.
    KcvMismatch,
    /// `shareKey -u` names no crypto user other than the owner.
    ShareTarget(UserId),
    /// The wrapping key is not an AES key of 16, 24 or 32 bytes.
    NotAnAesKey(KeyHandle),
    /// `aesWrapUnwrap -f` input is empty or larger than KMU's 4 KB limit.
    HostDataLength(usize),
    /// An HSM key can be wrapped only under a key the HSM holds, and a key
    /// unwrapped into the HSM needs a KEK inside it.
    ExternalKek,
}

impl From<PolicyError> for ConsoleError {
    fn from(e: PolicyError) -> Self {
        Self::Policy(e)
    }
}

impl From<HeaderError> for ConsoleError {
    fn from(e: HeaderError) -> Self {
        Self::Header(e)
    }
}

impl ConsoleError {
    /// The return code the console prints for this refusal.
    pub fn return_code(&self) -> ReturnCode {
        use crate::Error as E;
        match self {
            Self::Lex(_)
            | Self::UnknownCommand(_)
            | Self::Usage { .. }
            | Self::InvalidFileName(_) => ReturnCode::InvalidArguments,
            Self::InvalidUserType => ReturnCode::InvalidUserType,
            Self::Refused { error, .. } => error.return_code(),
            Self::UnsupportedMechanism(_)
            | Self::UnsupportedKeyType(_)
            | Self::UnsupportedClass(_)
            | Self::IvRefused { .. } => ReturnCode::PolicyViolation,
            Self::NotLoggedIn => ReturnCode::NotLoggedIn,
            Self::AlreadyLoggedIn => ReturnCode::AlreadyLoggedIn,
            Self::NoSuchUser(_) => ReturnCode::NoSuchUser,
            Self::Policy(p) => match p {
                PolicyError::HandleInvalid(_) => ReturnCode::ObjectHandleInvalid,
                PolicyError::NotOwner { .. } => ReturnCode::KeyAccessDenied,
                PolicyError::FunctionNotPermitted { .. } => ReturnCode::KeyFunctionNotPermitted,
                PolicyError::Unextractable(_) => ReturnCode::KeyUnextractable,
                PolicyError::NotWrappable { .. } => ReturnCode::KeyNotWrappable,
                PolicyError::ReadOnly(_) => ReturnCode::AttributeReadOnly,
                PolicyError::OneWay { .. } => ReturnCode::AttributeValueInvalid,
                PolicyError::OnlyCryptoOfficer(_) | PolicyError::WrongUserType(_) => {
                    ReturnCode::InvalidUserType
                }
                PolicyError::Sensitive(_) => ReturnCode::AttributeSensitive,
            },
            Self::KeySize { .. } => ReturnCode::KeySizeRange,
            Self::Header(_) | Self::MechanismMismatch { .. } => ReturnCode::HeaderInvalid,
            Self::FileNotFound(_) => ReturnCode::FileNotFound,
            Self::AttributeValue { .. } => ReturnCode::AttributeValueInvalid,
            Self::Crypto(e) => match e {
                E::IntegrityCheckFailed
                | E::KwpLengthOutOfRange { .. }
                | E::KwpPaddingNotZero
                | E::Pkcs5PaddingInvalid => ReturnCode::WrappedKeyInvalid,
                E::InputLength {
                    direction: crate::Direction::Wrap,
                    ..
                } => ReturnCode::DataLenRange,
                E::InputLength { .. } | E::InputTooLarge { .. } => ReturnCode::WrappedKeyLenRange,
                E::KekLength { .. } | E::KeyLength { .. } | E::GenerateLength { .. } => {
                    ReturnCode::KeySizeRange
                }
                E::IvNotAllowed { .. } | E::IvLength { .. } => ReturnCode::PolicyViolation,
                _ => ReturnCode::InvalidArguments,
            },
            Self::KcvMismatch => ReturnCode::WrappedKeyInvalid,
            Self::ShareTarget(_) => ReturnCode::InvalidUserType,
            Self::NotAnAesKey(_) => ReturnCode::KeyFunctionNotPermitted,
            Self::HostDataLength(_) => ReturnCode::DataLenRange,
            Self::ExternalKek => ReturnCode::PolicyViolation,
        }
    }
}

impl fmt::Display for ConsoleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Lex(e) => write!(f, "{e}"),
            Self::UnknownCommand(name) => match super::command::CommandName::closest(name) {
                Some(meant) => write!(
                    f,
                    "\"{name}\" is not a command; did you mean {}? (type help for the list)",
                    meant.name()
                ),
                None => write!(f, "\"{name}\" is not a command; type help for the list"),
            },
            Self::Usage { command, detail } => write!(f, "{}: {detail}", command.name()),
            Self::InvalidUserType => f.write_str("the user type (-u) must be CO or CU"),
            Self::Refused { error, .. } => write!(f, "{error}"),
            Self::UnsupportedMechanism(m) => write!(
                f,
                "mechanism {m} is not offered here: use 4 (AES_KEY_WRAP_PAD_PKCS5), 5 (NIST_AES_WRAP_NO_PAD) or 6 (NIST_AES_WRAP_PAD)"
            ),
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
                _ => write!(f, "a generic secret is 1 to 3584 bytes, not {size}"),
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
            Self::AttributeValue { detail } => f.write_str(detail),
            Self::Crypto(e) => write!(f, "{e}"),
            Self::KcvMismatch => f.write_str(
                "the unwrapped key's KCV differs from the header's: the header does not belong to this blob",
            ),
            Self::ShareTarget(u) => write!(f, "user {u} is not another crypto user of this HSM"),
            Self::NotAnAesKey(h) => write!(f, "key {h} is not an AES key, so it cannot wrap or unwrap"),
            Self::HostDataLength(n) => write!(
                f,
                "aesWrapUnwrap takes 16 to 4095 bytes (a multiple of 8 to wrap), not {n}"
            ),
            Self::ExternalKek => f.write_str(
                "an HSM wraps and unwraps only under keys it holds: import the KEK first (imSymKey)",
            ),
        }
    }
}

impl core::error::Error for ConsoleError {}
