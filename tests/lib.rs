//! Browser tests for Keywrap Console. Everything lives in `browser/` as
//! `wasm-bindgen-test` targets that run inside headless Chromium; this library
//! is empty on purpose (a virtual workspace compiles no root `tests/`).
