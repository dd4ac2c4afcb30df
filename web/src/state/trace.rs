//! The step viewer's slice: the last wrap or unwrap (from the workbench or
//! typed) and where the viewer is in it. The step viewer's own controls
//! (play, step, back, and whatever it adds) change only this slice.

use std::fmt;
use std::rc::Rc;

use keywrap_core::hsm::{OperationSteps, WithheldSteps};
use keywrap_core::{UnwrapTrace, WrapTrace};

/// What the step viewer shows.
pub enum TraceBody {
    /// Every step of W.
    Wrap(WrapTrace),
    /// Every step of W⁻¹ and the checks.
    Unwrap(UnwrapTrace),
    /// The core withheld the steps: why, and for an unwrap its IV check.
    Withheld(WithheldSteps),
}

impl TraceBody {
    /// The step viewer's body for what the core gave (a typed command's steps).
    pub(super) fn of(steps: OperationSteps) -> Self {
        match steps {
            OperationSteps::Wrap(t) => Self::Wrap(t),
            OperationSteps::Unwrap(t) => Self::Unwrap(t),
            OperationSteps::Withheld(w) => Self::Withheld(w),
        }
    }

    /// Withheld for `reason`, with nothing else to show.
    pub(super) fn withheld(reason: String) -> Self {
        Self::Withheld(WithheldSteps::because(reason))
    }
}

/// The trace of the last wrap or unwrap, from the workbench or typed.
pub struct TraceRecord {
    /// Unique within the page (traces compare by it).
    pub id: u64,
    /// What ran, in words: `Wrap of key 7 under key 6 (AES-KW)`, or the
    /// command as typed and the KMU function that ran W or W⁻¹.
    pub title: String,
    /// The trace, or why there is none.
    pub body: TraceBody,
}

impl TraceRecord {
    /// How many steps the viewer can advance through (W's 6n steps, or 1
    /// for KWP's single AES block; 0 when withheld).
    pub fn step_count(&self) -> usize {
        let rounds = match &self.body {
            TraceBody::Wrap(t) => &t.rounds,
            TraceBody::Unwrap(t) => &t.rounds,
            TraceBody::Withheld(_) => return 0,
        };
        match rounds {
            keywrap_core::wrap::trace::Rounds::W(steps) => steps.len(),
            keywrap_core::wrap::trace::Rounds::SingleBlock { .. } => 1,
        }
    }
}

impl PartialEq for TraceRecord {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl fmt::Debug for TraceRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TraceRecord({}, {:?})", self.id, self.title)
    }
}

/// Moves in the step viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TraceMove {
    /// One step on (stops playing at the end).
    Next,
    /// One step back.
    Back,
    /// Back to the initial registers.
    Reset,
    /// To the end.
    End,
}

/// The step viewer's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TraceState {
    /// The trace of the last wrap or unwrap (workbench or typed command).
    pub trace: Option<Rc<TraceRecord>>,
    /// Steps of the trace shown as done (0: the initial registers).
    pub pos: usize,
    /// Whether the step viewer is playing.
    pub playing: bool,
}

impl TraceState {
    /// Shows a new trace from its start.
    pub(super) fn show(&mut self, record: TraceRecord) {
        self.trace = Some(Rc::new(record));
        self.pos = 0;
        self.playing = false;
    }

    fn total(&self) -> usize {
        self.trace.as_ref().map_or(0, |t| t.step_count())
    }

    /// Play or pause.
    pub(super) fn play(&mut self, play: bool) {
        let total = self.total();
        if play && self.pos >= total {
            self.pos = 0;
        }
        self.playing = play && total > 0;
    }

    /// One move.
    pub(super) fn step(&mut self, step: TraceMove) {
        let total = self.total();
        match step {
            TraceMove::Next => {
                self.pos = (self.pos + 1).min(total);
                if self.pos >= total {
                    self.playing = false;
                }
            }
            TraceMove::Back => {
                self.pos = self.pos.saturating_sub(1);
                self.playing = false;
            }
            TraceMove::Reset => {
                self.pos = 0;
                self.playing = false;
            }
            TraceMove::End => {
                self.pos = total;
                self.playing = false;
            }
        }
    }
}
