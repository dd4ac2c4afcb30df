//! [`Iv`]: the 64-bit initial value of AES key wrap.

use core::fmt;
use core::str::FromStr;

use crate::Error;
use crate::encoding::{self, Format};

/// The 8-byte initial value (IV) that AES-KW puts in the register `A`
/// before wrapping, and expects to find there again after unwrapping.
///
/// RFC 3394 §2.2.3.1 defines the default, [`Iv::DEFAULT`] =
/// `A6A6A6A6A6A6A6A6` (NIST SP 800-38F calls it ICV1). RFC 3394 §2.2.3.2
/// allows an alternative IV chosen by the application; a blob wrapped under
/// one IV fails the integrity check under any other. AES-KWP has no custom
/// IV: its initial value is [`Iv::KWP_PREFIX`] (ICV2, `A65959A6`) followed by
/// the 32-bit length of the key data.
///
/// An IV is not secret: it is `Copy`, and `Display` prints it as uppercase
/// hex, the way RFC 3394 and CloudHSM write it.
///
/// ```
/// use keywrap_core::Iv;
///
/// let iv = Iv::parse_hex("0xA6A6A6A6A6A6A6A6")?;
/// assert!(iv.is_default());
/// assert_eq!(iv.to_string(), "A6A6A6A6A6A6A6A6");
/// assert!(Iv::parse_hex("a6a6").is_err()); // 2 bytes: Error::IvLength
/// # Ok::<(), keywrap_core::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Iv([u8; 8]);

impl Iv {
    /// The default initial value of RFC 3394 §2.2.3.1 (SP 800-38F ICV1).
    pub const DEFAULT: Iv = Iv([0xA6; 8]);

    /// The first half of AES-KWP's initial value, RFC 5649 §3 (SP 800-38F
    /// ICV2); the second half is the key data's length in bytes, big-endian.
    pub const KWP_PREFIX: [u8; 4] = [0xA6, 0x59, 0x59, 0xA6];

    /// An IV from its 8 bytes.
    pub const fn new(bytes: [u8; 8]) -> Iv {
        Iv(bytes)
    }

    /// An IV from a slice, which must be exactly 8 bytes long
    /// ([`Error::IvLength`] otherwise).
    pub fn from_slice(bytes: &[u8]) -> Result<Iv, Error> {
        <[u8; 8]>::try_from(bytes)
            .map(Iv)
            .map_err(|_| Error::IvLength { got: bytes.len() })
    }

    /// Parses 16 hex digits (with the tolerance of
    /// [`encoding::decode`]: spaces, `:` and a leading `0x` are ignored).
    pub fn parse_hex(text: &str) -> Result<Iv, Error> {
        let bytes = encoding::decode(text, Format::Hex)?;
        Iv::from_slice(&bytes)
    }

    /// The 8 bytes.
    pub fn as_bytes(&self) -> &[u8; 8] {
        &self.0
    }

    /// Whether this is RFC 3394's default `A6A6A6A6A6A6A6A6`.
    pub fn is_default(&self) -> bool {
        *self == Iv::DEFAULT
    }

    /// AES-KWP's alternative initial value for key data of `mli` bytes:
    /// `A65959A6` ‖ `mli` as a 32-bit big-endian number (RFC 5649 §3).
    pub fn kwp_aiv(mli: u32) -> Iv {
        let mut a = [0u8; 8];
        a[..4].copy_from_slice(&Iv::KWP_PREFIX);
        a[4..].copy_from_slice(&mli.to_be_bytes());
        Iv(a)
    }
}

impl Default for Iv {
    /// [`Iv::DEFAULT`].
    fn default() -> Iv {
        Iv::DEFAULT
    }
}

impl From<[u8; 8]> for Iv {
    fn from(bytes: [u8; 8]) -> Iv {
        Iv(bytes)
    }
}

impl fmt::Display for Iv {
    /// Uppercase hex, e.g. `A6A6A6A6A6A6A6A6`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&encoding::encode_hex_upper(&self.0))
    }
}

impl fmt::Debug for Iv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Iv({self})")
    }
}

impl FromStr for Iv {
    type Err = Error;

    /// Same as [`Iv::parse_hex`].
    fn from_str(s: &str) -> Result<Iv, Error> {
        Iv::parse_hex(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_print() {
        let iv = Iv::parse_hex("01:23:45:67:89:ab:cd:ef").unwrap_or(Iv::DEFAULT);
        assert_eq!(iv.to_string(), "0123456789ABCDEF");
        assert_eq!(format!("{iv:?}"), "Iv(0123456789ABCDEF)");
        assert!(!iv.is_default());
        assert_eq!(Iv::parse_hex("a6a6"), Err(Error::IvLength { got: 2 }));
        assert_eq!(Iv::from_slice(&[0; 9]), Err(Error::IvLength { got: 9 }));
        assert_eq!(Iv::kwp_aiv(20).to_string(), "A65959A600000014");
    }
}
