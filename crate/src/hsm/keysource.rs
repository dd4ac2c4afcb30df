//! Where new key bytes come from: injectable, so transcripts are reproducible.

use crate::{Error, SecretBytes};

/// A source of key bytes for `genSymKey`.
pub trait KeySource: core::fmt::Debug {
    /// Returns `len` fresh key bytes.
    fn generate(&mut self, len: usize) -> Result<SecretBytes, Error>;
}

/// The operating system's (in the page: the browser's) random source.
#[derive(Clone, Copy, Debug, Default)]
pub struct OsRandom;

impl KeySource for OsRandom {
    fn generate(&mut self, len: usize) -> Result<SecretBytes, Error> {
        crate::random::generate_key(len)
    }
}

/// A deterministic generator (SplitMix64) for tests and reproducible
/// transcripts. **Its keys are not secret**: anyone with the seed has them.
/// The name says so, as every risky API here should.
#[derive(Clone, Debug)]
pub struct InsecureSeededKeys {
    state: u64,
}

impl InsecureSeededKeys {
    /// A generator that starts from `seed`.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

impl KeySource for InsecureSeededKeys {
    fn generate(&mut self, len: usize) -> Result<SecretBytes, Error> {
        let mut bytes = zeroize::Zeroizing::new(Vec::with_capacity(len));
        while bytes.len() < len {
            for b in self.next_u64().to_be_bytes() {
                if bytes.len() < len {
                    bytes.push(b);
                }
            }
        }
        Ok(SecretBytes::from(bytes))
    }
}
