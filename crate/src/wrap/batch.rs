//! Many keys under one KEK in one call: [`wrap_many`] and [`unwrap_many`].
//!
//! One key's W is a chain of `6n` dependent AES blocks, but the chains of
//! different keys are independent. These functions run the chains of up to
//! as many keys as the cipher takes at once side by side: at step `t`, the
//! blocks `A | R[i]` of all of them go through one parallel-block call of
//! the `aes` crate (4 blocks in the bitsliced software AES that runs in the
//! browser, 8 with AES-NI). Keys are grouped by length; each result is
//! byte for byte what [`wrap()`](super::wrap()) or
//! [`unwrap()`](super::unwrap()) gives for that key alone (tested against
//! RustCrypto's `aes-kw` in `tests/batch.rs`).
//!
//! **Errors per key.** A key that cannot be wrapped (a length the mechanism
//! does not take, say) gets its own `Err` in its place in the result, and
//! the others are wrapped as usual; an unwrap that fails its integrity
//! check releases nothing of that key and does not affect the rest.
//! Nothing here panics on any input.
//!
//! ```
//! use keywrap_core::wrap::{unwrap_many, wrap_many};
//! use keywrap_core::{Kek, Mechanism, wrap};
//!
//! let kek = Kek::new(&[0x42; 32])?;
//! let keys = [[1u8; 32], [2u8; 32], [3u8; 32]];
//! let wrapped = wrap_many(&kek, Mechanism::Kw, None, &keys);
//! assert_eq!(wrapped[1], wrap(&kek, Mechanism::Kw, None, &keys[1]));
//!
//! let blobs: Vec<Vec<u8>> = wrapped.into_iter().flatten().collect();
//! let back = unwrap_many(&kek, Mechanism::Kw, None, &blobs);
//! assert_eq!(back[2].as_ref().map(|k| k.expose_secret()), Ok(&[3u8; 32][..]));
//! # Ok::<(), keywrap_core::Error>(())
//! ```

use zeroize::{Zeroize, Zeroizing};

use super::{Iv, Kek, Mechanism, check_unwrap_input, prepare_wrap, take_plaintext, verify};
use crate::{Error, SecretBytes};

/// Wraps every key of `keys` under `kek` with `mechanism` (and `iv`, as for
/// [`wrap()`](super::wrap())), interleaving the keys' rounds.
///
/// Returns one result per key, in order: the same `Ok` or `Err` that
/// [`wrap()`](super::wrap()) returns for that key.
pub fn wrap_many<K: AsRef<[u8]>>(
    kek: &Kek,
    mechanism: Mechanism,
    iv: Option<&Iv>,
    keys: &[K],
) -> Vec<Result<Vec<u8>, Error>> {
    let mut prepared: Vec<Result<Zeroizing<Vec<u8>>, Error>> = keys
        .iter()
        .map(|k| prepare_wrap(mechanism, iv, k.as_ref()).map(|p| p.buf))
        .collect();
    run_many(
        &mut prepared,
        |block| kek.encrypt_block(block),
        |lanes| kek.cipher().w_many(lanes),
    );
    prepared
        .into_iter()
        // The buffers now hold only wrapped keys, which are not secret.
        .map(|r| r.map(|mut buf| core::mem::take(&mut *buf)))
        .collect()
}

/// Unwraps every blob of `wrapped` under `kek` with `mechanism` (and `iv`,
/// as for [`unwrap()`](super::unwrap())), interleaving the blobs' rounds.
///
/// Returns one result per blob, in order: the same `Ok` or `Err` that
/// [`unwrap()`](super::unwrap()) returns for it. A blob that fails a check
/// has its working buffer wiped and releases nothing.
pub fn unwrap_many<W: AsRef<[u8]>>(
    kek: &Kek,
    mechanism: Mechanism,
    iv: Option<&Iv>,
    wrapped: &[W],
) -> Vec<Result<SecretBytes, Error>> {
    let mut expected = Vec::with_capacity(wrapped.len());
    let mut bufs: Vec<Result<Zeroizing<Vec<u8>>, Error>> = Vec::with_capacity(wrapped.len());
    for w in wrapped {
        let w = w.as_ref();
        match check_unwrap_input(mechanism, iv, w.len()) {
            Ok(e) => {
                expected.push(Some(e));
                bufs.push(Ok(Zeroizing::new(w.to_vec())));
            }
            Err(e) => {
                expected.push(None);
                bufs.push(Err(e));
            }
        }
    }
    run_many(
        &mut bufs,
        |block| kek.decrypt_block(block),
        |lanes| kek.cipher().w_inverse_many(lanes),
    );
    bufs.into_iter()
        .zip(expected)
        .map(|(buf, expected)| {
            let mut buf = buf?;
            let Some(expected) = expected else {
                // check_unwrap_input failed, so `buf` is an Err: unreachable,
                // but answered without a panic.
                buf.zeroize();
                return Err(Error::IntegrityCheckFailed);
            };
            let verdict = verify(mechanism, &expected, &buf);
            match verdict.result {
                Ok(()) => Ok(take_plaintext(buf, verdict.plaintext_len)),
                Err(e) => {
                    buf.zeroize();
                    Err(e)
                }
            }
        })
        .collect()
}

/// Runs the rounds over every prepared buffer: `single` does KWP's
/// one-block case (RFC 5649 §4.1), the rest go to `many` sorted by length
/// so that equal lengths share the parallel blocks.
fn run_many(
    bufs: &mut [Result<Zeroizing<Vec<u8>>, Error>],
    mut single: impl FnMut(&mut [u8; 16]),
    many: impl FnOnce(&mut [&mut [u8]]),
) {
    let mut lanes: Vec<&mut [u8]> = bufs
        .iter_mut()
        .filter_map(|r| r.as_mut().ok())
        .filter_map(|buf| match <&mut [u8; 16]>::try_from(buf.as_mut_slice()) {
            Ok(block) => {
                single(block);
                None
            }
            Err(_) => Some(buf.as_mut_slice()),
        })
        .collect();
    // Stable: equal lengths keep their order (which does not matter for
    // the result, only for which keys share a call).
    lanes.sort_by_key(|buf| buf.len());
    many(&mut lanes);
}
