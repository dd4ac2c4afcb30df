//! PKCS#11 `CKM_RSA_AES_KEY_WRAP` (0x1054): the two-layer wrap every cloud
//! KMS imports.
//!
//! ```text
//! wrap:    K      = a fresh AES key (256 bits unless 128 or 192 are asked)
//!          RSA    = RSA-OAEP(wrapping public key, K)         (k bytes)
//!          KWP    = RFC 5649 AES key wrap with padding of the target under K
//!          output = RSA ‖ KWP                               (RSA part first)
//! unwrap:  split at k (the modulus length), OAEP-decrypt K, KWP-unwrap.
//! ```
//!
//! (PKCS#11 3.0 §2.1.21, `CK_RSA_AES_KEY_WRAP_PARAMS { ulAESKeyBits;
//! pOAEPParams }`; AWS's recipe concatenates in this order, whatever its
//! prose says.) The ephemeral AES key lives in a wiped buffer and in a
//! [`Kek`] whose key schedule is wiped when dropped; it never leaves this
//! module. The KWP layer is this crate's own [`crate::wrap`], the same code
//! the console's wrap uses, so its W steps can be traced the same way.

use core::fmt;

use super::rsa_oaep::{OaepLayer, RsaRng, oaep_decrypt, oaep_encrypt_with_rng};
use super::{ByokError, OaepHash, UnwrappingPrivateKey, WrappingPublicKey};
use crate::wrap::trace::WrapTrace;
use crate::{Error, Kek, Mechanism, SecretBytes, random};

/// The size of the ephemeral AES key of `CKM_RSA_AES_KEY_WRAP`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum AesKeySize {
    /// AES-128.
    Aes128,
    /// AES-192.
    Aes192,
    /// AES-256: what every cloud provider uses.
    #[default]
    Aes256,
}

impl AesKeySize {
    /// 128, 192 or 256.
    pub fn bits(self) -> u16 {
        match self {
            AesKeySize::Aes128 => 128,
            AesKeySize::Aes192 => 192,
            AesKeySize::Aes256 => 256,
        }
    }

    /// 16, 24 or 32.
    pub fn byte_len(self) -> usize {
        usize::from(self.bits() / 8)
    }

    /// The size for `bits`: [`ByokError::AesKeyBits`] unless 128, 192 or 256.
    pub fn from_bits(bits: u16) -> Result<AesKeySize, ByokError> {
        match bits {
            128 => Ok(AesKeySize::Aes128),
            192 => Ok(AesKeySize::Aes192),
            256 => Ok(AesKeySize::Aes256),
            _ => Err(ByokError::AesKeyBits {
                bits,
                allowed: "CKM_RSA_AES_KEY_WRAP takes 128, 192 or 256",
            }),
        }
    }
}

impl fmt::Display for AesKeySize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AES-{}", self.bits())
    }
}

/// An RSA-AES package and, when asked, what its two layers did.
pub struct RsaAesWrapped {
    /// `RSA part ‖ KWP part`.
    pub package: Vec<u8>,
    /// The length of the RSA part (`k`).
    pub rsa_part_len: usize,
    /// The OAEP layer.
    pub oaep: OaepLayer,
    /// The ephemeral key's size.
    pub aes: AesKeySize,
    /// The KWP layer's W trace (when recorded and the target fits the
    /// trace cap of 512 bytes). It holds the ephemeral key's work and the
    /// target: wiped on drop.
    pub kwp_trace: Option<WrapTrace>,
}

impl fmt::Debug for RsaAesWrapped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaAesWrapped")
            .field("package_len", &self.package.len())
            .field("rsa_part_len", &self.rsa_part_len)
            .field("aes", &self.aes)
            .field("kwp_traced", &self.kwp_trace.is_some())
            .finish()
    }
}

/// Wraps `target` with `CKM_RSA_AES_KEY_WRAP` to `key`: returns
/// `RSA-OAEP(K) ‖ KWP(K, target)`.
///
/// Errors: [`ByokError::KwpLayer`] for a target KWP refuses (empty, over
/// 64 MiB), [`ByokError::Random`].
pub fn rsa_aes_wrap(
    key: &WrappingPublicKey,
    hash: OaepHash,
    aes: AesKeySize,
    target: &[u8],
) -> Result<Vec<u8>, ByokError> {
    rsa_aes_wrap_recorded(key, hash, aes, target, false).map(|w| w.package)
}

/// [`rsa_aes_wrap`] with the layers described, and the KWP layer's W trace
/// recorded when `record` is set and the target is at most 512 bytes.
pub fn rsa_aes_wrap_recorded(
    key: &WrappingPublicKey,
    hash: OaepHash,
    aes: AesKeySize,
    target: &[u8],
    record: bool,
) -> Result<RsaAesWrapped, ByokError> {
    // Check the target before any randomness or RSA work is spent.
    if target.is_empty() {
        return Err(ByokError::EmptyMaterial);
    }
    let ephemeral: SecretBytes = random::generate_key(aes.byte_len())?;
    rsa_aes_wrap_with(
        key,
        hash,
        &ephemeral,
        target,
        record,
        &mut RsaRng::new(&mut random::fill),
    )
    // `ephemeral` is dropped here, and wiped.
}

/// [`rsa_aes_wrap_recorded`] with the ephemeral AES key given (16, 24 or
/// 32 bytes; the caller draws it and drops it, wiped) and the OAEP seed
/// drawn from `rng`: the virtual HSM passes its injectable key source, so a
/// seeded session is reproducible.
///
/// Errors: as [`rsa_aes_wrap`], and [`ByokError::AesKeyBits`] for an
/// ephemeral key that is not an AES key.
pub fn rsa_aes_wrap_with(
    key: &WrappingPublicKey,
    hash: OaepHash,
    ephemeral: &SecretBytes,
    target: &[u8],
    record: bool,
    rng: &mut RsaRng<'_>,
) -> Result<RsaAesWrapped, ByokError> {
    if target.is_empty() {
        return Err(ByokError::EmptyMaterial);
    }
    let aes = AesKeySize::from_bits(
        u16::try_from(ephemeral.len().saturating_mul(8)).unwrap_or(u16::MAX),
    )?;
    let kek = Kek::new(ephemeral.expose_secret())?;
    let (kwp_part, kwp_trace) = if record {
        match crate::trace_wrap(&kek, Mechanism::Kwp, None, target) {
            Ok(trace) => (trace.output.clone(), Some(trace)),
            Err(Error::TraceTooLarge { .. }) => {
                (crate::wrap(&kek, Mechanism::Kwp, None, target)?, None)
            }
            Err(e) => return Err(e.into()),
        }
    } else {
        (crate::wrap(&kek, Mechanism::Kwp, None, target)?, None)
    };
    let mut package = oaep_encrypt_with_rng(key, hash, ephemeral.expose_secret(), rng)?;
    let rsa_part_len = package.len();
    package.extend_from_slice(&kwp_part);
    Ok(RsaAesWrapped {
        package,
        rsa_part_len,
        oaep: OaepLayer::new(key, hash, aes.byte_len()),
        aes,
        kwp_trace,
    })
    // `kek` is dropped here, and its key schedule wiped.
}

/// Opens a `CKM_RSA_AES_KEY_WRAP` package with the private key.
///
/// Errors: [`ByokError::PackageTooShort`]; [`ByokError::OaepDecryptionFailed`]
/// (every OAEP failure alike); [`ByokError::EphemeralKeyLength`] when the
/// RSA part holds no AES key; [`ByokError::KwpLayer`] when the KWP layer
/// fails its integrity check.
pub fn rsa_aes_unwrap(
    key: &UnwrappingPrivateKey,
    hash: OaepHash,
    package: &[u8],
) -> Result<SecretBytes, ByokError> {
    rsa_aes_unwrap_with(key, hash, package, |kek, kwp_part| {
        crate::unwrap(kek, Mechanism::Kwp, None, kwp_part)
    })?
    .map_err(ByokError::KwpLayer)
}

/// Opens the RSA layer of a `CKM_RSA_AES_KEY_WRAP` package and hands the
/// ephemeral key (as a [`Kek`]) and the KWP part to `kwp`, which runs the
/// KWP layer: the virtual HSM runs it with its step rule, so the step
/// viewer gets the W⁻¹ it may see. The ephemeral key is wiped when `kwp`
/// returns.
///
/// Errors: as [`rsa_aes_unwrap`] for the RSA layer; `kwp`'s own result is
/// returned as it is.
pub fn rsa_aes_unwrap_with<T>(
    key: &UnwrappingPrivateKey,
    hash: OaepHash,
    package: &[u8],
    kwp: impl FnOnce(&Kek, &[u8]) -> T,
) -> Result<T, ByokError> {
    let k = key.public_key().modulus_len();
    let (rsa_part, kwp_part) = match package.split_at_checked(k) {
        Some((r, w)) if w.len() >= 16 => (r, w),
        _ => {
            return Err(ByokError::PackageTooShort {
                len: package.len(),
                modulus_len: k,
            });
        }
    };
    let ephemeral = oaep_decrypt(key, hash, rsa_part)?;
    if !matches!(ephemeral.len(), 16 | 24 | 32) {
        return Err(ByokError::EphemeralKeyLength {
            got: ephemeral.len(),
        });
    }
    let kek = Kek::new(ephemeral.expose_secret())?;
    Ok(kwp(&kek, kwp_part))
}
