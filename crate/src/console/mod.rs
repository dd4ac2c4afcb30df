//! The `key_mgmt_util` console over the virtual HSM, and the [`Session`] the
//! web app and the native `keywrap console` both drive.
//!
//! **Architecture invariants**
//! - Output is a pure function of (session, line): no clocks, no randomness
//!   except the injectable [`KeySource`] that `genSymKey` draws from.
//! - A refused command leaves keys, files, login and the handle counter
//!   exactly as they were: commands plan while reading, and apply only on
//!   success (the `exec` module). The audit log always appends.
//! - Key bytes leave only through a wrap or export command, or
//!   [`Session::reveal_key`], which policy and [`crate::access`] gate.
//!
//! # Using a session (the web app's API)
//!
//! ```
//! use keywrap_core::console::{InsecureSeededKeys, Session};
//! use keywrap_core::access::{Actor, TenancyMode};
//!
//! let mut session = Session::with_key_source(Box::new(InsecureSeededKeys::new(1)));
//! let out = session.run("genSymKey -t 31 -s 32 -l kek");
//! assert!(out.return_code.is_success());
//! let kek = out.effects.created[0];
//! // Metadata views, never bytes:
//! let view = session.key(kek).expect("just created");
//! assert_eq!(view.label(), "kek");
//! // Who can see it, with reasons:
//! let m = session.who_can_see(kek, TenancyMode::DedicatedSingleTenant).expect("exists");
//! assert_eq!(m.rows.len(), 6);
//! ```

mod audit;
mod command;
mod error;
pub(crate) mod exec;
mod files;
pub mod header;
mod keysource;
pub mod lexer;
mod render;
mod retcode;
mod steps;
mod workbench;

pub use audit::{AuditEntry, AuditLog};
pub use command::{
    AttributeSelector, Command, CommandName, HelpTopic, NoHeaderTemplate, parse_kcv, parse_line,
};
pub use error::ConsoleError;
pub use files::{FileInfo, FileOrigin, FileStore, MAX_FILE_NAME, MAX_FILE_SIZE, check_file_name};
pub use keysource::{InsecureSeededKeys, KeySource, OsRandom};
pub use render::{HandleSpan, help_text, list_attributes_text, mechanisms_text, usage_text};
pub use retcode::ReturnCode;
pub use steps::{CommandSteps, IvCheckSummary, KwpCheckSummary, OperationSteps, WithheldSteps};
pub use workbench::Unwrapped;
pub use workbench::{
    UnwrapInto, UnwrapRequest, UnwrapResult, WorkbenchKey, WrapRequest, WrapResult,
};

use std::collections::BTreeSet;

use crate::SecretBytes;
use crate::access::{self, AccessMatrix, Actor, FileSight, KeyFacts, Relation, TenancyMode};
use crate::store::{KeyAttributes, KeyHandle, KeyObject, Store, User, UserId, UserType, policy};
use render::{INDENT, Out};

/// What a command changed, so the web app can update and link handles.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Effects {
    /// Keys created (`genSymKey`, `unWrapKey`, `imSymKey`, workbench unwrap).
    pub created: Vec<KeyHandle>,
    /// Keys deleted (`deleteKey`, session keys at `logoutHSM`).
    pub deleted: Vec<KeyHandle>,
    /// Keys whose attributes or sharing changed.
    pub changed: Vec<KeyHandle>,
    /// In-page files written.
    pub files_written: Vec<String>,
    /// Whether the logged-in user changed.
    pub login_changed: bool,
}

/// The result of one console line.
///
/// Neither `Clone` nor `PartialEq`: [`steps`](Outcome::steps) may hold a
/// trace, and traces hold key data.
#[derive(Debug)]
pub struct Outcome {
    /// The text to print, KMU style.
    pub output: String,
    /// Where handles appear in `output` (for links).
    pub handle_spans: Vec<HandleSpan>,
    /// How the command ended.
    pub return_code: ReturnCode,
    /// Why it was refused, if it was.
    pub error: Option<ConsoleError>,
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
}

/// A key as the page shows it: metadata, never bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyView {
    /// The handle.
    pub handle: KeyHandle,
    /// All attributes (label, type, size, KCV, flags, token/session).
    pub attributes: KeyAttributes,
    /// The owner's id.
    pub owner: UserId,
    /// The owner's name.
    pub owner_name: String,
    /// Users it is shared with.
    pub shared_with: Vec<UserId>,
    /// How the logged-in user relates to it.
    pub relation: Relation,
}

impl KeyView {
    /// The label.
    pub fn label(&self) -> &str {
        &self.attributes.label
    }

    /// The KCV as six hex digits.
    pub fn kcv_hex(&self) -> String {
        self.attributes.kcv_hex()
    }

    /// Whether the key vanishes at logout.
    pub fn is_session_key(&self) -> bool {
        !self.attributes.token
    }
}

/// A key's plaintext, handed out by [`Session::reveal_key`] only. Zeroized
/// on drop; `Debug` is redacted; not `Clone`.
#[derive(Debug)]
pub struct RevealedKey {
    /// The key.
    pub handle: KeyHandle,
    /// Its bytes.
    pub value: SecretBytes,
}

/// What one actor sees of one key (for "view as").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeySight {
    /// The key's metadata. The web app shows it to every actor only as the
    /// row the verdicts are about.
    pub key: KeyView,
    /// The actor's three verdicts on it.
    pub row: access::AccessRow,
}

/// What one actor sees of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSightView {
    /// The file.
    pub file: FileInfo,
    /// Bytes, ciphertext or nothing.
    pub sight: FileSight,
    /// Why.
    pub reason: &'static str,
}

/// The page redrawn as one actor would see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActorView {
    /// The actor.
    pub actor: Actor,
    /// The tenancy mode it was decided in.
    pub mode: TenancyMode,
    /// Every key, with that actor's verdicts.
    pub keys: Vec<KeySight>,
    /// Every file, with what that actor sees of it.
    pub files: Vec<FileSightView>,
}

/// A comparable picture of everything a command may change, for tests that
/// prove a refused command changed nothing. Key values are compared in
/// constant time through [`SecretBytes`].
#[derive(Debug, PartialEq)]
pub struct SessionSnapshot {
    keys: Vec<(KeyView, SecretBytes)>,
    next_handle: KeyHandle,
    files: Vec<(FileInfo, Vec<u8>)>,
    login: Option<UserId>,
    tenancy: TenancyMode,
}

/// One virtual HSM with its console, files, audit log and tenancy mode.
///
/// Not `Clone` (it holds keys); the web app keeps it in an
/// `Rc<RefCell<Session>>` in its reducer state.
#[derive(Debug)]
pub struct Session {
    pub(crate) store: Store,
    pub(crate) files: FileStore,
    pub(crate) audit: AuditLog,
    pub(crate) login: Option<UserId>,
    pub(crate) tenancy: TenancyMode,
    pub(crate) key_source: Box<dyn KeySource>,
    /// X-ray of the HSM: the step viewer may see inside (`steps.rs`).
    pub(crate) xray: bool,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

/// The user a fresh session is logged in as: `alice`, a crypto user — you.
pub const DEFAULT_USER: UserId = UserId::new(3);

impl Session {
    /// A session with keys from the operating system's (the browser's)
    /// random source, logged in as the crypto user `alice`, in dedicated
    /// single-tenant mode.
    pub fn new() -> Self {
        Self::with_key_source(Box::new(OsRandom))
    }

    /// A session drawing key bytes from `key_source` (use
    /// [`InsecureSeededKeys`] for reproducible transcripts).
    pub fn with_key_source(key_source: Box<dyn KeySource>) -> Self {
        Self {
            store: Store::new(),
            files: FileStore::default(),
            audit: AuditLog::default(),
            login: Some(DEFAULT_USER),
            tenancy: TenancyMode::DedicatedSingleTenant,
            key_source,
            xray: false,
        }
    }

    /// Logs out without a command (a session that starts logged out, as KMU does).
    pub fn logged_out(mut self) -> Self {
        self.login = None;
        self
    }

    /// Runs one console line: output text plus structured effects.
    pub fn run(&mut self, line: &str) -> Outcome {
        let user = self.current_user().map(|u| u.name.clone());
        let command = match parse_line(line) {
            Ok(None) => {
                return Outcome {
                    output: String::new(),
                    handle_spans: Vec::new(),
                    return_code: ReturnCode::Success,
                    error: None,
                    effects: Effects::default(),
                    exit: false,
                    steps: None,
                };
            }
            Ok(Some(command)) => command,
            Err(error) => {
                // Record only a command name, never the words typed: a key
                // pasted at the prompt must not reach the log.
                let audit_text = match &error {
                    ConsoleError::Usage { command, .. } => {
                        format!("{} (usage error)", command.name())
                    }
                    ConsoleError::Refused { command, .. } => {
                        format!("{} (refused arguments)", command.name())
                    }
                    _ => "<unknown command>".to_owned(),
                };
                let code = error.return_code();
                self.audit.append(user, audit_text, Vec::new(), code);
                let mut out = Out::default();
                match &error {
                    ConsoleError::Refused { command, error } => {
                        out.status(command.function(), code);
                        out.line(&format!("{INDENT}Reason: {error}"));
                    }
                    ConsoleError::Usage { command, .. } => {
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
                    error: Some(error),
                    effects: Effects::default(),
                    exit: false,
                    steps: None,
                };
            }
        };
        let audit_text = command.audit_text();
        match self.plan(&command) {
            Ok(planned) => {
                let effects = self.apply(planned.mutations);
                let mut handles = planned.handles;
                handles.extend(effects.deleted.iter().copied());
                handles.sort_unstable();
                handles.dedup();
                self.audit
                    .append(user, audit_text, handles, ReturnCode::Success);
                Outcome {
                    output: planned.out.text,
                    handle_spans: planned.out.spans,
                    return_code: ReturnCode::Success,
                    error: None,
                    effects,
                    exit: planned.exit,
                    steps: planned.steps,
                }
            }
            Err(failure) => {
                let code = failure.error.return_code();
                self.audit
                    .append(user, audit_text, command_handles(&command), code);
                let mut out = Out::default();
                out.status(failure.function, code);
                out.line(&format!("{INDENT}Reason: {}", failure.error));
                if failure.cluster {
                    out.cluster(code);
                }
                if let ConsoleError::Usage { command, .. } = &failure.error {
                    out.push(&usage_text(*command));
                }
                Outcome {
                    output: out.text,
                    handle_spans: out.spans,
                    return_code: code,
                    error: Some(failure.error),
                    effects: Effects::default(),
                    exit: false,
                    steps: failure.steps.map(|steps| *steps),
                }
            }
        }
    }

    // ---- Users and tenancy -------------------------------------------------------

    /// The logged-in user, if any.
    pub fn current_user(&self) -> Option<&User> {
        self.login.and_then(|id| self.store.user(id))
    }

    /// Every user of the HSM.
    pub fn users(&self) -> &[User] {
        self.store.users()
    }

    /// The tenancy mode the access model answers in.
    pub fn tenancy(&self) -> TenancyMode {
        self.tenancy
    }

    /// Switches the tenancy mode (the header's switch).
    pub fn set_tenancy(&mut self, mode: TenancyMode) {
        self.tenancy = mode;
    }

    // ---- Keys as metadata --------------------------------------------------------

    fn relation(&self, key: &KeyObject) -> Relation {
        match self.login {
            Some(u) if key.owner() == u => Relation::Owner,
            Some(u) if key.shared_with().contains(&u) => Relation::SharedWithYou,
            _ => Relation::None,
        }
    }

    fn view(&self, key: &KeyObject) -> KeyView {
        KeyView {
            handle: key.handle(),
            attributes: key.attributes().clone(),
            owner: key.owner(),
            owner_name: self
                .store
                .user(key.owner())
                .map(|u| u.name.clone())
                .unwrap_or_default(),
            shared_with: key.shared_with().iter().copied().collect(),
            relation: self.relation(key),
        }
    }

    /// The keys the logged-in user can see (owned or shared; every key for
    /// the crypto officer), by handle. Metadata only.
    pub fn keys(&self) -> Vec<KeyView> {
        let Ok(caller) = self.caller() else {
            return Vec::new();
        };
        self.store
            .iter()
            .filter(|k| policy::check_visible(k, caller).is_ok())
            .map(|k| self.view(k))
            .collect()
    }

    /// Every key in the HSM, whoever owns it (for the "view as" projection
    /// and the matrix: what exists, not what the user may touch).
    pub fn all_keys(&self) -> Vec<KeyView> {
        self.store.iter().map(|k| self.view(k)).collect()
    }

    /// One key's metadata, if it exists.
    pub fn key(&self, handle: KeyHandle) -> Option<KeyView> {
        self.store.get(handle).map(|k| self.view(k))
    }

    /// How many keys the HSM holds.
    pub fn key_count(&self) -> usize {
        self.store.len()
    }

    /// The handle the next key will get.
    pub fn next_handle(&self) -> KeyHandle {
        self.store.next_handle()
    }

    /// A key's value, for the page's "Reveal" — only for `actor` [`Actor::You`],
    /// only if you own the key, and never for a sensitive or non-extractable
    /// key. Audited (without the bytes).
    pub fn reveal_key(
        &mut self,
        handle: KeyHandle,
        actor: Actor,
    ) -> Result<RevealedKey, ConsoleError> {
        let user = self.current_user().map(|u| u.name.clone());
        let result = self.reveal_checked(handle, actor);
        let code = result
            .as_ref()
            .map_or_else(ConsoleError::return_code, |_| ReturnCode::Success);
        self.audit.append(
            user,
            format!("reveal -k {handle} (page)"),
            vec![handle],
            code,
        );
        result
    }

    fn reveal_checked(&self, handle: KeyHandle, actor: Actor) -> Result<RevealedKey, ConsoleError> {
        let caller = self.caller()?;
        let key = self.store.get(handle).ok_or(ConsoleError::Policy(
            policy::PolicyError::HandleInvalid(handle),
        ))?;
        if actor != Actor::You {
            // Only the person in this tab is ever shown bytes; the access
            // model explains what the other actors could get.
            return Err(ConsoleError::Policy(policy::PolicyError::NotOwner {
                handle,
                operation: "reveal",
            }));
        }
        policy::check_reveal(key, caller)?;
        Ok(RevealedKey {
            handle,
            value: key.value().duplicate_secret(),
        })
    }

    // ---- Who can see ---------------------------------------------------------------

    /// The facts the access model needs about one key.
    pub fn key_facts(&self, handle: KeyHandle) -> Option<KeyFacts> {
        let key = self.store.get(handle)?;
        let mut wrapped_copies = Vec::new();
        let mut plaintext_copies = Vec::new();
        for (name, file) in self.files.iter() {
            match file.origin {
                FileOrigin::WrapKey {
                    key: k, wrapping, ..
                } if k == handle => {
                    wrapped_copies.push((name.clone(), wrapping));
                }
                FileOrigin::Workbench {
                    key: Some(k),
                    wrapping: Some(w),
                } if k == handle => wrapped_copies.push((name.clone(), w)),
                FileOrigin::ExSymKey { key: k } if k == handle => {
                    plaintext_copies.push(name.clone())
                }
                _ => {}
            }
        }
        Some(KeyFacts {
            handle,
            relation: self.relation(key),
            extractable: key.attributes().extractable,
            sensitive: key.attributes().sensitive,
            wrapped_copies,
            plaintext_copies,
        })
    }

    /// The who-can-see matrix of a key in `mode` (actor × {plaintext,
    /// wrapped blob, use}, each with reason and source).
    pub fn who_can_see(&self, handle: KeyHandle, mode: TenancyMode) -> Option<AccessMatrix> {
        self.key_facts(handle).map(|f| access::matrix(&f, mode))
    }

    /// The page as `actor` would see it, in the session's tenancy mode.
    pub fn view_as(&self, actor: Actor) -> ActorView {
        let mode = self.tenancy;
        let keys = self
            .store
            .iter()
            .filter_map(|k| {
                let facts = self.key_facts(k.handle())?;
                let row = access::AccessRow {
                    actor,
                    plaintext: access::decide(actor, access::Capability::Plaintext, &facts, mode),
                    wrapped_blob: access::decide(
                        actor,
                        access::Capability::WrappedBlob,
                        &facts,
                        mode,
                    ),
                    use_key: access::decide(actor, access::Capability::Use, &facts, mode),
                };
                Some(KeySight {
                    key: self.view(k),
                    row,
                })
            })
            .collect();
        let files = self
            .files
            .list()
            .into_iter()
            .map(|file| {
                let (sight, reason) = access::file_sight(actor, file.origin.content());
                FileSightView {
                    file,
                    sight,
                    reason,
                }
            })
            .collect();
        ActorView {
            actor,
            mode,
            keys,
            files,
        }
    }

    // ---- Files ---------------------------------------------------------------------

    /// Every in-page file (name, size, origin), by name.
    pub fn files(&self) -> Vec<FileInfo> {
        self.files.list()
    }

    /// A file's bytes (for download).
    pub fn read_file_bytes(&self, name: &str) -> Option<&[u8]> {
        self.files.read(name)
    }

    /// Stores an uploaded file (overwriting one of the same name). Audited.
    pub fn upload_file(&mut self, name: &str, bytes: Vec<u8>) -> Result<(), ConsoleError> {
        let user = self.current_user().map(|u| u.name.clone());
        let result = match check_file_name(name) {
            Ok(()) if bytes.len() > MAX_FILE_SIZE => Err(ConsoleError::HostDataLength(bytes.len())),
            other => other,
        };
        let code = result
            .as_ref()
            .map_or_else(ConsoleError::return_code, |_| ReturnCode::Success);
        let shown: String = name.chars().take(64).collect();
        self.audit.append(
            user,
            format!("upload \"{shown}\" ({} bytes)", bytes.len()),
            Vec::new(),
            code,
        );
        result?;
        self.files.write(name.to_owned(), bytes, FileOrigin::Upload);
        Ok(())
    }

    /// Deletes a file; whether it existed. Audited.
    pub fn delete_file(&mut self, name: &str) -> bool {
        let user = self.current_user().map(|u| u.name.clone());
        let existed = self.files.remove(name);
        let code = if existed {
            ReturnCode::Success
        } else {
            ReturnCode::FileNotFound
        };
        let shown: String = name.chars().take(64).collect();
        self.audit
            .append(user, format!("delete file \"{shown}\""), Vec::new(), code);
        existed
    }

    // ---- Audit ---------------------------------------------------------------------

    /// The audit log, oldest first.
    pub fn audit_log(&self) -> &[AuditEntry] {
        self.audit.entries()
    }

    // ---- Completion ------------------------------------------------------------------

    /// Completions for the word being typed at the end of `line`: command
    /// names, the command's flags, key handles after `-k -w -o`, file names
    /// after `-f`. Sorted, without duplicates.
    pub fn complete(&self, line: &str) -> Vec<String> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let ends_with_space = line.ends_with(char::is_whitespace);
        let (done, partial) = if ends_with_space || words.is_empty() {
            (&words[..], "")
        } else {
            let (last, done) = words
                .split_last()
                .map_or((&"", &words[..0]), |(l, d)| (l, d));
            (done, *last)
        };
        let mut out: BTreeSet<String> = BTreeSet::new();
        match done.first().and_then(|w| CommandName::from_name(w)) {
            None if done.is_empty() => {
                for c in CommandName::ALL {
                    if c.name().starts_with(partial) {
                        out.insert(c.name().to_owned());
                    }
                }
            }
            None => {}
            Some(cmd) => match done.last().copied() {
                Some("-k" | "-w" | "-o") => {
                    for k in self.keys() {
                        let h = k.handle.to_string();
                        if h.starts_with(partial) {
                            out.insert(h);
                        }
                    }
                }
                Some("-f") => {
                    for f in self.files.list() {
                        if f.name.starts_with(partial) {
                            out.insert(f.name);
                        }
                    }
                }
                _ => {
                    for flag in cmd.flag_names() {
                        if flag.starts_with(partial) && !done.contains(&flag) {
                            out.insert(flag.to_owned());
                        }
                    }
                }
            },
        }
        out.into_iter().collect()
    }

    // ---- Tests -----------------------------------------------------------------------

    /// A picture of everything a command may change (keys with their values,
    /// the handle counter, files, login, tenancy), for equality tests.
    pub fn snapshot(&self) -> SessionSnapshot {
        SessionSnapshot {
            keys: self
                .store
                .iter()
                .map(|k| (self.view(k), k.value().duplicate_secret()))
                .collect(),
            next_handle: self.store.next_handle(),
            files: self
                .files
                .list()
                .into_iter()
                .map(|f| {
                    let bytes = self.files.read(&f.name).unwrap_or_default().to_vec();
                    (f, bytes)
                })
                .collect(),
            login: self.login,
            tenancy: self.tenancy,
        }
    }

    /// Whether a crypto officer is logged in.
    pub fn is_officer(&self) -> bool {
        self.current_user()
            .is_some_and(|u| u.user_type == UserType::CryptoOfficer)
    }
}

fn command_handles(command: &Command) -> Vec<KeyHandle> {
    let mut hs = match command {
        Command::WrapKey { key, wrapping, .. } | Command::ExSymKey { key, wrapping, .. } => {
            vec![*key, *wrapping]
        }
        Command::UnWrapKey { unwrapping, .. } => vec![*unwrapping],
        Command::GetAttribute { handle, .. }
        | Command::SetAttribute { handle, .. }
        | Command::DeleteKey { handle }
        | Command::ShareKey { handle, .. } => vec![*handle],
        Command::ImSymKey { wrapping, .. } => vec![*wrapping],
        Command::AesWrapUnwrap { key, .. } => vec![*key],
        _ => Vec::new(),
    };
    hs.sort_unstable();
    hs.dedup();
    hs
}
