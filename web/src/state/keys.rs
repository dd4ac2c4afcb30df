//! The key table's slice: the selected key, whose eyes the tables are drawn
//! with, sort and filter, and a revealed value (a `Zeroizing` string, dropped
//! when focus leaves it).

use std::fmt;

use keywrap_core::access::Actor;
use keywrap_core::store::KeyHandle;
use zeroize::Zeroizing;

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
