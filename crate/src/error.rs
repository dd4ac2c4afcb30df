//! The one error type of `keywrap-core`.
//!
//! Every failure of the wrap engine, the key check value, the encodings and
//! the random source is a variant of [`Error`]. Each variant carries the
//! numbers a person needs to fix the problem, and its `Display` text is a
//! full sentence that says what was wrong and what is required, so the
//! console and the `keywrap` command can print it as is.
//!
//! Integrity failures never say *which* byte of the recovered initial value
//! differed: the comparison runs in constant time and the error only says
//! that it failed. For AES-KWP the three checks of RFC 5649 §3 (the constant
//! `A65959A6`, the length indicator, the zero padding) are reported
//! separately, because the console is a teaching tool and the standard's
//! three checks are what it teaches; all three are computed in constant time
//! before any of them is reported.

use core::fmt;

use crate::encoding::Format;
use crate::wrap::Mechanism;

/// Which way an operation was going when its input was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Wrapping (plaintext key data in, wrapped key out).
    Wrap,
    /// Unwrapping (wrapped key in, plaintext key data out).
    Unwrap,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Wrap => "wrap",
            Direction::Unwrap => "unwrap",
        })
    }
}

/// Everything that can go wrong in `keywrap-core`.
///
/// The enum is `#[non_exhaustive]`: match it with a wildcard arm. It is
/// `PartialEq` so that tests can assert the exact failure.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The key-encryption key is not 16, 24 or 32 bytes long.
    KekLength {
        /// The length that was given, in bytes.
        got: usize,
    },
    /// An AES key (for a key check value) is not 16, 24 or 32 bytes long.
    KeyLength {
        /// The length that was given, in bytes.
        got: usize,
    },
    /// The input has a length the mechanism cannot take in this direction.
    /// The `Display` text states what the mechanism requires.
    InputLength {
        /// The mechanism that refused the input.
        mechanism: Mechanism,
        /// Whether the input was to be wrapped or unwrapped.
        direction: Direction,
        /// The length that was given, in bytes.
        got: usize,
    },
    /// An initial value (IV) is not exactly 8 bytes long.
    IvLength {
        /// The length that was given, in bytes.
        got: usize,
    },
    /// A custom IV was given to a mechanism whose initial value is fixed
    /// (AES-KWP: `A65959A6` followed by the length of the key data).
    IvNotAllowed {
        /// The mechanism that has no custom IV.
        mechanism: Mechanism,
    },
    /// Unwrapping recovered an initial value that is not the expected one
    /// (for AES-KWP: whose first half is not `A65959A6`). The KEK, the IV,
    /// the mechanism or the wrapped bytes are wrong; no key data is returned.
    IntegrityCheckFailed,
    /// AES-KWP: the recovered length indicator (MLI) is outside
    /// `8(n-1) < MLI <= 8n`, where `n` is the number of semiblocks of padded
    /// key data. No key data is returned.
    KwpLengthOutOfRange {
        /// The recovered message length indicator.
        mli: u32,
        /// The smallest length allowed for this wrapped size, `8(n-1) + 1`.
        min: u64,
        /// The largest length allowed for this wrapped size, `8n`.
        max: u64,
    },
    /// AES-KWP: the padding bytes after the key data are not all zero.
    /// No key data is returned.
    KwpPaddingNotZero,
    /// AES-KW with PKCS#5 padding: the integrity check passed but the
    /// padding is malformed (the last byte must be 1 to 8 and be repeated
    /// that many times). No key data is returned.
    Pkcs5PaddingInvalid,
    /// The step-by-step trace was asked for more key data than it records.
    /// Plain [`wrap`](crate::wrap()) and [`unwrap`](crate::unwrap()) still work.
    TraceTooLarge {
        /// The length of the key data (padded, for unwrap: of the wrapped
        /// key less its first semiblock), in bytes.
        len: usize,
        /// The largest length the trace takes, in bytes.
        max: usize,
    },
    /// The input is larger than this crate handles in one piece.
    InputTooLarge {
        /// The length that was given, in bytes.
        len: usize,
        /// The largest length accepted, in bytes.
        max: usize,
    },
    /// A key to be generated has a length of 0 or above the limit.
    GenerateLength {
        /// The length that was asked for, in bytes.
        got: usize,
        /// The largest length that can be generated, in bytes.
        max: usize,
    },
    /// Text input contains a character that does not belong to its encoding.
    InvalidCharacter {
        /// The encoding being decoded.
        format: Format,
        /// The offending character.
        character: char,
        /// Its position in the input, counting characters from 1.
        position: usize,
    },
    /// Hex input has an odd number of digits.
    OddLength {
        /// The number of hex digits found (separators not counted).
        digits: usize,
    },
    /// Base64 input is malformed in a way other than a bad character.
    InvalidBase64 {
        /// What is wrong, as a short phrase.
        detail: &'static str,
    },
    /// Text input (hex or base64) is not valid UTF-8.
    NotText {
        /// The encoding being decoded.
        format: Format,
        /// The byte offset of the first invalid byte, counting from 1.
        position: usize,
    },
    /// A name (of a mechanism, an encoding, a KCV method) is not known.
    UnknownName {
        /// What kind of name it was, e.g. `mechanism`.
        kind: &'static str,
        /// The name as given.
        name: String,
        /// The names that are accepted.
        expected: &'static str,
    },
    /// The operating system's (or the browser's) random source failed.
    Random {
        /// The random source's own description of the failure.
        detail: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::KekLength { got } => write!(
                f,
                "the KEK is {got} {}; an AES key-encryption key must be 16, 24 or 32 bytes \
                 (AES-128, AES-192 or AES-256)",
                bytes(*got)
            ),
            Error::KeyLength { got } => write!(
                f,
                "the key is {got} {}; an AES key must be 16, 24 or 32 bytes",
                bytes(*got)
            ),
            Error::InputLength {
                mechanism,
                direction,
                got,
            } => {
                write!(
                    f,
                    "{} cannot {direction} {got} {}: ",
                    mechanism.display_name(),
                    bytes(*got)
                )?;
                f.write_str(length_rule(*mechanism, *direction))
            }
            Error::IvLength { got } => write!(
                f,
                "the IV is {got} {}; an AES key wrap IV is exactly 8 bytes (16 hex digits)",
                bytes(*got)
            ),
            Error::IvNotAllowed { mechanism } => write!(
                f,
                "{} does not take a custom IV: its initial value is always A65959A6 \
                 followed by the 32-bit length of the key data",
                mechanism.display_name()
            ),
            Error::IntegrityCheckFailed => f.write_str(
                "integrity check failed: the unwrapped initial value is not the expected IV, \
                 so the KEK, the IV, the mechanism or the wrapped data is wrong",
            ),
            Error::KwpLengthOutOfRange { mli, min, max } => write!(
                f,
                "integrity check failed: the KWP length indicator (MLI) is {mli}, but this \
                 wrapped size requires {min} <= MLI <= {max}"
            ),
            Error::KwpPaddingNotZero => {
                f.write_str("integrity check failed: the KWP padding bytes are not all zero")
            }
            Error::Pkcs5PaddingInvalid => f.write_str(
                "the PKCS#5 padding is invalid: the last byte must be 1 to 8 and be repeated \
                 that many times",
            ),
            Error::TraceTooLarge { len, max } => write!(
                f,
                "cannot trace {len} bytes of padded key data: the step-by-step trace is \
                 limited to {max} bytes ({} semiblocks); wrap and unwrap without a trace \
                 still work",
                max / 8
            ),
            Error::InputTooLarge { len, max } => write!(
                f,
                "the input is {len} bytes; at most {max} bytes ({} MiB) are handled in one piece",
                max / (1024 * 1024)
            ),
            Error::GenerateLength { got, max } => write!(
                f,
                "cannot generate a key of {got} {}: choose 1 to {max} bytes",
                bytes(*got)
            ),
            Error::InvalidCharacter {
                format,
                character,
                position,
            } => {
                write!(
                    f,
                    "bad character {character:?} at position {position} in {format} input"
                )?;
                match format {
                    Format::Hex => f.write_str(
                        " (hex digits are 0-9, a-f and A-F; spaces, ':' and a leading 0x are ignored)",
                    ),
                    Format::Base64 => {
                        f.write_str(" (base64 uses A-Z, a-z, 0-9, '+', '/' and '=' padding)")
                    }
                    Format::Raw => Ok(()),
                }
            }
            Error::OddLength { digits } => write!(
                f,
                "hex input has an odd number of digits ({digits}); every byte needs two"
            ),
            Error::InvalidBase64 { detail } => write!(f, "bad base64: {detail}"),
            Error::NotText { format, position } => write!(
                f,
                "{format} input must be text, but byte {position} is not valid UTF-8"
            ),
            Error::UnknownName {
                kind,
                name,
                expected,
            } => write!(f, "unknown {kind} {name:?}: expected {expected}"),
            Error::Random { detail } => {
                write!(f, "the system's random number generator failed: {detail}")
            }
        }
    }
}

impl std::error::Error for Error {}

fn bytes(n: usize) -> &'static str {
    if n == 1 { "byte" } else { "bytes" }
}

/// What a mechanism requires of its input, as the end of a sentence.
fn length_rule(mechanism: Mechanism, direction: Direction) -> &'static str {
    match (mechanism, direction) {
        (Mechanism::Kw, Direction::Wrap) => {
            "the key data must be a multiple of 8 bytes and at least 16 bytes \
             (RFC 3394 and NIST SP 800-38F; use KWP for other lengths)"
        }
        (Mechanism::Kwp, Direction::Wrap) => "the key data must be at least 1 byte",
        (Mechanism::KwPkcs5, Direction::Wrap) => {
            "the key data must be at least 8 bytes (PKCS#5 padding then makes it \
             a multiple of 8 of at least 16 bytes)"
        }
        (Mechanism::Kw | Mechanism::KwPkcs5, Direction::Unwrap) => {
            "a wrapped key is a multiple of 8 bytes and at least 24 bytes"
        }
        (Mechanism::Kwp, Direction::Unwrap) => {
            "a wrapped key is a multiple of 8 bytes and at least 16 bytes"
        }
    }
}
