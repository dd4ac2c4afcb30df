//! AES-KW with PKCS#5 padding: unwrap arbitrary bytes; or, in "construct"
//! mode, KW-wrap arbitrary semiblocks (so the integrity check passes) and
//! unwrap them as KW-PKCS#5, which reaches the padding check with any last
//! bytes; compared with aes-kw plus the same padding rule.
#![no_main]

#[path = "common.rs"]
mod common;

use keywrap_core::{Error, Mechanism, wrap};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(input) = common::split(data) else {
        return;
    };
    if input.construct {
        let padded = &input.rest[..input.rest.len() / 8 * 8];
        let Ok(blob) = wrap(&input.kek, Mechanism::Kw, input.iv.as_ref(), padded) else {
            return;
        };
        let back = common::check(&input, Mechanism::KwPkcs5, &blob);
        let p = padded.last().copied().unwrap_or(0);
        let valid = (1..=8).contains(&p)
            && padded[padded.len() - usize::from(p)..]
                .iter()
                .all(|&b| b == p);
        match back {
            Some(key) => {
                assert!(valid);
                assert_eq!(
                    key.expose_secret(),
                    &padded[..padded.len() - usize::from(p)]
                );
            }
            None => assert!(!valid || padded.len() < 24),
        }
        // And a proper PKCS#5 wrap of the unpadded data comes back.
        if let Ok(blob) = wrap(
            &input.kek,
            Mechanism::KwPkcs5,
            input.iv.as_ref(),
            input.rest,
        ) {
            let back =
                keywrap_core::unwrap(&input.kek, Mechanism::KwPkcs5, input.iv.as_ref(), &blob);
            assert!(matches!(back, Ok(k) if k.expose_secret() == input.rest));
        } else {
            assert!(input.rest.len() < 8);
        }
        let _ = Error::Pkcs5PaddingInvalid;
    } else {
        common::check(&input, Mechanism::KwPkcs5, input.rest);
    }
});
