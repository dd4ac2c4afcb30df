//! The app's one state and the actions that change it (Yew's reducer pattern).
//!
//! Components receive slices of [`AppState`] and callbacks that dispatch
//! [`Action`]s; only [`AppState::reduce`] changes state. Side effects
//! (downloads, clipboard, observers) live in `use_effect_with` hooks in the
//! components, never here.

use std::rc::Rc;

use keywrap_core::selftest::{SelfTest, self_test};
use yew::Reducible;

/// One line of the console transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptEntry {
    /// The command as typed.
    pub command: String,
    /// What the console printed for it.
    pub output: String,
}

/// Everything the page shows.
#[derive(Debug, PartialEq)]
pub struct AppState {
    /// Commands run so far and their output, oldest first.
    pub transcript: Vec<TranscriptEntry>,
    /// The core's known-answer self-test, run once when the page starts.
    pub self_test: SelfTest,
}

impl Default for AppState {
    fn default() -> Self {
        Self {
            transcript: Vec::new(),
            self_test: self_test(),
        }
    }
}

/// What the user can do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Clear the transcript (Ctrl+L); the HSM's state is untouched.
    ClearTranscript,
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::ClearTranscript => Rc::new(AppState {
                transcript: Vec::new(),
                self_test: self.self_test.clone(),
            }),
        }
    }
}
