//! RSA key pairs and the RSA wrapping mechanisms in KMU's spelling:
//! `genRSAKeyPair`, `importPubKey`, `exportPubKey`, and `wrapKey -m 7|8` /
//! `unWrapKey -m 7|8` (the rows of `wrapKey` and `unWrapKey` read their
//! words with [`wrap_key_parser`] / [`unwrap_key_parser`], which hand
//! `-m 7` and `-m 8` to the structs here and every other `-m` to the AES
//! commands, unchanged). Output follows AWS's key_mgmt_util pages
//! (`Cfm3GenerateKeyPair`, `Cfm3CreatePublicKey`, `Cfm3ExportPubKey`).

use super::{AuditLine, KmuCommand};
use super::{UnWrapKey, WrapKey};
use crate::byok::OaepHash;
use crate::hsm::ops::{NewKeyTemplate, OutFile, WrappedInput};
use crate::hsm::ops_rsa::{self, PublicImportSpec, RsaPairSpec};
use crate::hsm::{FileOrigin, Stage};
use crate::kmu::args::Args;
use crate::kmu::error::KmuError;
use crate::kmu::exec::{Cx, Ran, Refusal};
use crate::kmu::render::INDENT;
use crate::kmu::retcode::ReturnCode;
use crate::kmu::spec::CommandName;
use crate::store::{KeyClass, KeyHandle, KeyType};
use crate::wrap::RsaMechanism;

/// `genRSAKeyPair -m <modulus bits> -e <public exponent> -l <label> [-id] [-nex] [-sess]`.
pub(crate) struct GenRsaKeyPair {
    modulus_bits: u32,
    exponent: u32,
    label: String,
    id: Option<String>,
    nex: bool,
    sess: bool,
}

impl KmuCommand for GenRsaKeyPair {
    fn parse(a: &Args<'_>) -> Result<Self, KmuError> {
        let modulus_bits = a.req_number("-m")?;
        let exponent = a.req_number("-e")?;
        let label = a.req("-l")?.to_owned();
        Ok(Self {
            modulus_bits,
            exponent,
            label,
            id: a.opt_owned("-id"),
            nex: a.has("-nex"),
            sess: a.has("-sess"),
        })
    }

    fn audit_text(&self) -> String {
        AuditLine::new("genRSAKeyPair")
            .arg("-m", self.modulus_bits)
            .arg("-e", self.exponent)
            .text("-l", &self.label)
            .opt_text("-id", self.id.as_deref())
            .switch("-nex", self.nex)
            .switch("-sess", self.sess)
            .finish()
    }

    fn run(&self, cx: &mut Cx<'_>) -> Result<Ran, Refusal> {
        // KMU gives both halves the one label (`-l`), and `-nex` makes only
        // the private key non-extractable ("public keys are always extractable").
        let spec = RsaPairSpec {
            modulus_bits: u64::from(self.modulus_bits),
            public_exponent: u64::from(self.exponent),
            public_label: &self.label,
            private_label: &self.label,
            id: self.id.as_deref().unwrap_or_default(),
            extractable: !self.nex,
            token: !self.sess,
        };
        let (mut ran, pair) =
            Ran::from_plan(ops_rsa::generate_pair(cx.state, cx.keys, &spec)?, &[]);
        cx.status(&mut ran);
        ran.out.blank().push(&format!(
            "{INDENT}Cfm3GenerateKeyPair:    public key handle: "
        ));
        ran.out.handle(pair.public).push("    private key handle: ");
        ran.out.handle(pair.private).blank();
        ran.out.cluster(ReturnCode::Success);
        ran.handles.extend([pair.public, pair.private]);
        Ok(ran)
    }
}

/// `importPubKey -l <label> -f <PEM file> [-id] [-sess]`.
pub(crate) struct ImportPubKey {
    label: String,
    file: String,
    id: Option<String>,
    sess: bool,
}

impl KmuCommand for ImportPubKey {
    fn parse(a: &Args<'_>) -> Result<Self, KmuError> {
        let label = a.req("-l")?.to_owned();
        let file = a.req("-f")?.to_owned();
        Ok(Self {
            label,
            file,
            id: a.opt_owned("-id"),
            sess: a.has("-sess"),
        })
    }

    fn audit_text(&self) -> String {
        AuditLine::new("importPubKey")
            .text("-l", &self.label)
            .text("-f", &self.file)
            .opt_text("-id", self.id.as_deref())
            .switch("-sess", self.sess)
            .finish()
    }

    fn run(&self, cx: &mut Cx<'_>) -> Result<Ran, Refusal> {
        let spec = PublicImportSpec {
            input: WrappedInput::File(&self.file),
            label: &self.label,
            id: self.id.as_deref().unwrap_or_default(),
            token: !self.sess,
        };
        let (mut ran, handle) = Ran::from_plan(ops_rsa::import_public(cx.state, &spec)?, &[]);
        cx.status(&mut ran);
        ran.out
            .blank()
            .push(&format!("{INDENT}Public Key Handle: "));
        ran.out.handle(handle).blank();
        ran.out.cluster(ReturnCode::Success);
        ran.handles.push(handle);
        Ok(ran)
    }
}

/// `exportPubKey -k <public key handle> -out <file>`.
pub(crate) struct ExportPubKey {
    key: KeyHandle,
    out: String,
}

impl KmuCommand for ExportPubKey {
    fn parse(a: &Args<'_>) -> Result<Self, KmuError> {
        Ok(Self {
            key: a.handle("-k")?,
            out: a.req("-out")?.to_owned(),
        })
    }

    fn audit_text(&self) -> String {
        AuditLine::new("exportPubKey")
            .arg("-k", self.key)
            .text("-out", &self.out)
            .finish()
    }

    fn handles(&self) -> Vec<KeyHandle> {
        vec![self.key]
    }

    fn run(&self, cx: &mut Cx<'_>) -> Result<Ran, Refusal> {
        let (mut ran, _pem) = Ran::from_plan(
            ops_rsa::export_public(cx.state, self.key, &self.out)?,
            &[self.key],
        );
        ran.out.blank().line(&format!(
            "{INDENT}PEM formatted public key is written to {}",
            self.out
        ));
        cx.status(&mut ran);
        Ok(ran)
    }
}

/// `-m 7` or `-m 8`, when the line asks for an RSA mechanism.
fn rsa_mechanism(a: &Args<'_>) -> Result<Option<RsaMechanism>, KmuError> {
    let Some(text) = a.opt("-m") else {
        return Ok(None);
    };
    let n = a.number("-m", text)?;
    Ok(u8::try_from(n).ok().and_then(RsaMechanism::from_kmu_number))
}

/// `-t`: KMU's hash numbers. AWS lists 2 SHA1, 3 SHA256, 4 SHA384, 5 SHA512
/// and 6 SHA224; this HSM's RSA mechanisms take SHA-1 and SHA-256 (what
/// every cloud import uses). AWS documents no default: without `-t`, this
/// console uses SHA-256 (3), its own choice.
fn hash(a: &Args<'_>) -> Result<OaepHash, KmuError> {
    match a.opt_number("-t")? {
        None | Some(3) => Ok(OaepHash::Sha256),
        Some(2) => Ok(OaepHash::Sha1),
        Some(n @ 4..=6) => Err(a.usage(format!(
            "-t {n}: this HSM's RSA_AES and RSA_OAEP take -t 2 (SHA1) or 3 (SHA256)"
        ))),
        Some(n) => Err(a.usage(format!(
            "-t: {n} is not a hash type (2 SHA1, 3 SHA256, 4 SHA384, 5 SHA512, 6 SHA224)"
        ))),
    }
}

fn hash_number(hash: OaepHash) -> u8 {
    match hash {
        OaepHash::Sha1 => 2,
        OaepHash::Sha256 => 3,
    }
}

/// `wrapKey`'s row: `-m 7` / `-m 8` read as [`WrapKeyRsa`], every other
/// line as the AES [`WrapKey`] (which refuses a `-t`).
pub(crate) fn wrap_key_parser(
    command: CommandName,
    words: &[String],
) -> Result<Box<dyn KmuCommand>, KmuError> {
    let a = Args::parse(command, words)?;
    if rsa_mechanism(&a)?.is_some() {
        return Ok(Box::new(WrapKeyRsa::parse(&a)?));
    }
    if a.has("-t") {
        return Err(a.usage("-t is valid only with -m 7 or 8".to_owned()));
    }
    Ok(Box::new(WrapKey::parse(&a)?))
}

/// `unWrapKey`'s row: `-m 7` / `-m 8` read as [`UnWrapKeyRsa`], every
/// other line as the AES [`UnWrapKey`].
pub(crate) fn unwrap_key_parser(
    command: CommandName,
    words: &[String],
) -> Result<Box<dyn KmuCommand>, KmuError> {
    let a = Args::parse(command, words)?;
    if rsa_mechanism(&a)?.is_some() {
        return Ok(Box::new(UnWrapKeyRsa::parse(&a)?));
    }
    if a.has("-t") {
        return Err(a.usage("-t is valid only with -m 7 or 8".to_owned()));
    }
    Ok(Box::new(UnWrapKey::parse(&a)?))
}

/// `wrapKey -k <key> -w <public key> -out <file> -m 7|8 [-t 2|3] [-noheader]`.
pub(crate) struct WrapKeyRsa {
    key: KeyHandle,
    wrapping: KeyHandle,
    out: String,
    mechanism: RsaMechanism,
    hash: OaepHash,
    noheader: bool,
}

impl KmuCommand for WrapKeyRsa {
    fn parse(a: &Args<'_>) -> Result<Self, KmuError> {
        let key = a.handle("-k")?;
        let wrapping = a.handle("-w")?;
        let out = a.req("-out")?.to_owned();
        let mechanism =
            rsa_mechanism(a)?.ok_or_else(|| a.usage("-m must be 7 or 8 here".to_owned()))?;
        if a.has("-i") {
            return Err(a.usage("-i is valid only with the AES mechanisms".to_owned()));
        }
        Ok(Self {
            key,
            wrapping,
            out,
            mechanism,
            hash: hash(a)?,
            noheader: a.has("-noheader"),
        })
    }

    fn audit_text(&self) -> String {
        AuditLine::new("wrapKey")
            .arg("-k", self.key)
            .arg("-w", self.wrapping)
            .text("-out", &self.out)
            .arg("-m", self.mechanism.kmu_number())
            .arg("-t", hash_number(self.hash))
            .switch("-noheader", self.noheader)
            .finish()
    }

    fn handles(&self) -> Vec<KeyHandle> {
        vec![self.key, self.wrapping]
    }

    /// The file is always the bare package (`RSA ‖ KWP`, or the OAEP
    /// ciphertext): what a KMS imports. No header, with or without
    /// `-noheader` (AWS documents none for these mechanisms).
    fn run(&self, cx: &mut Cx<'_>) -> Result<Ran, Refusal> {
        let (key, wrapping) = (self.key, self.wrapping);
        let spec = ops_rsa::RsaWrapSpec {
            key,
            wrapping,
            mechanism: self.mechanism,
            hash: self.hash,
            out: Some(OutFile {
                name: &self.out,
                origin: FileOrigin::WrapKey {
                    key,
                    wrapping,
                    header: false,
                },
            }),
        };
        let (mut ran, wrapped) =
            Ran::from_plan(ops_rsa::wrap(cx.state, cx.keys, &spec)?, &[key, wrapping]);
        cx.status(&mut ran);
        ran.out.blank().line(&format!("{INDENT}Key Wrapped."));
        ran.out.blank().line(&format!(
            "{INDENT}Wrapped Key written to file \"{}\": length {}",
            self.out,
            wrapped.package.len()
        ));
        Ok(ran)
    }
}

/// `unWrapKey -f <file> -w <private key> -m 7|8 [-t 2|3] -noheader -l
/// <label> -kc 4 -kt <16|31> [-id] [-nex] [-sess]`: an RSA package has no
/// header, so the new key's template is given, as for any bare blob.
pub(crate) struct UnWrapKeyRsa {
    file: String,
    unwrapping: KeyHandle,
    mechanism: RsaMechanism,
    hash: OaepHash,
    label: String,
    class: KeyClass,
    key_type: KeyType,
    id: Option<String>,
    nex: bool,
    sess: bool,
}

impl KmuCommand for UnWrapKeyRsa {
    fn parse(a: &Args<'_>) -> Result<Self, KmuError> {
        let file = a.req("-f")?.to_owned();
        let unwrapping = a.handle("-w")?;
        let mechanism =
            rsa_mechanism(a)?.ok_or_else(|| a.usage("-m must be 7 or 8 here".to_owned()))?;
        if !a.has("-noheader") {
            return Err(a.usage(
                "-m 7 and -m 8 packages carry no header: give -noheader -l -kc -kt".to_owned(),
            ));
        }
        if a.has("-i") {
            return Err(a.usage("-i is valid only with the AES mechanisms".to_owned()));
        }
        let label = a.req("-l")?.to_owned();
        let kc = a.req_number("-kc")?;
        let kt = a.req_number("-kt")?;
        Ok(Self {
            file,
            unwrapping,
            mechanism,
            hash: hash(a)?,
            label,
            class: KeyClass::from_number(kc)
                .ok_or_else(|| a.usage(format!("-kc: {kc} is not a key class")))?,
            key_type: a.key_type("-kt", kt)?,
            id: a.opt_owned("-id"),
            nex: a.has("-nex"),
            sess: a.has("-sess"),
        })
    }

    fn audit_text(&self) -> String {
        AuditLine::new("unWrapKey")
            .text("-f", &self.file)
            .arg("-w", self.unwrapping)
            .arg("-m", self.mechanism.kmu_number())
            .arg("-t", hash_number(self.hash))
            .switch("-noheader", true)
            .text("-l", &self.label)
            .arg("-kc", self.class.number())
            .arg("-kt", self.key_type.number())
            .opt_text("-id", self.id.as_deref())
            .switch("-nex", self.nex)
            .switch("-sess", self.sess)
            .finish()
    }

    fn handles(&self) -> Vec<KeyHandle> {
        vec![self.unwrapping]
    }

    /// As every bare blob: KMU's template unwrap.
    fn function_at(&self, _: Stage) -> Option<&'static str> {
        Some("Cfm2UnWrapWithTemplate3")
    }

    fn run(&self, cx: &mut Cx<'_>) -> Result<Ran, Refusal> {
        let spec = ops_rsa::RsaUnwrapSpec {
            input: WrappedInput::File(&self.file),
            unwrapping: self.unwrapping,
            mechanism: self.mechanism,
            hash: self.hash,
            template: NewKeyTemplate {
                id: self.id.clone().unwrap_or_default(),
                class: self.class,
                extractable: !self.nex,
                token: !self.sess,
                ..NewKeyTemplate::new(&self.label, self.key_type)
            },
        };
        let (mut ran, handle) =
            Ran::from_plan(ops_rsa::unwrap(cx.state, &spec)?, &[self.unwrapping]);
        ran.out
            .status("Cfm3CreateUnwrapTemplate2", ReturnCode::Success);
        ran.out.line(&format!(
            "{INDENT}Cfm2UnWrapWithTemplate3 returned: {}",
            ReturnCode::Success
        ));
        ran.key_created("Key Unwrapped", handle);
        Ok(ran)
    }
}
