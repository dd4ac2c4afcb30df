//! Every copy a key has outside its own object, as facts the access model
//! reads ([`crate::access::KeyFacts`]): wrapped files (with the key that
//! wrapped each and the key in this HSM that opens it), blobs printed or
//! shown, copied or downloaded from the workbench, plaintext files
//! (`exSymKey`, `aesWrapUnwrap -m 0`), plaintext shown in the page, and
//! other objects in the HSM holding the same bytes (`unWrapKey`).
//!
//! The ledger is filled by small hooks where the operations create copies
//! ([`super::ops`] plans a [`super::ops::Mutation::Copy`] next to the file
//! or key it makes; the workbench reports what the page did with its output
//! through [`super::Session::workbench_output_used`]). A copy is a fact: it
//! is recorded only when the operation that made it succeeded.
//!
//! It also spots the **key-separation attacks** of PKCS#11 (Clulow, "On
//! the Security of PKCS #11", CHES 2003): when an operation yields the
//! plaintext of a key that is sensitive or not extractable, or re-creates
//! it with looser attributes, the copy carries the path
//! ([`SeparationPath`]) and the session reports it
//! ([`SeparationReport`], in [`super::Effects::separations`]). Keys are
//! matched by KCV and length first, then by value in constant time, inside
//! the HSM: no false match from a 24-bit KCV collision.

use core::fmt;

use super::HsmState;
use super::ops::Mutation;
use crate::access::SeparationPath;
use crate::store::{KeyAttributes, KeyHandle, KeyObject, kcv_of};

/// Where a copy of a key is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CopyPlace {
    /// An in-page file (it goes when the file is deleted or overwritten).
    File(String),
    /// Printed in the console's transcript (CloudHSM CLI's
    /// `wrapped_key_data`, `aesWrapUnwrap`'s `result data:`).
    Transcript,
    /// The workbench's output: shown, copied to the clipboard or downloaded.
    Workbench(OutputUse),
    /// Another object in this HSM with the same bytes (made by an unwrap).
    HsmKey(KeyHandle),
}

impl fmt::Display for CopyPlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File(name) => write!(f, "the file {name}"),
            Self::Transcript => f.write_str("the console's transcript"),
            Self::Workbench(OutputUse::Shown) => f.write_str("the workbench's output (shown)"),
            Self::Workbench(OutputUse::Copied) => {
                f.write_str("the clipboard (copied from the workbench)")
            }
            Self::Workbench(OutputUse::Downloaded) => f.write_str("a download from the workbench"),
            Self::HsmKey(h) => write!(f, "key {h} in this HSM"),
        }
    }
}

/// What the page did with a workbench output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OutputUse {
    /// Shown on the page (every output is, once made).
    Shown,
    /// Copied to the clipboard.
    Copied,
    /// Downloaded as a file.
    Downloaded,
}

/// Which of the workbench's two outputs the page used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WorkbenchOutput {
    /// The last wrap's blob.
    Wrapped,
    /// The last unwrap's bytes ("into this page").
    Unwrapped,
}

/// What a copy holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CopyForm {
    /// Ciphertext under `wrapping`.
    Wrapped {
        /// The key that wrapped it.
        wrapping: KeyHandle,
        /// Whether a key_mgmt_util header (label, id, flags, KCV in the
        /// clear) comes before the blob.
        header: bool,
    },
    /// The key's bytes in the clear.
    Plaintext,
}

/// One copy of one key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyCopy {
    /// The key copied.
    pub key: KeyHandle,
    /// Where the copy is.
    pub place: CopyPlace,
    /// Ciphertext or plaintext.
    pub form: CopyForm,
    /// When the copy broke the key's own attributes: how.
    pub via: Option<SeparationPath>,
    /// The key that unwrapped it, when an unwrap made the copy.
    pub unwrapped_by: Option<KeyHandle>,
}

/// A key-separation attack the session saw succeed: which key, which path,
/// and the copy it made. Holds no key bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeparationReport {
    /// The protected key whose bytes (or attributes) escaped.
    pub key: KeyHandle,
    /// Its KCV, six hex digits (how the match was made).
    pub kcv: String,
    /// The path.
    pub path: SeparationPath,
    /// The key that unwrapped it.
    pub unwrapped_by: Option<KeyHandle>,
    /// Where the copy is.
    pub place: CopyPlace,
    /// What the key's attributes promised (`sensitive`, `not extractable`,
    /// `wrap with trusted only`), in words.
    pub promised: String,
}

impl SeparationReport {
    /// One plain sentence: which key, which path, where the copy is.
    pub fn headline(&self) -> String {
        let by = self
            .unwrapped_by
            .map(|k| format!(" under key {k}"))
            .unwrap_or_default();
        match self.path {
            SeparationPath::WrapThenDecrypt => format!(
                "Key {} is {}, yet its plaintext (KCV {}) is now in {}: it was wrapped, then \
                 the blob was unwrapped to plaintext{by} — via {}.",
                self.key,
                self.promised,
                self.kcv,
                self.place,
                self.path.title()
            ),
            SeparationPath::LooserTemplate | SeparationPath::TrustedWrapStripped => format!(
                "Key {} is {}, yet {} now holds the same bytes (KCV {}) without that \
                 protection: its blob was unwrapped{by} under a looser template — via {}.",
                self.key,
                self.promised,
                self.place,
                self.kcv,
                self.path.title()
            ),
        }
    }
}

/// The copies recorded in a session, oldest first.
#[derive(Debug, Default)]
pub struct CopyLedger {
    copies: Vec<KeyCopy>,
    /// The copies the workbench's last wrap output holds.
    wrap_output: Vec<KeyCopy>,
    /// The copies the workbench's last unwrap output holds.
    unwrap_output: Vec<KeyCopy>,
}

impl CopyLedger {
    /// Every copy of `key`.
    pub fn of(&self, key: KeyHandle) -> impl Iterator<Item = &KeyCopy> {
        self.copies.iter().filter(move |c| c.key == key)
    }

    /// Every copy.
    pub fn iter(&self) -> impl Iterator<Item = &KeyCopy> {
        self.copies.iter()
    }

    /// Records a copy (a copy already recorded at the same place is not
    /// counted twice).
    pub(crate) fn record(&mut self, copy: KeyCopy) {
        if !self.copies.contains(&copy) {
            self.copies.push(copy);
        }
    }

    /// A file was overwritten or deleted: the copies it held are gone.
    pub(crate) fn forget_file(&mut self, name: &str) {
        self.copies
            .retain(|c| !matches!(&c.place, CopyPlace::File(f) if f == name));
    }

    /// The workbench's output changed: `copies` are what it now shows.
    pub(crate) fn set_output(&mut self, which: WorkbenchOutput, copies: Vec<KeyCopy>) {
        for c in &copies {
            self.record(c.clone());
        }
        match which {
            WorkbenchOutput::Wrapped => self.wrap_output = copies,
            WorkbenchOutput::Unwrapped => self.unwrap_output = copies,
        }
    }

    /// The page copied or downloaded a workbench output: each key it holds
    /// has one more copy. Returns the keys concerned.
    pub(crate) fn output_used(&mut self, which: WorkbenchOutput, how: OutputUse) -> Vec<KeyHandle> {
        let shown = match which {
            WorkbenchOutput::Wrapped => self.wrap_output.clone(),
            WorkbenchOutput::Unwrapped => self.unwrap_output.clone(),
        };
        let mut keys = Vec::new();
        for c in shown {
            keys.push(c.key);
            self.record(KeyCopy {
                place: CopyPlace::Workbench(how),
                ..c
            });
        }
        keys
    }
}

/// Who can open a blob made under `wrapping`: the handle in this HSM that
/// unwraps what that key wraps, or `None` when no key here can (the
/// wrapping key is gone, or — for a public key — its private half lives
/// outside this HSM, so only its holder opens the blob and anyone else
/// holding the file sees its length).
///
/// An AES key opens what it wraps; an RSA public key's blobs open with its
/// private half when that is in this HSM ([`crate::store::Store::unwrapper_of`],
/// the one place that says which key answers for which).
pub fn opener_of(state: &HsmState, wrapping: KeyHandle) -> Option<KeyHandle> {
    state.store.unwrapper_of(wrapping)
}

/// The keys of this HSM whose value is `bytes`: KCV and length first (what
/// anyone can compare), then the value itself in constant time.
fn keys_with_value<'s>(state: &'s HsmState, bytes: &[u8]) -> Vec<&'s KeyObject> {
    let kcv = kcv_of(bytes);
    let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    state
        .store
        .iter()
        .filter(|k| k.attributes().kcv == kcv && k.attributes().value_len == len)
        .filter(|k| k.value().ct_eq_bytes(bytes))
        .collect()
}

/// What a key's attributes promise that a plaintext copy breaks, in words.
fn plaintext_promise(a: &KeyAttributes) -> Option<String> {
    match (a.sensitive, a.extractable) {
        (true, false) => Some("sensitive and not extractable".to_owned()),
        (true, true) => Some("sensitive".to_owned()),
        (false, false) => Some("not extractable".to_owned()),
        (false, true) => None,
    }
}

/// The copies plaintext `bytes` make at `place` of the keys they are: a
/// host unwrap (`aesWrapUnwrap -m 0`, the workbench's "into this page"), an
/// export (`exSymKey`), or an unwrap with a pasted KEK (`unwrapped_by`
/// `None`: a KEK that left the HSM). A key that is sensitive or not
/// extractable gets the wrap-then-decrypt path.
pub(crate) fn plaintext_copies(
    state: &HsmState,
    bytes: &[u8],
    place: &CopyPlace,
    unwrapped_by: Option<KeyHandle>,
) -> Vec<KeyCopy> {
    keys_with_value(state, bytes)
        .into_iter()
        .map(|k| KeyCopy {
            key: k.handle(),
            place: place.clone(),
            form: CopyForm::Plaintext,
            via: plaintext_promise(k.attributes()).map(|_| SeparationPath::WrapThenDecrypt),
            unwrapped_by,
        })
        .collect()
}

/// The copies a key that an unwrap is about to create (`new`, with
/// `attributes`) makes of keys already in the HSM with the same bytes. A
/// copy that dropped WRAP_WITH_TRUSTED, SENSITIVE or the refusal to be
/// extracted gets its path.
pub(crate) fn unwrapped_key_copies(
    state: &HsmState,
    value: &[u8],
    new: KeyHandle,
    attributes: &KeyAttributes,
    unwrapped_by: KeyHandle,
) -> Vec<KeyCopy> {
    keys_with_value(state, value)
        .into_iter()
        .map(|k| {
            let old = k.attributes();
            let via = if old.wrap_with_trusted && !attributes.wrap_with_trusted {
                Some(SeparationPath::TrustedWrapStripped)
            } else if (old.sensitive && !attributes.sensitive)
                || (!old.extractable && attributes.extractable)
            {
                Some(SeparationPath::LooserTemplate)
            } else {
                None
            };
            KeyCopy {
                key: k.handle(),
                place: CopyPlace::HsmKey(new),
                form: CopyForm::Plaintext,
                via,
                unwrapped_by: Some(unwrapped_by),
            }
        })
        .collect()
}

/// The plan's entries for `copies`.
pub(crate) fn mutations(copies: Vec<KeyCopy>) -> impl Iterator<Item = Mutation> {
    copies.into_iter().map(Mutation::Copy)
}

/// The report of a copy that broke its key's attributes (`None` for an
/// ordinary copy).
pub(crate) fn report(state: &HsmState, copy: &KeyCopy) -> Option<SeparationReport> {
    let path = copy.via?;
    let key = state.store.get(copy.key)?;
    let a = key.attributes();
    let promised = match path {
        SeparationPath::TrustedWrapStripped => "to be wrapped only under trusted keys".to_owned(),
        SeparationPath::WrapThenDecrypt | SeparationPath::LooserTemplate => {
            plaintext_promise(a).unwrap_or_else(|| "protected".to_owned())
        }
    };
    Some(SeparationReport {
        key: copy.key,
        kcv: a.kcv_hex(),
        path,
        unwrapped_by: copy.unwrapped_by,
        place: copy.place.clone(),
        promised,
    })
}
