//! RSA key pairs in the virtual HSM: generate, import and export public
//! keys, wrap with RSA-AES (`CKM_RSA_AES_KEY_WRAP`) and RSA-OAEP under a
//! public key and unwrap with the private key, for both hashes and each key
//! size; the policy's refusals, each leaving the session as it was; what
//! the step viewer gets; the "which key can unwrap this" answer; and a BYOK
//! package made of an HSM key.

// In tests a failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]

#[path = "support/console.rs"]
mod support;

use std::time::Instant;

use keywrap_core::Session;
use keywrap_core::byok::{self, KwpLayer, OaepHash, UnwrappingPrivateKey, WrappingPublicKey};
use keywrap_core::hsm::ops::{NewKeyTemplate, WrappedInput};
use keywrap_core::hsm::ops_rsa::{
    KeyPairHandles, PublicImportSpec, RsaError, RsaPairSpec, RsaUnwrapSpec, RsaWrapSpec,
};
use keywrap_core::hsm::{HsmError, HsmErrorKind, OperationSteps};
use keywrap_core::kmu::ReturnCode;
use keywrap_core::store::{KeyClass, KeyHandle, KeyType, PolicyError};
use keywrap_core::wrap::RsaMechanism;
use support::{run_ok, session};

const PUBLIC_3072: &[u8] = include_bytes!("vectors/byok/rsa3072-public.pem");
const PRIVATE_3072: &[u8] = include_bytes!("vectors/byok/rsa3072-private.pem");

fn pair_spec(bits: u64) -> RsaPairSpec<'static> {
    RsaPairSpec {
        modulus_bits: bits,
        public_exponent: 65537,
        public_label: "rsa-pub",
        private_label: "rsa-priv",
        id: "",
        extractable: true,
        token: true,
    }
}

fn pair(s: &mut Session, bits: u64) -> KeyPairHandles {
    let start = Instant::now();
    let pair = s
        .rsa_generate_pair(&pair_spec(bits))
        .expect("generate pair");
    eprintln!("RSA-{bits} key pair generated in {:?}", start.elapsed());
    pair
}

fn wrap_spec(
    key: KeyHandle,
    wrapping: KeyHandle,
    m: RsaMechanism,
    hash: OaepHash,
) -> RsaWrapSpec<'static> {
    RsaWrapSpec {
        key,
        wrapping,
        mechanism: m,
        hash,
        out: None,
    }
}

fn unwrap_spec(
    package: &[u8],
    unwrapping: KeyHandle,
    m: RsaMechanism,
    hash: OaepHash,
) -> RsaUnwrapSpec<'_> {
    RsaUnwrapSpec {
        input: WrappedInput::Bytes(package),
        unwrapping,
        mechanism: m,
        hash,
        template: NewKeyTemplate::new("back", KeyType::Aes),
    }
}

fn rsa_error(e: &HsmError) -> &RsaError {
    match &e.kind {
        HsmErrorKind::Rsa(r) => r,
        other => panic!("not an RSA refusal: {other:?}"),
    }
}

/// Wraps `payload` under `pair` with every mechanism and hash and unwraps it
/// back: the new key has the payload's KCV, length and type.
fn round_trips(s: &mut Session, pair: KeyPairHandles, payload: KeyHandle, bits: usize) {
    let payload_view = s.key(payload).unwrap();
    for m in RsaMechanism::ALL {
        for hash in [OaepHash::Sha1, OaepHash::Sha256] {
            let (wrapped, _) = s.rsa_wrap(&wrap_spec(payload, pair.public, m, hash));
            let wrapped = wrapped.unwrap_or_else(|e| panic!("{m} {hash}: {e}"));
            let k = bits / 8;
            let expected = match m {
                RsaMechanism::RsaAes => k + 40, // KWP of 32 bytes: 40
                RsaMechanism::RsaOaep => k,
            };
            assert_eq!(wrapped.package.len(), expected, "{m} {hash} RSA-{bits}");
            assert_eq!(wrapped.rsa_part_len, k);
            assert_eq!(wrapped.oaep.hash, hash);
            let (back, _) = s.rsa_unwrap(&unwrap_spec(&wrapped.package, pair.private, m, hash));
            let back = back.unwrap_or_else(|e| panic!("unwrap {m} {hash}: {e}"));
            let view = s.key(back).unwrap();
            assert_eq!(
                view.attributes.kcv, payload_view.attributes.kcv,
                "{m} {hash}"
            );
            assert_eq!(view.attributes.value_len, 32);
            assert_eq!(view.attributes.key_type, KeyType::Aes);
            assert_eq!(view.attributes.class, KeyClass::Secret);
            // The other hash does not open it, with the one generic error.
            let other = match hash {
                OaepHash::Sha1 => OaepHash::Sha256,
                OaepHash::Sha256 => OaepHash::Sha1,
            };
            let before = s.snapshot();
            let (wrong, _) = s.rsa_unwrap(&unwrap_spec(&wrapped.package, pair.private, m, other));
            let wrong = wrong.unwrap_err();
            assert_eq!(
                rsa_error(&wrong),
                &RsaError::Byok(byok::ByokError::OaepDecryptionFailed)
            );
            assert_eq!(ReturnCode::from(&wrong.kind), ReturnCode::WrappedKeyInvalid);
            assert_eq!(s.snapshot(), before, "a refused unwrap changed the session");
        }
    }
}

#[test]
fn round_trips_at_2048_and_3072_bits_for_both_mechanisms_and_hashes() {
    for bits in [2048u64, 3072] {
        let mut s = session();
        let pair = pair(&mut s, bits);
        assert_eq!(pair.private.get(), pair.public.get() + 1);
        let payload = run_ok(&mut s, "genSymKey -t 31 -s 32 -l payload")
            .effects
            .created[0];
        round_trips(&mut s, pair, payload, usize::try_from(bits).unwrap());
    }
}

#[test]
fn round_trip_at_4096_bits() {
    let mut s = session();
    let pair = pair(&mut s, 4096);
    let payload = run_ok(&mut s, "genSymKey -t 31 -s 32 -l payload")
        .effects
        .created[0];
    for m in RsaMechanism::ALL {
        let (wrapped, _) = s.rsa_wrap(&wrap_spec(payload, pair.public, m, OaepHash::Sha256));
        let wrapped = wrapped.unwrap();
        let (back, _) = s.rsa_unwrap(&unwrap_spec(
            &wrapped.package,
            pair.private,
            m,
            OaepHash::Sha256,
        ));
        let back = back.unwrap();
        assert_eq!(
            s.key(back).unwrap().attributes.kcv,
            s.key(payload).unwrap().attributes.kcv
        );
    }
}

#[test]
fn a_pair_has_the_rsa_attributes_and_knows_its_other_half() {
    let mut s = session();
    let p = pair(&mut s, 2048);
    let public = s.key(p.public).unwrap().attributes;
    let private = s.key(p.private).unwrap().attributes;
    assert_eq!(
        (public.class, public.key_type),
        (KeyClass::Public, KeyType::Rsa)
    );
    assert_eq!(
        (private.class, private.key_type),
        (KeyClass::Private, KeyType::Rsa)
    );
    assert!(public.wrap && public.encrypt && !public.unwrap && !public.sensitive);
    assert!(private.unwrap && private.decrypt && !private.wrap && private.sensitive);
    assert!(public.local && private.local);
    let (pi, ki) = (public.rsa.clone().unwrap(), private.rsa.clone().unwrap());
    assert_eq!((pi.modulus_bits, pi.public_exponent), (2048, 65537));
    assert_eq!(pi.fingerprint_sha256, ki.fingerprint_sha256);
    assert_eq!(pi.counterpart, Some(p.private));
    assert_eq!(ki.counterpart, Some(p.public));
    assert_eq!(public.value_len, 256);
    assert_ne!(public.kcv, private.kcv, "the halves are not twins");
    // Which key in the HSM unwraps what each key wraps.
    assert_eq!(s.unwrapper_of(p.public), Some(p.private));
    assert_eq!(s.unwrapper_of(p.private), None);
    let aes = run_ok(&mut s, "genSymKey -t 31 -s 32 -l kek")
        .effects
        .created[0];
    assert_eq!(s.unwrapper_of(aes), Some(aes));
    let imported = s
        .rsa_import_public(&PublicImportSpec {
            input: WrappedInput::Bytes(PUBLIC_3072),
            label: "provider",
            id: "",
            token: true,
        })
        .unwrap();
    let info = s.key(imported).unwrap().attributes.rsa.unwrap();
    assert!(!info.private_half_in_hsm());
    assert_eq!(info.modulus_bits, 3072);
    assert_eq!(
        info.fingerprint_sha256,
        WrappingPublicKey::parse(PUBLIC_3072)
            .unwrap()
            .fingerprint_sha256()
    );
    assert_eq!(s.unwrapper_of(imported), None);
    run_ok(&mut s, &format!("deleteKey -k {}", p.private));
    assert_eq!(
        s.unwrapper_of(p.public),
        None,
        "a deleted private half unwraps nothing"
    );
}

#[test]
fn the_exported_public_key_is_the_pem_of_the_pair() {
    let mut s = session();
    let p = pair(&mut s, 2048);
    let pem = s.rsa_export_public(p.public, "pub.pem").unwrap();
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    assert_eq!(s.read_file_bytes("pub.pem").unwrap(), pem.as_bytes());
    let parsed = WrappingPublicKey::parse(pem.as_bytes()).unwrap();
    assert_eq!(
        parsed.fingerprint_sha256(),
        s.key(p.public)
            .unwrap()
            .attributes
            .rsa
            .unwrap()
            .fingerprint_sha256
    );
    let before = s.snapshot();
    let e = s.rsa_export_public(p.private, "priv.pem").unwrap_err();
    assert_eq!(
        rsa_error(&e),
        &RsaError::NotAPublicKey {
            handle: p.private,
            public_half: Some(p.public)
        }
    );
    assert!(
        e.to_string()
            .contains(&format!("its public key, {}", p.public)),
        "{e}"
    );
    assert_eq!(s.snapshot(), before);
}

#[test]
fn an_imported_public_key_wraps_what_only_its_outside_private_key_opens() {
    let mut s = session();
    let public = s
        .rsa_import_public(&PublicImportSpec {
            input: WrappedInput::Bytes(PUBLIC_3072),
            label: "provider",
            id: "",
            token: true,
        })
        .unwrap();
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l kek");
    s.upload_file("plain.bin", (1u8..=32).collect()).unwrap();
    let payload = run_ok(&mut s, "imSymKey -f plain.bin -w 7 -t 31 -l payload")
        .effects
        .created[0];
    let outside = UnwrappingPrivateKey::parse(PRIVATE_3072).unwrap();
    for m in RsaMechanism::ALL {
        for hash in [OaepHash::Sha1, OaepHash::Sha256] {
            let (w, _) = s.rsa_wrap(&wrap_spec(payload, public, m, hash));
            let w = w.unwrap();
            let opened = match m {
                RsaMechanism::RsaAes => byok::rsa_aes_unwrap(&outside, hash, &w.package),
                RsaMechanism::RsaOaep => byok::oaep_decrypt(&outside, hash, &w.package),
            }
            .unwrap();
            assert_eq!(
                opened.expose_secret(),
                (1u8..=32).collect::<Vec<_>>().as_slice()
            );
            // Nothing in the HSM can open it: the public key is no unwrapper.
            let before = s.snapshot();
            let (e, _) = s.rsa_unwrap(&unwrap_spec(&w.package, public, m, hash));
            let e = e.unwrap_err();
            assert_eq!(
                rsa_error(&e),
                &RsaError::NotAPrivateKey {
                    handle: public,
                    private_half: None
                }
            );
            assert!(e.to_string().contains("private half is elsewhere"), "{e}");
            assert_eq!(s.snapshot(), before);
        }
    }
}

#[test]
fn refusals_are_specific_and_change_nothing() {
    let mut s = session();
    let p = pair(&mut s, 2048);
    let payload = run_ok(&mut s, "genSymKey -t 31 -s 32 -l payload")
        .effects
        .created[0];
    let aes = RsaMechanism::RsaAes;
    let sha = OaepHash::Sha256;

    let refuse = |s: &mut Session, spec: RsaWrapSpec<'_>| {
        let before = s.snapshot();
        let (r, _) = s.rsa_wrap(&spec);
        let e = r.unwrap_err();
        assert_eq!(s.snapshot(), before, "{e}");
        e
    };
    // The private key cannot wrap; the error names the public half.
    let e = refuse(&mut s, wrap_spec(payload, p.private, aes, sha));
    assert_eq!(
        rsa_error(&e),
        &RsaError::NotAPublicKey {
            handle: p.private,
            public_half: Some(p.public)
        }
    );
    assert_eq!(
        ReturnCode::from(&e.kind),
        ReturnCode::KeyFunctionNotPermitted
    );
    // An AES key is not an RSA public key.
    let kek = run_ok(&mut s, "genSymKey -t 31 -s 32 -l kek")
        .effects
        .created[0];
    let e = refuse(&mut s, wrap_spec(payload, kek, aes, sha));
    assert!(matches!(
        rsa_error(&e),
        RsaError::NotAPublicKey {
            public_half: None,
            ..
        }
    ));
    // RSA keys are not wrapped by these mechanisms, nor by the AES ones.
    let e = refuse(&mut s, wrap_spec(p.private, p.public, aes, sha));
    assert_eq!(rsa_error(&e), &RsaError::NotASecretKey(p.private));
    let before = s.snapshot();
    let out = s.run(&format!(
        "wrapKey -k {} -w {kek} -m 6 -out x.key",
        p.private
    ));
    assert_eq!(
        out.return_code,
        ReturnCode::PolicyViolation,
        "{}",
        out.output
    );
    assert_eq!(s.snapshot(), before);
    // A non-extractable target.
    let nex = run_ok(&mut s, "genSymKey -t 31 -s 32 -l nex -nex")
        .effects
        .created[0];
    let e = refuse(&mut s, wrap_spec(nex, p.public, aes, sha));
    assert_eq!(
        e.kind,
        HsmErrorKind::Policy(PolicyError::Unextractable(nex))
    );
    // A public key without WRAP.
    run_ok(&mut s, &format!("setAttribute -o {} -a 262 -v 0", p.public));
    let e = refuse(&mut s, wrap_spec(payload, p.public, aes, sha));
    assert!(matches!(
        e.kind,
        HsmErrorKind::Policy(PolicyError::FunctionNotPermitted { .. })
    ));
    run_ok(&mut s, &format!("setAttribute -o {} -a 262 -v 1", p.public));
    // WRAP_WITH_TRUSTED under an untrusted public key, then trusted.
    run_ok(&mut s, &format!("setAttribute -o {payload} -a 528 -v 1"));
    let e = refuse(&mut s, wrap_spec(payload, p.public, aes, sha));
    assert!(matches!(
        e.kind,
        HsmErrorKind::Policy(PolicyError::NotWrappable { .. })
    ));
    run_ok(&mut s, "logoutHSM");
    run_ok(&mut s, "loginHSM -u CO -s admin -p password");
    run_ok(&mut s, &format!("setAttribute -o {} -a 134 -v 1", p.public));
    run_ok(&mut s, "logoutHSM");
    run_ok(&mut s, "loginHSM -u CU -s alice -p password");
    assert!(
        s.rsa_wrap(&wrap_spec(payload, p.public, aes, sha))
            .0
            .is_ok()
    );
    // Only the owner wraps: bob may use a shared key, not export it.
    run_ok(&mut s, &format!("shareKey -k {payload} -u 4 -m 1"));
    run_ok(&mut s, &format!("shareKey -k {} -u 4 -m 1", p.public));
    run_ok(&mut s, "logoutHSM");
    run_ok(&mut s, "loginHSM -u CU -s bob -p password");
    let e = refuse(&mut s, wrap_spec(payload, p.public, aes, sha));
    assert!(matches!(
        e.kind,
        HsmErrorKind::Policy(PolicyError::NotOwner { .. })
    ));
    run_ok(&mut s, "logoutHSM");
    run_ok(&mut s, "loginHSM -u CU -s alice -p password");
    // Too long for RSA-OAEP: a 300-byte generic secret under 2048 bits.
    let long = run_ok(&mut s, "genSymKey -t 16 -s 300 -l long")
        .effects
        .created[0];
    let e = refuse(
        &mut s,
        wrap_spec(long, p.public, RsaMechanism::RsaOaep, sha),
    );
    assert_eq!(
        rsa_error(&e),
        &RsaError::Byok(byok::ByokError::OaepMessageTooLong { len: 300, max: 190 })
    );
    assert_eq!(ReturnCode::from(&e.kind), ReturnCode::DataLenRange);
    // ... and RSA-AES carries it.
    let (w, _) = s.rsa_wrap(&wrap_spec(long, p.public, aes, sha));
    let w = w.unwrap();
    // Unwrap refusals: the public key names its private half; a tampered
    // package fails in one generic way; a private key without UNWRAP.
    let unrefuse = |s: &mut Session, spec: RsaUnwrapSpec<'_>| {
        let before = s.snapshot();
        let (r, _) = s.rsa_unwrap(&spec);
        let e = r.unwrap_err();
        assert_eq!(s.snapshot(), before, "{e}");
        e
    };
    let mut generic = unwrap_spec(&w.package, p.private, aes, sha);
    generic.template = NewKeyTemplate::new("long", KeyType::GenericSecret);
    let mut tampered = w.package.clone();
    tampered[10] ^= 1;
    let mut t = unwrap_spec(&tampered, p.private, aes, sha);
    t.template.key_type = KeyType::GenericSecret;
    let e = unrefuse(&mut s, t);
    assert_eq!(
        rsa_error(&e),
        &RsaError::Byok(byok::ByokError::OaepDecryptionFailed)
    );
    let mut tampered_kwp = w.package.clone();
    let last = tampered_kwp.len() - 1;
    tampered_kwp[last] ^= 1;
    let mut t = unwrap_spec(&tampered_kwp, p.private, aes, sha);
    t.template.key_type = KeyType::GenericSecret;
    let e = unrefuse(&mut s, t);
    assert_eq!(
        ReturnCode::from(&e.kind),
        ReturnCode::WrappedKeyInvalid,
        "{e}"
    );
    // An AES template for a 300-byte key: the size check, after W⁻¹.
    let e = unrefuse(&mut s, unwrap_spec(&w.package, p.private, aes, sha));
    assert!(matches!(e.kind, HsmErrorKind::KeySize { .. }), "{e}");
    assert!(s.rsa_unwrap(&generic).0.is_ok());
    let e = unrefuse(&mut s, unwrap_spec(&w.package, p.public, aes, sha));
    assert_eq!(
        rsa_error(&e),
        &RsaError::NotAPrivateKey {
            handle: p.public,
            private_half: Some(p.private)
        }
    );
    run_ok(
        &mut s,
        &format!("setAttribute -o {} -a 263 -v 0", p.private),
    );
    let e = unrefuse(&mut s, generic.clone());
    assert!(matches!(
        e.kind,
        HsmErrorKind::Policy(PolicyError::FunctionNotPermitted { .. })
    ));

    // Generation refusals.
    for (bits, exp, want) in [
        (1024, 65537, RsaError::ModulusBits(1024)),
        (2048, 3, RsaError::PublicExponent(3)),
    ] {
        let before = s.snapshot();
        let spec = RsaPairSpec {
            modulus_bits: bits,
            public_exponent: exp,
            ..pair_spec(2048)
        };
        let e = s.rsa_generate_pair(&spec).unwrap_err();
        assert_eq!(rsa_error(&e), &want);
        assert_eq!(s.snapshot(), before);
    }
    // Importing what is not an RSA public key.
    let before = s.snapshot();
    let e = s
        .rsa_import_public(&PublicImportSpec {
            input: WrappedInput::Bytes(PRIVATE_3072),
            label: "oops",
            id: "",
            token: true,
        })
        .unwrap_err();
    assert_eq!(
        rsa_error(&e),
        &RsaError::Byok(byok::ByokError::PrivateKeyGiven)
    );
    assert_eq!(s.snapshot(), before);
}

#[test]
fn the_step_viewer_gets_the_kwp_layer_under_the_usual_rule() {
    let mut s = session();
    let p = pair(&mut s, 2048);
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l kek");
    s.upload_file("plain.bin", vec![7; 32]).unwrap();
    let open = run_ok(
        &mut s,
        &format!(
            "imSymKey -f plain.bin -w {} -t 31 -l open",
            p.private.get() + 1
        ),
    )
    .effects
    .created[0];
    let sensitive = run_ok(&mut s, "genSymKey -t 31 -s 32 -l secret")
        .effects
        .created[0];
    let aes = RsaMechanism::RsaAes;
    let sha = OaepHash::Sha1;
    // A key the page could reveal: the full W trace of the KWP layer.
    let (w, steps) = s.rsa_wrap(&wrap_spec(open, p.public, aes, sha));
    let w = w.unwrap();
    match steps {
        Some(OperationSteps::Wrap(t)) => {
            assert_eq!(t.mechanism, keywrap_core::Mechanism::Kwp);
            assert_eq!(t.output.as_slice(), &w.package[256..]);
        }
        other => panic!("expected the KWP trace, got {other:?}"),
    }
    // A sensitive key: withheld, unless X-ray is on.
    let (_, steps) = s.rsa_wrap(&wrap_spec(sensitive, p.public, aes, sha));
    assert!(matches!(steps, Some(OperationSteps::Withheld(_))));
    s.set_xray(true);
    let (_, steps) = s.rsa_wrap(&wrap_spec(sensitive, p.public, aes, sha));
    assert!(matches!(steps, Some(OperationSteps::Wrap(_))));
    s.set_xray(false);
    // RSA-OAEP runs no W.
    let (_, steps) = s.rsa_wrap(&wrap_spec(open, p.public, RsaMechanism::RsaOaep, sha));
    assert!(steps.is_none());
    // The unwrap: a sensitive new key (the default) gets the IV check alone.
    let (_, steps) = s.rsa_unwrap(&unwrap_spec(&w.package, p.private, aes, sha));
    match steps {
        Some(OperationSteps::Withheld(wh)) => {
            let check = wh.iv_check.expect("the IV check");
            assert!(check.passed && check.all_passed());
        }
        other => panic!("expected withheld steps, got {other:?}"),
    }
    let mut open_template = unwrap_spec(&w.package, p.private, aes, sha);
    open_template.template.sensitive = false;
    let (_, steps) = s.rsa_unwrap(&open_template);
    assert!(matches!(steps, Some(OperationSteps::Unwrap(_))));
}

#[test]
fn a_byok_package_of_an_hsm_key_follows_the_wrap_rule() {
    let mut s = session();
    let p = pair(&mut s, 2048);
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l kek");
    s.upload_file("plain.bin", vec![9; 32]).unwrap();
    let open = run_ok(&mut s, "imSymKey -f plain.bin -w 8 -t 31 -l open")
        .effects
        .created[0];
    let sensitive = run_ok(&mut s, "genSymKey -t 31 -s 32 -l secret")
        .effects
        .created[0];
    let nex = run_ok(&mut s, "genSymKey -t 31 -s 32 -l nex -nex")
        .effects
        .created[0];
    let outside = UnwrappingPrivateKey::parse(PRIVATE_3072).unwrap();
    let provider_key = outside.public_key().clone();
    let algorithm = byok::Provider::Aws
        .algorithm("RSA_AES_KEY_WRAP_SHA_256")
        .unwrap();
    let build = |material: &[u8]| {
        byok::prepare_with_steps(
            &byok::PackageRequest {
                algorithm,
                hash: None,
                aes: None,
                wrapping_key: &provider_key,
                material,
                material_kind: byok::MaterialKind::Auto,
                kid: None,
                key_name: None,
            },
            None,
        )
    };
    let (package, steps) = s.byok_package_of_key(open, build).unwrap();
    assert!(matches!(steps.kwp, KwpLayer::Traced { .. }));
    let opened = byok::open(algorithm, None, &outside, &package.wrapped).unwrap();
    assert_eq!(opened.expose_secret(), &[9; 32]);
    // A sensitive key may be packaged, but its KWP steps are withheld.
    let (_, steps) = s.byok_package_of_key(sensitive, build).unwrap();
    assert!(matches!(steps.kwp, KwpLayer::Withheld { .. }));
    // Refused: not extractable, an RSA key, WRAP_WITH_TRUSTED, not the owner.
    let e = s.byok_package_of_key(nex, build).err().unwrap();
    assert_eq!(
        e.kind,
        HsmErrorKind::Policy(PolicyError::Unextractable(nex))
    );
    let e = s.byok_package_of_key(p.private, build).err().unwrap();
    assert_eq!(rsa_error(&e), &RsaError::NotASecretKey(p.private));
    run_ok(&mut s, &format!("setAttribute -o {open} -a 528 -v 1"));
    let before_wwt = s.snapshot();
    let e = s.byok_package_of_key(open, build).err().unwrap();
    assert_eq!(rsa_error(&e), &RsaError::WrapWithTrusted(open));
    assert_eq!(s.snapshot(), before_wwt);
    run_ok(&mut s, &format!("shareKey -k {sensitive} -u 4 -m 1"));
    run_ok(&mut s, "logoutHSM");
    run_ok(&mut s, "loginHSM -u CU -s bob -p password");
    let e = s.byok_package_of_key(sensitive, build).err().unwrap();
    assert!(
        matches!(e.kind, HsmErrorKind::Policy(PolicyError::NotOwner { .. })),
        "{e}"
    );
}

// ---- getAttribute's RSA attributes ------------------------------------------------

/// Lowercase hex, written here rather than taken from the crate under test.
fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The value line after `name` in a `getAttribute` text, if there is one.
fn attribute_value<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let mut lines = text.lines();
    lines.find(|l| *l == name)?;
    lines.next()
}

/// The `OBJ_ATTR_*` names of a `getAttribute` text, in order.
fn attribute_names(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| l.starts_with("OBJ_ATTR_"))
        .collect()
}

/// `openssl rsa -pubin -modulus`'s modulus of a PEM public key, lowercase,
/// or `None` (with a message) when OpenSSL is not installed.
fn openssl_modulus(pem: &[u8]) -> Option<String> {
    use std::io::Write as _;
    use std::process::{Command, Stdio};
    let mut child = match Command::new("openssl")
        .args(["rsa", "-pubin", "-noout", "-modulus"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            println!("SKIPPED: the OpenSSL cross-check did not run (openssl: {e})");
            return None;
        }
    };
    child.stdin.take().unwrap().write_all(pem).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "openssl rsa: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    Some(
        text.trim()
            .strip_prefix("Modulus=")
            .expect("openssl prints Modulus=…")
            .to_ascii_lowercase(),
    )
}

#[test]
fn get_attribute_prints_the_modulus_its_bits_and_the_exponent_of_both_halves() {
    use rsa::pkcs8::DecodePublicKey;
    use rsa::traits::PublicKeyParts;

    let mut s = session();
    let created = run_ok(&mut s, "genRSAKeyPair -m 2048 -e 65537 -l rsa")
        .effects
        .created;
    let (public, private) = (created[0], created[1]);
    run_ok(&mut s, &format!("exportPubKey -k {public} -out rsa.pem"));
    let pem = s.read_file_bytes("rsa.pem").unwrap().to_vec();
    let parsed = rsa::PublicKey::from_public_key_pem(core::str::from_utf8(&pem).unwrap()).unwrap();
    let modulus = format!("0x{}", hex_of(&parsed.n_bytes()));
    assert_eq!(modulus.len(), 2 + 512, "2048 bits are 512 hex digits");
    let exponent = format!("0x{}", hex_of(&parsed.e_bytes()));
    assert_eq!(exponent, "0x010001");
    if let Some(from_openssl) = openssl_modulus(&pem) {
        assert_eq!(
            format!("0x{from_openssl}"),
            modulus,
            "OpenSSL reads the same modulus"
        );
    }
    for key in [public, private] {
        let out = run_ok(&mut s, &format!("getAttribute -o {key} -a 288")).output;
        assert_eq!(
            attribute_value(&out, "OBJ_ATTR_MODULUS"),
            Some(modulus.as_str()),
            "{out}"
        );
        assert!(out.contains("Attribute size: 264, count: 1"), "{out}");
        let out = run_ok(&mut s, &format!("getAttribute -o {key} -a 289")).output;
        assert_eq!(
            attribute_value(&out, "OBJ_ATTR_MODULUS_BITS"),
            Some("0x00000800")
        );
        let out = run_ok(&mut s, &format!("getAttribute -o {key} -a 290")).output;
        assert_eq!(
            attribute_value(&out, "OBJ_ATTR_PUBLIC_EXPONENT"),
            Some(exponent.as_str())
        );
        // -a 512 writes them after the KCV, in the table's order.
        let out = run_ok(
            &mut s,
            &format!("getAttribute -o {key} -a 512 -out all.txt"),
        )
        .output;
        assert!(out.contains("count: 21"), "{out}");
        let file = String::from_utf8(s.read_file_bytes("all.txt").unwrap().to_vec()).unwrap();
        let names = attribute_names(&file);
        let kcv = names.iter().position(|n| *n == "OBJ_ATTR_KCV").unwrap();
        assert_eq!(
            names[kcv + 1..kcv + 4],
            [
                "OBJ_ATTR_MODULUS",
                "OBJ_ATTR_MODULUS_BITS",
                "OBJ_ATTR_PUBLIC_EXPONENT"
            ]
        );
        assert_eq!(
            attribute_value(&file, "OBJ_ATTR_MODULUS"),
            Some(modulus.as_str())
        );
        // Nothing but the public modulus is long: no private component is
        // written (the longest other value is the label "rsa" or a length).
        for line in file.lines().filter(|l| !l.starts_with("OBJ_ATTR_")) {
            assert!(line == modulus || line.len() <= 10, "{key}: {line}");
        }
    }
    // CloudHSM CLI shows the same values for both halves, as AWS prints them.
    let out = run_ok(&mut s, "key list --filter attr.key-type=rsa --verbose").output;
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let keys = json["data"]["matched_keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    for k in keys {
        let a = &k["attributes"];
        assert_eq!(a["modulus"], modulus.as_str());
        assert_eq!(a["modulus-size-bits"], 2048);
        assert_eq!(a["public-exponent"], "0x010001");
    }
    // A filter on the modulus finds both halves, with OpenSSL's leading 00
    // or without; a secret key never matches an RSA attribute.
    for given in [modulus.clone(), modulus.replacen("0x", "0x00", 1)] {
        let out = run_ok(&mut s, &format!("key list --filter attr.modulus={given}")).output;
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(json["data"]["returned_key_count"], 2, "{out}");
    }
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l aes");
    let out = run_ok(&mut s, "key list --filter attr.modulus-size-bits=2048").output;
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["data"]["returned_key_count"], 2, "{out}");
}

#[test]
fn a_secret_key_has_no_rsa_attributes_and_asking_changes_nothing() {
    let mut s = session();
    let aes = run_ok(&mut s, "genSymKey -t 31 -s 32 -l aes")
        .effects
        .created[0];
    let all = run_ok(&mut s, &format!("getAttribute -o {aes} -a 512")).output;
    assert!(all.contains("count: 18"), "{all}");
    assert!(
        !all.contains("MODULUS") && !all.contains("EXPONENT"),
        "{all}"
    );
    for n in [288, 289, 290] {
        for out in ["", " -out a.txt"] {
            let before = s.snapshot();
            let line = format!("getAttribute -o {aes} -a {n}{out}");
            let o = s.run(&line);
            assert_eq!(o.return_code, ReturnCode::AttributeTypeInvalid, "{line}");
            assert!(
                o.output
                    .contains("0xa0 : HSM Error: Invalid attribute type"),
                "{}",
                o.output
            );
            assert!(
                o.output.contains("only RSA keys have a modulus"),
                "{}",
                o.output
            );
            assert!(s.read_file_bytes("a.txt").is_none());
            assert_eq!(s.snapshot(), before, "a refusal changes nothing");
        }
        // Read-only, whatever the key.
        let o = s.run(&format!("setAttribute -o {aes} -a {n} -v 1"));
        assert_eq!(o.return_code, ReturnCode::AttributeReadOnly, "{}", o.output);
    }
    // A key one may not see is not there at all: no hint of its type.
    let o = s.run("getAttribute -o 999 -a 288");
    assert_eq!(
        o.return_code,
        ReturnCode::ObjectHandleInvalid,
        "{}",
        o.output
    );
}

#[test]
fn rsa_facts_come_from_the_spki_and_bad_der_is_an_error_not_a_panic() {
    use keywrap_core::store::RsaKeyInfo;
    let public = WrappingPublicKey::parse(PUBLIC_3072).unwrap();
    let der = public.spki_der();
    let info = RsaKeyInfo::from_spki_der(der, None).unwrap();
    assert_eq!(info.modulus_bits, 3072);
    assert_eq!(info.modulus.len(), 384);
    assert_eq!(info.modulus[0] & 0x80, 0x80, "no leading zero byte");
    assert_eq!(info.public_exponent_bytes(), [1, 0, 1]);
    assert_eq!(info.fingerprint_sha256, public.fingerprint_sha256());
    // Every truncation, and a flipped byte at every 7th offset: an error or
    // a key, never a panic; truncations are all errors.
    for len in 0..der.len() {
        assert!(
            RsaKeyInfo::from_spki_der(&der[..len], None).is_err(),
            "{len}"
        );
    }
    for at in (0..der.len()).step_by(7) {
        let mut bad = der.to_vec();
        bad[at] ^= 0x41;
        let _ = RsaKeyInfo::from_spki_der(&bad, None);
    }
    assert!(RsaKeyInfo::from_spki_der(b"not der at all", None).is_err());
}
