//! AES-KWP unwrap on arbitrary bytes; or, in "construct" mode, a KW wrap
//! under the IV `A65959A6 | MLI` with an arbitrary MLI and arbitrary
//! semiblocks, so that the first KWP check passes and the length-indicator
//! range and zero-padding checks see every value; compared with aes-kw.
#![no_main]

#[path = "common.rs"]
mod common;

use keywrap_core::{Error, Iv, Mechanism, wrap};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(mut input) = common::split(data) else {
        return;
    };
    // KWP takes no custom IV: an IV in the input must be refused.
    if let Some(iv) = input.iv {
        let r = keywrap_core::unwrap(&input.kek, Mechanism::Kwp, Some(&iv), input.rest);
        assert_eq!(
            r.err(),
            Some(Error::IvNotAllowed {
                mechanism: Mechanism::Kwp
            })
        );
        input.iv = None;
    }
    if input.construct && input.rest.len() >= 4 {
        let mli = u32::from_be_bytes([input.rest[0], input.rest[1], input.rest[2], input.rest[3]]);
        let body = &input.rest[4..];
        let body = &body[..body.len() / 8 * 8];
        let Ok(blob) = wrap(&input.kek, Mechanism::Kw, Some(&Iv::kwp_aiv(mli)), body) else {
            return;
        };
        let back = common::check(&input, Mechanism::Kwp, &blob);
        let n = body.len() / 8;
        let m = mli as usize;
        let valid =
            m > 8 * (n - 1) && m <= 8 * n && body[m.min(body.len())..].iter().all(|&b| b == 0);
        match back {
            Some(key) => {
                assert!(valid);
                assert_eq!(key.expose_secret(), &body[..m]);
            }
            None => assert!(!valid),
        }
    } else {
        common::check(&input, Mechanism::Kwp, input.rest);
        // Round trip of the rest as key data.
        if !input.rest.is_empty() {
            if let Ok(blob) = wrap(&input.kek, Mechanism::Kwp, None, input.rest) {
                let back = common::check(&input, Mechanism::Kwp, &blob);
                assert!(matches!(back, Some(k) if k.expose_secret() == input.rest));
            }
        }
    }
});
