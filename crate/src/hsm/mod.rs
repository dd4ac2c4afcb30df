//! The virtual HSM: one [`Session`] (keys, users, files, audit log, tenancy
//! mode), the operations every front end shares ([`ops`]), the wrapped-file
//! header, the step viewer's rule ([`steps`]) and the views the page reads.
//!
//! **Architecture invariants**
//! - A dialect spells and prints; it never decides. Every HSM rule lives in
//!   [`ops`] (or in [`crate::store::policy`] and [`rules`], which it calls),
//!   and the KMU and CloudHSM CLI dialects and the workbench all call it.
//! - Output is a pure function of (session, line): no clocks, no randomness
//!   except the injectable [`KeySource`] that key generation draws from.
//! - A refused operation leaves keys, files, login and the handle counter
//!   exactly as they were: operations plan against a shared borrow of
//!   [`HsmState`] and are applied only on success. The audit log always
//!   appends.
//! - Key bytes leave only through a wrap or export, or
//!   [`Session::reveal_key`], which policy and [`crate::access`] gate.
//!
//! # Using a session (the web app's API)
//!
//! ```
//! use keywrap_core::hsm::{InsecureSeededKeys, Session};
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
//! assert_eq!(m.rows.len(), 8);
//! ```

mod audit;
pub mod copies;
mod error;
mod files;
pub mod header;
mod keysource;
pub mod ops;
pub mod ops_bulk;
pub mod ops_rsa;
pub mod rules;
pub mod steps;
mod views;
mod workbench;

pub use audit::{AuditEntry, AuditLog, Dialect};
pub use error::{HsmError, HsmErrorKind, Stage};
pub use files::{FileInfo, FileOrigin, FileStore, MAX_FILE_NAME, MAX_FILE_SIZE, check_file_name};
pub use keysource::{InsecureSeededKeys, KeySource, OsRandom};
pub use steps::{CommandSteps, IvCheckSummary, KwpCheckSummary, OperationSteps, WithheldSteps};
pub use views::{ActorView, FileSightView, KeySight, KeyView, RevealedKey, SessionSnapshot};
pub use workbench::{
    JobResult, UnwrapInto, UnwrapRequest, UnwrapResult, Unwrapped, WorkbenchJob, WorkbenchKey,
    WrapRequest, WrapResult,
};

use std::collections::BTreeSet;

use crate::access::{self, AccessMatrix, Actor, KeyFacts, Relation, TenancyMode};
use crate::kmu::ReturnCode;
use crate::store::{KeyHandle, KeyObject, Store, User, UserId, UserType, policy};
use ops::Mutation;

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
    /// Key-separation attacks this operation completed: a sensitive or
    /// non-extractable key's plaintext, or a looser copy of it
    /// ([`copies`]).
    pub separations: Vec<copies::SeparationReport>,
}

/// Everything an operation reads: keys and users, files, who is logged in,
/// the tenancy mode. [`ops`] plans against a shared borrow of it.
#[derive(Debug)]
pub struct HsmState {
    pub(crate) store: Store,
    pub(crate) files: FileStore,
    pub(crate) login: Option<UserId>,
    pub(crate) tenancy: TenancyMode,
    /// X-ray of the HSM: the step viewer may see inside (`steps.rs`).
    pub(crate) xray: bool,
    /// Every copy of every key ([`copies`]).
    pub(crate) copies: copies::CopyLedger,
}

/// One virtual HSM with its files, audit log and tenancy mode, driven by
/// either dialect ([`Session::run`]) and by the page.
///
/// Not `Clone` (it holds keys); the web app keeps it in an
/// `Rc<RefCell<Session>>` in its reducer state.
#[derive(Debug)]
pub struct Session {
    pub(crate) state: HsmState,
    pub(crate) audit: AuditLog,
    pub(crate) key_source: Box<dyn KeySource>,
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
            state: HsmState {
                store: Store::new(),
                files: FileStore::default(),
                login: Some(DEFAULT_USER),
                tenancy: TenancyMode::DedicatedSingleTenant,
                xray: false,
                copies: copies::CopyLedger::default(),
            },
            audit: AuditLog::default(),
            key_source,
        }
    }

    /// Logs out without a command (a session that starts logged out, as KMU does).
    pub fn logged_out(mut self) -> Self {
        self.state.login = None;
        self
    }

    // ---- Users and tenancy -------------------------------------------------------

    /// The logged-in user, if any.
    pub fn current_user(&self) -> Option<&User> {
        self.state.login.and_then(|id| self.state.store.user(id))
    }

    /// Every user of the HSM.
    pub fn users(&self) -> &[User] {
        self.state.store.users()
    }

    /// The tenancy mode the access model answers in.
    pub fn tenancy(&self) -> TenancyMode {
        self.state.tenancy
    }

    /// Switches the tenancy mode (the header's switch).
    pub fn set_tenancy(&mut self, mode: TenancyMode) {
        self.state.tenancy = mode;
    }

    // ---- Keys as metadata --------------------------------------------------------

    fn relation(&self, key: &KeyObject) -> Relation {
        match self.state.login {
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
                .state
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
        let Ok(caller) = ops::caller(&self.state) else {
            return Vec::new();
        };
        self.state
            .store
            .iter()
            .filter(|k| policy::check_visible(k, caller).is_ok())
            .map(|k| self.view(k))
            .collect()
    }

    /// Every key in the HSM, whoever owns it (for the "view as" projection
    /// and the matrix: what exists, not what the user may touch).
    pub fn all_keys(&self) -> Vec<KeyView> {
        self.state.store.iter().map(|k| self.view(k)).collect()
    }

    /// One key's metadata, if it exists.
    pub fn key(&self, handle: KeyHandle) -> Option<KeyView> {
        self.state.store.get(handle).map(|k| self.view(k))
    }

    /// How many keys the HSM holds.
    pub fn key_count(&self) -> usize {
        self.state.store.len()
    }

    /// The handle the next key will get.
    pub fn next_handle(&self) -> KeyHandle {
        self.state.store.next_handle()
    }

    /// A key's value, for the page's "Reveal" — only for `actor` [`Actor::You`],
    /// only if you own the key, and never for a sensitive or non-extractable
    /// key. Audited (without the bytes).
    pub fn reveal_key(&mut self, handle: KeyHandle, actor: Actor) -> Result<RevealedKey, HsmError> {
        let result = self
            .reveal_checked(handle, actor)
            .map_err(|kind| kind.at(Stage::Check));
        let code = ReturnCode::of_result(&result);
        self.record(
            Dialect::Page,
            format!("reveal -k {handle} (page)"),
            vec![handle],
            code,
        );
        result
    }

    fn reveal_checked(&self, handle: KeyHandle, actor: Actor) -> Result<RevealedKey, HsmErrorKind> {
        let caller = ops::caller(&self.state)?;
        let key = self
            .state
            .store
            .get(handle)
            .ok_or(policy::PolicyError::HandleInvalid(handle))?;
        if actor != Actor::You {
            // Only the person in this tab is ever shown bytes; the access
            // model explains what the other actors could get.
            return Err(HsmErrorKind::Policy(policy::PolicyError::NotOwner {
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

    /// The facts the access model needs about one key, from the copy
    /// ledger ([`copies`]) and the store.
    pub fn key_facts(&self, handle: KeyHandle) -> Option<KeyFacts> {
        let key = self.state.store.get(handle)?;
        let caller = ops::caller(&self.state).ok();
        let mut facts = KeyFacts::new(
            handle,
            self.relation(key),
            key.attributes().extractable,
            key.attributes().sensitive,
        );
        facts.you_see_metadata = caller.is_some_and(|c| policy::check_visible(key, c).is_ok());
        let crypto_users: Vec<&User> = self
            .state
            .store
            .users()
            .iter()
            .filter(|u| u.user_type == UserType::CryptoUser && Some(u.id) != self.state.login)
            .collect();
        facts.other_users = crypto_users
            .iter()
            .map(|u| access::OtherUserFact {
                name: u.name.clone(),
                owns: key.owner() == u.id,
                shared: key.shared_with().contains(&u.id),
            })
            .collect();
        // Who may unwrap with a key: its users, if it has UNWRAP.
        let may_unwrap = |opener: KeyHandle, user: UserId| {
            self.state
                .store
                .get(opener)
                .is_some_and(|k| k.attributes().unwrap && k.usable_by(user))
        };
        for copy in self.state.copies.of(handle) {
            match copy.form {
                copies::CopyForm::Wrapped { wrapping, header } => {
                    let opener = copies::opener_of(&self.state, wrapping);
                    let you_open = match (opener, caller) {
                        (Some(o), Some(c)) if c.user_type == UserType::CryptoUser => {
                            may_unwrap(o, c.user)
                        }
                        _ => false,
                    };
                    let others_open = opener
                        .map(|o| {
                            crypto_users
                                .iter()
                                .filter(|u| may_unwrap(o, u.id))
                                .map(|u| u.name.clone())
                                .collect()
                        })
                        .unwrap_or_default();
                    facts.wrapped_copies.push(access::WrappedCopyFact {
                        place: copy.place.to_string(),
                        wrapping,
                        header,
                        opener,
                        you_open,
                        others_open,
                        in_page: !matches!(copy.place, copies::CopyPlace::HsmKey(_)),
                    });
                }
                copies::CopyForm::Plaintext => match copy.place {
                    copies::CopyPlace::HsmKey(twin) => {
                        // A twin that was deleted is no copy any more.
                        let Some(t) = self.state.store.get(twin) else {
                            continue;
                        };
                        facts.twins.push(access::TwinFact {
                            handle: twin,
                            revealable: caller.is_some_and(|c| policy::check_reveal(t, c).is_ok()),
                            via: copy.via,
                        });
                    }
                    _ => facts.plaintext_copies.push(access::PlaintextCopyFact {
                        place: copy.place.to_string(),
                        via: copy.via,
                    }),
                },
            }
        }
        let mut wraps: Vec<KeyHandle> = self
            .state
            .copies
            .iter()
            .filter(|c| {
                c.key != handle
                    && matches!(c.form, copies::CopyForm::Wrapped { wrapping, .. } if wrapping == handle)
            })
            .map(|c| c.key)
            .collect();
        wraps.sort_unstable();
        wraps.dedup();
        facts.wraps = wraps;
        Some(facts)
    }

    /// A key's label as `actor` may see it ([`access::sees_label`]): `None`
    /// when the key does not exist or the actor cannot read its label (an
    /// old handle link after a login change, a "View as" table).
    pub fn label_seen_by(&self, handle: KeyHandle, actor: Actor) -> Option<String> {
        let facts = self.key_facts(handle)?;
        access::sees_label(actor, &facts, self.state.tenancy)
            .then(|| {
                self.state
                    .store
                    .get(handle)
                    .map(|k| k.attributes().label.clone())
            })
            .flatten()
    }

    /// Every copy the session knows of `handle` (files, outputs, HSM twins).
    pub fn copies_of(&self, handle: KeyHandle) -> Vec<copies::KeyCopy> {
        self.state.copies.of(handle).cloned().collect()
    }

    /// The page copied or downloaded one of the workbench's outputs: each
    /// key it holds gets that copy. Returns the keys concerned.
    pub fn workbench_output_used(
        &mut self,
        which: copies::WorkbenchOutput,
        how: copies::OutputUse,
    ) -> Vec<KeyHandle> {
        self.state.copies.output_used(which, how)
    }

    /// The who-can-see matrix of a key in `mode` (actor × {plaintext,
    /// wrapped blob, use}, each with reason and source).
    pub fn who_can_see(&self, handle: KeyHandle, mode: TenancyMode) -> Option<AccessMatrix> {
        self.key_facts(handle).map(|f| access::matrix(&f, mode))
    }

    /// The page as `actor` would see it, in the session's tenancy mode.
    pub fn view_as(&self, actor: Actor) -> ActorView {
        let mode = self.state.tenancy;
        let keys = self
            .state
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
                let label_visible = access::sees_label(actor, &facts, mode);
                let mut key = self.view(k);
                if !label_visible {
                    key.attributes.label.clear();
                    key.attributes.id.clear();
                }
                Some(KeySight {
                    key,
                    row,
                    label_visible,
                })
            })
            .collect();
        let files = self
            .state
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
        self.state.files.list()
    }

    /// A file's bytes (for download).
    pub fn read_file_bytes(&self, name: &str) -> Option<&[u8]> {
        self.state.files.read(name)
    }

    /// Stores an uploaded file (overwriting one of the same name). Audited.
    pub fn upload_file(&mut self, name: &str, bytes: Vec<u8>) -> Result<(), HsmError> {
        let result = match check_file_name(name) {
            Ok(()) if bytes.len() > MAX_FILE_SIZE => {
                Err(HsmErrorKind::FileTooLarge { len: bytes.len() })
            }
            other => other,
        }
        .map_err(|kind| kind.at(Stage::Check));
        let code = ReturnCode::of_result(&result);
        let shown: String = name.chars().take(64).collect();
        self.record(
            Dialect::Page,
            format!("upload \"{shown}\" ({} bytes)", bytes.len()),
            Vec::new(),
            code,
        );
        result?;
        self.state
            .files
            .write(name.to_owned(), bytes, FileOrigin::Upload);
        Ok(())
    }

    /// Deletes a file; whether it existed. Audited.
    pub fn delete_file(&mut self, name: &str) -> bool {
        let existed = self.state.files.remove(name);
        self.state.copies.forget_file(name);
        let code = if existed {
            ReturnCode::Success
        } else {
            ReturnCode::FileNotFound
        };
        let shown: String = name.chars().take(64).collect();
        self.record(
            Dialect::Page,
            format!("delete file \"{shown}\""),
            Vec::new(),
            code,
        );
        existed
    }

    // ---- Audit ---------------------------------------------------------------------

    /// Appends one audit entry, as the logged-in user.
    pub(crate) fn record(
        &mut self,
        dialect: Dialect,
        command: String,
        handles: Vec<KeyHandle>,
        code: ReturnCode,
    ) {
        let user = self.current_user().map(|u| u.name.clone());
        self.audit.append(user, dialect, command, handles, code);
    }

    /// The audit log, oldest first.
    pub fn audit_log(&self) -> &[AuditEntry] {
        self.audit.entries()
    }

    // ---- Tests -----------------------------------------------------------------------

    /// A picture of everything a command may change (keys with their values,
    /// the handle counter, files, login, tenancy), for equality tests.
    pub fn snapshot(&self) -> SessionSnapshot {
        SessionSnapshot {
            keys: self
                .state
                .store
                .iter()
                .map(|k| (self.view(k), k.value().duplicate_secret()))
                .collect(),
            next_handle: self.state.store.next_handle(),
            files: self
                .state
                .files
                .list()
                .into_iter()
                .map(|f| {
                    let bytes = self.state.files.read(&f.name).unwrap_or_default().to_vec();
                    (f, bytes)
                })
                .collect(),
            login: self.state.login,
            tenancy: self.state.tenancy,
        }
    }

    /// Whether a crypto officer is logged in.
    pub fn is_officer(&self) -> bool {
        self.current_user()
            .is_some_and(|u| u.user_type == UserType::CryptoOfficer)
    }
}

impl Session {
    /// The state operations plan against (read-only).
    pub fn hsm_state(&self) -> &HsmState {
        &self.state
    }

    /// Applies a plan's changes. Infallible by construction: every check ran
    /// while planning.
    pub(crate) fn apply(&mut self, mutations: Vec<Mutation>) -> Effects {
        let mut effects = Effects::default();
        for m in mutations {
            match m {
                Mutation::CreateKey {
                    attributes,
                    owner,
                    value,
                } => {
                    let h = self
                        .state
                        .store
                        .insert(attributes, owner, BTreeSet::new(), value);
                    effects.created.push(h);
                }
                Mutation::DeleteKey(h) => {
                    if self.state.store.remove(h) {
                        effects.deleted.push(h);
                    }
                }
                Mutation::SetAttribute(h, a) => {
                    self.state.store.set_attribute(h, a);
                    effects.changed.push(h);
                }
                Mutation::Share(h, u, share) => {
                    self.state.store.set_shared(h, u, share);
                    effects.changed.push(h);
                }
                Mutation::WriteFile(name, bytes, origin) => {
                    self.state.copies.forget_file(&name);
                    self.state.files.write(name.clone(), bytes, origin);
                    effects.files_written.push(name);
                }
                Mutation::Login(user) => {
                    self.state.login = Some(user);
                    effects.login_changed = true;
                }
                Mutation::Logout => {
                    if let Some(user) = self.state.login.take() {
                        effects
                            .deleted
                            .extend(self.state.store.drop_session_keys(user));
                    }
                    effects.login_changed = true;
                }
                Mutation::Copy(copy) => {
                    if let Some(report) = copies::report(&self.state, &copy) {
                        effects.separations.push(report);
                    }
                    self.state.copies.record(copy);
                }
            }
        }
        effects
    }
}
