//! The header `wrapKey` writes before the wrapped key (unless `-noheader`),
//! so that `unWrapKey` can restore the key's attributes.
//!
//! KMU's own header is undocumented; this is Keywrap Console's, documented
//! here byte for byte. All integers are big-endian.
//!
//! | offset | size | field |
//! |-------:|-----:|-------|
//! | 0 | 4 | magic `KWH1` (`4b 57 48 31`) |
//! | 4 | 1 | format version, `01` |
//! | 5 | 1 | mechanism, KMU's `-m` number: `04`, `05` or `06` |
//! | 6 | 1 | key class, `04` (secret) |
//! | 7 | 1 | key type, `10` (generic secret) or `1f` (AES) |
//! | 8 | 4 | key length in bytes (AES: 16, 24 or 32; generic: 1 to 3584) |
//! | 12 | 2 | flags, bit 0 TOKEN, 1 PRIVATE, 2 SENSITIVE, 3 ENCRYPT, 4 DECRYPT, 5 WRAP, 6 UNWRAP, 7 EXTRACTABLE, 8 WRAP_WITH_TRUSTED; bits 9–15 zero |
//! | 14 | 3 | KCV of the key (checked after unwrapping) |
//! | 17 | 1 | label length L |
//! | 18 | L | label, UTF-8 |
//! | 18+L | 1 | id length I |
//! | 19+L | I | id, UTF-8 |
//! | 19+L+I | 4 | wrapped key length N |
//! | 23+L+I | N | the wrapped key: the bare RFC 3394 / RFC 5649 output |
//!
//! Nothing may follow the wrapped key. TRUSTED, LOCAL and NEVER_EXTRACTABLE
//! are not carried: an unwrapped key is never local, never trusted (only the
//! crypto officer grants that) and has been outside the HSM.
//!
//! **A header can only tighten.** The file is outside the HSM and anyone
//! may edit it, so its flags are a request, not a fact: when `unWrapKey`
//! builds the new key, SENSITIVE and WRAP_WITH_TRUSTED are set if the
//! header *or* the unwrap template sets them, EXTRACTABLE and TOKEN only if
//! both do ([`HeaderAttributes::tightened`]). A header with its SENSITIVE
//! bit cleared therefore still gives a sensitive key.
//!
//! [`WrappedKeyFile::parse`] is the only reader: it returns a typed
//! [`HeaderError`] for every malformed input and never panics.

use core::fmt;

use super::rules;
use crate::Mechanism;
use crate::store::{KeyAttributes, KeyClass, KeyType};

/// The magic bytes a header starts with.
pub const MAGIC: [u8; 4] = *b"KWH1";
/// The header format version this code writes and reads.
pub const VERSION: u8 = 1;

const F_TOKEN: u16 = 1 << 0;
const F_PRIVATE: u16 = 1 << 1;
const F_SENSITIVE: u16 = 1 << 2;
const F_ENCRYPT: u16 = 1 << 3;
const F_DECRYPT: u16 = 1 << 4;
const F_WRAP: u16 = 1 << 5;
const F_UNWRAP: u16 = 1 << 6;
const F_EXTRACTABLE: u16 = 1 << 7;
const F_WRAP_WITH_TRUSTED: u16 = 1 << 8;
const F_KNOWN: u16 = (1 << 9) - 1;

/// The attributes a header carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderAttributes {
    /// Key class (always secret).
    pub class: KeyClass,
    /// Key type.
    pub key_type: KeyType,
    /// Key length in bytes.
    pub value_len: u32,
    /// `OBJ_ATTR_TOKEN`.
    pub token: bool,
    /// `OBJ_ATTR_PRIVATE`.
    pub private: bool,
    /// `OBJ_ATTR_SENSITIVE`.
    pub sensitive: bool,
    /// `OBJ_ATTR_ENCRYPT`.
    pub encrypt: bool,
    /// `OBJ_ATTR_DECRYPT`.
    pub decrypt: bool,
    /// `OBJ_ATTR_WRAP`.
    pub wrap: bool,
    /// `OBJ_ATTR_UNWRAP`.
    pub unwrap: bool,
    /// `OBJ_ATTR_EXTRACTABLE`.
    pub extractable: bool,
    /// `OBJ_ATTR_WRAP_WITH_TRUSTED`.
    pub wrap_with_trusted: bool,
    /// The key check value.
    pub kcv: [u8; 3],
    /// `OBJ_ATTR_LABEL` (at most 255 bytes).
    pub label: String,
    /// `OBJ_ATTR_ID` (at most 255 bytes).
    pub id: String,
}

impl HeaderAttributes {
    /// What a header records of a key's attributes.
    pub fn of(a: &KeyAttributes) -> Self {
        Self {
            class: a.class,
            key_type: a.key_type,
            value_len: a.value_len,
            token: a.token,
            private: a.private,
            sensitive: a.sensitive,
            encrypt: a.encrypt,
            decrypt: a.decrypt,
            wrap: a.wrap,
            unwrap: a.unwrap,
            extractable: a.extractable,
            wrap_with_trusted: a.wrap_with_trusted,
            kcv: a.kcv,
            label: a.label.clone(),
            id: a.id.clone(),
        }
    }

    /// The attributes of a key unwrapped from this header under `template`:
    /// the header's label, id, type and usage flags, but it can only
    /// tighten what the template asks (see the module's documentation).
    /// The key is never local or trusted, and has been extractable.
    pub fn tightened(&self, template: &KeyAttributes) -> KeyAttributes {
        KeyAttributes {
            class: self.class,
            key_type: self.key_type,
            label: self.label.clone(),
            id: self.id.clone(),
            token: self.token && template.token,
            private: self.private,
            trusted: false,
            sensitive: self.sensitive || template.sensitive,
            encrypt: self.encrypt,
            decrypt: self.decrypt,
            wrap: self.wrap,
            unwrap: self.unwrap,
            extractable: self.extractable && template.extractable,
            local: false,
            never_extractable: false,
            wrap_with_trusted: self.wrap_with_trusted || template.wrap_with_trusted,
            value_len: self.value_len,
            kcv: self.kcv,
            // Wrapped-key files carry secret keys only: no RSA facts.
            rsa: None,
        }
    }
}

/// A parsed wrapped-key file with its header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrappedKeyFile {
    /// The mechanism the key was wrapped with.
    pub mechanism: Mechanism,
    /// The key's attributes.
    pub attributes: HeaderAttributes,
    /// The wrapped key (ciphertext), as RFC 3394 / 5649 produce it.
    pub wrapped: Vec<u8>,
}

/// Why a wrapped-key file's header does not parse.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HeaderError {
    /// The file ends before the field is complete.
    Truncated {
        /// The field being read.
        field: &'static str,
        /// Its offset in the file.
        offset: usize,
    },
    /// The file does not start with `KWH1` (perhaps it was written with `-noheader`).
    BadMagic,
    /// The format version is not one this code reads.
    UnsupportedVersion(u8),
    /// The mechanism byte is not 4, 5 or 6.
    UnknownMechanism(u8),
    /// The class byte is not 4 (secret).
    UnsupportedClass(u8),
    /// The key type byte is not 16 or 31.
    UnsupportedKeyType(u8),
    /// The key length does not fit the key type.
    BadKeyLength(u32),
    /// Flag bits this format does not define are set.
    UnknownFlags(u16),
    /// The label or id is not UTF-8.
    NotUtf8 {
        /// Which field.
        field: &'static str,
    },
    /// Bytes follow the wrapped key.
    TrailingData {
        /// How many.
        extra: usize,
    },
    /// The label or id is longer than 255 bytes (when writing).
    FieldTooLong {
        /// Which field.
        field: &'static str,
    },
}

impl fmt::Display for HeaderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Truncated { field, offset } => {
                write!(f, "the file ends inside the header's {field} (at byte {offset})")
            }
            Self::BadMagic => f.write_str(
                "the file has no Keywrap header (it does not start with KWH1); if it is a bare blob, use -noheader",
            ),
            Self::UnsupportedVersion(v) => write!(f, "header version {v} is not supported"),
            Self::UnknownMechanism(m) => write!(f, "the header names mechanism {m}, not 4, 5 or 6"),
            Self::UnsupportedClass(c) => write!(f, "the header names key class {c}, not 4 (secret)"),
            Self::UnsupportedKeyType(t) => write!(f, "the header names key type {t}, not 16 or 31"),
            Self::BadKeyLength(n) => write!(f, "the header's key length {n} does not fit its key type"),
            Self::UnknownFlags(bits) => write!(f, "the header sets unknown flag bits 0x{bits:04x}"),
            Self::NotUtf8 { field } => write!(f, "the header's {field} is not UTF-8"),
            Self::TrailingData { extra } => write!(f, "{extra} bytes follow the wrapped key"),
            Self::FieldTooLong { field } => write!(f, "the {field} is longer than 255 bytes"),
        }
    }
}

impl core::error::Error for HeaderError {}

/// One field of a wrapped-key file, as the byte map shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderField {
    /// The field's name in the table above (`magic`, `label`, …).
    pub name: &'static str,
    /// Its bytes in the file.
    pub range: core::ops::Range<usize>,
}

impl WrappedKeyFile {
    /// Where each field of this file lies, in the order of the table above,
    /// ending with the wrapped key. A pure function of the parsed file, so
    /// the ranges are those of [`WrappedKeyFile::to_bytes`]'s output (and of
    /// the file [`WrappedKeyFile::parse`] read).
    pub fn field_ranges(&self) -> Vec<HeaderField> {
        let sizes = [
            ("magic", 4),
            ("version", 1),
            ("mechanism", 1),
            ("key class", 1),
            ("key type", 1),
            ("key length", 4),
            ("flags", 2),
            ("KCV", 3),
            ("label length", 1),
            ("label", self.attributes.label.len()),
            ("id length", 1),
            ("id", self.attributes.id.len()),
            ("wrapped key length", 4),
            ("wrapped key", self.wrapped.len()),
        ];
        let mut start = 0usize;
        sizes
            .into_iter()
            .map(|(name, len)| {
                let range = start..start.saturating_add(len);
                start = range.end;
                HeaderField { name, range }
            })
            .collect()
    }
}

/// A reader over untrusted bytes that returns a typed error at the first
/// field that does not fit.
struct Reader<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, field: &'static str) -> Result<&'a [u8], HeaderError> {
        let end = self
            .offset
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or(HeaderError::Truncated {
                field,
                offset: self.offset,
            })?;
        let out = self
            .bytes
            .get(self.offset..end)
            .ok_or(HeaderError::Truncated {
                field,
                offset: self.offset,
            })?;
        self.offset = end;
        Ok(out)
    }

    fn u8(&mut self, field: &'static str) -> Result<u8, HeaderError> {
        Ok(self.take(1, field)?.first().copied().unwrap_or_default())
    }

    fn array<const N: usize>(&mut self, field: &'static str) -> Result<[u8; N], HeaderError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, field)?);
        Ok(out)
    }

    fn text(&mut self, field: &'static str) -> Result<String, HeaderError> {
        let len = usize::from(self.u8(field)?);
        let bytes = self.take(len, field)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| HeaderError::NotUtf8 { field })
    }
}

impl WrappedKeyFile {
    /// Parses a whole file: header, wrapped key, and nothing after it.
    pub fn parse(bytes: &[u8]) -> Result<Self, HeaderError> {
        let mut r = Reader { bytes, offset: 0 };
        if r.array::<4>("magic")? != MAGIC {
            return Err(HeaderError::BadMagic);
        }
        let version = r.u8("version")?;
        if version != VERSION {
            return Err(HeaderError::UnsupportedVersion(version));
        }
        let m = r.u8("mechanism")?;
        let mechanism = Mechanism::from_kmu_number(m).ok_or(HeaderError::UnknownMechanism(m))?;
        let c = r.u8("key class")?;
        let class = match KeyClass::from_number(u32::from(c)) {
            Some(KeyClass::Secret) => KeyClass::Secret,
            _ => return Err(HeaderError::UnsupportedClass(c)),
        };
        let t = r.u8("key type")?;
        let key_type = match KeyType::from_number(u32::from(t)) {
            Some(kt @ (KeyType::Aes | KeyType::GenericSecret)) => kt,
            _ => return Err(HeaderError::UnsupportedKeyType(t)),
        };
        let value_len = u32::from_be_bytes(r.array::<4>("key length")?);
        if !rules::key_size_fits(key_type, u64::from(value_len)) {
            return Err(HeaderError::BadKeyLength(value_len));
        }
        let flags = u16::from_be_bytes(r.array::<2>("flags")?);
        if flags & !F_KNOWN != 0 {
            return Err(HeaderError::UnknownFlags(flags & !F_KNOWN));
        }
        let kcv = r.array::<3>("KCV")?;
        let label = r.text("label")?;
        let id = r.text("id")?;
        let n = u32::from_be_bytes(r.array::<4>("wrapped key length")?);
        let wrapped = r
            .take(usize::try_from(n).unwrap_or(usize::MAX), "wrapped key")?
            .to_vec();
        let extra = bytes.len().saturating_sub(r.offset);
        if extra != 0 {
            return Err(HeaderError::TrailingData { extra });
        }
        let has = |bit: u16| flags & bit != 0;
        Ok(Self {
            mechanism,
            attributes: HeaderAttributes {
                class,
                key_type,
                value_len,
                token: has(F_TOKEN),
                private: has(F_PRIVATE),
                sensitive: has(F_SENSITIVE),
                encrypt: has(F_ENCRYPT),
                decrypt: has(F_DECRYPT),
                wrap: has(F_WRAP),
                unwrap: has(F_UNWRAP),
                extractable: has(F_EXTRACTABLE),
                wrap_with_trusted: has(F_WRAP_WITH_TRUSTED),
                kcv,
                label,
                id,
            },
            wrapped,
        })
    }

    /// Writes the file: header then wrapped key.
    pub fn to_bytes(&self) -> Result<Vec<u8>, HeaderError> {
        let a = &self.attributes;
        let label_len = u8::try_from(a.label.len())
            .map_err(|_| HeaderError::FieldTooLong { field: "label" })?;
        let id_len =
            u8::try_from(a.id.len()).map_err(|_| HeaderError::FieldTooLong { field: "id" })?;
        let wrapped_len =
            u32::try_from(self.wrapped.len()).map_err(|_| HeaderError::FieldTooLong {
                field: "wrapped key",
            })?;
        let mut flags = 0u16;
        for (on, bit) in [
            (a.token, F_TOKEN),
            (a.private, F_PRIVATE),
            (a.sensitive, F_SENSITIVE),
            (a.encrypt, F_ENCRYPT),
            (a.decrypt, F_DECRYPT),
            (a.wrap, F_WRAP),
            (a.unwrap, F_UNWRAP),
            (a.extractable, F_EXTRACTABLE),
            (a.wrap_with_trusted, F_WRAP_WITH_TRUSTED),
        ] {
            if on {
                flags |= bit;
            }
        }
        let mut out = Vec::with_capacity(23 + a.label.len() + a.id.len() + self.wrapped.len());
        out.extend_from_slice(&MAGIC);
        out.push(VERSION);
        out.push(self.mechanism.kmu_number());
        // Class and type numbers are below 256 for every supported value.
        out.push(u8::try_from(a.class.number()).unwrap_or(u8::MAX));
        out.push(u8::try_from(a.key_type.number()).unwrap_or(u8::MAX));
        out.extend_from_slice(&a.value_len.to_be_bytes());
        out.extend_from_slice(&flags.to_be_bytes());
        out.extend_from_slice(&a.kcv);
        out.push(label_len);
        out.extend_from_slice(a.label.as_bytes());
        out.push(id_len);
        out.extend_from_slice(a.id.as_bytes());
        out.extend_from_slice(&wrapped_len.to_be_bytes());
        out.extend_from_slice(&self.wrapped);
        Ok(out)
    }
}
