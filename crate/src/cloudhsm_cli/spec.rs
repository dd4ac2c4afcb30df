//! The CloudHSM CLI command table: each command's words, summary, syntax and
//! flags. Parsing, help, completion and secret masking all read it.

/// What a flag takes after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Takes {
    /// Nothing (`--session`, `--verbose`).
    Nothing,
    /// One word (`--label L`).
    One,
    /// Every word up to the next `--flag` (`--filter attr.label=a attr.class=secret-key`).
    Many,
}

/// One flag of a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CliFlag {
    /// As typed, e.g. `--label`.
    pub name: &'static str,
    /// What follows it.
    pub takes: Takes,
    /// Whether its value is a secret (a password).
    pub secret: bool,
}

const fn one(name: &'static str) -> CliFlag {
    CliFlag {
        name,
        takes: Takes::One,
        secret: false,
    }
}
const fn many(name: &'static str) -> CliFlag {
    CliFlag {
        name,
        takes: Takes::Many,
        secret: false,
    }
}
const fn switch(name: &'static str) -> CliFlag {
    CliFlag {
        name,
        takes: Takes::Nothing,
        secret: false,
    }
}

/// The CloudHSM CLI commands this HSM runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // Each is the command its row of CLI_COMMANDS names.
pub enum CliCommandName {
    Login,
    Logout,
    UserList,
    KeyGenerateSymmetric,
    KeyGenerateAsymmetricPair,
    KeyImportPem,
    KeyList,
    KeyWrap,
    KeyUnwrap,
    KeySetAttribute,
    KeyShare,
    KeyUnshare,
    KeyDelete,
    ExtWrapAll,
    Help,
    Quit,
}

/// One row of the CloudHSM CLI command table.
#[derive(Clone, Copy, Debug)]
pub struct CliSpec {
    /// The command.
    pub command: CliCommandName,
    /// Its words, e.g. `["key", "generate-symmetric"]`.
    pub words: &'static [&'static str],
    /// The word that must follow them (a key type or mechanism), if any.
    pub choices: &'static [&'static str],
    /// One line for `help`.
    pub summary: &'static str,
    /// The syntax, as `help <command>` prints it.
    pub syntax: &'static str,
    /// Its flags.
    pub flags: &'static [CliFlag],
}

/// The mechanisms of `key wrap` / `key unwrap` this HSM offers.
pub const MECHANISMS: &[&str] = &[
    "aes-no-pad",
    "aes-pkcs5-pad",
    "aes-zero-pad",
    "rsa-aes",
    "rsa-oaep",
];

/// The AES mechanisms alone: `ext wrap-all` wraps under an AES key.
pub const AES_MECHANISMS: &[&str] = &["aes-no-pad", "aes-pkcs5-pad", "aes-zero-pad"];

/// Every command, in `help` order.
pub const CLI_COMMANDS: [CliSpec; 16] = [
    CliSpec {
        command: CliCommandName::Login,
        words: &["login"],
        choices: &[],
        summary: "Log in to the HSM",
        syntax: "login --username <USERNAME> --role <crypto-user|admin> [--password <PASSWORD>]",
        flags: &[
            one("--username"),
            one("--role"),
            CliFlag {
                name: "--password",
                takes: Takes::One,
                secret: true,
            },
        ],
    },
    CliSpec {
        command: CliCommandName::Logout,
        words: &["logout"],
        choices: &[],
        summary: "Log out of the HSM (session keys are deleted)",
        syntax: "logout",
        flags: &[],
    },
    CliSpec {
        command: CliCommandName::UserList,
        words: &["user", "list"],
        choices: &[],
        summary: "List the HSM's users",
        syntax: "user list",
        flags: &[],
    },
    CliSpec {
        command: CliCommandName::KeyGenerateSymmetric,
        words: &["key", "generate-symmetric"],
        choices: &["aes", "generic-secret"],
        summary: "Generate a symmetric key",
        syntax: "key generate-symmetric <aes|generic-secret> --label <LABEL> --key-length-bytes <N>\n\
                 \x20   [--attributes <KEY=VALUE>...] [--session] [--share-crypto-users <USERNAME>...]",
        flags: &[
            one("--label"),
            one("--key-length-bytes"),
            many("--attributes"),
            switch("--session"),
            many("--share-crypto-users"),
        ],
    },
    CliSpec {
        command: CliCommandName::KeyGenerateAsymmetricPair,
        words: &["key", "generate-asymmetric-pair"],
        choices: &["rsa"],
        summary: "Generate an RSA key pair",
        syntax: "key generate-asymmetric-pair rsa --public-label <LABEL> --private-label <LABEL>\n\
                 \x20   --modulus-size-bits <2048|3072|4096> --public-exponent 65537 [--session]",
        flags: &[
            one("--public-label"),
            one("--private-label"),
            one("--modulus-size-bits"),
            one("--public-exponent"),
            switch("--session"),
        ],
    },
    CliSpec {
        command: CliCommandName::KeyImportPem,
        words: &["key", "import", "pem"],
        choices: &[],
        summary: "Import an RSA public key from a PEM file",
        syntax: "key import pem --path <FILE> --label <LABEL> [--key-type-class rsa-public] [--session]",
        flags: &[
            one("--path"),
            one("--label"),
            one("--key-type-class"),
            switch("--session"),
        ],
    },
    CliSpec {
        command: CliCommandName::KeyList,
        words: &["key", "list"],
        choices: &[],
        summary: "List the keys you can see",
        syntax: "key list [--filter <FILTER>...] [--max-items <N>] [--starting-token <T>] [--verbose]",
        flags: &[
            many("--filter"),
            one("--max-items"),
            one("--starting-token"),
            switch("--verbose"),
        ],
    },
    CliSpec {
        command: CliCommandName::KeyWrap,
        words: &["key", "wrap"],
        choices: MECHANISMS,
        summary: "Wrap a key under another key",
        syntax: "key wrap <aes-no-pad|aes-pkcs5-pad|aes-zero-pad|rsa-aes|rsa-oaep>\n\
                 \x20   --payload-filter <FILTER>... --wrapping-filter <FILTER>... [--path <FILE>]\n\
                 \x20   [--hash-function <sha1|sha256> --mgf <mgf1-sha1|mgf1-sha256>] (rsa-aes, rsa-oaep)",
        flags: &[
            many("--payload-filter"),
            many("--wrapping-filter"),
            one("--path"),
            one("--hash-function"),
            one("--mgf"),
        ],
    },
    CliSpec {
        command: CliCommandName::KeyUnwrap,
        words: &["key", "unwrap"],
        choices: MECHANISMS,
        summary: "Unwrap a key into the HSM",
        syntax: "key unwrap <aes-no-pad|aes-pkcs5-pad|aes-zero-pad|rsa-aes|rsa-oaep> --filter <FILTER>...\n\
                 \x20   --key-type-class <aes|generic-secret> --label <LABEL>\n\
                 \x20   (--data-path <FILE> | --data <BASE64>) [--attributes <KEY=VALUE>...] [--session]\n\
                 \x20   [--hash-function <sha1|sha256> --mgf <mgf1-sha1|mgf1-sha256>] (rsa-aes, rsa-oaep)",
        flags: &[
            one("--hash-function"),
            one("--mgf"),
            many("--filter"),
            one("--key-type-class"),
            one("--label"),
            one("--data-path"),
            one("--data"),
            many("--attributes"),
            switch("--session"),
        ],
    },
    CliSpec {
        command: CliCommandName::KeySetAttribute,
        words: &["key", "set-attribute"],
        choices: &[],
        summary: "Set one attribute of a key",
        syntax: "key set-attribute --filter <FILTER>... --name <ATTRIBUTE> --value <VALUE>",
        flags: &[many("--filter"), one("--name"), one("--value")],
    },
    CliSpec {
        command: CliCommandName::KeyShare,
        words: &["key", "share"],
        choices: &[],
        summary: "Share a key you own with another crypto user",
        syntax: "key share --filter <FILTER>... --username <USERNAME> --role crypto-user",
        flags: &[many("--filter"), one("--username"), one("--role")],
    },
    CliSpec {
        command: CliCommandName::KeyUnshare,
        words: &["key", "unshare"],
        choices: &[],
        summary: "Stop sharing a key you own",
        syntax: "key unshare --filter <FILTER>... --username <USERNAME> --role crypto-user",
        flags: &[many("--filter"), one("--username"), one("--role")],
    },
    CliSpec {
        command: CliCommandName::KeyDelete,
        words: &["key", "delete"],
        choices: &[],
        summary: "Delete a key you own",
        syntax: "key delete --filter <FILTER>...",
        flags: &[many("--filter")],
    },
    CliSpec {
        command: CliCommandName::ExtWrapAll,
        words: &["ext", "wrap-all"],
        choices: AES_MECHANISMS,
        summary: "Wrap every matching key into a file each (extension: not part of CloudHSM CLI)",
        syntax: "ext wrap-all <aes-no-pad|aes-pkcs5-pad|aes-zero-pad> --payload-filter <FILTER>...\n\
                 \x20   --wrapping-filter <FILTER>... --path-prefix <PREFIX>\n\
                 Not part of CloudHSM CLI: a Keywrap Console extension (the real tool wraps one key\n\
                 per key wrap). Every key the payload filter matches, except the wrapping key, is\n\
                 wrapped in one batch into <PREFIX><handle>.key (a bare blob, as key wrap --path\n\
                 writes). Each key must pass key wrap's checks; if one does not, no file is written\n\
                 and the error names it.",
        flags: &[
            many("--payload-filter"),
            many("--wrapping-filter"),
            one("--path-prefix"),
        ],
    },
    CliSpec {
        command: CliCommandName::Help,
        words: &["help"],
        choices: &[],
        summary: "Show the CloudHSM CLI commands, or one command's syntax",
        syntax: "help <key|login|logout|user|quit> [<subcommand>]",
        flags: &[],
    },
    CliSpec {
        command: CliCommandName::Quit,
        words: &["quit"],
        choices: &[],
        summary: "Leave the CLI (a no-op in the page)",
        syntax: "quit",
        flags: &[],
    },
];

/// The first words that make a line CloudHSM CLI (`ext` is this console's
/// extensions to it, spelled so none can be taken for AWS's own).
pub const FIRST_WORDS: &[&str] = &["key", "login", "logout", "user", "ext"];

impl CliCommandName {
    /// The command's row of the table.
    pub const fn spec(self) -> &'static CliSpec {
        #[allow(
            clippy::indexing_slicing,
            reason = "CLI_COMMANDS has one row per variant, at the variant's index (checked below)"
        )]
        &CLI_COMMANDS[self as usize]
    }

    /// Its words joined, e.g. `key generate-symmetric`.
    pub fn name(self) -> String {
        self.spec().words.join(" ")
    }
}

// Each variant's row is at its own index: `spec` relies on it.
const _: () = {
    let mut i = 0;
    while i < CLI_COMMANDS.len() {
        #[allow(clippy::indexing_slicing, reason = "i < CLI_COMMANDS.len()")]
        let row = CLI_COMMANDS[i].command as usize;
        assert!(row == i, "CLI_COMMANDS is not in CliCommandName's order");
        i += 1;
    }
    assert!(CliCommandName::Quit as usize + 1 == CLI_COMMANDS.len());
};

/// The longest row whose words start `words`, with how many words it took.
pub fn lookup(words: &[&str]) -> Option<(&'static CliSpec, usize)> {
    CLI_COMMANDS
        .iter()
        .filter(|spec| words.starts_with(spec.words))
        .max_by_key(|spec| spec.words.len())
        .map(|spec| (spec, spec.words.len()))
}
