//! Key check values (KCV): three bytes that identify a key without
//! revealing it.
//!
//! Two methods are in use for AES keys, and they give different values for
//! the same key, so the console always says which one it shows:
//!
//! - [`KcvMethod::Ecb`]: the first 3 bytes of AES-ECB(key, 16 zero bytes).
//!   AWS CloudHSM (attribute `OBJ_ATTR_KCV`, `findKey -kcv`) and SoftHSM2
//!   (`CKA_CHECK_VALUE`) use it.
//! - [`KcvMethod::Cmac`]: the first 3 bytes of AES-CMAC(key, 16 zero
//!   bytes), the method of payment-industry tools; computed with RustCrypto's
//!   `cmac`.
//!
//! ```
//! use keywrap_core::kcv::{key_check_value, KcvMethod};
//!
//! let key = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
//!            0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f];
//! assert_eq!(key_check_value(&key, KcvMethod::Ecb)?, [0xc6, 0xa1, 0x3b]);
//! assert_eq!(key_check_value(&key, KcvMethod::Cmac)?, [0xbe, 0x7e, 0xd6]);
//! # Ok::<(), keywrap_core::Error>(())
//! ```

use core::fmt;
use core::str::FromStr;

use aes::{Aes128, Aes192, Aes256};
use cmac::{Cmac, KeyInit, Mac};
use zeroize::Zeroize;

use crate::{Error, Kek};

/// How a key check value is computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum KcvMethod {
    /// First 3 bytes of AES-ECB(key, 0¹²⁸): CloudHSM, SoftHSM2. The default.
    #[default]
    Ecb,
    /// First 3 bytes of AES-CMAC(key, 0¹²⁸): payment-industry tools.
    Cmac,
}

impl KcvMethod {
    /// Both methods.
    pub const ALL: [KcvMethod; 2] = [KcvMethod::Ecb, KcvMethod::Cmac];

    /// `ecb` or `cmac`, as the `keywrap kcv --method` option spells it.
    pub fn name(self) -> &'static str {
        match self {
            KcvMethod::Ecb => "ecb",
            KcvMethod::Cmac => "cmac",
        }
    }
}

impl fmt::Display for KcvMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KcvMethod::Ecb => "AES-ECB of a zero block (CloudHSM)",
            KcvMethod::Cmac => "AES-CMAC of a zero block",
        })
    }
}

impl FromStr for KcvMethod {
    type Err = Error;

    /// `ecb` or `cmac`, in any case.
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ecb" => Ok(KcvMethod::Ecb),
            "cmac" => Ok(KcvMethod::Cmac),
            _ => Err(Error::UnknownName {
                kind: "KCV method",
                name: s.to_owned(),
                expected: "ecb or cmac",
            }),
        }
    }
}

/// The 3-byte key check value of the AES key `key` (16, 24 or 32 bytes,
/// [`Error::KeyLength`] otherwise).
pub fn key_check_value(key: &[u8], method: KcvMethod) -> Result<[u8; 3], Error> {
    let mut block = [0u8; 16];
    match method {
        KcvMethod::Ecb => {
            let kek = Kek::new(key).map_err(|_| Error::KeyLength { got: key.len() })?;
            kek.encrypt_block(&mut block);
        }
        KcvMethod::Cmac => {
            let tag = match key.len() {
                16 => cmac_zero_block::<Aes128>(key),
                24 => cmac_zero_block::<Aes192>(key),
                32 => cmac_zero_block::<Aes256>(key),
                got => return Err(Error::KeyLength { got }),
            }?;
            block = tag;
        }
    }
    let [a, b, c, ..] = block;
    let kcv = [a, b, c];
    block.zeroize();
    Ok(kcv)
}

fn cmac_zero_block<C>(key: &[u8]) -> Result<[u8; 16], Error>
where
    C: cmac::block_api::CmacCipher,
    Cmac<C>: KeyInit + Mac,
{
    let mut mac = <Cmac<C> as KeyInit>::new_from_slice(key)
        .map_err(|_| Error::KeyLength { got: key.len() })?;
    mac.update(&[0u8; 16]);
    let tag = mac.finalize().into_bytes();
    let mut out = [0u8; 16];
    for (o, t) in out.iter_mut().zip(tag.iter()) {
        *o = *t;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        let key: Vec<u8> = (0u8..16).collect();
        assert_eq!(
            key_check_value(&key, KcvMethod::Ecb),
            Ok([0xc6, 0xa1, 0x3b])
        );
        assert_eq!(
            key_check_value(&key, KcvMethod::Cmac),
            Ok([0xbe, 0x7e, 0xd6])
        );
        assert_eq!(
            key_check_value(&key[..15], KcvMethod::Cmac),
            Err(Error::KeyLength { got: 15 })
        );
        assert_eq!(
            key_check_value(&[], KcvMethod::Ecb),
            Err(Error::KeyLength { got: 0 })
        );
        assert!(key_check_value(&[1; 24], KcvMethod::Cmac).is_ok());
        assert!(key_check_value(&[1; 32], KcvMethod::Ecb).is_ok());
        assert_eq!("CMAC".parse::<KcvMethod>(), Ok(KcvMethod::Cmac));
    }
}
