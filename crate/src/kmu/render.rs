//! KMU-style text: status lines, the cluster block, usage and help.

use core::ops::Range;

use super::retcode::ReturnCode;
use super::spec::CommandName;
use crate::Mechanism;
use crate::store::{AttributeType, KeyHandle};

/// The indentation KMU prints before status lines (a tab, shown as 8 spaces).
pub const INDENT: &str = "        ";

/// A key handle printed in the output, so the web app can link it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandleSpan {
    /// Byte range of the handle's digits in [`crate::Outcome::output`].
    pub range: Range<usize>,
    /// The handle.
    pub handle: KeyHandle,
}

/// Output being built, with the positions of the handles it prints.
#[derive(Debug, Default)]
pub(crate) struct Out {
    pub(crate) text: String,
    pub(crate) spans: Vec<HandleSpan>,
}

impl Out {
    pub(crate) fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }

    pub(crate) fn line(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self.text.push('\n');
        self
    }

    pub(crate) fn blank(&mut self) -> &mut Self {
        self.text.push('\n');
        self
    }

    pub(crate) fn handle(&mut self, handle: KeyHandle) -> &mut Self {
        let start = self.text.len();
        self.text.push_str(&handle.to_string());
        self.spans.push(HandleSpan {
            range: start..self.text.len(),
            handle,
        });
        self
    }

    /// `        <Function> returned: 0x.. : HSM Return: SUCCESS`, after a blank line.
    pub(crate) fn status(&mut self, function: &str, code: ReturnCode) -> &mut Self {
        self.blank();
        self.line(&format!("{INDENT}{function} returned: {code}"))
    }

    /// The cluster block: this virtual cluster has one HSM, node 0.
    pub(crate) fn cluster(&mut self, code: ReturnCode) -> &mut Self {
        self.blank();
        self.line(&format!("{INDENT}Cluster Error Status"));
        self.line(&format!(
            "{INDENT}Node id 0 and err state 0x{:08x} : {}",
            code.code(),
            code.status_text()
        ))
    }
}

/// A command's usage, as `<command> -h` and usage errors print it.
pub fn usage_text(command: CommandName) -> String {
    let mut s = String::new();
    s.push('\n');
    s.push_str(&format!("{INDENT}Description\n{INDENT}===========\n"));
    s.push_str(&format!("{INDENT}{}.\n\n", command.summary()));
    s.push_str(&format!("{INDENT}Syntax\n{INDENT}======\n"));
    for line in command.syntax().lines() {
        s.push_str(&format!("{INDENT}{line}\n"));
    }
    if let Some(note) = command.spec().note {
        s.push('\n');
        for line in note.lines() {
            s.push_str(&format!("{INDENT}{line}\n"));
        }
    }
    s
}

/// The list of commands (`help`).
pub fn help_text() -> String {
    let mut s = String::new();
    s.push_str("\nHelp Commands Available:\n\nSyntax: <command> -h\n\n");
    s.push_str("   Command               Description\n");
    s.push_str("   =======               ===========\n\n");
    for c in CommandName::all() {
        s.push_str(&format!("   {:<22}{}\n", c.name(), c.summary()));
    }
    s.push_str("\n   help mechanisms       The names of -m 4 to 8 across tools\n");
    s
}

/// The one mapping of mechanism names across tools (`help mechanisms`),
/// from the wrap engine's table, so it is written once.
pub fn mechanisms_text() -> String {
    let table = Mechanism::rows();
    let mut s = String::from("\n");
    s.push_str(&format!(
        "{:<3} {:<24} {:<14} {:<31} {:<29} {}\n",
        "-m", "key_mgmt_util", "CloudHSM CLI", "PKCS#11", "OpenSSL (AES-256)", "WebCrypto"
    ));
    s.push_str(&format!(
        "{:<3} {:<24} {:<14} {:<31} {:<29} {}\n",
        "--", "-------------", "------------", "-------", "-----------------", "---------"
    ));
    for n in &table {
        s.push_str(&format!(
            "{:<3} {:<24} {:<14} {:<31} {:<29} {}\n",
            n.kmu_number,
            n.kmu_name,
            n.cloudhsm_cli,
            format!("{} (0x{:04X})", n.pkcs11_name, n.pkcs11_value),
            n.openssl.unwrap_or("-"),
            n.webcrypto.unwrap_or("-"),
        ));
    }
    s.push('\n');
    for n in &table {
        s.push_str(&format!(
            "-m {}: {} — {}.\n",
            n.kmu_number, n.title, n.standard
        ));
        if let Some(note) = n.pkcs11_note {
            s.push_str(&format!("      PKCS#11: {note}.\n"));
        }
    }
    s
}

/// `listAttributes`, in the order KMU lists them (AWS's list: MODULUS 288,
/// MODULUS_BITS 289 and PUBLIC_EXPONENT 290 between LOCAL and VALUE_LEN).
pub fn list_attributes_text() -> String {
    const ORDER: [AttributeType; 21] = [
        AttributeType::Class,
        AttributeType::Token,
        AttributeType::Private,
        AttributeType::Label,
        AttributeType::Trusted,
        AttributeType::KeyType,
        AttributeType::Id,
        AttributeType::Sensitive,
        AttributeType::Encrypt,
        AttributeType::Decrypt,
        AttributeType::Wrap,
        AttributeType::Unwrap,
        AttributeType::Local,
        AttributeType::Modulus,
        AttributeType::ModulusBits,
        AttributeType::PublicExponent,
        AttributeType::ValueLen,
        AttributeType::Extractable,
        AttributeType::NeverExtractable,
        AttributeType::Kcv,
        AttributeType::WrapWithTrusted,
    ];
    let mut s = String::from("\n");
    s.push_str("Description\n===========\n");
    s.push_str("The following are all of the possible attribute values for getAttributes.\n\n");
    for a in ORDER {
        s.push_str(&format!("      {:<32}= {}\n", a.kmu_name(), a.number()));
    }
    s.push_str(&format!(
        "      {:<32}= {}\n",
        "OBJ_ATTR_ALL",
        AttributeType::ALL_NUMBER
    ));
    s
}

/// `result data:` as `aesWrapUnwrap` prints it: 8 bytes a line, upper-case hex.
pub(crate) fn result_data(bytes: &[u8]) -> String {
    let mut s = String::new();
    for chunk in bytes.chunks(8) {
        let line: Vec<String> = chunk.iter().map(|b| format!("{b:02X}")).collect();
        s.push_str(&line.join(" "));
        s.push('\n');
    }
    s
}
