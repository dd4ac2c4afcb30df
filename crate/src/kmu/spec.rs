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
     \x20   6 NIST_AES_WRAP_PAD (RFC 5649) under an AES key; 7 RSA_AES, 8 RSA_OAEP\n\
     \x20   under an RSA public key (unwrap with its private key). See: help mechanisms.\n\
     -t: the hash of -m 7 and 8 (OAEP and MGF1): 2 SHA1 or 3 SHA256 (the default).\n\
     -i: CloudHSM accepts only A6A6A6A6A6A6A6A6 with -m 4 and 5, none with -m 6.";

/// `-t` / `-kt`: 16 GENERIC_SECRET, 31 AES.
const KEY_TYPES: &[&str] = &["16", "31"];
/// `-m` of wrapKey and unWrapKey: the AES mechanisms 4, 5, 6 and the RSA ones 7, 8.
const HSM_MECHANISMS: &[&str] = &["4", "5", "6", "7", "8"];
/// `-m` of extWrapAll, which wraps under an AES key: 4, 5, 6.
const AES_MECHANISMS: &[&str] = &["4", "5", "6"];
/// `-t` of `-m 7` / `-m 8`: 2 SHA1, 3 SHA256.
const RSA_HASHES: &[&str] = &["2", "3"];
/// A 0-or-1 flag.
const BITS: &[&str] = &["0", "1"];

/// `findKey`'s filters, which `extWrapAll` takes too.
pub(crate) const FIND_FILTERS: [Flag; 6] = [
    v("-c").one_of(&["4"]),
    v("-t").one_of(KEY_TYPES),
    v("-l"),
    v("-id"),
    v("-sess").one_of(BITS),
    v("-kcv"),
];

/// The flags of `a` followed by those of `b` (`N` is `A + B`, checked when compiling).
#[allow(
    clippy::indexing_slicing,
    reason = "every index is below A, B or N, and N = A + B is asserted"
)]
const fn join<const A: usize, const B: usize, const N: usize>(
    a: [Flag; A],
    b: [Flag; B],
) -> [Flag; N] {
    assert!(A + B == N, "N must be A + B");
    let mut out = [s(""); N];
    let mut i = 0;
    while i < A {
        out[i] = a[i];
        i += 1;
    }
    while i < N {
        out[i] = b[i - A];
        i += 1;
    }
    out
}

/// Every command, in `help` order.
pub const COMMANDS: [CommandSpec; 21] = [
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
        name: "exportPubKey",
        summary: "Exports an RSA public key to a PEM file",
        syntax: "exportPubKey -k <public key handle> -out <key file>",
        note: None,
        flags: &[v("-k"), v("-out")],
        function: "Cfm3ExportPubKey",
        cluster: false,
        parse: parser::<c::ExportPubKey>,
    },
    CommandSpec {
        name: "findKey",
        summary: "Find Key",
        syntax: "findKey [-c <key class>] [-t <key type>] [-l <label>] [-id <key ID>]\n\
                 \x20       [-sess <0|1>] [-kcv <key check value>]",
        note: None,
        flags: &FIND_FILTERS,
        function: "Cfm3FindKey",
        cluster: true,
        parse: parser::<c::FindKey>,
    },
    CommandSpec {
        name: "genRSAKeyPair",
        summary: "Generates an RSA Key Pair",
        syntax: "genRSAKeyPair -m <modulus length: 2048, 3072, 4096> -e <public exponent: 65537>\n\
                 \x20             -l <label> [-id <key ID>] [-nex] [-sess]",
        note: Some(
            "The public key gets the next handle, the private key the one after.\n\
             -nex makes the private key non-extractable; public keys always are extractable.\n\
             Generation takes a few seconds at 4096 bits.",
        ),
        flags: &[
            v("-m").one_of(&["2048", "3072", "4096"]),
            v("-e").one_of(&["65537"]),
            v("-l"),
            v("-id"),
            s("-nex"),
            s("-sess"),
        ],
        function: "Cfm3GenerateKeyPair",
        cluster: true,
        parse: parser::<c::GenRsaKeyPair>,
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
        name: "importPubKey",
        summary: "Imports an RSA public key from a PEM file",
        syntax: "importPubKey -l <label> -f <key file> [-id <key ID>] [-sess]",
        note: Some(
            "PEM (BEGIN PUBLIC KEY or BEGIN RSA PUBLIC KEY), DER, or base64 of DER;\n\
             RSA 2048, 3072 or 4096 bits. Its private key stays outside this HSM.",
        ),
        flags: &[v("-l"), v("-f"), v("-id"), s("-sess")],
        function: "Cfm3CreatePublicKey",
        cluster: true,
        parse: parser::<c::ImportPubKey>,
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
        syntax: "unWrapKey -f <wrapped key file> -w <unwrapping key handle> [-m <4|5|6|7|8>] [-t <2|3>]\n\
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
            v("-t").one_of(RSA_HASHES),
        ],
        function: "Cfm3UnWrapKey",
        cluster: true,
        parse: c::unwrap_key_parser,
    },
    CommandSpec {
        name: "wrapKey",
        summary: "Wraps a key from the HSM using the specified handle",
        syntax: "wrapKey -k <key to wrap> -w <wrapping key handle> -out <file> -m <4|5|6|7|8>\n\
                 \x20       [-t <2|3>] [-noheader] [-i <wrapping IV, with -noheader only>]",
        note: Some(WRAP_NOTE),
        flags: &[
            v("-k"),
            v("-w"),
            v("-out"),
            v("-m").one_of(HSM_MECHANISMS),
            s("-noheader"),
            v("-i"),
            v("-t").one_of(RSA_HASHES),
        ],
        function: "Cfm2WrapKey",
        cluster: false,
        parse: c::wrap_key_parser,
    },
    CommandSpec {
        name: "extWrapAll",
        summary: "Wraps all matching keys, a file each (extension: not part of key_mgmt_util)",
        syntax: "extWrapAll -w <wrapping key handle> -m <4|5|6> -out <file prefix>\n\
                 \x20          [-k <key handle,key handle,...> | [-c <key class>] [-t <key type>] [-l <label>]\n\
                 \x20           [-id <key ID>] [-sess <0|1>] [-kcv <key check value>]] [-noheader]",
        note: Some(
            "Not part of key_mgmt_util: a Keywrap Console extension (the real tool wraps one key\n\
             per wrapKey). Wraps the keys -k names, or every key findKey lists with the same\n\
             filters, except the wrapping key, under -w in one batch: key <h> is written to\n\
             <file prefix><h>.key, with wrapKey's header unless -noheader. Each key must pass\n\
             wrapKey's checks; if one does not, no file is written and the reason names it.\n\
             -m: 4, 5 or 6 as for wrapKey (see: help mechanisms).",
        ),
        flags: &join::<5, 6, 11>(
            [
                v("-w"),
                v("-m").one_of(AES_MECHANISMS),
                v("-out"),
                v("-k"),
                s("-noheader"),
            ],
            FIND_FILTERS,
        ),
        function: "Cfm2WrapKey",
        cluster: false,
        parse: parser::<c::ExtWrapAll>,
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
