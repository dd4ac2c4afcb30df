//! An independent reference: RustCrypto's `aes-kw` crate.
//!
//! This crate has its own implementation of W and W⁻¹ (it needs custom IVs
//! and a trace, which `aes-kw` does not offer). To show that, with the
//! default IV, it gives byte for byte what the well-known implementation
//! gives, these functions run `aes-kw` itself. The self-test, the property
//! tests and the browser tests compare the two on random KEKs and inputs.
//!
//! They behave exactly as `aes-kw` 0.3 does, which is **laxer** than this
//! crate: `aes-kw` wraps 0 and 8 bytes of key data with KW, which NIST
//! SP 800-38F does not define. Use them for comparison, not for keys.
//! KW-PKCS#5 is PKCS#5 padding followed by `aes-kw`'s KW.

use aes_kw::cipher::KeyInit;
use aes_kw::{KwAes128, KwAes192, KwAes256, KwpAes128, KwpAes192, KwpAes256};
use zeroize::Zeroizing;

use super::{Mechanism, SEMIBLOCK_LEN};
use crate::error::Direction;
use crate::{Error, SecretBytes};

fn map_err(e: aes_kw::Error, mechanism: Mechanism, direction: Direction, got: usize) -> Error {
    match e {
        aes_kw::Error::IntegrityCheckFailed => Error::IntegrityCheckFailed,
        _ => Error::InputLength {
            mechanism,
            direction,
            got,
        },
    }
}

/// Builds the `aes-kw` type for the KEK's size and runs `$op` on it.
macro_rules! by_kek_size {
    ($kek:expr, $t128:ty, $t192:ty, $t256:ty, |$c:ident| $op:expr) => {
        match $kek.len() {
            16 => <$t128>::new_from_slice($kek).map(|$c| $op),
            24 => <$t192>::new_from_slice($kek).map(|$c| $op),
            32 => <$t256>::new_from_slice($kek).map(|$c| $op),
            got => return Err(Error::KekLength { got }),
        }
        .map_err(|_| Error::KekLength { got: $kek.len() })?
    };
}

/// Wraps with `aes-kw` and the default initial value.
pub fn wrap(kek: &[u8], mechanism: Mechanism, plaintext: &[u8]) -> Result<Vec<u8>, Error> {
    let padded: Zeroizing<Vec<u8>> = match mechanism {
        Mechanism::KwPkcs5 => {
            let pad = SEMIBLOCK_LEN - plaintext.len() % SEMIBLOCK_LEN;
            let mut v = Zeroizing::new(Vec::with_capacity(plaintext.len() + pad));
            v.extend_from_slice(plaintext);
            v.resize(plaintext.len() + pad, u8::try_from(pad).unwrap_or(u8::MAX));
            v
        }
        _ => Zeroizing::new(plaintext.to_vec()),
    };
    let mut out = vec![0u8; padded.len().div_ceil(SEMIBLOCK_LEN) * SEMIBLOCK_LEN + SEMIBLOCK_LEN];
    let result = match mechanism {
        Mechanism::Kw | Mechanism::KwPkcs5 => {
            by_kek_size!(kek, KwAes128, KwAes192, KwAes256, |c| c
                .wrap_key(&padded, &mut out)
                .map(<[u8]>::len))
        }
        Mechanism::Kwp => by_kek_size!(kek, KwpAes128, KwpAes192, KwpAes256, |c| c
            .wrap_key(&padded, &mut out)
            .map(<[u8]>::len)),
    };
    let len = result.map_err(|e| map_err(e, mechanism, Direction::Wrap, plaintext.len()))?;
    out.truncate(len);
    Ok(out)
}

/// Unwraps with `aes-kw` and the default initial value.
pub fn unwrap(kek: &[u8], mechanism: Mechanism, wrapped: &[u8]) -> Result<SecretBytes, Error> {
    let mut out = Zeroizing::new(vec![0u8; wrapped.len()]);
    let result = match mechanism {
        Mechanism::Kw | Mechanism::KwPkcs5 => {
            by_kek_size!(kek, KwAes128, KwAes192, KwAes256, |c| c
                .unwrap_key(wrapped, &mut out)
                .map(<[u8]>::len))
        }
        Mechanism::Kwp => by_kek_size!(kek, KwpAes128, KwpAes192, KwpAes256, |c| c
            .unwrap_key(wrapped, &mut out)
            .map(<[u8]>::len)),
    };
    let len = result.map_err(|e| map_err(e, mechanism, Direction::Unwrap, wrapped.len()))?;
    out.truncate(len);
    if mechanism == Mechanism::KwPkcs5 {
        let p = out.last().copied().unwrap_or(0);
        let n = usize::from(p);
        let tail = out.len().checked_sub(n).and_then(|start| out.get(start..));
        if p == 0 || p > 8 || tail.is_none_or(|t| t.iter().any(|&b| b != p)) {
            return Err(Error::Pkcs5PaddingInvalid);
        }
        let keep = out.len() - n;
        out.truncate(keep);
    }
    Ok(SecretBytes::new(core::mem::take(&mut *out)))
}
