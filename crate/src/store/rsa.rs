//! What the store records of an RSA key beyond the common attributes.
//!
//! An RSA object is one half of a key pair: class [`KeyClass::Public`] or
//! [`KeyClass::Private`], key type [`KeyType::Rsa`]. Its value is DER: the
//! public key's X.509 `SubjectPublicKeyInfo` (not secret, but kept in the
//! same wiped buffer as every value), the private key's PKCS#8
//! `PrivateKeyInfo` (secret: [`crate::SecretBytes`], wiped on drop, never
//! in `Debug`).
//!
//! [`KeyClass::Public`]: super::KeyClass::Public
//! [`KeyClass::Private`]: super::KeyClass::Private
//! [`KeyType::Rsa`]: super::KeyType::Rsa

use rsa::pkcs8::DecodePublicKey;
use rsa::traits::PublicKeyParts;
use sha2::{Digest, Sha256};

use super::handle::KeyHandle;
use crate::byok::ByokError;

/// The RSA facts of one key object, public or private half. No secret
/// bytes: the modulus and the exponent are the public key's, which the
/// private half shares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RsaKeyInfo {
    /// `CKA_MODULUS_BITS` / `OBJ_ATTR_MODULUS_BITS`: 2048, 3072 or 4096.
    pub modulus_bits: u32,
    /// `CKA_MODULUS` / `OBJ_ATTR_MODULUS`: the modulus `n`, big-endian,
    /// no leading zero byte (so `modulus.len()` is `k`).
    pub modulus: Vec<u8>,
    /// `CKA_PUBLIC_EXPONENT` (65537 for every pair this HSM generates; the
    /// RSA crate refuses exponents above 2³³ − 1, so it fits).
    pub public_exponent: u64,
    /// SHA-256 of the public key's SPKI DER, lowercase hex: the same
    /// fingerprint the import panel shows and `openssl pkey -pubin
    /// -outform DER | sha256sum` prints. The two halves of a pair share it.
    pub fingerprint_sha256: String,
    /// The other half of the pair, when the HSM holds it: for a public
    /// key, its private key (which can unwrap what the public key wraps);
    /// for a private key, its public key. `None` for a public key imported
    /// from outside (`importPubKey`, `key import pem`): its private half
    /// is somewhere else, and nothing in this HSM can open what it wraps.
    pub counterpart: Option<KeyHandle>,
}

impl RsaKeyInfo {
    /// The facts of the public key whose X.509 `SubjectPublicKeyInfo` DER
    /// is `spki_der` (the value the store keeps for a public key; a private
    /// key's facts are its public half's), read by the RSA crate:
    /// bits, modulus, exponent and the SHA-256 fingerprint of `spki_der`.
    /// `counterpart` is the pair's other half, if the HSM holds it.
    pub fn from_spki_der(
        spki_der: &[u8],
        counterpart: Option<KeyHandle>,
    ) -> Result<Self, ByokError> {
        let key = rsa::PublicKey::from_public_key_der(spki_der).map_err(|e| {
            ByokError::InvalidRsaKey {
                detail: e.to_string(),
            }
        })?;
        let modulus = key.n_bytes().into_vec();
        let exponent = key.e_bytes();
        if exponent.len() > 8 {
            return Err(ByokError::InvalidRsaKey {
                detail: "the public exponent does not fit in 64 bits".into(),
            });
        }
        let public_exponent = exponent
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        Ok(RsaKeyInfo {
            modulus_bits: key.n().as_ref().bit_width(),
            modulus,
            public_exponent,
            fingerprint_sha256: crate::encoding::encode_hex(&Sha256::digest(spki_der)),
            counterpart,
        })
    }

    /// The public exponent as the big-endian bytes `OBJ_ATTR_PUBLIC_EXPONENT`
    /// holds, no leading zero byte: `01 00 01` for 65537 (KMU prints
    /// `0x010001`, CloudHSM CLI `"0x010001"`).
    pub fn public_exponent_bytes(&self) -> Vec<u8> {
        let bytes = self.public_exponent.to_be_bytes();
        let first = bytes
            .iter()
            .position(|b| *b != 0)
            .unwrap_or(bytes.len().saturating_sub(1));
        bytes.get(first..).unwrap_or_default().to_vec()
    }

    /// The modulus in bytes, `k`: the length of the RSA part of every
    /// package this key wraps.
    pub fn modulus_len(&self) -> usize {
        usize::try_from(self.modulus_bits.div_ceil(8)).unwrap_or(usize::MAX)
    }

    /// Whether the private half of this pair is inside this HSM.
    pub fn private_half_in_hsm(&self) -> bool {
        self.counterpart.is_some()
    }
}
