//! Setup shared by the console tests (`console_api.rs`, `console_steps.rs`,
//! `console_xray.rs`, `policy_regressions.rs`, …, through `#[path]`): a
//! reproducible session, a command that must succeed, handles by number, and
//! the workbench unwrap they make again and again.

#![allow(dead_code)] // each includer uses a different subset

use keywrap_core::hsm::{InsecureSeededKeys, Session, UnwrapInto, UnwrapRequest, WorkbenchKey};
use keywrap_core::store::{KeyHandle, KeyType};
use keywrap_core::{Mechanism, Outcome};

/// A fresh session whose generated keys are the same on every run (seed 1),
/// so handles and KCVs can be asserted.
pub fn session() -> Session {
    Session::with_key_source(Box::new(InsecureSeededKeys::new(1)))
}

/// Runs `line` and asserts that it succeeded (its output in the message).
pub fn run_ok(s: &mut Session, line: &str) -> Outcome {
    let out = s.run(line);
    assert!(out.return_code.is_success(), "{line}: {}", out.output);
    out
}

/// The handle numbered `n`.
pub fn h(n: u64) -> KeyHandle {
    KeyHandle::new(n)
}

/// Unwrap into a new persistent, extractable AES key labelled `copy`;
/// `sensitive` decides whether the step viewer may see its trace.
pub fn into_new_aes_key(sensitive: bool) -> UnwrapInto {
    let mut into = UnwrapInto::new_key("copy", KeyType::Aes);
    if let UnwrapInto::NewKey(template) = &mut into {
        template.sensitive = sensitive;
    }
    into
}

/// A workbench unwrap of `wrapped` under `kek` with the standard IV.
pub fn unwrap_request<'a>(
    wrapped: &'a [u8],
    kek: WorkbenchKey<'a>,
    mechanism: Mechanism,
    into: UnwrapInto,
) -> UnwrapRequest<'a> {
    UnwrapRequest {
        wrapped,
        kek,
        mechanism,
        iv: None,
        into,
    }
}
