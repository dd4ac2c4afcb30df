//! [`Kek`]: a validated AES key-encryption key.

use core::fmt;

use keywrap_rounds::{KekCipher, Step};

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
///
/// The schedule and the rounds live in the `keywrap-rounds` crate, which the
/// release build compiles at full speed while the rest of the page is
/// compiled for size; this type is its public face.
pub struct Kek {
    cipher: KekCipher,
}

impl Kek {
    /// Checks that `key` is 16, 24 or 32 bytes ([`Error::KekLength`]
    /// otherwise) and expands it. The caller keeps (and should wipe) `key`.
    pub fn new(key: &[u8]) -> Result<Kek, Error> {
        KekCipher::new(key)
            .map(|cipher| Kek { cipher })
            .ok_or(Error::KekLength { got: key.len() })
    }

    /// The key length in bytes: 16, 24 or 32.
    pub fn key_len(&self) -> usize {
        self.cipher.key_len()
    }

    /// The key length in bits: 128, 192 or 256.
    pub fn bits(&self) -> u16 {
        match self.cipher.key_len() {
            16 => 128,
            24 => 192,
            _ => 256,
        }
    }

    /// `AES-128`, `AES-192` or `AES-256`.
    pub fn algorithm(&self) -> &'static str {
        match self.cipher.key_len() {
            16 => "AES-128",
            24 => "AES-192",
            _ => "AES-256",
        }
    }

    /// The expanded key and its rounds (W, W⁻¹, batches, slices).
    pub(crate) fn cipher(&self) -> &KekCipher {
        &self.cipher
    }

    /// Runs the wrapping function W over `buf` = `A | R[1] | … | R[n]`,
    /// recording every step when `steps` is given.
    pub(crate) fn w(&self, buf: &mut [u8], steps: Option<&mut Vec<Step>>) {
        match steps {
            None => self.cipher.w(buf),
            Some(steps) => self.cipher.w_traced(buf, steps),
        }
    }

    /// Runs the unwrapping function W⁻¹ over `buf` = `C[0] | … | C[n]`,
    /// recording every step when `steps` is given.
    pub(crate) fn w_inverse(&self, buf: &mut [u8], steps: Option<&mut Vec<Step>>) {
        match steps {
            None => self.cipher.w_inverse(buf),
            Some(steps) => self.cipher.w_inverse_traced(buf, steps),
        }
    }

    /// One AES block encryption in place (KWP with one semiblock, KCV).
    pub(crate) fn encrypt_block(&self, block: &mut [u8; 16]) {
        self.cipher.encrypt_block(block);
    }

    /// One AES block decryption in place (KWP with one semiblock).
    pub(crate) fn decrypt_block(&self, block: &mut [u8; 16]) {
        self.cipher.decrypt_block(block);
    }
}

impl fmt::Debug for Kek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Kek({}, [REDACTED])", self.algorithm())
    }
}

impl zeroize::ZeroizeOnDrop for Kek {}
