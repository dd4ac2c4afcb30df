//! Splits a console line into words, as `key_mgmt_util` does (on spaces),
//! plus double quotes so a label may hold spaces: `-l "my key"`.

use core::fmt;

/// The longest line the console reads; longer lines are refused whole, so no
/// input can make the console allocate without bound.
pub const MAX_LINE_LEN: usize = 8192;

/// Why a line could not be split into words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LexError {
    /// A `"` was opened and never closed.
    UnterminatedQuote {
        /// Byte offset of the opening quote.
        at: usize,
    },
    /// The line is longer than [`MAX_LINE_LEN`] bytes.
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
}

impl fmt::Display for LexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnterminatedQuote { at } => {
                write!(f, "the quote at column {} is never closed", at + 1)
            }
            Self::TooLong { len } => write!(
                f,
                "the line is {len} bytes long; the console reads at most {MAX_LINE_LEN}"
            ),
        }
    }
}

impl core::error::Error for LexError {}

/// A decimal number as both dialects read one: ASCII digits only (no sign,
/// no spaces), within `u32`.
pub fn decimal(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// One word of a line and where it was typed (quotes included), so a
/// secret word can be masked in the echo without guessing where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// The word, quotes dropped.
    pub text: String,
    /// Its byte range in the line, quotes included.
    pub span: core::ops::Range<usize>,
}

/// Splits `line` into words. Whitespace separates words; `"…"` groups (the
/// quotes are dropped, `""` gives an empty word); there are no escapes.
pub fn split_words(line: &str) -> Result<Vec<String>, LexError> {
    Ok(split_spanned(line)?.into_iter().map(|w| w.text).collect())
}

/// [`split_words`], with each word's place in the line.
pub fn split_spanned(line: &str) -> Result<Vec<Word>, LexError> {
    if line.len() > MAX_LINE_LEN {
        return Err(LexError::TooLong { len: line.len() });
    }
    let mut words = Vec::new();
    let mut current = String::new();
    let mut start: Option<usize> = None;
    let mut quote_at: Option<usize> = None;
    for (i, c) in line.char_indices() {
        match (c, quote_at) {
            ('"', None) => {
                quote_at = Some(i);
                start.get_or_insert(i);
            }
            ('"', Some(_)) => quote_at = None,
            (c, None) if c.is_whitespace() => {
                if let Some(from) = start.take() {
                    words.push(Word {
                        text: core::mem::take(&mut current),
                        span: from..i,
                    });
                }
            }
            (c, _) => {
                current.push(c);
                start.get_or_insert(i);
            }
        }
    }
    if let Some(at) = quote_at {
        return Err(LexError::UnterminatedQuote { at });
    }
    if let Some(from) = start {
        words.push(Word {
            text: current,
            span: from..line.len(),
        });
    }
    Ok(words)
}
