//! # keywrap-core
//!
//! The pure-Rust heart of Keywrap Console: AES key wrap (RFC 3394 / RFC 5649,
//! NIST SP 800-38F) with a visible initial value and a step-by-step trace, key
//! check values and encodings ([`wrap`](mod@wrap), [`kcv`], [`encoding`], [`random`]), and
//! a virtual HSM ([`store`], [`access`], [`hsm`], with [`Session`] as the
//! entry point) driven by two AWS CloudHSM command dialects, one session
//! for both ([`Session::run`]): `key_mgmt_util` ([`kmu`]) and CloudHSM CLI
//! ([`cloudhsm_cli`]).
//!
//! This crate knows nothing of the browser: it builds and tests natively with a
//! plain `cargo test`, and the very same code runs inside the page as wasm32.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

/// The version of this crate, shown in the console's footer.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

// The wrap engine and its helpers.
pub mod encoding;
mod error;
pub mod kcv;
pub mod random;
mod secret;
pub mod selftest;
pub mod wrap;

// Bring your own key: RSA-OAEP and RSA-AES import packages for cloud KMSs.
pub mod byok;

// The virtual HSM, who may see what, and its command dialects.
pub mod access;
pub mod bytemap;
pub mod cloudhsm_cli;
mod dialect;
pub mod hsm;
pub mod kmu;
pub mod store;

pub use dialect::{LineError, Outcome, dialect_of, mask_secrets, prompt_of};
pub use error::{Direction, Error};
pub use hsm::Session;
pub use secret::SecretBytes;
pub use wrap::{
    Iv, Kek, Mechanism, MechanismNames, UnwrapTrace, WrapTrace, trace_unwrap, trace_wrap, unwrap,
    wrap,
};

// The README's examples run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
