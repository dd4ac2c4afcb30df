//! Every byte explained: which bytes of a blob the page shows are what.
//!
//! The page draws a byte map (in the manner of "The Illustrated TLS
//! Connection") of three kinds of blob; this module says where each range
//! lies and what it is, and the page only renders the ranges:
//!
//! - an RFC 3394 / RFC 5649 output ([`of_wrapped`]): `C[0]`, the integrity
//!   register `A` after W, then `C[1..n]`, the registers `R[1..n]` after W
//!   (for KWP with one semiblock of padded key data, `C[0] | C[1]` is a
//!   single AES block, RFC 5649 §4.1);
//! - KWP's alternative IV as an unwrap recovers it ([`of_kwp_aiv`]):
//!   `A65959A6`, then the message length indicator (RFC 5649 §3);
//! - a wrapped-key file with Keywrap Console's header ([`of_key_file`]):
//!   each header field ([`WrappedKeyFile::field_ranges`]), then the wrapped
//!   key's own ranges.
//!
//! No range holds or names key bytes: a wrapped key is ciphertext, and the
//! explanations are made from lengths, the mechanism and header fields only.
//! A blob of more than [`MAX_MAPPED_SEMIBLOCKS`] semiblocks gets that many
//! ranges and one for the rest, so a large blob costs no more to draw.

use core::fmt;
use core::ops::Range;

use crate::hsm::header::{HeaderError, WrappedKeyFile};
use crate::store::KeyType;
use crate::wrap::SEMIBLOCK_LEN;
use crate::{Error, Iv, Mechanism};

/// The most semiblocks `C[1..]` mapped one by one; the rest form one range.
pub const MAX_MAPPED_SEMIBLOCKS: usize = 64;

/// What kind of bytes a range holds (the page colours by it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeKind {
    /// A header field: metadata, in the clear.
    Header,
    /// The integrity register `A` (or KWP's constant and length indicator).
    Integrity,
    /// Wrapped key data: ciphertext.
    KeyData,
}

impl RangeKind {
    /// A short word for the kind (also the page's CSS class suffix).
    pub fn word(self) -> &'static str {
        match self {
            RangeKind::Header => "header",
            RangeKind::Integrity => "integrity",
            RangeKind::KeyData => "key-data",
        }
    }
}

/// One range of bytes and what it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ByteRange {
    /// Where it lies in the blob.
    pub range: Range<usize>,
    /// Its name, short: `C[0] = A`, `label`, `MLI`.
    pub name: String,
    /// What it is and why it is there, in a sentence or two.
    pub meaning: String,
    /// What kind of bytes it holds.
    pub kind: RangeKind,
}

/// Why a blob cannot be mapped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ByteMapError {
    /// Not a wrapped key of that mechanism (its length is wrong).
    Wrapped(Error),
    /// The file's header does not parse.
    Header(HeaderError),
}

impl fmt::Display for ByteMapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ByteMapError::Wrapped(e) => write!(f, "not a wrapped key: {e}"),
            ByteMapError::Header(e) => write!(f, "not a wrapped-key file: {e}"),
        }
    }
}

impl core::error::Error for ByteMapError {}

fn range(start: usize, len: usize, name: String, meaning: String, kind: RangeKind) -> ByteRange {
    ByteRange {
        range: start..start.saturating_add(len),
        name,
        meaning,
        kind,
    }
}

/// The ranges of a wrapped key of `len` bytes made with `mechanism`.
///
/// Errors: [`ByteMapError::Wrapped`] with the unwrap's own length error
/// when `len` is not a length that mechanism's unwrap accepts.
pub fn of_wrapped(mechanism: Mechanism, len: usize) -> Result<Vec<ByteRange>, ByteMapError> {
    crate::wrap::check_unwrap_input(mechanism, None, len).map_err(ByteMapError::Wrapped)?;
    let n = len / SEMIBLOCK_LEN - 1;
    if mechanism == Mechanism::Kwp && n == 1 {
        return Ok(vec![range(
            0,
            2 * SEMIBLOCK_LEN,
            "C[0] ‖ C[1]".to_owned(),
            "One AES block of AIV ‖ P[1] (A65959A6, the key's length, the key and zero \
             padding): with one semiblock of key data, RFC 5649 §4.1 replaces W by one AES."
                .to_owned(),
            RangeKind::KeyData,
        )]);
    }
    let a_meaning = match mechanism {
        Mechanism::Kwp => {
            "The integrity register A after W: W⁻¹ must recover the AIV from it, \
             A65959A6 then the key's length (RFC 5649 §3)."
        }
        Mechanism::Kw | Mechanism::KwPkcs5 => {
            "The integrity register A after W: W⁻¹ must recover the IV from it \
             (A6A6A6A6A6A6A6A6 unless custom, RFC 3394 §2.2.3)."
        }
    };
    let mut out = vec![range(
        0,
        SEMIBLOCK_LEN,
        "C[0] = A".to_owned(),
        a_meaning.to_owned(),
        RangeKind::Integrity,
    )];
    let padding_note = match mechanism {
        Mechanism::Kw => "",
        Mechanism::Kwp => " The last semiblock of key data ends with zero padding.",
        Mechanism::KwPkcs5 => " The last semiblock of key data ends with PKCS#5 padding.",
    };
    for i in 1..=n.min(MAX_MAPPED_SEMIBLOCKS) {
        let last = if i == n { padding_note } else { "" };
        out.push(range(
            i * SEMIBLOCK_LEN,
            SEMIBLOCK_LEN,
            format!("C[{i}] = R[{i}]"),
            format!(
                "R[{i}] after 6 rounds of W: ciphertext of P[{i}] mixed with every other \
                 semiblock; no byte here stands for one key byte.{last}"
            ),
            RangeKind::KeyData,
        ));
    }
    if n > MAX_MAPPED_SEMIBLOCKS {
        let first = MAX_MAPPED_SEMIBLOCKS + 1;
        out.push(range(
            first * SEMIBLOCK_LEN,
            (n - MAX_MAPPED_SEMIBLOCKS) * SEMIBLOCK_LEN,
            format!("C[{first}..{n}]"),
            format!(
                "Registers R[{first}] to R[{n}] after W: ciphertext of the rest of the key \
                 data.{padding_note}"
            ),
            RangeKind::KeyData,
        ));
    }
    Ok(out)
}

/// The ranges of a BYOK import package of `len` bytes whose RSA part is
/// `rsa_part_len` bytes (the wrapping key's modulus, `k`): for
/// `CKM_RSA_AES_KEY_WRAP`, the RSA-OAEP ciphertext of the ephemeral AES
/// key, then the RFC 5649 KWP part with its own ranges ([`of_wrapped`],
/// shifted by `k`); for direct RSA-OAEP (`len == k`), one ciphertext.
///
/// Errors: [`ByteMapError::Wrapped`] when the rest after `k` is not a
/// length KWP's unwrap accepts (or `len` is shorter than `k`).
pub fn of_rsa_package(rsa_part_len: usize, len: usize) -> Result<Vec<ByteRange>, ByteMapError> {
    let Some(kwp_len) = len.checked_sub(rsa_part_len) else {
        return Err(ByteMapError::Wrapped(Error::InputLength {
            direction: crate::Direction::Unwrap,
            mechanism: Mechanism::Kwp,
            got: len,
        }));
    };
    if kwp_len == 0 {
        return Ok(vec![range(
            0,
            len,
            "RSA-OAEP(M)".to_owned(),
            format!(
                "The RSA-OAEP ciphertext of the key material itself ({len} bytes, the \
                 modulus length k): only the holder of the private key can open it."
            ),
            RangeKind::KeyData,
        )]);
    }
    let mut out = vec![range(
        0,
        rsa_part_len,
        "RSA part: RSA-OAEP(K)".to_owned(),
        format!(
            "The RSA-OAEP ciphertext of the fresh AES key K ({rsa_part_len} bytes, the \
             modulus length k): the provider's private key opens it, and K then opens the \
             KWP part. CKM_RSA_AES_KEY_WRAP splits the package at k."
        ),
        RangeKind::KeyData,
    )];
    for r in of_wrapped(Mechanism::Kwp, kwp_len)? {
        out.push(ByteRange {
            range: r.range.start + rsa_part_len..r.range.end + rsa_part_len,
            name: format!("KWP {}", r.name),
            meaning: format!("The KWP part, RFC 5649 under K: {}", r.meaning),
            kind: r.kind,
        });
    }
    Ok(out)
}

/// The ranges of KWP's alternative IV as W⁻¹ recovered it in `a`: the
/// constant (checked first), then the message length indicator.
pub fn of_kwp_aiv(a: &[u8; 8]) -> Vec<ByteRange> {
    let [_, _, _, _, m0, m1, m2, m3] = *a;
    let mli = u32::from_be_bytes([m0, m1, m2, m3]);
    let prefix_ok = a.starts_with(&Iv::KWP_PREFIX);
    vec![
        range(
            0,
            4,
            "A65959A6".to_owned(),
            if prefix_ok {
                "RFC 5649's constant (ICV2): the first check of an unwrap, and it passed."
            } else {
                "Where RFC 5649's constant A65959A6 (ICV2) must be: it is not, so the KEK, \
                 the mechanism or the wrapped bytes are wrong."
            }
            .to_owned(),
            RangeKind::Integrity,
        ),
        range(
            4,
            4,
            "MLI".to_owned(),
            format!(
                "The message length indicator, big-endian: {mli} bytes of key data. It must \
                 lie within 8(n−1)+1 ..= 8n for n semiblocks, and the bytes after it are \
                 zero padding."
            ),
            RangeKind::Integrity,
        ),
    ]
}

fn key_type_words(t: KeyType) -> &'static str {
    match t {
        KeyType::Aes => "AES (31)",
        KeyType::GenericSecret => "generic secret (16)",
        _ => "another type",
    }
}

/// The ranges of a wrapped-key file: each header field, then the wrapped
/// key's ranges ([`of_wrapped`]) offset past the header.
///
/// Errors: [`ByteMapError::Header`] when the header does not parse (the
/// same error `unWrapKey` gives), [`ByteMapError::Wrapped`] when the
/// wrapped key's length does not fit the mechanism.
pub fn of_key_file(bytes: &[u8]) -> Result<Vec<ByteRange>, ByteMapError> {
    let file = WrappedKeyFile::parse(bytes).map_err(ByteMapError::Header)?;
    let a = &file.attributes;
    let mut out = Vec::new();
    for field in file.field_ranges() {
        let meaning = match field.name {
            "magic" => "KWH1: Keywrap Console's header, from which unWrapKey restores the key's \
                        attributes."
                .to_owned(),
            "version" => "The header format's version, 1.".to_owned(),
            "mechanism" => format!(
                "KMU's -m {}: {}, the mechanism the key was wrapped with.",
                file.mechanism.kmu_number(),
                file.mechanism.display_name()
            ),
            "key class" => "Key class 4: a secret key.".to_owned(),
            "key type" => format!("Key type {}.", key_type_words(a.key_type)),
            "key length" => format!("The key's length, {} bytes.", a.value_len),
            "flags" => format!(
                "The key's flags: SENSITIVE {}, EXTRACTABLE {}, TOKEN {}, WRAP_WITH_TRUSTED {} \
                 (a header can only keep or tighten them).",
                yes_no(a.sensitive),
                yes_no(a.extractable),
                yes_no(a.token),
                yes_no(a.wrap_with_trusted)
            ),
            "KCV" => "The key check value; unWrapKey refuses a key whose KCV differs.".to_owned(),
            "label length" => format!("The label's length, {} bytes.", a.label.len()),
            "label" => format!("OBJ_ATTR_LABEL, UTF-8: \"{}\".", a.label),
            "id length" => format!("The id's length, {} bytes.", a.id.len()),
            "id" => format!("OBJ_ATTR_ID, UTF-8: \"{}\".", a.id),
            "wrapped key length" => {
                format!("The wrapped key's length, {} bytes.", file.wrapped.len())
            }
            _ => String::new(),
        };
        if field.name == "wrapped key" {
            let start = field.range.start;
            for mut r in of_wrapped(file.mechanism, file.wrapped.len())? {
                r.range = r.range.start.saturating_add(start)..r.range.end.saturating_add(start);
                out.push(r);
            }
        } else if !field.range.is_empty() {
            out.push(ByteRange {
                range: field.range,
                name: field.name.to_owned(),
                meaning,
                kind: RangeKind::Header,
            });
        }
    }
    Ok(out)
}

fn yes_no(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

#[cfg(test)]
mod rsa_package_tests {
    use super::*;

    #[test]
    fn an_rsa_aes_package_is_the_rsa_part_then_the_kwp_ranges() {
        // RSA-3072 (k = 384) and KWP of a 32-byte key (40 bytes).
        let ranges = of_rsa_package(384, 424).unwrap();
        assert_eq!(ranges[0].range, 0..384);
        assert!(ranges[0].name.starts_with("RSA part"));
        assert_eq!(ranges[1].range, 384..392);
        assert_eq!(ranges[1].name, "KWP C[0] = A");
        assert_eq!(ranges.last().unwrap().range.end, 424);
        // The ranges tile the package.
        for pair in ranges.windows(2) {
            assert_eq!(pair[0].range.end, pair[1].range.start);
        }
    }

    #[test]
    fn direct_oaep_is_one_ciphertext_and_bad_lengths_are_errors() {
        let ranges = of_rsa_package(256, 256).unwrap();
        assert_eq!(ranges.len(), 1);
        assert_eq!(ranges[0].range, 0..256);
        assert!(of_rsa_package(256, 200).is_err());
        assert!(of_rsa_package(256, 256 + 12).is_err());
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::hsm::header::HeaderAttributes;
    use crate::store::KeyClass;

    /// The ranges cover `0..len` exactly, in order, without gaps.
    fn assert_tiles(ranges: &[ByteRange], len: usize) {
        let mut at = 0;
        for r in ranges {
            assert_eq!(r.range.start, at, "gap or overlap before {}", r.name);
            assert!(r.range.end > r.range.start, "{} is empty", r.name);
            at = r.range.end;
        }
        assert_eq!(at, len);
    }

    #[test]
    fn rfc3394_output_is_a_then_each_semiblock() {
        // RFC 3394 §4.1: 128-bit key data under a 128-bit KEK, 24 bytes.
        let ranges = of_wrapped(Mechanism::Kw, 24).unwrap();
        let names: Vec<_> = ranges.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["C[0] = A", "C[1] = R[1]", "C[2] = R[2]"]);
        assert_eq!(ranges[0].kind, RangeKind::Integrity);
        assert_eq!(ranges[2].range, 16..24);
        assert!(ranges[0].meaning.contains("A6A6A6A6A6A6A6A6"));
        assert_tiles(&ranges, 24);
    }

    #[test]
    fn kwp_single_block_is_one_aes_block() {
        let ranges = of_wrapped(Mechanism::Kwp, 16).unwrap();
        assert_eq!(ranges.len(), 1);
        assert_eq!(ranges[0].range, 0..16);
        assert!(ranges[0].meaning.contains("§4.1"));
        // And KWP of two semiblocks or more maps A to the AIV.
        let ranges = of_wrapped(Mechanism::Kwp, 40).unwrap();
        assert!(ranges[0].meaning.contains("A65959A6"));
        assert!(ranges[4].meaning.contains("zero padding"));
        assert_tiles(&ranges, 40);
    }

    #[test]
    fn a_wrong_length_gets_the_unwraps_error() {
        assert!(matches!(
            of_wrapped(Mechanism::Kw, 20),
            Err(ByteMapError::Wrapped(Error::InputLength { got: 20, .. }))
        ));
        assert!(of_wrapped(Mechanism::Kw, 16).is_err());
        assert!(of_wrapped(Mechanism::Kwp, 8).is_err());
    }

    #[test]
    fn a_large_blob_is_capped() {
        let len = (MAX_MAPPED_SEMIBLOCKS + 11) * SEMIBLOCK_LEN;
        let ranges = of_wrapped(Mechanism::Kw, len).unwrap();
        assert_eq!(ranges.len(), MAX_MAPPED_SEMIBLOCKS + 2);
        assert_eq!(ranges.last().unwrap().name, "C[65..74]");
        assert_tiles(&ranges, len);
    }

    #[test]
    fn kwp_aiv_is_the_constant_then_the_mli() {
        let ranges = of_kwp_aiv(&[0xA6, 0x59, 0x59, 0xA6, 0, 0, 0, 20]);
        assert_eq!(ranges[0].range, 0..4);
        assert!(ranges[0].meaning.contains("passed"));
        assert_eq!(ranges[1].range, 4..8);
        assert!(ranges[1].meaning.contains("20 bytes"));
        let wrong = of_kwp_aiv(&[0xA6; 8]);
        assert!(wrong[0].meaning.contains("is not"));
    }

    fn file(label: &str, id: &str, mechanism: Mechanism, wrapped_len: usize) -> WrappedKeyFile {
        WrappedKeyFile {
            mechanism,
            attributes: HeaderAttributes {
                class: KeyClass::Secret,
                key_type: KeyType::Aes,
                value_len: 32,
                token: true,
                private: true,
                sensitive: true,
                encrypt: true,
                decrypt: true,
                wrap: false,
                unwrap: false,
                extractable: true,
                wrap_with_trusted: false,
                kcv: [1, 2, 3],
                label: label.to_owned(),
                id: id.to_owned(),
            },
            wrapped: vec![0x5A; wrapped_len],
        }
    }

    #[test]
    fn header_field_ranges_match_the_written_bytes() {
        let f = file("payload", "", Mechanism::Kwp, 40);
        let bytes = f.to_bytes().unwrap();
        let fields = f.field_ranges();
        let at = |name: &str| {
            fields
                .iter()
                .find(|x| x.name == name)
                .unwrap()
                .range
                .clone()
        };
        assert_eq!(&bytes[at("magic")], b"KWH1");
        assert_eq!(bytes[at("mechanism")], [6]);
        assert_eq!(&bytes[at("KCV")], &[1, 2, 3]);
        assert_eq!(&bytes[at("label")], b"payload");
        assert_eq!(bytes[at("label length")], [7]);
        assert!(at("id").is_empty());
        assert_eq!(&bytes[at("wrapped key length")], &40u32.to_be_bytes());
        assert_eq!(at("wrapped key"), bytes.len() - 40..bytes.len());
    }

    #[test]
    fn a_key_file_is_its_header_then_its_wrapped_key() {
        let f = file("kek", "id-1", Mechanism::Kwp, 40);
        let bytes = f.to_bytes().unwrap();
        let ranges = of_key_file(&bytes).unwrap();
        assert_tiles(&ranges, bytes.len());
        let names: Vec<_> = ranges.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names[..6],
            [
                "magic",
                "version",
                "mechanism",
                "key class",
                "key type",
                "key length"
            ]
        );
        let a = ranges.iter().find(|r| r.name == "C[0] = A").unwrap();
        assert_eq!(a.range.start, bytes.len() - 40);
        let mech = ranges.iter().find(|r| r.name == "mechanism").unwrap();
        assert!(mech.meaning.contains("-m 6"), "{}", mech.meaning);
        let label = ranges.iter().find(|r| r.name == "label").unwrap();
        assert!(label.meaning.contains("\"kek\""));
        let flags = ranges.iter().find(|r| r.name == "flags").unwrap();
        assert!(flags.meaning.contains("SENSITIVE on"));
    }

    #[test]
    fn a_bad_file_gets_the_headers_error() {
        assert!(matches!(
            of_key_file(b"nope"),
            Err(ByteMapError::Header(HeaderError::BadMagic))
        ));
        let mut bytes = file("x", "", Mechanism::Kw, 24).to_bytes().unwrap();
        bytes.truncate(bytes.len() - 1);
        assert!(matches!(of_key_file(&bytes), Err(ByteMapError::Header(_))));
    }
}
