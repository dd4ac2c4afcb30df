//! Bring your own key: the import packages of AWS KMS, Google Cloud KMS,
//! Azure Key Vault / Managed HSM and PKCS#11 tokens, made from the
//! provider's RSA public wrapping key.
//!
//! Every provider takes the same two constructions (PKCS#11 names):
//!
//! - `CKM_RSA_PKCS_OAEP`: RSAES-OAEP of the key material itself
//!   ([`rsa_oaep`]; SHA-1 or SHA-256 for the hash and MGF1, empty label);
//!   only for material shorter than `k − 2·hLen − 2` bytes.
//! - `CKM_RSA_AES_KEY_WRAP`: RSA-OAEP of a fresh AES key, then RFC 5649
//!   KWP of the material under it, `RSA part ‖ KWP part` ([`rsa_aes`]).
//!
//! [`provider`] holds the one table of what each provider calls them, the
//! sizes and material it takes, its file and its finishing command, and
//! checks a request before anything is wrapped. [`public_key`] reads the
//! provider's key in the forms providers hand out and refuses what is
//! pasted by mistake. RSA is RustCrypto's `rsa` (crypto-bigint); its
//! known weakness, RUSTSEC-2023-0071 (Marvin), concerns private-key
//! operations: wrapping to a provider performs none; opening a package
//! (tests, [`UnwrappingPrivateKey`]) does, blinded.
//!
//! ```
//! use keywrap_core::byok::{self, PackageRequest, Provider, MaterialKind};
//! # let pair = byok::TestKeyPair::from_private_key(byok::UnwrappingPrivateKey::parse(
//! #     include_bytes!("../../tests/vectors/byok/rsa3072-private.pem"))?);
//! # let pem = pair.public_key().to_pem();
//! let wrapping_key = byok::WrappingPublicKey::parse(pem.as_bytes())?;
//! let request = PackageRequest {
//!     algorithm: Provider::Aws.algorithm("RSA_AES_KEY_WRAP_SHA_256")?,
//!     hash: None,
//!     aes: None,
//!     wrapping_key: &wrapping_key,
//!     material: &[0x42; 32],
//!     material_kind: MaterialKind::Auto,
//!     kid: None,
//!     key_name: None,
//! };
//! let package = byok::prepare(&request)?;
//! assert_eq!(package.file_name, "EncryptedKeyMaterial.bin");
//! assert_eq!(package.file_contents.len(), 384 + 40); // RSA-3072 part, KWP of 32 bytes
//! # let opened = byok::open(request.algorithm, None, pair.private_key(), &package.wrapped)?;
//! # assert_eq!(opened.expose_secret(), &[0x42; 32]);
//! # Ok::<(), byok::ByokError>(())
//! ```

mod error;
pub mod provider;
pub mod public_key;
pub mod rsa_aes;
pub mod rsa_oaep;

pub use error::ByokError;
pub use provider::{
    ALGORITHMS, Algorithm, Checked, HashRule, ImportPackage, KwpLayer, MaterialKind, MaterialSpec,
    PackageRequest, PackageSteps, PrivateKeyKind, Provider, Scheme, TestKeyPair, check, open,
    prepare, prepare_with_steps,
};
pub use public_key::{KeyForm, UnwrappingPrivateKey, WrappingPublicKey};
pub use rsa_aes::{
    AesKeySize, RsaAesWrapped, rsa_aes_unwrap, rsa_aes_unwrap_with, rsa_aes_wrap, rsa_aes_wrap_with,
};
pub use rsa_oaep::{
    OaepHash, OaepLayer, OaepMasking, RsaRng, oaep_decrypt, oaep_encrypt, oaep_encrypt_with_rng,
};
