//! `keywrap console`: the virtual HSM's console on standard input, in both
//! dialects (`key_mgmt_util` and CloudHSM CLI) — a line-editing REPL
//! (rustyline) on a terminal; script mode otherwise, echoing each line
//! after its dialect's prompt (`Command:` for KMU, `aws-cloudhsm >` for
//! CloudHSM CLI), passwords masked, so transcripts can be produced and
//! tested without a browser.

use std::io::{self, BufRead, IsTerminal, Write};
use std::process::ExitCode;

use clap::Args;
use keywrap_core::hsm::{InsecureSeededKeys, Session};

/// Options of `keywrap console`.
#[derive(Args)]
pub struct ConsoleArgs {
    /// Draw key bytes from a deterministic generator with this seed, so a
    /// script gives the same KCVs every run. INSECURE: anyone with the seed
    /// has the keys. Without it, keys come from the operating system.
    #[arg(long, value_name = "N")]
    insecure_seed: Option<u64>,
    /// Start logged out, as key_mgmt_util does (default: logged in as the
    /// crypto user `alice`).
    #[arg(long)]
    logged_out: bool,
    /// Exit with status 1 if any command was refused (for scripts).
    #[arg(long)]
    strict: bool,
}

/// Runs the console until `exit`, `quit` or end of input.
pub fn run(args: &ConsoleArgs) -> io::Result<ExitCode> {
    let mut session = match args.insecure_seed {
        Some(seed) => Session::with_key_source(Box::new(InsecureSeededKeys::new(seed))),
        None => Session::new(),
    };
    if args.logged_out {
        session = session.logged_out();
    }
    let refused = if io::stdin().is_terminal() {
        interactive(&mut session)?
    } else {
        script(&mut session)?
    };
    Ok(if args.strict && refused > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Reads lines from a pipe or file, echoing each as `Command:  <line>`
/// (KMU) or `aws-cloudhsm > <line>` (CloudHSM CLI), as each tool's prompt
/// shows it.
fn script(session: &mut Session) -> io::Result<usize> {
    let stdin = io::stdin();
    let mut out = io::stdout().lock();
    let mut refused = 0;
    for line in stdin.lock().lines() {
        let line = line?;
        let prompt = keywrap_core::prompt_of(&line);
        writeln!(out, "{prompt}{}", keywrap_core::mask_secrets(&line))?;
        let outcome = session.run(&line);
        out.write_all(outcome.output.as_bytes())?;
        writeln!(out)?;
        if !outcome.return_code.is_success() {
            refused += 1;
        }
        if outcome.exit {
            break;
        }
    }
    Ok(refused)
}

/// The session seen by the line editor: Tab asks it for completions
/// (command names, flags, handles after `-k -w -o`, file names after `-f`),
/// the same ones the page's terminal offers.
struct ConsoleHelper<'s> {
    session: &'s mut Session,
}

impl rustyline::completion::Completer for ConsoleHelper<'_> {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &rustyline::Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        // Complete the word that ends at the cursor; rustyline gives a char
        // boundary, but a non-boundary would only mean "nothing to offer".
        let Some(head) = line.get(..pos) else {
            return Ok((pos, Vec::new()));
        };
        let start = head.rfind(char::is_whitespace).map_or(0, |i| {
            i + head[i..].chars().next().map_or(1, char::len_utf8)
        });
        Ok((start, self.session.complete(head)))
    }
}

impl rustyline::hint::Hinter for ConsoleHelper<'_> {
    type Hint = String;
}
impl rustyline::highlight::Highlighter for ConsoleHelper<'_> {}
impl rustyline::validate::Validator for ConsoleHelper<'_> {}
impl rustyline::Helper for ConsoleHelper<'_> {}

/// A line-editing prompt with history and Tab completion.
fn interactive(session: &mut Session) -> io::Result<usize> {
    let mut editor =
        rustyline::Editor::<ConsoleHelper<'_>, rustyline::history::DefaultHistory>::new()
            .map_err(io::Error::other)?;
    editor.set_helper(Some(ConsoleHelper { session }));
    println!(
        "Keywrap Console {} — virtual HSM, key_mgmt_util and CloudHSM CLI commands. Type help or help key; exit to leave; Tab completes.",
        keywrap_core::VERSION
    );
    let mut refused = 0;
    loop {
        match editor.readline("Command: ") {
            Ok(line) => {
                // History is a convenience; failing to record it is not an
                // error. A login's password is not kept in it.
                if !line.trim().is_empty() && !line.trim_start().starts_with("loginHSM") {
                    let _ = editor.add_history_entry(line.as_str());
                }
                let Some(helper) = editor.helper_mut() else {
                    return Err(io::Error::other("the line editor lost its session"));
                };
                let outcome = helper.session.run(&line);
                print!("{}", outcome.output);
                println!();
                if !outcome.return_code.is_success() {
                    refused += 1;
                }
                if outcome.exit {
                    break;
                }
            }
            Err(
                rustyline::error::ReadlineError::Interrupted | rustyline::error::ReadlineError::Eof,
            ) => break,
            Err(e) => return Err(io::Error::other(e)),
        }
    }
    Ok(refused)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustyline::completion::Completer;
    use rustyline::history::DefaultHistory;

    fn complete(session: &mut Session, line: &str) -> (usize, Vec<String>) {
        let history = DefaultHistory::new();
        let helper = ConsoleHelper { session };
        helper
            .complete(line, line.len(), &rustyline::Context::new(&history))
            .expect("completion never fails")
    }

    #[test]
    fn tab_completes_the_word_at_the_cursor_from_the_session() {
        let mut session = Session::with_key_source(Box::new(InsecureSeededKeys::new(1)));
        assert_eq!(
            complete(&mut session, "genS"),
            (0, vec!["genSymKey".to_owned()])
        );
        assert!(
            session
                .run("genSymKey -t 31 -s 32 -l kek")
                .return_code
                .is_success()
        );
        assert!(
            session
                .run("genSymKey -t 31 -s 32 -l payload")
                .return_code
                .is_success()
        );
        assert_eq!(
            complete(&mut session, "wrapKey -k "),
            (11, vec!["6".to_owned(), "7".to_owned()])
        );
        assert!(
            session
                .run("wrapKey -k 7 -w 6 -out mykey.key -m 5")
                .return_code
                .is_success()
        );
        assert_eq!(
            complete(&mut session, "unWrapKey -f my"),
            (13, vec!["mykey.key".to_owned()])
        );
        // A cursor inside a multi-byte character offers nothing and does not panic.
        assert_eq!(complete(&mut session, "é"), (0, Vec::new()));
        let history = DefaultHistory::new();
        let helper = ConsoleHelper {
            session: &mut session,
        };
        let inside = helper.complete("é", 1, &rustyline::Context::new(&history));
        assert_eq!(inside.expect("no error"), (1, Vec::new()));
    }
}
