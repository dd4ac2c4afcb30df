//! What the page reads of the HSM: metadata views and sights, never bytes
//! (apart from [`RevealedKey`], which only [`super::Session::reveal_key`]
//! hands out).

use super::files::FileInfo;
use crate::SecretBytes;
use crate::access::{self, Actor, FileSight, Relation, TenancyMode};
use crate::store::{KeyAttributes, KeyHandle, UserId};

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
    /// Whether the actor can read the key's label and id
    /// ([`access::sees_label`]); when not, `key` carries them empty.
    pub label_visible: bool,
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
    pub(super) keys: Vec<(KeyView, SecretBytes)>,
    pub(super) next_handle: KeyHandle,
    pub(super) files: Vec<(FileInfo, Vec<u8>)>,
    pub(super) login: Option<UserId>,
    pub(super) tenancy: TenancyMode,
}
