//! The providers' import profiles: one table, [`ALGORITHMS`], and the one
//! function that checks a request against it and builds the provider's
//! file, [`prepare`].
//!
//! | provider | algorithms (the provider's spelling) | wrapping key | file | source |
//! | --- | --- | --- | --- | --- |
//! | AWS KMS `ImportKeyMaterial` | `RSAES_OAEP_SHA_1`, `RSAES_OAEP_SHA_256` (direct OAEP), `RSA_AES_KEY_WRAP_SHA_1`, `RSA_AES_KEY_WRAP_SHA_256` | RSA 2048/3072/4096, base64 DER | `EncryptedKeyMaterial.bin` | botocore `kms/2014-11-01/service-2.json`; developer guide "importing-keys" |
//! | Google Cloud KMS import jobs | `RSA_OAEP_{3072,4096}_SHA1_AES_256`, `RSA_OAEP_{3072,4096}_SHA256_AES_256`, `RSA_OAEP_{3072,4096}_SHA256` | the size in the name, PEM SPKI | `wrapped-key.bin` | googleapis `google/cloud/kms/v1/resources.proto` |
//! | Azure Key Vault / Managed HSM | `CKM_RSA_AES_KEY_WRAP`, OAEP SHA-1 | RSA 2048/3072/4096 KEK (key_ops `import`) | `KEYNAME.byok` (JSON) | MicrosoftDocs `articles/key-vault/keys/byok-specification.md` |
//! | PKCS#11 / CloudHSM / generic | `CKM_RSA_AES_KEY_WRAP` (0x1054), `CKM_RSA_PKCS_OAEP` (0x0009), hash chosen | RSA 2048/3072/4096 | `wrapped-key.bin` | PKCS#11 3.0 §2.1.21, §2.1.8 |
//!
//! Key material rules (checked before anything is wrapped):
//!
//! | provider | symmetric | HMAC | private key (PKCS#8 DER) |
//! | --- | --- | --- | --- |
//! | AWS | `SYMMETRIC_DEFAULT` 32 bytes | `HMAC_224/256/384/512`: 28/32/48/64 bytes | RSA-AES algorithms only |
//! | Google | 32 bytes (16 for raw AES-128) | `HMAC_SHA1/224/256/384/512`: 20/28/32/48/64 bytes | `*_AES_256` methods only |
//! | Azure | `oct-HSM` 16/24/32 bytes (Managed HSM only) | not imported | RSA-HSM, EC-HSM |
//! | PKCS#11 | 16/24/32 bytes | any length | RSA-AES only |
//!
//! Every profile also prints the equivalent OpenSSL 3 commands, so a person
//! can check this console against a tool they trust (the tests run them).

use core::fmt;
use core::str::FromStr;

use base64ct::Encoding;
use rsa::pkcs8;

use super::rsa_aes::{AesKeySize, rsa_aes_wrap_recorded};
use super::rsa_oaep::{OaepLayer, OaepMasking, oaep_encrypt, open_oaep_layer};
use super::{ByokError, OaepHash, UnwrappingPrivateKey, WrappingPublicKey};
use crate::encoding;
use crate::wrap::trace::WrapTrace;

/// Who the key is being imported into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Provider {
    /// AWS KMS (`ImportKeyMaterial`).
    Aws,
    /// Google Cloud KMS (import jobs).
    Gcp,
    /// Azure Key Vault Premium / Managed HSM (BYOK `.byok` file).
    Azure,
    /// Any PKCS#11 token, AWS CloudHSM, or a generic recipient.
    Pkcs11,
}

impl Provider {
    /// All providers, in the order the page lists them.
    pub const ALL: [Provider; 4] = [
        Provider::Aws,
        Provider::Gcp,
        Provider::Azure,
        Provider::Pkcs11,
    ];

    /// The provider's name for people.
    pub fn display_name(self) -> &'static str {
        match self {
            Provider::Aws => "AWS KMS",
            Provider::Gcp => "Google Cloud KMS",
            Provider::Azure => "Azure Key Vault / Managed HSM",
            Provider::Pkcs11 => "PKCS#11 / CloudHSM",
        }
    }

    /// The short name the `keywrap byok --provider` option takes.
    pub fn cli_name(self) -> &'static str {
        match self {
            Provider::Aws => "aws",
            Provider::Gcp => "gcp",
            Provider::Azure => "azure",
            Provider::Pkcs11 => "pkcs11",
        }
    }

    /// Where the facts of this profile come from.
    pub fn source(self) -> &'static str {
        match self {
            Provider::Aws => {
                "AWS KMS API (botocore kms/2014-11-01/service-2.json) and developer guide, \
                 \"Importing key material\""
            }
            Provider::Gcp => {
                "Google Cloud KMS API (googleapis google/cloud/kms/v1/resources.proto)"
            }
            Provider::Azure => "Azure Key Vault BYOK specification (byok-specification.md)",
            Provider::Pkcs11 => {
                "PKCS#11 3.0 §2.1.8 (CKM_RSA_PKCS_OAEP), §2.1.21 (CKM_RSA_AES_KEY_WRAP)"
            }
        }
    }

    /// The provider's algorithms, in table order.
    pub fn algorithms(self) -> impl Iterator<Item = &'static Algorithm> {
        ALGORITHMS.iter().filter(move |a| a.provider == self)
    }

    /// The names of [`algorithms`](Provider::algorithms).
    pub fn algorithm_names(self) -> Vec<&'static str> {
        self.algorithms().map(|a| a.name).collect()
    }

    /// The algorithm named `name` (the provider's spelling, any case).
    pub fn algorithm(self, name: &str) -> Result<&'static Algorithm, ByokError> {
        self.algorithms()
            .find(|a| a.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| ByokError::UnknownAlgorithm {
                provider: self,
                name: name.to_owned(),
            })
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

impl FromStr for Provider {
    type Err = String;

    fn from_str(s: &str) -> Result<Provider, String> {
        Provider::ALL
            .into_iter()
            .find(|p| p.cli_name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("'{s}' is not a provider: expected aws, gcp, azure or pkcs11"))
    }
}

/// The two shapes of an import package.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// RSA-OAEP of the key material itself (short material only).
    DirectOaep,
    /// `CKM_RSA_AES_KEY_WRAP`: RSA-OAEP of a fresh AES key ‖ KWP of the material.
    RsaAes,
}

/// Whether an algorithm's name fixes its OAEP hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HashRule {
    /// The name fixes it.
    Fixed(OaepHash),
    /// The caller chooses (PKCS#11); SHA-256 when not said.
    Chosen,
}

/// One row of the profile table.
#[derive(Debug, PartialEq, Eq)]
pub struct Algorithm {
    /// The provider.
    pub provider: Provider,
    /// The provider's own spelling.
    pub name: &'static str,
    /// Direct OAEP or RSA-AES.
    pub scheme: Scheme,
    /// The OAEP (and MGF1) hash.
    pub hash: HashRule,
    /// The wrapping key sizes the algorithm takes, in bits.
    pub wrapping_bits: &'static [usize],
    /// Whether the ephemeral AES key size may be chosen (PKCS#11 only;
    /// everyone else uses AES-256).
    pub aes_size_chosen: bool,
}

const ANY_SIZE: &[usize] = &[2048, 3072, 4096];
const ONLY_3072: &[usize] = &[3072];
const ONLY_4096: &[usize] = &[4096];

const fn row(
    provider: Provider,
    name: &'static str,
    scheme: Scheme,
    hash: HashRule,
    wrapping_bits: &'static [usize],
) -> Algorithm {
    Algorithm {
        provider,
        name,
        scheme,
        hash,
        wrapping_bits,
        aes_size_chosen: matches!(provider, Provider::Pkcs11),
    }
}

use HashRule::{Chosen, Fixed};
use OaepHash::{Sha1, Sha256};
use Provider::{Aws, Azure, Gcp, Pkcs11};
use Scheme::{DirectOaep, RsaAes};

/// Every algorithm of every provider: the one table.
pub static ALGORITHMS: [Algorithm; 13] = [
    row(Aws, "RSAES_OAEP_SHA_1", DirectOaep, Fixed(Sha1), ANY_SIZE),
    row(
        Aws,
        "RSAES_OAEP_SHA_256",
        DirectOaep,
        Fixed(Sha256),
        ANY_SIZE,
    ),
    row(Aws, "RSA_AES_KEY_WRAP_SHA_1", RsaAes, Fixed(Sha1), ANY_SIZE),
    row(
        Aws,
        "RSA_AES_KEY_WRAP_SHA_256",
        RsaAes,
        Fixed(Sha256),
        ANY_SIZE,
    ),
    row(
        Gcp,
        "RSA_OAEP_3072_SHA1_AES_256",
        RsaAes,
        Fixed(Sha1),
        ONLY_3072,
    ),
    row(
        Gcp,
        "RSA_OAEP_4096_SHA1_AES_256",
        RsaAes,
        Fixed(Sha1),
        ONLY_4096,
    ),
    row(
        Gcp,
        "RSA_OAEP_3072_SHA256_AES_256",
        RsaAes,
        Fixed(Sha256),
        ONLY_3072,
    ),
    row(
        Gcp,
        "RSA_OAEP_4096_SHA256_AES_256",
        RsaAes,
        Fixed(Sha256),
        ONLY_4096,
    ),
    row(
        Gcp,
        "RSA_OAEP_3072_SHA256",
        DirectOaep,
        Fixed(Sha256),
        ONLY_3072,
    ),
    row(
        Gcp,
        "RSA_OAEP_4096_SHA256",
        DirectOaep,
        Fixed(Sha256),
        ONLY_4096,
    ),
    // Azure's specification: "RSA-OAEP with SHA-1" for CKM_RSA_AES_KEY_WRAP.
    row(Azure, "CKM_RSA_AES_KEY_WRAP", RsaAes, Fixed(Sha1), ANY_SIZE),
    row(Pkcs11, "CKM_RSA_AES_KEY_WRAP", RsaAes, Chosen, ANY_SIZE),
    row(Pkcs11, "CKM_RSA_PKCS_OAEP", DirectOaep, Chosen, ANY_SIZE),
];

impl Algorithm {
    /// The hash to use: the one the name fixes (asking for another is an
    /// error), else the one asked, else SHA-256.
    pub fn resolve_hash(&self, asked: Option<OaepHash>) -> Result<OaepHash, ByokError> {
        match (self.hash, asked) {
            (Fixed(fixed), Some(asked)) if asked != fixed => Err(ByokError::HashFixedByAlgorithm {
                algorithm: self.name,
                fixed: fixed.name(),
            }),
            (Fixed(fixed), _) => Ok(fixed),
            (Chosen, asked) => Ok(asked.unwrap_or(OaepHash::Sha256)),
        }
    }

    /// The names of this provider's RSA-AES algorithms, comma-separated.
    fn rsa_aes_alternatives(&self) -> String {
        self.provider
            .algorithms()
            .filter(|a| a.scheme == Scheme::RsaAes && a.hash == self.hash)
            .map(|a| a.name)
            .collect::<Vec<_>>()
            .join(" or ")
    }

    /// One line on what it does, for the page.
    pub fn summary(&self) -> String {
        let hash = match self.hash {
            Fixed(h) => h.name().to_owned(),
            Chosen => "SHA-1 or SHA-256".to_owned(),
        };
        let sizes = self
            .wrapping_bits
            .iter()
            .map(|b| b.to_string())
            .collect::<Vec<_>>()
            .join("/");
        match self.scheme {
            DirectOaep => format!("RSA-OAEP ({hash}) of the key material itself; RSA {sizes}"),
            RsaAes => format!(
                "RSA-OAEP ({hash}) of a fresh AES key, then RFC 5649 AES key wrap of the \
                 material under it; RSA {sizes}"
            ),
        }
    }
}

/// What the key material is, as the provider sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MaterialSpec {
    /// An AES key.
    Symmetric,
    /// An HMAC key.
    Hmac,
    /// A private key as PKCS#8 DER (found by parsing).
    PrivateKey(PrivateKeyKind),
    /// Opaque secret bytes (PKCS#11 generic secret).
    Secret,
}

/// The algorithm of a PKCS#8 private key given as material.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PrivateKeyKind {
    /// RSA.
    Rsa,
    /// Elliptic curve.
    Ec,
    /// Another algorithm (Ed25519, …).
    Other,
}

impl fmt::Display for MaterialSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MaterialSpec::Symmetric => "symmetric (AES)",
            MaterialSpec::Hmac => "HMAC",
            MaterialSpec::PrivateKey(PrivateKeyKind::Rsa) => "RSA private key (PKCS#8)",
            MaterialSpec::PrivateKey(PrivateKeyKind::Ec) => "EC private key (PKCS#8)",
            MaterialSpec::PrivateKey(PrivateKeyKind::Other) => "private key (PKCS#8)",
            MaterialSpec::Secret => "generic secret",
        })
    }
}

/// What the caller says the material is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum MaterialKind {
    /// A PKCS#8 DER private key if it parses as one, else a symmetric key
    /// (for PKCS#11: a generic secret).
    #[default]
    Auto,
    /// An AES key.
    Symmetric,
    /// An HMAC key.
    Hmac,
    /// Opaque bytes (PKCS#11 only).
    Secret,
}

impl FromStr for MaterialKind {
    type Err = String;

    fn from_str(s: &str) -> Result<MaterialKind, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "auto" => Ok(MaterialKind::Auto),
            "symmetric" | "aes" => Ok(MaterialKind::Symmetric),
            "hmac" => Ok(MaterialKind::Hmac),
            "secret" | "generic-secret" => Ok(MaterialKind::Secret),
            _ => Err(format!(
                "'{s}' is not a kind of key material: expected auto, symmetric, hmac or secret"
            )),
        }
    }
}

/// Reads the material as the provider will: a PKCS#8 private key is found
/// by parsing, whatever `kind` says.
pub fn material_spec(provider: Provider, kind: MaterialKind, material: &[u8]) -> MaterialSpec {
    if let Ok(info) = pkcs8::PrivateKeyInfoRef::try_from(material) {
        let oid = info.algorithm.oid.to_string();
        return MaterialSpec::PrivateKey(match oid.as_str() {
            "1.2.840.113549.1.1.1" => PrivateKeyKind::Rsa,
            "1.2.840.10045.2.1" => PrivateKeyKind::Ec,
            _ => PrivateKeyKind::Other,
        });
    }
    match kind {
        MaterialKind::Symmetric => MaterialSpec::Symmetric,
        MaterialKind::Hmac => MaterialSpec::Hmac,
        MaterialKind::Secret => MaterialSpec::Secret,
        MaterialKind::Auto if provider == Provider::Pkcs11 => MaterialSpec::Secret,
        MaterialKind::Auto => MaterialSpec::Symmetric,
    }
}

/// A request for an import package.
pub struct PackageRequest<'a> {
    /// The provider's algorithm (a row of [`ALGORITHMS`]).
    pub algorithm: &'static Algorithm,
    /// The hash, only where the algorithm's name does not fix it.
    pub hash: Option<OaepHash>,
    /// The ephemeral AES key size, only for PKCS#11's RSA-AES.
    pub aes: Option<AesKeySize>,
    /// The provider's public wrapping key.
    pub wrapping_key: &'a WrappingPublicKey,
    /// The key material to import (raw bytes, never hex or base64).
    pub material: &'a [u8],
    /// What the caller says the material is.
    pub material_kind: MaterialKind,
    /// Azure: the key id of the key-exchange key.
    pub kid: Option<&'a str>,
    /// Azure: the name to give the imported key (for the file and the
    /// finishing command). Optional.
    pub key_name: Option<&'a str>,
}

/// A request that passed every check of its profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    /// The hash used.
    pub hash: OaepHash,
    /// The ephemeral AES key size (RSA-AES only).
    pub aes: Option<AesKeySize>,
    /// What the material was read as.
    pub spec: MaterialSpec,
}

/// Checks a request against its provider's rules; nothing is wrapped.
pub fn check(request: &PackageRequest<'_>) -> Result<Checked, ByokError> {
    let algorithm = request.algorithm;
    let provider = algorithm.provider;
    let hash = algorithm.resolve_hash(request.hash)?;
    let aes = match (algorithm.scheme, request.aes) {
        (DirectOaep, Some(size)) => {
            return Err(ByokError::AesKeyBits {
                bits: size.bits(),
                allowed: "a direct RSA-OAEP algorithm uses no AES key",
            });
        }
        (DirectOaep, None) => None,
        (RsaAes, Some(size)) if !algorithm.aes_size_chosen && size != AesKeySize::Aes256 => {
            return Err(ByokError::AesKeyBits {
                bits: size.bits(),
                allowed: "this provider's RSA-AES uses AES-256",
            });
        }
        (RsaAes, size) => Some(size.unwrap_or_default()),
    };
    let bits = request.wrapping_key.bits();
    if !algorithm.wrapping_bits.contains(&bits) {
        return Err(ByokError::WrappingKeySizeMismatch {
            algorithm: algorithm.name,
            expected_bits: algorithm.wrapping_bits.first().copied().unwrap_or_default(),
            got_bits: bits,
        });
    }
    let kid = if provider == Azure {
        Some(check_kid(request.kid)?)
    } else {
        None
    };
    let material = request.material;
    if material.is_empty() {
        return Err(ByokError::EmptyMaterial);
    }
    let spec = material_spec(provider, request.material_kind, material);
    if !matches!(spec, MaterialSpec::PrivateKey(_))
        && rsa::pkcs1::RsaPrivateKeyRef::try_from(material).is_ok()
    {
        return Err(ByokError::MaterialIsPkcs1);
    }
    check_material(provider, spec, material.len(), kid)?;
    if algorithm.scheme == DirectOaep {
        if let MaterialSpec::PrivateKey(_) = spec {
            return Err(ByokError::MaterialNeedsRsaAes {
                algorithm: algorithm.name,
                use_instead: algorithm.rsa_aes_alternatives(),
            });
        }
        let max = hash.max_message_len(request.wrapping_key.modulus_len());
        if material.len() > max {
            return Err(ByokError::OaepMessageTooLong {
                len: material.len(),
                max,
            });
        }
    }
    Ok(Checked { hash, aes, spec })
}

fn length_error(provider: Provider, spec: MaterialSpec, got: usize, expected: &str) -> ByokError {
    ByokError::MaterialLength {
        provider,
        spec,
        got,
        expected: expected.to_owned(),
    }
}

fn check_material(
    provider: Provider,
    spec: MaterialSpec,
    len: usize,
    kid: Option<AzureKid<'_>>,
) -> Result<(), ByokError> {
    use MaterialSpec::{Hmac, PrivateKey, Secret, Symmetric};
    match (provider, spec) {
        (_, PrivateKey(_)) => Ok(()),
        (Aws, Symmetric) if len != 32 => Err(length_error(
            provider,
            spec,
            len,
            "32 bytes (SYMMETRIC_DEFAULT is AES-256; for an HMAC key choose HMAC)",
        )),
        (Aws, Hmac) if ![28, 32, 48, 64].contains(&len) => Err(length_error(
            provider,
            spec,
            len,
            "28, 32, 48 or 64 bytes (HMAC_224, HMAC_256, HMAC_384, HMAC_512)",
        )),
        (Gcp, Symmetric) if len != 32 && len != 16 => Err(length_error(
            provider,
            spec,
            len,
            "32 bytes (GOOGLE_SYMMETRIC_ENCRYPTION and AES-256), or 16 for raw AES-128",
        )),
        (Gcp, Hmac) if ![20, 28, 32, 48, 64].contains(&len) => Err(length_error(
            provider,
            spec,
            len,
            "the digest length: 20, 28, 32, 48 or 64 bytes (HMAC_SHA1 to HMAC_SHA512)",
        )),
        (Azure | Pkcs11, Symmetric) if ![16, 24, 32].contains(&len) => Err(length_error(
            provider,
            spec,
            len,
            "16, 24 or 32 bytes (AES-128, AES-192, AES-256)",
        )),
        (Azure, Symmetric) if kid.is_some_and(|k| !k.managed_hsm) => {
            Err(ByokError::MaterialNotImported {
                provider,
                spec,
                expected: "RSA and EC private keys in a Key Vault; AES (oct-HSM) keys only \
                           in a Managed HSM (a key id on HSM.managedhsm.azure.net)",
            })
        }
        (Azure, Hmac | Secret) => Err(ByokError::MaterialNotImported {
            provider,
            spec,
            expected: "RSA-HSM and EC-HSM private keys (PKCS#8 DER) and oct-HSM AES keys",
        }),
        (Aws | Gcp, Secret) => Err(ByokError::MaterialNotImported {
            provider,
            spec,
            expected: "symmetric, HMAC or private-key material",
        }),
        _ => Ok(()),
    }
}

/// An Azure key-exchange key id, split.
#[derive(Clone, Copy)]
struct AzureKid<'a> {
    url: &'a str,
    /// The vault's or HSM's name: the first label of the host.
    resource: &'a str,
    managed_hsm: bool,
}

fn check_kid(kid: Option<&str>) -> Result<AzureKid<'_>, ByokError> {
    let url = kid
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .ok_or(ByokError::KidRequired)?;
    let rest = url.strip_prefix("https://").ok_or(ByokError::KidInvalid {
        detail: "it must start with https://",
    })?;
    if !url
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-._~/:%".contains(&b))
    {
        return Err(ByokError::KidInvalid {
            detail: "it may hold only letters, digits and - . _ ~ / : %",
        });
    }
    let (host, path) = rest.split_once('/').ok_or(ByokError::KidInvalid {
        detail: "it has no path",
    })?;
    let mut segments = path.split('/');
    if segments.next() != Some("keys") || segments.next().is_none_or(str::is_empty) {
        return Err(ByokError::KidInvalid {
            detail: "its path must be /keys/NAME[/VERSION]",
        });
    }
    let resource = host.split('.').next().unwrap_or_default();
    if resource.is_empty() || !host.contains('.') {
        return Err(ByokError::KidInvalid {
            detail: "its host is not a vault's or HSM's name",
        });
    }
    Ok(AzureKid {
        url,
        resource,
        managed_hsm: host.contains(".managedhsm."),
    })
}

/// A finished import package: the file, and how to finish the import.
pub struct ImportPackage {
    /// The algorithm.
    pub algorithm: &'static Algorithm,
    /// The checks' result: hash, AES size, material kind.
    pub checked: Checked,
    /// The material's length in bytes.
    pub material_len: usize,
    /// The wrapped bytes: `RSA part ‖ KWP part`, or the OAEP ciphertext.
    pub wrapped: Vec<u8>,
    /// The file name the provider's tools expect.
    pub file_name: String,
    /// The file's contents (binary, or the `.byok` JSON for Azure).
    pub file_contents: Vec<u8>,
    /// The command that finishes the import at the provider.
    pub finishing_command: String,
    /// The same package made with OpenSSL 3, as a shell script.
    pub openssl_commands: String,
    /// The wrapping key's size.
    pub wrapping_bits: usize,
    /// The wrapping key's SHA-256 fingerprint (of its SPKI DER).
    pub wrapping_fingerprint: String,
}

impl ImportPackage {
    /// The file as base64, for "copy".
    pub fn file_base64(&self) -> String {
        encoding::encode_base64(&self.file_contents)
    }
}

impl fmt::Debug for ImportPackage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ImportPackage")
            .field("algorithm", &self.algorithm.name)
            .field("file_name", &self.file_name)
            .field("len", &self.file_contents.len())
            .finish()
    }
}

/// The two layers of a package, for the step viewer.
pub struct PackageSteps {
    /// The OAEP layer: hash, MGF1, sizes.
    pub oaep: OaepLayer,
    /// The OAEP encoding opened: only for a test key the page generated
    /// (see [`prepare_with_steps`]).
    pub masking: Option<OaepMasking>,
    /// The KWP layer (RSA-AES only).
    pub kwp: KwpLayer,
    /// The RSA part's length: `k`.
    pub rsa_part_len: usize,
}

/// The KWP layer of a package as the step viewer shows it.
pub enum KwpLayer {
    /// Direct OAEP: there is none.
    None,
    /// The W trace under the ephemeral key.
    Traced {
        /// The ephemeral AES key size.
        aes: AesKeySize,
        /// The trace (wiped on drop).
        trace: WrapTrace,
    },
    /// RSA-AES of a key the page may not show (a sensitive HSM key): its
    /// registers would hold the key, so the trace was dropped (wiped).
    Withheld {
        /// The ephemeral AES key size.
        aes: AesKeySize,
        /// Why, in words.
        reason: String,
    },
    /// RSA-AES with material above the trace cap of 512 bytes.
    TooLongToTrace {
        /// The ephemeral AES key size.
        aes: AesKeySize,
        /// The material's length.
        len: usize,
    },
}

/// Checks `request` and builds the provider's package.
pub fn prepare(request: &PackageRequest<'_>) -> Result<ImportPackage, ByokError> {
    build(request, false).map(|(package, _)| package)
}

/// [`prepare`] with both layers described. `test_key` is the private half
/// of a key pair **the page generated for practice**: only when it matches
/// the wrapping key is the OAEP encoding opened to show the seed and the
/// data-block masking. A real provider's package never shows them.
pub fn prepare_with_steps(
    request: &PackageRequest<'_>,
    test_key: Option<&TestKeyPair>,
) -> Result<(ImportPackage, PackageSteps), ByokError> {
    let (package, mut steps) = build(request, true)?;
    if let Some(pair) = test_key
        && pair.private.public_key().spki_der() == request.wrapping_key.spki_der()
    {
        let rsa_part = package
            .wrapped
            .get(..steps.rsa_part_len)
            .unwrap_or_default();
        steps.masking = Some(open_oaep_layer(
            &pair.private,
            package.checked.hash,
            rsa_part,
        )?);
    }
    Ok((package, steps))
}

fn build(
    request: &PackageRequest<'_>,
    record: bool,
) -> Result<(ImportPackage, PackageSteps), ByokError> {
    let checked = check(request)?;
    let algorithm = request.algorithm;
    let key = request.wrapping_key;
    let (wrapped, steps) = match (algorithm.scheme, checked.aes) {
        (RsaAes, Some(aes)) => {
            let out = rsa_aes_wrap_recorded(key, checked.hash, aes, request.material, record)?;
            let kwp = match out.kwp_trace {
                Some(trace) => KwpLayer::Traced { aes, trace },
                None => KwpLayer::TooLongToTrace {
                    aes,
                    len: request.material.len(),
                },
            };
            let steps = PackageSteps {
                oaep: out.oaep,
                masking: None,
                kwp,
                rsa_part_len: out.rsa_part_len,
            };
            (out.package, steps)
        }
        _ => {
            let ct = oaep_encrypt(key, checked.hash, request.material)?;
            let steps = PackageSteps {
                oaep: OaepLayer::new(key, checked.hash, request.material.len()),
                masking: None,
                kwp: KwpLayer::None,
                rsa_part_len: ct.len(),
            };
            (ct, steps)
        }
    };
    let recipe = Recipe::new(request, &checked);
    let (file_name, file_contents) = match algorithm.provider {
        Azure => {
            let kid = check_kid(request.kid)?;
            (recipe.out_file.clone(), azure_byok_json(kid.url, &wrapped))
        }
        _ => (recipe.out_file.clone(), wrapped.clone()),
    };
    let package = ImportPackage {
        algorithm,
        material_len: request.material.len(),
        wrapped,
        file_name,
        file_contents,
        finishing_command: recipe.finishing_command(request),
        openssl_commands: recipe.openssl_script(request),
        wrapping_bits: key.bits(),
        wrapping_fingerprint: key.fingerprint_sha256(),
        checked,
    };
    Ok((package, steps))
}

/// Opens a package's wrapped bytes (`RSA ‖ KWP`, or an OAEP ciphertext;
/// for Azure, the `.byok` file's decoded `ciphertext`) with the private key.
pub fn open(
    algorithm: &'static Algorithm,
    hash: Option<OaepHash>,
    private_key: &UnwrappingPrivateKey,
    wrapped: &[u8],
) -> Result<crate::SecretBytes, ByokError> {
    let hash = algorithm.resolve_hash(hash)?;
    match algorithm.scheme {
        RsaAes => super::rsa_aes::rsa_aes_unwrap(private_key, hash, wrapped),
        DirectOaep => super::rsa_oaep::oaep_decrypt(private_key, hash, wrapped),
    }
}

/// The `generator` field of a `.byok` file.
pub fn generator() -> String {
    format!("Keywrap Console {}", crate::VERSION)
}

/// Azure's `.byok` file (BYOK specification): `schema_version` 1.0.0, the
/// KEK's key id, `alg` "dir", `enc` "CKM_RSA_AES_KEY_WRAP", the package as
/// base64url without padding, and the generator. Every value is checked
/// ASCII without quotes or backslashes, so no JSON escaping is needed.
fn azure_byok_json(kid: &str, wrapped: &[u8]) -> Vec<u8> {
    format!(
        "{{\"schema_version\":\"1.0.0\",\"header\":{{\"kid\":\"{kid}\",\"alg\":\"dir\",\
         \"enc\":\"CKM_RSA_AES_KEY_WRAP\"}},\"ciphertext\":\"{}\",\"generator\":\"{}\"}}\n",
        base64ct::Base64UrlUnpadded::encode_string(wrapped),
        generator()
    )
    .into_bytes()
}

/// File names and the shell recipe of one profile.
struct Recipe {
    /// The file holding the provider's public key, as the provider gives it.
    key_file: &'static str,
    /// `-keyform DER` when that file is DER.
    key_form: &'static str,
    /// The material file.
    material_file: &'static str,
    /// The wrapped output (the binary package).
    wrapped_file: String,
    /// The file handed to the provider.
    out_file: String,
    hash: OaepHash,
    aes: Option<AesKeySize>,
}

impl Recipe {
    fn new(request: &PackageRequest<'_>, checked: &Checked) -> Recipe {
        let provider = request.algorithm.provider;
        let (key_file, key_form, material_file) = match provider {
            Aws => (
                "WrappingPublicKey.bin",
                " -keyform DER",
                "PlaintextKeyMaterial.bin",
            ),
            Gcp => ("wrapping-key.pem", "", "key-material.bin"),
            Azure => ("kek.pem", "", "key-material.bin"),
            Pkcs11 => ("wrapping-key.pem", "", "key-material.bin"),
        };
        let (wrapped_file, out_file) = match provider {
            Aws => (
                "EncryptedKeyMaterial.bin".to_owned(),
                "EncryptedKeyMaterial.bin".to_owned(),
            ),
            Azure => {
                let name = request
                    .key_name
                    .filter(|n| valid_key_name(n))
                    .unwrap_or("imported-key");
                ("wrapped-key.bin".to_owned(), format!("{name}.byok"))
            }
            Gcp | Pkcs11 => ("wrapped-key.bin".to_owned(), "wrapped-key.bin".to_owned()),
        };
        Recipe {
            key_file,
            key_form,
            material_file,
            wrapped_file,
            out_file,
            hash: checked.hash,
            aes: checked.aes,
        }
    }

    fn pkeyutl(&self, input: &str, output: &str) -> String {
        let h = self.hash.openssl_name();
        format!(
            "openssl pkeyutl -encrypt -pubin -inkey {}{} -in {input} -out {output} \
             -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:{h} -pkeyopt rsa_mgf1_md:{h}",
            self.key_file, self.key_form
        )
    }

    fn openssl_script(&self, request: &PackageRequest<'_>) -> String {
        let provider = request.algorithm.provider;
        let mut lines = Vec::new();
        lines.push(format!(
            "# {} {} with OpenSSL 3. Inputs: {} (the provider's public key), {} (the raw key \
             material, never hex or base64).",
            provider.display_name(),
            request.algorithm.name,
            self.key_file,
            self.material_file
        ));
        if provider == Aws {
            lines.push(
                "# AWS gives the public key as base64 of DER: \
                 openssl enc -d -base64 -A -in PublicKey.b64 -out WrappingPublicKey.bin"
                    .to_owned(),
            );
        }
        match self.aes {
            Some(aes) => {
                let bits = aes.bits();
                lines.push(format!("openssl rand -out aes-key.bin {}", aes.byte_len()));
                lines.push(format!(
                    "openssl enc -id-aes{bits}-wrap-pad -iv A65959A6 \
                     -K \"$(od -An -v -tx1 aes-key.bin | tr -d ' \\n')\" -in {} \
                     -out key-material-wrapped.bin",
                    self.material_file
                ));
                lines.push(self.pkeyutl("aes-key.bin", "aes-key-wrapped.bin"));
                lines.push(format!(
                    "cat aes-key-wrapped.bin key-material-wrapped.bin > {}",
                    self.wrapped_file
                ));
                lines.push(
                    "rm -f aes-key.bin aes-key-wrapped.bin key-material-wrapped.bin".to_owned(),
                );
            }
            None => lines.push(self.pkeyutl(self.material_file, &self.wrapped_file)),
        }
        if provider == Azure {
            let kid = request.kid.map(str::trim).unwrap_or_default();
            lines.push(format!(
                "printf '{{\"schema_version\":\"1.0.0\",\"header\":{{\"kid\":\"%s\",\"alg\":\"dir\",\
                 \"enc\":\"CKM_RSA_AES_KEY_WRAP\"}},\"ciphertext\":\"%s\",\"generator\":\"%s\"}}\\n' \
                 '{kid}' \"$(openssl base64 -A -in {} | tr '+/' '-_' | tr -d '=')\" 'OpenSSL 3' > {}",
                self.wrapped_file, self.out_file
            ));
        }
        lines.join("\n") + "\n"
    }

    fn finishing_command(&self, request: &PackageRequest<'_>) -> String {
        match request.algorithm.provider {
            Aws => format!(
                "aws kms import-key-material --key-id <KEY_ID> \
                 --encrypted-key-material fileb://{} --import-token fileb://ImportToken.bin \
                 --expiration-model KEY_MATERIAL_DOES_NOT_EXPIRE",
                self.out_file
            ),
            Gcp => format!(
                "gcloud kms keys versions import --location <LOCATION> --keyring <KEY_RING> \
                 --key <KEY> --import-job <IMPORT_JOB> --algorithm <KEY_ALGORITHM, e.g. \
                 google-symmetric-encryption> --wrapped-key-file {}",
                self.out_file
            ),
            Azure => {
                let (flag, resource) = match check_kid(request.kid) {
                    Ok(kid) if kid.managed_hsm => ("--hsm-name", kid.resource),
                    Ok(kid) => ("--vault-name", kid.resource),
                    Err(_) => ("--vault-name", "<VAULT>"),
                };
                let name = request
                    .key_name
                    .filter(|n| valid_key_name(n))
                    .unwrap_or("<KEY_NAME>");
                format!(
                    "az keyvault key import {flag} {resource} --name {name} --byok-file {}",
                    self.out_file
                )
            }
            Pkcs11 => {
                let h = self.hash.openssl_name();
                let mech = match self.aes {
                    Some(_) => "rsa-aes",
                    None => "rsa-oaep",
                };
                format!(
                    "cloudhsm-cli key unwrap {mech} --filter attr.label=<UNWRAPPING_PRIVATE_KEY> \
                     --hash-function {h} --mgf mgf1-{h} --key-type-class aes --label <NEW_LABEL> \
                     --data-path {}   # or C_UnwrapKey with {}",
                    self.out_file, request.algorithm.name
                )
            }
        }
    }
}

/// An Azure key name: 1 to 127 letters, digits and dashes.
fn valid_key_name(name: &str) -> bool {
    (1..=127).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// An RSA key pair generated here **for practice**: its public half can
/// stand in for a provider's wrapping key, and because its private half is
/// known, the step viewer may open the OAEP layer (seed, masks). Never a
/// provider's key. Key generation is slow in a debug build.
pub struct TestKeyPair {
    private: UnwrappingPrivateKey,
}

impl TestKeyPair {
    /// A new key pair of `bits` (2048, 3072 or 4096), exponent 65537.
    pub fn generate(bits: usize) -> Result<TestKeyPair, ByokError> {
        Ok(TestKeyPair {
            private: UnwrappingPrivateKey::generate_with_rng(
                &mut super::RsaRng::new(&mut crate::random::fill),
                bits,
            )?,
        })
    }

    /// Wraps an existing private key as a practice pair (tests use keys
    /// made once with OpenSSL, since generation is slow in debug builds).
    pub fn from_private_key(private: UnwrappingPrivateKey) -> TestKeyPair {
        TestKeyPair { private }
    }

    /// The public half.
    pub fn public_key(&self) -> &WrappingPublicKey {
        self.private.public_key()
    }

    /// The private half.
    pub fn private_key(&self) -> &UnwrappingPrivateKey {
        &self.private
    }
}

impl fmt::Debug for TestKeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TestKeyPair({} bits)", self.private.public_key().bits())
    }
}
