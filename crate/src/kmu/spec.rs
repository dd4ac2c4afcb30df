//! The one command table: each KMU command's name, summary, syntax, flags
//! (with the values completion offers), the `Cfm…` function that reports
//! it, whether it ends with the cluster block, and the struct that reads and
//! runs it ([`super::commands`]). Help, usage, parsing, running, completion
//! and secret masking all read it, so adding a command is one struct and
//! one row.

use super::commands::{self as c, Parser, parser, words_parser};

/// One flag of a command's grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flag {
    /// As typed, e.g. `-out`.
    pub name: &'static str,
    /// Whether the next word is its value.
    pub takes_value: bool,
    /// Whether that value is a secret (a password): never echoed, never audited.
    pub secret: bool,
    /// The values tab completion offers after it (empty for free text such
    /// as a label or an IV). Key types and sizes follow KMU's documentation
    /// as this console accepts them.
    pub values: &'static [&'static str],
}

const fn v(name: &'static str) -> Flag {
    Flag {
        name,
        takes_value: true,
        secret: false,
        values: &[],
    }
}
const fn s(name: &'static str) -> Flag {
    Flag {
        name,
        takes_value: false,
        secret: false,
        values: &[],
    }
}
const fn secret(name: &'static str) -> Flag {
    Flag {
        name,
        takes_value: true,
        secret: true,
        values: &[],
    }
}

impl Flag {
    /// The same flag, with the values completion offers after it.
    const fn one_of(self, values: &'static [&'static str]) -> Self {
        Self { values, ..self }
    }
}

/// One row of the command table.
#[derive(Clone, Copy, Debug)]
pub struct CommandSpec {
    /// The name as typed.
    pub name: &'static str,
    /// One line for `help`.
    pub summary: &'static str,
    /// The syntax lines, as the usage prints them.
    pub syntax: &'static str,
    /// Lines after the syntax in the usage, if any.
    pub note: Option<&'static str>,
    /// The flags it takes.
    pub flags: &'static [Flag],
    /// The KMU library function whose status line reports it (and a refusal
    /// found while reading its arguments).
    pub function: &'static str,
    /// Whether its status ends with the cluster block.
    pub cluster: bool,
    /// Reads the command's words into its struct, which runs it.
    pub(crate) parse: Parser,
}

const WRAP_NOTE: &str = "-m: 4 AES_KEY_WRAP_PAD_PKCS5, 5 NIST_AES_WRAP_NO_PAD (RFC 3394),\n\
     \x20   6 NIST_AES_WRAP_PAD (RFC 5649). See: help mechanisms.\n\
     -i: CloudHSM accepts only A6A6A6A6A6A6A6A6 with -m 4 and 5, none with -m 6.";

/// `-t` / `-kt`: 16 GENERIC_SECRET, 31 AES.
const KEY_TYPES: &[&str] = &["16", "31"];
/// `-m` of the key wraps: 4, 5, 6.
const HSM_MECHANISMS: &[&str] = &["4", "5", "6"];
/// A 0-or-1 flag.
const BITS: &[&str] = &["0", "1"];

/// Every command, in `help` order.
pub const COMMANDS: [CommandSpec; 17] = [
    CommandSpec {
        name: "help",
        summary: "Displays this information",
        syntax: "help [<command> | mechanisms]",
        note: None,
        flags: &[],
        function: "Cfm3Util",
        cluster: false,
        parse: words_parser::<c::Help>,
    },
    CommandSpec {
        name: "exit",
        summary: "Exits this application",
        syntax: "exit",
        note: None,
        flags: &[],
        function: "Cfm3Util",
        cluster: false,
        parse: parser::<c::Exit>,
    },
    CommandSpec {
        name: "loginHSM",
        summary: "Login to the HSM",
        syntax: "loginHSM -u <CO|CU> -s <user name> [-p <password>]",
        note: Some(
            "Users: admin (CO), alice (CU, you), bob (CU). Any password is accepted:\n\
             the page has no secrets to check it against, and never records it.",
        ),
        flags: &[v("-u").one_of(&["CO", "CU"]), v("-s"), secret("-p")],
        function: "Cfm3LoginHSM",
        cluster: false,
        parse: parser::<c::LoginHsm>,
    },
    CommandSpec {
        name: "logoutHSM",
        summary: "Logout from the HSM",
        syntax: "logoutHSM",
        note: None,
        flags: &[],
        function: "Cfm3LogoutHSM",
        cluster: false,
        parse: parser::<c::LogoutHsm>,
    },
    CommandSpec {
        name: "loginStatus",
        summary: "Shows who is logged in",
        syntax: "loginStatus",
        note: None,
        flags: &[],
        function: "Cfm3Util",
        cluster: false,
        parse: parser::<c::LoginStatus>,
    },
    CommandSpec {
        name: "aesWrapUnwrap",
        summary: "Does NIST AES Wrap/Unwrap of a file's contents",
        syntax: "aesWrapUnwrap -m <1 (wrap) | 0 (unwrap)> -f <file> -w <wrapping key handle>\n\
                 \x20             [-i <wrapping IV, 16 hex digits>] [-out <file>]",
        note: Some(
            "RFC 3394 key wrap of a file's contents (less than 4096 bytes).\n\
             Without -i the default IV 0xA6A6A6A6A6A6A6A6 is used.\n\
             Default -out: wrapped_key (wrap) or unwrapped_key (unwrap).",
        ),
        flags: &[v("-m").one_of(BITS), v("-f"), v("-w"), v("-i"), v("-out")],
        function: "Cfm3WrapHostKey",
        cluster: false,
        parse: parser::<c::AesWrapUnwrap>,
    },
    CommandSpec {
        name: "deleteKey",
        summary: "Delete Key",
        syntax: "deleteKey -k <key handle>",
        note: None,
        flags: &[v("-k")],
        function: "Cfm3DeleteKey",
        cluster: true,
        parse: parser::<c::DeleteKey>,
    },
    CommandSpec {
        name: "exSymKey",
        summary: "Export a symmetric key (in plaintext)",
        syntax: "exSymKey -k <key to export> -w <wrapping key handle> -out <key file> [-m 4]",
        note: None,
        flags: &[v("-k"), v("-w"), v("-out"), v("-m").one_of(&["4"])],
        function: "Cfm3WrapKey",
        cluster: false,
        parse: parser::<c::ExSymKey>,
    },
    CommandSpec {
        name: "findKey",
        summary: "Find Key",
        syntax: "findKey [-c <key class>] [-t <key type>] [-l <label>] [-id <key ID>]\n\
                 \x20       [-sess <0|1>] [-kcv <key check value>]",
        note: None,
        flags: &[
            v("-c").one_of(&["4"]),
            v("-t").one_of(KEY_TYPES),
            v("-l"),
            v("-id"),
            v("-sess").one_of(BITS),
            v("-kcv"),
        ],
        function: "Cfm3FindKey",
        cluster: true,
        parse: parser::<c::FindKey>,
    },
    CommandSpec {
        name: "genSymKey",
        summary: "Generates a Symmetric keys",
        syntax: "genSymKey -t <key type: 16 GENERIC_SECRET, 31 AES> -s <key size in bytes> -l <label>\n\
                 \x20         [-id <key ID>] [-nex] [-sess]",
        note: None,
        flags: &[
            v("-t").one_of(KEY_TYPES),
            v("-s").one_of(&["16", "24", "32"]),
            v("-l"),
            v("-id"),
            s("-nex"),
            s("-sess"),
        ],
        function: "Cfm3GenerateSymmetricKey",
        cluster: true,
        parse: parser::<c::GenSymKey>,
    },
    CommandSpec {
        name: "getAttribute",
        summary: "Reads/Gets key attributes",
        syntax: "getAttribute -o <key handle> -a <attribute number | 512 for all> [-out <file>]",
        note: None,
        flags: &[v("-o"), v("-a").one_of(&["512"]), v("-out")],
        function: "Cfm3GetAttribute",
        cluster: false,
        parse: parser::<c::GetAttribute>,
    },
    CommandSpec {
        name: "imSymKey",
        summary: "Imports a Symmetric key (in plaintext)",
        syntax: "imSymKey -f <key file> -w <wrapping key handle> -t <31 AES> -l <label>\n\
                 \x20        [-id <key ID>] [-sess]",
        note: None,
        flags: &[
            v("-f"),
            v("-w"),
            v("-t").one_of(&["31"]),
            v("-l"),
            v("-id"),
            s("-sess"),
        ],
        function: "Cfm3WrapHostKey",
        cluster: true,
        parse: parser::<c::ImSymKey>,
    },
    CommandSpec {
        name: "listAttributes",
        summary: "List all attributes for getAttributes",
        syntax: "listAttributes",
        note: None,
        flags: &[],
        function: "Cfm3Util",
        cluster: false,
        parse: parser::<c::ListAttributes>,
    },
    CommandSpec {
        name: "setAttribute",
        summary: "Sets an attribute of a key",
        syntax: "setAttribute -o <key handle> -a <attribute number> -v <value>",
        note: None,
        flags: &[v("-o"), v("-a"), v("-v")],
        function: "Cfm3SetAttribute",
        cluster: true,
        parse: parser::<c::SetAttribute>,
    },
    CommandSpec {
        name: "shareKey",
        summary: "Shares or unshares a key with a crypto user",
        syntax: "shareKey -k <key handle> -u <user id> -m <1 (share) | 0 (unshare)>",
        note: None,
        flags: &[v("-k"), v("-u"), v("-m").one_of(BITS)],
        function: "Cfm3ShareKey",
        cluster: true,
        parse: parser::<c::ShareKey>,
    },
    CommandSpec {
        name: "unWrapKey",
        summary: "UnWraps a key into HSM using the specified handle",
        syntax: "unWrapKey -f <wrapped key file> -w <unwrapping key handle> [-m <4|5|6>]\n\
                 \x20         [-noheader -l <label> -kc <4> -kt <16|31> [-id <key ID>]] [-i <IV>]\n\
                 \x20         [-nex] [-sess]",
        note: Some(WRAP_NOTE),
        flags: &[
            v("-f"),
            v("-w"),
            v("-m").one_of(HSM_MECHANISMS),
            s("-noheader"),
            v("-l"),
            v("-kc").one_of(&["4"]),
            v("-kt").one_of(KEY_TYPES),
            v("-id"),
            v("-i"),
            s("-nex"),
            s("-sess"),
        ],
        function: "Cfm3UnWrapKey",
        cluster: true,
        parse: parser::<c::UnWrapKey>,
    },
    CommandSpec {
        name: "wrapKey",
        summary: "Wraps a key from the HSM using the specified handle",
        syntax: "wrapKey -k <key to wrap> -w <wrapping key handle> -out <file> -m <4|5|6>\n\
                 \x20       [-noheader] [-i <wrapping IV, with -noheader only>]",
        note: Some(WRAP_NOTE),
        flags: &[
            v("-k"),
            v("-w"),
            v("-out"),
            v("-m").one_of(HSM_MECHANISMS),
            s("-noheader"),
            v("-i"),
        ],
        function: "Cfm2WrapKey",
        cluster: false,
        parse: parser::<c::WrapKey>,
    },
];

/// A command: its row of [`COMMANDS`]. Two are equal when they are the
/// same row (names are unique, checked by a test).
#[derive(Clone, Copy)]
pub struct CommandName(&'static CommandSpec);

impl PartialEq for CommandName {
    fn eq(&self, other: &Self) -> bool {
        self.0.name == other.0.name
    }
}

impl Eq for CommandName {}

impl core::fmt::Debug for CommandName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.0.name)
    }
}

impl CommandName {
    /// Every command, in `help` order.
    pub fn all() -> impl Iterator<Item = CommandName> {
        COMMANDS.iter().map(CommandName)
    }

    /// The command's row of the table.
    pub const fn spec(self) -> &'static CommandSpec {
        self.0
    }

    /// The name as typed.
    pub const fn name(self) -> &'static str {
        self.0.name
    }

    /// The command a typed name stands for (`quit` is `exit`).
    pub fn from_name(name: &str) -> Option<Self> {
        let name = if name == "quit" { "exit" } else { name };
        Self::all().find(|c| c.name() == name)
    }

    /// One line for `help`.
    pub const fn summary(self) -> &'static str {
        self.0.summary
    }

    /// The KMU library function whose status line reports a refusal found
    /// while reading the arguments (an unsupported `-m`, a bad `-u`).
    pub const fn function(self) -> &'static str {
        self.0.function
    }

    /// The syntax lines, as the command's usage prints them.
    pub const fn syntax(self) -> &'static str {
        self.0.syntax
    }

    /// The flag names the command takes (for tab completion).
    pub fn flag_names(self) -> impl Iterator<Item = &'static str> {
        self.0.flags.iter().map(|f| f.name)
    }

    /// The command's flag named `flag`, if it has one.
    pub fn flag(self, flag: &str) -> Option<&'static Flag> {
        self.0.flags.iter().find(|f| f.name == flag)
    }

    /// Whether `flag` is one of the command's flags that takes a value.
    pub fn takes_value(self, flag: &str) -> bool {
        self.flag(flag).is_some_and(|f| f.takes_value)
    }

    /// The values tab completion offers after a value flag (empty for free
    /// text such as a label or an IV).
    pub fn flag_values(self, flag: &str) -> &'static [&'static str] {
        self.flag(flag).map_or(&[], |f| f.values)
    }

    /// The command a mistyped name most likely meant: the same name in
    /// another case (`wrapkey`), or one edit away (`wrapKye`, `genSymKy`).
    pub fn closest(name: &str) -> Option<Self> {
        let lower = name.to_ascii_lowercase();
        Self::all()
            .find(|c| c.name().to_ascii_lowercase() == lower)
            .or_else(|| {
                Self::all().find(|c| within_one_edit(&lower, &c.name().to_ascii_lowercase()))
            })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `CommandName` compares rows by name, and `from_name` finds the first
    /// row with a name: both need each name once.
    #[test]
    fn names_and_flags_are_unique() {
        for (i, row) in COMMANDS.iter().enumerate() {
            assert!(
                COMMANDS
                    .iter()
                    .skip(i + 1)
                    .all(|other| other.name != row.name),
                "{} is in the table twice",
                row.name
            );
            for (j, flag) in row.flags.iter().enumerate() {
                assert!(
                    row.flags.iter().skip(j + 1).all(|f| f.name != flag.name),
                    "{} has {} twice",
                    row.name,
                    flag.name
                );
                assert!(
                    flag.takes_value || flag.values.is_empty(),
                    "{} {} offers values but takes none",
                    row.name,
                    flag.name
                );
            }
        }
    }

    #[test]
    fn each_row_reads_its_own_command() {
        for name in CommandName::all() {
            // Any argument word the command does not know is a usage error
            // of that very command, so each row's parser is its own.
            let words = vec!["-no-such-flag".to_owned()];
            match (name.spec().parse)(name, &words) {
                Err(crate::kmu::KmuError::Usage { command, .. }) => assert_eq!(command, name),
                Err(other) => panic!("{}: {other}", name.name()),
                Ok(_) => panic!("{} took -no-such-flag", name.name()),
            }
        }
    }
}
