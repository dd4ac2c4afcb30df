//! The terminal's slice: the transcript, the input line, the history (↑ / ↓)
//! and the candidates of the last Tab.

use std::rc::Rc;

use keywrap_core::kmu::HandleSpan;

/// How many transcript entries the terminal keeps.
pub const MAX_TRANSCRIPT: usize = 300;
/// How many commands ↑ can recall.
pub const MAX_HISTORY: usize = 200;
/// The longest text one paste into the Command field may bring (it may hold
/// many lines, each at most the core's [`MAX_LINE_LEN`]); a longer paste is
/// refused with a message instead of being stored.
///
/// [`MAX_LINE_LEN`]: keywrap_core::kmu::lexer::MAX_LINE_LEN
pub const MAX_PASTE_LEN: usize = 64 * 1024;
/// The most lines one paste runs.
pub const MAX_PASTE_LINES: usize = 2000;

/// One command of the console transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranscriptEntry {
    /// Unique within the page, for Yew's keys.
    pub id: u64,
    /// The command as typed (a password after `-p` is masked).
    pub command: String,
    /// What the console printed for it.
    pub output: String,
    /// Where handles appear in `output`, to render them as links.
    pub spans: Vec<HandleSpan>,
    /// Whether the command succeeded.
    pub success: bool,
    /// Whether it ran W or W⁻¹, so the step viewer now shows its steps.
    pub changed_steps: bool,
    /// Whether it came from a multi-line paste (the echo says so).
    pub pasted: bool,
}

/// What the terminal shows and remembers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TerminalState {
    /// Commands run so far and their output, oldest first.
    pub transcript: Vec<Rc<TranscriptEntry>>,
    /// The console's input line.
    pub input: String,
    /// Commands typed, oldest first (for ↑ / ↓). Shared strings, so that
    /// copying the slice copies pointers, not every line.
    pub history: Vec<Rc<str>>,
    /// Where ↑ / ↓ are in the history.
    pub history_cursor: Option<usize>,
    /// The line being typed before ↑ was pressed.
    pub history_draft: String,
    /// The candidates of the last Tab, when there were several.
    pub completions: Vec<String>,
    /// Why the last paste was refused (too long, too many lines).
    pub paste_error: Option<String>,
}

impl TerminalState {
    /// Adds an entry, dropping the oldest beyond [`MAX_TRANSCRIPT`].
    pub(super) fn push(&mut self, entry: TranscriptEntry) {
        self.transcript.push(Rc::new(entry));
        if self.transcript.len() > MAX_TRANSCRIPT {
            let excess = self.transcript.len() - MAX_TRANSCRIPT;
            self.transcript.drain(..excess);
        }
    }

    /// Remembers a line for ↑ (not twice in a row).
    pub(super) fn remember(&mut self, shown: &str) {
        if !shown.trim().is_empty() && self.history.last().map(|l| &**l) != Some(shown) {
            self.history.push(Rc::from(shown));
            if self.history.len() > MAX_HISTORY {
                self.history.remove(0);
            }
        }
    }

    /// The input changed.
    pub(super) fn set_input(&mut self, text: String) {
        self.input = text;
        self.history_cursor = None;
        self.completions.clear();
        self.paste_error = None;
    }

    /// ↑: the previous command.
    pub(super) fn history_prev(&mut self) {
        if self.history.is_empty() {
            return;
        }
        let at = match self.history_cursor {
            None => {
                self.history_draft = self.input.clone();
                self.history.len() - 1
            }
            Some(i) => i.saturating_sub(1),
        };
        self.history_cursor = Some(at);
        if let Some(line) = self.history.get(at) {
            self.input = line.to_string();
        }
        self.completions.clear();
    }

    /// ↓: the next command, or the line being typed.
    pub(super) fn history_next(&mut self) {
        let Some(at) = self.history_cursor else {
            return;
        };
        if at + 1 < self.history.len() {
            self.history_cursor = Some(at + 1);
            if let Some(line) = self.history.get(at + 1) {
                self.input = line.to_string();
            }
        } else {
            self.history_cursor = None;
            self.input = std::mem::take(&mut self.history_draft);
        }
        self.completions.clear();
    }

    /// Applies the core's completion candidates for the current input.
    pub(super) fn complete(&mut self, candidates: &[String]) {
        let line = &self.input;
        let stem_end = if line.ends_with(char::is_whitespace) || line.is_empty() {
            line.len()
        } else {
            line.rfind(char::is_whitespace).map_or(0, |i| i + 1)
        };
        let stem = line.get(..stem_end).unwrap_or_default().to_owned();
        let partial = line.get(stem_end..).unwrap_or_default().to_owned();
        match candidates {
            [] => self.completions.clear(),
            [only] => {
                self.input = format!("{stem}{only} ");
                self.completions.clear();
            }
            many => {
                let prefix = common_prefix(many);
                if prefix.len() > partial.len() {
                    self.input = format!("{stem}{prefix}");
                }
                self.completions = many.to_vec();
            }
        }
        self.history_cursor = None;
    }
}

/// The longest common prefix of some strings.
pub(super) fn common_prefix(words: &[String]) -> String {
    let Some((first, rest)) = words.split_first() else {
        return String::new();
    };
    let mut end = first.len();
    for w in rest {
        end = first
            .char_indices()
            .zip(w.chars())
            .take_while(|((_, a), b)| a == b)
            .last()
            .map_or(0, |((i, a), _)| i + a.len_utf8())
            .min(end);
    }
    first.get(..end).unwrap_or_default().to_owned()
}

/// Splits a paste into the lines it runs (blank lines dropped), or says why
/// it is refused.
pub fn paste_lines(text: &str) -> Result<Vec<&str>, String> {
    if text.len() > MAX_PASTE_LEN {
        return Err(format!(
            "The paste is {} characters; the Command field takes at most {MAX_PASTE_LEN} at once. Nothing was run.",
            text.len()
        ));
    }
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.len() > MAX_PASTE_LINES {
        return Err(format!(
            "The paste has {} lines; one paste runs at most {MAX_PASTE_LINES}. Nothing was run.",
            lines.len()
        ));
    }
    Ok(lines)
}
