//! What the step viewer gets from the console: the full trace of a wrap or
//! unwrap only where the page could reveal the key anyway, otherwise the IV
//! check alone (the recovered A beside the expected IV, KWP's length and
//! padding verdicts) and never an R value — for the workbench and for typed
//! commands alike.

// In tests a failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "support/console.rs"]
mod support;

use keywrap_core::encoding::encode_hex_upper;
use keywrap_core::hsm::{IvCheckSummary, OperationSteps, Session, WorkbenchKey};
use keywrap_core::wrap::trace::ExpectedIv;
use keywrap_core::{Error, Iv, Kek, Mechanism, UnwrapTrace, trace_unwrap};
use support::{h, into_new_aes_key, run_ok, session, unwrap_request};

/// Known key bytes, imported so the test can recompute what the HSM did.
const KNOWN_KEK: [u8; 32] = [0x42; 32];

/// A session with: 6 = kek (generated, sensitive), 7 = payload (generated,
/// sensitive), 8 = "known", imported from [`KNOWN_KEK`] (not sensitive,
/// extractable: the page could reveal it).
fn seeded() -> Session {
    let mut s = session();
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l kek");
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l payload");
    s.upload_file("known.plain", KNOWN_KEK.to_vec()).unwrap();
    let out = s.run("imSymKey -f known.plain -w 6 -t 31 -l known");
    assert_eq!(out.effects.created, vec![h(8)], "{}", out.output);
    s
}

/// Every R register a full trace of the same unwrap holds, in hex, as the
/// page would print it.
fn r_values(trace: &UnwrapTrace) -> Vec<String> {
    let mut all: Vec<String> = trace
        .final_registers
        .r
        .iter()
        .chain(trace.initial_registers.r.iter())
        .map(|r| encode_hex_upper(r))
        .collect();
    for s in trace.rounds.steps() {
        all.push(encode_hex_upper(&s.r_after));
        all.push(encode_hex_upper(&s.b));
    }
    all
}

/// Asserts that the summary's every printable form holds none of the R
/// values (after W⁻¹: the key data) or AES outputs of the full trace.
fn assert_no_r_values(summary: &IvCheckSummary, full: &UnwrapTrace) {
    let shown = format!("{summary:?} {}", encode_hex_upper(&summary.recovered));
    let shown_upper = shown.to_uppercase();
    for r in r_values(full) {
        // Initial R values are the ciphertext, which the person holds.
        if full
            .initial_registers
            .r
            .iter()
            .any(|c| encode_hex_upper(c) == r)
        {
            continue;
        }
        assert!(!shown_upper.contains(&r), "the summary shows {r}");
    }
    // And byte-wise: the decimal Debug of arrays must not hold the final R either.
    for r in &full.final_registers.r {
        assert!(
            !shown.contains(&format!("{r:?}")),
            "the summary shows {r:?}"
        );
    }
}

#[test]
fn a_sensitive_workbench_unwrap_under_the_wrong_kek_gives_the_check_with_both_values() {
    let mut s = seeded();
    s.run("wrapKey -k 7 -w 6 -out bare.key -m 5 -noheader");
    let blob = s.read_file_bytes("bare.key").unwrap().to_vec();
    let u = s.workbench_unwrap(&unwrap_request(
        &blob,
        WorkbenchKey::Handle(h(8)), // the wrong KEK
        Mechanism::Kw,
        into_new_aes_key(true),
    ));
    assert!(u.outcome.is_err());
    assert!(u.trace.is_none(), "the steps are withheld");
    assert!(u.trace_withheld.unwrap().reason.contains("sensitive"));
    let check = u.iv_check.expect("the IV check is given in their place");
    assert!(!check.passed && !check.all_passed());
    assert_eq!(check.expected, ExpectedIv::Exact(Iv::DEFAULT));
    assert_ne!(check.recovered, *Iv::DEFAULT.as_bytes());
    assert_eq!(check.error, Some(Error::IntegrityCheckFailed));
    assert_eq!((check.mechanism, check.wrapped_len), (Mechanism::Kw, 40));

    // The same unwrap, traced in full outside the HSM: the same recovered
    // A, and none of the trace's R values in the summary.
    let full = trace_unwrap(&Kek::new(&KNOWN_KEK).unwrap(), Mechanism::Kw, None, &blob).unwrap();
    assert_eq!(check.recovered, full.iv_check.recovered);
    assert_eq!(check, IvCheckSummary::from_trace(&full));
    assert_no_r_values(&check, &full);

    // Refused before W⁻¹ ran: nothing to check.
    let u = s.workbench_unwrap(&unwrap_request(
        &blob,
        WorkbenchKey::Pasted(&KNOWN_KEK),
        Mechanism::Kw,
        into_new_aes_key(true),
    ));
    assert!(u.outcome.is_err() && u.trace.is_none() && u.iv_check.is_none());
}

#[test]
fn a_revealable_workbench_unwrap_gives_the_full_trace_and_no_summary() {
    let mut s = seeded();
    s.run("wrapKey -k 7 -w 6 -out bare.key -m 5 -noheader");
    let blob = s.read_file_bytes("bare.key").unwrap().to_vec();
    let u = s.workbench_unwrap(&unwrap_request(
        &blob,
        WorkbenchKey::Handle(h(8)),
        Mechanism::Kw,
        into_new_aes_key(false),
    ));
    let trace = u.trace.expect("not sensitive: the full trace");
    assert!(!trace.iv_check.passed);
    assert!(u.trace_withheld.is_none() && u.iv_check.is_none());
}

#[test]
fn kwp_summary_keeps_the_length_and_drops_the_padding_verdict_after_a_failed_prefix() {
    let mut s = seeded();
    // A 24-byte key under KWP: n = 3, no padding, MLI 24.
    s.run("genSymKey -t 31 -s 24 -l short");
    let short = h(9);
    s.run(&format!(
        "wrapKey -k {short} -w 6 -out kwp.key -m 6 -noheader"
    ));
    let blob = s.read_file_bytes("kwp.key").unwrap().to_vec();
    let into = into_new_aes_key(true);
    // The right KEK: every check passed, the MLI is the key's length.
    let u = s.workbench_unwrap(&unwrap_request(
        &blob,
        WorkbenchKey::Handle(h(6)),
        Mechanism::Kwp,
        into.clone(),
    ));
    assert!(u.outcome.is_ok() && u.trace.is_none());
    let check = u.iv_check.unwrap();
    assert!(check.passed && check.all_passed());
    assert_eq!(check.expected, ExpectedIv::KwpPrefix(Iv::KWP_PREFIX));
    assert_eq!(check.recovered, [0xA6, 0x59, 0x59, 0xA6, 0, 0, 0, 24]);
    let kwp = check.kwp.unwrap();
    assert_eq!((kwp.mli, kwp.min, kwp.max), (24, 17, 24));
    assert!(kwp.mli_in_range);
    assert_eq!(kwp.padding_zero, Some(true));

    // The wrong KEK: the prefix fails, so the "padding" would be arbitrary
    // bytes of R — no verdict on them.
    let u = s.workbench_unwrap(&unwrap_request(
        &blob,
        WorkbenchKey::Handle(h(8)),
        Mechanism::Kwp,
        into,
    ));
    let check = u.iv_check.unwrap();
    assert!(!check.passed);
    assert_eq!(check.error, Some(Error::IntegrityCheckFailed));
    let kwp = check.kwp.unwrap();
    assert_eq!(
        kwp.mli,
        u32::from_be_bytes([
            check.recovered[4],
            check.recovered[5],
            check.recovered[6],
            check.recovered[7]
        ])
    );
    assert_eq!(kwp.padding_zero, None);
    let full = trace_unwrap(&Kek::new(&KNOWN_KEK).unwrap(), Mechanism::Kwp, None, &blob).unwrap();
    assert_no_r_values(&check, &full);
}

#[test]
fn pkcs5_summary_gives_no_padding_verdict_after_a_failed_iv_check() {
    let kek = Kek::new(&KNOWN_KEK).unwrap();
    let blob = keywrap_core::wrap(&kek, Mechanism::KwPkcs5, None, &[7u8; 20]).unwrap();
    let right = trace_unwrap(&kek, Mechanism::KwPkcs5, None, &blob).unwrap();
    let check = IvCheckSummary::from_trace(&right);
    assert_eq!(check.pkcs5_padding_valid, Some(true));
    assert!(check.all_passed());

    let wrong = Kek::new(&[0x43; 32]).unwrap();
    let failed = trace_unwrap(&wrong, Mechanism::KwPkcs5, None, &blob).unwrap();
    let check = IvCheckSummary::from_trace(&failed);
    assert!(!check.passed);
    assert_eq!(check.pkcs5_padding_valid, None);
    assert_no_r_values(&check, &failed);
}

#[test]
fn typed_wrapkey_of_a_revealable_key_traces_the_written_blob() {
    let mut s = seeded();
    let out = s.run("wrapKey -k 8 -w 6 -out bare.key -m 5 -noheader");
    assert!(out.return_code.is_success());
    let steps = out.steps.expect("wrapKey ran W");
    assert_eq!(steps.function, "Cfm2WrapKey");
    let OperationSteps::Wrap(trace) = &steps.steps else {
        panic!(
            "the key is revealable: the full trace, not {:?}",
            steps.steps
        );
    };
    assert_eq!(Some(&trace.output[..]), s.read_file_bytes("bare.key"));
    assert_eq!(trace.mechanism, Mechanism::Kw);
    assert_eq!(trace.rounds.steps().len(), 6 * 4);

    // With a header: the trace's output is the blob inside the file.
    let out = s.run("wrapKey -k 8 -w 6 -out h.key -m 6");
    let steps = out.steps.unwrap();
    let OperationSteps::Wrap(trace) = &steps.steps else {
        panic!("expected the full trace");
    };
    let file =
        keywrap_core::hsm::header::WrappedKeyFile::parse(s.read_file_bytes("h.key").unwrap())
            .unwrap();
    assert_eq!(trace.output, file.wrapped);
    assert_eq!(trace.mechanism, Mechanism::Kwp);
}

#[test]
fn typed_wrapkey_of_a_sensitive_key_withholds_the_steps() {
    let mut s = seeded();
    let out = s.run("wrapKey -k 7 -w 6 -out bare.key -m 5 -noheader");
    assert!(out.return_code.is_success());
    let steps = out.steps.unwrap();
    let OperationSteps::Withheld(w) = &steps.steps else {
        panic!("a sensitive key: no trace");
    };
    assert!(w.reason.contains("sensitive"), "{}", w.reason);
    assert_eq!(w.iv_check, None, "a wrap has no IV check");
}

#[test]
fn typed_unwrapkey_traces_a_revealable_key_and_only_checks_a_sensitive_one() {
    let mut s = seeded();
    // Key 8 is not sensitive and its header says so, but a header can only
    // tighten: unWrapKey makes the copy sensitive, as KMU does, so the
    // steps are withheld and the IV check alone is shown.
    s.run("wrapKey -k 8 -w 6 -out known.key -m 5");
    let out = s.run("unWrapKey -f known.key -w 6");
    assert!(out.return_code.is_success(), "{}", out.output);
    let steps = out.steps.unwrap();
    assert_eq!(steps.function, "Cfm3UnWrapKey");
    let OperationSteps::Withheld(w) = &steps.steps else {
        panic!("the copy is sensitive: no trace");
    };
    assert!(w.iv_check.as_ref().is_some_and(|c| c.all_passed()));
    let copy = out.effects.created[0];
    assert!(s.key(copy).unwrap().attributes.sensitive);

    // The same blob unwrapped to the page (aesWrapUnwrap): the full trace.
    let bare =
        keywrap_core::hsm::header::WrappedKeyFile::parse(s.read_file_bytes("known.key").unwrap())
            .unwrap()
            .wrapped;
    s.upload_file("known.bare", bare).unwrap();
    let out = s.run("aesWrapUnwrap -m 0 -f known.bare -w 6");
    assert!(out.return_code.is_success(), "{}", out.output);
    let OperationSteps::Unwrap(trace) = &out.steps.unwrap().steps else {
        panic!("bytes to the page: the full trace");
    };
    assert!(trace.passed());
    assert_eq!(
        trace.outcome.as_ref().unwrap().expose_secret(),
        &KNOWN_KEK[..]
    );

    // Key 7 is sensitive: the IV check only, and it passed.
    s.run("wrapKey -k 7 -w 6 -out secret.key -m 5 -noheader");
    let out = s.run("unWrapKey -f secret.key -w 6 -m 5 -noheader -l again -kc 4 -kt 31");
    assert!(out.return_code.is_success(), "{}", out.output);
    let steps = out.steps.unwrap();
    assert_eq!(steps.function, "Cfm2UnWrapWithTemplate3");
    let OperationSteps::Withheld(w) = &steps.steps else {
        panic!("-noheader keys are sensitive: no trace");
    };
    let check = w.iv_check.clone().unwrap();
    assert!(check.passed && check.all_passed());
    assert_eq!(check.recovered, *Iv::DEFAULT.as_bytes());

    // -nex makes even a non-sensitive header's key unrevealable.
    let out = s.run("unWrapKey -f known.key -w 6 -nex");
    assert!(out.return_code.is_success(), "{}", out.output);
    assert!(matches!(
        out.steps.unwrap().steps,
        OperationSteps::Withheld(_)
    ));
}

#[test]
fn a_typed_unwrapkey_with_the_wrong_key_fails_and_still_shows_both_values() {
    let mut s = seeded();
    s.run("wrapKey -k 7 -w 6 -out secret.key -m 5 -noheader");
    let out = s.run("unWrapKey -f secret.key -w 8 -m 5 -noheader -l wrong -kc 4 -kt 31");
    assert!(!out.return_code.is_success());
    assert!(out.effects.created.is_empty());
    let steps = out.steps.expect("W⁻¹ ran before the refusal");
    let OperationSteps::Withheld(w) = &steps.steps else {
        panic!("the new key would be sensitive: no trace");
    };
    let check = w.iv_check.clone().unwrap();
    assert!(!check.passed);
    assert_eq!(check.expected, ExpectedIv::Exact(Iv::DEFAULT));
    assert_ne!(check.recovered, *Iv::DEFAULT.as_bytes());
    let blob = s.read_file_bytes("secret.key").unwrap().to_vec();
    let full = trace_unwrap(&Kek::new(&KNOWN_KEK).unwrap(), Mechanism::Kw, None, &blob).unwrap();
    assert_eq!(check, IvCheckSummary::from_trace(&full));
    assert_no_r_values(&check, &full);
}

#[test]
fn typed_aeswrapunwrap_traces_page_bytes_in_full_even_when_unwrapping_fails() {
    let mut s = seeded();
    let out = s.run("aesWrapUnwrap -m 1 -f known.plain -w 6 -out w.bin");
    assert!(out.return_code.is_success());
    let steps = out.steps.unwrap();
    assert_eq!(steps.function, "Cfm3WrapHostKey");
    let OperationSteps::Wrap(trace) = &steps.steps else {
        panic!("page bytes: the full trace");
    };
    assert_eq!(Some(&trace.output[..]), s.read_file_bytes("w.bin"));

    let out = s.run("aesWrapUnwrap -m 0 -f w.bin -w 6 -i 0011223344556677");
    assert!(!out.return_code.is_success());
    let steps = out.steps.unwrap();
    assert_eq!(steps.function, "Cfm3UnWrapHostKey");
    let OperationSteps::Unwrap(trace) = &steps.steps else {
        panic!("page bytes: the full trace");
    };
    assert!(!trace.iv_check.passed);
    assert_eq!(
        trace.iv_check.expected,
        ExpectedIv::Exact(Iv::parse_hex("0011223344556677").unwrap())
    );
    assert_eq!(trace.iv_check.recovered, *Iv::DEFAULT.as_bytes());
}

#[test]
fn the_trace_cap_applies_to_typed_commands_and_the_command_still_runs() {
    let mut s = seeded();
    s.upload_file("big.bin", vec![0x5a; 1024]).unwrap();
    let out = s.run("aesWrapUnwrap -m 1 -f big.bin -w 6 -out big.wrapped");
    assert!(out.return_code.is_success(), "{}", out.output);
    assert_eq!(
        s.read_file_bytes("big.wrapped").map(<[u8]>::len),
        Some(1032)
    );
    let OperationSteps::Withheld(w) = out.steps.unwrap().steps else {
        panic!("1024 bytes is above the cap");
    };
    assert!(w.reason.contains("cannot trace"), "{}", w.reason);
}

#[test]
fn exsymkey_and_imsymkey_show_the_unwrap_that_delivered_the_key() {
    let mut s = seeded();
    // exSymKey of a sensitive key: the host's W⁻¹, checked but withheld.
    let out = s.run("exSymKey -k 7 -w 6 -out seven.plain");
    assert!(out.return_code.is_success());
    let steps = out.steps.unwrap();
    assert_eq!(steps.function, "Cfm3UnWrapHostKey");
    let check = steps.steps.iv_check().unwrap();
    assert!(check.passed && check.all_passed());
    assert_eq!(check.pkcs5_padding_valid, Some(true));
    assert!(matches!(steps.steps, OperationSteps::Withheld(_)));
    // Of a revealable key: the full trace.
    let out = s.run("exSymKey -k 8 -w 6 -out eight.plain");
    assert!(matches!(
        out.steps.unwrap().steps,
        OperationSteps::Unwrap(_)
    ));
    // imSymKey makes a key that is not sensitive: the full trace.
    let out = s.run("imSymKey -f eight.plain -w 6 -t 31 -l again");
    let steps = out.steps.unwrap();
    assert_eq!(steps.function, "Cfm3UnWrapKey");
    assert!(matches!(steps.steps, OperationSteps::Unwrap(_)));
}

#[test]
fn other_commands_and_early_refusals_give_no_steps() {
    let mut s = seeded();
    for line in [
        "findKey",
        "genSymKey -t 31 -s 16 -l more",
        "getAttribute -o 6 -a 512",
        "wrapKey -k 7 -w 99 -out x.key -m 5",
        "unWrapKey -f nothere.key -w 6",
        "unWrapKey -f known.plain -w 6",
        "aesWrapUnwrap -m 0 -f nothere -w 6",
        "",
    ] {
        assert!(s.run(line).steps.is_none(), "{line}");
    }
}
