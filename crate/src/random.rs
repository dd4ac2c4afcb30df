//! Random bytes and key generation from the system's random source.
//!
//! Natively this is the operating system's generator (`getrandom(2)` on
//! Linux); in the browser (wasm32) it is WebCrypto's
//! `crypto.getRandomValues`, through the `getrandom` crate's `wasm_js`
//! backend. There is no user-space generator in between and no fallback:
//! if the source fails, the error says so ([`Error::Random`]) and no key is
//! made.

use zeroize::Zeroizing;

use crate::{Error, SecretBytes};

/// The largest key [`generate_key`] makes: 1024 bytes.
pub const MAX_GENERATED_KEY_LEN: usize = 1024;

/// Fills `buf` with random bytes.
pub fn fill(buf: &mut [u8]) -> Result<(), Error> {
    getrandom::fill(buf).map_err(|e| Error::Random {
        detail: e.to_string(),
    })
}

/// A new random key of `len` bytes (1 to [`MAX_GENERATED_KEY_LEN`]).
///
/// ```
/// let key = keywrap_core::random::generate_key(32)?;
/// assert_eq!(key.len(), 32);
/// # Ok::<(), keywrap_core::Error>(())
/// ```
pub fn generate_key(len: usize) -> Result<SecretBytes, Error> {
    if len == 0 || len > MAX_GENERATED_KEY_LEN {
        return Err(Error::GenerateLength {
            got: len,
            max: MAX_GENERATED_KEY_LEN,
        });
    }
    let mut key = Zeroizing::new(vec![0u8; len]);
    fill(&mut key)?;
    Ok(SecretBytes::from(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ() {
        let a = generate_key(32);
        let b = generate_key(32);
        assert!(matches!((&a, &b), (Ok(x), Ok(y)) if !x.ct_eq(y)));
        assert_eq!(
            generate_key(0).err(),
            Some(Error::GenerateLength { got: 0, max: 1024 })
        );
        assert!(generate_key(1025).is_err());
    }
}
