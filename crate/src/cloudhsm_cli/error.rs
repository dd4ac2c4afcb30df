//! Why a CloudHSM CLI line was refused: its grammar, its key selection, or
//! the HSM's refusal of the operation.

use core::fmt;

use super::spec::CliCommandName;
use crate::hsm::ops_bulk::WrapAllError;
use crate::hsm::{HsmError, HsmErrorKind};
use crate::kmu::ReturnCode;
use crate::kmu::lexer::LexError;

/// Why a CloudHSM CLI line was refused.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum CliError {
    /// The line could not be split into words.
    Lex(LexError),
    /// The words name no CloudHSM CLI command.
    UnknownCommand(String),
    /// The arguments do not fit the command.
    Usage {
        /// The command.
        command: CliCommandName,
        /// What is wrong.
        detail: String,
    },
    /// A filter matched no key the caller may see.
    NoKeyMatched,
    /// A filter matched several keys where the command needs one.
    SeveralKeysMatched(usize),
    /// The HSM refused the operation.
    Hsm(HsmError),
    /// A bulk wrap (`ext wrap-all`) wrote nothing: no key, or the key that
    /// stopped it and why.
    WrapAll(WrapAllError),
}

impl From<HsmError> for CliError {
    fn from(e: HsmError) -> Self {
        Self::Hsm(e)
    }
}

impl CliError {
    /// The HSM's status code for the audit log and the page (KMU's numbering).
    pub fn return_code(&self) -> ReturnCode {
        match self {
            Self::Lex(_) | Self::UnknownCommand(_) | Self::Usage { .. } => {
                ReturnCode::InvalidArguments
            }
            Self::NoKeyMatched => ReturnCode::ObjectHandleInvalid,
            Self::SeveralKeysMatched(_) => ReturnCode::InvalidArguments,
            Self::Hsm(e) => ReturnCode::from(e),
            Self::WrapAll(e) => ReturnCode::from(e),
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Lex(e) => write!(f, "{e}"),
            Self::UnknownCommand(words) => write!(
                f,
                "\"{words}\" is not a CloudHSM CLI command; type help key for the list"
            ),
            Self::Usage { command, detail } => write!(f, "{}: {detail}", command.name()),
            // Chosen here: AWS's wording for several matches, applied to none.
            Self::NoKeyMatched => f.write_str(
                "Key selection criteria matched 0 keys. Refine selection criteria to select a single key.",
            ),
            // AWS's message, verbatim (CloudHSM CLI user guide).
            Self::SeveralKeysMatched(n) => write!(
                f,
                "Key selection criteria matched {n} keys. Refine selection criteria to select a single key."
            ),
            Self::WrapAll(e) => write!(f, "{e}"),
            // The HSM's reasons, in this dialect's words where KMU's differ.
            Self::Hsm(e) => match &e.kind {
                HsmErrorKind::NotLoggedIn => {
                    f.write_str("log in first: login --username alice --role crypto-user")
                }
                HsmErrorKind::AlreadyLoggedIn => {
                    f.write_str("a user is already logged in: logout first")
                }
                HsmErrorKind::MechanismMismatch { .. } => {
                    f.write_str("the mechanism disagrees with the file's header")
                }
                HsmErrorKind::IvRefused { .. } => f.write_str("CloudHSM accepts only the default IV"),
                HsmErrorKind::UnsupportedKeyType(t) => write!(
                    f,
                    "{} keys are not held by this HSM: use aes or generic-secret",
                    super::parse::key_type_name(*t)
                ),
                kind => write!(f, "{kind}"),
            },
        }
    }
}

impl core::error::Error for CliError {}
