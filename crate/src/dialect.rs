//! One session, two command dialects: which dialect a line is, the result of
//! running it ([`Outcome`]), completion, and which words of it are secret.
//!
//! A line whose first word is `key`, `login`, `logout`, `user` or `ext` (or
//! `help` about one of them) is CloudHSM CLI ([`cloudhsm_cli`]); every other
//! line is `key_mgmt_util` ([`kmu`]), whose commands are camelCase (its bare
//! `help` and `quit` included). Both drive the same [`Session`], so a key
//! made in one is used in the other.

use std::collections::BTreeSet;

use crate::cloudhsm_cli::{self, CliError};
use crate::hsm::{CommandSteps, Dialect, Effects, Session};
use crate::kmu::{self, HandleSpan, KmuError, ReturnCode};

/// Why a line was refused, in its dialect's terms.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum LineError {
    /// A `key_mgmt_util` line.
    Kmu(KmuError),
    /// A CloudHSM CLI line.
    CloudHsmCli(CliError),
}

impl core::fmt::Display for LineError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Kmu(e) => e.fmt(f),
            Self::CloudHsmCli(e) => e.fmt(f),
        }
    }
}

impl core::error::Error for LineError {}

/// The result of one console line.
///
/// Neither `Clone` nor `PartialEq`: [`steps`](Outcome::steps) may hold a
/// trace, and traces hold key data.
#[derive(Debug)]
pub struct Outcome {
    /// The text to print, as the line's dialect prints it.
    pub output: String,
    /// Where handles appear in `output` (for links).
    pub handle_spans: Vec<HandleSpan>,
    /// How the command ended, as the HSM's status code (KMU's numbering).
    pub return_code: ReturnCode,
    /// Why it was refused, if it was.
    pub error: Option<LineError>,
    /// What changed (empty when refused).
    pub effects: Effects,
    /// `exit` / `quit` was typed.
    pub exit: bool,
    /// For a command that ran W or W⁻¹ (`wrapKey`, `unWrapKey`,
    /// `aesWrapUnwrap`, `exSymKey`, `imSymKey`), what the step viewer may
    /// show of it — under the workbench's rule: the full trace only where
    /// the page could reveal the key anyway, else the IV check alone. Set
    /// when W⁻¹ ran even if the command then failed (a wrong KEK); `None`
    /// for every other command and for one refused before W or W⁻¹ ran. The
    /// text in [`output`](Outcome::output) is the same either way.
    pub steps: Option<CommandSteps>,
    /// The dialect the line was read in.
    pub dialect: Dialect,
}

impl Outcome {
    /// The outcome of a blank line.
    pub(crate) fn empty(dialect: Dialect) -> Self {
        Self {
            output: String::new(),
            handle_spans: Vec::new(),
            return_code: ReturnCode::Success,
            error: None,
            effects: Effects::default(),
            exit: false,
            steps: None,
            dialect,
        }
    }
}

/// The dialect a line is written in (a blank line is KMU's).
pub fn dialect_of(line: &str) -> Dialect {
    if cloudhsm_cli::is_cli_line(line) {
        Dialect::CloudHsmCli
    } else {
        Dialect::Kmu
    }
}

/// The prompt each tool shows before a line of its dialect, for echoing
/// it: KMU's `Command:  `, CloudHSM CLI's `aws-cloudhsm > `.
pub fn prompt_of(line: &str) -> &'static str {
    match dialect_of(line) {
        Dialect::CloudHsmCli => "aws-cloudhsm > ",
        _ => "Command:  ",
    }
}

/// `line` as the transcript and the history show it: every secret word
/// (a password) replaced by `********`, quotes and all. Which words are
/// secret is decided from the line's command, by its dialect's grammar
/// ([`kmu::secret_spans`], [`cloudhsm_cli::secret_spans`]).
pub fn mask_secrets(line: &str) -> String {
    let spans = match dialect_of(line) {
        Dialect::CloudHsmCli => cloudhsm_cli::secret_spans(line),
        _ => kmu::secret_spans(line),
    };
    let mut shown = String::with_capacity(line.len());
    let mut at = 0;
    for span in spans {
        shown.push_str(line.get(at..span.start).unwrap_or_default());
        shown.push_str("********");
        at = span.end;
    }
    shown.push_str(line.get(at..).unwrap_or_default());
    shown
}

impl Session {
    /// Runs one console line in either dialect: output text plus
    /// structured effects. Always audited, refused or not.
    pub fn run(&mut self, line: &str) -> Outcome {
        match dialect_of(line) {
            Dialect::CloudHsmCli => cloudhsm_cli::run(self, line),
            _ => kmu::run(self, line),
        }
    }

    /// Completions for the word being typed at the end of `line`, in its
    /// dialect: command names, flags, key handles and file names. Sorted,
    /// without duplicates.
    pub fn complete(&self, line: &str) -> Vec<String> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let ends_with_space = line.ends_with(char::is_whitespace);
        let (done, partial): (&[&str], &str) = if ends_with_space {
            (&words, "")
        } else {
            match words.split_last() {
                Some((last, done)) => (done, last),
                None => (&[], ""),
            }
        };
        let mut out: BTreeSet<String> = BTreeSet::new();
        if done.is_empty() {
            // The first word: either dialect's commands.
            kmu::complete(self, done, partial, &mut out);
            cloudhsm_cli::complete(self, done, partial, &mut out);
        } else if done.first().is_some_and(|w| cloudhsm_cli::is_cli_line(w)) {
            cloudhsm_cli::complete(self, done, partial, &mut out);
        } else {
            kmu::complete(self, done, partial, &mut out);
        }
        out.into_iter().collect()
    }
}
