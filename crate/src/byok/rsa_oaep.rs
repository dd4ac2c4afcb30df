//! RSAES-OAEP (RFC 8017 §7.1) with SHA-1 or SHA-256 for both the OAEP hash
//! and MGF1, and an empty label: what every cloud KMS's import expects.
//!
//! Encryption and decryption are RustCrypto `rsa`'s. This module adds the
//! length rules, one generic decryption error (no padding oracle), and
//! [`open_oaep_layer`]: the EME-OAEP decoding of RFC 8017 §7.1.2 step 3,
//! written out so the step viewer can show the seed and data-block masking
//! of a ciphertext made under a test key the page generated. That decoding
//! is for teaching only (it is not constant-time); the tests check that it
//! recovers exactly what the RSA crate decrypts.

use core::fmt;
use core::str::FromStr;

use getrandom::SysRng;
use rsa::BoxedUint;
use rsa::traits::PublicKeyParts;
use sha1::Sha1;
use sha2::{Digest, Sha256};
use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::{ByokError, UnwrappingPrivateKey, WrappingPublicKey};
use crate::SecretBytes;

/// The hash of RSA-OAEP, used both for the label hash and for MGF1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OaepHash {
    /// SHA-1 (20 bytes). Azure's BYOK specification, AWS `*_SHA_1`, Google's
    /// `*_SHA1_*` methods. SHA-1's collision weakness does not touch OAEP.
    Sha1,
    /// SHA-256 (32 bytes).
    Sha256,
}

impl OaepHash {
    /// `SHA-1` or `SHA-256`.
    pub fn name(self) -> &'static str {
        match self {
            OaepHash::Sha1 => "SHA-1",
            OaepHash::Sha256 => "SHA-256",
        }
    }

    /// OpenSSL's digest name: `sha1` or `sha256`.
    pub fn openssl_name(self) -> &'static str {
        match self {
            OaepHash::Sha1 => "sha1",
            OaepHash::Sha256 => "sha256",
        }
    }

    /// The digest length `hLen` in bytes.
    pub fn digest_len(self) -> usize {
        match self {
            OaepHash::Sha1 => 20,
            OaepHash::Sha256 => 32,
        }
    }

    /// The most bytes RSA-OAEP carries under a `modulus_len`-byte key:
    /// `k − 2·hLen − 2` (RFC 8017 §7.1.1 step 1b).
    pub fn max_message_len(self, modulus_len: usize) -> usize {
        modulus_len.saturating_sub(2 * self.digest_len() + 2)
    }

    fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            OaepHash::Sha1 => Sha1::digest(data).to_vec(),
            OaepHash::Sha256 => Sha256::digest(data).to_vec(),
        }
    }
}

impl fmt::Display for OaepHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for OaepHash {
    type Err = String;

    /// `sha1`/`sha-1` or `sha256`/`sha-256`, any case.
    fn from_str(s: &str) -> Result<OaepHash, String> {
        match s.trim().to_ascii_lowercase().replace('-', "").as_str() {
            "sha1" => Ok(OaepHash::Sha1),
            "sha256" => Ok(OaepHash::Sha256),
            _ => Err(format!(
                "'{s}' is not an OAEP hash: expected sha1 or sha256"
            )),
        }
    }
}

/// Where the RSA crate draws randomness (primes, OAEP seeds): one concrete
/// type around a fill function, so the crate's generic code is compiled
/// once for every caller (the page's random source, the virtual HSM's
/// injectable key source) instead of once per generator type.
pub struct RsaRng<'a> {
    fill: &'a mut dyn FnMut(&mut [u8]) -> Result<(), crate::Error>,
}

impl<'a> RsaRng<'a> {
    /// Randomness from `fill`.
    pub fn new(fill: &'a mut dyn FnMut(&mut [u8]) -> Result<(), crate::Error>) -> Self {
        RsaRng { fill }
    }
}

impl rsa::rand_core::TryRng for RsaRng<'_> {
    type Error = crate::Error;

    fn try_next_u32(&mut self) -> Result<u32, crate::Error> {
        let mut b = [0u8; 4];
        (self.fill)(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, crate::Error> {
        let mut b = [0u8; 8];
        (self.fill)(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), crate::Error> {
        (self.fill)(dst)
    }
}

// Every fill function given is the operating system's random source or the
// tests' seeded key source, whose name already says it is not secret.
impl rsa::rand_core::TryCryptoRng for RsaRng<'_> {}

/// RSA-OAEP-encrypts `message` to `key` (empty label, MGF1 with `hash`).
///
/// Errors: [`ByokError::OaepMessageTooLong`] above
/// [`OaepHash::max_message_len`], [`ByokError::Random`].
pub fn oaep_encrypt(
    key: &WrappingPublicKey,
    hash: OaepHash,
    message: &[u8],
) -> Result<Vec<u8>, ByokError> {
    oaep_encrypt_with_rng(
        key,
        hash,
        message,
        &mut RsaRng::new(&mut crate::random::fill),
    )
}

/// [`oaep_encrypt`] with the OAEP seed drawn from `rng` (the virtual HSM
/// passes its injectable key source, so a seeded session's transcript is
/// reproducible).
pub fn oaep_encrypt_with_rng(
    key: &WrappingPublicKey,
    hash: OaepHash,
    message: &[u8],
    rng: &mut RsaRng<'_>,
) -> Result<Vec<u8>, ByokError> {
    let max = hash.max_message_len(key.modulus_len());
    if message.len() > max {
        return Err(ByokError::OaepMessageTooLong {
            len: message.len(),
            max,
        });
    }
    let rsa = key.rsa();
    let result = match hash {
        OaepHash::Sha1 => rsa.oaep_encrypt_with_rng::<Sha1, _>(rng, message),
        OaepHash::Sha256 => rsa.oaep_encrypt_with_rng::<Sha256, _>(rng, message),
    };
    result.map_err(|e| match e {
        rsa::Error::MessageTooLong => ByokError::OaepMessageTooLong {
            len: message.len(),
            max,
        },
        rsa::Error::Rng => ByokError::Random {
            detail: "RSA-OAEP's seed".into(),
        },
        other => ByokError::InvalidRsaKey {
            detail: other.to_string(),
        },
    })
}

/// Decrypts an RSA-OAEP ciphertext (empty label, MGF1 with `hash`).
///
/// Any failure, a wrong length included, is the one
/// [`ByokError::OaepDecryptionFailed`]. The private-key operation is the
/// RSA crate's, blinded with fresh randomness and checked against a fault
/// (`rsa_decrypt_and_check`); the EME-OAEP decoding is [`eme_oaep_decode`]
/// below, because `rsa` 0.10.0's own decoding does not check that the first
/// byte of the encoding is zero (RFC 8017 §7.1.2 step 3g; Wycheproof's
/// "First byte is 1" tests catch it).
pub fn oaep_decrypt(
    key: &UnwrappingPrivateKey,
    hash: OaepHash,
    ciphertext: &[u8],
) -> Result<SecretBytes, ByokError> {
    let em = rsa_decrypt(key, hash, ciphertext)?;
    eme_oaep_decode(hash, &em)
        .map(SecretBytes::from)
        .ok_or(ByokError::OaepDecryptionFailed)
}

/// RSADP and I2OSP (RFC 8017 §5.1.2, §4.1): the `k`-byte encoded message.
fn rsa_decrypt(
    key: &UnwrappingPrivateKey,
    hash: OaepHash,
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, ByokError> {
    let k = key.public_key().modulus_len();
    if ciphertext.len() != k || k < 2 * hash.digest_len() + 2 {
        return Err(ByokError::OaepDecryptionFailed);
    }
    let rsa_key = key.rsa();
    let precision = rsa_key.n().as_ref().bits_precision();
    let c = BoxedUint::from_be_slice(ciphertext, precision)
        .map_err(|_| ByokError::OaepDecryptionFailed)?;
    // RSADP step 1: the ciphertext representative must be below n.
    if c >= *rsa_key.n().as_ref() {
        return Err(ByokError::OaepDecryptionFailed);
    }
    let m = Zeroizing::new(
        rsa::hazmat::rsa_decrypt_and_check(rsa_key, Some(&mut SysRng), &c)
            .map_err(|_| ByokError::OaepDecryptionFailed)?,
    );
    let wide = Zeroizing::new(m.to_be_bytes());
    // The integer is below n, so cutting to k bytes drops only zeros.
    let em = wide
        .get(wide.len().saturating_sub(k)..)
        .ok_or(ByokError::OaepDecryptionFailed)?;
    Ok(Zeroizing::new(em.to_vec()))
}

/// EME-OAEP decoding (RFC 8017 §7.1.2 step 3) in constant time: every
/// check is computed on every byte before the one verdict, and the verdict
/// says nothing of which check failed.
fn eme_oaep_decode(hash: OaepHash, em: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let h = hash.digest_len();
    let (y, rest) = em.split_first()?;
    let (masked_seed, masked_db) = rest.split_at_checked(h)?;
    let seed_mask = mgf1(hash, masked_db, h);
    let seed = Zeroizing::new(xor(masked_seed, &seed_mask));
    let db_mask = mgf1(hash, &seed, masked_db.len());
    let db = Zeroizing::new(xor(masked_db, &db_mask));
    let (l_hash, ps_one_m) = db.split_at_checked(h)?;
    let mut valid = y.ct_eq(&0) & l_hash.ct_eq(hash.digest(b"").as_slice());
    // PS ‖ 01 ‖ M: zero bytes, then the first 01; anything else before it
    // is invalid. `index` ends at the position of that 01.
    let mut looking = Choice::from(1);
    let mut before_one_nonzero = Choice::from(0);
    let mut index = 0u32;
    for (i, b) in ps_one_m.iter().enumerate() {
        let is_one = b.ct_eq(&1);
        let position = u32::try_from(i).unwrap_or(u32::MAX);
        index.conditional_assign(&position, looking & is_one);
        looking &= !is_one;
        before_one_nonzero |= looking & !b.ct_eq(&0);
    }
    valid &= !looking & !before_one_nonzero;
    if !bool::from(valid) {
        return None;
    }
    let start = usize::try_from(index).ok()? + 1;
    Some(Zeroizing::new(ps_one_m.get(start..)?.to_vec()))
}

/// What the step viewer says of the OAEP layer of any package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OaepLayer {
    /// The OAEP hash (also MGF1's).
    pub hash: OaepHash,
    /// The label: always empty, as every provider's import expects.
    pub label_len: usize,
    /// The wrapping key's modulus, in bits.
    pub modulus_bits: usize,
    /// `k`, the modulus in bytes.
    pub modulus_len: usize,
    /// The length of what was encrypted (an AES key, or the key material).
    pub message_len: usize,
    /// `k − 2·hLen − 2`.
    pub max_message_len: usize,
    /// The ciphertext length: always `k`.
    pub ciphertext_len: usize,
}

impl OaepLayer {
    pub(crate) fn new(key: &WrappingPublicKey, hash: OaepHash, message_len: usize) -> OaepLayer {
        OaepLayer {
            hash,
            label_len: 0,
            modulus_bits: key.bits(),
            modulus_len: key.modulus_len(),
            message_len,
            max_message_len: hash.max_message_len(key.modulus_len()),
            ciphertext_len: key.modulus_len(),
        }
    }
}

/// The EME-OAEP encoding inside one ciphertext, opened with the private
/// key (RFC 8017 §7.1.2 step 3, names as there):
///
/// ```text
/// EM        = Y ‖ maskedSeed ‖ maskedDB          (k bytes, Y = 00)
/// seedMask  = MGF1(maskedDB, hLen)     seed = maskedSeed ⊕ seedMask
/// dbMask    = MGF1(seed, k − hLen − 1)   DB = maskedDB ⊕ dbMask
/// DB        = lHash ‖ PS ‖ 01 ‖ M       (PS: zero bytes)
/// ```
///
/// Holds the message `M` (a key) and the seed: wiped on drop, and `Debug`
/// shows lengths only. Only the page's own test keys produce one.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct OaepMasking {
    /// The first byte of EM: 00 for a valid encoding.
    pub y: u8,
    /// `maskedSeed` (hLen bytes).
    pub masked_seed: Vec<u8>,
    /// `seedMask = MGF1(maskedDB, hLen)`.
    pub seed_mask: Vec<u8>,
    /// The random `seed` (hLen bytes).
    pub seed: Vec<u8>,
    /// `maskedDB` (k − hLen − 1 bytes).
    pub masked_db: Vec<u8>,
    /// `dbMask = MGF1(seed, k − hLen − 1)`.
    pub db_mask: Vec<u8>,
    /// `DB = lHash ‖ PS ‖ 01 ‖ M`.
    pub db: Vec<u8>,
    /// `lHash`, the hash of the empty label.
    pub l_hash: Vec<u8>,
    /// The number of zero bytes in `PS`.
    pub ps_len: usize,
    /// `M`, the encrypted message.
    pub message: Vec<u8>,
}

impl fmt::Debug for OaepMasking {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "OaepMasking {{ db: [REDACTED; {} bytes], ps_len: {}, message: [REDACTED; {} bytes] }}",
            self.db.len(),
            self.ps_len,
            self.message.len()
        )
    }
}

/// MGF1 (RFC 8017 appendix B.2.1): `T = Hash(seed ‖ C(0)) ‖ Hash(seed ‖ C(1)) ‖ …`
/// cut to `len` bytes, `C(i)` the 4-byte big-endian counter.
pub(crate) fn mgf1(hash: OaepHash, seed: &[u8], len: usize) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(len + hash.digest_len()));
    let mut counter: u32 = 0;
    while out.len() < len {
        let mut input = Zeroizing::new(seed.to_vec());
        input.extend_from_slice(&counter.to_be_bytes());
        out.extend_from_slice(&hash.digest(&input));
        counter = counter.wrapping_add(1);
    }
    out.truncate(len);
    out
}

fn xor(a: &[u8], b: &[u8]) -> Vec<u8> {
    a.iter().zip(b).map(|(x, y)| x ^ y).collect()
}

/// Opens the OAEP encoding inside `ciphertext` with the private key, for
/// the step viewer (see [`OaepMasking`]).
///
/// Errors: [`ByokError::OaepDecryptionFailed`] when the ciphertext is not a
/// valid OAEP encryption under this key and hash.
pub fn open_oaep_layer(
    key: &UnwrappingPrivateKey,
    hash: OaepHash,
    ciphertext: &[u8],
) -> Result<OaepMasking, ByokError> {
    let k = key.public_key().modulus_len();
    let h = hash.digest_len();
    let em = rsa_decrypt(key, hash, ciphertext)?;
    let (y, rest) = em.split_first().ok_or(ByokError::OaepDecryptionFailed)?;
    let (masked_seed, masked_db) = rest
        .split_at_checked(h)
        .ok_or(ByokError::OaepDecryptionFailed)?;
    let seed_mask = mgf1(hash, masked_db, h);
    let seed = xor(masked_seed, &seed_mask);
    let db_mask = mgf1(hash, &seed, k - h - 1);
    let db = xor(masked_db, &db_mask);
    let l_hash = hash.digest(b"");
    let (db_l_hash, after) = db
        .split_at_checked(h)
        .ok_or(ByokError::OaepDecryptionFailed)?;
    let ps_len = after.iter().take_while(|b| **b == 0).count();
    let separator = after.get(ps_len).copied();
    if *y != 0 || db_l_hash != l_hash.as_slice() || separator != Some(1) {
        return Err(ByokError::OaepDecryptionFailed);
    }
    let message = after.get(ps_len + 1..).unwrap_or_default().to_vec();
    Ok(OaepMasking {
        y: *y,
        masked_seed: masked_seed.to_vec(),
        seed_mask: seed_mask.to_vec(),
        seed,
        masked_db: masked_db.to_vec(),
        db_mask: db_mask.to_vec(),
        db,
        l_hash,
        ps_len,
        message,
    })
}
