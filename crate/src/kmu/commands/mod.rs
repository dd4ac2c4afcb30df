//! One struct per KMU command. Each reads its fields from the flags
//! ([`KmuCommand::parse`]), says what the audit log records
//! ([`KmuCommand::audit_text`]) and runs itself: the HSM operation it spells
//! ([`crate::hsm::ops`]) and the text KMU prints ([`KmuCommand::run`]). The
//! command table ([`super::spec::COMMANDS`]) names each struct in its row
//! through [`parser`], so adding a command is one struct and one row.

mod keys;
mod plaintext;
mod session;
mod wrap;

pub(crate) use keys::{DeleteKey, FindKey, GenSymKey, GetAttribute, SetAttribute, ShareKey};
pub(crate) use plaintext::{AesWrapUnwrap, ExSymKey, ImSymKey};
pub(crate) use session::{Exit, Help, HelpTopic, ListAttributes, LoginHsm, LoginStatus, LogoutHsm};
pub(crate) use wrap::{UnWrapKey, WrapKey};

use super::args::Args;
use super::error::KmuError;
use super::exec::{Cx, Ran};
use super::spec::CommandName;
use crate::Iv;
use crate::hsm::Stage;
use crate::hsm::ops::OpFailure;
use crate::store::KeyHandle;

/// One KMU command, parsed: what it runs and how the log records it.
pub(crate) trait KmuCommand {
    /// Reads the command from its words (checked against its row's flags,
    /// unless its row reads them with [`words_parser`]).
    fn parse(args: &Args<'_>) -> Result<Self, KmuError>
    where
        Self: Sized;

    /// The command as the audit log records it: canonical, never holding a
    /// password or key bytes.
    fn audit_text(&self) -> String;

    /// The handles the command names, for the audit of a refusal.
    fn handles(&self) -> Vec<KeyHandle> {
        Vec::new()
    }

    /// The KMU function whose status line reports `stage` of the
    /// operation, where it is not the row's own.
    fn function_at(&self, _stage: Stage) -> Option<&'static str> {
        None
    }

    /// The stage of the operation whose W or W⁻¹ the step viewer shows.
    fn steps_stage(&self) -> Stage {
        Stage::Check
    }

    /// Plans the command against the HSM and writes what KMU prints.
    fn run(&self, cx: &mut Cx<'_>) -> Result<Ran, OpFailure>;
}

/// How a row of the table reads its command.
pub(crate) type Parser = fn(CommandName, &[String]) -> Result<Box<dyn KmuCommand>, KmuError>;

/// The [`Parser`] of the command struct `C`: its words read as its row's flags.
pub(crate) fn parser<C: KmuCommand + 'static>(
    command: CommandName,
    words: &[String],
) -> Result<Box<dyn KmuCommand>, KmuError> {
    Ok(Box::new(C::parse(&Args::parse(command, words)?)?))
}

/// The [`Parser`] of a command struct `C` that reads its words itself
/// (`help mechanisms`: a topic, not flags).
pub(crate) fn words_parser<C: KmuCommand + 'static>(
    command: CommandName,
    words: &[String],
) -> Result<Box<dyn KmuCommand>, KmuError> {
    Ok(Box::new(C::parse(&Args::free(command, words))?))
}

/// A command line as the audit log records it, built flag by flag.
pub(crate) struct AuditLine(String);

impl AuditLine {
    /// The command's name.
    pub(crate) fn new(name: &str) -> Self {
        Self(name.to_owned())
    }

    /// ` <flag> <value>`.
    pub(crate) fn arg(mut self, flag: &str, value: impl core::fmt::Display) -> Self {
        self.0.push_str(&format!(" {flag} {value}"));
        self
    }

    /// ` <flag> <text>`, quoted when empty or holding white space.
    pub(crate) fn text(self, flag: &str, text: &str) -> Self {
        let quoted = quoted(text);
        self.arg(flag, quoted)
    }

    /// ` <flag> <text>` when given.
    pub(crate) fn opt_text(self, flag: &str, text: Option<&str>) -> Self {
        match text {
            Some(text) => self.text(flag, text),
            None => self,
        }
    }

    /// ` <flag> <value>` when given.
    pub(crate) fn opt_arg(self, flag: &str, value: Option<impl core::fmt::Display>) -> Self {
        match value {
            Some(value) => self.arg(flag, value),
            None => self,
        }
    }

    /// ` <flag>` when `on`.
    pub(crate) fn switch(mut self, flag: &str, on: bool) -> Self {
        if on {
            self.0.push(' ');
            self.0.push_str(flag);
        }
        self
    }

    /// ` -i <hex>` when an IV was given.
    pub(crate) fn iv(self, iv: Option<&Iv>) -> Self {
        self.opt_arg("-i", iv.map(|iv| hex(iv.as_bytes())))
    }

    /// The line.
    pub(crate) fn finish(self) -> String {
        self.0
    }
}

fn quoted(s: &str) -> String {
    if s.is_empty() || s.contains(char::is_whitespace) {
        format!("\"{s}\"")
    } else {
        s.to_owned()
    }
}

/// Lower-case hex, as the audit log records IVs and KCVs.
pub(crate) fn hex(bytes: &[u8]) -> String {
    crate::encoding::encode_hex(bytes)
}
