//! Messages the page makes: handle remarks, key-separation attacks the
//! core reported, the status line (a live region), file errors, and the
//! network counts the banner shows.

use std::rc::Rc;

use keywrap_core::hsm::copies::SeparationReport;

/// How many key-separation notices the page keeps.
pub const MAX_SEPARATIONS: usize = 4;

/// A key-separation attack the core saw succeed, as the page announces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeparationNotice {
    /// Unique within the page.
    pub id: u64,
    /// The core's report (which key, which path, where the copy is).
    pub report: SeparationReport,
}

/// How many handle notices the page keeps.
pub const MAX_NOTICES: usize = 8;

/// A remark about handles that the page points out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Unique within the page.
    pub id: u64,
    /// The remark.
    pub text: String,
}

/// What the page's network observer counted since boot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NetworkCount {
    /// Resource requests the browser made (PerformanceObserver).
    pub requests: u32,
    /// Attempts the Content-Security-Policy blocked.
    pub blocked: u32,
    /// Whether the observer is running.
    pub observing: bool,
}

/// A short message about something the page did for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    /// Unique within the page.
    pub id: u64,
    /// The message.
    pub text: String,
    /// Whether it reports success.
    pub ok: bool,
}

/// The page's messages.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NoticesState {
    /// Remarks about handles, newest first.
    pub notices: Vec<Rc<Notice>>,
    /// Whether the first-handle remark was made.
    pub handles_explained: bool,
    /// Why the last file upload or delete failed.
    pub file_error: Option<String>,
    /// Network requests and blocked attempts since boot.
    pub network: NetworkCount,
    /// The last message about something the page did (read out by a live region).
    pub status: Option<StatusLine>,
    /// Key-separation attacks reported, newest first.
    pub separations: Vec<Rc<SeparationNotice>>,
}

impl NoticesState {
    pub(super) fn notice(&mut self, id: u64, text: String) {
        self.notices.insert(0, Rc::new(Notice { id, text }));
        self.notices.truncate(MAX_NOTICES);
    }

    /// Announces a key-separation attack; one notice per key and path (a
    /// command that left the plaintext in a file and in the transcript
    /// made one leak, not two). Whether it was new.
    pub(super) fn separation(&mut self, id: u64, report: SeparationReport) -> bool {
        let known = self
            .separations
            .iter()
            .any(|n| n.report.key == report.key && n.report.path == report.path);
        if !known {
            self.separations
                .insert(0, Rc::new(SeparationNotice { id, report }));
            self.separations.truncate(MAX_SEPARATIONS);
        }
        !known
    }

    /// Puts a separation notice away.
    pub(super) fn dismiss_separation(&mut self, id: u64) {
        self.separations.retain(|n| n.id != id);
    }
}
