//! Fuzzes the CloudHSM CLI dialect: any line parses or is refused, and
//! running it (after a `key ` prefix, so the CLI reads it) on a session
//! with keys of both dialects never panics; a refused line changes nothing,
//! and every reply is JSON.
#![no_main]

use keywrap_core::cloudhsm_cli::parse_cli_line;
use keywrap_core::hsm::{InsecureSeededKeys, Session};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = parse_cli_line(text);
    let mut session = Session::with_key_source(Box::new(InsecureSeededKeys::new(1)));
    for setup in [
        "key generate-symmetric aes --label kek --key-length-bytes 32",
        "genSymKey -t 31 -s 16 -l payload",
        "key wrap aes-no-pad --payload-filter attr.label=payload --wrapping-filter attr.label=kek --path p.key",
    ] {
        let _ = session.run(setup);
    }
    for line in text.lines().take(8) {
        let line = if keywrap_core::dialect_of(line) == keywrap_core::hsm::Dialect::CloudHsmCli {
            line.to_owned()
        } else {
            format!("key {line}")
        };
        let before = session.snapshot();
        let outcome = session.run(&line);
        if !outcome.return_code.is_success() {
            assert!(session.snapshot() == before, "refused line changed the session");
            assert!(outcome.output.starts_with('{'), "a refusal is JSON");
        }
        let _ = keywrap_core::mask_secrets(&line);
        let _ = session.complete(&line);
    }
});
