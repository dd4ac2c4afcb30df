//! The workbench's sliced jobs (`Session::workbench_wrap_job`,
//! `workbench_unwrap_job`, `finish_workbench_job`) against the one-shot
//! calls: for every path the same result, the same store, files, audit log
//! and copy ledger; the same refusals; a job whose HSM changed between
//! slices refused with `JobStale`; a dropped job changes nothing.

// In tests a failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

#[path = "support/console.rs"]
mod support;

use keywrap_core::hsm::copies::{OutputUse, WorkbenchOutput};
use keywrap_core::hsm::{
    HsmErrorKind, JobResult, Session, UnwrapInto, UnwrapResult, Unwrapped, WorkbenchJob,
    WorkbenchKey, WrapRequest, WrapResult,
};
use keywrap_core::kmu::ReturnCode;
use keywrap_core::store::PolicyError;
use keywrap_core::wrap::Progress;
use keywrap_core::{Iv, Mechanism};
use support::{h, into_new_aes_key, run_ok, session, unwrap_request};

/// The bytes imported as key 8 (`known`), so that a standalone unwrap of
/// them is a plaintext copy of an HSM key for the ledger.
const KNOWN: [u8; 32] = [0x5c; 32];
const PASTED_KEK: [u8; 32] = [0x11; 32];

/// kek (6), payload (7), known (8, not sensitive, from an in-page file) and a
/// blob of 7 under 6 in `wb.bin`.
fn seeded() -> Session {
    let mut s = session();
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l kek");
    run_ok(&mut s, "genSymKey -t 31 -s 32 -l payload");
    s.upload_file("known.plain", KNOWN.to_vec()).unwrap();
    run_ok(&mut s, "imSymKey -f known.plain -w 6 -t 31 -l known");
    run_ok(&mut s, "wrapKey -k 7 -w 6 -out wb.bin -m 5 -noheader");
    s
}

/// Everything a workbench operation may change, as comparable values:
/// keys, files, login, the audit log, each key's copies, and what the
/// workbench's outputs hold (copying them adds a copy of each key they hold).
fn picture(s: &mut Session) -> String {
    let snapshot = format!("{:?}", s.snapshot());
    let audit = format!("{:?}", s.audit_log());
    let keys: Vec<_> = s.all_keys().iter().map(|k| k.handle).collect();
    let copies: Vec<_> = keys.iter().map(|&k| s.copies_of(k)).collect();
    // Probe the outputs on a copy of the ledger's answer: using them is
    // itself a change, so the probe runs last and on both sides alike.
    let wrapped = s.workbench_output_used(WorkbenchOutput::Wrapped, OutputUse::Copied);
    let unwrapped = s.workbench_output_used(WorkbenchOutput::Unwrapped, OutputUse::Copied);
    format!("{snapshot}\n{audit}\n{copies:?}\n{wrapped:?}\n{unwrapped:?}")
}

fn run_to_end(job: &mut WorkbenchJob, slice: usize) -> usize {
    let mut slices = 0;
    let mut last = 0;
    while let Progress::Running { done, total } = job.run(slice) {
        assert!(done > last || slices == 0, "progress must advance");
        assert!(done < total);
        last = done;
        slices += 1;
        assert_eq!(job.progress(), Progress::Running { done, total });
    }
    assert_eq!(job.progress(), Progress::Done);
    slices
}

fn wrap_result(r: &Result<WrapResult, keywrap_core::hsm::HsmError>) -> String {
    match r {
        Ok(w) => format!(
            "{:?} {:?} {:?} {:?}",
            w.wrapped, w.trace, w.trace_withheld, w.file
        ),
        Err(e) => format!("{e:?}"),
    }
}

fn unwrap_result(r: &UnwrapResult) -> String {
    let outcome = match &r.outcome {
        Ok(Unwrapped::Bytes(b)) => format!("bytes {:?}", b.expose_secret()),
        Ok(Unwrapped::NewKey { handle, kcv }) => format!("key {handle} {kcv:?}"),
        Err(e) => format!("{e:?}"),
    };
    format!(
        "{outcome} {:?} {:?} {:?} {:?}",
        r.trace, r.trace_withheld, r.iv_check, r.separations
    )
}

/// One wrap, one-shot in one session and sliced in another: same result,
/// same session afterwards. Returns the result.
fn same_wrap(request: &WrapRequest<'_>, slice: usize) -> String {
    let (mut a, mut b) = (seeded(), seeded());
    let one_shot = a.workbench_wrap(request);
    let sliced = match b.workbench_wrap_job(request) {
        Ok(mut job) => {
            assert!(job.is_wrap());
            run_to_end(&mut job, slice);
            match b.finish_workbench_job(job) {
                JobResult::Wrapped(r) => r,
                JobResult::Unwrapped(_) => panic!("a wrap job finished as an unwrap"),
            }
        }
        Err(e) => Err(e),
    };
    assert_eq!(wrap_result(&one_shot), wrap_result(&sliced));
    assert_eq!(picture(&mut a), picture(&mut b));
    wrap_result(&one_shot)
}

fn same_unwrap(request: &keywrap_core::hsm::UnwrapRequest<'_>, slice: usize) -> String {
    let (mut a, mut b) = (seeded(), seeded());
    let one_shot = a.workbench_unwrap(request);
    let sliced = match b.workbench_unwrap_job(request) {
        Ok(mut job) => {
            assert!(!job.is_wrap());
            assert_eq!(job.input_len(), request.wrapped.len());
            run_to_end(&mut job, slice);
            match b.finish_workbench_job(job) {
                JobResult::Unwrapped(r) => *r,
                JobResult::Wrapped(_) => panic!("an unwrap job finished as a wrap"),
            }
        }
        Err(refused) => *refused,
    };
    assert_eq!(unwrap_result(&one_shot), unwrap_result(&sliced));
    assert_eq!(picture(&mut a), picture(&mut b));
    unwrap_result(&one_shot)
}

fn wrap(
    target: WorkbenchKey<'_>,
    kek: WorkbenchKey<'_>,
    mechanism: Mechanism,
    out: Option<&str>,
) -> WrapRequest<'static> {
    // The request owns its pasted bytes for the test's length (leaked: a
    // few kilobytes per test process).
    let to_static = |k: WorkbenchKey<'_>| match k {
        WorkbenchKey::Handle(h) => WorkbenchKey::Handle(h),
        WorkbenchKey::Pasted(b) => WorkbenchKey::Pasted(Box::leak(b.to_vec().into_boxed_slice())),
    };
    WrapRequest {
        target: to_static(target),
        kek: to_static(kek),
        mechanism,
        iv: None,
        out_file: out.map(str::to_owned),
    }
}

#[test]
fn every_wrap_path_sliced_equals_one_shot() {
    let big = vec![0xa5u8; 40_000]; // 30,006 steps of W
    for mechanism in [Mechanism::Kw, Mechanism::Kwp, Mechanism::KwPkcs5] {
        // An HSM key under an HSM KEK, to a file.
        let r = same_wrap(
            &wrap(
                WorkbenchKey::Handle(h(7)),
                WorkbenchKey::Handle(h(6)),
                mechanism,
                Some("job.bin"),
            ),
            5,
        );
        assert!(!r.starts_with("HsmError"), "{r}");
        // Pasted bytes under an HSM KEK, small (traced) and large (many slices).
        for data in [&KNOWN[..], &big[..]] {
            same_wrap(
                &wrap(
                    WorkbenchKey::Pasted(data),
                    WorkbenchKey::Handle(h(6)),
                    mechanism,
                    Some("job.bin"),
                ),
                4_096,
            );
            // Pasted under pasted: standalone, with and without a file.
            same_wrap(
                &wrap(
                    WorkbenchKey::Pasted(data),
                    WorkbenchKey::Pasted(&PASTED_KEK),
                    mechanism,
                    Some("job.bin"),
                ),
                4_096,
            );
        }
    }
    // A custom IV with pasted bytes, no file.
    let mut request = wrap(
        WorkbenchKey::Pasted(&KNOWN),
        WorkbenchKey::Pasted(&PASTED_KEK),
        Mechanism::Kw,
        None,
    );
    request.iv = Some(Iv::parse_hex("0011223344556677").unwrap());
    same_wrap(&request, 1);
}

/// An unwrap into the page: what it is, the wrapped bytes, the KEK, the
/// mechanism, the slice size, and what the result must show.
type UnwrapCase<'a> = (
    &'a str,
    &'a [u8],
    WorkbenchKey<'a>,
    Mechanism,
    usize,
    &'a str,
);

#[test]
fn every_unwrap_path_sliced_equals_one_shot() {
    let s = seeded();
    let blob = s.read_file_bytes("wb.bin").unwrap().to_vec();
    let mut standalone = seeded();
    let known_blob = standalone
        .workbench_wrap(&wrap(
            WorkbenchKey::Pasted(&KNOWN),
            WorkbenchKey::Pasted(&PASTED_KEK),
            Mechanism::Kwp,
            None,
        ))
        .unwrap()
        .wrapped;
    let big = vec![0x3cu8; 40_000];
    let big_blob = standalone
        .workbench_wrap(&wrap(
            WorkbenchKey::Pasted(&big),
            WorkbenchKey::Handle(h(6)),
            Mechanism::Kwp,
            None,
        ))
        .unwrap()
        .wrapped;
    // Into a new HSM key (sensitive: steps withheld; not: shown), with the
    // ledger's twin of key 7.
    for sensitive in [true, false] {
        let r = same_unwrap(
            &unwrap_request(
                &blob,
                WorkbenchKey::Handle(h(6)),
                Mechanism::Kw,
                into_new_aes_key(sensitive),
            ),
            3,
        );
        assert!(r.starts_with("key 9"), "{r}");
    }
    // Into the page: (what, wrapped, KEK, mechanism, slice, how the result
    // must begin or what it must contain; "" where any result will do).
    let cases: [UnwrapCase<'_>; 5] = [
        // Under an HSM KEK: a plaintext copy of key 7.
        (
            "HSM KEK",
            &blob,
            WorkbenchKey::Handle(h(6)),
            Mechanism::Kw,
            2,
            "bytes",
        ),
        (
            "large, HSM KEK",
            &big_blob,
            WorkbenchKey::Handle(h(6)),
            Mechanism::Kwp,
            4_096,
            "",
        ),
        // Standalone: the bytes of key 8, so the ledger records a copy of it.
        (
            "standalone",
            &known_blob,
            WorkbenchKey::Pasted(&PASTED_KEK),
            Mechanism::Kwp,
            1,
            "bytes",
        ),
        // A failed integrity check (the wrong KEK) fails alike, with its steps.
        (
            "wrong HSM KEK",
            &known_blob,
            WorkbenchKey::Handle(h(6)),
            Mechanism::Kwp,
            1,
            "IntegrityCheckFailed",
        ),
        (
            "wrong pasted KEK",
            &blob,
            WorkbenchKey::Pasted(&PASTED_KEK),
            Mechanism::Kw,
            7,
            "IntegrityCheckFailed",
        ),
    ];
    for (what, wrapped, kek, mechanism, slice, shows) in cases {
        let r = same_unwrap(
            &unwrap_request(wrapped, kek, mechanism, UnwrapInto::Bytes),
            slice,
        );
        if shows == "bytes" {
            assert!(r.starts_with("bytes"), "{what}: {r}");
        } else {
            assert!(r.contains(shows), "{what}: {r}");
        }
    }
}

#[test]
fn refusals_are_the_one_shot_refusals() {
    // Refused before W: an HSM key under a pasted KEK, a custom IV for an HSM
    // key, no such key, a bad file name, a bad pasted KEK length.
    let mut custom_iv = wrap(
        WorkbenchKey::Handle(h(7)),
        WorkbenchKey::Handle(h(6)),
        Mechanism::Kw,
        None,
    );
    custom_iv.iv = Some(Iv::parse_hex("0011223344556677").unwrap());
    let refusals = [
        wrap(
            WorkbenchKey::Handle(h(7)),
            WorkbenchKey::Pasted(&PASTED_KEK),
            Mechanism::Kw,
            None,
        ),
        custom_iv,
        wrap(
            WorkbenchKey::Handle(h(42)),
            WorkbenchKey::Handle(h(6)),
            Mechanism::Kw,
            None,
        ),
        wrap(
            WorkbenchKey::Pasted(&KNOWN),
            WorkbenchKey::Handle(h(6)),
            Mechanism::Kw,
            Some("a/b"),
        ),
        wrap(
            WorkbenchKey::Pasted(&KNOWN),
            WorkbenchKey::Pasted(&KNOWN[..7]),
            Mechanism::Kw,
            None,
        ),
        // KW of 12 bytes: the wrap engine's length error.
        wrap(
            WorkbenchKey::Pasted(&KNOWN[..12]),
            WorkbenchKey::Handle(h(6)),
            Mechanism::Kw,
            None,
        ),
    ];
    for request in &refusals {
        let r = same_wrap(request, 1);
        assert!(r.starts_with("HsmError"), "{r}");
    }
    // Unwraps refused before W⁻¹, and a wrapped length KW cannot have
    // (refused when the job starts, with the steps' reason as one-shot).
    let short = [0u8; 17];
    for request in [
        unwrap_request(
            &short,
            WorkbenchKey::Pasted(&PASTED_KEK),
            Mechanism::Kw,
            into_new_aes_key(true),
        ),
        unwrap_request(
            &short,
            WorkbenchKey::Handle(h(6)),
            Mechanism::Kw,
            into_new_aes_key(true),
        ),
        unwrap_request(
            &short,
            WorkbenchKey::Handle(h(6)),
            Mechanism::Kw,
            UnwrapInto::Bytes,
        ),
        unwrap_request(
            &short,
            WorkbenchKey::Pasted(&PASTED_KEK),
            Mechanism::Kw,
            UnwrapInto::Bytes,
        ),
    ] {
        let r = same_unwrap(&request, 1);
        assert!(r.contains("HsmError"), "{r}");
    }
    // The start refuses at once: no job is handed out.
    let mut s = seeded();
    assert!(s.workbench_wrap_job(&refusals[0]).is_err());
    let refused = s
        .workbench_unwrap_job(&unwrap_request(
            &short,
            WorkbenchKey::Handle(h(6)),
            Mechanism::Kw,
            UnwrapInto::Bytes,
        ))
        .unwrap_err();
    assert!(refused.outcome.is_err());
    assert!(refused.trace_withheld.is_some());
}

/// Starts `request` as a job, runs half of it, lets `meanwhile` change the
/// session, and finishes it.
fn interrupted_wrap(request: &WrapRequest<'_>, meanwhile: &[&str]) -> (Session, JobResult) {
    let mut s = seeded();
    let mut job = s.workbench_wrap_job(request).unwrap();
    assert!(matches!(job.run(2), Progress::Running { .. }));
    for line in meanwhile {
        run_ok(&mut s, line);
    }
    let result = s.finish_workbench_job(job);
    (s, result)
}

fn stale_kind(result: &JobResult) -> HsmErrorKind {
    let kind = match result {
        JobResult::Wrapped(Err(e)) => e.kind.clone(),
        JobResult::Unwrapped(r) if r.outcome.is_err() => match &r.outcome {
            Err(e) => e.kind.clone(),
            Ok(_) => unreachable!(),
        },
        other => panic!("expected a refusal, got {other:?}"),
    };
    match kind {
        HsmErrorKind::JobStale(why) => why.map_or(HsmErrorKind::AlreadyLoggedIn, |k| *k),
        other => panic!("expected JobStale, got {other:?}"),
    }
}

#[test]
fn a_job_whose_hsm_changed_is_refused_and_applies_nothing() {
    let request = wrap(
        WorkbenchKey::Handle(h(7)),
        WorkbenchKey::Handle(h(6)),
        Mechanism::Kw,
        Some("job.bin"),
    );
    // The KEK deleted between slices.
    let (s, result) = interrupted_wrap(&request, &["deleteKey -k 6"]);
    assert_eq!(
        stale_kind(&result),
        HsmErrorKind::Policy(PolicyError::HandleInvalid(h(6)))
    );
    let mut expected = seeded();
    run_ok(&mut expected, "deleteKey -k 6");
    assert_eq!(s.snapshot(), expected.snapshot());
    assert_eq!(s.read_file_bytes("job.bin"), None);
    // Only the refusal is recorded, with the code of the check that failed.
    let last = s.audit_log().last().unwrap();
    assert_eq!(last.command, "workbench wrap key 7 under key 6 -m 5");
    assert_eq!(last.return_code, ReturnCode::ObjectHandleInvalid);
    let message = match &result {
        JobResult::Wrapped(Err(e)) => e.to_string(),
        _ => unreachable!(),
    };
    assert!(
        message.starts_with("the HSM changed while the job ran"),
        "{message}"
    );

    // The KEK may no longer wrap.
    let (_, result) = interrupted_wrap(&request, &["setAttribute -o 6 -a 262 -v 0"]);
    assert!(matches!(
        stale_kind(&result),
        HsmErrorKind::Policy(PolicyError::FunctionNotPermitted { .. })
    ));
    // Nobody is logged in, or someone else is.
    let (_, result) = interrupted_wrap(&request, &["logoutHSM"]);
    assert_eq!(stale_kind(&result), HsmErrorKind::NotLoggedIn);
    let pasted = wrap(
        WorkbenchKey::Pasted(&KNOWN),
        WorkbenchKey::Handle(h(6)),
        Mechanism::Kwp,
        None,
    );
    let (_, result) = interrupted_wrap(&pasted, &["logoutHSM"]);
    assert_eq!(stale_kind(&result), HsmErrorKind::NotLoggedIn);

    // An unwrap into the HSM whose KEK went.
    let mut s = seeded();
    let blob = s.read_file_bytes("wb.bin").unwrap().to_vec();
    let request = unwrap_request(
        &blob,
        WorkbenchKey::Handle(h(6)),
        Mechanism::Kw,
        into_new_aes_key(true),
    );
    let mut job = s.workbench_unwrap_job(&request).unwrap();
    job.run(1);
    run_ok(&mut s, "deleteKey -k 6");
    let before = s.snapshot();
    let result = s.finish_workbench_job(job);
    assert_eq!(
        stale_kind(&result),
        HsmErrorKind::Policy(PolicyError::HandleInvalid(h(6)))
    );
    assert_eq!(s.snapshot(), before);
}

#[test]
fn a_job_plans_against_the_hsm_as_it_is_when_it_finishes() {
    // A key made while an unwrap runs takes the next handle; the unwrap's
    // key takes the one after, as if it had run last.
    let mut s = seeded();
    let blob = s.read_file_bytes("wb.bin").unwrap().to_vec();
    let request = unwrap_request(
        &blob,
        WorkbenchKey::Handle(h(6)),
        Mechanism::Kw,
        into_new_aes_key(true),
    );
    let mut job = s.workbench_unwrap_job(&request).unwrap();
    job.run(1);
    run_ok(&mut s, "genSymKey -t 31 -s 16 -l meanwhile");
    let JobResult::Unwrapped(result) = s.finish_workbench_job(job) else {
        panic!("an unwrap job finished as a wrap");
    };
    match result.outcome {
        Ok(Unwrapped::NewKey { handle, kcv }) => {
            assert_eq!(handle, h(10));
            assert_eq!(kcv, s.key(h(7)).unwrap().attributes.kcv);
        }
        other => panic!("expected a new key, got {other:?}"),
    }
}

#[test]
fn a_cancelled_job_changes_nothing() {
    let big = vec![0x42u8; 50_000];
    let blob_source = seeded().read_file_bytes("wb.bin").unwrap().to_vec();
    let wraps = [
        wrap(
            WorkbenchKey::Handle(h(7)),
            WorkbenchKey::Handle(h(6)),
            Mechanism::Kwp,
            Some("job.bin"),
        ),
        wrap(
            WorkbenchKey::Pasted(&big),
            WorkbenchKey::Handle(h(6)),
            Mechanism::Kwp,
            Some("job.bin"),
        ),
        wrap(
            WorkbenchKey::Pasted(&big),
            WorkbenchKey::Pasted(&PASTED_KEK),
            Mechanism::Kwp,
            Some("job.bin"),
        ),
    ];
    for request in &wraps {
        let mut s = seeded();
        let before = picture(&mut seeded());
        let mut job = s.workbench_wrap_job(request).unwrap();
        job.run(3);
        drop(job);
        assert_eq!(picture(&mut s), before);
    }
    for into in [into_new_aes_key(false), UnwrapInto::Bytes] {
        let mut s = seeded();
        let before = picture(&mut seeded());
        let job = s
            .workbench_unwrap_job(&unwrap_request(
                &blob_source,
                WorkbenchKey::Handle(h(6)),
                Mechanism::Kw,
                into,
            ))
            .unwrap();
        drop(job);
        assert_eq!(picture(&mut s), before);
    }
}

#[test]
fn the_page_sizes_slice_a_large_kwp() {
    use keywrap_core::wrap::{PAGE_SLICE_STEPS, PAGE_SLICED_ABOVE_BYTES};
    let data = vec![0x77u8; PAGE_SLICED_ABOVE_BYTES + 8];
    let request = wrap(
        WorkbenchKey::Pasted(&data),
        WorkbenchKey::Pasted(&PASTED_KEK),
        Mechanism::Kwp,
        None,
    );
    let mut s = seeded();
    let mut job = s.workbench_wrap_job(&request).unwrap();
    assert_eq!(job.input_len(), data.len());
    let slices = run_to_end(&mut job, PAGE_SLICE_STEPS);
    // 6 · 49,153 steps in slices of 32,768.
    assert_eq!(
        slices,
        (6 * (data.len() / 8 + 1)).div_ceil(PAGE_SLICE_STEPS) - 1
    );
    let JobResult::Wrapped(Ok(sliced)) = s.finish_workbench_job(job) else {
        panic!("the wrap failed");
    };
    let one_shot = seeded().workbench_wrap(&request).unwrap();
    assert_eq!(sliced.wrapped, one_shot.wrapped);
    // Too large to trace, on both paths.
    assert!(sliced.trace.is_none() && sliced.trace_withheld.is_some());
}
