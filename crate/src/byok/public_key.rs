//! Reading RSA keys as people paste or upload them.
//!
//! [`WrappingPublicKey::parse`] takes the provider's public wrapping key in
//! every form the providers hand it out:
//!
//! | form | who gives it |
//! | --- | --- |
//! | PEM `BEGIN PUBLIC KEY` (X.509 SubjectPublicKeyInfo) | Google Cloud KMS import jobs, Azure's KEK download, `openssl pkey -pubout` |
//! | PEM `BEGIN RSA PUBLIC KEY` (PKCS#1 `RSAPublicKey`) | older tools, `openssl rsa -RSAPublicKey_out` |
//! | DER of either (a binary file) | `openssl … -outform DER` |
//! | base64 of the SPKI DER | AWS KMS `GetParametersForImport`'s `PublicKey` field |
//!
//! and refuses, each with its own [`ByokError`], what is pasted by mistake:
//! a private key, a certificate, an elliptic-curve or other non-RSA key, an
//! RSA key of another size than 2048, 3072 or 4096 bits, a truncated PEM.
//!
//! [`UnwrappingPrivateKey::parse`] takes the matching private key (PKCS#8
//! `BEGIN PRIVATE KEY` or PKCS#1 `BEGIN RSA PRIVATE KEY`, PEM or DER) to
//! open a package: for tests and for people checking their own files.

use core::fmt;

use rsa::pkcs1::der::{Decode, Reader, SliceReader, Tag, Tagged, asn1::AnyRef};
use rsa::pkcs1::{self, DecodeRsaPrivateKey};
use rsa::pkcs8::der::pem;
use rsa::pkcs8::{self, EncodePublicKey, ObjectIdentifier, SubjectPublicKeyInfoRef};
use rsa::traits::PublicKeyParts;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::ByokError;
use crate::encoding::{self, Format};

/// `rsaEncryption` (PKCS#1, RFC 8017 appendix C).
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
/// `id-ecPublicKey` (RFC 5480).
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");

/// The RSA modulus sizes providers issue wrapping keys in, in bits.
pub const SUPPORTED_BITS: [usize; 3] = [2048, 3072, 4096];

/// The largest key input read: far above a 4096-bit private key in PEM.
const MAX_KEY_INPUT: usize = 64 * 1024;

/// A provider's RSA public wrapping key, checked: 2048, 3072 or 4096 bits.
///
/// `Clone` and `Debug` are fine: nothing in it is secret.
#[derive(Clone)]
pub struct WrappingPublicKey {
    key: rsa::PublicKey,
    spki_der: Vec<u8>,
    bits: usize,
    form: KeyForm,
}

/// How a key was given, for the page to say back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyForm {
    /// PEM `BEGIN PUBLIC KEY` (SPKI).
    PemSpki,
    /// PEM `BEGIN RSA PUBLIC KEY` (PKCS#1).
    PemPkcs1,
    /// DER of an SPKI.
    DerSpki,
    /// DER of a PKCS#1 `RSAPublicKey`.
    DerPkcs1,
    /// base64 of an SPKI DER (AWS's `PublicKey` field).
    Base64Spki,
    /// base64 of a PKCS#1 `RSAPublicKey` DER.
    Base64Pkcs1,
}

impl KeyForm {
    /// A short description, e.g. `PEM (SubjectPublicKeyInfo)`.
    pub fn describe(self) -> &'static str {
        match self {
            KeyForm::PemSpki => "PEM (SubjectPublicKeyInfo)",
            KeyForm::PemPkcs1 => "PEM (PKCS#1 RSAPublicKey)",
            KeyForm::DerSpki => "DER (SubjectPublicKeyInfo)",
            KeyForm::DerPkcs1 => "DER (PKCS#1 RSAPublicKey)",
            KeyForm::Base64Spki => "base64 of DER (SubjectPublicKeyInfo)",
            KeyForm::Base64Pkcs1 => "base64 of DER (PKCS#1 RSAPublicKey)",
        }
    }
}

impl WrappingPublicKey {
    /// Reads a public key in any form of the [module table](self).
    pub fn parse(input: &[u8]) -> Result<WrappingPublicKey, ByokError> {
        match classify(input)? {
            (Classified::Spki(der), how) => Self::from_spki_der(&der, how.form(true)),
            (Classified::Pkcs1Public(der), how) => Self::from_pkcs1_der(&der, how.form(false)),
            (Classified::Pkcs8Private(_) | Classified::Pkcs1Private(_), _) => {
                Err(ByokError::PrivateKeyGiven)
            }
            (Classified::EncryptedPrivate, _) => Err(ByokError::PrivateKeyGiven),
        }
    }

    fn from_spki_der(der: &[u8], form: KeyForm) -> Result<WrappingPublicKey, ByokError> {
        let spki = SubjectPublicKeyInfoRef::from_der(der).map_err(malformed)?;
        check_algorithm(spki.algorithm.oid)?;
        let bits = spki
            .subject_public_key
            .as_bytes()
            .ok_or(ByokError::MalformedKey {
                detail: "the key's bit string has unused bits".into(),
            })?;
        Self::from_pkcs1_der(bits, form)
    }

    fn from_pkcs1_der(der: &[u8], form: KeyForm) -> Result<WrappingPublicKey, ByokError> {
        let parsed = pkcs1::RsaPublicKeyRef::from_der(der).map_err(malformed)?;
        let bits = modulus_bits(parsed.modulus.as_bytes());
        if !SUPPORTED_BITS.contains(&bits) {
            return Err(ByokError::UnsupportedKeySize { bits });
        }
        let key = rsa::PublicKey::try_from(parsed).map_err(|e| ByokError::InvalidRsaKey {
            detail: e.to_string(),
        })?;
        Self::from_key(key, form)
    }

    /// Wraps an RSA crate key (a key generated here, or read elsewhere).
    pub(crate) fn from_key(
        key: rsa::PublicKey,
        form: KeyForm,
    ) -> Result<WrappingPublicKey, ByokError> {
        let bits = key.n().as_ref().bit_width() as usize;
        if !SUPPORTED_BITS.contains(&bits) {
            return Err(ByokError::UnsupportedKeySize { bits });
        }
        let spki_der = key
            .to_public_key_der()
            .map_err(|e| ByokError::InvalidRsaKey {
                detail: e.to_string(),
            })?
            .into_vec();
        Ok(WrappingPublicKey {
            key,
            spki_der,
            bits,
            form,
        })
    }

    /// The modulus size in bits: 2048, 3072 or 4096.
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// The modulus size in bytes, `k` in RFC 8017: also the length of every
    /// RSA-OAEP ciphertext under this key.
    pub fn modulus_len(&self) -> usize {
        self.key.size()
    }

    /// How the key was given.
    pub fn form(&self) -> KeyForm {
        self.form
    }

    /// The SubjectPublicKeyInfo DER (re-encoded in the canonical form,
    /// whatever the input form was).
    pub fn spki_der(&self) -> &[u8] {
        &self.spki_der
    }

    /// The key as PEM `BEGIN PUBLIC KEY`, for the OpenSSL commands.
    pub fn to_pem(&self) -> String {
        // The label is a constant and the input a DER we encoded: the only
        // failure pem-rfc7468 knows (a bad label or length) cannot happen,
        // and an empty string would show as a visibly missing key.
        pem::encode_string("PUBLIC KEY", pem::LineEnding::LF, &self.spki_der).unwrap_or_default()
    }

    /// SHA-256 of the SPKI DER, lowercase hex: the same as
    /// `openssl pkey -pubin -in key.pem -outform DER | sha256sum`.
    pub fn fingerprint_sha256(&self) -> String {
        encoding::encode_hex(&Sha256::digest(&self.spki_der))
    }

    /// The public exponent, as a number when it fits in 64 bits.
    pub fn public_exponent(&self) -> Option<u64> {
        let bytes = self.key.e_bytes();
        if bytes.len() > 8 {
            return None;
        }
        Some(bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
    }

    pub(crate) fn rsa(&self) -> &rsa::PublicKey {
        &self.key
    }
}

impl fmt::Debug for WrappingPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WrappingPublicKey")
            .field("bits", &self.bits)
            .field("form", &self.form)
            .field("fingerprint_sha256", &self.fingerprint_sha256())
            .finish()
    }
}

/// An RSA private key that opens packages made for its public half.
///
/// The RSA crate wipes the key's numbers when it is dropped; `Debug`
/// shows only the size. Decryption is blinded (RUSTSEC-2023-0071, the
/// Marvin timing attack, concerns unblinded private-key operations of the
/// RSA crate; blinding is its mitigation).
pub struct UnwrappingPrivateKey {
    key: rsa::PrivateKey,
    public: WrappingPublicKey,
}

impl UnwrappingPrivateKey {
    /// Reads a private key: PEM `BEGIN PRIVATE KEY` (PKCS#8) or
    /// `BEGIN RSA PRIVATE KEY` (PKCS#1), or the DER of either.
    pub fn parse(input: &[u8]) -> Result<UnwrappingPrivateKey, ByokError> {
        let key = match classify(input)? {
            (Classified::Pkcs8Private(der), _) => {
                let info = pkcs8::PrivateKeyInfoRef::try_from(&der[..]).map_err(malformed)?;
                check_algorithm(info.algorithm.oid)?;
                rsa::PrivateKey::try_from(info).map_err(|e| ByokError::InvalidRsaKey {
                    detail: e.to_string(),
                })?
            }
            (Classified::Pkcs1Private(der), _) => {
                rsa::PrivateKey::from_pkcs1_der(&der).map_err(|e| ByokError::InvalidRsaKey {
                    detail: e.to_string(),
                })?
            }
            (Classified::EncryptedPrivate, _) => return Err(ByokError::EncryptedPrivateKey),
            (Classified::Spki(_) | Classified::Pkcs1Public(_), _) => {
                return Err(ByokError::PublicKeyGiven);
            }
        };
        Self::from_key(key)
    }

    /// A new key pair of `bits` (2048, 3072 or 4096), public exponent
    /// 65537, its primes drawn from `rng` (the virtual HSM passes its
    /// injectable key source). Slow: seconds for 4096 bits in the page.
    ///
    /// Errors: [`ByokError::UnsupportedKeySize`], [`ByokError::Random`].
    pub fn generate_with_rng(
        rng: &mut super::RsaRng<'_>,
        bits: usize,
    ) -> Result<UnwrappingPrivateKey, ByokError> {
        if !SUPPORTED_BITS.contains(&bits) {
            return Err(ByokError::UnsupportedKeySize { bits });
        }
        let key = rsa::PrivateKey::new(rng, bits).map_err(|e| match e {
            rsa::Error::Rng => ByokError::Random {
                detail: "RSA key generation".into(),
            },
            other => ByokError::InvalidRsaKey {
                detail: other.to_string(),
            },
        })?;
        Self::from_key(key)
    }

    /// The key as PKCS#8 `PrivateKeyInfo` DER, in a buffer wiped on drop
    /// (how the virtual HSM stores a private key's value).
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, ByokError> {
        use rsa::pkcs8::EncodePrivateKey;
        let document = self
            .key
            .to_pkcs8_der()
            .map_err(|e| ByokError::InvalidRsaKey {
                detail: e.to_string(),
            })?;
        Ok(Zeroizing::new(document.as_bytes().to_vec()))
    }

    pub(crate) fn from_key(key: rsa::PrivateKey) -> Result<UnwrappingPrivateKey, ByokError> {
        let public = WrappingPublicKey::from_key(key.to_public_key(), KeyForm::PemSpki)?;
        Ok(UnwrappingPrivateKey { key, public })
    }

    /// The public half, with its size and fingerprint.
    pub fn public_key(&self) -> &WrappingPublicKey {
        &self.public
    }

    pub(crate) fn rsa(&self) -> &rsa::PrivateKey {
        &self.key
    }
}

impl fmt::Debug for UnwrappingPrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "UnwrappingPrivateKey([REDACTED; {} bits])",
            self.public.bits
        )
    }
}

/// The modulus size of a big-endian integer, in bits.
fn modulus_bits(bytes: &[u8]) -> usize {
    let Some(pos) = bytes.iter().position(|b| *b != 0) else {
        return 0;
    };
    let rest = bytes.get(pos..).unwrap_or_default();
    let lead = rest.first().map_or(0, |b| b.leading_zeros() as usize);
    rest.len() * 8 - lead
}

fn check_algorithm(oid: ObjectIdentifier) -> Result<(), ByokError> {
    if oid == RSA_ENCRYPTION {
        Ok(())
    } else if oid == EC_PUBLIC_KEY {
        Err(ByokError::EcKeyGiven)
    } else {
        Err(ByokError::NotAnRsaKey {
            oid: oid.to_string(),
        })
    }
}

fn malformed(e: impl fmt::Display) -> ByokError {
    ByokError::MalformedKey {
        detail: e.to_string(),
    }
}

/// What a key input turned out to be. DER buffers of private keys are
/// wiped on drop; public ones are wrapped the same way for simplicity.
enum Classified {
    Spki(Zeroizing<Vec<u8>>),
    Pkcs1Public(Zeroizing<Vec<u8>>),
    Pkcs8Private(Zeroizing<Vec<u8>>),
    Pkcs1Private(Zeroizing<Vec<u8>>),
    EncryptedPrivate,
}

/// How the bytes were wrapped around the DER.
#[derive(Clone, Copy)]
enum Envelope {
    Pem,
    Der,
    Base64,
}

impl Envelope {
    fn form(self, spki: bool) -> KeyForm {
        match (self, spki) {
            (Envelope::Pem, true) => KeyForm::PemSpki,
            (Envelope::Pem, false) => KeyForm::PemPkcs1,
            (Envelope::Der, true) => KeyForm::DerSpki,
            (Envelope::Der, false) => KeyForm::DerPkcs1,
            (Envelope::Base64, true) => KeyForm::Base64Spki,
            (Envelope::Base64, false) => KeyForm::Base64Pkcs1,
        }
    }
}

/// Finds the key in `input`: PEM, DER, or base64 of DER.
fn classify(input: &[u8]) -> Result<(Classified, Envelope), ByokError> {
    if input.len() > MAX_KEY_INPUT {
        return Err(ByokError::MalformedKey {
            detail: format!(
                "{} bytes is far more than any RSA key ({MAX_KEY_INPUT} at most)",
                input.len()
            ),
        });
    }
    let trimmed = input.trim_ascii();
    if trimmed.is_empty() {
        return Err(ByokError::EmptyKey);
    }
    if let Some(start) = find(trimmed, b"-----BEGIN ") {
        let block = trimmed.get(start..).unwrap_or_default();
        return classify_pem(block).map(|c| (c, Envelope::Pem));
    }
    // Raw DER is taken as it is: its last bytes may well be 0x0A or 0x20.
    if input.first() == Some(&0x30) {
        return classify_der(Zeroizing::new(input.to_vec())).map(|c| (c, Envelope::Der));
    }
    let text = core::str::from_utf8(trimmed).map_err(|_| ByokError::MalformedKey {
        detail: "neither PEM text, nor DER (which starts with byte 30), nor base64".into(),
    })?;
    let der = encoding::decode(text, Format::Base64).map_err(|e| ByokError::MalformedKey {
        detail: format!("not PEM, and not base64 of DER: {e}"),
    })?;
    classify_der(der).map(|c| (c, Envelope::Base64))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn classify_pem(block: &[u8]) -> Result<Classified, ByokError> {
    // Cut the block at the end of its END line, so text after it (a second
    // block, a shell prompt) does not spoil it; no END line is a truncation.
    let Some(end) = find(block, b"-----END ") else {
        return Err(ByokError::MalformedPem {
            detail: "no '-----END' line".into(),
        });
    };
    let after_end = block.get(end + 9..).unwrap_or_default();
    let Some(close) = find(after_end, b"-----") else {
        return Err(ByokError::MalformedPem {
            detail: "the '-----END' line is cut short".into(),
        });
    };
    let block = block.get(..end + 9 + close + 5).unwrap_or_default();
    let (label, der) = match pem::decode_vec(block) {
        Ok((label, der)) => (label.to_owned(), Zeroizing::new(der)),
        Err(pem::Error::HeaderDisallowed) if find(block, b"ENCRYPTED").is_some() => {
            return Ok(Classified::EncryptedPrivate);
        }
        Err(e) => {
            return Err(ByokError::MalformedPem {
                detail: e.to_string(),
            });
        }
    };
    match label.as_str() {
        "PUBLIC KEY" => Ok(Classified::Spki(der)),
        "RSA PUBLIC KEY" => Ok(Classified::Pkcs1Public(der)),
        "PRIVATE KEY" => Ok(Classified::Pkcs8Private(der)),
        "RSA PRIVATE KEY" => Ok(Classified::Pkcs1Private(der)),
        "ENCRYPTED PRIVATE KEY" => Ok(Classified::EncryptedPrivate),
        "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {
            Err(ByokError::CertificateGiven)
        }
        "EC PRIVATE KEY" | "EC PARAMETERS" => Err(ByokError::EcKeyGiven),
        _ => Err(ByokError::UnsupportedPemLabel { label }),
    }
}

/// Tells the four DER key structures (and a certificate) apart by parsing.
fn classify_der(der: Zeroizing<Vec<u8>>) -> Result<Classified, ByokError> {
    if SubjectPublicKeyInfoRef::from_der(&der).is_ok() {
        return Ok(Classified::Spki(der));
    }
    if pkcs1::RsaPublicKeyRef::from_der(&der).is_ok() {
        return Ok(Classified::Pkcs1Public(der));
    }
    if pkcs8::PrivateKeyInfoRef::try_from(&der[..]).is_ok() {
        return Ok(Classified::Pkcs8Private(der));
    }
    if pkcs1::RsaPrivateKeyRef::from_der(&der).is_ok() {
        return Ok(Classified::Pkcs1Private(der));
    }
    if looks_like_certificate(&der) {
        return Err(ByokError::CertificateGiven);
    }
    Err(ByokError::MalformedKey {
        detail: "the DER is not a SubjectPublicKeyInfo, an RSAPublicKey or a private key".into(),
    })
}

/// An X.509 certificate is `SEQUENCE { SEQUENCE { [0] version, … }, … }`
/// (RFC 5280 §4.1): recognise the explicit version tag inside the first
/// inner sequence.
fn looks_like_certificate(der: &[u8]) -> bool {
    let Ok(outer) = AnyRef::from_der(der) else {
        return false;
    };
    if outer.tag() != Tag::Sequence {
        return false;
    }
    let Ok(mut reader) = SliceReader::new(outer.value()) else {
        return false;
    };
    let Ok(tbs) = reader.decode::<AnyRef<'_>>() else {
        return false;
    };
    tbs.tag() == Tag::Sequence && tbs.value().first() == Some(&0xA0)
}
