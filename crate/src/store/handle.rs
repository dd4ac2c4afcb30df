//! Key handles: numbers that name a key inside this HSM and nowhere else.

use core::fmt;
use core::str::FromStr;

/// The handle of a key object, as `key_mgmt_util` prints it (`Key Handle: 7`).
///
/// Handles come from one counter per HSM and are **never reused** in a
/// session, so a deleted handle stays dead (the audit log shows it). A handle
/// means nothing outside this HSM: the same key unwrapped twice gets two.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyHandle(u64);

impl KeyHandle {
    /// Wraps a raw handle number (as typed after `-k`, `-w` or `-o`).
    pub const fn new(raw: u64) -> Self {
        Self(raw)
    }

    /// The raw handle number.
    pub const fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for KeyHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A handle argument that is not a decimal number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseHandleError;

impl fmt::Display for ParseHandleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key handle is a decimal number")
    }
}

impl FromStr for KeyHandle {
    type Err = ParseHandleError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // Decimal digits only: `u64::from_str` would also take a leading `+`.
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ParseHandleError);
        }
        s.parse::<u64>().map(Self).map_err(|_| ParseHandleError)
    }
}
