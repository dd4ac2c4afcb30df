//! Wrap and unwrap in slices: [`WrapJob`] and [`UnwrapJob`] run W or W⁻¹
//! a given number of steps at a time, so that a caller with a large key
//! (KWP of a megabyte is 786,432 AES blocks, 150–200 ms in a browser tab
//! with the SIMD128 AES, longer on a slow phone) can run a slice per animation frame, show progress
//! between slices and stop at any point.
//!
//! A job owns its working buffer (wiped when the job is dropped, finished
//! or not: dropping a job *is* cancelling it) and borrows the KEK through
//! `K: Borrow<Kek>`, so it can hold a `&Kek`, an owned `Kek` or an
//! `Rc<Kek>`; the KEK cannot change between slices. Running a job to the
//! end, in slices of any size, gives exactly what [`wrap()`](super::wrap())
//! or [`unwrap()`](super::unwrap()) gives (tested in `tests/batch.rs`);
//! construction checks the input with the same errors.
//!
//! ```
//! use keywrap_core::{Kek, Mechanism, wrap};
//! use keywrap_core::wrap::{Progress, WrapJob};
//!
//! let kek = Kek::new(&[7; 32])?;
//! let data = vec![0x5a; 1000];
//! let mut job = WrapJob::new(&kek, Mechanism::Kwp, None, &data)?;
//! while let Progress::Running { done, total } = job.run(500) {
//!     assert!(done < total); // a real caller would yield to the page here
//! }
//! assert_eq!(job.finish(), wrap(&kek, Mechanism::Kwp, None, &data)?);
//! # Ok::<(), keywrap_core::Error>(())
//! ```

use core::borrow::Borrow;

use keywrap_rounds::w_step_count;
use zeroize::{Zeroize, Zeroizing};

use super::{
    Expected, Iv, Kek, Mechanism, check_unwrap_input, prepare_wrap, take_plaintext, verify,
};
use crate::{Error, SecretBytes};

/// Steps a page should run per animation frame: 32,768 AES blocks, about
/// 7–10 ms with the page's SIMD128 AES in headless Chromium on a shared
/// 2-core machine at load 10 (`scripts/bench.sh browser`: "KWP 1 MiB in
/// slices", 65,536 steps a slice took at most 19.9 ms), so the page keeps
/// answering while a large key is wrapped.
pub const PAGE_SLICE_STEPS: usize = 32_768;

/// Key data (or wrapped data) above which a page should use a sliced job
/// and show progress instead of one [`wrap()`](super::wrap()) call. Measured
/// with the SIMD128 AES (same benchmark): KWP of 1 MiB took 156 ms to wrap
/// and 182.5 ms to unwrap (0.23 µs a step), so one call freezes the page for
/// 100 ms at about 560 KiB; 384 KiB (294,912 steps, about 70 ms here) leaves
/// room for a device half as fast again.
pub const PAGE_SLICED_ABOVE_BYTES: usize = 384 * 1024;

/// Where a sliced job stands after [`WrapJob::run`] or [`UnwrapJob::run`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// `done` of `total` steps have run; call `run` again.
    Running {
        /// Steps run so far.
        done: usize,
        /// Steps in all (`6n`, or 1 for KWP's single block).
        total: usize,
    },
    /// Every step has run; call `finish`.
    Done,
}

/// The steps of one job: W (or W⁻¹) over a buffer, or KWP's single block.
struct Steps {
    buf: Zeroizing<Vec<u8>>,
    done: usize,
    total: usize,
}

impl Steps {
    fn new(buf: Zeroizing<Vec<u8>>) -> Steps {
        // KWP with one semiblock of padded key data is one AES block.
        let total = w_step_count(buf.len()).max(1);
        Steps {
            buf,
            done: 0,
            total,
        }
    }

    fn progress(&self) -> Progress {
        if self.done >= self.total {
            Progress::Done
        } else {
            Progress::Running {
                done: self.done,
                total: self.total,
            }
        }
    }

    fn run(&mut self, kek: &Kek, max_steps: usize, wrap: bool) -> Progress {
        if self.done < self.total && max_steps > 0 {
            if let Ok(block) = <&mut [u8; 16]>::try_from(self.buf.as_mut_slice()) {
                if wrap {
                    kek.encrypt_block(block);
                } else {
                    kek.decrypt_block(block);
                }
                self.done = self.total;
            } else if wrap {
                self.done = kek.cipher().w_steps(&mut self.buf, self.done, max_steps);
            } else {
                self.done = kek
                    .cipher()
                    .w_inverse_steps(&mut self.buf, self.done, max_steps);
            }
        }
        self.progress()
    }
}

/// A wrap that runs a slice of W at a time (see the [module docs](self)).
pub struct WrapJob<K: Borrow<Kek>> {
    kek: K,
    steps: Steps,
}

impl<K: Borrow<Kek>> WrapJob<K> {
    /// Checks and pads `plaintext` as [`wrap()`](super::wrap()) does (the
    /// same errors) and prepares W; runs no step yet.
    pub fn new(
        kek: K,
        mechanism: Mechanism,
        iv: Option<&Iv>,
        plaintext: &[u8],
    ) -> Result<WrapJob<K>, Error> {
        let prepared = prepare_wrap(mechanism, iv, plaintext)?;
        Ok(WrapJob {
            kek,
            steps: Steps::new(prepared.buf),
        })
    }

    /// Runs at most `max_steps` more steps (each one AES block).
    pub fn run(&mut self, max_steps: usize) -> Progress {
        self.steps.run(self.kek.borrow(), max_steps, true)
    }

    /// Where the job stands, without running anything.
    pub fn progress(&self) -> Progress {
        self.steps.progress()
    }

    /// Runs whatever steps are left and returns the wrapped key.
    pub fn finish(mut self) -> Vec<u8> {
        self.run(usize::MAX);
        // The buffer now holds only the wrapped key, which is not secret.
        core::mem::take(&mut *self.steps.buf)
    }
}

/// An unwrap that runs a slice of W⁻¹ at a time (see the [module
/// docs](self)). The integrity check runs in [`finish`](Self::finish);
/// until then nothing of the key data is released.
pub struct UnwrapJob<K: Borrow<Kek>> {
    kek: K,
    mechanism: Mechanism,
    expected: Expected,
    steps: Steps,
}

impl<K: Borrow<Kek>> UnwrapJob<K> {
    /// Checks `wrapped` as [`unwrap()`](super::unwrap()) does (the same
    /// length and IV errors) and prepares W⁻¹; runs no step yet.
    pub fn new(
        kek: K,
        mechanism: Mechanism,
        iv: Option<&Iv>,
        wrapped: &[u8],
    ) -> Result<UnwrapJob<K>, Error> {
        let expected = check_unwrap_input(mechanism, iv, wrapped.len())?;
        Ok(UnwrapJob {
            kek,
            mechanism,
            expected,
            steps: Steps::new(Zeroizing::new(wrapped.to_vec())),
        })
    }

    /// Runs at most `max_steps` more steps (each one AES block).
    pub fn run(&mut self, max_steps: usize) -> Progress {
        self.steps.run(self.kek.borrow(), max_steps, false)
    }

    /// Where the job stands, without running anything.
    pub fn progress(&self) -> Progress {
        self.steps.progress()
    }

    /// Runs whatever steps are left, checks the integrity and returns the
    /// key data, with the errors of [`unwrap()`](super::unwrap()).
    pub fn finish(mut self) -> Result<SecretBytes, Error> {
        self.run(usize::MAX);
        let mut buf = core::mem::take(&mut self.steps.buf);
        let verdict = verify(self.mechanism, &self.expected, &buf);
        match verdict.result {
            Ok(()) => Ok(take_plaintext(buf, verdict.plaintext_len)),
            Err(e) => {
                buf.zeroize();
                Err(e)
            }
        }
    }
}
