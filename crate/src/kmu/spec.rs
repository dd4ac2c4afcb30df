//! The one command table: each KMU command's name, summary, syntax, flags,
//! the `Cfm…` function that reports it and whether it ends with the cluster
//! block. Help, usage, parsing, completion and secret masking all read it.

/// The commands the console knows. Declared in `help` order, which is the
/// order of [`COMMANDS`] (checked when compiling).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)] // Each is the command its row of COMMANDS names.
pub enum CommandName {
    Help,
    Exit,
    LoginHsm,
    LogoutHsm,
    LoginStatus,
    AesWrapUnwrap,
    DeleteKey,
    ExSymKey,
    FindKey,
    GenSymKey,
    GetAttribute,
    ImSymKey,
    ListAttributes,
    SetAttribute,
    ShareKey,
    UnWrapKey,
    WrapKey,
}

/// One flag of a command's grammar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Flag {
    /// As typed, e.g. `-out`.
    pub name: &'static str,
    /// Whether the next word is its value.
    pub takes_value: bool,
    /// Whether that value is a secret (a password): never echoed, never audited.
    pub secret: bool,
}

const fn v(name: &'static str) -> Flag {
    Flag {
        name,
        takes_value: true,
        secret: false,
    }
}
const fn s(name: &'static str) -> Flag {
    Flag {
        name,
        takes_value: false,
        secret: false,
    }
}
const fn secret(name: &'static str) -> Flag {
    Flag {
        name,
        takes_value: true,
        secret: true,
    }
}

/// One row of the command table.
#[derive(Clone, Copy, Debug)]
pub struct CommandSpec {
    /// The command.
    pub command: CommandName,
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
}

const WRAP_NOTE: &str = "-m: 4 AES_KEY_WRAP_PAD_PKCS5, 5 NIST_AES_WRAP_NO_PAD (RFC 3394),\n\
     \x20   6 NIST_AES_WRAP_PAD (RFC 5649). See: help mechanisms.\n\
     -i: CloudHSM accepts only A6A6A6A6A6A6A6A6 with -m 4 and 5, none with -m 6.";

/// Every command, in `help` order.
pub const COMMANDS: [CommandSpec; 17] = [
    CommandSpec {
        command: CommandName::Help,
        name: "help",
        summary: "Displays this information",
        syntax: "help [<command> | mechanisms]",
        note: None,
        flags: &[],
        function: "Cfm3Util",
        cluster: false,
    },
    CommandSpec {
        command: CommandName::Exit,
        name: "exit",
        summary: "Exits this application",
        syntax: "exit",
        note: None,
        flags: &[],
        function: "Cfm3Util",
        cluster: false,
    },
    CommandSpec {
        command: CommandName::LoginHsm,
        name: "loginHSM",
        summary: "Login to the HSM",
        syntax: "loginHSM -u <CO|CU> -s <user name> [-p <password>]",
        note: Some(
            "Users: admin (CO), alice (CU, you), bob (CU). Any password is accepted:\n\
             the page has no secrets to check it against, and never records it.",
        ),
        flags: &[v("-u"), v("-s"), secret("-p")],
        function: "Cfm3LoginHSM",
        cluster: false,
    },
    CommandSpec {
        command: CommandName::LogoutHsm,
        name: "logoutHSM",
        summary: "Logout from the HSM",
        syntax: "logoutHSM",
        note: None,
        flags: &[],
        function: "Cfm3LogoutHSM",
        cluster: false,
    },
    CommandSpec {
        command: CommandName::LoginStatus,
        name: "loginStatus",
        summary: "Shows who is logged in",
        syntax: "loginStatus",
        note: None,
        flags: &[],
        function: "Cfm3Util",
        cluster: false,
    },
    CommandSpec {
        command: CommandName::AesWrapUnwrap,
        name: "aesWrapUnwrap",
        summary: "Does NIST AES Wrap/Unwrap of a file's contents",
        syntax: "aesWrapUnwrap -m <1 (wrap) | 0 (unwrap)> -f <file> -w <wrapping key handle>\n\
                 \x20             [-i <wrapping IV, 16 hex digits>] [-out <file>]",
        note: Some(
            "RFC 3394 key wrap of a file's contents (less than 4096 bytes).\n\
             Without -i the default IV 0xA6A6A6A6A6A6A6A6 is used.\n\
             Default -out: wrapped_key (wrap) or unwrapped_key (unwrap).",
        ),
        flags: &[v("-m"), v("-f"), v("-w"), v("-i"), v("-out")],
        function: "Cfm3WrapHostKey",
        cluster: false,
    },
    CommandSpec {
        command: CommandName::DeleteKey,
        name: "deleteKey",
        summary: "Delete Key",
        syntax: "deleteKey -k <key handle>",
        note: None,
        flags: &[v("-k")],
        function: "Cfm3DeleteKey",
        cluster: true,
    },
    CommandSpec {
        command: CommandName::ExSymKey,
        name: "exSymKey",
        summary: "Export a symmetric key (in plaintext)",
        syntax: "exSymKey -k <key to export> -w <wrapping key handle> -out <key file> [-m 4]",
        note: None,
        flags: &[v("-k"), v("-w"), v("-out"), v("-m")],
        function: "Cfm3WrapKey",
        cluster: false,
    },
    CommandSpec {
        command: CommandName::FindKey,
        name: "findKey",
        summary: "Find Key",
        syntax: "findKey [-c <key class>] [-t <key type>] [-l <label>] [-id <key ID>]\n\
                 \x20       [-sess <0|1>] [-kcv <key check value>]",
        note: None,
        flags: &[v("-c"), v("-t"), v("-l"), v("-id"), v("-sess"), v("-kcv")],
        function: "Cfm3FindKey",
        cluster: true,
    },
    CommandSpec {
        command: CommandName::GenSymKey,
        name: "genSymKey",
        summary: "Generates a Symmetric keys",
        syntax: "genSymKey -t <key type: 16 GENERIC_SECRET, 31 AES> -s <key size in bytes> -l <label>\n\
                 \x20         [-id <key ID>] [-nex] [-sess]",
        note: None,
        flags: &[v("-t"), v("-s"), v("-l"), v("-id"), s("-nex"), s("-sess")],
        function: "Cfm3GenerateSymmetricKey",
        cluster: true,
    },
    CommandSpec {
        command: CommandName::GetAttribute,
        name: "getAttribute",
        summary: "Reads/Gets key attributes",
        syntax: "getAttribute -o <key handle> -a <attribute number | 512 for all> [-out <file>]",
        note: None,
        flags: &[v("-o"), v("-a"), v("-out")],
        function: "Cfm3GetAttribute",
        cluster: false,
    },
    CommandSpec {
        command: CommandName::ImSymKey,
        name: "imSymKey",
        summary: "Imports a Symmetric key (in plaintext)",
        syntax: "imSymKey -f <key file> -w <wrapping key handle> -t <31 AES> -l <label>\n\
                 \x20        [-id <key ID>] [-sess]",
        note: None,
        flags: &[v("-f"), v("-w"), v("-t"), v("-l"), v("-id"), s("-sess")],
        function: "Cfm3WrapHostKey",
        cluster: true,
    },
    CommandSpec {
        command: CommandName::ListAttributes,
        name: "listAttributes",
        summary: "List all attributes for getAttributes",
        syntax: "listAttributes",
        note: None,
        flags: &[],
        function: "Cfm3Util",
        cluster: false,
    },
    CommandSpec {
        command: CommandName::SetAttribute,
        name: "setAttribute",
        summary: "Sets an attribute of a key",
        syntax: "setAttribute -o <key handle> -a <attribute number> -v <value>",
        note: None,
        flags: &[v("-o"), v("-a"), v("-v")],
        function: "Cfm3SetAttribute",
        cluster: true,
    },
    CommandSpec {
        command: CommandName::ShareKey,
        name: "shareKey",
        summary: "Shares or unshares a key with a crypto user",
        syntax: "shareKey -k <key handle> -u <user id> -m <1 (share) | 0 (unshare)>",
        note: None,
        flags: &[v("-k"), v("-u"), v("-m")],
        function: "Cfm3ShareKey",
        cluster: true,
    },
    CommandSpec {
        command: CommandName::UnWrapKey,
        name: "unWrapKey",
        summary: "UnWraps a key into HSM using the specified handle",
        syntax: "unWrapKey -f <wrapped key file> -w <unwrapping key handle> [-m <4|5|6>]\n\
                 \x20         [-noheader -l <label> -kc <4> -kt <16|31> [-id <key ID>]] [-i <IV>]\n\
                 \x20         [-nex] [-sess]",
        note: Some(WRAP_NOTE),
        flags: &[
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
        ],
        function: "Cfm3UnWrapKey",
        cluster: true,
    },
    CommandSpec {
        command: CommandName::WrapKey,
        name: "wrapKey",
        summary: "Wraps a key from the HSM using the specified handle",
        syntax: "wrapKey -k <key to wrap> -w <wrapping key handle> -out <file> -m <4|5|6>\n\
                 \x20       [-noheader] [-i <wrapping IV, with -noheader only>]",
        note: Some(WRAP_NOTE),
        flags: &[
            v("-k"),
            v("-w"),
            v("-out"),
            v("-m"),
            s("-noheader"),
            v("-i"),
        ],
        function: "Cfm2WrapKey",
        cluster: false,
    },
];

// Each variant's row is at its own index: `spec` relies on it.
const _: () = {
    let mut i = 0;
    while i < COMMANDS.len() {
        #[allow(clippy::indexing_slicing, reason = "i < COMMANDS.len()")]
        let row = COMMANDS[i].command as usize;
        assert!(row == i, "COMMANDS is not in CommandName's order");
        i += 1;
    }
    assert!(CommandName::WrapKey as usize + 1 == COMMANDS.len());
};

impl CommandName {
    /// Every command, in `help` order.
    pub fn all() -> impl Iterator<Item = CommandName> {
        COMMANDS.iter().map(|spec| spec.command)
    }

    /// The command's row of the table.
    pub const fn spec(self) -> &'static CommandSpec {
        #[allow(
            clippy::indexing_slicing,
            reason = "COMMANDS has one row per variant, at the variant's index (checked above)"
        )]
        &COMMANDS[self as usize]
    }

    /// The name as typed.
    pub const fn name(self) -> &'static str {
        self.spec().name
    }

    /// The command a typed name stands for (`quit` is `exit`).
    pub fn from_name(name: &str) -> Option<Self> {
        if name == "quit" {
            return Some(Self::Exit);
        }
        Self::all().find(|c| c.name() == name)
    }

    /// One line for `help`.
    pub const fn summary(self) -> &'static str {
        self.spec().summary
    }

    /// The KMU library function whose status line reports a refusal found
    /// while reading the arguments (an unsupported `-m`, a bad `-u`).
    pub const fn function(self) -> &'static str {
        self.spec().function
    }

    /// The syntax lines, as the command's usage prints them.
    pub const fn syntax(self) -> &'static str {
        self.spec().syntax
    }

    /// The flag names the command takes (for tab completion).
    pub fn flag_names(self) -> impl Iterator<Item = &'static str> {
        self.spec().flags.iter().map(|f| f.name)
    }

    /// Whether `flag` is one of the command's flags that takes a value.
    pub fn takes_value(self, flag: &str) -> bool {
        self.spec()
            .flags
            .iter()
            .any(|f| f.name == flag && f.takes_value)
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
