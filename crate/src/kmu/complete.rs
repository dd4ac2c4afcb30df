//! Tab completion for KMU lines: command names, the command's flags, key
//! handles after `-k -w -o`, file names after `-f` and `-out`, and the legal
//! values after other value flags (`-t` 16/31, `-s` 16/24/32, `-m` 4/5/6, …;
//! none for free text such as `-l`).

use std::collections::BTreeSet;

use super::spec::CommandName;
use crate::hsm::Session;

/// Completions for the last word of `done` + `partial` (see [`crate::Session::complete`]).
pub(crate) fn complete(
    session: &Session,
    done: &[&str],
    partial: &str,
    out: &mut BTreeSet<String>,
) {
    match done.first().and_then(|w| CommandName::from_name(w)) {
        None if done.is_empty() => {
            for c in CommandName::all() {
                if c.name().starts_with(partial) {
                    out.insert(c.name().to_owned());
                }
            }
        }
        None => {}
        Some(cmd) => match done.last().copied() {
            Some("-k" | "-w" | "-o") => {
                for k in session.keys() {
                    let h = k.handle.to_string();
                    if h.starts_with(partial) {
                        out.insert(h);
                    }
                }
            }
            Some("-f" | "-out") => {
                for f in session.files() {
                    if f.name.starts_with(partial) {
                        out.insert(f.name);
                    }
                }
            }
            Some(flag) if cmd.takes_value(flag) => {
                for value in cmd.flag_values(flag) {
                    if value.starts_with(partial) {
                        out.insert((*value).to_owned());
                    }
                }
            }
            _ => {
                for flag in cmd.flag_names() {
                    if flag.starts_with(partial) && !done.contains(&flag) {
                        out.insert(flag.to_owned());
                    }
                }
            }
        },
    }
}
