//! X-ray of the HSM: with the switch on, the step viewer gets the full
//! W / W⁻¹ trace of the virtual HSM's own sensitive keys; with it off (the
//! default) the steps stay withheld. Nothing else changes: the console's
//! output, reveal and who-can-see are the same either way.

// In tests a failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "support/console.rs"]
mod support;

use keywrap_core::Mechanism;
use keywrap_core::access::{Actor, TenancyMode};
use keywrap_core::hsm::{OperationSteps, Session, WorkbenchKey};
use keywrap_core::wrap::trace::Rounds;
use support::{h, into_new_aes_key, run_ok, session, unwrap_request};

/// The README's first session; returns the wrapKey and unWrapKey outcomes'
/// steps and output.
fn seed_session(s: &mut Session) -> [(String, OperationSteps); 2] {
    run_ok(s, "genSymKey -t 31 -s 32 -l kek");
    run_ok(s, "genSymKey -t 31 -s 32 -l payload");
    let wrap = s.run("wrapKey -k 7 -w 6 -out mykey.key -m 5");
    let unwrap = s.run("unWrapKey -f mykey.key -w 6");
    assert!(unwrap.return_code.is_success(), "{}", unwrap.output);
    [
        (wrap.output, wrap.steps.unwrap().steps),
        (unwrap.output, unwrap.steps.unwrap().steps),
    ]
}

#[test]
fn xray_off_withholds_the_seed_sessions_steps() {
    let mut s = session();
    assert!(!s.xray());
    let [(_, wrap), (_, unwrap)] = seed_session(&mut s);
    assert!(matches!(wrap, OperationSteps::Withheld(_)));
    let OperationSteps::Withheld(w) = unwrap else {
        panic!("the unwrap's steps were shown with X-ray off");
    };
    assert!(w.iv_check.unwrap().passed);
}

#[test]
fn xray_on_shows_the_seed_sessions_w_and_w_inverse() {
    let mut s = session();
    s.set_xray(true);
    let [(_, wrap), (_, unwrap)] = seed_session(&mut s);
    let OperationSteps::Wrap(w) = wrap else {
        panic!("wrapKey's steps withheld with X-ray on");
    };
    assert_eq!(w.mechanism, Mechanism::Kw);
    let Rounds::W(steps) = &w.rounds else {
        panic!("a 32-byte key runs W");
    };
    assert_eq!(steps.len(), 24, "6 rounds of n = 4");
    let OperationSteps::Unwrap(u) = unwrap else {
        panic!("unWrapKey's steps withheld with X-ray on");
    };
    assert!(u.iv_check.passed);
    assert_eq!(u.rounds.steps().len(), 24);
    assert_eq!(u.rounds.steps()[0].t, 24, "W⁻¹ counts t down");
    // The trace unwraps what the trace wrapped.
    assert_eq!(u.wrapped, w.output);
    assert_eq!(u.outcome.as_ref().unwrap().expose_secret(), &w.padded[..]);
}

#[test]
fn xray_changes_no_output_no_reveal_and_no_verdict() {
    let mut off = session();
    let mut on = session();
    on.set_xray(true);
    let [(wrap_off, _), (unwrap_off, _)] = seed_session(&mut off);
    let [(wrap_on, _), (unwrap_on, _)] = seed_session(&mut on);
    assert_eq!(wrap_off, wrap_on);
    assert_eq!(unwrap_off, unwrap_on);
    for mode in [
        TenancyMode::DedicatedSingleTenant,
        TenancyMode::SharedMultiTenant,
    ] {
        for k in [6, 7, 8] {
            assert_eq!(off.who_can_see(h(k), mode), on.who_can_see(h(k), mode));
        }
    }
    // A sensitive key still cannot be revealed.
    assert!(on.reveal_key(h(7), Actor::You).is_err());
    assert_eq!(off.snapshot(), on.snapshot());
}

#[test]
fn xray_applies_to_the_workbench_and_can_be_switched_off_again() {
    let mut s = session();
    let _ = seed_session(&mut s);
    let wrapped = s.read_file_bytes("mykey.key").unwrap().to_vec();
    let blob = keywrap_core::hsm::header::WrappedKeyFile::parse(&wrapped)
        .unwrap()
        .wrapped;
    let request = || {
        unwrap_request(
            &blob,
            WorkbenchKey::Handle(h(6)),
            Mechanism::Kw,
            into_new_aes_key(true),
        )
    };
    let before = s.workbench_unwrap(&request());
    assert!(before.trace.is_none() && before.trace_withheld.is_some());
    s.set_xray(true);
    let on = s.workbench_unwrap(&request());
    assert!(on.trace.unwrap().passed());
    s.set_xray(false);
    let off = s.workbench_unwrap(&request());
    assert!(off.trace.is_none() && off.iv_check.unwrap().passed);
}
