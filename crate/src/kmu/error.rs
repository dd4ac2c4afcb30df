//! Why a `key_mgmt_util` line was refused: its own grammar's errors, or the
//! HSM's refusal of the operation it asked for.

use core::fmt;

use super::lexer::LexError;
use super::retcode::ReturnCode;
use super::spec::CommandName;
use crate::hsm::HsmError;
use crate::hsm::ops_bulk::WrapAllError;

/// Why a KMU line was refused.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum KmuError {
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
    /// `-m` names a mechanism this command does not offer: the number, and
    /// whether the command takes the RSA mechanisms 7 and 8 too (wrapKey,
    /// unWrapKey) or only the AES ones 4 to 6 (extWrapAll).
    UnsupportedMechanism {
        /// The number given.
        given: u32,
        /// Whether 7 and 8 are offered.
        rsa_too: bool,
    },
    /// A refusal found while reading a command's arguments (an unsupported
    /// `-m`, a user type that is not CO or CU), reported by that command.
    Refused {
        /// The command.
        command: CommandName,
        /// The refusal.
        error: Box<KmuError>,
    },
    /// The HSM refused the operation.
    Hsm(HsmError),
    /// A bulk wrap (`extWrapAll`) wrote nothing: no key, or the key that
    /// stopped it and why.
    WrapAll(WrapAllError),
}

impl From<HsmError> for KmuError {
    fn from(e: HsmError) -> Self {
        Self::Hsm(e)
    }
}

impl KmuError {
    /// The return code KMU prints for this refusal.
    pub fn return_code(&self) -> ReturnCode {
        match self {
            Self::Lex(_) | Self::UnknownCommand(_) | Self::Usage { .. } => {
                ReturnCode::InvalidArguments
            }
            Self::InvalidUserType => ReturnCode::InvalidUserType,
            Self::UnsupportedMechanism { .. } => ReturnCode::PolicyViolation,
            Self::Refused { error, .. } => error.return_code(),
            Self::Hsm(e) => ReturnCode::from(&e.kind),
            Self::WrapAll(e) => ReturnCode::from(e),
        }
    }
}

impl fmt::Display for KmuError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Lex(e) => write!(f, "{e}"),
            Self::UnknownCommand(name) => match super::spec::CommandName::closest(name) {
                Some(meant) => write!(
                    f,
                    "\"{name}\" is not a command; did you mean {}? (type help for the list)",
                    meant.name()
                ),
                None => write!(f, "\"{name}\" is not a command; type help for the list"),
            },
            Self::Usage { command, detail } => write!(f, "{}: {detail}", command.name()),
            Self::InvalidUserType => f.write_str("the user type (-u) must be CO or CU"),
            Self::UnsupportedMechanism {
                given,
                rsa_too: true,
            } => write!(
                f,
                "mechanism {given} is not offered here: use 4 (AES_KEY_WRAP_PAD_PKCS5), 5 (NIST_AES_WRAP_NO_PAD), 6 (NIST_AES_WRAP_PAD), 7 (RSA_AES) or 8 (RSA_OAEP)"
            ),
            Self::UnsupportedMechanism {
                given,
                rsa_too: false,
            } => write!(
                f,
                "mechanism {given} is not offered here: use 4 (AES_KEY_WRAP_PAD_PKCS5), 5 (NIST_AES_WRAP_NO_PAD) or 6 (NIST_AES_WRAP_PAD)"
            ),
            Self::Refused { error, .. } => write!(f, "{error}"),
            Self::Hsm(e) => write!(f, "{e}"),
            Self::WrapAll(e) => write!(f, "{e}"),
        }
    }
}

impl core::error::Error for KmuError {}
