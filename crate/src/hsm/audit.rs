//! The audit log: every command appends one entry, success or not.
//!
//! An entry holds the command in canonical form (rebuilt from the parsed
//! command by its dialect), never the line as typed: a password is dropped
//! at parse time, and a line that does not parse is recorded only by its
//! command name (or as `<unknown command>`), so a key pasted at the prompt
//! by mistake never lands here. No command carries key bytes. Results are
//! recorded as the HSM's status code in KMU's numbering, whichever dialect
//! ran the line.

use crate::kmu::ReturnCode;
use crate::store::KeyHandle;

/// Which front end asked for an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// A `key_mgmt_util` line (camelCase commands).
    Kmu,
    /// A CloudHSM CLI line (`key generate-symmetric …`).
    CloudHsmCli,
    /// The page's own controls: the workbench, Reveal, file upload and delete.
    Page,
}

impl Dialect {
    /// A short name for the audit log.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Kmu => "key_mgmt_util",
            Self::CloudHsmCli => "CloudHSM CLI",
            Self::Page => "page",
        }
    }
}

/// One audit entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    /// 1, 2, 3, … in order of execution.
    pub sequence: u64,
    /// The user logged in when the command ran (`None` if nobody was).
    pub user: Option<String>,
    /// The dialect of the line, or the page.
    pub dialect: Dialect,
    /// The command, canonical and free of secrets.
    pub command: String,
    /// The key handles the command named, created, changed or deleted.
    pub handles: Vec<KeyHandle>,
    /// How it ended.
    pub return_code: ReturnCode,
}

/// The append-only log.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditLog {
    entries: Vec<AuditEntry>,
}

impl AuditLog {
    /// Appends an entry, numbering it.
    pub(crate) fn append(
        &mut self,
        user: Option<String>,
        dialect: Dialect,
        command: String,
        handles: Vec<KeyHandle>,
        return_code: ReturnCode,
    ) {
        let sequence = u64::try_from(self.entries.len())
            .unwrap_or(u64::MAX)
            .saturating_add(1);
        self.entries.push(AuditEntry {
            sequence,
            user,
            dialect,
            command,
            handles,
            return_code,
        });
    }

    /// Every entry, oldest first.
    pub fn entries(&self) -> &[AuditEntry] {
        &self.entries
    }
}
