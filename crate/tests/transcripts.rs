//! Data-driven transcript tests: each file in `tests/transcripts/` holds
//! console lines (`$ …`) each followed by the exact output expected, run
//! through one [`check`] helper against a session with seeded key bytes, so
//! every KCV is reproducible.
//!
//! File syntax: `# …` comments (before the first command only); `@seed N`
//! picks the key generator's seed; `@logged-out` starts without a login.
//! Set `UPDATE_TRANSCRIPTS=1` to rewrite the expected output in place (then
//! read the diff before committing it).

// In tests a failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::fmt::Write as _;
use std::path::Path;

use keywrap_core::hsm::{InsecureSeededKeys, Session};

/// Runs the transcript at `tests/transcripts/<name>.txt` and compares (or,
/// with `UPDATE_TRANSCRIPTS=1`, rewrites) every command's output.
fn check(name: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/transcripts")
        .join(format!("{name}.txt"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut seed = 1u64;
    let mut logged_out = false;
    let mut header = String::new();
    let mut commands: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some(cmd) = line.strip_prefix("$ ") {
            commands.push((cmd.to_owned(), String::new()));
        } else if let Some((_, expected)) = commands.last_mut() {
            expected.push_str(line);
            expected.push('\n');
        } else {
            if let Some(n) = line.strip_prefix("@seed ") {
                seed = n.trim().parse().expect("@seed takes a number");
            } else if line.trim() == "@logged-out" {
                logged_out = true;
            }
            header.push_str(line);
            header.push('\n');
        }
    }
    let mut session = Session::with_key_source(Box::new(InsecureSeededKeys::new(seed)));
    if logged_out {
        session = session.logged_out();
    }
    let mut rewritten = header.clone();
    let mut failures = String::new();
    for (cmd, expected) in &commands {
        let outcome = session.run(cmd);
        let actual = normalize(&outcome.output);
        let _ = write!(rewritten, "$ {cmd}\n{actual}");
        if normalize(expected) != actual {
            let _ = write!(
                failures,
                "\n--- {name}: `{cmd}`\n--- expected:\n{}--- actual:\n{actual}",
                normalize(expected)
            );
        }
    }
    if std::env::var_os("UPDATE_TRANSCRIPTS").is_some() {
        std::fs::write(&path, rewritten).expect("rewrite transcript");
        return;
    }
    assert!(failures.is_empty(), "transcript mismatches:{failures}");
}

/// Trailing spaces and trailing blank lines do not count; a blank line
/// separates each command's output from the next command in the file.
fn normalize(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let mut out = lines.join("\n");
    while out.ends_with('\n') {
        out.pop();
    }
    out.push_str("\n\n");
    out
}

#[test]
fn seed_session() {
    check("seed");
}

#[test]
fn every_command() {
    check("commands");
}

#[test]
fn policy_refusals() {
    check("refusals");
}

#[test]
fn usage_errors() {
    check("usage");
}

#[test]
fn login_and_sessions() {
    check("login");
}

#[test]
fn cloudhsm_cli_every_command_and_refusal() {
    check("cloudhsm_cli");
}

#[test]
fn mixed_dialect_sessions() {
    check("mixed");
}

#[test]
fn bulk_wrap_extension_in_both_dialects() {
    check("bulk");
}

#[test]
fn rsa_key_pairs_and_rsa_wrapping() {
    check("rsa");
}

#[test]
fn rsa_in_cloudhsm_cli() {
    check("rsa_cli");
}
