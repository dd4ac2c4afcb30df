//! The in-page file store that stands in for KMU's files: `-out` writes
//! here, `-f` reads here; the web app downloads from and uploads into it.

use std::collections::BTreeMap;

use zeroize::Zeroizing;

use super::error::HsmErrorKind;
use crate::access::FileContent;

/// The longest file name accepted.
pub const MAX_FILE_NAME: usize = 255;
/// The largest file accepted (uploads included), in bytes.
pub const MAX_FILE_SIZE: usize = 1 << 20;

/// Where a file's bytes came from, which decides who may see them
/// ([`crate::access::file_sight`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileOrigin {
    /// `wrapKey` with a header.
    WrapKey {
        /// The wrapped key.
        key: crate::store::KeyHandle,
        /// The wrapping key.
        wrapping: crate::store::KeyHandle,
        /// Whether the file carries the header.
        header: bool,
    },
    /// `exSymKey`: a key in the clear.
    ExSymKey {
        /// The exported key.
        key: crate::store::KeyHandle,
    },
    /// `aesWrapUnwrap -m 1`: data wrapped under a key.
    HostWrap {
        /// The wrapping key.
        wrapping: crate::store::KeyHandle,
    },
    /// `aesWrapUnwrap -m 0`: unwrapped data, in the clear.
    HostUnwrap,
    /// `getAttribute -out`: attribute text.
    Attributes,
    /// A workbench wrap written to a file.
    Workbench {
        /// The wrapped key, if it was an HSM key.
        key: Option<crate::store::KeyHandle>,
        /// The wrapping key, if it was an HSM key.
        wrapping: Option<crate::store::KeyHandle>,
    },
    /// `exportPubKey`: an RSA public key as PEM (no secret in it).
    PublicKey {
        /// The exported public key.
        key: crate::store::KeyHandle,
    },
    /// Uploaded by the user.
    Upload,
}

impl FileOrigin {
    /// What the file holds, for the access model.
    pub fn content(self) -> FileContent {
        match self {
            Self::WrapKey { wrapping, .. } => FileContent::Wrapped {
                wrapping: Some(wrapping),
            },
            Self::HostWrap { wrapping } => FileContent::Wrapped {
                wrapping: Some(wrapping),
            },
            Self::Workbench { wrapping, .. } => FileContent::Wrapped { wrapping },
            Self::ExSymKey { .. } | Self::HostUnwrap => FileContent::PlaintextKey,
            Self::Attributes | Self::PublicKey { .. } => FileContent::Metadata,
            Self::Upload => FileContent::Upload,
        }
    }
}

/// A file's name, size and origin (no bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileInfo {
    /// The file's name.
    pub name: String,
    /// Its size in bytes.
    pub len: usize,
    /// Where its bytes came from.
    pub origin: FileOrigin,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) struct StoredFile {
    // Files may hold plaintext keys (exSymKey), so they are wiped on drop.
    pub(crate) bytes: Zeroizing<Vec<u8>>,
    pub(crate) origin: FileOrigin,
}

/// Name → bytes, ordered by name.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FileStore {
    files: BTreeMap<String, StoredFile>,
}

impl FileStore {
    /// The file's bytes.
    pub fn read(&self, name: &str) -> Option<&[u8]> {
        self.files.get(name).map(|f| f.bytes.as_slice())
    }

    /// The file's name, size and origin.
    pub fn info(&self, name: &str) -> Option<FileInfo> {
        self.files.get(name).map(|f| FileInfo {
            name: name.to_owned(),
            len: f.bytes.len(),
            origin: f.origin,
        })
    }

    /// Every file, by name.
    pub fn list(&self) -> Vec<FileInfo> {
        self.files
            .iter()
            .map(|(name, f)| FileInfo {
                name: name.clone(),
                len: f.bytes.len(),
                origin: f.origin,
            })
            .collect()
    }

    /// Writes (or overwrites, as KMU does without warning) a file.
    pub(crate) fn write(&mut self, name: String, bytes: Vec<u8>, origin: FileOrigin) {
        self.files.insert(
            name,
            StoredFile {
                bytes: Zeroizing::new(bytes),
                origin,
            },
        );
    }

    /// Deletes a file; whether it existed.
    pub(crate) fn remove(&mut self, name: &str) -> bool {
        self.files.remove(name).is_some()
    }
}

/// Checks a file name: 1 to 255 bytes, no control characters, no `/` or `\`
/// (the page has no directories).
pub fn check_file_name(name: &str) -> Result<(), HsmErrorKind> {
    let ok = !name.is_empty()
        && name.len() <= MAX_FILE_NAME
        && !name
            .chars()
            .any(|c| c.is_control() || c == '/' || c == '\\');
    if ok {
        Ok(())
    } else {
        Err(HsmErrorKind::InvalidFileName(
            name.chars().take(64).collect(),
        ))
    }
}
