//! The app's one state and the actions that change it (Yew's reducer pattern).
//!
//! Components receive slices of [`AppState`] and dispatch [`Action`]s; only
//! [`AppState::reduce`] changes state. The virtual HSM is the core's
//! [`Session`], which is not `Clone`: the state keeps it in an
//! `Rc<RefCell<_>>` and bumps [`AppState::revision`] whenever it changes, so
//! that Yew sees a new state. Side effects on the browser (downloads,
//! clipboard, observers, focus) live in the components' hooks and callbacks,
//! never here. Nothing here does crypto: every wrap, unwrap, check value,
//! encoding and policy decision is the core's.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use keywrap_core::access::{Actor, TenancyMode};
use keywrap_core::console::header::WrappedKeyFile;
use keywrap_core::console::{
    ConsoleError, HandleSpan, MAX_FILE_SIZE, OperationSteps, Session, UnwrapInto, UnwrapRequest,
    Unwrapped, WithheldSteps, WorkbenchKey, WrapRequest, lexer,
};
use keywrap_core::encoding::{self, Format};
use keywrap_core::selftest::{SelfTest, self_test};
use keywrap_core::store::{KeyHandle, KeyType};
use keywrap_core::{Iv, Mechanism, UnwrapTrace, WrapTrace};
use yew::Reducible;
use zeroize::Zeroizing;

/// How many transcript entries the terminal keeps.
pub const MAX_TRANSCRIPT: usize = 300;
/// How many commands ↑ can recall.
pub const MAX_HISTORY: usize = 200;
/// How many handle notices the page keeps.
pub const MAX_NOTICES: usize = 8;
/// The file name the workbench downloads to by default.
pub const DEFAULT_FILE_NAME: &str = "mykey.key";

/// One command of the console transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptEntry {
    /// Unique within the page, for Yew's keys.
    pub id: u64,
    /// The command as typed (a password after `-p` is masked).
    pub command: String,
    /// What the console printed for it.
    pub output: String,
    /// Where handles appear in `output`, to render them as links.
    pub spans: Vec<HandleSpan>,
    /// Whether the command succeeded.
    pub success: bool,
}

/// Which key a workbench field names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyChoice {
    /// Nothing chosen yet.
    None,
    /// A key in the virtual HSM.
    Handle(KeyHandle),
    /// Bytes pasted into the page.
    Pasted,
}

/// The workbench's form, as the user filled it.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkbenchForm {
    /// The key to wrap.
    pub target: KeyChoice,
    /// Pasted key bytes (hex or base64), when `target` is `Pasted`.
    pub pasted_key: String,
    /// The wrapping (and unwrapping) key.
    pub kek: KeyChoice,
    /// A pasted KEK (hex or base64), when `kek` is `Pasted`.
    pub pasted_kek: String,
    /// KW, KWP or KW-PKCS#5.
    pub mechanism: Mechanism,
    /// The IV as typed (hex).
    pub iv: String,
    /// How the wrapped key is shown: hex or base64.
    pub out_format: Format,
    /// The file name for downloads and the in-page file.
    pub file_name: String,
    /// Whether a wrap also writes the blob to the page's files.
    pub save_to_files: bool,
    /// The wrapped key to unwrap (hex or base64).
    pub wrapped: String,
    /// Unwrap into a new HSM key (true) or show the bytes in the page.
    pub into_new_key: bool,
    /// The new key's label.
    pub label: String,
    /// The new key's type.
    pub key_type: KeyType,
    /// The new key's `OBJ_ATTR_SENSITIVE`.
    pub sensitive: bool,
    /// The new key's `OBJ_ATTR_EXTRACTABLE`.
    pub extractable: bool,
    /// The new key's `OBJ_ATTR_TOKEN`.
    pub token: bool,
    /// What the last upload into the unwrap form found.
    pub upload_note: Option<String>,
}

impl Default for WorkbenchForm {
    fn default() -> Self {
        Self {
            target: KeyChoice::None,
            pasted_key: String::new(),
            kek: KeyChoice::None,
            pasted_kek: String::new(),
            mechanism: Mechanism::Kw,
            iv: Iv::DEFAULT.to_string(),
            out_format: Format::Hex,
            file_name: DEFAULT_FILE_NAME.to_owned(),
            save_to_files: false,
            wrapped: String::new(),
            into_new_key: true,
            label: "unwrapped".to_owned(),
            key_type: KeyType::Aes,
            // Off by default so that the step viewer may show the unwrap;
            // the form says that KMU's own default is on.
            sensitive: false,
            extractable: true,
            token: true,
            upload_note: None,
        }
    }
}

/// One field of the workbench form.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkbenchField {
    /// The key to wrap.
    Target(KeyChoice),
    /// Pasted key bytes.
    PastedKey(String),
    /// The wrapping key.
    Kek(KeyChoice),
    /// A pasted KEK.
    PastedKek(String),
    /// The mechanism.
    Mechanism(Mechanism),
    /// The IV text.
    Iv(String),
    /// Hex or base64 output.
    OutFormat(Format),
    /// The file name.
    FileName(String),
    /// Also write the wrapped key to the page's files.
    SaveToFiles(bool),
    /// The wrapped key to unwrap.
    Wrapped(String),
    /// Unwrap into a new key (true) or into the page.
    IntoNewKey(bool),
    /// The new key's label.
    Label(String),
    /// The new key's type.
    KeyType(KeyType),
    /// The new key's SENSITIVE flag.
    Sensitive(bool),
    /// The new key's EXTRACTABLE flag.
    Extractable(bool),
    /// The new key's TOKEN flag.
    Token(bool),
}

/// Why an operation did not happen: the KMU return code (when the core
/// refused) and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpError {
    /// `0x94 : HSM Error: Key is not extractable`, when the core refused.
    pub code: Option<String>,
    /// What was wrong.
    pub message: String,
}

impl OpError {
    fn input(message: impl Into<String>) -> Self {
        Self {
            code: None,
            message: message.into(),
        }
    }

    fn from_console(e: &ConsoleError) -> Self {
        Self {
            code: Some(e.return_code().to_string()),
            message: e.to_string(),
        }
    }
}

/// A workbench wrap that succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrapOutput {
    /// The wrapped key (ciphertext: not secret without the KEK).
    pub wrapped: Rc<Vec<u8>>,
    /// It in hex.
    pub hex: String,
    /// It in base64.
    pub base64: String,
    /// What was wrapped under what, in words.
    pub summary: String,
    /// The in-page file written, if any.
    pub file: Option<String>,
}

/// A workbench unwrap that succeeded.
#[derive(Clone, PartialEq, Eq)]
pub enum UnwrapOutput {
    /// A new key in the HSM.
    NewKey {
        /// Its handle.
        handle: KeyHandle,
        /// Its KCV, six hex digits.
        kcv: String,
    },
    /// The key bytes, shown in the page (the user asked for them).
    Bytes {
        /// Hex.
        hex: Zeroizing<String>,
        /// Base64.
        base64: Zeroizing<String>,
        /// Length in bytes.
        len: usize,
    },
}

impl fmt::Debug for UnwrapOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NewKey { handle, kcv } => write!(f, "NewKey({handle}, {kcv})"),
            Self::Bytes { len, .. } => write!(f, "Bytes([REDACTED; {len}])"),
        }
    }
}

/// What the step viewer shows.
pub enum TraceBody {
    /// Every step of W.
    Wrap(WrapTrace),
    /// Every step of W⁻¹ and the checks.
    Unwrap(UnwrapTrace),
    /// The core withheld the steps: why, and for an unwrap its IV check.
    Withheld(WithheldSteps),
}

impl TraceBody {
    /// The step viewer's body for what the core gave (a typed command's steps).
    fn of(steps: OperationSteps) -> Self {
        match steps {
            OperationSteps::Wrap(t) => Self::Wrap(t),
            OperationSteps::Unwrap(t) => Self::Unwrap(t),
            OperationSteps::Withheld(w) => Self::Withheld(w),
        }
    }

    /// Withheld for `reason`, with nothing else to show.
    fn withheld(reason: String) -> Self {
        Self::Withheld(WithheldSteps {
            reason,
            iv_check: None,
        })
    }
}

/// The trace of the last wrap or unwrap, from the workbench or typed.
pub struct TraceRecord {
    /// Unique within the page (traces compare by it).
    pub id: u64,
    /// What ran, in words: `Wrap of key 7 under key 6 (AES-KW)`, or the
    /// command as typed and the KMU function that ran W or W⁻¹.
    pub title: String,
    /// The trace, or why there is none.
    pub body: TraceBody,
}

impl TraceRecord {
    /// How many steps the viewer can advance through (W's 6n steps, or 1
    /// for KWP's single AES block; 0 when withheld).
    pub fn step_count(&self) -> usize {
        let rounds = match &self.body {
            TraceBody::Wrap(t) => &t.rounds,
            TraceBody::Unwrap(t) => &t.rounds,
            TraceBody::Withheld(_) => return 0,
        };
        match rounds {
            keywrap_core::wrap::trace::Rounds::W(steps) => steps.len(),
            keywrap_core::wrap::trace::Rounds::SingleBlock { .. } => 1,
        }
    }
}

impl PartialEq for TraceRecord {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl fmt::Debug for TraceRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TraceRecord({}, {:?})", self.id, self.title)
    }
}

/// Moves in the step viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceMove {
    /// One step on (stops playing at the end).
    Next,
    /// One step back.
    Back,
    /// Back to the initial registers.
    Reset,
    /// To the end.
    End,
}

/// A key's value, revealed on request until focus leaves it.
#[derive(Clone, PartialEq, Eq)]
pub struct Revealed {
    /// The key.
    pub handle: KeyHandle,
    /// Its value in hex, wiped when dropped.
    pub hex: Zeroizing<String>,
}

impl fmt::Debug for Revealed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Revealed({}, [REDACTED])", self.handle)
    }
}

/// A remark about handles that the page points out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Unique within the page.
    pub id: u64,
    /// The remark.
    pub text: String,
}

/// A column of the key table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    /// By handle.
    Handle,
    /// By label.
    Label,
    /// By key type.
    Type,
    /// By size.
    Size,
    /// By KCV.
    Kcv,
    /// By owner.
    Owner,
}

impl SortColumn {
    /// Every sortable column, in table order.
    pub const ALL: [SortColumn; 6] = [
        Self::Handle,
        Self::Label,
        Self::Type,
        Self::Size,
        Self::Kcv,
        Self::Owner,
    ];

    /// The column header.
    pub const fn title(self) -> &'static str {
        match self {
            Self::Handle => "Handle",
            Self::Label => "Label",
            Self::Type => "Type",
            Self::Size => "Size",
            Self::Kcv => "KCV",
            Self::Owner => "Owner",
        }
    }
}

/// What the page's network observer counted since boot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NetworkCount {
    /// Resource requests the browser made (PerformanceObserver).
    pub requests: u32,
    /// Attempts the Content-Security-Policy blocked.
    pub blocked: u32,
    /// Whether the observer is running.
    pub observing: bool,
}

/// A short message about something the page did for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    /// Unique within the page.
    pub id: u64,
    /// The message.
    pub text: String,
    /// Whether it reports success.
    pub ok: bool,
}

/// Everything the page shows.
#[derive(Clone)]
pub struct AppState {
    /// The virtual HSM with its console, files, audit log and tenancy mode.
    pub session: Rc<RefCell<Session>>,
    /// Bumped whenever the session changes.
    pub revision: u64,
    /// Commands run so far and their output, oldest first.
    pub transcript: Vec<Rc<TranscriptEntry>>,
    /// The console's input line.
    pub command_input: String,
    /// Commands typed, oldest first (for ↑ / ↓). Shared strings, so that
    /// copying the state on each keystroke copies pointers, not every line.
    pub history: Vec<Rc<str>>,
    /// Where ↑ / ↓ are in the history.
    pub history_cursor: Option<usize>,
    /// The line being typed before ↑ was pressed.
    pub history_draft: String,
    /// The candidates of the last Tab, when there were several.
    pub completions: Vec<String>,
    /// The key the matrix and the tables point at.
    pub selected: Option<KeyHandle>,
    /// Whose eyes the key table and files are drawn with.
    pub view_as: Actor,
    /// Key table sort column and direction (true: ascending).
    pub sort: (SortColumn, bool),
    /// Key table label filter.
    pub filter: String,
    /// A revealed key value.
    pub revealed: Option<Revealed>,
    /// Why the last reveal was refused.
    pub reveal_error: Option<(KeyHandle, String)>,
    /// The workbench's form.
    pub workbench: WorkbenchForm,
    /// The last workbench wrap.
    pub wrap_result: Option<Result<WrapOutput, OpError>>,
    /// The last workbench unwrap.
    pub unwrap_result: Option<Result<UnwrapOutput, OpError>>,
    /// The trace of the last wrap or unwrap (workbench or typed command).
    pub trace: Option<Rc<TraceRecord>>,
    /// Steps of the trace shown as done (0: the initial registers).
    pub trace_pos: usize,
    /// Whether the step viewer is playing.
    pub trace_playing: bool,
    /// Remarks about handles, newest first.
    pub notices: Vec<Rc<Notice>>,
    /// Whether the first-handle remark was made.
    pub handles_explained: bool,
    /// Why the last file upload or delete failed.
    pub file_error: Option<String>,
    /// Network requests and blocked attempts since boot.
    pub network: NetworkCount,
    /// The last message about a copy, download or upload.
    pub status: Option<StatusLine>,
    /// The core's known-answer self-test, run once when the page starts.
    pub self_test: SelfTest,
    next_id: u64,
}

impl fmt::Debug for AppState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppState")
            .field("revision", &self.revision)
            .field("transcript", &self.transcript.len())
            .field("selected", &self.selected)
            .finish_non_exhaustive()
    }
}

impl PartialEq for AppState {
    /// States are equal when they are the same session at the same revision
    /// and every other field matches.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.session, &other.session)
            && self.revision == other.revision
            && self.next_id == other.next_id
            && self.transcript == other.transcript
            && self.command_input == other.command_input
            && self.selected == other.selected
            && self.view_as == other.view_as
            && self.sort == other.sort
            && self.filter == other.filter
            && self.revealed == other.revealed
            && self.workbench == other.workbench
            && self.trace == other.trace
            && self.trace_pos == other.trace_pos
            && self.trace_playing == other.trace_playing
            && self.network == other.network
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::with_session(Session::new())
    }
}

/// What the user (or the page, for observers) can do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Run a console line.
    Run(String),
    /// The console's input changed.
    SetCommandInput(String),
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
    /// A workbench field changed.
    Workbench(WorkbenchField),
    /// Wrap with the workbench.
    Wrap,
    /// Unwrap with the workbench.
    Unwrap,
    /// Put the last wrapped key into the unwrap field.
    UseWrappedAsInput,
    /// Put the default IV back.
    ResetIv,
    /// A file was read for the unwrap form.
    UnwrapFileRead {
        /// The file's name.
        name: String,
        /// Its bytes.
        bytes: Vec<u8>,
    },
    /// Move in the step viewer.
    Trace(TraceMove),
    /// Play or pause the step viewer.
    TracePlay(bool),
    /// X-ray of the HSM on or off (the step viewer's switch; the core's
    /// step rule honours it from the next wrap or unwrap on).
    SetXray(bool),
    /// A file was uploaded into the page's files.
    UploadFile {
        /// The file's name.
        name: String,
        /// Its bytes.
        bytes: Vec<u8>,
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
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

/// Decodes pasted text as hex, or else as base64 (the core's decoders).
/// Returns the bytes and the format they were read in.
pub fn decode_pasted(text: &str, what: &str) -> Result<(Zeroizing<Vec<u8>>, Format), String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(format!("{what} is empty: paste it as hex or base64"));
    }
    match encoding::decode(trimmed, Format::Hex) {
        Ok(bytes) => Ok((bytes, Format::Hex)),
        Err(hex_error) => match encoding::decode(trimmed, Format::Base64) {
            Ok(bytes) => Ok((bytes, Format::Base64)),
            Err(base64_error) => Err(format!(
                "{what} is neither hex nor base64. As hex: {hex_error}. As base64: {base64_error}."
            )),
        },
    }
}

/// The IV the form asks for: `None` for the default (and always for KWP,
/// whose initial value is fixed), or the error in the field.
pub fn form_iv(form: &WorkbenchForm) -> Result<Option<Iv>, String> {
    if !form.mechanism.takes_custom_iv() {
        return Ok(None);
    }
    let text = form.iv.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let iv = Iv::parse_hex(text).map_err(|e| format!("IV: {e}"))?;
    Ok(if iv.is_default() { None } else { Some(iv) })
}

/// Masks the word after `-p` (a password) in a console line.
pub fn mask_password(line: &str) -> String {
    let Ok(words) = lexer::split_words(line) else {
        return line.to_owned();
    };
    let Some(at) = words.iter().position(|w| w == "-p") else {
        return line.to_owned();
    };
    let Some(password) = words.get(at + 1).filter(|p| !p.is_empty()) else {
        return line.to_owned();
    };
    let Some(flag) = line.find("-p") else {
        return line.to_owned();
    };
    let after = flag + 2;
    match line
        .get(after..)
        .and_then(|rest| rest.find(password.as_str()))
    {
        Some(offset) => {
            let start = after + offset;
            let end = start + password.len();
            let mut masked = String::with_capacity(line.len());
            masked.push_str(line.get(..start).unwrap_or_default());
            masked.push_str("********");
            masked.push_str(line.get(end..).unwrap_or_default());
            masked
        }
        None => line.to_owned(),
    }
}

impl AppState {
    /// A state around a given session (tests use a seeded one).
    pub fn with_session(session: Session) -> Self {
        Self {
            session: Rc::new(RefCell::new(session)),
            revision: 0,
            transcript: Vec::new(),
            command_input: String::new(),
            history: Vec::new(),
            history_cursor: None,
            history_draft: String::new(),
            completions: Vec::new(),
            selected: None,
            view_as: Actor::You,
            sort: (SortColumn::Handle, true),
            filter: String::new(),
            revealed: None,
            reveal_error: None,
            workbench: WorkbenchForm::default(),
            wrap_result: None,
            unwrap_result: None,
            trace: None,
            trace_pos: 0,
            trace_playing: false,
            notices: Vec::new(),
            handles_explained: false,
            file_error: None,
            network: NetworkCount::default(),
            status: None,
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
        self.notices.insert(0, Rc::new(Notice { id, text }));
        self.notices.truncate(MAX_NOTICES);
    }

    fn set_status(&mut self, text: String, ok: bool) {
        let id = self.fresh_id();
        self.status = Some(StatusLine { id, text, ok });
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::Run(line) => self.run(&line),
            Action::SetCommandInput(text) => {
                self.command_input = text;
                self.history_cursor = None;
                self.completions.clear();
            }
            Action::HistoryPrev => self.history_prev(),
            Action::HistoryNext => self.history_next(),
            Action::Complete => self.complete(),
            Action::ClearTranscript => {
                self.transcript.clear();
                self.completions.clear();
            }
            Action::SelectKey(handle) => self.selected = Some(handle),
            Action::SetTenancy(mode) => {
                if let Ok(mut session) = self.session.try_borrow_mut() {
                    session.set_tenancy(mode);
                }
                self.revision += 1;
            }
            Action::SetViewAs(actor) => {
                self.view_as = actor;
                self.revealed = None;
            }
            Action::Sort(column) => {
                self.sort = if self.sort.0 == column {
                    (column, !self.sort.1)
                } else {
                    (column, true)
                };
            }
            Action::SetFilter(text) => self.filter = text,
            Action::Reveal(handle) => self.reveal(handle),
            Action::HideReveal(handle) => {
                if self.revealed.as_ref().is_some_and(|r| r.handle == handle) {
                    self.revealed = None;
                }
            }
            Action::Workbench(field) => self.set_field(field),
            Action::Wrap => self.wrap(),
            Action::Unwrap => self.unwrap(),
            Action::UseWrappedAsInput => {
                if let Some(Ok(out)) = &self.wrap_result {
                    self.workbench.wrapped = out.hex.clone();
                    self.workbench.upload_note = None;
                }
            }
            Action::ResetIv => self.workbench.iv = Iv::DEFAULT.to_string(),
            Action::UnwrapFileRead { name, bytes } => self.unwrap_file_read(&name, &bytes),
            Action::Trace(step) => self.trace_move(step),
            Action::TracePlay(play) => {
                let total = self.trace.as_ref().map_or(0, |t| t.step_count());
                if play && self.trace_pos >= total {
                    self.trace_pos = 0;
                }
                self.trace_playing = play && total > 0;
            }
            Action::SetXray(on) => {
                if let Ok(mut session) = self.session.try_borrow_mut() {
                    session.set_xray(on);
                }
                self.revision += 1;
            }
            Action::UploadFile { name, bytes } => {
                let result = match self.session.try_borrow_mut() {
                    Ok(mut session) => session.upload_file(&name, bytes),
                    Err(_) => Ok(()),
                };
                self.revision += 1;
                match result {
                    Ok(()) => {
                        self.file_error = None;
                        self.set_status(
                            format!("Uploaded \"{name}\" into the page's files."),
                            true,
                        );
                    }
                    Err(e) => {
                        self.file_error = Some(format!("Upload refused: {e}"));
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
                self.file_error = if existed {
                    None
                } else {
                    Some(format!("No file named \"{name}\" to delete."))
                };
            }
            Action::Network(count) => self.network = count,
            Action::Status { text, ok } => self.set_status(text, ok),
        }
    }

    fn run(&mut self, line: &str) {
        let shown = mask_password(line);
        let Ok(mut session) = self.session.try_borrow_mut() else {
            return;
        };
        let outcome = session.run(line);
        drop(session);
        self.revision += 1;
        let mut output = outcome.output;
        if outcome.exit {
            output.push_str(
                "\nThis page has no exit: close the tab to end the session. Nothing is kept.\n",
            );
        }
        let id = self.fresh_id();
        let shown_command = shown.clone();
        self.transcript.push(Rc::new(TranscriptEntry {
            id,
            command: shown.clone(),
            output,
            spans: outcome.handle_spans,
            success: outcome.return_code.is_success(),
        }));
        if self.transcript.len() > MAX_TRANSCRIPT {
            let excess = self.transcript.len() - MAX_TRANSCRIPT;
            self.transcript.drain(..excess);
        }
        if !shown.trim().is_empty() && self.history.last().map(|l| &**l) != Some(shown.as_str()) {
            self.history.push(Rc::from(shown));
            if self.history.len() > MAX_HISTORY {
                self.history.remove(0);
            }
        }
        self.command_input.clear();
        self.history_cursor = None;
        self.completions.clear();
        for handle in &outcome.effects.created {
            self.created(*handle);
        }
        for handle in &outcome.effects.deleted {
            self.deleted(*handle);
        }
        if outcome.effects.login_changed {
            self.revealed = None;
        }
        // A typed wrap or unwrap becomes the step viewer's last operation,
        // exactly as a workbench one does.
        if let Some(steps) = outcome.steps {
            let title = format!("Typed: {shown_command} ({})", steps.function);
            self.new_trace(title, TraceBody::of(steps.steps));
        }
    }

    /// Points out what a new handle means, and a KCV it shares with another key.
    fn created(&mut self, handle: KeyHandle) {
        self.selected = Some(handle);
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
        if !self.handles_explained {
            self.handles_explained = true;
            self.notice(format!(
                "Handle {handle} names this key inside this HSM only: another HSM, or this \
                 page after a reload, numbers its keys its own way (the next key here gets \
                 {next}). Scripts should find keys by label or KCV, not by handle."
            ));
        }
    }

    fn deleted(&mut self, handle: KeyHandle) {
        if self.selected == Some(handle) {
            self.selected = None;
        }
        if self.revealed.as_ref().is_some_and(|r| r.handle == handle) {
            self.revealed = None;
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

    fn history_prev(&mut self) {
        if self.history.is_empty() {
            return;
        }
        let at = match self.history_cursor {
            None => {
                self.history_draft = self.command_input.clone();
                self.history.len() - 1
            }
            Some(i) => i.saturating_sub(1),
        };
        self.history_cursor = Some(at);
        if let Some(line) = self.history.get(at) {
            self.command_input = line.to_string();
        }
        self.completions.clear();
    }

    fn history_next(&mut self) {
        let Some(at) = self.history_cursor else {
            return;
        };
        if at + 1 < self.history.len() {
            self.history_cursor = Some(at + 1);
            if let Some(line) = self.history.get(at + 1) {
                self.command_input = line.to_string();
            }
        } else {
            self.history_cursor = None;
            self.command_input = std::mem::take(&mut self.history_draft);
        }
        self.completions.clear();
    }

    fn complete(&mut self) {
        let candidates = match self.session.try_borrow() {
            Ok(session) => session.complete(&self.command_input),
            Err(_) => return,
        };
        let line = &self.command_input;
        let stem_end = if line.ends_with(char::is_whitespace) || line.is_empty() {
            line.len()
        } else {
            line.rfind(char::is_whitespace).map_or(0, |i| i + 1)
        };
        let stem = line.get(..stem_end).unwrap_or_default().to_owned();
        let partial = line.get(stem_end..).unwrap_or_default().to_owned();
        match candidates.as_slice() {
            [] => self.completions.clear(),
            [only] => {
                self.command_input = format!("{stem}{only} ");
                self.completions.clear();
            }
            many => {
                let prefix = common_prefix(many);
                if prefix.len() > partial.len() {
                    self.command_input = format!("{stem}{prefix}");
                }
                self.completions = many.to_vec();
            }
        }
        self.history_cursor = None;
    }

    fn reveal(&mut self, handle: KeyHandle) {
        let Ok(mut session) = self.session.try_borrow_mut() else {
            return;
        };
        let result = session.reveal_key(handle, Actor::You);
        drop(session);
        self.revision += 1;
        match result {
            Ok(key) => {
                self.revealed = Some(Revealed {
                    handle,
                    hex: Zeroizing::new(encoding::encode_hex(key.value.expose_secret())),
                });
                self.reveal_error = None;
            }
            Err(e) => {
                self.revealed = None;
                self.reveal_error = Some((handle, format!("{} — {e}", e.return_code())));
            }
        }
    }

    fn set_field(&mut self, field: WorkbenchField) {
        let form = &mut self.workbench;
        match field {
            WorkbenchField::Target(v) => form.target = v,
            WorkbenchField::PastedKey(v) => form.pasted_key = v,
            WorkbenchField::Kek(v) => form.kek = v,
            WorkbenchField::PastedKek(v) => form.pasted_kek = v,
            WorkbenchField::Mechanism(v) => form.mechanism = v,
            WorkbenchField::Iv(v) => form.iv = v,
            WorkbenchField::OutFormat(v) => form.out_format = v,
            WorkbenchField::FileName(v) => form.file_name = v,
            WorkbenchField::SaveToFiles(v) => form.save_to_files = v,
            WorkbenchField::Wrapped(v) => {
                form.wrapped = v;
                form.upload_note = None;
            }
            WorkbenchField::IntoNewKey(v) => form.into_new_key = v,
            WorkbenchField::Label(v) => form.label = v,
            WorkbenchField::KeyType(v) => form.key_type = v,
            WorkbenchField::Sensitive(v) => form.sensitive = v,
            WorkbenchField::Extractable(v) => form.extractable = v,
            WorkbenchField::Token(v) => form.token = v,
        }
    }

    fn new_trace(&mut self, title: String, body: TraceBody) {
        let id = self.fresh_id();
        self.trace = Some(Rc::new(TraceRecord { id, title, body }));
        self.trace_pos = 0;
        self.trace_playing = false;
    }

    fn wrap(&mut self) {
        let form = self.workbench.clone();
        let pasted_key = match form.target {
            KeyChoice::Pasted => match decode_pasted(&form.pasted_key, "The key to wrap") {
                Ok((bytes, _)) => Some(bytes),
                Err(e) => return self.wrap_result = Some(Err(OpError::input(e))),
            },
            KeyChoice::Handle(_) => None,
            KeyChoice::None => {
                self.wrap_result = Some(Err(OpError::input(
                    "Choose the key to wrap, or paste its bytes.",
                )));
                return;
            }
        };
        let pasted_kek = match form.kek {
            KeyChoice::Pasted => match decode_pasted(&form.pasted_kek, "The KEK") {
                Ok((bytes, _)) => Some(bytes),
                Err(e) => return self.wrap_result = Some(Err(OpError::input(e))),
            },
            KeyChoice::Handle(_) => None,
            KeyChoice::None => {
                self.wrap_result = Some(Err(OpError::input(
                    "Choose the wrapping key, or paste a KEK.",
                )));
                return;
            }
        };
        let iv = match form_iv(&form) {
            Ok(iv) => iv,
            Err(e) => return self.wrap_result = Some(Err(OpError::input(e))),
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
        let file_name = form.file_name.trim().to_owned();
        let request = WrapRequest {
            target,
            kek,
            mechanism: form.mechanism,
            iv,
            out_file: form.save_to_files.then_some(file_name),
        };
        let summary = format!(
            "{} of {} under {} ({}, IV {})",
            "Wrap",
            describe(target, "key"),
            describe(kek, "KEK"),
            form.mechanism.names().title,
            iv_words(form.mechanism, iv.as_ref()),
        );
        let Ok(mut session) = self.session.try_borrow_mut() else {
            return;
        };
        let result = session.workbench_wrap(&request);
        drop(session);
        self.revision += 1;
        match result {
            Ok(out) => {
                let body = match (out.trace, out.trace_withheld) {
                    (Some(trace), _) => TraceBody::Wrap(trace),
                    (None, Some(why)) => TraceBody::withheld(why),
                    (None, None) => TraceBody::withheld("the core gave no trace".to_owned()),
                };
                self.new_trace(summary.clone(), body);
                self.wrap_result = Some(Ok(WrapOutput {
                    hex: encoding::encode_hex(&out.wrapped),
                    base64: encoding::encode_base64(&out.wrapped),
                    wrapped: Rc::new(out.wrapped),
                    summary,
                    file: out.file,
                }));
            }
            Err(e) => self.wrap_result = Some(Err(OpError::from_console(&e))),
        }
    }

    fn unwrap(&mut self) {
        let form = self.workbench.clone();
        let wrapped = match decode_pasted(&form.wrapped, "The wrapped key") {
            Ok((bytes, _)) => bytes,
            Err(e) => return self.unwrap_result = Some(Err(OpError::input(e))),
        };
        let pasted_kek = match form.kek {
            KeyChoice::Pasted => match decode_pasted(&form.pasted_kek, "The KEK") {
                Ok((bytes, _)) => Some(bytes),
                Err(e) => return self.unwrap_result = Some(Err(OpError::input(e))),
            },
            KeyChoice::Handle(_) => None,
            KeyChoice::None => {
                self.unwrap_result = Some(Err(OpError::input(
                    "Choose the wrapping key that unwraps it, or paste a KEK.",
                )));
                return;
            }
        };
        let iv = match form_iv(&form) {
            Ok(iv) => iv,
            Err(e) => return self.unwrap_result = Some(Err(OpError::input(e))),
        };
        let kek = match (form.kek, &pasted_kek) {
            (KeyChoice::Handle(h), _) => WorkbenchKey::Handle(h),
            (_, Some(bytes)) => WorkbenchKey::Pasted(bytes.as_slice()),
            _ => return,
        };
        let into = if form.into_new_key {
            UnwrapInto::NewKey {
                label: form.label.clone(),
                key_type: form.key_type,
                sensitive: form.sensitive,
                extractable: form.extractable,
                token: form.token,
            }
        } else {
            UnwrapInto::Bytes
        };
        let request = UnwrapRequest {
            wrapped: wrapped.as_slice(),
            kek,
            mechanism: form.mechanism,
            iv,
            into,
        };
        let title = format!(
            "Unwrap of {} bytes under {} ({}, IV {})",
            wrapped.len(),
            describe(kek, "KEK"),
            form.mechanism.names().title,
            iv_words(form.mechanism, iv.as_ref()),
        );
        let Ok(mut session) = self.session.try_borrow_mut() else {
            return;
        };
        let result = session.workbench_unwrap(&request);
        drop(session);
        self.revision += 1;
        let body = match (result.trace, result.trace_withheld) {
            (Some(trace), _) => TraceBody::Unwrap(trace),
            (None, reason) => TraceBody::Withheld(WithheldSteps {
                reason: reason.unwrap_or_else(|| "the core gave no trace".to_owned()),
                iv_check: result.iv_check,
            }),
        };
        self.new_trace(title, body);
        match result.outcome {
            Ok(Unwrapped::NewKey { handle, kcv }) => {
                self.unwrap_result = Some(Ok(UnwrapOutput::NewKey {
                    handle,
                    kcv: encoding::encode_hex(&kcv),
                }));
                self.created(handle);
            }
            Ok(Unwrapped::Bytes(bytes)) => {
                self.unwrap_result = Some(Ok(UnwrapOutput::Bytes {
                    hex: Zeroizing::new(encoding::encode_hex(bytes.expose_secret())),
                    base64: Zeroizing::new(encoding::encode_base64(bytes.expose_secret())),
                    len: bytes.len(),
                }));
            }
            Err(e) => self.unwrap_result = Some(Err(OpError::from_console(&e))),
        }
    }

    fn unwrap_file_read(&mut self, name: &str, bytes: &[u8]) {
        let shown: String = name.chars().take(64).collect();
        if bytes.len() > MAX_FILE_SIZE {
            self.workbench.upload_note = Some(format!(
                "\"{shown}\" is {} bytes; the page reads files of at most {MAX_FILE_SIZE} bytes.",
                bytes.len()
            ));
            return;
        }
        let form = &mut self.workbench;
        if let Ok(file) = WrappedKeyFile::parse(bytes) {
            form.wrapped = encoding::encode_hex(&file.wrapped);
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
                form.wrapped = text.trim().to_owned();
                form.upload_note = Some(format!("Read \"{shown}\" as {format} text."));
            }
            None => {
                form.wrapped = encoding::encode_hex(bytes);
                form.upload_note = Some(format!(
                    "Read \"{shown}\": {} bytes, without a header (a bare blob, as with -noheader).",
                    bytes.len()
                ));
            }
        }
    }

    fn trace_move(&mut self, step: TraceMove) {
        let total = self.trace.as_ref().map_or(0, |t| t.step_count());
        match step {
            TraceMove::Next => {
                self.trace_pos = (self.trace_pos + 1).min(total);
                if self.trace_pos >= total {
                    self.trace_playing = false;
                }
            }
            TraceMove::Back => {
                self.trace_pos = self.trace_pos.saturating_sub(1);
                self.trace_playing = false;
            }
            TraceMove::Reset => {
                self.trace_pos = 0;
                self.trace_playing = false;
            }
            TraceMove::End => {
                self.trace_pos = total;
                self.trace_playing = false;
            }
        }
    }
}

/// The longest common prefix of some strings.
fn common_prefix(words: &[String]) -> String {
    let Some(first) = words.first() else {
        return String::new();
    };
    let mut end = first.len();
    for w in &words[1..] {
        end = first
            .char_indices()
            .zip(w.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(end);
    }
    first.get(..end).unwrap_or_default().to_owned()
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
mod tests {
    use super::*;

    #[test]
    fn password_is_masked_in_the_echo() {
        assert_eq!(
            mask_password("loginHSM -u CU -s alice -p hunter2"),
            "loginHSM -u CU -s alice -p ********"
        );
        assert_eq!(
            mask_password("loginHSM -u CU -s alice -p \"two words\""),
            "loginHSM -u CU -s alice -p \"********\""
        );
        assert_eq!(mask_password("genSymKey -t 31"), "genSymKey -t 31");
    }

    #[test]
    fn a_typed_wrap_or_unwrap_becomes_the_last_operation() {
        use keywrap_core::console::InsecureSeededKeys;
        let mut state = Rc::new(AppState::with_session(Session::with_key_source(Box::new(
            InsecureSeededKeys::new(1),
        ))));
        for line in [
            "genSymKey -t 31 -s 32 -l kek",
            "genSymKey -t 31 -s 32 -l payload",
        ] {
            state = state.reduce(Action::Run(line.to_owned()));
        }
        assert!(state.trace.is_none(), "genSymKey runs no W");
        state = state.reduce(Action::Run(
            "wrapKey -k 7 -w 6 -out a.key -m 5 -noheader".to_owned(),
        ));
        let Some(first) = state.trace.clone() else {
            panic!("wrapKey ran W");
        };
        assert_eq!(
            first.title,
            "Typed: wrapKey -k 7 -w 6 -out a.key -m 5 -noheader (Cfm2WrapKey)"
        );
        assert!(matches!(&first.body, TraceBody::Withheld(w) if w.iv_check.is_none()));
        // Another command leaves the last operation as it was.
        state = state.reduce(Action::Run("findKey".to_owned()));
        assert_eq!(state.trace.as_ref().map(|t| t.id), Some(first.id));
        // A failed unwrap under the wrong key: the IV check, with both values.
        state = state.reduce(Action::Run(
            "unWrapKey -f a.key -w 7 -m 5 -noheader -l x -kc 4 -kt 31".to_owned(),
        ));
        let Some(TraceBody::Withheld(w)) = state.trace.as_ref().map(|t| &t.body) else {
            panic!("the new key would be sensitive: withheld");
        };
        let Some(check) = &w.iv_check else {
            panic!("W⁻¹ ran: its IV check is given");
        };
        assert!(!check.passed);
        assert_ne!(check.recovered, *Iv::DEFAULT.as_bytes());
    }

    #[test]
    fn common_prefix_of_completions() {
        let words = vec!["getAttribute".to_owned(), "genSymKey".to_owned()];
        assert_eq!(common_prefix(&words), "ge");
        assert_eq!(common_prefix(&["-kc".to_owned()]), "-kc");
    }

    #[test]
    fn pasted_text_is_read_as_hex_then_base64() {
        let hex = decode_pasted("00 11 22", "x").map(|(b, f)| (b.to_vec(), f));
        assert_eq!(hex, Ok((vec![0, 0x11, 0x22], Format::Hex)));
        let b64 = decode_pasted("ABEi+w==", "x").map(|(b, f)| (b.to_vec(), f));
        assert_eq!(b64, Ok((vec![0, 0x11, 0x22, 0xfb], Format::Base64)));
        assert!(decode_pasted("zz!", "The KEK").is_err());
        assert!(decode_pasted("  ", "The KEK").is_err());
    }

    #[test]
    fn iv_field_default_custom_and_bad() {
        let mut form = WorkbenchForm::default();
        assert_eq!(form_iv(&form), Ok(None));
        form.iv = "0102030405060708".to_owned();
        assert!(matches!(form_iv(&form), Ok(Some(_))));
        form.iv = "0102".to_owned();
        assert!(form_iv(&form).is_err());
        form.mechanism = Mechanism::Kwp;
        assert_eq!(form_iv(&form), Ok(None));
    }
}
