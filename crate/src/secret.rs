//! [`SecretBytes`]: key bytes that are wiped when dropped and never printed.

use core::fmt;

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

/// Owned secret bytes (a key, or unwrapped key data).
///
/// - The bytes live in a [`Zeroizing`] vector: memory is overwritten with
///   zeros when the value is dropped, including any spare capacity.
/// - `Debug` prints `SecretBytes([REDACTED; n bytes])`, never the bytes.
/// - There is no `Clone`: a copy of a secret is a decision, made with
///   [`duplicate_secret`](SecretBytes::duplicate_secret).
/// - Equality ([`ct_eq`](SecretBytes::ct_eq), and `PartialEq` built on it)
///   takes the same time whatever the contents; only the lengths may leak.
///
/// To see the bytes, call [`expose_secret`](SecretBytes::expose_secret): the
/// name makes every place that reads a secret easy to find.
///
/// ```
/// use keywrap_core::SecretBytes;
///
/// let key = SecretBytes::from_slice(&[0x42; 16]);
/// assert_eq!(format!("{key:?}"), "SecretBytes([REDACTED; 16 bytes])");
/// assert_eq!(key.expose_secret()[0], 0x42);
/// ```
pub struct SecretBytes {
    bytes: Zeroizing<Vec<u8>>,
}

impl SecretBytes {
    /// Takes ownership of `bytes` (no copy is made; the vector's allocation,
    /// spare capacity included, is wiped on drop).
    pub fn new(bytes: Vec<u8>) -> Self {
        SecretBytes {
            bytes: Zeroizing::new(bytes),
        }
    }

    /// Copies `bytes` into a new secret. The caller remains responsible for
    /// wiping its own copy.
    pub fn from_slice(bytes: &[u8]) -> Self {
        SecretBytes::new(bytes.to_vec())
    }

    /// The secret bytes themselves.
    pub fn expose_secret(&self) -> &[u8] {
        &self.bytes
    }

    /// The length in bytes (not secret).
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether there are no bytes at all.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Compares two secrets in time that depends only on their lengths.
    pub fn ct_eq(&self, other: &SecretBytes) -> bool {
        bool::from(self.bytes.as_slice().ct_eq(other.bytes.as_slice()))
    }

    /// Compares with plain bytes in time that depends only on the lengths.
    pub fn ct_eq_bytes(&self, other: &[u8]) -> bool {
        bool::from(self.bytes.as_slice().ct_eq(other))
    }

    /// Makes a second, independent copy of the secret.
    ///
    /// Each copy is wiped when it is dropped, but every copy is one more place
    /// where the key lives: prefer borrowing with
    /// [`expose_secret`](SecretBytes::expose_secret).
    pub fn duplicate_secret(&self) -> SecretBytes {
        SecretBytes::from_slice(&self.bytes)
    }

    /// Gives the bytes back as a [`Zeroizing`] vector (still wiped on drop).
    pub fn into_zeroizing(self) -> Zeroizing<Vec<u8>> {
        let mut this = self;
        Zeroizing::new(core::mem::take(&mut *this.bytes))
    }
}

impl From<Zeroizing<Vec<u8>>> for SecretBytes {
    fn from(bytes: Zeroizing<Vec<u8>>) -> Self {
        SecretBytes { bytes }
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBytes([REDACTED; {} bytes])", self.bytes.len())
    }
}

/// Constant-time in the contents (see [`SecretBytes::ct_eq`]).
impl PartialEq for SecretBytes {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other)
    }
}

impl Eq for SecretBytes {}

impl ConstantTimeEq for SecretBytes {
    fn ct_eq(&self, other: &Self) -> subtle::Choice {
        self.bytes.as_slice().ct_eq(other.bytes.as_slice())
    }
}

impl Zeroize for SecretBytes {
    fn zeroize(&mut self) {
        self.bytes.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for SecretBytes {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let s = SecretBytes::new(vec![1, 2, 3]);
        assert_eq!(format!("{s:?}"), "SecretBytes([REDACTED; 3 bytes])");
        assert_eq!(s.len(), 3);
        assert!(!s.is_empty());
    }

    #[test]
    fn equality() {
        let a = SecretBytes::from_slice(b"abcdefgh");
        let b = a.duplicate_secret();
        assert!(a.ct_eq(&b));
        assert_eq!(a, b);
        assert!(!a.ct_eq(&SecretBytes::from_slice(b"abcdefgx")));
        assert!(!a.ct_eq(&SecretBytes::from_slice(b"abc")));
        assert!(a.ct_eq_bytes(b"abcdefgh"));
        assert_eq!(&**a.into_zeroizing(), b"abcdefgh");
    }
}
