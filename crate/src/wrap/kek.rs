//! [`Kek`]: a validated AES key-encryption key.

use core::fmt;

use aes::cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use aes::{Aes128, Aes192, Aes256};
use zeroize::Zeroize;

use super::rounds::{Recorder, UnwrapRounds, WrapRounds};
use crate::Error;

/// An AES key-encryption key (KEK) of 128, 192 or 256 bits, ready to use.
///
/// Building a `Kek` checks the length once and expands the AES key
/// schedule once; every wrap and unwrap with it reuses the schedule. The
/// schedule is wiped when the `Kek` is dropped (the `aes` crate's `zeroize`
/// support), the raw key bytes are not kept, `Debug` prints only the size,
/// and there is no `Clone`.
///
/// ```
/// use keywrap_core::{Error, Kek};
///
/// let kek = Kek::new(&[0u8; 32])?;
/// assert_eq!(kek.bits(), 256);
/// assert_eq!(format!("{kek:?}"), "Kek(AES-256, [REDACTED])");
/// assert_eq!(Kek::new(&[0u8; 20]).err(), Some(Error::KekLength { got: 20 }));
/// # Ok::<(), Error>(())
/// ```
pub struct Kek {
    cipher: Cipher,
}

enum Cipher {
    Aes128(Aes128),
    Aes192(Aes192),
    Aes256(Aes256),
}

impl Kek {
    /// Checks that `key` is 16, 24 or 32 bytes ([`Error::KekLength`]
    /// otherwise) and expands it. The caller keeps (and should wipe) `key`.
    pub fn new(key: &[u8]) -> Result<Kek, Error> {
        let bad = |_| Error::KekLength { got: key.len() };
        let cipher = match key.len() {
            16 => Cipher::Aes128(Aes128::new_from_slice(key).map_err(bad)?),
            24 => Cipher::Aes192(Aes192::new_from_slice(key).map_err(bad)?),
            32 => Cipher::Aes256(Aes256::new_from_slice(key).map_err(bad)?),
            got => return Err(Error::KekLength { got }),
        };
        Ok(Kek { cipher })
    }

    /// The key length in bytes: 16, 24 or 32.
    pub fn key_len(&self) -> usize {
        match self.cipher {
            Cipher::Aes128(_) => 16,
            Cipher::Aes192(_) => 24,
            Cipher::Aes256(_) => 32,
        }
    }

    /// The key length in bits: 128, 192 or 256.
    pub fn bits(&self) -> u16 {
        match self.cipher {
            Cipher::Aes128(_) => 128,
            Cipher::Aes192(_) => 192,
            Cipher::Aes256(_) => 256,
        }
    }

    /// `AES-128`, `AES-192` or `AES-256`.
    pub fn algorithm(&self) -> &'static str {
        match self.cipher {
            Cipher::Aes128(_) => "AES-128",
            Cipher::Aes192(_) => "AES-192",
            Cipher::Aes256(_) => "AES-256",
        }
    }

    /// Runs the wrapping function W over `buf` = `A | R[1] | … | R[n]`.
    pub(crate) fn w<R: Recorder>(&self, buf: &mut [u8], recorder: &mut R) {
        let rounds = WrapRounds { buf, recorder };
        match &self.cipher {
            Cipher::Aes128(c) => c.encrypt_with_backend(rounds),
            Cipher::Aes192(c) => c.encrypt_with_backend(rounds),
            Cipher::Aes256(c) => c.encrypt_with_backend(rounds),
        }
    }

    /// Runs the unwrapping function W⁻¹ over `buf` = `C[0] | … | C[n]`.
    pub(crate) fn w_inverse<R: Recorder>(&self, buf: &mut [u8], recorder: &mut R) {
        let rounds = UnwrapRounds { buf, recorder };
        match &self.cipher {
            Cipher::Aes128(c) => c.decrypt_with_backend(rounds),
            Cipher::Aes192(c) => c.decrypt_with_backend(rounds),
            Cipher::Aes256(c) => c.decrypt_with_backend(rounds),
        }
    }

    /// One AES block encryption in place (KWP with one semiblock, KCV).
    pub(crate) fn encrypt_block(&self, block: &mut [u8; 16]) {
        let mut b = aes::Block::from(*block);
        match &self.cipher {
            Cipher::Aes128(c) => c.encrypt_block(&mut b),
            Cipher::Aes192(c) => c.encrypt_block(&mut b),
            Cipher::Aes256(c) => c.encrypt_block(&mut b),
        }
        block.copy_from_slice(&b);
        b[..].zeroize();
    }

    /// One AES block decryption in place (KWP with one semiblock).
    pub(crate) fn decrypt_block(&self, block: &mut [u8; 16]) {
        let mut b = aes::Block::from(*block);
        match &self.cipher {
            Cipher::Aes128(c) => c.decrypt_block(&mut b),
            Cipher::Aes192(c) => c.decrypt_block(&mut b),
            Cipher::Aes256(c) => c.decrypt_block(&mut b),
        }
        block.copy_from_slice(&b);
        b[..].zeroize();
    }
}

impl fmt::Debug for Kek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Kek({}, [REDACTED])", self.algorithm())
    }
}

impl zeroize::ZeroizeOnDrop for Kek {}
