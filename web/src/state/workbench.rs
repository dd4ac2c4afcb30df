//! The workbench's slice: the form as filled, what the core reads in each
//! paste field, and the last wrap and unwrap. Pasted keys and KEKs are held
//! as `Zeroizing<String>` (wiped when replaced or dropped) and are never
//! printed by `Debug`.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use keywrap_core::encoding::{self, Format};
use keywrap_core::hsm::{MAX_FILE_SIZE, WorkbenchJob};
use keywrap_core::store::{KeyHandle, KeyType};
use keywrap_core::wrap::PAGE_SLICED_ABOVE_BYTES;
use keywrap_core::{Iv, Mechanism};
use zeroize::Zeroizing;

/// The file name the workbench downloads to by default.
pub const DEFAULT_FILE_NAME: &str = "mykey.key";
/// The most bytes a paste field reads (the page's file limit).
pub const MAX_PASTE_BYTES: usize = MAX_FILE_SIZE;
/// The most characters a paste field takes: hex of [`MAX_PASTE_BYTES`] with
/// a separator after every byte. The fields' `maxlength` says the same.
pub const MAX_PASTE_CHARS: usize = 3 * MAX_PASTE_BYTES;

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

/// How hex output is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HexStyle {
    /// Upper case (`A6A6…`) rather than lower.
    pub upper: bool,
    /// Bytes per space-separated group (0: no spaces).
    pub group: usize,
}

impl HexStyle {
    /// Lower case, no grouping (what `xxd -p` and OpenSSL print).
    pub const PLAIN: Self = Self {
        upper: false,
        group: 0,
    };

    /// Writes lower-case hex in this style.
    pub fn apply(self, hex: &str) -> String {
        let cased = if self.upper {
            hex.to_ascii_uppercase()
        } else {
            hex.to_owned()
        };
        if self.group == 0 {
            return cased;
        }
        let width = self.group * 2;
        let mut out = String::with_capacity(cased.len() + cased.len() / width);
        for (i, c) in cased.chars().enumerate() {
            if i > 0 && i % width == 0 {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }
}

/// The workbench's form, as the user filled it.
#[derive(Clone, PartialEq)]
pub struct WorkbenchForm {
    /// The key to wrap.
    pub target: KeyChoice,
    /// Pasted key bytes (hex or base64), when `target` is `Pasted`.
    pub pasted_key: Zeroizing<String>,
    /// The wrapping (and unwrapping) key.
    pub kek: KeyChoice,
    /// A pasted KEK (hex or base64), when `kek` is `Pasted`.
    pub pasted_kek: Zeroizing<String>,
    /// KW, KWP or KW-PKCS#5.
    pub mechanism: Mechanism,
    /// The IV as typed (hex).
    pub iv: String,
    /// How the wrapped key is shown: hex or base64.
    pub out_format: Format,
    /// Case and grouping of hex output.
    pub hex_style: HexStyle,
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

impl fmt::Debug for WorkbenchForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WorkbenchForm")
            .field("target", &self.target)
            .field("kek", &self.kek)
            .field("mechanism", &self.mechanism)
            .finish_non_exhaustive()
    }
}

impl Default for WorkbenchForm {
    fn default() -> Self {
        Self {
            target: KeyChoice::None,
            pasted_key: Zeroizing::default(),
            kek: KeyChoice::None,
            pasted_kek: Zeroizing::default(),
            mechanism: Mechanism::Kw,
            iv: Iv::DEFAULT.to_string(),
            out_format: Format::Hex,
            hex_style: HexStyle::PLAIN,
            file_name: DEFAULT_FILE_NAME.to_owned(),
            save_to_files: false,
            wrapped: String::new(),
            into_new_key: true,
            label: "unwrapped".to_owned(),
            key_type: KeyType::Aes,
            // The HSM's one default for an unwrapped key (KMU's too).
            sensitive: keywrap_core::hsm::ops::NewKeyTemplate::new("", KeyType::Aes).sensitive,
            extractable: true,
            token: true,
            upload_note: None,
        }
    }
}

/// One field of the workbench form. `Debug` never prints pasted key text.
#[derive(Clone, PartialEq)]
pub enum WorkbenchField {
    /// The key to wrap.
    Target(KeyChoice),
    /// Pasted key bytes.
    PastedKey(Zeroizing<String>),
    /// The wrapping key.
    Kek(KeyChoice),
    /// A pasted KEK.
    PastedKek(Zeroizing<String>),
    /// The mechanism.
    Mechanism(Mechanism),
    /// The IV text.
    Iv(String),
    /// Hex or base64 output.
    OutFormat(Format),
    /// Case and grouping of hex output.
    HexStyle(HexStyle),
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

impl fmt::Debug for WorkbenchField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::PastedKey(t) => write!(f, "PastedKey([REDACTED; {}])", t.len()),
            Self::PastedKek(t) => write!(f, "PastedKek([REDACTED; {}])", t.len()),
            Self::Target(c) => write!(f, "Target({c:?})"),
            Self::Kek(c) => write!(f, "Kek({c:?})"),
            Self::Mechanism(m) => write!(f, "Mechanism({m:?})"),
            Self::Iv(v) => write!(f, "Iv({v:?})"),
            Self::OutFormat(v) => write!(f, "OutFormat({v:?})"),
            Self::HexStyle(v) => write!(f, "HexStyle({v:?})"),
            Self::FileName(v) => write!(f, "FileName({v:?})"),
            Self::SaveToFiles(v) => write!(f, "SaveToFiles({v})"),
            Self::Wrapped(v) => write!(f, "Wrapped({} chars)", v.len()),
            Self::IntoNewKey(v) => write!(f, "IntoNewKey({v})"),
            Self::Label(v) => write!(f, "Label({v:?})"),
            Self::KeyType(v) => write!(f, "KeyType({v:?})"),
            Self::Sensitive(v) => write!(f, "Sensitive({v})"),
            Self::Extractable(v) => write!(f, "Extractable({v})"),
            Self::Token(v) => write!(f, "Token({v})"),
        }
    }
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
    pub(super) fn input(message: impl Into<String>) -> Self {
        Self {
            code: None,
            message: message.into(),
        }
    }

    pub(super) fn from_console(e: &keywrap_core::hsm::HsmError) -> Self {
        Self {
            code: Some(keywrap_core::kmu::ReturnCode::from(e).to_string()),
            message: e.to_string(),
        }
    }
}

/// A workbench wrap that succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrapOutput {
    /// Unique within the page: a new wrap, even of the same bytes, has a new id.
    pub id: u64,
    /// The wrapped key (ciphertext: not secret without the KEK).
    pub wrapped: Rc<Vec<u8>>,
    /// It in hex (lower case).
    pub hex: String,
    /// It in base64.
    pub base64: String,
    /// What was wrapped under what, in words.
    pub summary: String,
    /// The in-page file written, if any.
    pub file: Option<String>,
    /// Whether it was recomputed as you typed (both keys pasted).
    pub live: bool,
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

/// The bytes a paste field read, kept so a wrap does not decode megabytes
/// of text again (wiped when the last copy drops); compared by identity.
#[derive(Clone)]
pub struct PastedBytes(pub Rc<Zeroizing<Vec<u8>>>);

impl PartialEq for PastedBytes {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Debug for PastedBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PastedBytes([REDACTED; {}])", self.0.len())
    }
}

/// What the core reads in a paste field: `None` when empty, else a line
/// about the bytes (length and format) or why they cannot be used. Holds no
/// key bytes.
pub type PasteReading = Option<Result<String, String>>;

/// A large wrap or unwrap the workbench runs in slices (the core's
/// [`WorkbenchJob`]: [`keywrap_core::wrap::PAGE_SLICE_STEPS`] steps a frame), and what the page
/// shows of it. States compare by id and progress, not by the job.
#[derive(Clone)]
pub struct RunningJob {
    /// Unique within the page.
    pub id: u64,
    /// A wrap (else an unwrap).
    pub wrap: bool,
    /// Steps run so far.
    pub done: usize,
    /// Steps in all.
    pub total: usize,
    /// What it does, in words (the result's summary).
    pub title: String,
    /// The job; taken out when it finishes or is cancelled.
    pub(super) job: Rc<RefCell<Option<WorkbenchJob>>>,
}

impl RunningJob {
    /// How far it is, 0 to 100.
    pub fn percent(&self) -> usize {
        (self.done.saturating_mul(100) / self.total.max(1)).min(100)
    }
}

impl PartialEq for RunningJob {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.wrap == other.wrap
            && self.done == other.done
            && self.total == other.total
    }
}

impl fmt::Debug for RunningJob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RunningJob({}, {}/{})", self.id, self.done, self.total)
    }
}

/// Whether an input of `len` bytes runs as a sliced job with progress
/// (above [`PAGE_SLICED_ABOVE_BYTES`]) rather than at once.
pub fn runs_sliced(len: usize) -> bool {
    len > PAGE_SLICED_ABOVE_BYTES
}

/// The workbench's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkbenchState {
    /// The form.
    pub form: WorkbenchForm,
    /// What the pasted KEK reads as (length checked for a KEK).
    pub kek_reading: PasteReading,
    /// What the pasted key reads as.
    pub key_reading: PasteReading,
    /// The pasted key's bytes, when it reads well.
    pub key_bytes: Option<PastedBytes>,
    /// What the wrapped key field reads as.
    pub wrapped_reading: PasteReading,
    /// The last wrap.
    pub wrap_result: Option<Result<WrapOutput, OpError>>,
    /// The last unwrap.
    pub unwrap_result: Option<Result<UnwrapOutput, OpError>>,
    /// Whether the step viewer's trace is from this workbench's last operation.
    pub changed_steps: bool,
    /// The large wrap or unwrap running now, if any (one at a time).
    pub job: Option<RunningJob>,
    /// What became of the last job that did not finish: (a wrap?, words).
    pub job_note: Option<(bool, String)>,
}

/// Decodes pasted text as hex, or else as base64 (the core's decoders).
/// Returns the bytes and the format they were read in.
pub fn decode_pasted(text: &str, what: &str) -> Result<(Zeroizing<Vec<u8>>, Format), String> {
    if text.len() > MAX_PASTE_CHARS {
        return Err(format!(
            "{what} is {} characters; a paste field reads at most {MAX_PASTE_CHARS} (1 MiB of bytes)",
            text.len()
        ));
    }
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

/// The AES key lengths a KEK may have, in bytes.
pub const KEK_LENGTHS: [usize; 3] = [16, 24, 32];

/// What a paste field reads as; for a KEK, its length is checked too, so
/// that no ✔ is shown for bytes that cannot be an AES key.
pub fn read_paste(text: &str, what: &str, is_kek: bool) -> PasteReading {
    if text.trim().is_empty() {
        return None;
    }
    Some(decode_pasted(text, what).and_then(|(bytes, format)| {
        let n = bytes.len();
        if is_kek && !KEK_LENGTHS.contains(&n) {
            Err(format!(
                "{what} is {n} bytes (read as {format}); an AES KEK is 16, 24 or 32 bytes"
            ))
        } else {
            Ok(format!("{n} bytes, read as {format}"))
        }
    }))
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

impl WorkbenchState {
    /// Sets one field; says whether the pasted-only wrap should be
    /// recomputed (a field it depends on changed).
    pub(super) fn set_field(&mut self, field: WorkbenchField) -> bool {
        let form = &mut self.form;
        let mut recompute = false;
        match field {
            WorkbenchField::Target(v) => {
                form.target = v;
                recompute = true;
            }
            WorkbenchField::PastedKey(v) => {
                let decoded = (!v.trim().is_empty()).then(|| decode_pasted(&v, "The key to wrap"));
                self.key_reading = decoded.as_ref().map(|d| match d {
                    Ok((bytes, format)) => Ok(format!("{} bytes, read as {format}", bytes.len())),
                    Err(e) => Err(e.clone()),
                });
                self.key_bytes = match decoded {
                    Some(Ok((bytes, _))) => Some(PastedBytes(Rc::new(bytes))),
                    _ => None,
                };
                form.pasted_key = v;
                recompute = true;
            }
            WorkbenchField::Kek(v) => {
                form.kek = v;
                // A pasted KEK is not in the HSM: it can only unwrap into the page.
                form.into_new_key = v != KeyChoice::Pasted;
                recompute = true;
            }
            WorkbenchField::PastedKek(v) => {
                self.kek_reading = read_paste(&v, "The KEK", true);
                form.pasted_kek = v;
                recompute = true;
            }
            WorkbenchField::Mechanism(v) => {
                form.mechanism = v;
                recompute = true;
            }
            WorkbenchField::Iv(v) => {
                form.iv = v;
                recompute = true;
            }
            WorkbenchField::OutFormat(v) => form.out_format = v,
            WorkbenchField::HexStyle(v) => form.hex_style = v,
            WorkbenchField::FileName(v) => form.file_name = v,
            WorkbenchField::SaveToFiles(v) => form.save_to_files = v,
            WorkbenchField::Wrapped(v) => {
                self.wrapped_reading = read_paste(&v, "The wrapped key", false);
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
        recompute
    }

    /// Whether both keys are pasted and read well, so the wrap can be
    /// recomputed as the user types (nothing in the HSM is involved).
    pub(super) fn live_ready(&self) -> bool {
        self.form.kek == KeyChoice::Pasted
            && self.form.target == KeyChoice::Pasted
            && matches!(self.kek_reading, Some(Ok(_)))
            && matches!(self.key_reading, Some(Ok(_)))
            && form_iv(&self.form).is_ok()
    }
}
