//! Fuzzes the console: any line parses or is refused, and running it on a
//! session with keys and files never panics; a refused line changes nothing.
#![no_main]

use keywrap_core::hsm::{InsecureSeededKeys, Session};
use keywrap_core::kmu::parse_line;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = parse_line(text);
    let mut session = Session::with_key_source(Box::new(InsecureSeededKeys::new(1)));
    for setup in [
        "genSymKey -t 31 -s 32 -l kek",
        "genSymKey -t 31 -s 16 -l payload",
        "wrapKey -k 7 -w 6 -out mykey.key -m 5",
        "wrapKey -k 7 -w 6 -out bare.key -m 6 -noheader",
    ] {
        let _ = session.run(setup);
    }
    // Several lines per input, so sequences of commands are explored too.
    for line in text.lines().take(8) {
        let before = session.snapshot();
        let outcome = session.run(line);
        if !outcome.return_code.is_success() {
            assert!(session.snapshot() == before, "refused line changed the session");
        }
        let _ = session.complete(line);
    }
});
