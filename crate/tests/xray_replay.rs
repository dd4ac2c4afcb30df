//! X-ray switched on *after* a wrap or unwrap whose steps were withheld: the
//! core replays the same W or W⁻¹ over the same keys as the HSM sees it, and
//! changes nothing in the session. A replay is refused with X-ray off, for
//! another user, and once a key it needs is gone.

// In tests a failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "support/console.rs"]
mod support;

use keywrap_core::hsm::{OperationSteps, Session, WithheldSteps};
use keywrap_core::wrap::trace::Rounds;
use support::{run_ok, session};

fn withheld(steps: OperationSteps) -> WithheldSteps {
    match steps {
        OperationSteps::Withheld(w) => w,
        _ => panic!("the steps were shown with X-ray off"),
    }
}

/// The README's first session with X-ray off: the withheld steps of its
/// wrapKey and unWrapKey.
fn seed_session(s: &mut Session) -> (WithheldSteps, WithheldSteps) {
    run_ok(s, "genSymKey -t 31 -s 32 -l kek");
    run_ok(s, "genSymKey -t 31 -s 32 -l payload");
    let wrap = run_ok(s, "wrapKey -k 7 -w 6 -out mykey.key -m 5");
    let unwrap = run_ok(s, "unWrapKey -f mykey.key -w 6");
    (
        withheld(wrap.steps.unwrap().steps),
        withheld(unwrap.steps.unwrap().steps),
    )
}

#[test]
fn turning_xray_on_replays_the_seed_sessions_withheld_w_and_w_inverse() {
    let mut s = session();
    let (wrap, unwrap) = seed_session(&mut s);
    assert!(wrap.replayable() && unwrap.replayable());
    s.set_xray(true);
    let before = s.snapshot();

    let OperationSteps::Wrap(w) = s.replay_withheld(&wrap).unwrap() else {
        panic!("a wrap replays as W");
    };
    let Rounds::W(steps) = &w.rounds else {
        panic!("a 32-byte key runs W");
    };
    assert_eq!(steps.len(), 24);
    // The replayed W made the very blob that was written to mykey.key.
    let file = s
        .files()
        .into_iter()
        .find(|f| f.name == "mykey.key")
        .expect("the wrap wrote mykey.key");
    assert!(file.len >= w.output.len());

    let OperationSteps::Unwrap(u) = s.replay_withheld(&unwrap).unwrap() else {
        panic!("an unwrap replays as W⁻¹");
    };
    assert!(u.iv_check.passed);
    assert_eq!(u.wrapped, w.output, "W⁻¹ read what W wrote");
    assert_eq!(u.outcome.as_ref().unwrap().expose_secret(), &w.padded[..]);

    assert_eq!(s.snapshot(), before, "a replay changes nothing in the HSM");
}

#[test]
fn a_failed_unwrap_replays_with_its_registers() {
    let mut s = session();
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l kek");
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l other");
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l payload");
    run_ok(&mut s, "wrapKey -k 8 -w 6 -out k.key -m 5 -noheader");
    let wrong = s.run("unWrapKey -f k.key -w 7 -noheader -m 5 -l copy -kc 4 -kt 31");
    assert!(!wrong.return_code.is_success(), "{}", wrong.output);
    assert!(wrong.steps.is_some(), "{}", wrong.output);
    let w = withheld(wrong.steps.unwrap().steps);
    assert!(!w.iv_check.as_ref().unwrap().passed);
    s.set_xray(true);
    let OperationSteps::Unwrap(u) = s.replay_withheld(&w).unwrap() else {
        panic!("an unwrap replays as W⁻¹");
    };
    assert!(!u.iv_check.passed);
    assert!(u.outcome.is_err(), "the replay releases no key either");
}

#[test]
fn no_replay_with_xray_off_for_another_user_or_once_a_key_is_gone() {
    let mut s = session();
    let (wrap, unwrap) = seed_session(&mut s);
    let off = s.replay_withheld(&wrap).unwrap_err();
    assert!(off.contains("X-ray is off"), "{off}");

    s.set_xray(true);
    run_ok(&mut s, "logoutHSM");
    let nobody = s.replay_withheld(&wrap).unwrap_err();
    assert!(nobody.contains("no longer logged in"), "{nobody}");
    run_ok(&mut s, "loginHSM -u CU -s bob");
    let bob = s.replay_withheld(&unwrap).unwrap_err();
    assert!(bob.contains("no longer logged in"), "{bob}");

    run_ok(&mut s, "logoutHSM");
    run_ok(&mut s, "loginHSM -u CU -s alice");
    assert!(s.replay_withheld(&wrap).is_ok());
    run_ok(&mut s, "deleteKey -k 7");
    let gone = s.replay_withheld(&wrap).unwrap_err();
    assert!(gone.contains("key 7 no longer exists"), "{gone}");
    // The unwrap needs only the KEK and the blob it kept.
    assert!(s.replay_withheld(&unwrap).is_ok());
}

#[test]
fn steps_of_page_bytes_are_never_withheld_so_never_replayed() {
    let mut s = session();
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l kek");
    s.upload_file("plain.bin", vec![7; 32]).unwrap();
    let host = run_ok(&mut s, "aesWrapUnwrap -m 1 -f plain.bin -w 6 -out w.bin");
    assert!(!matches!(
        host.steps.unwrap().steps,
        OperationSteps::Withheld(_)
    ));
}

#[test]
fn xray_is_offered_only_where_it_would_show_the_steps() {
    let mut s = session();
    let (wrap, unwrap) = seed_session(&mut s);
    // Withheld by the rule for a sensitive key: X-ray shows them.
    assert!(wrap.xray_would_show() && unwrap.xray_would_show());
    // Page bytes longer than a trace holds: withheld for everyone, X-ray or not.
    s.upload_file("big.bin", vec![7; 1024]).unwrap();
    let host = run_ok(&mut s, "aesWrapUnwrap -m 1 -f big.bin -w 6 -out w.bin");
    let big = withheld(host.steps.unwrap().steps);
    assert!(big.reason.contains("trace"), "{}", big.reason);
    assert!(!big.xray_would_show());
    s.set_xray(true);
    let again = run_ok(&mut s, "aesWrapUnwrap -m 1 -f big.bin -w 6 -out w2.bin");
    assert!(
        matches!(again.steps.unwrap().steps, OperationSteps::Withheld(w) if !w.xray_would_show()),
        "X-ray on changes nothing for a trace that cannot be made"
    );
}

#[test]
fn a_workbench_wrap_of_a_sensitive_key_replays_under_xray_like_the_command() {
    use keywrap_core::hsm::{WorkbenchKey, WrapRequest};
    use keywrap_core::store::KeyHandle;
    let mut s = session();
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l kek");
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l payload");
    let r = s
        .workbench_wrap(&WrapRequest {
            target: WorkbenchKey::Handle(KeyHandle::new(7)),
            kek: WorkbenchKey::Handle(KeyHandle::new(6)),
            mechanism: keywrap_core::Mechanism::Kw,
            iv: None,
            out_file: None,
        })
        .unwrap();
    let withheld = r
        .trace_withheld
        .expect("a sensitive key's steps are withheld");
    assert!(withheld.replayable() && withheld.xray_would_show());
    s.set_xray(true);
    let before = s.snapshot();
    let OperationSteps::Wrap(w) = s.replay_withheld(&withheld).unwrap() else {
        panic!("a wrap replays as W");
    };
    assert_eq!(
        w.output, r.wrapped,
        "the replayed W made the workbench's bytes"
    );
    assert_eq!(s.snapshot(), before, "a replay changes nothing in the HSM");
}
