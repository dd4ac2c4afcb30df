//! `keywrap console`: the virtual HSM's `key_mgmt_util` console on standard
//! input — a line-editing REPL (rustyline) on a terminal; script mode
//! otherwise, echoing each `Command:` line as KMU does, so transcripts can
//! be produced and tested without a browser.

use std::io::{self, BufRead, IsTerminal, Write};
use std::process::ExitCode;

use clap::Args;
use keywrap_core::console::{InsecureSeededKeys, Session};

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

/// Reads lines from a pipe or file, echoing each as `Command:  <line>`.
fn script(session: &mut Session) -> io::Result<usize> {
    let stdin = io::stdin();
    let mut out = io::stdout().lock();
    let mut refused = 0;
    for line in stdin.lock().lines() {
        let line = line?;
        writeln!(out, "Command:  {line}")?;
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

/// A line-editing prompt with history.
fn interactive(session: &mut Session) -> io::Result<usize> {
    let mut editor = rustyline::DefaultEditor::new().map_err(io::Error::other)?;
    println!(
        "Keywrap Console {} — virtual HSM, key_mgmt_util commands. Type help; exit to leave.",
        keywrap_core::VERSION
    );
    let mut refused = 0;
    loop {
        match editor.readline("Command: ") {
            Ok(line) => {
                if !line.trim().is_empty() {
                    // History is a convenience; failing to record it is not an error.
                    let _ = editor.add_history_entry(line.as_str());
                }
                let outcome = session.run(&line);
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
