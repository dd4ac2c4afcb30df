//! Batch and sliced wraps give exactly what one-by-one wraps give.
//!
//! - `wrap_many` equals `wrap` key by key, and RustCrypto's `aes-kw` (run
//!   through `wrap::reference`) for the default IV, in every mode, for every
//!   KEK size, with equal lengths (the interleaved path: groups of 4 in the
//!   software AES, 8 with AES-NI, and their tails) and mixed lengths;
//! - `unwrap_many` equals `unwrap` blob by blob, a tampered blob fails alone
//!   and the others still come back;
//! - a bad key in a batch gets its own error in its own place;
//! - `WrapJob` / `UnwrapJob` run in slices of any size end where `wrap` /
//!   `unwrap` end, and an unwrap job under the wrong IV fails its check.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::indexing_slicing,
    reason = "tests index results whose length they just asserted"
)]

use keywrap_core::wrap::{Progress, UnwrapJob, WrapJob, reference, unwrap_many, wrap_many};
use keywrap_core::{Error, Iv, Kek, Mechanism, SecretBytes, unwrap, wrap};
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

fn new_kek(bytes: &[u8]) -> Kek {
    match Kek::new(bytes) {
        Ok(k) => k,
        Err(e) => panic!("KEK of {} bytes refused: {e}", bytes.len()),
    }
}

/// Up to 19 keys of one length (so that the parallel groups and their
/// tails all occur), the length sometimes one no mechanism takes.
fn same_length_keys() -> impl Strategy<Value = Vec<Vec<u8>>> {
    (
        prop_oneof![Just(8usize), Just(16), Just(24), Just(32), 1usize..=80],
        0usize..20,
    )
        .prop_flat_map(|(len, count)| {
            proptest::collection::vec(proptest::collection::vec(any::<u8>(), len), count)
        })
}

/// Up to 19 keys of lengths 0 to 72, mixed.
fn mixed_keys() -> impl Strategy<Value = Vec<Vec<u8>>> {
    proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..=72), 0..20)
}

fn secrets(v: Vec<Result<SecretBytes, Error>>) -> Vec<Result<Vec<u8>, Error>> {
    v.into_iter()
        .map(|r| r.map(|s| s.expose_secret().to_vec()))
        .collect()
}

/// The batch checks shared by both key strategies.
fn check_batch(kek_bytes: &[u8], m: Mechanism, iv: Option<&Iv>, keys: &[Vec<u8>]) {
    let kek = new_kek(kek_bytes);
    let batch = wrap_many(&kek, m, iv, keys);
    assert_eq!(batch.len(), keys.len());
    for (key, got) in keys.iter().zip(&batch) {
        assert_eq!(got, &wrap(&kek, m, iv, key), "{m:?} {} bytes", key.len());
        if let (None, Ok(got)) = (iv, got) {
            assert_eq!(
                Ok(got),
                reference::wrap(kek_bytes, m, key).as_ref(),
                "aes-kw, {m:?} {} bytes",
                key.len()
            );
        }
    }
    let blobs: Vec<Vec<u8>> = batch.iter().flatten().cloned().collect();
    let back = secrets(unwrap_many(&kek, m, iv, &blobs));
    let one_by_one: Vec<_> = blobs
        .iter()
        .map(|b| unwrap(&kek, m, iv, b).map(|s| s.expose_secret().to_vec()))
        .collect();
    assert_eq!(back, one_by_one);
    let wrapped_keys: Vec<Vec<u8>> = keys
        .iter()
        .zip(&batch)
        .filter(|(_, r)| r.is_ok())
        .map(|(k, _)| k.clone())
        .collect();
    assert_eq!(back, wrapped_keys.into_iter().map(Ok).collect::<Vec<_>>());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn batch_of_equal_lengths_equals_one_by_one(
        m in mechanism(), kek in kek_bytes(), keys in same_length_keys()
    ) {
        check_batch(&kek, m, None, &keys);
    }

    #[test]
    fn batch_of_mixed_lengths_equals_one_by_one(
        m in mechanism(), kek in kek_bytes(), keys in mixed_keys()
    ) {
        check_batch(&kek, m, None, &keys);
    }

    #[test]
    fn batch_under_a_custom_iv_equals_one_by_one(
        kek in kek_bytes(), keys in same_length_keys(), iv in any::<[u8; 8]>()
    ) {
        check_batch(&kek, Mechanism::Kw, Some(&Iv::new(iv)), &keys);
        check_batch(&kek, Mechanism::KwPkcs5, Some(&Iv::new(iv)), &keys);
    }

    #[test]
    fn a_tampered_blob_fails_alone(
        m in mechanism(), kek in kek_bytes(), keys in same_length_keys(),
        pick in any::<prop::sample::Index>(), bit in 0usize..8
    ) {
        let kek = new_kek(&kek);
        let mut blobs: Vec<Vec<u8>> = wrap_many(&kek, m, None, &keys).into_iter().flatten().collect();
        prop_assume!(!blobs.is_empty());
        let victim = pick.index(blobs.len());
        let byte = bit * 3 % blobs[victim].len();
        blobs[victim][byte] ^= 1 << bit;
        let back = secrets(unwrap_many(&kek, m, None, &blobs));
        for (k, (blob, got)) in blobs.iter().zip(&back).enumerate() {
            if k == victim {
                prop_assert!(got.is_err(), "a tampered blob unwrapped");
            } else {
                prop_assert_eq!(got, &unwrap(&kek, m, None, blob).map(|s| s.expose_secret().to_vec()));
                prop_assert!(got.is_ok());
            }
        }
    }

    #[test]
    fn sliced_jobs_end_where_wrap_and_unwrap_end(
        m in mechanism(), kek in kek_bytes(),
        data in proptest::collection::vec(any::<u8>(), 8..=400),
        slice in 1usize..50
    ) {
        let kek = new_kek(&kek);
        let Ok(whole) = wrap(&kek, m, None, &data) else {
            prop_assert!(WrapJob::new(&kek, m, None, &data).is_err());
            return Ok(());
        };
        let mut job = match WrapJob::new(&kek, m, None, &data) {
            Ok(job) => job,
            Err(e) => return Err(TestCaseError::fail(format!("{e}"))),
        };
        let mut last = 0;
        while let Progress::Running { done, total } = job.run(slice) {
            prop_assert!(done > last && done < total && done - last <= slice);
            last = done;
        }
        prop_assert_eq!(job.progress(), Progress::Done);
        prop_assert_eq!(job.finish(), whole.clone());

        let mut job = match UnwrapJob::new(&kek, m, None, &whole) {
            Ok(job) => job,
            Err(e) => return Err(TestCaseError::fail(format!("{e}"))),
        };
        while let Progress::Running { .. } = job.run(slice) {}
        prop_assert_eq!(job.finish().map(|s| s.expose_secret().to_vec()), Ok(data));
    }
}

#[test]
fn a_bad_key_gets_its_own_error_in_its_place() {
    let kek = new_kek(&[0x11; 32]);
    let keys: [&[u8]; 5] = [&[1; 32], &[2; 7], &[3; 32], &[], &[4; 32]];
    let got = wrap_many(&kek, Mechanism::Kw, None, &keys);
    assert!(got[0].is_ok() && got[2].is_ok() && got[4].is_ok());
    assert!(matches!(got[1], Err(Error::InputLength { got: 7, .. })));
    assert!(matches!(got[3], Err(Error::InputLength { got: 0, .. })));
    assert_eq!(
        wrap_many(&kek, Mechanism::Kwp, Some(&Iv::DEFAULT), &keys[..1]),
        vec![Err(Error::IvNotAllowed {
            mechanism: Mechanism::Kwp
        })]
    );

    let blobs: [&[u8]; 3] = [&[0; 40], &[0; 41], &[0; 8]];
    let back = secrets(unwrap_many(&kek, Mechanism::Kw, None, &blobs));
    assert_eq!(back[0], Err(Error::IntegrityCheckFailed));
    assert!(matches!(back[1], Err(Error::InputLength { got: 41, .. })));
    assert!(matches!(back[2], Err(Error::InputLength { got: 8, .. })));
    assert!(wrap_many::<&[u8]>(&kek, Mechanism::Kw, None, &[]).is_empty());
}

#[test]
fn rfc3394_4_6_in_a_batch_of_nine() {
    // RFC 3394 §4.6: 256 bits of key data with a 256-bit KEK.
    let kek_bytes: Vec<u8> = (0u8..32).collect();
    let data = [
        0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE,
        0xFF, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D,
        0x0E, 0x0F,
    ];
    let expected = [
        0x28, 0xC9, 0xF4, 0x04, 0xC4, 0xB8, 0x10, 0xF4, 0xCB, 0xCC, 0xB3, 0x5C, 0xFB, 0x87, 0xF8,
        0x26, 0x3F, 0x57, 0x86, 0xE2, 0xD8, 0x0E, 0xD3, 0x26, 0xCB, 0xC7, 0xF0, 0xE7, 0x1A, 0x99,
        0xF4, 0x3B, 0xFB, 0x98, 0x8B, 0x9B, 0x7A, 0x02, 0xDD, 0x21,
    ];
    let kek = new_kek(&kek_bytes);
    let got = wrap_many(&kek, Mechanism::Kw, None, &[data; 9]);
    assert!(got.iter().all(|r| r.as_deref() == Ok(&expected[..])));
    let back = unwrap_many(&kek, Mechanism::Kw, None, &[expected; 9]);
    assert!(
        back.iter()
            .all(|r| r.as_ref().is_ok_and(|k| k.expose_secret() == data))
    );
}

#[test]
fn an_unwrap_job_under_the_wrong_iv_releases_nothing() {
    let kek = new_kek(&[0x22; 16]);
    let Ok(blob) = wrap(&kek, Mechanism::Kw, None, &[0x33; 4096]) else {
        panic!("wrap")
    };
    let other = Iv::new([1; 8]);
    let Ok(mut job) = UnwrapJob::new(kek, Mechanism::Kw, Some(&other), &blob) else {
        panic!("job")
    };
    assert_eq!(
        job.run(1000),
        Progress::Running {
            done: 1000,
            total: 6 * 512
        }
    );
    assert_eq!(job.finish(), Err(Error::IntegrityCheckFailed));
}
