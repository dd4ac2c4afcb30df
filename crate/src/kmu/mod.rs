//! The AWS CloudHSM `key_mgmt_util` (KMU, Client SDK 3) dialect: its lexer,
//! its one command table ([`spec::COMMANDS`]), one struct per command that
//! reads its flags and runs itself (`commands/`), the text KMU prints, its
//! return codes and completion. It spells and prints the HSM's operations
//! ([`crate::hsm::ops`]); it decides no HSM rule.

mod args;
mod command;
mod commands;
mod complete;
mod error;
pub(crate) mod exec;
pub mod lexer;
mod render;
mod retcode;
pub mod spec;

pub use args::parse_kcv;
pub use command::{Command, parse_line};
pub use error::KmuError;
pub use render::{HandleSpan, help_text, list_attributes_text, mechanisms_text, usage_text};
pub use retcode::ReturnCode;
pub use spec::{CommandName, CommandSpec, Flag};

pub(crate) use complete::complete;

use crate::Outcome;
use crate::hsm::{Dialect, Effects, Session};
use render::{INDENT, Out};

/// The byte ranges of the secret words of a KMU line (a login's `-p`
/// value), decided by the command table's flags: every value of a secret
/// flag, however often it is given and wherever it stands.
pub fn secret_spans(line: &str) -> Vec<core::ops::Range<usize>> {
    let Ok(words) = lexer::split_spanned(line) else {
        return Vec::new();
    };
    let mut words = words.into_iter();
    let Some(command) = words.next().and_then(|w| CommandName::from_name(&w.text)) else {
        return Vec::new();
    };
    let flags = command.spec().flags;
    let mut spans = Vec::new();
    while let Some(word) = words.next() {
        let Some(flag) = flags.iter().find(|f| f.name == word.text) else {
            continue;
        };
        if flag.takes_value
            && let Some(value) = words.next()
            && flag.secret
        {
            spans.push(value.span);
        }
    }
    spans
}

/// Runs one KMU line on the session.
pub(crate) fn run(session: &mut Session, line: &str) -> Outcome {
    let command = match parse_line(line) {
        Ok(None) => return Outcome::empty(Dialect::Kmu),
        Ok(Some(command)) => command,
        Err(error) => {
            // Record only a command name, never the words typed: a key
            // pasted at the prompt must not reach the log.
            let audit_text = match &error {
                KmuError::Usage { command, .. } => format!("{} (usage error)", command.name()),
                KmuError::Refused { command, .. } => {
                    format!("{} (refused arguments)", command.name())
                }
                _ => "<unknown command>".to_owned(),
            };
            let code = error.return_code();
            session.record(Dialect::Kmu, audit_text, Vec::new(), code);
            let mut out = Out::default();
            match &error {
                KmuError::Refused { command, error } => {
                    out.status(command.function(), code);
                    out.line(&format!("{INDENT}Reason: {error}"));
                }
                KmuError::Usage { command, .. } => {
                    out.blank();
                    out.line(&format!("{INDENT}Error: {error}"));
                    out.push(&usage_text(*command));
                }
                _ => {
                    out.blank();
                    out.line(&format!("{INDENT}Error: {error}"));
                }
            }
            return Outcome {
                output: out.text,
                handle_spans: out.spans,
                return_code: code,
                error: Some(crate::LineError::Kmu(error)),
                effects: Effects::default(),
                exit: false,
                steps: None,
                dialect: Dialect::Kmu,
            };
        }
    };
    let audit_text = command.audit_text();
    match exec::plan(&session.state, session.key_source.as_mut(), &command) {
        Ok((ran, steps)) => {
            let effects = session.apply(ran.mutations);
            let mut handles = ran.handles;
            handles.extend(effects.deleted.iter().copied());
            handles.sort_unstable();
            handles.dedup();
            session.record(Dialect::Kmu, audit_text, handles, ReturnCode::Success);
            Outcome {
                output: ran.out.text,
                handle_spans: ran.out.spans,
                return_code: ReturnCode::Success,
                error: None,
                effects,
                exit: ran.exit,
                steps,
                dialect: Dialect::Kmu,
            }
        }
        Err(failure) => {
            let code = failure.error.return_code();
            let mut handles = command.parsed().handles();
            handles.sort_unstable();
            handles.dedup();
            session.record(Dialect::Kmu, audit_text, handles, code);
            let mut out = Out::default();
            out.status(failure.function, code);
            out.line(&format!("{INDENT}Reason: {}", failure.error));
            if failure.cluster {
                out.cluster(code);
            }
            Outcome {
                output: out.text,
                handle_spans: out.spans,
                return_code: code,
                error: Some(crate::LineError::Kmu(failure.error)),
                effects: Effects::default(),
                exit: false,
                steps: failure.steps.map(|steps| *steps),
                dialect: Dialect::Kmu,
            }
        }
    }
}
