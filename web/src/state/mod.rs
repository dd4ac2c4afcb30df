//! The app's state and the actions that change it (Yew's reducer pattern),
//! in one slice per panel:
//!
//! | slice | file | changed by |
//! | --- | --- | --- |
//! | transcript, input line, history, completions | [`terminal`] | typing, Enter, ↑/↓, Tab, paste |
//! | form, paste readings, last wrap/unwrap | [`workbench`] | the workbench's fields and buttons |
//! | the last trace and the viewer's position | [`trace`] | a wrap or unwrap; the step viewer |
//! | selection, "View as", sort, filter, reveal | [`keys`] | the key table, handle links |
//! | handle remarks, status line, network counts | [`notices`] | the page's own messages |
//!
//! [`AppState`] holds each slice behind an `Rc`: an action copies the state
//! (a few pointers) and then only the slice it changes (`Rc::make_mut`), so
//! a keystroke in the Command field copies the terminal's slice and nothing
//! else. Components receive slices and dispatch [`Action`]s; only
//! [`AppState::reduce`] changes state. The virtual HSM is the core's
//! [`Session`], which is not `Clone`: the state keeps it in an
//! `Rc<RefCell<_>>` and bumps [`AppState::revision`] whenever it changes;
//! the root reads the session once per revision (`use_memo`). Side effects
//! on the browser live in the components' hooks and callbacks, never here.
//! Nothing here does crypto: every wrap, unwrap, check value, encoding and
//! policy decision is the core's.

pub mod keys;
pub mod notices;
pub mod terminal;
pub mod trace;
pub mod workbench;

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use keywrap_core::access::{Actor, TenancyMode};
use keywrap_core::encoding;
use keywrap_core::hsm::copies::{OutputUse, SeparationReport, WorkbenchOutput};
use keywrap_core::hsm::header::WrappedKeyFile;
use keywrap_core::hsm::ops::NewKeyTemplate;
use keywrap_core::hsm::{
    HsmError, JobResult, MAX_FILE_SIZE, Session, UnwrapInto, UnwrapRequest, UnwrapResult,
    Unwrapped, WithheldSteps, WorkbenchJob, WorkbenchKey, WrapRequest, WrapResult,
};
use keywrap_core::kmu::ReturnCode;
use keywrap_core::selftest::{SelfTest, self_test};
use keywrap_core::store::KeyHandle;
use keywrap_core::wrap::{PAGE_SLICE_STEPS, Progress};
use keywrap_core::{Iv, Mechanism};
use yew::Reducible;
use zeroize::Zeroizing;

pub use keys::{BulkField, BulkForm, DEFAULT_BULK_PREFIX, KeysState, Revealed, SortColumn};
pub use notices::{
    MAX_NOTICES, MAX_SEPARATIONS, NetworkCount, Notice, NoticesState, SeparationNotice, StatusLine,
};
pub use terminal::{MAX_HISTORY, MAX_TRANSCRIPT, TerminalState, TranscriptEntry};
pub use trace::{TraceBody, TraceMove, TraceRecord, TraceState};
pub use workbench::{
    DEFAULT_FILE_NAME, HexStyle, KeyChoice, OpError, RunningJob, UnwrapOutput, WorkbenchField,
    WorkbenchForm, WorkbenchState, WrapOutput, decode_pasted, form_iv, runs_sliced,
};

/// How long one frame's slices of a large job may run, in milliseconds.
/// A slice is [`PAGE_SLICE_STEPS`] steps (7–10 ms at load 10 here), the
/// budget is checked after each, and the frame's render comes on top: the
/// page still answers within about 50 ms (`tests/e2e/sliced_job.test.mjs`
/// allows 100) while the job runs at close to the speed of one call.
pub const JOB_FRAME_BUDGET_MS: f64 = 24.0;

/// Milliseconds from the page's clock.
fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        0.0
    }
}

/// Whether a frame that began at `started` has used its budget. Natively
/// (the reducer's own tests) there is no page: every frame runs one slice.
fn frame_budget_spent(started: f64) -> bool {
    cfg!(not(target_arch = "wasm32")) || now_ms() - started >= JOB_FRAME_BUDGET_MS
}

/// RFC 3394 §4.1: 128 bits of key data wrapped with a 128-bit KEK, the
/// vector the "learn the steps" path loads into the workbench.
pub const RFC3394_KEK: &str = "000102030405060708090A0B0C0D0E0F";
/// The key data of the same vector.
pub const RFC3394_KEY: &str = "00112233445566778899AABBCCDDEEFF";
/// The seed's first session, as the start strip offers it.
pub const SEED_SESSION: [&str; 4] = [
    "genSymKey -t 31 -s 32 -l kek",
    "genSymKey -t 31 -s 32 -l payload",
    "wrapKey -k 7 -w 6 -out mykey.key -m 5",
    "unWrapKey -f mykey.key -w 6",
];

/// Everything the page shows.
#[derive(Clone)]
pub struct AppState {
    /// The virtual HSM with its console, files, audit log and tenancy mode.
    pub session: Rc<RefCell<Session>>,
    /// Bumped whenever the session changes.
    pub revision: u64,
    /// The terminal's slice.
    pub terminal: Rc<TerminalState>,
    /// The workbench's slice.
    pub workbench: Rc<WorkbenchState>,
    /// The step viewer's slice.
    pub trace: Rc<TraceState>,
    /// The key table's slice.
    pub keys: Rc<KeysState>,
    /// The page's messages.
    pub notices: Rc<NoticesState>,
    /// Whether the start strip was put away.
    pub start_dismissed: bool,
    /// The core's known-answer self-test, run once when the page starts.
    pub self_test: SelfTest,
    next_id: u64,
}

impl fmt::Debug for AppState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppState")
            .field("revision", &self.revision)
            .field("transcript", &self.terminal.transcript.len())
            .field("selected", &self.keys.selected)
            .finish_non_exhaustive()
    }
}

impl PartialEq for AppState {
    /// States are equal when they are the same session at the same revision
    /// and every slice matches.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.session, &other.session)
            && self.revision == other.revision
            && self.next_id == other.next_id
            && self.terminal == other.terminal
            && self.workbench == other.workbench
            && self.trace == other.trace
            && self.keys == other.keys
            && self.notices == other.notices
            && self.start_dismissed == other.start_dismissed
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::with_session(Session::new())
    }
}

/// Bytes of a file the user picked; `Debug` prints only their length (an
/// upload may be a plaintext key).
#[derive(Clone, PartialEq, Eq)]
pub struct FileBytes(pub Vec<u8>);

impl fmt::Debug for FileBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{} bytes]", self.0.len())
    }
}

/// What the user (or the page, for observers) can do. `Debug` prints no
/// key text and no command line (a line may carry a password).
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Run a console line.
    Run(Line),
    /// Run the lines of a multi-line paste, one by one, each echoed.
    RunLines(Vec<Line>),
    /// A paste into the Command field was refused (too long).
    PasteRefused(String),
    /// The console's input changed.
    SetCommandInput(Line),
    /// ↑: the previous command.
    HistoryPrev,
    /// ↓: the next command (or the line being typed).
    HistoryNext,
    /// Tab: complete the word being typed.
    Complete,
    /// Clear the transcript (Ctrl+L); the HSM's state is untouched.
    ClearTranscript,
    /// Point the matrix and tables at a key.
    SelectKey(KeyHandle),
    /// Switch the tenancy mode.
    SetTenancy(TenancyMode),
    /// Draw the tables as another actor sees them.
    SetViewAs(Actor),
    /// Sort the key table (again on the same column: reverse).
    Sort(SortColumn),
    /// Filter the key table by label.
    SetFilter(String),
    /// Show a key's value (the core decides whether it may be shown).
    Reveal(KeyHandle),
    /// Forget a revealed value (focus left it).
    HideReveal(KeyHandle),
    /// Tick (true) or untick keys for "wrap all selected keys".
    CheckKeys(Vec<KeyHandle>, bool),
    /// A field of the "wrap all selected keys" form changed.
    Bulk(BulkField),
    /// Wrap every ticked key under the chosen key, a file each.
    WrapChecked,
    /// A workbench field changed.
    Workbench(WorkbenchField),
    /// Wrap with the workbench.
    Wrap,
    /// Unwrap with the workbench.
    Unwrap,
    /// Run the next slice of the workbench's job with this id (the
    /// workbench schedules it after each frame).
    JobStep(u64),
    /// Cancel the workbench's job: nothing in the HSM changes.
    CancelJob,
    /// Put the last wrapped key into the unwrap field.
    UseWrappedAsInput,
    /// Put the default IV back.
    ResetIv,
    /// A file was read for the unwrap form.
    UnwrapFileRead {
        /// The file's name.
        name: String,
        /// Its bytes.
        bytes: FileBytes,
    },
    /// Move in the step viewer.
    Trace(TraceMove),
    /// Play or pause the step viewer.
    TracePlay(bool),
    /// X-ray of the HSM on or off (the step viewer's switch; the core's
    /// step rule honours it from the next wrap or unwrap on).
    SetXray(bool),
    /// A panel with its own state changed the session (the import panel's
    /// audited package of an HSM key): read it again.
    SessionChanged,
    /// A file was uploaded into the page's files.
    UploadFile {
        /// The file's name.
        name: String,
        /// Its bytes.
        bytes: FileBytes,
    },
    /// Delete an in-page file.
    DeleteFile(String),
    /// What the network observer counted.
    Network(NetworkCount),
    /// Report the outcome of a browser effect (copy, download, upload).
    Status {
        /// The message.
        text: String,
        /// Whether it reports success.
        ok: bool,
    },
    /// The start strip's first path: the RFC 3394 §4.1 vector in the workbench.
    StartLearn,
    /// Put the start strip away.
    DismissStart,
    /// The page copied or downloaded a workbench output (the core counts
    /// it as a copy of the keys it holds).
    WorkbenchOutputUsed(WorkbenchOutput, OutputUse),
    /// Put a key-separation notice away.
    DismissSeparation(u64),
}

/// How a line run on the user's behalf ended.
struct LineResult {
    /// Whether it succeeded.
    success: bool,
    /// Why it was refused, in the core's words.
    error: Option<String>,
}

/// A console line in an [`Action`]; `Debug` prints its length only (a
/// `loginHSM` line carries a password).
#[derive(Clone, PartialEq, Eq)]
pub struct Line(pub String);

impl fmt::Debug for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Line({} chars)", self.0.len())
    }
}

impl From<&str> for Line {
    fn from(s: &str) -> Self {
        Self(s.to_owned())
    }
}

impl From<String> for Line {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

impl AppState {
    /// A state around a given session (tests use a seeded one).
    pub fn with_session(session: Session) -> Self {
        Self {
            session: Rc::new(RefCell::new(session)),
            revision: 0,
            terminal: Rc::default(),
            workbench: Rc::default(),
            trace: Rc::default(),
            keys: Rc::default(),
            notices: Rc::default(),
            start_dismissed: false,
            self_test: self_test(),
            next_id: 1,
        }
    }

    fn fresh_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1);
        id
    }

    fn notice(&mut self, text: String) {
        let id = self.fresh_id();
        Rc::make_mut(&mut self.notices).notice(id, text);
    }

    fn set_status(&mut self, text: String, ok: bool) {
        let id = self.fresh_id();
        Rc::make_mut(&mut self.notices).status = Some(StatusLine { id, text, ok });
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::Run(Line(line)) => self.run(&line, false),
            Action::RunLines(lines) => {
                for Line(line) in lines {
                    self.run(&line, true);
                }
            }
            Action::PasteRefused(why) => {
                Rc::make_mut(&mut self.terminal).paste_error = Some(why);
            }
            Action::SetCommandInput(Line(text)) => Rc::make_mut(&mut self.terminal).set_input(text),
            Action::HistoryPrev => Rc::make_mut(&mut self.terminal).history_prev(),
            Action::HistoryNext => Rc::make_mut(&mut self.terminal).history_next(),
            Action::Complete => {
                let candidates = match self.session.try_borrow() {
                    Ok(session) => session.complete(&self.terminal.input),
                    Err(_) => return,
                };
                Rc::make_mut(&mut self.terminal).complete(&candidates);
            }
            Action::ClearTranscript => {
                let t = Rc::make_mut(&mut self.terminal);
                t.transcript.clear();
                t.completions.clear();
            }
            Action::SelectKey(handle) => Rc::make_mut(&mut self.keys).selected = Some(handle),
            Action::SetTenancy(mode) => {
                if let Ok(mut session) = self.session.try_borrow_mut() {
                    session.set_tenancy(mode);
                }
                self.revision += 1;
            }
            Action::SetViewAs(actor) => {
                let keys = Rc::make_mut(&mut self.keys);
                keys.view_as = actor;
                keys.revealed = None;
            }
            Action::Sort(column) => Rc::make_mut(&mut self.keys).sort_by(column),
            Action::SetFilter(text) => Rc::make_mut(&mut self.keys).filter = text,
            Action::Reveal(handle) => self.reveal(handle),
            Action::HideReveal(handle) => {
                if self
                    .keys
                    .revealed
                    .as_ref()
                    .is_some_and(|r| r.handle == handle)
                {
                    Rc::make_mut(&mut self.keys).revealed = None;
                }
            }
            Action::CheckKeys(handles, on) => Rc::make_mut(&mut self.keys).check(&handles, on),
            Action::Bulk(field) => Rc::make_mut(&mut self.keys).set_bulk(field),
            Action::WrapChecked => self.wrap_checked(),
            Action::Workbench(field) => {
                let wb = Rc::make_mut(&mut self.workbench);
                if wb.set_field(field) {
                    self.recompute();
                }
            }
            Action::Wrap => self.wrap(false),
            Action::Unwrap => self.unwrap(),
            Action::JobStep(id) => self.job_step(id),
            Action::CancelJob => self.cancel_job(),
            Action::UseWrappedAsInput => {
                if let Some(Ok(out)) = &self.workbench.wrap_result {
                    let hex = out.hex.clone();
                    let wb = Rc::make_mut(&mut self.workbench);
                    wb.set_field(WorkbenchField::Wrapped(hex));
                }
            }
            Action::ResetIv => {
                let wb = Rc::make_mut(&mut self.workbench);
                if wb.set_field(WorkbenchField::Iv(Iv::DEFAULT.to_string())) {
                    self.recompute();
                }
            }
            Action::UnwrapFileRead { name, bytes } => self.unwrap_file_read(&name, &bytes.0),
            Action::Trace(step) => Rc::make_mut(&mut self.trace).step(step),
            Action::TracePlay(play) => Rc::make_mut(&mut self.trace).play(play),
            Action::SessionChanged => self.revision += 1,
            Action::SetXray(on) => {
                if let Ok(mut session) = self.session.try_borrow_mut() {
                    session.set_xray(on);
                }
                self.revision += 1;
                if on {
                    self.replay_withheld();
                }
            }
            Action::UploadFile { name, bytes } => {
                let result = match self.session.try_borrow_mut() {
                    Ok(mut session) => session.upload_file(&name, bytes.0),
                    Err(_) => Ok(()),
                };
                self.revision += 1;
                match result {
                    Ok(()) => {
                        Rc::make_mut(&mut self.notices).file_error = None;
                        self.set_status(
                            format!("Uploaded \"{name}\" into the page's files."),
                            true,
                        );
                    }
                    Err(e) => {
                        Rc::make_mut(&mut self.notices).file_error =
                            Some(format!("Upload refused: {e}"));
                    }
                }
            }
            Action::DeleteFile(name) => {
                let existed = self
                    .session
                    .try_borrow_mut()
                    .map(|mut s| s.delete_file(&name))
                    .unwrap_or(false);
                self.revision += 1;
                Rc::make_mut(&mut self.notices).file_error = if existed {
                    None
                } else {
                    Some(format!("No file named \"{name}\" to delete."))
                };
            }
            Action::Network(count) => Rc::make_mut(&mut self.notices).network = count,
            Action::Status { text, ok } => self.set_status(text, ok),
            Action::StartLearn => self.start_learn(),
            Action::DismissStart => self.start_dismissed = true,
            Action::WorkbenchOutputUsed(which, how) => {
                if let Ok(mut session) = self.session.try_borrow_mut() {
                    session.workbench_output_used(which, how);
                }
                self.revision += 1;
            }
            Action::DismissSeparation(id) => {
                Rc::make_mut(&mut self.notices).dismiss_separation(id);
            }
        }
    }

    /// Announces the key-separation attacks an operation completed.
    fn separated(&mut self, reports: &[SeparationReport]) {
        for report in reports {
            let id = self.fresh_id();
            Rc::make_mut(&mut self.notices).separation(id, report.clone());
        }
    }

    /// With both keys pasted, the wrap follows the fields as they change
    /// (nothing in the HSM is involved); while a field does not read well
    /// there is no output, so nothing stale is shown beside an error.
    fn recompute(&mut self) {
        let wb = &self.workbench;
        if wb.live_ready() {
            self.wrap(true);
        } else if wb.form.kek == KeyChoice::Pasted && wb.form.target == KeyChoice::Pasted {
            Rc::make_mut(&mut self.workbench).wrap_result = None;
        }
    }

    fn start_learn(&mut self) {
        let wb = Rc::make_mut(&mut self.workbench);
        for field in [
            WorkbenchField::Kek(KeyChoice::Pasted),
            WorkbenchField::PastedKek(Zeroizing::new(RFC3394_KEK.to_owned())),
            WorkbenchField::Target(KeyChoice::Pasted),
            WorkbenchField::PastedKey(Zeroizing::new(RFC3394_KEY.to_owned())),
            WorkbenchField::Mechanism(Mechanism::Kw),
            WorkbenchField::Iv(Iv::DEFAULT.to_string()),
        ] {
            wb.set_field(field);
        }
        self.wrap(false);
    }

    fn run(&mut self, line: &str, pasted: bool) {
        let _ = self.run_line(line, pasted);
    }

    /// Runs a console line as if typed (echoed, remembered, audited) and
    /// says how it ended; `None` when nothing ran (a blank line).
    fn run_line(&mut self, line: &str, pasted: bool) -> Option<LineResult> {
        // An empty Enter adds nothing, as in a shell.
        if line.trim().is_empty() {
            Rc::make_mut(&mut self.terminal).set_input(String::new());
            return None;
        }
        let shown = keywrap_core::mask_secrets(line);
        let Ok(mut session) = self.session.try_borrow_mut() else {
            return None;
        };
        let outcome = session.run(line);
        drop(session);
        self.revision += 1;
        let result = LineResult {
            success: outcome.return_code.is_success(),
            error: outcome.error.as_ref().map(ToString::to_string),
        };
        let mut output = outcome.output;
        if outcome.exit {
            output.push_str(
                "\nThis page has no exit: close the tab to end the session. Nothing is kept.\n",
            );
        }
        let id = self.fresh_id();
        let terminal = Rc::make_mut(&mut self.terminal);
        terminal.push(TranscriptEntry {
            id,
            command: shown.clone(),
            output,
            spans: outcome.handle_spans,
            success: outcome.return_code.is_success(),
            changed_steps: outcome.steps.is_some(),
            pasted,
        });
        terminal.remember(&shown);
        terminal.set_input(String::new());
        for handle in &outcome.effects.created {
            self.created(*handle);
        }
        for handle in &outcome.effects.deleted {
            self.deleted(*handle);
        }
        if outcome.effects.login_changed {
            Rc::make_mut(&mut self.keys).revealed = None;
        }
        self.separated(&outcome.effects.separations);
        // A typed wrap or unwrap becomes the step viewer's last operation,
        // exactly as a workbench one does.
        if let Some(steps) = outcome.steps {
            let title = format!("Typed: {shown} ({})", steps.function);
            let id = self.fresh_id();
            Rc::make_mut(&mut self.trace).show(TraceRecord {
                id,
                title,
                body: TraceBody::of(steps.steps),
            });
            Rc::make_mut(&mut self.workbench).changed_steps = false;
        }
        Some(result)
    }

    /// Points out what a new handle means, and a KCV it shares with another key.
    fn created(&mut self, handle: KeyHandle) {
        Rc::make_mut(&mut self.keys).selected = Some(handle);
        let (twins, kcv, next) = {
            let Ok(session) = self.session.try_borrow() else {
                return;
            };
            let Some(key) = session.key(handle) else {
                return;
            };
            let twins: Vec<String> = session
                .all_keys()
                .iter()
                .filter(|k| {
                    k.handle != handle
                        && k.attributes.kcv == key.attributes.kcv
                        && k.attributes.key_type == key.attributes.key_type
                        && k.attributes.value_len == key.attributes.value_len
                })
                .map(|k| k.handle.to_string())
                .collect();
            (twins, key.kcv_hex(), session.next_handle())
        };
        if !twins.is_empty() {
            let like = if twins.len() == 1 {
                format!("key {}", twins.join(""))
            } else {
                format!("keys {}", twins.join(", "))
            };
            self.notice(format!(
                "Key {handle} has KCV {kcv}, like {like}: almost surely the same key bytes \
                 (a KCV has 24 bits) under {} handles. Every unwrap makes a new object with a \
                 new handle; the KCV, not the handle, tells you which key it is.",
                twins.len() + 1
            ));
        }
        if !self.notices.handles_explained {
            Rc::make_mut(&mut self.notices).handles_explained = true;
            self.notice(format!(
                "Handle {handle} names this key inside this HSM only: another HSM, or this \
                 page after a reload, numbers its keys its own way (the next key here gets \
                 {next}). Scripts should find keys by label or KCV, not by handle."
            ));
        }
    }

    fn deleted(&mut self, handle: KeyHandle) {
        let keys = Rc::make_mut(&mut self.keys);
        if keys.selected == Some(handle) {
            keys.selected = None;
        }
        if keys.revealed.as_ref().is_some_and(|r| r.handle == handle) {
            keys.revealed = None;
        }
        let next = self
            .session
            .try_borrow()
            .map(|s| s.next_handle().to_string())
            .unwrap_or_default();
        self.notice(format!(
            "Handle {handle} is deleted and will never name another key in this HSM: the next \
             key gets handle {next}. The audit log keeps the deletion."
        ));
    }

    fn reveal(&mut self, handle: KeyHandle) {
        let Ok(mut session) = self.session.try_borrow_mut() else {
            return;
        };
        let result = session.reveal_key(handle, Actor::You);
        drop(session);
        self.revision += 1;
        let keys = Rc::make_mut(&mut self.keys);
        match result {
            Ok(key) => {
                keys.revealed = Some(Revealed {
                    handle,
                    hex: Zeroizing::new(encoding::encode_hex(key.value.expose_secret())),
                });
                keys.reveal_error = None;
            }
            Err(e) => {
                keys.revealed = None;
                keys.reveal_error = Some((handle, format!("{} — {e}", ReturnCode::from(&e))));
            }
        }
    }

    /// With X-ray just switched on: the steps the step viewer shows as
    /// withheld, run again by the core as the HSM sees them (nothing in the
    /// HSM changes). Steps the core cannot replay stay withheld, and the
    /// viewer says how to see them.
    fn replay_withheld(&mut self) {
        let Some(record) = self.trace.trace.clone() else {
            return;
        };
        let TraceBody::Withheld(withheld) = &record.body else {
            return;
        };
        if !withheld.replayable() {
            return;
        }
        let replayed = match self.session.try_borrow() {
            Ok(session) => session.replay_withheld(withheld),
            Err(_) => return,
        };
        match replayed {
            Ok(steps) => {
                let title = format!("{} — inside the HSM (X-ray)", record.title);
                self.show_trace(title, TraceBody::of(steps));
                self.set_status(
                    "X-ray on: the steps that were withheld are shown as the HSM ran them."
                        .to_owned(),
                    true,
                );
            }
            Err(why) => self.set_status(
                format!("X-ray on, but the steps cannot be replayed: {why}."),
                false,
            ),
        }
    }

    fn show_trace(&mut self, title: String, body: TraceBody) {
        let id = self.fresh_id();
        Rc::make_mut(&mut self.trace).show(TraceRecord { id, title, body });
        Rc::make_mut(&mut self.workbench).changed_steps = true;
    }

    fn set_wrap_result(&mut self, result: Result<WrapOutput, OpError>) {
        Rc::make_mut(&mut self.workbench).wrap_result = Some(result);
    }

    fn set_unwrap_result(&mut self, result: Result<UnwrapOutput, OpError>) {
        Rc::make_mut(&mut self.workbench).unwrap_result = Some(result);
    }

    /// A workbench wrap; `live` when recomputed as the user types.
    fn wrap(&mut self, live: bool) {
        let form = &self.workbench.form;
        let pasted_key = match (form.target, &self.workbench.key_bytes) {
            // Read when it was pasted.
            (KeyChoice::Pasted, Some(bytes)) => Some(Rc::clone(&bytes.0)),
            (KeyChoice::Pasted, None) => match decode_pasted(&form.pasted_key, "The key to wrap") {
                Ok((bytes, _)) => Some(Rc::new(bytes)),
                Err(e) => return self.set_wrap_result(Err(OpError::input(e))),
            },
            (KeyChoice::Handle(_), _) => None,
            (KeyChoice::None, _) => {
                return self.set_wrap_result(Err(OpError::input(
                    "Choose the key to wrap, or paste its bytes.",
                )));
            }
        };
        let pasted_kek = match form.kek {
            KeyChoice::Pasted => {
                if let Some(Err(e)) = &self.workbench.kek_reading {
                    let e = e.clone();
                    return self.set_wrap_result(Err(OpError::input(e)));
                }
                match decode_pasted(&form.pasted_kek, "The KEK") {
                    Ok((bytes, _)) => Some(bytes),
                    Err(e) => return self.set_wrap_result(Err(OpError::input(e))),
                }
            }
            KeyChoice::Handle(_) => None,
            KeyChoice::None => {
                return self.set_wrap_result(Err(OpError::input(
                    "Choose the wrapping key, or paste a KEK.",
                )));
            }
        };
        let iv = match form_iv(form) {
            Ok(iv) => iv,
            Err(e) => return self.set_wrap_result(Err(OpError::input(e))),
        };
        let target = match (form.target, &pasted_key) {
            (KeyChoice::Handle(h), _) => WorkbenchKey::Handle(h),
            (_, Some(bytes)) => WorkbenchKey::Pasted(bytes.as_slice()),
            _ => return,
        };
        let kek = match (form.kek, &pasted_kek) {
            (KeyChoice::Handle(h), _) => WorkbenchKey::Handle(h),
            (_, Some(bytes)) => WorkbenchKey::Pasted(bytes.as_slice()),
            _ => return,
        };
        let mechanism = form.mechanism;
        let file_name = form.file_name.trim().to_owned();
        let request = WrapRequest {
            target,
            kek,
            mechanism,
            iv,
            out_file: (form.save_to_files && !live).then_some(file_name),
        };
        let summary = format!(
            "Wrap of {} under {} ({}, IV {})",
            describe(target, "key"),
            describe(kek, "KEK"),
            mechanism.names().title,
            iv_words(mechanism, iv.as_ref()),
        );
        let large = pasted_key.as_ref().is_some_and(|k| runs_sliced(k.len()));
        if live && large {
            // Too large to recompute at each keystroke: Wrap runs it.
            Rc::make_mut(&mut self.workbench).wrap_result = None;
            return;
        }
        if self.job_running() {
            return;
        }
        let Ok(mut session) = self.session.try_borrow_mut() else {
            return;
        };
        let started = session.workbench_wrap_job(&request);
        drop(session);
        drop(pasted_key);
        drop(pasted_kek);
        match started {
            Ok(job) if large => self.start_job(job, summary),
            Ok(job) => self.finish_job(job, summary, live),
            Err(e) => self.wrap_done(Err(e), summary, live),
        }
    }

    /// A wrap's result, one-shot or the end of a job.
    fn wrap_done(&mut self, result: Result<WrapResult, HsmError>, summary: String, live: bool) {
        self.revision += 1;
        match result {
            Ok(out) => {
                let body = match (out.trace, out.trace_withheld) {
                    (Some(trace), _) => TraceBody::Wrap(trace),
                    (None, Some(withheld)) => TraceBody::Withheld(withheld),
                    (None, None) => TraceBody::withheld("the core gave no trace".to_owned()),
                };
                self.show_trace(summary.clone(), body);
                let len = out.wrapped.len();
                if !live {
                    self.set_status(format!("Key wrapped: {len} bytes. {summary}."), true);
                }
                let id = self.fresh_id();
                self.set_wrap_result(Ok(WrapOutput {
                    id,
                    hex: encoding::encode_hex(&out.wrapped),
                    base64: encoding::encode_base64(&out.wrapped),
                    wrapped: Rc::new(out.wrapped),
                    summary,
                    file: out.file,
                    live,
                }));
            }
            Err(e) => self.set_wrap_result(Err(OpError::from_console(&e))),
        }
    }

    fn unwrap(&mut self) {
        let form = &self.workbench.form;
        let wrapped = match decode_pasted(&form.wrapped, "The wrapped key") {
            Ok((bytes, _)) => bytes,
            Err(e) => return self.set_unwrap_result(Err(OpError::input(e))),
        };
        let pasted_kek = match form.kek {
            KeyChoice::Pasted => {
                if let Some(Err(e)) = &self.workbench.kek_reading {
                    let e = e.clone();
                    return self.set_unwrap_result(Err(OpError::input(e)));
                }
                match decode_pasted(&form.pasted_kek, "The KEK") {
                    Ok((bytes, _)) => Some(bytes),
                    Err(e) => return self.set_unwrap_result(Err(OpError::input(e))),
                }
            }
            KeyChoice::Handle(_) => None,
            KeyChoice::None => {
                return self.set_unwrap_result(Err(OpError::input(
                    "Choose the wrapping key that unwraps it, or paste a KEK.",
                )));
            }
        };
        let iv = match form_iv(form) {
            Ok(iv) => iv,
            Err(e) => return self.set_unwrap_result(Err(OpError::input(e))),
        };
        let kek = match (form.kek, &pasted_kek) {
            (KeyChoice::Handle(h), _) => WorkbenchKey::Handle(h),
            (_, Some(bytes)) => WorkbenchKey::Pasted(bytes.as_slice()),
            _ => return,
        };
        let into = if form.into_new_key {
            UnwrapInto::NewKey(NewKeyTemplate {
                sensitive: form.sensitive,
                extractable: form.extractable,
                token: form.token,
                ..NewKeyTemplate::new(&form.label, form.key_type)
            })
        } else {
            UnwrapInto::Bytes
        };
        let mechanism = form.mechanism;
        let request = UnwrapRequest {
            wrapped: wrapped.as_slice(),
            kek,
            mechanism,
            iv,
            into,
        };
        let title = format!(
            "Unwrap of {} bytes under {} ({}, IV {})",
            wrapped.len(),
            describe(kek, "KEK"),
            mechanism.names().title,
            iv_words(mechanism, iv.as_ref()),
        );
        if self.job_running() {
            return;
        }
        let Ok(mut session) = self.session.try_borrow_mut() else {
            return;
        };
        let started = session.workbench_unwrap_job(&request);
        drop(session);
        drop(pasted_kek);
        match started {
            Ok(job) if runs_sliced(job.input_len()) => self.start_job(job, title),
            Ok(job) => self.finish_job(job, title, false),
            Err(refused) => self.unwrap_done(*refused, title),
        }
    }

    /// An unwrap's result, one-shot or the end of a job.
    fn unwrap_done(&mut self, result: UnwrapResult, title: String) {
        self.revision += 1;
        self.separated(&result.separations);
        let body = match (result.trace, result.trace_withheld) {
            (Some(trace), _) => TraceBody::Unwrap(trace),
            (None, Some(withheld)) => TraceBody::Withheld(withheld),
            (None, None) => TraceBody::Withheld(WithheldSteps::with_iv_check(
                "the core gave no trace",
                result.iv_check,
            )),
        };
        self.show_trace(title, body);
        match result.outcome {
            Ok(Unwrapped::NewKey { handle, kcv }) => {
                let kcv = encoding::encode_hex(&kcv);
                self.set_status(
                    format!("Key unwrapped into the HSM: handle {handle}, KCV {kcv}."),
                    true,
                );
                self.set_unwrap_result(Ok(UnwrapOutput::NewKey { handle, kcv }));
                self.created(handle);
            }
            Ok(Unwrapped::Bytes(bytes)) => {
                self.set_status(
                    format!("Unwrapped {} bytes into this page.", bytes.len()),
                    true,
                );
                self.set_unwrap_result(Ok(UnwrapOutput::Bytes {
                    hex: Zeroizing::new(encoding::encode_hex(bytes.expose_secret())),
                    base64: Zeroizing::new(encoding::encode_base64(bytes.expose_secret())),
                    len: bytes.len(),
                }));
            }
            Err(e) => self.set_unwrap_result(Err(OpError::from_console(&e))),
        }
    }

    /// Whether a job runs; then a second one may not start (the buttons
    /// say so too).
    fn job_running(&mut self) -> bool {
        if self.workbench.job.is_none() {
            return false;
        }
        self.set_status(
            "A large wrap or unwrap is running: wait for it or cancel it first.".to_owned(),
            false,
        );
        true
    }

    /// Hands a large job to the workbench, which runs a slice per frame.
    fn start_job(&mut self, job: WorkbenchJob, title: String) {
        let (wrap, total) = match job.progress() {
            Progress::Running { total, .. } => (job.is_wrap(), total),
            Progress::Done => (job.is_wrap(), 0),
        };
        let id = self.fresh_id();
        let wb = Rc::make_mut(&mut self.workbench);
        wb.job_note = None;
        wb.job = Some(RunningJob {
            id,
            wrap,
            done: 0,
            total,
            title,
            job: Rc::new(RefCell::new(Some(job))),
        });
    }

    /// Slices of the running job for one frame; once every step has run, the next
    /// call finishes it (in a frame of its own) as the one-shot call would.
    fn job_step(&mut self, id: u64) {
        let Some(running) = self.workbench.job.clone() else {
            return;
        };
        if running.id != id {
            return;
        }
        let Ok(mut cell) = running.job.try_borrow_mut() else {
            return;
        };
        let Some(job) = cell.as_mut() else {
            return;
        };
        if let Progress::Running { .. } = job.progress() {
            // Slices until this frame's budget is spent: one slice a frame
            // would leave the tab idle between frames (1 MiB took 0.94 s
            // instead of about 0.2 s of work).
            let started = now_ms();
            let (done, total) = loop {
                match job.run(PAGE_SLICE_STEPS) {
                    Progress::Running { done, total } => {
                        if frame_budget_spent(started) {
                            break (done, total);
                        }
                    }
                    Progress::Done => break (running.total, running.total),
                }
            };
            drop(cell);
            if let Some(j) = Rc::make_mut(&mut self.workbench).job.as_mut() {
                j.done = done;
                j.total = total;
            }
            return;
        }
        let job = cell.take();
        drop(cell);
        Rc::make_mut(&mut self.workbench).job = None;
        if let Some(job) = job {
            self.finish_job(job, running.title, false);
        }
    }

    /// Runs what is left of a job (all of a small one) and finishes it: the
    /// one way a workbench wrap or unwrap ends.
    fn finish_job(&mut self, mut job: WorkbenchJob, title: String, live: bool) {
        job.run(usize::MAX);
        let Ok(mut session) = self.session.try_borrow_mut() else {
            return;
        };
        let result = session.finish_workbench_job(job);
        drop(session);
        match result {
            JobResult::Wrapped(result) => self.wrap_done(result, title, live),
            JobResult::Unwrapped(result) => self.unwrap_done(*result, title),
        }
    }

    /// Drops the running job (its buffers are wiped): the HSM never saw it.
    fn cancel_job(&mut self) {
        let wb = Rc::make_mut(&mut self.workbench);
        let Some(running) = wb.job.take() else {
            return;
        };
        if let Ok(mut cell) = running.job.try_borrow_mut() {
            cell.take();
        }
        let what = if running.wrap { "Wrap" } else { "Unwrap" };
        let text = format!(
            "{what} cancelled at {}%: nothing changed (no key, file or audit entry).",
            running.percent()
        );
        wb.job_note = Some((running.wrap, text.clone()));
        self.set_status(text, true);
    }

    fn unwrap_file_read(&mut self, name: &str, bytes: &[u8]) {
        let shown: String = name.chars().take(64).collect();
        let wb = Rc::make_mut(&mut self.workbench);
        if bytes.len() > MAX_FILE_SIZE {
            wb.form.upload_note = Some(format!(
                "\"{shown}\" is {} bytes; the page reads files of at most {MAX_FILE_SIZE} bytes.",
                bytes.len()
            ));
            return;
        }
        if let Ok(file) = WrappedKeyFile::parse(bytes) {
            wb.set_field(WorkbenchField::Wrapped(encoding::encode_hex(&file.wrapped)));
            let form = &mut wb.form;
            form.mechanism = file.mechanism;
            form.label = file.attributes.label.clone();
            form.key_type = file.attributes.key_type;
            form.sensitive = file.attributes.sensitive;
            form.extractable = file.attributes.extractable;
            form.token = file.attributes.token;
            form.upload_note = Some(format!(
                "\"{shown}\" carries a key_mgmt_util header: -m {} ({}), {} key of {} bytes, \
                 label \"{}\", KCV {}. The form now holds the bare wrapped key ({} bytes) and \
                 the header's attributes.",
                file.mechanism.kmu_number(),
                file.mechanism.names().title,
                file.attributes.key_type.name(),
                file.attributes.value_len,
                file.attributes.label,
                encoding::encode_hex(&file.attributes.kcv),
                file.wrapped.len()
            ));
            return;
        }
        let as_text = std::str::from_utf8(bytes)
            .ok()
            .filter(|t| !t.trim().is_empty())
            .and_then(|t| decode_pasted(t, "file").ok().map(|(_, f)| (t, f)));
        match as_text {
            Some((text, format)) => {
                wb.set_field(WorkbenchField::Wrapped(text.trim().to_owned()));
                wb.form.upload_note = Some(format!("Read \"{shown}\" as {format} text."));
            }
            None => {
                wb.set_field(WorkbenchField::Wrapped(encoding::encode_hex(bytes)));
                wb.form.upload_note = Some(format!(
                    "Read \"{shown}\": {} bytes, without a header (a bare blob, as with -noheader).",
                    bytes.len()
                ));
            }
        }
    }
}

fn describe(key: WorkbenchKey<'_>, role: &str) -> String {
    match key {
        WorkbenchKey::Handle(h) => format!("key {h}"),
        WorkbenchKey::Pasted(bytes) => format!("a pasted {}-byte {role}", bytes.len()),
    }
}

fn iv_words(mechanism: Mechanism, iv: Option<&Iv>) -> String {
    match (mechanism, iv) {
        (Mechanism::Kwp, _) => "A65959A6 ‖ length".to_owned(),
        (_, Some(iv)) => format!("{iv}, custom"),
        (_, None) => format!("{}, default", Iv::DEFAULT),
    }
}

#[cfg(test)]
mod tests;
