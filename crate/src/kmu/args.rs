//! A command's words read against its row's flags: each flag once, a value
//! after each value flag, and the typed readers (numbers, handles, IVs,
//! mechanisms) every command struct parses its fields with.

use std::collections::BTreeMap;

use super::error::KmuError;
use super::spec::CommandName;
use crate::hsm::rules::MAX_LABEL_LEN;
use crate::store::{KeyHandle, KeyType};
use crate::{Iv, Mechanism};

/// The words of one command line after its name, checked against the
/// command's flags.
pub(crate) struct Args<'w> {
    command: CommandName,
    words: &'w [String],
    values: BTreeMap<&'static str, Option<String>>,
}

/// A usage error of `command`: its usage is printed after `detail`.
pub(crate) fn usage(command: CommandName, detail: String) -> KmuError {
    KmuError::Usage { command, detail }
}

impl<'w> Args<'w> {
    /// The words as they are, for a command that reads them itself (`help`).
    pub(crate) fn free(command: CommandName, words: &'w [String]) -> Self {
        Self {
            command,
            words,
            values: BTreeMap::new(),
        }
    }

    /// Reads `words` as `command`'s flags: every word a flag of its row,
    /// none twice, a value after each value flag; labels and ids no longer
    /// than the HSM keeps.
    pub(crate) fn parse(command: CommandName, words: &'w [String]) -> Result<Self, KmuError> {
        let mut values = BTreeMap::new();
        let mut rest = words.iter();
        while let Some(word) = rest.next() {
            let Some(flag) = command.flag(word) else {
                return Err(usage(command, format!("unknown argument \"{word}\"")));
            };
            let value = if flag.takes_value {
                match rest.next() {
                    Some(value) => Some(value.clone()),
                    None => return Err(usage(command, format!("{} needs a value", flag.name))),
                }
            } else {
                None
            };
            if matches!(flag.name, "-l" | "-id")
                && value.as_ref().is_some_and(|v| v.len() > MAX_LABEL_LEN)
            {
                return Err(usage(
                    command,
                    format!("{} is at most {MAX_LABEL_LEN} bytes", flag.name),
                ));
            }
            if values.insert(flag.name, value).is_some() {
                return Err(usage(command, format!("{} is given twice", flag.name)));
            }
        }
        Ok(Self {
            command,
            words,
            values,
        })
    }

    /// The command these are the words of.
    pub(crate) fn command(&self) -> CommandName {
        self.command
    }

    /// The words as typed.
    pub(crate) fn words(&self) -> &'w [String] {
        self.words
    }

    /// A usage error of this command.
    pub(crate) fn usage(&self, detail: String) -> KmuError {
        usage(self.command, detail)
    }

    /// Whether `flag` was given.
    pub(crate) fn has(&self, flag: &str) -> bool {
        self.values.contains_key(flag)
    }

    /// A value flag's value, if given.
    pub(crate) fn opt(&self, flag: &str) -> Option<&str> {
        self.values.get(flag).and_then(|v| v.as_deref())
    }

    /// A value flag's value, as an owned string, if given.
    pub(crate) fn opt_owned(&self, flag: &str) -> Option<String> {
        self.opt(flag).map(str::to_owned)
    }

    /// A mandatory value flag's value.
    pub(crate) fn req(&self, flag: &str) -> Result<&str, KmuError> {
        self.opt(flag)
            .ok_or_else(|| self.usage(format!("missing mandatory argument {flag}")))
    }

    /// `text`, the value of `flag`, as a decimal number.
    pub(crate) fn number(&self, flag: &str, text: &str) -> Result<u32, KmuError> {
        super::lexer::decimal(text)
            .ok_or_else(|| self.usage(format!("{flag} takes a decimal number, not \"{text}\"")))
    }

    /// A mandatory decimal number.
    pub(crate) fn req_number(&self, flag: &str) -> Result<u32, KmuError> {
        let text = self.req(flag)?;
        self.number(flag, text)
    }

    /// An optional decimal number.
    pub(crate) fn opt_number(&self, flag: &str) -> Result<Option<u32>, KmuError> {
        self.opt(flag).map(|t| self.number(flag, t)).transpose()
    }

    /// A mandatory key handle.
    pub(crate) fn handle(&self, flag: &str) -> Result<KeyHandle, KmuError> {
        let text = self.req(flag)?;
        text.parse::<KeyHandle>().map_err(|_| {
            self.usage(format!(
                "{flag} takes a key handle (a decimal number), not \"{text}\""
            ))
        })
    }

    /// A mandatory 0 or 1.
    pub(crate) fn bit(&self, flag: &str) -> Result<bool, KmuError> {
        match self.req(flag)? {
            "1" => Ok(true),
            "0" => Ok(false),
            other => Err(self.usage(format!("{flag} takes 0 or 1, not \"{other}\""))),
        }
    }

    /// `text`, the value of `flag`, as one of the AES mechanism numbers
    /// (4, 5 or 6) of a command that also takes the RSA ones, 7 and 8, in a
    /// parser of their own (wrapKey, unWrapKey); another number is the HSM's
    /// refusal, reported by the command's function.
    pub(crate) fn mechanism(&self, flag: &str, text: &str) -> Result<Mechanism, KmuError> {
        self.mechanism_of(flag, text, true)
    }

    /// As [`Args::mechanism`], for a command that offers the AES mechanisms only.
    pub(crate) fn aes_mechanism(&self, flag: &str, text: &str) -> Result<Mechanism, KmuError> {
        self.mechanism_of(flag, text, false)
    }

    fn mechanism_of(&self, flag: &str, text: &str, rsa_too: bool) -> Result<Mechanism, KmuError> {
        let n = self.number(flag, text)?;
        u8::try_from(n)
            .ok()
            .and_then(Mechanism::from_kmu_number)
            .ok_or(KmuError::Refused {
                command: self.command,
                error: Box::new(KmuError::UnsupportedMechanism { given: n, rsa_too }),
            })
    }

    /// `-i`: exactly 8 bytes of hex (`A6A6…`, `0xA6A6…` and spaced forms).
    pub(crate) fn iv(&self) -> Result<Option<Iv>, KmuError> {
        match self.opt("-i") {
            None => Ok(None),
            Some(text) => Iv::parse_hex(text)
                .map(Some)
                .map_err(|e| self.usage(format!("-i: {e}"))),
        }
    }

    /// `n`, the value of `flag`, as a key type number.
    pub(crate) fn key_type(&self, flag: &str, n: u32) -> Result<KeyType, KmuError> {
        KeyType::from_number(n).ok_or_else(|| self.usage(format!("{flag}: {n} is not a key type")))
    }
}

/// Parses a KCV as `findKey -kcv` takes it: six hex digits, optionally after `0x`.
pub fn parse_kcv(text: &str) -> Option<[u8; 3]> {
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .unwrap_or(text);
    if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(digits.get(i..i + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}
