//! The reducer's own rules, natively.

use super::terminal::{common_prefix, paste_lines};
use super::workbench::read_paste;
use super::*;
use keywrap_core::encoding::Format;

#[test]
fn password_is_masked_in_the_echo() {
    assert_eq!(
        keywrap_core::mask_secrets("loginHSM -u CU -s alice -p hunter2"),
        "loginHSM -u CU -s alice -p ********"
    );
    assert_eq!(
        keywrap_core::mask_secrets("loginHSM -u CU -s alice -p \"two words\""),
        "loginHSM -u CU -s alice -p ********"
    );
    assert_eq!(
        keywrap_core::mask_secrets("genSymKey -t 31"),
        "genSymKey -t 31"
    );
}

#[test]
fn actions_never_print_a_line_or_a_pasted_key() {
    let run = Action::Run(Line::from("loginHSM -u CU -s alice -p hunter2"));
    assert!(!format!("{run:?}").contains("hunter2"));
    let kek = Action::Workbench(WorkbenchField::PastedKek(Zeroizing::new(
        RFC3394_KEK.to_owned(),
    )));
    assert!(!format!("{kek:?}").contains("0001020304"));
    let upload = Action::UploadFile {
        name: "k".to_owned(),
        bytes: FileBytes(vec![0xAB; 4]),
    };
    assert!(!format!("{upload:?}").to_lowercase().contains("ab, "));
}

fn seeded() -> Rc<AppState> {
    use keywrap_core::hsm::InsecureSeededKeys;
    Rc::new(AppState::with_session(Session::with_key_source(Box::new(
        InsecureSeededKeys::new(1),
    ))))
}

#[test]
fn a_typed_wrap_or_unwrap_becomes_the_last_operation() {
    let mut state = seeded();
    for line in [
        "genSymKey -t 31 -s 32 -l kek",
        "genSymKey -t 31 -s 32 -l payload",
    ] {
        state = state.reduce(Action::Run(line.into()));
    }
    assert!(state.trace.trace.is_none(), "genSymKey runs no W");
    state = state.reduce(Action::Run(
        "wrapKey -k 7 -w 6 -out a.key -m 5 -noheader".into(),
    ));
    let Some(first) = state.trace.trace.clone() else {
        panic!("wrapKey ran W");
    };
    assert_eq!(
        first.title,
        "Typed: wrapKey -k 7 -w 6 -out a.key -m 5 -noheader (Cfm2WrapKey)"
    );
    assert!(matches!(&first.body, TraceBody::Withheld(w) if w.iv_check.is_none()));
    assert!(
        state
            .terminal
            .transcript
            .last()
            .is_some_and(|e| e.changed_steps),
        "the entry says the steps changed"
    );
    // Another command leaves the last operation as it was.
    state = state.reduce(Action::Run("findKey".into()));
    assert_eq!(state.trace.trace.as_ref().map(|t| t.id), Some(first.id));
    assert!(
        !state
            .terminal
            .transcript
            .last()
            .is_some_and(|e| e.changed_steps)
    );
    // A failed unwrap under the wrong key: the IV check, with both values.
    state = state.reduce(Action::Run(
        "unWrapKey -f a.key -w 7 -m 5 -noheader -l x -kc 4 -kt 31".into(),
    ));
    let Some(TraceBody::Withheld(w)) = state.trace.trace.as_ref().map(|t| &t.body) else {
        panic!("the new key would be sensitive: withheld");
    };
    let Some(check) = &w.iv_check else {
        panic!("W⁻¹ ran: its IV check is given");
    };
    assert!(!check.passed);
    assert_ne!(check.recovered, *Iv::DEFAULT.as_bytes());
}

#[test]
fn an_empty_line_adds_no_entry_and_a_paste_runs_line_by_line() {
    let mut state = seeded();
    state = state.reduce(Action::Run("   ".into()));
    assert!(state.terminal.transcript.is_empty());
    let lines = paste_lines("genSymKey -t 31 -s 32 -l kek\n\ngenSymKey -t 31 -s 32 -l payload\r\n")
        .unwrap_or_default();
    assert_eq!(lines.len(), 2);
    state = state.reduce(Action::RunLines(
        lines.into_iter().map(Line::from).collect(),
    ));
    assert_eq!(state.terminal.transcript.len(), 2);
    assert!(
        state
            .terminal
            .transcript
            .iter()
            .all(|e| e.pasted && e.success)
    );
    assert!(paste_lines(&"x".repeat(terminal::MAX_PASTE_LEN + 1)).is_err());
}

#[test]
fn a_keystroke_copies_only_the_terminal_slice() {
    let state = seeded();
    let next = Rc::clone(&state).reduce(Action::SetCommandInput("gen".into()));
    assert!(Rc::ptr_eq(&state.workbench, &next.workbench));
    assert!(Rc::ptr_eq(&state.keys, &next.keys));
    assert!(Rc::ptr_eq(&state.trace, &next.trace));
    assert!(!Rc::ptr_eq(&state.terminal, &next.terminal));
    assert_eq!(next.terminal.input, "gen");
}

#[test]
fn the_learn_path_wraps_the_rfc_vector_and_pasted_keks_follow_their_rules() {
    let mut state = seeded();
    state = state.reduce(Action::StartLearn);
    let Some(Ok(out)) = &state.workbench.wrap_result else {
        panic!("the RFC vector wraps");
    };
    assert_eq!(out.hex, "1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5");
    assert!(matches!(
        state.trace.trace.as_ref().map(|t| &t.body),
        Some(TraceBody::Wrap(_))
    ));
    assert!(
        !state.workbench.form.into_new_key,
        "a pasted KEK unwraps into the page"
    );
    // Typing recomputes: one byte less of KEK is refused before any wrap.
    state = state.reduce(Action::Workbench(WorkbenchField::PastedKek(
        Zeroizing::new("000102030405060708090A0B0C0D0E".to_owned()),
    )));
    assert!(matches!(&state.workbench.kek_reading, Some(Err(e)) if e.contains("15 bytes")));
    assert!(
        state.workbench.wrap_result.is_none(),
        "no output beside a KEK that cannot be one"
    );
    state = state.reduce(Action::Workbench(WorkbenchField::PastedKey(
        Zeroizing::new("00112233445566778899AABBCCDDEEFF0001020304050607".to_owned()),
    )));
    state = state.reduce(Action::Workbench(WorkbenchField::PastedKek(
        Zeroizing::new(RFC3394_KEK.to_owned()),
    )));
    assert!(
        matches!(&state.workbench.wrap_result, Some(Ok(o)) if o.live && o.wrapped.len() == 32),
        "recomputed live"
    );
}

#[test]
fn hex_style_cases_and_groups() {
    let hex = "1fa68b0a8112b447";
    assert_eq!(HexStyle::PLAIN.apply(hex), hex);
    let style = HexStyle {
        upper: true,
        group: 4,
    };
    assert_eq!(style.apply(hex), "1FA68B0A 8112B447");
}

#[test]
fn common_prefix_of_completions() {
    let words = vec!["getAttribute".to_owned(), "genSymKey".to_owned()];
    assert_eq!(common_prefix(&words), "ge");
    assert_eq!(common_prefix(&["-kc".to_owned()]), "-kc");
}

#[test]
fn pasted_text_is_read_as_hex_then_base64() {
    let hex = decode_pasted("00 11 22", "x").map(|(b, f)| (b.to_vec(), f));
    assert_eq!(hex, Ok((vec![0, 0x11, 0x22], Format::Hex)));
    let b64 = decode_pasted("ABEi+w==", "x").map(|(b, f)| (b.to_vec(), f));
    assert_eq!(b64, Ok((vec![0, 0x11, 0x22, 0xfb], Format::Base64)));
    assert!(decode_pasted("zz!", "The KEK").is_err());
    assert!(decode_pasted("  ", "The KEK").is_err());
    assert!(matches!(
        read_paste(RFC3394_KEK, "The KEK", true),
        Some(Ok(_))
    ));
    assert!(matches!(read_paste("00", "The KEK", true), Some(Err(_))));
}

#[test]
fn iv_field_default_custom_and_bad() {
    let mut form = WorkbenchForm::default();
    assert_eq!(form_iv(&form), Ok(None));
    form.iv = "0102030405060708".to_owned();
    assert!(matches!(form_iv(&form), Ok(Some(_))));
    form.iv = "0102".to_owned();
    assert!(form_iv(&form).is_err());
    form.mechanism = Mechanism::Kwp;
    assert_eq!(form_iv(&form), Ok(None));
}

#[test]
fn a_large_unwrap_runs_as_a_job_in_the_reducer_and_a_cancel_changes_nothing() {
    use keywrap_core::wrap::{PAGE_SLICE_STEPS, PAGE_SLICED_ABOVE_BYTES};
    let mut state = seeded();
    state = state.reduce(Action::Run("genSymKey -t 31 -s 32 -l kek".into()));
    // A wrapped key above the size the page slices, made by the core.
    let data = vec![0x42u8; PAGE_SLICED_ABOVE_BYTES + 8];
    let wrapped = {
        let mut session = state.session.borrow_mut();
        session
            .workbench_wrap(&WrapRequest {
                target: WorkbenchKey::Pasted(&data),
                kek: WorkbenchKey::Handle(KeyHandle::new(6)),
                mechanism: Mechanism::Kwp,
                iv: None,
                out_file: None,
            })
            .map(|r| r.wrapped)
            .unwrap_or_default()
    };
    assert!(!wrapped.is_empty());
    for field in [
        WorkbenchField::Kek(KeyChoice::Handle(KeyHandle::new(6))),
        WorkbenchField::Mechanism(Mechanism::Kwp),
        WorkbenchField::Wrapped(encoding::encode_hex(&wrapped)),
        WorkbenchField::IntoNewKey(false),
    ] {
        state = state.reduce(Action::Workbench(field));
    }
    let audited = state.session.borrow().audit_log().len();

    // Started, then cancelled: the note, and nothing in the session.
    state = state.reduce(Action::Unwrap);
    let Some(job) = state.workbench.job.clone() else {
        panic!("a large unwrap runs as a job");
    };
    assert!(!job.wrap);
    assert_eq!((job.done, job.total), (0, 6 * (wrapped.len() / 8 - 1)));
    state = state.reduce(Action::JobStep(job.id));
    assert_eq!(
        state.workbench.job.as_ref().map(|j| j.done),
        Some(PAGE_SLICE_STEPS)
    );
    // A second start is refused while one runs.
    state = state.reduce(Action::Unwrap);
    assert_eq!(state.workbench.job.as_ref().map(|j| j.id), Some(job.id));
    state = state.reduce(Action::CancelJob);
    assert!(state.workbench.job.is_none());
    let note = state.workbench.job_note.clone().map(|(_, t)| t);
    assert!(note.is_some_and(|t| t.contains("nothing changed")));
    assert_eq!(state.session.borrow().audit_log().len(), audited);
    assert!(state.workbench.unwrap_result.is_none());
    // A step of a cancelled job does nothing.
    state = state.reduce(Action::JobStep(job.id));
    assert!(state.workbench.unwrap_result.is_none());

    // Run to the end: the bytes come back, one audit entry.
    state = state.reduce(Action::Unwrap);
    let mut steps = 0;
    while let Some(job) = state.workbench.job.clone() {
        state = state.reduce(Action::JobStep(job.id));
        steps += 1;
        assert!(steps < 100, "the job ends");
    }
    assert!(steps > 2);
    assert!(matches!(
        &state.workbench.unwrap_result,
        Some(Ok(UnwrapOutput::Bytes { len, .. })) if *len == data.len()
    ));
    assert_eq!(state.session.borrow().audit_log().len(), audited + 1);
}
