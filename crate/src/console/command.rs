//! The command grammar: words → a typed [`Command`], or a usage error.

use std::collections::BTreeMap;

use super::error::ConsoleError;
use super::lexer::split_words;
use crate::store::{AttributeType, KeyClass, KeyHandle, KeyType, UserId, UserType};
use crate::{Iv, Mechanism};

/// The commands the console knows, with their usage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CommandName {
    /// `help`.
    Help,
    /// `loginHSM`.
    LoginHsm,
    /// `logoutHSM`.
    LogoutHsm,
    /// `loginStatus`.
    LoginStatus,
    /// `genSymKey`.
    GenSymKey,
    /// `wrapKey`.
    WrapKey,
    /// `unWrapKey`.
    UnWrapKey,
    /// `findKey`.
    FindKey,
    /// `getAttribute`.
    GetAttribute,
    /// `setAttribute`.
    SetAttribute,
    /// `deleteKey`.
    DeleteKey,
    /// `shareKey`.
    ShareKey,
    /// `exSymKey`.
    ExSymKey,
    /// `imSymKey`.
    ImSymKey,
    /// `aesWrapUnwrap`.
    AesWrapUnwrap,
    /// `listAttributes`.
    ListAttributes,
    /// `exit` (also `quit`): ends the native console; a no-op in the page.
    Exit,
}

/// One flag of a command's grammar.
#[derive(Clone, Copy, Debug)]
struct Flag {
    name: &'static str,
    takes_value: bool,
}

const fn v(name: &'static str) -> Flag {
    Flag {
        name,
        takes_value: true,
    }
}
const fn s(name: &'static str) -> Flag {
    Flag {
        name,
        takes_value: false,
    }
}

impl CommandName {
    /// Every command, in `help` order.
    pub const ALL: [CommandName; 17] = [
        Self::Help,
        Self::Exit,
        Self::LoginHsm,
        Self::LogoutHsm,
        Self::LoginStatus,
        Self::AesWrapUnwrap,
        Self::DeleteKey,
        Self::ExSymKey,
        Self::FindKey,
        Self::GenSymKey,
        Self::GetAttribute,
        Self::ImSymKey,
        Self::ListAttributes,
        Self::SetAttribute,
        Self::ShareKey,
        Self::UnWrapKey,
        Self::WrapKey,
    ];

    /// The name as typed.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Help => "help",
            Self::LoginHsm => "loginHSM",
            Self::LogoutHsm => "logoutHSM",
            Self::LoginStatus => "loginStatus",
            Self::GenSymKey => "genSymKey",
            Self::WrapKey => "wrapKey",
            Self::UnWrapKey => "unWrapKey",
            Self::FindKey => "findKey",
            Self::GetAttribute => "getAttribute",
            Self::SetAttribute => "setAttribute",
            Self::DeleteKey => "deleteKey",
            Self::ShareKey => "shareKey",
            Self::ExSymKey => "exSymKey",
            Self::ImSymKey => "imSymKey",
            Self::AesWrapUnwrap => "aesWrapUnwrap",
            Self::ListAttributes => "listAttributes",
            Self::Exit => "exit",
        }
    }

    /// The command a typed name stands for (`quit` is `exit`).
    pub fn from_name(name: &str) -> Option<Self> {
        if name == "quit" {
            return Some(Self::Exit);
        }
        Self::ALL.into_iter().find(|c| c.name() == name)
    }

    /// One line for `help`.
    pub const fn summary(self) -> &'static str {
        match self {
            Self::Help => "Displays this information",
            Self::Exit => "Exits this application",
            Self::LoginHsm => "Login to the HSM",
            Self::LogoutHsm => "Logout from the HSM",
            Self::LoginStatus => "Shows who is logged in",
            Self::AesWrapUnwrap => "Does NIST AES Wrap/Unwrap of a file's contents",
            Self::DeleteKey => "Delete Key",
            Self::ExSymKey => "Export a symmetric key (in plaintext)",
            Self::FindKey => "Find Key",
            Self::GenSymKey => "Generates a Symmetric keys",
            Self::GetAttribute => "Reads/Gets key attributes",
            Self::ImSymKey => "Imports a Symmetric key (in plaintext)",
            Self::ListAttributes => "List all attributes for getAttributes",
            Self::SetAttribute => "Sets an attribute of a key",
            Self::ShareKey => "Shares or unshares a key with a crypto user",
            Self::UnWrapKey => "UnWraps a key into HSM using the specified handle",
            Self::WrapKey => "Wraps a key from the HSM using the specified handle",
        }
    }

    /// The KMU library function whose status line reports a refusal found
    /// while reading the arguments (an unsupported `-m`, a bad `-u`).
    pub const fn function(self) -> &'static str {
        match self {
            Self::LoginHsm => "Cfm3LoginHSM",
            Self::LogoutHsm => "Cfm3LogoutHSM",
            Self::GenSymKey => "Cfm3GenerateSymmetricKey",
            Self::WrapKey => "Cfm2WrapKey",
            Self::UnWrapKey => "Cfm3UnWrapKey",
            Self::FindKey => "Cfm3FindKey",
            Self::GetAttribute => "Cfm3GetAttribute",
            Self::SetAttribute => "Cfm3SetAttribute",
            Self::DeleteKey => "Cfm3DeleteKey",
            Self::ShareKey => "Cfm3ShareKey",
            Self::ExSymKey => "Cfm3WrapKey",
            Self::ImSymKey => "Cfm3WrapHostKey",
            Self::AesWrapUnwrap => "Cfm3WrapHostKey",
            Self::Help | Self::Exit | Self::LoginStatus | Self::ListAttributes => "Cfm3Util",
        }
    }

    /// The syntax lines, as the command's usage prints them.
    pub const fn syntax(self) -> &'static str {
        match self {
            Self::Help => "help [<command> | mechanisms]",
            Self::Exit => "exit",
            Self::LoginHsm => "loginHSM -u <CO|CU> -s <user name> [-p <password>]",
            Self::LogoutHsm => "logoutHSM",
            Self::LoginStatus => "loginStatus",
            Self::AesWrapUnwrap => {
                "aesWrapUnwrap -m <1 (wrap) | 0 (unwrap)> -f <file> -w <wrapping key handle>\n\
                 \x20             [-i <wrapping IV, 16 hex digits>] [-out <file>]"
            }
            Self::DeleteKey => "deleteKey -k <key handle>",
            Self::ExSymKey => {
                "exSymKey -k <key to export> -w <wrapping key handle> -out <key file> [-m 4]"
            }
            Self::FindKey => {
                "findKey [-c <key class>] [-t <key type>] [-l <label>] [-id <key ID>]\n\
                 \x20       [-sess <0|1>] [-kcv <key check value>]"
            }
            Self::GenSymKey => {
                "genSymKey -t <key type: 16 GENERIC_SECRET, 31 AES> -s <key size in bytes> -l <label>\n\
                 \x20         [-id <key ID>] [-nex] [-sess]"
            }
            Self::GetAttribute => {
                "getAttribute -o <key handle> -a <attribute number | 512 for all> [-out <file>]"
            }
            Self::ImSymKey => {
                "imSymKey -f <key file> -w <wrapping key handle> -t <31 AES> -l <label>\n\
                 \x20        [-id <key ID>] [-sess]"
            }
            Self::ListAttributes => "listAttributes",
            Self::SetAttribute => "setAttribute -o <key handle> -a <attribute number> -v <value>",
            Self::ShareKey => "shareKey -k <key handle> -u <user id> -m <1 (share) | 0 (unshare)>",
            Self::UnWrapKey => {
                "unWrapKey -f <wrapped key file> -w <unwrapping key handle> [-m <4|5|6>]\n\
                 \x20         [-noheader -l <label> -kc <4> -kt <16|31> [-id <key ID>]] [-i <IV>]\n\
                 \x20         [-nex] [-sess]"
            }
            Self::WrapKey => {
                "wrapKey -k <key to wrap> -w <wrapping key handle> -out <file> -m <4|5|6>\n\
                 \x20       [-noheader] [-i <wrapping IV, with -noheader only>]"
            }
        }
    }

    /// The flags the command takes.
    fn flags(self) -> &'static [Flag] {
        match self {
            Self::Help
            | Self::Exit
            | Self::LogoutHsm
            | Self::LoginStatus
            | Self::ListAttributes => const { &[] },
            Self::LoginHsm => const { &[v("-u"), v("-s"), v("-p")] },
            Self::AesWrapUnwrap => const { &[v("-m"), v("-f"), v("-w"), v("-i"), v("-out")] },
            Self::DeleteKey => const { &[v("-k")] },
            Self::ExSymKey => const { &[v("-k"), v("-w"), v("-out"), v("-m")] },
            Self::FindKey => {
                const { &[v("-c"), v("-t"), v("-l"), v("-id"), v("-sess"), v("-kcv")] }
            }
            Self::GenSymKey => {
                const { &[v("-t"), v("-s"), v("-l"), v("-id"), s("-nex"), s("-sess")] }
            }
            Self::GetAttribute => const { &[v("-o"), v("-a"), v("-out")] },
            Self::ImSymKey => const { &[v("-f"), v("-w"), v("-t"), v("-l"), v("-id"), s("-sess")] },
            Self::SetAttribute => const { &[v("-o"), v("-a"), v("-v")] },
            Self::ShareKey => const { &[v("-k"), v("-u"), v("-m")] },
            Self::UnWrapKey => {
                const {
                    &[
                        v("-f"),
                        v("-w"),
                        v("-m"),
                        s("-noheader"),
                        v("-l"),
                        v("-kc"),
                        v("-kt"),
                        v("-id"),
                        v("-i"),
                        s("-nex"),
                        s("-sess"),
                    ]
                }
            }
            Self::WrapKey => {
                const {
                    &[
                        v("-k"),
                        v("-w"),
                        v("-out"),
                        v("-m"),
                        s("-noheader"),
                        v("-i"),
                    ]
                }
            }
        }
    }

    /// The flag names the command takes (for tab completion).
    pub fn flag_names(self) -> impl Iterator<Item = &'static str> {
        self.flags().iter().map(|f| f.name)
    }

    /// Whether `flag` is one of the command's flags that takes a value.
    pub fn takes_value(self, flag: &str) -> bool {
        self.flags().iter().any(|f| f.name == flag && f.takes_value)
    }

    /// The values tab completion offers after a value flag (empty for free
    /// text such as a label or an IV). Key types and sizes follow KMU's
    /// documentation as this console accepts them.
    pub fn flag_values(self, flag: &str) -> &'static [&'static str] {
        match (self, flag) {
            (Self::GenSymKey | Self::FindKey, "-t") | (Self::UnWrapKey, "-kt") => &["16", "31"],
            (Self::ImSymKey, "-t") => &["31"],
            (Self::GenSymKey, "-s") => &["16", "24", "32"],
            (Self::WrapKey | Self::UnWrapKey, "-m") => &["4", "5", "6"],
            (Self::ExSymKey, "-m") => &["4"],
            (Self::AesWrapUnwrap | Self::ShareKey, "-m") => &["0", "1"],
            (Self::UnWrapKey, "-kc") | (Self::FindKey, "-c") => &["4"],
            (Self::FindKey, "-sess") => &["0", "1"],
            (Self::LoginHsm, "-u") => &["CO", "CU"],
            (Self::GetAttribute, "-a") => &["512"],
            _ => &[],
        }
    }

    /// The command a mistyped name most likely meant: the same name in
    /// another case (`wrapkey`), or one edit away (`wrapKye`, `genSymKy`).
    pub fn closest(name: &str) -> Option<Self> {
        let lower = name.to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|c| c.name().to_ascii_lowercase() == lower)
            .or_else(|| {
                Self::ALL
                    .into_iter()
                    .find(|c| within_one_edit(&lower, &c.name().to_ascii_lowercase()))
            })
    }
}

/// What `getAttribute -a` selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttributeSelector {
    /// `-a 512`: every attribute.
    All,
    /// One attribute.
    One(AttributeType),
}

/// The template `unWrapKey -noheader` builds the new key from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoHeaderTemplate {
    /// `-l`.
    pub label: String,
    /// `-kc`.
    pub class: KeyClass,
    /// `-kt`.
    pub key_type: KeyType,
    /// `-id`.
    pub id: Option<String>,
}

/// A parsed command line.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs)] // Field names are the flags they come from; each variant says which.
pub enum Command {
    /// `help`, `help <command>`, `help mechanisms`, or `<command> -h`.
    Help(HelpTopic),
    /// `exit` / `quit`.
    Exit,
    /// `loginHSM -u -s [-p]`. The password is dropped at parse time: the page
    /// has no secrets to check it against, and it must never reach the audit.
    LoginHsm { user_type: UserType, user: String },
    /// `logoutHSM`.
    LogoutHsm,
    /// `loginStatus`.
    LoginStatus,
    /// `genSymKey -t -s -l [-id] [-nex] [-sess]`.
    GenSymKey {
        key_type: KeyType,
        size: u32,
        label: String,
        id: Option<String>,
        nex: bool,
        sess: bool,
    },
    /// `wrapKey -k -w -out -m [-noheader] [-i]`.
    WrapKey {
        key: KeyHandle,
        wrapping: KeyHandle,
        out: String,
        mechanism: Mechanism,
        noheader: bool,
        iv: Option<Iv>,
    },
    /// `unWrapKey -f -w [-m] [-noheader -l -kc -kt [-id]] [-i] [-nex] [-sess]`.
    UnWrapKey {
        file: String,
        unwrapping: KeyHandle,
        mechanism: Option<Mechanism>,
        noheader: Option<NoHeaderTemplate>,
        iv: Option<Iv>,
        nex: bool,
        sess: bool,
    },
    /// `findKey [-c] [-t] [-l] [-id] [-sess] [-kcv]`.
    FindKey {
        class: Option<KeyClass>,
        key_type: Option<KeyType>,
        label: Option<String>,
        id: Option<String>,
        sess: Option<bool>,
        kcv: Option<[u8; 3]>,
    },
    /// `getAttribute -o -a [-out]`.
    GetAttribute {
        handle: KeyHandle,
        attribute: AttributeSelector,
        out: Option<String>,
    },
    /// `setAttribute -o -a -v`.
    SetAttribute {
        handle: KeyHandle,
        attribute: AttributeType,
        value: String,
    },
    /// `deleteKey -k`.
    DeleteKey { handle: KeyHandle },
    /// `shareKey -k -u -m`.
    ShareKey {
        handle: KeyHandle,
        user: UserId,
        share: bool,
    },
    /// `exSymKey -k -w -out [-m 4]`.
    ExSymKey {
        key: KeyHandle,
        wrapping: KeyHandle,
        out: String,
    },
    /// `imSymKey -f -w -t -l [-id] [-sess]`.
    ImSymKey {
        file: String,
        wrapping: KeyHandle,
        key_type: KeyType,
        label: String,
        id: Option<String>,
        sess: bool,
    },
    /// `aesWrapUnwrap -m -f -w [-i] [-out]`.
    AesWrapUnwrap {
        wrap: bool,
        file: String,
        key: KeyHandle,
        iv: Option<Iv>,
        out: Option<String>,
    },
    /// `listAttributes`.
    ListAttributes,
}

/// What `help` was asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HelpTopic {
    /// The list of commands.
    Commands,
    /// One command's usage.
    Command(CommandName),
    /// The mapping of mechanism names across tools.
    Mechanisms,
}

impl Command {
    /// The command's name.
    pub fn name(&self) -> CommandName {
        match self {
            Self::Help(_) => CommandName::Help,
            Self::Exit => CommandName::Exit,
            Self::LoginHsm { .. } => CommandName::LoginHsm,
            Self::LogoutHsm => CommandName::LogoutHsm,
            Self::LoginStatus => CommandName::LoginStatus,
            Self::GenSymKey { .. } => CommandName::GenSymKey,
            Self::WrapKey { .. } => CommandName::WrapKey,
            Self::UnWrapKey { .. } => CommandName::UnWrapKey,
            Self::FindKey { .. } => CommandName::FindKey,
            Self::GetAttribute { .. } => CommandName::GetAttribute,
            Self::SetAttribute { .. } => CommandName::SetAttribute,
            Self::DeleteKey { .. } => CommandName::DeleteKey,
            Self::ShareKey { .. } => CommandName::ShareKey,
            Self::ExSymKey { .. } => CommandName::ExSymKey,
            Self::ImSymKey { .. } => CommandName::ImSymKey,
            Self::AesWrapUnwrap { .. } => CommandName::AesWrapUnwrap,
            Self::ListAttributes => CommandName::ListAttributes,
        }
    }

    /// The command as the audit log records it: canonical, and never holding
    /// a password or key bytes (no command carries key bytes; the password
    /// was dropped when parsing).
    pub fn audit_text(&self) -> String {
        let q = |s: &str| {
            if s.is_empty() || s.contains(char::is_whitespace) {
                format!("\"{s}\"")
            } else {
                s.to_owned()
            }
        };
        let opt = |flag: &str, value: &Option<String>| match value {
            Some(v) => format!(" {flag} {}", q(v)),
            None => String::new(),
        };
        let flag = |name: &str, on: bool| {
            if on {
                format!(" {name}")
            } else {
                String::new()
            }
        };
        let iv = |iv: &Option<Iv>| match iv {
            Some(iv) => format!(" -i {}", hex(iv.as_bytes())),
            None => String::new(),
        };
        match self {
            Self::Help(HelpTopic::Commands) => "help".to_owned(),
            Self::Help(HelpTopic::Command(c)) => format!("help {}", c.name()),
            Self::Help(HelpTopic::Mechanisms) => "help mechanisms".to_owned(),
            Self::Exit => "exit".to_owned(),
            Self::LoginHsm { user_type, user } => {
                format!("loginHSM -u {} -s {}", user_type.kmu_name(), q(user))
            }
            Self::LogoutHsm => "logoutHSM".to_owned(),
            Self::LoginStatus => "loginStatus".to_owned(),
            Self::GenSymKey {
                key_type,
                size,
                label,
                id,
                nex,
                sess,
            } => format!(
                "genSymKey -t {} -s {size} -l {}{}{}{}",
                key_type.number(),
                q(label),
                opt("-id", id),
                flag("-nex", *nex),
                flag("-sess", *sess)
            ),
            Self::WrapKey {
                key,
                wrapping,
                out,
                mechanism,
                noheader,
                iv: i,
            } => format!(
                "wrapKey -k {key} -w {wrapping} -out {} -m {}{}{}",
                q(out),
                mechanism.kmu_number(),
                flag("-noheader", *noheader),
                iv(i)
            ),
            Self::UnWrapKey {
                file,
                unwrapping,
                mechanism,
                noheader,
                iv: i,
                nex,
                sess,
            } => {
                let mut text = format!("unWrapKey -f {} -w {unwrapping}", q(file));
                if let Some(m) = mechanism {
                    text.push_str(&format!(" -m {}", m.kmu_number()));
                }
                if let Some(t) = noheader {
                    text.push_str(&format!(
                        " -noheader -l {} -kc {} -kt {}{}",
                        q(&t.label),
                        t.class.number(),
                        t.key_type.number(),
                        opt("-id", &t.id)
                    ));
                }
                text.push_str(&iv(i));
                text.push_str(&flag("-nex", *nex));
                text.push_str(&flag("-sess", *sess));
                text
            }
            Self::FindKey {
                class,
                key_type,
                label,
                id,
                sess,
                kcv,
            } => {
                let mut text = "findKey".to_owned();
                if let Some(c) = class {
                    text.push_str(&format!(" -c {}", c.number()));
                }
                if let Some(t) = key_type {
                    text.push_str(&format!(" -t {}", t.number()));
                }
                text.push_str(&opt("-l", label));
                text.push_str(&opt("-id", id));
                if let Some(sess) = sess {
                    text.push_str(&format!(" -sess {}", u8::from(*sess)));
                }
                if let Some(k) = kcv {
                    text.push_str(&format!(" -kcv {}", hex(k)));
                }
                text
            }
            Self::GetAttribute {
                handle,
                attribute,
                out,
            } => format!(
                "getAttribute -o {handle} -a {}{}",
                match attribute {
                    AttributeSelector::All => AttributeType::ALL_NUMBER,
                    AttributeSelector::One(a) => a.number(),
                },
                opt("-out", out)
            ),
            Self::SetAttribute {
                handle,
                attribute,
                value,
            } => format!(
                "setAttribute -o {handle} -a {} -v {}",
                attribute.number(),
                q(value)
            ),
            Self::DeleteKey { handle } => format!("deleteKey -k {handle}"),
            Self::ShareKey {
                handle,
                user,
                share,
            } => format!("shareKey -k {handle} -u {user} -m {}", u8::from(*share)),
            Self::ExSymKey { key, wrapping, out } => {
                format!("exSymKey -k {key} -w {wrapping} -out {} -m 4", q(out))
            }
            Self::ImSymKey {
                file,
                wrapping,
                key_type,
                label,
                id,
                sess,
            } => format!(
                "imSymKey -f {} -w {wrapping} -t {} -l {}{}{}",
                q(file),
                key_type.number(),
                q(label),
                opt("-id", id),
                flag("-sess", *sess)
            ),
            Self::AesWrapUnwrap {
                wrap,
                file,
                key,
                iv: i,
                out,
            } => format!(
                "aesWrapUnwrap -m {} -f {} -w {key}{}{}",
                u8::from(*wrap),
                q(file),
                iv(i),
                opt("-out", out)
            ),
            Self::ListAttributes => "listAttributes".to_owned(),
        }
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The flags of one command line, checked against the command's grammar.
struct Args {
    command: CommandName,
    values: BTreeMap<&'static str, Option<String>>,
}

impl Args {
    fn parse(command: CommandName, words: &[String]) -> Result<Self, ConsoleError> {
        let mut values = BTreeMap::new();
        let mut rest = words.iter();
        while let Some(word) = rest.next() {
            let Some(flag) = command.flags().iter().find(|f| f.name == word) else {
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
            if matches!(flag.name, "-l" | "-id") && value.as_ref().is_some_and(|v| v.len() > 255) {
                return Err(usage(
                    command,
                    format!("{} is at most 255 bytes", flag.name),
                ));
            }
            if values.insert(flag.name, value).is_some() {
                return Err(usage(command, format!("{} is given twice", flag.name)));
            }
        }
        Ok(Self { command, values })
    }

    fn has(&self, flag: &str) -> bool {
        self.values.contains_key(flag)
    }

    fn opt(&self, flag: &str) -> Option<&str> {
        self.values.get(flag).and_then(|v| v.as_deref())
    }

    fn req(&self, flag: &str) -> Result<&str, ConsoleError> {
        self.opt(flag)
            .ok_or_else(|| usage(self.command, format!("missing mandatory argument {flag}")))
    }

    fn number(&self, flag: &str, text: &str) -> Result<u32, ConsoleError> {
        if !text.is_empty()
            && text.bytes().all(|b| b.is_ascii_digit())
            && let Ok(n) = text.parse::<u32>()
        {
            return Ok(n);
        }
        Err(usage(
            self.command,
            format!("{flag} takes a decimal number, not \"{text}\""),
        ))
    }

    fn req_number(&self, flag: &str) -> Result<u32, ConsoleError> {
        let text = self.req(flag)?;
        self.number(flag, text)
    }

    fn opt_number(&self, flag: &str) -> Result<Option<u32>, ConsoleError> {
        self.opt(flag).map(|t| self.number(flag, t)).transpose()
    }

    fn handle(&self, flag: &str) -> Result<KeyHandle, ConsoleError> {
        let text = self.req(flag)?;
        text.parse::<KeyHandle>().map_err(|_| {
            usage(
                self.command,
                format!("{flag} takes a key handle (a decimal number), not \"{text}\""),
            )
        })
    }

    fn bit(&self, flag: &str) -> Result<bool, ConsoleError> {
        match self.req(flag)? {
            "1" => Ok(true),
            "0" => Ok(false),
            other => Err(usage(
                self.command,
                format!("{flag} takes 0 or 1, not \"{other}\""),
            )),
        }
    }

    fn mechanism(&self, flag: &str, text: &str) -> Result<Mechanism, ConsoleError> {
        let n = self.number(flag, text)?;
        u8::try_from(n)
            .ok()
            .and_then(Mechanism::from_kmu_number)
            .ok_or(ConsoleError::Refused {
                command: self.command,
                error: Box::new(ConsoleError::UnsupportedMechanism(n)),
            })
    }

    fn iv(&self) -> Result<Option<Iv>, ConsoleError> {
        match self.opt("-i") {
            None => Ok(None),
            Some(text) => {
                // Accept "A6A6…", "0xA6A6…" and spaced forms; exactly 8 bytes.
                Iv::parse_hex(text)
                    .map(Some)
                    .map_err(|e| usage(self.command, format!("-i: {e}")))
            }
        }
    }

    fn key_type(&self, flag: &str, n: u32) -> Result<KeyType, ConsoleError> {
        KeyType::from_number(n)
            .ok_or_else(|| usage(self.command, format!("{flag}: {n} is not a key type")))
    }
}

/// Whether `a` becomes `b` by one insertion, deletion, substitution or swap
/// of two neighbouring characters.
fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let ra = a.get(common..).unwrap_or_default();
    let rb = b.get(common..).unwrap_or_default();
    match (ra.len(), rb.len()) {
        (x, y) if x == y => {
            ra.get(1..) == rb.get(1..)
                || (ra.first() == rb.get(1)
                    && ra.get(1) == rb.first()
                    && ra.get(2..) == rb.get(2..))
        }
        (x, y) if x + 1 == y => Some(ra) == rb.get(1..),
        (x, y) if y + 1 == x => ra.get(1..) == Some(rb),
        _ => false,
    }
}

fn usage(command: CommandName, detail: String) -> ConsoleError {
    ConsoleError::Usage { command, detail }
}

/// Parses one console line. An empty (or all-blank) line gives `Ok(None)`.
pub fn parse_line(line: &str) -> Result<Option<Command>, ConsoleError> {
    let words = split_words(line).map_err(ConsoleError::Lex)?;
    let Some((first, rest)) = words.split_first() else {
        return Ok(None);
    };
    let Some(name) = CommandName::from_name(first) else {
        return Err(ConsoleError::UnknownCommand(first.clone()));
    };
    if rest.iter().any(|w| w == "-h") {
        return Ok(Some(Command::Help(HelpTopic::Command(name))));
    }
    parse_command(name, rest).map(Some)
}

fn parse_command(name: CommandName, rest: &[String]) -> Result<Command, ConsoleError> {
    if name == CommandName::Help {
        return match rest {
            [] => Ok(Command::Help(HelpTopic::Commands)),
            [topic] if topic == "mechanisms" => Ok(Command::Help(HelpTopic::Mechanisms)),
            [topic] => CommandName::from_name(topic)
                .map(|c| Command::Help(HelpTopic::Command(c)))
                .ok_or_else(|| usage(name, format!("no command is named \"{topic}\""))),
            _ => Err(usage(name, "help takes at most one topic".to_owned())),
        };
    }
    let a = Args::parse(name, rest)?;
    Ok(match name {
        CommandName::Help => Command::Help(HelpTopic::Commands),
        CommandName::Exit => Command::Exit,
        CommandName::LogoutHsm => Command::LogoutHsm,
        CommandName::LoginStatus => Command::LoginStatus,
        CommandName::ListAttributes => Command::ListAttributes,
        CommandName::LoginHsm => {
            let kind = a.req("-u")?;
            let user = a.req("-s")?.to_owned();
            let user_type = UserType::from_kmu_name(kind).ok_or(ConsoleError::Refused {
                command: name,
                error: Box::new(ConsoleError::InvalidUserType),
            })?;
            Command::LoginHsm { user_type, user }
        }
        CommandName::GenSymKey => {
            let t = a.req_number("-t")?;
            let size = a.req_number("-s")?;
            let label = a.req("-l")?.to_owned();
            Command::GenSymKey {
                key_type: a.key_type("-t", t)?,
                size,
                label,
                id: a.opt("-id").map(str::to_owned),
                nex: a.has("-nex"),
                sess: a.has("-sess"),
            }
        }
        CommandName::WrapKey => {
            let key = a.handle("-k")?;
            let wrapping = a.handle("-w")?;
            let out = a.req("-out")?.to_owned();
            // `-m` became mandatory in KMU when its default was removed.
            let mechanism = a.mechanism("-m", a.req("-m")?)?;
            let noheader = a.has("-noheader");
            let iv = a.iv()?;
            if iv.is_some() && !noheader {
                return Err(usage(name, "-i is valid only with -noheader".to_owned()));
            }
            Command::WrapKey {
                key,
                wrapping,
                out,
                mechanism,
                noheader,
                iv,
            }
        }
        CommandName::UnWrapKey => {
            let file = a.req("-f")?.to_owned();
            let unwrapping = a.handle("-w")?;
            let mechanism = a.opt("-m").map(|m| a.mechanism("-m", m)).transpose()?;
            let noheader = if a.has("-noheader") {
                let label = a.req("-l")?.to_owned();
                let kc = a.req_number("-kc")?;
                let kt = a.req_number("-kt")?;
                if mechanism.is_none() {
                    return Err(usage(
                        name,
                        "-noheader needs -m: there is no header to name the mechanism".to_owned(),
                    ));
                }
                Some(NoHeaderTemplate {
                    label,
                    class: KeyClass::from_number(kc)
                        .ok_or_else(|| usage(name, format!("-kc: {kc} is not a key class")))?,
                    key_type: a.key_type("-kt", kt)?,
                    id: a.opt("-id").map(str::to_owned),
                })
            } else {
                for flag in ["-l", "-kc", "-kt", "-id", "-i"] {
                    if a.has(flag) {
                        return Err(usage(name, format!("{flag} is valid only with -noheader")));
                    }
                }
                None
            };
            Command::UnWrapKey {
                file,
                unwrapping,
                mechanism,
                noheader,
                iv: a.iv()?,
                nex: a.has("-nex"),
                sess: a.has("-sess"),
            }
        }
        CommandName::FindKey => {
            let class = match a.opt_number("-c")? {
                Some(c) => Some(
                    KeyClass::from_number(c)
                        .ok_or_else(|| usage(name, format!("-c: {c} is not a key class")))?,
                ),
                None => None,
            };
            let key_type = match a.opt_number("-t")? {
                Some(t) => Some(a.key_type("-t", t)?),
                None => None,
            };
            let sess = if a.has("-sess") {
                Some(a.bit("-sess")?)
            } else {
                None
            };
            let kcv = match a.opt("-kcv") {
                Some(text) => Some(parse_kcv(text).ok_or_else(|| {
                    usage(name, format!("-kcv takes six hex digits, not \"{text}\""))
                })?),
                None => None,
            };
            Command::FindKey {
                class,
                key_type,
                label: a.opt("-l").map(str::to_owned),
                id: a.opt("-id").map(str::to_owned),
                sess,
                kcv,
            }
        }
        CommandName::GetAttribute => {
            let handle = a.handle("-o")?;
            let n = a.req_number("-a")?;
            let attribute = if n == AttributeType::ALL_NUMBER {
                AttributeSelector::All
            } else {
                AttributeSelector::One(AttributeType::from_number(n).ok_or_else(|| {
                    usage(
                        name,
                        format!("-a: {n} is not an attribute (see listAttributes)"),
                    )
                })?)
            };
            Command::GetAttribute {
                handle,
                attribute,
                out: a.opt("-out").map(str::to_owned),
            }
        }
        CommandName::SetAttribute => {
            let handle = a.handle("-o")?;
            let n = a.req_number("-a")?;
            let attribute = AttributeType::from_number(n).ok_or_else(|| {
                usage(
                    name,
                    format!("-a: {n} is not an attribute (see listAttributes)"),
                )
            })?;
            // KMU prompts for a missing -v; a pure console cannot, so -v is required.
            let value = a.req("-v")?.to_owned();
            Command::SetAttribute {
                handle,
                attribute,
                value,
            }
        }
        CommandName::DeleteKey => Command::DeleteKey {
            handle: a.handle("-k")?,
        },
        CommandName::ShareKey => {
            let handle = a.handle("-k")?;
            let user = a.req_number("-u")?;
            let user = u16::try_from(user)
                .map(UserId::new)
                .map_err(|_| usage(name, format!("-u: {user} is not a user id")))?;
            Command::ShareKey {
                handle,
                user,
                share: a.bit("-m")?,
            }
        }
        CommandName::ExSymKey => {
            let key = a.handle("-k")?;
            let wrapping = a.handle("-w")?;
            let out = a.req("-out")?.to_owned();
            if let Some(m) = a.opt("-m")
                && m != "4"
            {
                return Err(usage(
                    name,
                    format!("-m: the only valid value is 4, not \"{m}\""),
                ));
            }
            Command::ExSymKey { key, wrapping, out }
        }
        CommandName::ImSymKey => {
            let file = a.req("-f")?.to_owned();
            let wrapping = a.handle("-w")?;
            let t = a.req_number("-t")?;
            let label = a.req("-l")?.to_owned();
            Command::ImSymKey {
                file,
                wrapping,
                key_type: a.key_type("-t", t)?,
                label,
                id: a.opt("-id").map(str::to_owned),
                sess: a.has("-sess"),
            }
        }
        CommandName::AesWrapUnwrap => {
            let wrap = a.bit("-m")?;
            let file = a.req("-f")?.to_owned();
            let key = a.handle("-w")?;
            Command::AesWrapUnwrap {
                wrap,
                file,
                key,
                iv: a.iv()?,
                out: a.opt("-out").map(str::to_owned),
            }
        }
    })
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
