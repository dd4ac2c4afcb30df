//! A KMU line → its command: the table row its first word names, and that
//! row's struct read from the rest ([`super::commands`]), or a usage error.

use super::commands::{Help, HelpTopic, KmuCommand};
use super::error::KmuError;
use super::lexer::split_words;
use super::spec::CommandName;

/// A parsed command line: its row of the table and its command struct.
pub struct Command {
    name: CommandName,
    parsed: Box<dyn KmuCommand>,
}

impl core::fmt::Debug for Command {
    /// The audit text: a command never holds a password or key bytes.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.audit_text())
    }
}

impl Command {
    /// The command's name.
    pub fn name(&self) -> CommandName {
        self.name
    }

    /// The command as the audit log records it: canonical, and never holding
    /// a password or key bytes (no command carries key bytes; the password
    /// is dropped when parsing).
    pub fn audit_text(&self) -> String {
        self.parsed.audit_text()
    }

    /// The command struct, which runs it.
    pub(crate) fn parsed(&self) -> &dyn KmuCommand {
        self.parsed.as_ref()
    }
}

/// Parses one console line. An empty (or all-blank) line gives `Ok(None)`.
pub fn parse_line(line: &str) -> Result<Option<Command>, KmuError> {
    let words = split_words(line).map_err(KmuError::Lex)?;
    let Some((first, rest)) = words.split_first() else {
        return Ok(None);
    };
    let Some(name) = CommandName::from_name(first) else {
        return Err(KmuError::UnknownCommand(first.clone()));
    };
    // `<command> -h` is `help <command>`, whatever else the line holds.
    if rest.iter().any(|w| w == "-h") {
        return Ok(Some(Command {
            name: CommandName::from_name("help").unwrap_or(name),
            parsed: Box::new(Help {
                topic: HelpTopic::Command(name),
            }),
        }));
    }
    let parsed = (name.spec().parse)(name, rest)?;
    Ok(Some(Command { name, parsed }))
}
