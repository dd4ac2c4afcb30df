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

use super::handle::KeyHandle;

/// The RSA facts of one key object, public or private half. No key bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RsaKeyInfo {
    /// `CKA_MODULUS_BITS`: 2048, 3072 or 4096.
    pub modulus_bits: u32,
    /// `CKA_PUBLIC_EXPONENT` (65537 for every pair this HSM generates).
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
