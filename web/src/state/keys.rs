//! The key table's slice: the selected key, whose eyes the tables are drawn
//! with, sort and filter, a revealed value (a `Zeroizing` string, dropped
//! when focus leaves it), and "wrap all selected keys": the ticked keys and
//! the form that wraps them in one action, by running the console's bulk
//! wrap extension (`extWrapAll`) so the terminal echoes it and the audit
//! records it.

use std::collections::BTreeSet;
use std::fmt;
use std::rc::Rc;

use keywrap_core::Mechanism;
use keywrap_core::access::Actor;
use keywrap_core::store::KeyHandle;
use zeroize::Zeroizing;

use super::AppState;

/// A key's value, revealed on request until focus leaves it.
#[derive(Clone, PartialEq, Eq)]
pub struct Revealed {
    /// The key.
    pub handle: KeyHandle,
    /// Its value in hex, wiped when dropped.
    pub hex: Zeroizing<String>,
}

impl fmt::Debug for Revealed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Revealed({}, [REDACTED])", self.handle)
    }
}

/// A column of the key table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    /// By handle.
    Handle,
    /// By label.
    Label,
    /// By key type.
    Type,
    /// By size.
    Size,
    /// By KCV.
    Kcv,
    /// By owner.
    Owner,
}

impl SortColumn {
    /// Every sortable column, in table order.
    pub const ALL: [SortColumn; 6] = [
        Self::Handle,
        Self::Label,
        Self::Type,
        Self::Size,
        Self::Kcv,
        Self::Owner,
    ];

    /// The column header.
    pub const fn title(self) -> &'static str {
        match self {
            Self::Handle => "Handle",
            Self::Label => "Label",
            Self::Type => "Type",
            Self::Size => "Size",
            Self::Kcv => "KCV",
            Self::Owner => "Owner",
        }
    }
}

/// What the key table shows besides the keys themselves.
#[derive(Debug, Clone, PartialEq)]
pub struct KeysState {
    /// The key the matrix and the tables point at.
    pub selected: Option<KeyHandle>,
    /// Whose eyes the key table and files are drawn with.
    pub view_as: Actor,
    /// Sort column and direction (true: ascending).
    pub sort: (SortColumn, bool),
    /// Label filter.
    pub filter: String,
    /// A revealed key value.
    pub revealed: Option<Revealed>,
    /// Why the last reveal was refused.
    pub reveal_error: Option<(KeyHandle, String)>,
    /// The keys ticked for "wrap all selected keys".
    pub checked: BTreeSet<KeyHandle>,
    /// The form that wraps them.
    pub bulk: BulkForm,
    /// Why the last "wrap all selected keys" did nothing, in words.
    pub bulk_error: Option<String>,
}

/// The "wrap all selected keys" form: under which key, how, into which files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkForm {
    /// The wrapping key, once chosen.
    pub wrapping: Option<KeyHandle>,
    /// KW, KWP or KW-PKCS#5.
    pub mechanism: Mechanism,
    /// Key `h` is written to `<prefix><h>.key`.
    pub prefix: String,
}

/// The prefix the form starts with.
pub const DEFAULT_BULK_PREFIX: &str = "wrapped-";

impl Default for BulkForm {
    fn default() -> Self {
        Self {
            wrapping: None,
            // KWP takes a key of any length, so it suits any selection.
            mechanism: Mechanism::Kwp,
            prefix: DEFAULT_BULK_PREFIX.to_owned(),
        }
    }
}

/// A change to the "wrap all selected keys" form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkField {
    /// The wrapping key (none: not chosen yet).
    Wrapping(Option<KeyHandle>),
    /// The mechanism.
    Mechanism(Mechanism),
    /// The file name prefix.
    Prefix(String),
}

impl Default for KeysState {
    fn default() -> Self {
        Self {
            selected: None,
            view_as: Actor::You,
            sort: (SortColumn::Handle, true),
            filter: String::new(),
            revealed: None,
            reveal_error: None,
            checked: BTreeSet::new(),
            bulk: BulkForm::default(),
            bulk_error: None,
        }
    }
}

impl KeysState {
    /// Sorts by `column` (again on the same column: reversed).
    pub(super) fn sort_by(&mut self, column: SortColumn) {
        self.sort = if self.sort.0 == column {
            (column, !self.sort.1)
        } else {
            (column, true)
        };
    }
}

impl KeysState {
    /// Ticks (or unticks) keys for "wrap all selected keys".
    pub(super) fn check(&mut self, handles: &[KeyHandle], on: bool) {
        for &handle in handles {
            if on {
                self.checked.insert(handle);
            } else {
                self.checked.remove(&handle);
            }
        }
        self.bulk_error = None;
    }

    /// Changes the form.
    pub(super) fn set_bulk(&mut self, field: BulkField) {
        match field {
            BulkField::Wrapping(handle) => self.bulk.wrapping = handle,
            BulkField::Mechanism(m) => self.bulk.mechanism = m,
            BulkField::Prefix(p) => self.bulk.prefix = p,
        }
        self.bulk_error = None;
    }

    /// The console line that wraps the ticked keys (a Keywrap Console
    /// extension, `extWrapAll`), or what the form still needs, in words.
    /// Every HSM rule is left to the core, which names the key that stops it.
    pub fn bulk_line(&self) -> Result<String, String> {
        if self.checked.is_empty() {
            return Err(
                "Tick the keys to wrap first (the box at the start of each row).".to_owned(),
            );
        }
        let Some(wrapping) = self.bulk.wrapping else {
            return Err("Choose the wrapping key.".to_owned());
        };
        let prefix = self.bulk.prefix.trim();
        if prefix.is_empty() {
            return Err("Give the files a name prefix, e.g. wrapped-.".to_owned());
        }
        if prefix.contains(|c: char| c.is_whitespace() || c == '"') {
            return Err("The file name prefix may not hold spaces or quotes.".to_owned());
        }
        let keys: Vec<String> = self.checked.iter().map(ToString::to_string).collect();
        Ok(format!(
            "extWrapAll -w {wrapping} -m {} -k {} -out {prefix}",
            self.bulk.mechanism.kmu_number(),
            keys.join(",")
        ))
    }
}

impl AppState {
    /// "Wrap all selected keys": runs the bulk wrap's console line as if
    /// typed (echoed, audited, its files in the page's files), then says
    /// what it wrote, or keeps the keys ticked and says why it wrote nothing.
    pub(super) fn wrap_checked(&mut self) {
        // A ticked key that is gone (deleted, or logged out of) is dropped.
        let visible: BTreeSet<KeyHandle> = match self.session.try_borrow() {
            Ok(session) => session.keys().iter().map(|k| k.handle).collect(),
            Err(_) => return,
        };
        let keys = Rc::make_mut(&mut self.keys);
        keys.checked.retain(|h| visible.contains(h));
        let line = match keys.bulk_line() {
            Ok(line) => line,
            Err(why) => {
                keys.bulk_error = Some(why);
                return;
            }
        };
        keys.bulk_error = None;
        let wrapping = keys.bulk.wrapping;
        let count = keys
            .checked
            .iter()
            .filter(|h| Some(**h) != wrapping)
            .count();
        let prefix = keys.bulk.prefix.trim().to_owned();
        let Some(result) = self.run_line(&line, false) else {
            return;
        };
        let keys = Rc::make_mut(&mut self.keys);
        if result.success {
            keys.checked.clear();
            let wrapping = wrapping.map(|h| h.to_string()).unwrap_or_default();
            self.set_status(
                format!(
                    "Wrapped {count} key{} under key {wrapping} in one batch, into files named \
                     {prefix}<handle>.key (see Files); the terminal shows the command.",
                    if count == 1 { "" } else { "s" }
                ),
                true,
            );
        } else {
            keys.bulk_error = Some(format!(
                "Nothing was wrapped: {}",
                result.error.unwrap_or_else(|| "the HSM refused".to_owned())
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Action;
    use keywrap_core::hsm::{InsecureSeededKeys, Session};
    use yew::Reducible;

    fn h(n: u64) -> KeyHandle {
        KeyHandle::new(n)
    }

    #[test]
    fn the_bulk_line_says_what_the_form_still_needs() {
        let mut ks = KeysState::default();
        assert!(ks.bulk_line().unwrap_err().contains("Tick the keys"));
        ks.check(&[h(9), h(7)], true);
        assert!(ks.bulk_line().unwrap_err().contains("wrapping key"));
        ks.set_bulk(BulkField::Wrapping(Some(h(6))));
        ks.set_bulk(BulkField::Prefix("two words".to_owned()));
        assert!(ks.bulk_line().unwrap_err().contains("spaces or quotes"));
        ks.set_bulk(BulkField::Prefix(" ".to_owned()));
        assert!(ks.bulk_line().unwrap_err().contains("prefix"));
        ks.set_bulk(BulkField::Prefix("bk-".to_owned()));
        ks.set_bulk(BulkField::Mechanism(Mechanism::Kw));
        assert_eq!(
            ks.bulk_line().unwrap(),
            "extWrapAll -w 6 -m 5 -k 7,9 -out bk-"
        );
        ks.check(&[h(9)], false);
        assert_eq!(
            ks.bulk_line().unwrap(),
            "extWrapAll -w 6 -m 5 -k 7 -out bk-"
        );
    }

    #[test]
    fn wrapping_the_ticked_keys_runs_the_line_and_drops_gone_keys() {
        let mut state = Rc::new(AppState::with_session(Session::with_key_source(Box::new(
            InsecureSeededKeys::new(3),
        ))));
        for line in [
            "genSymKey -t 31 -s 32 -l kek",
            "genSymKey -t 31 -s 16 -l a",
            "genSymKey -t 31 -s 16 -l b",
        ] {
            state = state.reduce(Action::Run(line.into()));
        }
        state = state.reduce(Action::CheckKeys(vec![h(7), h(8), h(99)], true));
        state = state.reduce(Action::Bulk(BulkField::Wrapping(Some(h(6)))));
        state = state.reduce(Action::WrapChecked);
        assert_eq!(state.keys.bulk_error, None);
        assert!(state.keys.checked.is_empty());
        let last = state.terminal.transcript.last().unwrap();
        assert_eq!(last.command, "extWrapAll -w 6 -m 6 -k 7,8 -out wrapped-");
        assert!(last.success);
        let session = state.session.borrow();
        assert!(session.read_file_bytes("wrapped-7.key").is_some());
        assert!(session.read_file_bytes("wrapped-8.key").is_some());
        drop(session);

        // A refusal keeps the ticks and says why, in the core's words.
        state = state.reduce(Action::Run("genSymKey -t 31 -s 16 -l c -nex".into()));
        state = state.reduce(Action::CheckKeys(vec![h(7), h(9)], true));
        state = state.reduce(Action::WrapChecked);
        let error = state.keys.bulk_error.clone().unwrap();
        assert!(error.contains("key 9 stopped the wrap"), "{error}");
        assert_eq!(state.keys.checked.len(), 2);
    }
}
