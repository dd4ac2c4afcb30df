//! Hex and base64, in and out, forgiving in what they read and precise in
//! what they say.
//!
//! Reading ([`decode`]):
//! - **Hex**: upper or lower case; whitespace and `:` separators anywhere
//!   and one leading `0x` (or `0X`) are ignored, so `00 11 22`,
//!   `00:11:22` and `0x001122` are the same three bytes. Errors name the
//!   bad character and its position, or say the digit count is odd.
//! - **Base64**: the standard alphabet (`+/`) or the URL-safe one (`-_`),
//!   with or without `=` padding; whitespace and line breaks are ignored.
//! - **Raw**: the bytes as they are (for files; [`decode_bytes`]).
//!
//! Writing: [`encode_hex`] (lowercase, as OpenSSL and this crate print
//! wrapped keys), [`encode_hex_upper`] (as RFC 3394 prints its vectors),
//! [`encode_base64`] (standard alphabet, padded, as CloudHSM CLI prints
//! `wrapped_key_data`).
//!
//! The conversions themselves are RustCrypto's `base16ct` and `base64ct`,
//! which run in constant time, so decoding a key does not leak its digits
//! through timing. Decoded bytes come back in a [`Zeroizing`] vector because
//! they are often a key.
//!
//! ```
//! use keywrap_core::encoding::{decode, encode_hex, Format};
//! use keywrap_core::Error;
//!
//! assert_eq!(&**decode("0x00:11 aA", Format::Hex)?, &[0x00, 0x11, 0xaa]);
//! assert_eq!(&**decode("AB Eq\n", Format::Base64)?, &[0x00, 0x11, 0x2a]);
//! assert_eq!(
//!     decode("00 1g", Format::Hex).err(),
//!     Some(Error::InvalidCharacter { format: Format::Hex, character: 'g', position: 5 })
//! );
//! assert_eq!(encode_hex(&[0xc6, 0xa1, 0x3b]), "c6a13b");
//! # Ok::<(), Error>(())
//! ```

use core::fmt;
use core::str::FromStr;

use base64ct::{Base64, Base64Unpadded, Base64Url, Base64UrlUnpadded, Encoding};
use zeroize::Zeroizing;

use crate::Error;

/// A text (or raw) representation of bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// Hexadecimal, two digits per byte. The default.
    #[default]
    Hex,
    /// Base64 (RFC 4648), standard or URL-safe alphabet.
    Base64,
    /// The bytes themselves (files, pipes).
    Raw,
}

impl Format {
    /// All formats.
    pub const ALL: [Format; 3] = [Format::Hex, Format::Base64, Format::Raw];

    /// `hex`, `base64` or `raw`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Hex => "hex",
            Format::Base64 => "base64",
            Format::Raw => "raw",
        }
    }
}

impl fmt::Display for Format {
    /// Writes [`Format::name`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = Error;

    /// `hex`, `base64` (or `b64`), `raw`, in any case.
    fn from_str(s: &str) -> Result<Format, Error> {
        match s.trim().to_ascii_lowercase().as_str() {
            "hex" => Ok(Format::Hex),
            "base64" | "b64" => Ok(Format::Base64),
            "raw" | "bin" | "binary" => Ok(Format::Raw),
            _ => Err(Error::UnknownName {
                kind: "format",
                name: s.to_owned(),
                expected: "hex, base64 or raw",
            }),
        }
    }
}

/// Decodes `text` in `format`. [`Format::Raw`] gives the UTF-8 bytes of the
/// text unchanged.
pub fn decode(text: &str, format: Format) -> Result<Zeroizing<Vec<u8>>, Error> {
    match format {
        Format::Hex => decode_hex(text),
        Format::Base64 => decode_base64(text),
        Format::Raw => Ok(Zeroizing::new(text.as_bytes().to_vec())),
    }
}

/// Decodes bytes read from a file or a pipe: [`Format::Raw`] keeps them as
/// they are; hex and base64 must be UTF-8 text ([`Error::NotText`]).
pub fn decode_bytes(input: &[u8], format: Format) -> Result<Zeroizing<Vec<u8>>, Error> {
    match format {
        Format::Raw => Ok(Zeroizing::new(input.to_vec())),
        Format::Hex | Format::Base64 => match core::str::from_utf8(input) {
            Ok(text) => decode(text, format),
            Err(e) => Err(Error::NotText {
                format,
                position: e.valid_up_to() + 1,
            }),
        },
    }
}

/// Lowercase hex, e.g. `c6a13b`.
pub fn encode_hex(bytes: &[u8]) -> String {
    base16ct::lower::encode_string(bytes)
}

/// Uppercase hex, e.g. `A6A6A6A6A6A6A6A6`.
pub fn encode_hex_upper(bytes: &[u8]) -> String {
    base16ct::upper::encode_string(bytes)
}

/// Base64, standard alphabet, with `=` padding.
pub fn encode_base64(bytes: &[u8]) -> String {
    Base64::encode_string(bytes)
}

/// Encodes in `format`: the text of [`encode_hex`] or [`encode_base64`] as
/// bytes, or for [`Format::Raw`] a copy of the bytes.
pub fn encode(bytes: &[u8], format: Format) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(match format {
        Format::Hex => encode_hex(bytes).into_bytes(),
        Format::Base64 => encode_base64(bytes).into_bytes(),
        Format::Raw => bytes.to_vec(),
    })
}

fn is_hex_separator(c: char) -> bool {
    c.is_whitespace() || c == ':'
}

/// The input after leading whitespace and one `0x`, with the number of
/// characters skipped.
fn strip_hex_prefix(text: &str) -> (&str, usize) {
    let trimmed = text.trim_start();
    let skipped = text[..text.len() - trimmed.len()].chars().count();
    match trimmed
        .strip_prefix("0x")
        .or_else(|| trimmed.strip_prefix("0X"))
    {
        Some(rest) => (rest, skipped + 2),
        None => (trimmed, skipped),
    }
}

fn decode_hex(text: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
    let (body, skipped) = strip_hex_prefix(text);
    // Keep every non-separator byte; which bytes are separators depends on
    // the layout of the text, not on the digits' values.
    let mut digits = Zeroizing::new(Vec::with_capacity(body.len()));
    for c in body.chars() {
        if !is_hex_separator(c) {
            let mut utf8 = [0u8; 4];
            digits.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
        }
    }
    let mut out = Zeroizing::new(vec![0u8; digits.len() / 2]);
    if digits.len() % 2 == 0 && base16ct::mixed::decode(&*digits, &mut out).is_ok() {
        return Ok(out);
    }
    // Failure: find the first character that is not a hex digit, else the
    // count is odd.
    for (k, c) in body.chars().enumerate() {
        if !is_hex_separator(c) && !c.is_ascii_hexdigit() {
            return Err(Error::InvalidCharacter {
                format: Format::Hex,
                character: c,
                position: skipped + k + 1,
            });
        }
    }
    Err(Error::OddLength {
        digits: digits.len(),
    })
}

fn is_base64_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '-' | '_' | '=')
}

fn decode_base64(text: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
    // Bad characters first: their position is the most useful thing to say.
    let mut url_safe = false;
    let mut standard = false;
    for (k, c) in text.chars().enumerate() {
        if c.is_whitespace() {
            continue;
        }
        if !is_base64_char(c) {
            return Err(Error::InvalidCharacter {
                format: Format::Base64,
                character: c,
                position: k + 1,
            });
        }
        url_safe |= matches!(c, '-' | '_');
        standard |= matches!(c, '+' | '/');
    }
    if url_safe && standard {
        return Err(Error::InvalidBase64 {
            detail: "it mixes the standard alphabet ('+', '/') with the URL-safe one ('-', '_')",
        });
    }
    let compact: Zeroizing<Vec<u8>> =
        Zeroizing::new(text.bytes().filter(|b| !b.is_ascii_whitespace()).collect());
    let padded = compact.contains(&b'=');
    if padded {
        let mut padding = compact.iter().skip_while(|&&b| b != b'=');
        if padding.any(|&b| b != b'=') {
            return Err(Error::InvalidBase64 {
                detail: "'=' padding may only appear at the end",
            });
        }
        if !compact.len().is_multiple_of(4) {
            return Err(Error::InvalidBase64 {
                detail: "with '=' padding the length must be a multiple of 4 characters",
            });
        }
    } else if compact.len() % 4 == 1 {
        return Err(Error::InvalidBase64 {
            detail: "the number of characters is one more than a multiple of 4, which no bytes encode",
        });
    }
    let mut out = Zeroizing::new(vec![0u8; compact.len() / 4 * 3 + 3]);
    let decoded = match (url_safe, padded) {
        (false, true) => Base64::decode(&*compact, &mut out).map(<[u8]>::len),
        (false, false) => Base64Unpadded::decode(&*compact, &mut out).map(<[u8]>::len),
        (true, true) => Base64Url::decode(&*compact, &mut out).map(<[u8]>::len),
        (true, false) => Base64UrlUnpadded::decode(&*compact, &mut out).map(<[u8]>::len),
    };
    match decoded {
        Ok(len) => {
            out.truncate(len);
            Ok(out)
        }
        Err(_) => Err(Error::InvalidBase64 {
            detail: "it is not a canonical encoding (too much padding, or the last character carries bits that no byte uses)",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Result<Vec<u8>, Error> {
        decode(s, Format::Hex).map(|z| z.to_vec())
    }

    fn b64(s: &str) -> Result<Vec<u8>, Error> {
        decode(s, Format::Base64).map(|z| z.to_vec())
    }

    #[test]
    fn hex_tolerance() {
        assert_eq!(hex("00112233"), Ok(vec![0, 0x11, 0x22, 0x33]));
        assert_eq!(hex("  0X00:11 22\n33\t"), Ok(vec![0, 0x11, 0x22, 0x33]));
        assert_eq!(hex("AbCd"), Ok(vec![0xab, 0xcd]));
        assert_eq!(hex(""), Ok(vec![]));
        assert_eq!(hex("0x"), Ok(vec![]));
    }

    #[test]
    fn hex_errors() {
        assert_eq!(
            hex("0x00zz"),
            Err(Error::InvalidCharacter {
                format: Format::Hex,
                character: 'z',
                position: 5
            })
        );
        assert_eq!(hex("abc"), Err(Error::OddLength { digits: 3 }));
        assert_eq!(hex("a b c"), Err(Error::OddLength { digits: 3 }));
        assert_eq!(
            hex("é0"),
            Err(Error::InvalidCharacter {
                format: Format::Hex,
                character: 'é',
                position: 1
            })
        );
        // A second 0x is not a prefix.
        assert!(matches!(
            hex("0x0x00"),
            Err(Error::InvalidCharacter {
                character: 'x',
                position: 4,
                ..
            })
        ));
    }

    #[test]
    fn base64_variants() {
        assert_eq!(b64("AAEC"), Ok(vec![0, 1, 2]));
        assert_eq!(b64("AAE="), Ok(vec![0, 1]));
        assert_eq!(b64("AAE"), Ok(vec![0, 1]));
        assert_eq!(b64("AA\nE =\n"), Ok(vec![0, 1]));
        assert_eq!(b64("-_8="), Ok(vec![0xfb, 0xff]));
        assert_eq!(b64("+/8="), Ok(vec![0xfb, 0xff]));
        assert_eq!(b64(""), Ok(vec![]));
    }

    #[test]
    fn base64_errors() {
        assert_eq!(
            b64("AA*A"),
            Err(Error::InvalidCharacter {
                format: Format::Base64,
                character: '*',
                position: 3
            })
        );
        assert!(matches!(b64("A"), Err(Error::InvalidBase64 { .. })));
        assert!(matches!(b64("AA=A"), Err(Error::InvalidBase64 { .. })));
        assert!(matches!(b64("AAE=="), Err(Error::InvalidBase64 { .. })));
        assert!(matches!(b64("AAF="), Err(Error::InvalidBase64 { .. })));
        assert!(matches!(b64("+-AA"), Err(Error::InvalidBase64 { .. })));
    }

    #[test]
    fn bytes_and_round_trips() {
        let data: Vec<u8> = (0..=255).collect();
        assert_eq!(hex(&encode_hex(&data)), Ok(data.clone()));
        assert_eq!(hex(&encode_hex_upper(&data)), Ok(data.clone()));
        assert_eq!(b64(&encode_base64(&data)), Ok(data.clone()));
        assert_eq!(
            decode_bytes(&[0x61, 0xff], Format::Hex).err(),
            Some(Error::NotText {
                format: Format::Hex,
                position: 2
            })
        );
        assert_eq!(
            decode_bytes(&[0xff], Format::Raw).map(|z| z.to_vec()),
            Ok(vec![0xff])
        );
        assert_eq!(&**encode(&[1, 2], Format::Hex), b"0102");
        assert_eq!("B64".parse::<Format>(), Ok(Format::Base64));
    }
}
