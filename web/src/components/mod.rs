//! The page's panels: each renders what it is given and dispatches actions.

pub mod app;
pub mod footer;
pub mod header;
pub mod key_table;
pub mod terminal;
