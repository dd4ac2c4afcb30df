//! [`ByokError`]: everything that can go wrong while reading an RSA key,
//! wrapping a key for import, or opening an import package.

use core::fmt;

use super::provider::{MaterialSpec, Provider};

/// Everything that can go wrong in [`byok`](super).
///
/// Each `Display` text is a full sentence saying what was wrong and what is
/// expected, so the page and the `keywrap` command print it as is.
///
/// **No padding oracle.** Every way an RSA-OAEP decryption can fail (wrong
/// length, integer out of range, a bad first byte, a wrong label hash, no
/// `01` separator) is the one variant [`ByokError::OaepDecryptionFailed`]:
/// telling them apart would let anyone holding a package and a decryption
/// service recover the plaintext (Manger, CRYPTO 2001).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ByokError {
    /// No key was given at all.
    EmptyKey,
    /// A PEM block could not be read: truncated, a missing `END` line, or a
    /// body that is not base64.
    MalformedPem {
        /// What the PEM reader said.
        detail: String,
    },
    /// A PEM block with a label this console does not read.
    UnsupportedPemLabel {
        /// The label, e.g. `DSA PARAMETERS`.
        label: String,
    },
    /// An encrypted private key (`ENCRYPTED PRIVATE KEY` or a legacy
    /// `Proc-Type: 4,ENCRYPTED` block).
    EncryptedPrivateKey,
    /// Bytes that are neither PEM nor DER nor base64 of DER, or DER that is
    /// not a key of the expected form.
    MalformedKey {
        /// What the decoder said.
        detail: String,
    },
    /// An X.509 certificate where a bare public key was expected.
    CertificateGiven,
    /// A private key where the provider's public wrapping key was expected.
    PrivateKeyGiven,
    /// A public key where the private key (to open a package) was expected.
    PublicKeyGiven,
    /// An elliptic-curve key: import packages need the provider's RSA key.
    EcKeyGiven,
    /// A key of another algorithm (by its object identifier).
    NotAnRsaKey {
        /// The algorithm's object identifier, dotted.
        oid: String,
    },
    /// An RSA key whose modulus is not 2048, 3072 or 4096 bits.
    UnsupportedKeySize {
        /// The modulus size, in bits.
        bits: usize,
    },
    /// The RSA crate refused the key's numbers (exponent, modulus).
    InvalidRsaKey {
        /// What the RSA crate said.
        detail: String,
    },
    /// The message is longer than RSA-OAEP can carry under this key and hash
    /// (k − 2·hLen − 2 bytes).
    OaepMessageTooLong {
        /// The message length, in bytes.
        len: usize,
        /// The most this key and hash carry, in bytes.
        max: usize,
    },
    /// RSA-OAEP decryption failed. One error for every cause, on purpose:
    /// see the type's documentation.
    OaepDecryptionFailed,
    /// An RSA-AES package shorter than the RSA part plus the smallest KWP
    /// output (16 bytes).
    PackageTooShort {
        /// The package length, in bytes.
        len: usize,
        /// The RSA modulus length, in bytes.
        modulus_len: usize,
    },
    /// The OAEP layer of an RSA-AES package did not hold a 16-, 24- or
    /// 32-byte AES key.
    EphemeralKeyLength {
        /// The recovered length, in bytes.
        got: usize,
    },
    /// The ephemeral AES key size asked for is not 128, 192 or 256 bits, or
    /// the provider fixes another.
    AesKeyBits {
        /// The size asked for, in bits.
        bits: u16,
        /// What the provider or mechanism takes.
        allowed: &'static str,
    },
    /// The KWP layer of an RSA-AES package failed (after the OAEP layer
    /// succeeded): the package was altered, or made for another key.
    KwpLayer(crate::Error),
    /// The provider has no algorithm of this name.
    UnknownAlgorithm {
        /// The provider.
        provider: Provider,
        /// The name that was given.
        name: String,
    },
    /// The provider's algorithm needs a wrapping key of another size.
    WrappingKeySizeMismatch {
        /// The algorithm, in the provider's spelling.
        algorithm: &'static str,
        /// The size the algorithm needs, in bits.
        expected_bits: usize,
        /// The size of the key given, in bits.
        got_bits: usize,
    },
    /// A hash was chosen for an algorithm whose name already fixes it.
    HashFixedByAlgorithm {
        /// The algorithm, in the provider's spelling.
        algorithm: &'static str,
        /// The hash it fixes.
        fixed: &'static str,
    },
    /// The key material has a length the provider does not take for it.
    MaterialLength {
        /// The provider.
        provider: Provider,
        /// What the material was read as.
        spec: MaterialSpec,
        /// The length given, in bytes.
        got: usize,
        /// What the provider expects, as a phrase.
        expected: String,
    },
    /// A private key (PKCS#8) as material under a direct-OAEP algorithm.
    MaterialNeedsRsaAes {
        /// The algorithm, in the provider's spelling.
        algorithm: &'static str,
        /// The provider's RSA-AES algorithms, comma-separated.
        use_instead: String,
    },
    /// The provider does not import this kind of key material.
    MaterialNotImported {
        /// The provider.
        provider: Provider,
        /// What the material was read as.
        spec: MaterialSpec,
        /// What it does import, as a phrase.
        expected: &'static str,
    },
    /// No key material was given.
    EmptyMaterial,
    /// The material is an RSA private key in PKCS#1 form; providers take
    /// private keys as PKCS#8 only.
    MaterialIsPkcs1,
    /// Azure's `.byok` file names the key-exchange key; none was given.
    KidRequired,
    /// The key-exchange key id is not an `https://` Key Vault key URL.
    KidInvalid {
        /// Why not.
        detail: &'static str,
    },
    /// A `.byok` file that is not the JSON Azure's specification describes.
    MalformedByokFile {
        /// What is wrong with it.
        detail: String,
    },
    /// The system's random source failed; nothing was made.
    Random {
        /// What the source said.
        detail: String,
    },
}

impl fmt::Display for ByokError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ByokError::EmptyKey => {
                f.write_str("no key was given: paste or upload a PEM or DER key")
            }
            ByokError::MalformedPem { detail } => write!(
                f,
                "the PEM block cannot be read ({detail}): is it truncated? It must run from \
                 '-----BEGIN …-----' to the matching '-----END …-----' line"
            ),
            ByokError::UnsupportedPemLabel { label } => write!(
                f,
                "a PEM block labelled '{label}' is not an RSA key; expected 'PUBLIC KEY' or \
                 'RSA PUBLIC KEY' (or, to open a package, 'PRIVATE KEY' or 'RSA PRIVATE KEY')"
            ),
            ByokError::EncryptedPrivateKey => f.write_str(
                "the private key is encrypted with a passphrase; decrypt it first \
                 (openssl pkey -in key.pem -out plain.pem)",
            ),
            ByokError::MalformedKey { detail } => write!(
                f,
                "this is not a key in PEM, DER or base64 of DER ({detail})"
            ),
            ByokError::CertificateGiven => f.write_str(
                "this is an X.509 certificate, not a public key; extract the key with \
                 'openssl x509 -in cert.pem -pubkey -noout' and use that",
            ),
            ByokError::PrivateKeyGiven => f.write_str(
                "this is a PRIVATE key: the wrapping key must be the provider's PUBLIC key. \
                 Do not paste private keys into tools; if this key matters, treat it as exposed",
            ),
            ByokError::PublicKeyGiven => f.write_str(
                "this is a public key; opening a package needs the matching RSA private key",
            ),
            ByokError::EcKeyGiven => f.write_str(
                "this is an elliptic-curve key; import packages are wrapped to the provider's \
                 RSA key (2048, 3072 or 4096 bits)",
            ),
            ByokError::NotAnRsaKey { oid } => write!(
                f,
                "this key's algorithm is {oid}, not RSA (1.2.840.113549.1.1.1); import packages \
                 are wrapped to the provider's RSA key"
            ),
            ByokError::UnsupportedKeySize { bits } => write!(
                f,
                "the RSA key has a {bits}-bit modulus; providers issue wrapping keys of 2048, \
                 3072 or 4096 bits, and nothing smaller is safe"
            ),
            ByokError::InvalidRsaKey { detail } => {
                write!(f, "the RSA key's numbers are not valid ({detail})")
            }
            ByokError::OaepMessageTooLong { len, max } => write!(
                f,
                "{len} bytes are too many for RSA-OAEP under this key and hash (at most {max}); \
                 use an RSA-AES algorithm, which wraps any length"
            ),
            ByokError::OaepDecryptionFailed => f.write_str(
                "RSA-OAEP decryption failed: wrong private key, wrong hash, or altered bytes",
            ),
            ByokError::PackageTooShort { len, modulus_len } => write!(
                f,
                "the package is {len} bytes; an RSA-AES package under this key is the \
                 {modulus_len}-byte RSA part followed by at least 16 bytes of KWP"
            ),
            ByokError::EphemeralKeyLength { got } => write!(
                f,
                "the RSA part holds {got} bytes, not a 16-, 24- or 32-byte AES key: this is \
                 not an RSA-AES package (a direct RSA-OAEP one?)"
            ),
            ByokError::AesKeyBits { bits, allowed } => write!(
                f,
                "an ephemeral AES key of {bits} bits is not possible here; {allowed}"
            ),
            ByokError::KwpLayer(e) => write!(f, "the AES key wrap (RFC 5649) layer failed: {e}"),
            ByokError::UnknownAlgorithm { provider, name } => write!(
                f,
                "{} has no algorithm '{name}'; it offers {}",
                provider.display_name(),
                provider.algorithm_names().join(", ")
            ),
            ByokError::WrappingKeySizeMismatch {
                algorithm,
                expected_bits,
                got_bits,
            } => write!(
                f,
                "{algorithm} needs a {expected_bits}-bit wrapping key, but this key has \
                 {got_bits} bits: choose the method that matches the import job's key"
            ),
            ByokError::HashFixedByAlgorithm { algorithm, fixed } => write!(
                f,
                "{algorithm} fixes the hash to {fixed}; leave the hash choice out"
            ),
            ByokError::MaterialLength {
                provider,
                spec,
                got,
                expected,
            } => write!(
                f,
                "{} expects {spec} key material of {expected}; got {got} bytes",
                provider.display_name()
            ),
            ByokError::MaterialNeedsRsaAes {
                algorithm,
                use_instead,
            } => write!(
                f,
                "{algorithm} encrypts the material directly with RSA-OAEP, which cannot carry \
                 a private key; use {use_instead}"
            ),
            ByokError::MaterialNotImported {
                provider,
                spec,
                expected,
            } => write!(
                f,
                "{} does not import {spec} key material; it takes {expected}",
                provider.display_name()
            ),
            ByokError::EmptyMaterial => f.write_str(
                "no key material was given: paste, upload or generate the key to import",
            ),
            ByokError::MaterialIsPkcs1 => f.write_str(
                "the material is an RSA private key in PKCS#1 form (RSAPrivateKey); providers \
                 import private keys as PKCS#8 DER: convert it with 'openssl pkcs8 -topk8 \
                 -nocrypt -inform DER -outform DER -in key.der -out key.p8.der'",
            ),
            ByokError::KidRequired => f.write_str(
                "Azure's .byok file names the key-exchange key: give its key id \
                 (https://VAULT.vault.azure.net/keys/NAME/VERSION)",
            ),
            ByokError::KidInvalid { detail } => write!(
                f,
                "the key-exchange key id is not a Key Vault key URL ({detail}); expected \
                 https://VAULT.vault.azure.net/keys/NAME/VERSION or a Managed HSM's \
                 https://HSM.managedhsm.azure.net/keys/NAME/VERSION"
            ),
            ByokError::MalformedByokFile { detail } => {
                write!(f, "this is not an Azure .byok file ({detail})")
            }
            ByokError::Random { detail } => write!(
                f,
                "the system's random source failed ({detail}); nothing was wrapped"
            ),
        }
    }
}

impl core::error::Error for ByokError {}

impl From<crate::Error> for ByokError {
    fn from(e: crate::Error) -> ByokError {
        match e {
            crate::Error::Random { detail } => ByokError::Random { detail },
            other => ByokError::KwpLayer(other),
        }
    }
}
