//! CloudHSM CLI words → a command row and its flags, and key filters.

use std::collections::BTreeMap;

use super::error::CliError;
use super::spec::{self, CliCommandName, CliSpec, Takes};
use crate::kmu::lexer::split_words;
use crate::store::{KeyHandle, KeyObject, KeyType};

/// A parsed CloudHSM CLI line: its command, the word after it (key type or
/// mechanism) and its flags' values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CliLine {
    /// The command.
    pub command: CliCommandName,
    /// The key type or mechanism after the command's words.
    pub choice: Option<String>,
    /// For `help`: the words after it.
    pub topic: Vec<String>,
    /// Each flag given, with its words.
    values: BTreeMap<&'static str, Vec<String>>,
}

fn usage(command: CliCommandName, detail: impl Into<String>) -> CliError {
    CliError::Usage {
        command,
        detail: detail.into(),
    }
}

/// Parses one CloudHSM CLI line (the dialect is decided already).
pub fn parse_cli_line(line: &str) -> Result<CliLine, CliError> {
    let words = split_words(line).map_err(CliError::Lex)?;
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    let Some((spec, taken)) = spec::lookup(&refs) else {
        return Err(CliError::UnknownCommand(refs.join(" ")));
    };
    let mut rest = words.get(taken..).unwrap_or_default().iter().peekable();
    if spec.command == CliCommandName::Help {
        return Ok(CliLine {
            command: spec.command,
            choice: None,
            topic: rest.cloned().collect(),
            values: BTreeMap::new(),
        });
    }
    let choice = if spec.choices.is_empty() {
        None
    } else {
        match rest.next() {
            Some(word) if spec.choices.contains(&word.as_str()) => Some(word.clone()),
            other => {
                return Err(usage(
                    spec.command,
                    format!(
                        "expects one of {} after \"{}\"{}",
                        spec.choices.join(", "),
                        spec.words.join(" "),
                        other.map(|w| format!(", not \"{w}\"")).unwrap_or_default()
                    ),
                ));
            }
        }
    };
    let mut values: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    while let Some(word) = rest.next() {
        let Some(flag) = spec.flags.iter().find(|f| f.name == word) else {
            return Err(usage(
                spec.command,
                format!("unexpected argument \"{word}\""),
            ));
        };
        let mut taken = Vec::new();
        match flag.takes {
            Takes::Nothing => {}
            Takes::One => match rest.next() {
                Some(value) => taken.push(value.clone()),
                None => return Err(usage(spec.command, format!("{} needs a value", flag.name))),
            },
            Takes::Many => {
                while let Some(value) = rest.next_if(|w| !w.starts_with("--")) {
                    taken.push(value.clone());
                }
                if taken.is_empty() {
                    return Err(usage(spec.command, format!("{} needs a value", flag.name)));
                }
            }
        }
        if values.insert(flag.name, taken).is_some() {
            return Err(usage(spec.command, format!("{} is given twice", flag.name)));
        }
    }
    Ok(CliLine {
        command: spec.command,
        choice,
        topic: Vec::new(),
        values,
    })
}

impl CliLine {
    /// The command's row.
    pub fn spec(&self) -> &'static CliSpec {
        self.command.spec()
    }

    /// Whether a switch (or any flag) was given.
    pub fn has(&self, flag: &str) -> bool {
        self.values.contains_key(flag)
    }

    /// A one-word flag's value.
    pub fn opt(&self, flag: &str) -> Option<&str> {
        self.values
            .get(flag)
            .and_then(|v| v.first())
            .map(String::as_str)
    }

    /// A required one-word flag's value.
    pub fn req(&self, flag: &str) -> Result<&str, CliError> {
        self.opt(flag)
            .ok_or_else(|| usage(self.command, format!("missing required argument {flag}")))
    }

    /// A many-word flag's values (empty when absent).
    pub fn many(&self, flag: &str) -> &[String] {
        self.values.get(flag).map_or(&[], Vec::as_slice)
    }

    /// A required many-word flag's values.
    pub fn req_many(&self, flag: &str) -> Result<&[String], CliError> {
        if self.has(flag) {
            Ok(self.many(flag))
        } else {
            Err(usage(
                self.command,
                format!("missing required argument {flag}"),
            ))
        }
    }

    /// A decimal number.
    pub fn number(&self, flag: &str, text: &str) -> Result<u32, CliError> {
        crate::kmu::lexer::decimal(text).ok_or_else(|| {
            usage(
                self.command,
                format!("{flag} takes a decimal number, not \"{text}\""),
            )
        })
    }

    /// The line as the audit log records it: canonical, without the password
    /// and without the bytes of `--data`.
    pub fn audit_text(&self) -> String {
        let mut text = self.command.name();
        if let Some(choice) = &self.choice {
            text.push(' ');
            text.push_str(choice);
        }
        for word in &self.topic {
            text.push(' ');
            text.push_str(&quoted(word));
        }
        for flag in self.spec().flags {
            let Some(values) = self.values.get(flag.name) else {
                continue;
            };
            if flag.secret {
                continue;
            }
            text.push(' ');
            text.push_str(flag.name);
            if flag.name == "--data" {
                let len = values.first().map_or(0, String::len);
                text.push_str(&format!(" <{len} base64 characters>"));
                continue;
            }
            for value in values {
                text.push(' ');
                text.push_str(&quoted(value));
            }
        }
        text
    }
}

fn quoted(s: &str) -> String {
    if s.is_empty() || s.contains(char::is_whitespace) {
        format!("\"{s}\"")
    } else {
        s.to_owned()
    }
}

/// One term of a key filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FilterTerm {
    /// `key-reference=0x…`.
    Reference(KeyHandle),
    /// `attr.label=…`.
    Label(String),
    /// `attr.id=…`.
    Id(String),
    /// `attr.key-type=aes|generic-secret`.
    KeyType(KeyType),
    /// `attr.class=secret-key`.
    SecretKey,
    /// `attr.class=public-key|private-key` (RSA key pairs).
    Class(crate::store::KeyClass),
    /// `attr.check-value=0x……`.
    CheckValue([u8; 3]),
    /// `attr.key-length-bytes=N`.
    Length(u32),
    /// `attr.<flag>=true|false`.
    Flag(crate::store::AttributeType, bool),
    /// `attr.modulus=0x…`, `attr.public-exponent=0x…` (hex, leading zero
    /// bytes ignored) or `attr.modulus-size-bits=N`: RSA keys only.
    Rsa(crate::store::Attribute),
}

/// A key's reference as CloudHSM CLI prints it: `0x` and 16 hex digits of
/// the handle KMU shows.
pub fn reference(handle: KeyHandle) -> String {
    format!("0x{:016x}", handle.get())
}

/// The key type named as CloudHSM CLI names it.
pub fn key_type_name(t: KeyType) -> &'static str {
    match t {
        KeyType::Aes => "aes",
        KeyType::GenericSecret => "generic-secret",
        KeyType::Des3 => "des3",
        KeyType::Rsa => "rsa",
        KeyType::Ec => "ec",
        KeyType::Dsa => "dsa",
        KeyType::Rc4 => "rc4",
    }
}

/// The attribute a CloudHSM CLI attribute name stands for.
pub fn attribute_named(name: &str) -> Option<crate::store::AttributeType> {
    use crate::store::AttributeType as A;
    Some(match name {
        "class" => A::Class,
        "token" => A::Token,
        "private" => A::Private,
        "label" => A::Label,
        "trusted" => A::Trusted,
        "key-type" => A::KeyType,
        "id" => A::Id,
        "sensitive" => A::Sensitive,
        "encrypt" => A::Encrypt,
        "decrypt" => A::Decrypt,
        "wrap" => A::Wrap,
        "unwrap" => A::Unwrap,
        "key-length-bytes" => A::ValueLen,
        "extractable" => A::Extractable,
        "local" => A::Local,
        "never-extractable" => A::NeverExtractable,
        "check-value" => A::Kcv,
        "wrap-with-trusted" => A::WrapWithTrusted,
        "modulus" => A::Modulus,
        "modulus-size-bits" => A::ModulusBits,
        "public-exponent" => A::PublicExponent,
        _ => return None,
    })
}

/// `true` or `false`, as CloudHSM CLI spells flags.
pub fn flag_value(text: &str) -> Option<bool> {
    match text {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// Parses filter terms, all of which a key must match.
pub fn parse_filter(
    command: CliCommandName,
    terms: &[String],
) -> Result<Vec<FilterTerm>, CliError> {
    terms
        .iter()
        .map(|term| {
            let bad = |why: &str| usage(command, format!("filter \"{term}\": {why}"));
            let (name, value) = term
                .split_once('=')
                .ok_or_else(|| bad("expected key-reference=0x… or attr.NAME=VALUE"))?;
            if name == "key-reference" {
                let digits = value
                    .strip_prefix("0x")
                    .ok_or_else(|| bad("a key reference is 0x and 16 hex digits"))?;
                if digits.is_empty() || digits.len() > 16 {
                    return Err(bad("a key reference is 0x and 16 hex digits"));
                }
                let n = u64::from_str_radix(digits, 16)
                    .map_err(|_| bad("a key reference is 0x and 16 hex digits"))?;
                return Ok(FilterTerm::Reference(KeyHandle::new(n)));
            }
            let attr = name
                .strip_prefix("attr.")
                .ok_or_else(|| bad("expected key-reference=0x… or attr.NAME=VALUE"))?;
            use crate::store::AttributeType as A;
            let Some(attribute) = attribute_named(attr) else {
                return Err(bad("no attribute has this name"));
            };
            Ok(match attribute {
                A::Label => FilterTerm::Label(value.to_owned()),
                A::Id => FilterTerm::Id(value.to_owned()),
                A::KeyType => match value {
                    "aes" => FilterTerm::KeyType(KeyType::Aes),
                    "generic-secret" => FilterTerm::KeyType(KeyType::GenericSecret),
                    "rsa" => FilterTerm::KeyType(KeyType::Rsa),
                    _ => return Err(bad("this HSM holds aes and generic-secret keys")),
                },
                A::Class => match value {
                    "secret-key" => FilterTerm::SecretKey,
                    "public-key" => FilterTerm::Class(crate::store::KeyClass::Public),
                    "private-key" => FilterTerm::Class(crate::store::KeyClass::Private),
                    _ => return Err(bad("this HSM holds secret-key keys only")),
                },
                A::Kcv => FilterTerm::CheckValue(
                    crate::kmu::parse_kcv(value)
                        .ok_or_else(|| bad("a check value is 0x and 6 hex digits"))?,
                ),
                A::ValueLen => FilterTerm::Length(
                    value
                        .parse()
                        .map_err(|_| bad("key-length-bytes is a decimal number"))?,
                ),
                A::ModulusBits => FilterTerm::Rsa(crate::store::Attribute::ModulusBits(
                    value
                        .parse()
                        .map_err(|_| bad("modulus-size-bits is a decimal number"))?,
                )),
                A::Modulus | A::PublicExponent => {
                    let bytes = value
                        .strip_prefix("0x")
                        .and_then(|digits| {
                            crate::encoding::decode(digits, crate::encoding::Format::Hex).ok()
                        })
                        .ok_or_else(|| bad("takes 0x and hex digits"))?;
                    let first = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
                    let bytes = bytes.get(first..).unwrap_or_default().to_vec();
                    FilterTerm::Rsa(if attribute == A::Modulus {
                        crate::store::Attribute::Modulus(bytes)
                    } else {
                        crate::store::Attribute::PublicExponent(bytes)
                    })
                }
                flag => FilterTerm::Flag(
                    flag,
                    flag_value(value).ok_or_else(|| bad("takes true or false"))?,
                ),
            })
        })
        .collect()
}

impl FilterTerm {
    /// Whether `key` matches the term.
    pub fn matches(&self, key: &KeyObject) -> bool {
        let a = key.attributes();
        match self {
            Self::Reference(h) => key.handle() == *h,
            Self::Label(l) => a.label == *l,
            Self::Id(i) => a.id == *i,
            Self::KeyType(t) => a.key_type == *t,
            Self::SecretKey => key.is_secret(),
            Self::Class(c) => a.class == *c,
            Self::CheckValue(k) => a.kcv == *k,
            Self::Length(n) => a.value_len == *n,
            Self::Flag(t, on) => a.get(*t) == crate::hsm::rules::flag_attribute(*t, *on),
            Self::Rsa(wanted) => a.get(wanted.attribute_type()).as_ref() == Some(wanted),
        }
    }
}
