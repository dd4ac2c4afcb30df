//! The encoding parsers on arbitrary bytes: hex, base64 and raw decoding,
//! the IV parser and the name parsers never panic; whatever decodes
//! re-encodes to something that decodes to the same bytes.
#![no_main]

use keywrap_core::encoding::{self, Format};
use keywrap_core::kcv::KcvMethod;
use keywrap_core::{Iv, Mechanism};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for format in Format::ALL {
        if let Ok(bytes) = encoding::decode_bytes(data, format) {
            let text = encoding::encode(&bytes, format);
            let again = encoding::decode_bytes(&text, format);
            assert!(matches!(again, Ok(b) if *b == *bytes));
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        for format in Format::ALL {
            match encoding::decode(text, format) {
                Ok(bytes) => assert_eq!(
                    encoding::decode(&encoding::encode_hex_upper(&bytes), Format::Hex).as_deref(),
                    Ok(&*bytes)
                ),
                Err(e) => assert!(!e.to_string().is_empty()),
            }
        }
        if let Ok(iv) = Iv::parse_hex(text) {
            assert_eq!(Iv::parse_hex(&iv.to_string()), Ok(iv));
        }
        let _ = text.parse::<Mechanism>();
        let _ = text.parse::<Format>();
        let _ = text.parse::<KcvMethod>();
    }
});
