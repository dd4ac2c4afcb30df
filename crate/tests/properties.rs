//! Property tests (native only: proptest does not build for wasm32 here).
//!
//! - unwrap(wrap(x)) = x in every mode, for every KEK size, with and
//!   without a custom IV;
//! - flipping any one bit of a wrapped key makes unwrap fail;
//! - a key wrapped under a custom IV does not unwrap under the default one;
//! - with the default IV, wrap equals RustCrypto's `aes-kw` byte for byte,
//!   and `aes-kw` unwraps what this crate wraps;
//! - the trace ends where plain wrap and unwrap end;
//! - unwrap and the decoders never panic, whatever the bytes.
#![cfg(not(target_arch = "wasm32"))]

use aes_kw::cipher::KeyInit;
use keywrap_core::encoding::{self, Format};
use keywrap_core::wrap::trace::Rounds;
use keywrap_core::{Error, Iv, Kek, Mechanism, trace_unwrap, trace_wrap, unwrap, wrap};
use proptest::prelude::*;

fn mechanism() -> impl Strategy<Value = Mechanism> {
    prop_oneof![
        Just(Mechanism::Kw),
        Just(Mechanism::Kwp),
        Just(Mechanism::KwPkcs5)
    ]
}

fn kek_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![Just(16usize), Just(24), Just(32)]
        .prop_flat_map(|len| proptest::collection::vec(any::<u8>(), len))
}

/// Key data that `mechanism` accepts: KW a multiple of 8 of at least 16,
/// KWP at least 1 byte, KW-PKCS#5 at least 8; up to 600 bytes.
fn key_data(mechanism: Mechanism) -> BoxedStrategy<Vec<u8>> {
    match mechanism {
        Mechanism::Kw => (2usize..=75)
            .prop_flat_map(|n| proptest::collection::vec(any::<u8>(), n * 8))
            .boxed(),
        Mechanism::Kwp => proptest::collection::vec(any::<u8>(), 1..=600).boxed(),
        Mechanism::KwPkcs5 => proptest::collection::vec(any::<u8>(), 8..=600).boxed(),
    }
}

/// A mechanism, an accepted input, a KEK.
fn case() -> impl Strategy<Value = (Mechanism, Vec<u8>, Vec<u8>)> {
    mechanism().prop_flat_map(|m| (Just(m), key_data(m), kek_bytes()))
}

fn new_kek(bytes: &[u8]) -> Kek {
    match Kek::new(bytes) {
        Ok(k) => k,
        Err(e) => panic!("KEK of {} bytes refused: {e}", bytes.len()),
    }
}

/// `aes-kw` directly (not through this crate's `reference` module).
fn aes_kw_wrap(kek: &[u8], mechanism: Mechanism, data: &[u8]) -> Option<Vec<u8>> {
    let mut out = vec![0u8; data.len().div_ceil(8) * 8 + 8];
    let len = match (mechanism, kek.len()) {
        (Mechanism::Kw, 16) => aes_kw::KwAes128::new_from_slice(kek)
            .ok()?
            .wrap_key(data, &mut out)
            .ok()?
            .len(),
        (Mechanism::Kw, 24) => aes_kw::KwAes192::new_from_slice(kek)
            .ok()?
            .wrap_key(data, &mut out)
            .ok()?
            .len(),
        (Mechanism::Kw, 32) => aes_kw::KwAes256::new_from_slice(kek)
            .ok()?
            .wrap_key(data, &mut out)
            .ok()?
            .len(),
        (Mechanism::Kwp, 16) => aes_kw::KwpAes128::new_from_slice(kek)
            .ok()?
            .wrap_key(data, &mut out)
            .ok()?
            .len(),
        (Mechanism::Kwp, 24) => aes_kw::KwpAes192::new_from_slice(kek)
            .ok()?
            .wrap_key(data, &mut out)
            .ok()?
            .len(),
        (Mechanism::Kwp, 32) => aes_kw::KwpAes256::new_from_slice(kek)
            .ok()?
            .wrap_key(data, &mut out)
            .ok()?
            .len(),
        _ => return None,
    };
    out.truncate(len);
    Some(out)
}

fn aes_kw_unwrap(kek: &[u8], mechanism: Mechanism, blob: &[u8]) -> Option<Vec<u8>> {
    let mut out = vec![0u8; blob.len()];
    let len = match (mechanism, kek.len()) {
        (Mechanism::Kw, 16) => aes_kw::KwAes128::new_from_slice(kek)
            .ok()?
            .unwrap_key(blob, &mut out)
            .ok()?
            .len(),
        (Mechanism::Kw, 24) => aes_kw::KwAes192::new_from_slice(kek)
            .ok()?
            .unwrap_key(blob, &mut out)
            .ok()?
            .len(),
        (Mechanism::Kw, 32) => aes_kw::KwAes256::new_from_slice(kek)
            .ok()?
            .unwrap_key(blob, &mut out)
            .ok()?
            .len(),
        (Mechanism::Kwp, 16) => aes_kw::KwpAes128::new_from_slice(kek)
            .ok()?
            .unwrap_key(blob, &mut out)
            .ok()?
            .len(),
        (Mechanism::Kwp, 24) => aes_kw::KwpAes192::new_from_slice(kek)
            .ok()?
            .unwrap_key(blob, &mut out)
            .ok()?
            .len(),
        (Mechanism::Kwp, 32) => aes_kw::KwpAes256::new_from_slice(kek)
            .ok()?
            .unwrap_key(blob, &mut out)
            .ok()?
            .len(),
        _ => return None,
    };
    out.truncate(len);
    Some(out)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn round_trip((m, data, kek) in case(), custom in proptest::option::of(any::<[u8; 8]>())) {
        let kek = new_kek(&kek);
        let iv = custom.filter(|_| m.takes_custom_iv()).map(Iv::new);
        let blob = wrap(&kek, m, iv.as_ref(), &data);
        prop_assert!(blob.is_ok(), "{:?}", blob);
        let blob = blob.unwrap_or_default();
        let padded = match m {
            Mechanism::Kw => data.len(),
            Mechanism::Kwp => data.len().div_ceil(8) * 8,
            Mechanism::KwPkcs5 => data.len() / 8 * 8 + 8,
        };
        prop_assert_eq!(blob.len(), padded + 8);
        let back = unwrap(&kek, m, iv.as_ref(), &blob);
        prop_assert!(matches!(&back, Ok(k) if k.expose_secret() == data.as_slice()), "{:?}", back);
    }

    #[test]
    fn any_bit_flip_fails((m, data, kek) in case(), bit in any::<prop::sample::Index>()) {
        let kek = new_kek(&kek);
        let mut blob = wrap(&kek, m, None, &data).unwrap_or_default();
        let k = bit.index(blob.len() * 8);
        blob[k / 8] ^= 1 << (k % 8);
        let back = unwrap(&kek, m, None, &blob);
        prop_assert!(
            matches!(
                back,
                Err(Error::IntegrityCheckFailed
                    | Error::KwpLengthOutOfRange { .. }
                    | Error::KwpPaddingNotZero)
            ),
            "{:?}", back
        );
    }

    #[test]
    fn custom_iv_blob_fails_under_default(
        m in prop_oneof![Just(Mechanism::Kw), Just(Mechanism::KwPkcs5)],
        data in proptest::collection::vec(any::<u8>(), 16..=200),
        kek in kek_bytes(),
        iv in any::<[u8; 8]>(),
    ) {
        let iv = Iv::new(iv);
        prop_assume!(!iv.is_default());
        let data = if m == Mechanism::Kw { data[..data.len() / 8 * 8].to_vec() } else { data };
        let kek = new_kek(&kek);
        let blob = wrap(&kek, m, Some(&iv), &data).unwrap_or_default();
        prop_assert_eq!(unwrap(&kek, m, None, &blob).err(), Some(Error::IntegrityCheckFailed));
        prop_assert!(unwrap(&kek, m, Some(&iv), &blob).is_ok());
        // The trace shows the recovered A (the custom IV) beside the default.
        let t = trace_unwrap(&kek, m, None, &blob);
        prop_assert!(matches!(&t, Ok(t) if !t.iv_check.passed && t.iv_check.recovered == *iv.as_bytes()));
    }

    #[test]
    fn equals_aes_kw(
        m in prop_oneof![Just(Mechanism::Kw), Just(Mechanism::Kwp)],
        kek in kek_bytes(),
        len in 1usize..=600,
        seed in any::<u8>(),
    ) {
        let len = if m == Mechanism::Kw { (len / 8).max(2) * 8 } else { len };
        let data: Vec<u8> = (0..=u8::MAX).cycle().take(len).map(|i| i.wrapping_mul(31) ^ seed).collect();
        let k = new_kek(&kek);
        let ours = wrap(&k, m, None, &data).ok();
        let theirs = aes_kw_wrap(&kek, m, &data);
        prop_assert!(ours.is_some());
        prop_assert_eq!(&ours, &theirs);
        prop_assert_eq!(aes_kw_unwrap(&kek, m, &ours.unwrap_or_default()), Some(data));
    }

    #[test]
    fn trace_agrees_with_plain((m, data, kek) in case()) {
        prop_assume!(data.len() < 512);
        let kek = new_kek(&kek);
        let blob = wrap(&kek, m, None, &data).unwrap_or_default();
        let t = trace_wrap(&kek, m, None, &data);
        prop_assert!(t.is_ok());
        if let Ok(t) = t {
            prop_assert_eq!(&t.output, &blob);
            match &t.rounds {
                Rounds::W(steps) => {
                    prop_assert_eq!(steps.len(), 6 * t.n);
                    // Each step's A after is MSB(B) ^ t; the last A is C[0].
                    for s in steps {
                        let mut a = [0u8; 8];
                        a.copy_from_slice(&s.b[..8]);
                        for (x, y) in a.iter_mut().zip(s.t.to_be_bytes()) { *x ^= y; }
                        prop_assert_eq!(a, s.a_after);
                    }
                    prop_assert_eq!(steps.last().map(|s| s.a_after), Some(t.final_registers.a));
                }
                Rounds::SingleBlock { output, .. } => {
                    prop_assert_eq!(m, Mechanism::Kwp);
                    prop_assert_eq!(&output[..], &blob[..]);
                }
            }
        }
        let u = trace_unwrap(&kek, m, None, &blob);
        prop_assert!(matches!(&u, Ok(u) if matches!(&u.outcome, Ok(k) if k.expose_secret() == data.as_slice())));
    }

    #[test]
    fn unwrap_never_panics(m in mechanism(), kek in kek_bytes(), blob in proptest::collection::vec(any::<u8>(), 0..100)) {
        let kek = new_kek(&kek);
        let plain = unwrap(&kek, m, None, &blob);
        // Random bytes essentially never carry a valid integrity check.
        prop_assert!(plain.is_err());
        let traced = trace_unwrap(&kek, m, None, &blob);
        if let Ok(t) = traced {
            prop_assert_eq!(t.outcome.as_ref().err(), plain.as_ref().err());
        }
    }

    #[test]
    fn hex_round_trip(data in proptest::collection::vec(any::<u8>(), 0..64), sep in prop_oneof![Just(""), Just(" "), Just(":"), Just("\n")]) {
        let digits = encoding::encode_hex_upper(&data);
        let spaced: Vec<String> = digits.as_bytes().chunks(2).map(|c| String::from_utf8_lossy(c).into_owned()).collect();
        let text = format!("0x{}", spaced.join(sep));
        let back = encoding::decode(&text, Format::Hex).map(|z| z.to_vec());
        prop_assert_eq!(back, Ok(data));
    }

    #[test]
    fn base64_round_trip(data in proptest::collection::vec(any::<u8>(), 0..64)) {
        let text = encoding::encode_base64(&data);
        prop_assert_eq!(encoding::decode(&text, Format::Base64).map(|z| z.to_vec()), Ok(data.clone()));
        let unpadded = text.trim_end_matches('=');
        prop_assert_eq!(encoding::decode(unpadded, Format::Base64).map(|z| z.to_vec()), Ok(data));
    }

    #[test]
    fn decoders_never_panic(text in ".{0,80}") {
        let _ = encoding::decode(&text, Format::Hex);
        let _ = encoding::decode(&text, Format::Base64);
        let _ = Iv::parse_hex(&text);
    }
}

#[test]
fn kw_refuses_what_aes_kw_accepts() {
    // aes-kw 0.3 wraps 0 and 8 bytes with KW; SP 800-38F does not.
    let kek = [0x42u8; 16];
    let k = new_kek(&kek);
    for len in [0usize, 8] {
        assert!(aes_kw_wrap(&kek, Mechanism::Kw, &vec![0; len]).is_some());
        assert_eq!(
            wrap(&k, Mechanism::Kw, None, &vec![0; len]),
            Err(Error::InputLength {
                mechanism: Mechanism::Kw,
                direction: keywrap_core::Direction::Wrap,
                got: len
            })
        );
    }
}
