//! The three wrapping mechanisms and what other tools call them.

use core::fmt;
use core::str::FromStr;

use crate::Error;

/// An AES key wrapping mechanism.
///
/// | | standard | key data | IV |
/// | --- | --- | --- | --- |
/// | [`Kw`](Mechanism::Kw) | RFC 3394, NIST SP 800-38F KW | multiple of 8 bytes, at least 16 | `A6A6A6A6A6A6A6A6` or your own |
/// | [`Kwp`](Mechanism::Kwp) | RFC 5649, NIST SP 800-38F KWP | 1 byte or more | always `A65959A6` ‖ length |
/// | [`KwPkcs5`](Mechanism::KwPkcs5) | vendor (AWS CloudHSM), *not* SP 800-38F | 8 bytes or more | `A6A6A6A6A6A6A6A6` or your own |
///
/// [`Mechanism::names`] gives the names the same mechanism goes by in
/// CloudHSM's two command lines, PKCS#11, OpenSSL and WebCrypto.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mechanism {
    /// AES Key Wrap, RFC 3394 / SP 800-38F KW: the wrapping function W over
    /// the key data, which must be a whole number (at least 2) of 8-byte
    /// semiblocks.
    Kw,
    /// AES Key Wrap with Padding, RFC 5649 / SP 800-38F KWP: zero padding to
    /// a multiple of 8 bytes and an initial value that carries the length, so
    /// any key length from 1 byte works.
    Kwp,
    /// AES Key Wrap after PKCS#5 (PKCS#7) padding: 1 to 8 bytes of value `p`
    /// bring the key data to a multiple of 8, then KW as in RFC 3394. This is
    /// AWS CloudHSM's `AES_KEY_WRAP_PAD_PKCS5` (key_mgmt_util `-m 4`,
    /// CloudHSM CLI `aes-pkcs5-pad`); it is a vendor mechanism, not part of
    /// NIST SP 800-38F.
    KwPkcs5,
}

/// The names one [`Mechanism`] goes by, for the UI and `help mechanisms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MechanismNames {
    /// The mechanism these names belong to.
    pub mechanism: Mechanism,
    /// A short title, e.g. `AES-KW`.
    pub title: &'static str,
    /// The standard (or vendor) that defines it.
    pub standard: &'static str,
    /// The `--mode` value of the `keywrap` command: `kw`, `kwp`, `kw-pkcs5`.
    pub keywrap_mode: &'static str,
    /// AWS CloudHSM key_mgmt_util's `-m` number.
    pub kmu_number: u8,
    /// AWS CloudHSM key_mgmt_util's name for that number.
    pub kmu_name: &'static str,
    /// AWS CloudHSM CLI's `key wrap` / `key unwrap` sub-command.
    pub cloudhsm_cli: &'static str,
    /// The PKCS#11 mechanism name.
    pub pkcs11_name: &'static str,
    /// The PKCS#11 mechanism value (`CKM_*`).
    pub pkcs11_value: u32,
    /// Where PKCS#11 implementations disagree, what to watch for.
    pub pkcs11_note: Option<&'static str>,
    /// OpenSSL's cipher name for a 256-bit KEK (`id-aes128-…` and
    /// `id-aes192-…` for the smaller KEKs, see
    /// [`Mechanism::openssl_cipher`]), if OpenSSL has the mechanism.
    pub openssl: Option<&'static str>,
    /// The WebCrypto algorithm name, if WebCrypto has the mechanism.
    pub webcrypto: Option<&'static str>,
}

const NAMES: [MechanismNames; 3] = [
    MechanismNames {
        mechanism: Mechanism::Kw,
        title: "AES-KW",
        standard: "RFC 3394; NIST SP 800-38F KW",
        keywrap_mode: "kw",
        kmu_number: 5,
        kmu_name: "NIST_AES_WRAP_NO_PAD",
        cloudhsm_cli: "aes-no-pad",
        pkcs11_name: "CKM_AES_KEY_WRAP",
        pkcs11_value: 0x2109,
        pkcs11_note: None,
        openssl: Some("id-aes256-wrap"),
        webcrypto: Some("AES-KW"),
    },
    MechanismNames {
        mechanism: Mechanism::Kwp,
        title: "AES-KWP",
        standard: "RFC 5649; NIST SP 800-38F KWP",
        keywrap_mode: "kwp",
        kmu_number: 6,
        kmu_name: "NIST_AES_WRAP_PAD",
        cloudhsm_cli: "aes-zero-pad",
        pkcs11_name: "CKM_AES_KEY_WRAP_KWP",
        pkcs11_value: 0x210B,
        pkcs11_note: Some(
            "SoftHSM2 implements RFC 5649 under CKM_AES_KEY_WRAP_PAD (0x210A) instead, \
             and zero-pads keys whose length is not a multiple of 8 before wrapping",
        ),
        openssl: Some("id-aes256-wrap-pad"),
        webcrypto: None,
    },
    MechanismNames {
        mechanism: Mechanism::KwPkcs5,
        title: "AES-KW-PKCS5",
        standard: "AWS CloudHSM vendor mechanism (PKCS#5 padding, then RFC 3394); not in NIST SP 800-38F",
        keywrap_mode: "kw-pkcs5",
        kmu_number: 4,
        kmu_name: "AES_KEY_WRAP_PAD_PKCS5",
        cloudhsm_cli: "aes-pkcs5-pad",
        pkcs11_name: "CKM_AES_KEY_WRAP_PAD",
        pkcs11_value: 0x210A,
        pkcs11_note: Some(
            "PKCS#11 3.0 defines CKM_AES_KEY_WRAP_PAD (0x210A) as RFC 3394 after PKCS padding, \
             as CloudHSM documents it; SoftHSM2 uses 0x210A for RFC 5649 instead",
        ),
        openssl: None,
        webcrypto: None,
    },
];

/// An RSA wrapping mechanism of the virtual HSM: the two constructions
/// every BYOK import takes (`crate::byok`), with a public key wrapping and
/// its private key unwrapping. Not a [`Mechanism`]: no W runs over the key
/// itself (RSA-AES runs KWP under a fresh AES key; RSA-OAEP runs none).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RsaMechanism {
    /// `CKM_RSA_AES_KEY_WRAP`: RSA-OAEP of a fresh AES-256 key ‖ KWP of
    /// the key under it (key_mgmt_util `-m 7`, CloudHSM CLI `rsa-aes`).
    RsaAes,
    /// `CKM_RSA_PKCS_OAEP`: RSA-OAEP of the key itself (`-m 8`, `rsa-oaep`).
    RsaOaep,
}

/// One row of `help mechanisms`: the names of one mechanism, AES or RSA,
/// across CloudHSM's two command lines, PKCS#11, OpenSSL and WebCrypto.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MechanismRow {
    /// key_mgmt_util's `-m` number.
    pub kmu_number: u8,
    /// key_mgmt_util's name for it.
    pub kmu_name: &'static str,
    /// A short title.
    pub title: &'static str,
    /// The standard (or vendor) that defines it.
    pub standard: &'static str,
    /// CloudHSM CLI's `key wrap` / `key unwrap` sub-command.
    pub cloudhsm_cli: &'static str,
    /// The PKCS#11 mechanism name.
    pub pkcs11_name: &'static str,
    /// The PKCS#11 mechanism value.
    pub pkcs11_value: u32,
    /// Where implementations disagree, what to watch for.
    pub pkcs11_note: Option<&'static str>,
    /// OpenSSL's name for it (a cipher, or the `pkeyutl` recipe).
    pub openssl: Option<&'static str>,
    /// WebCrypto's algorithm, if any.
    pub webcrypto: Option<&'static str>,
}

impl From<&MechanismNames> for MechanismRow {
    fn from(n: &MechanismNames) -> Self {
        MechanismRow {
            kmu_number: n.kmu_number,
            kmu_name: n.kmu_name,
            title: n.title,
            standard: n.standard,
            cloudhsm_cli: n.cloudhsm_cli,
            pkcs11_name: n.pkcs11_name,
            pkcs11_value: n.pkcs11_value,
            pkcs11_note: n.pkcs11_note,
            openssl: n.openssl,
            webcrypto: n.webcrypto,
        }
    }
}

/// The RSA rows of the names table (FACTS.md, "BYOK" and "AWS CloudHSM
/// key_mgmt_util": `-m 7 RSA_AES`, `-m 8 RSA_OAEP`; PKCS#11 3.0 values).
const RSA_NAMES: [MechanismRow; 2] = [
    MechanismRow {
        kmu_number: 7,
        kmu_name: "RSA_AES",
        title: "RSA-AES",
        standard: "PKCS#11 CKM_RSA_AES_KEY_WRAP: RSA-OAEP of a fresh AES-256 key, then RFC 5649 \
                   KWP of the key under it (RSA part first); -t 2 SHA-1, 3 SHA-256 for OAEP and MGF1",
        cloudhsm_cli: "rsa-aes",
        pkcs11_name: "CKM_RSA_AES_KEY_WRAP",
        pkcs11_value: 0x1054,
        pkcs11_note: None,
        openssl: Some("pkeyutl + id-aes256-wrap-pad"),
        webcrypto: None,
    },
    MechanismRow {
        kmu_number: 8,
        kmu_name: "RSA_OAEP",
        title: "RSA-OAEP",
        standard: "RFC 8017 RSAES-OAEP of the key itself, empty label; -t 2 SHA-1, 3 SHA-256 \
                   for OAEP and MGF1",
        cloudhsm_cli: "rsa-oaep",
        pkcs11_name: "CKM_RSA_PKCS_OAEP",
        pkcs11_value: 0x0009,
        pkcs11_note: None,
        openssl: Some("pkeyutl"),
        webcrypto: Some("RSA-OAEP"),
    },
];

impl RsaMechanism {
    /// Both, in `-m` order.
    pub const ALL: [RsaMechanism; 2] = [RsaMechanism::RsaAes, RsaMechanism::RsaOaep];

    /// Its names across tools.
    pub fn names(self) -> &'static MechanismRow {
        match self {
            RsaMechanism::RsaAes => &RSA_NAMES[0],
            RsaMechanism::RsaOaep => &RSA_NAMES[1],
        }
    }

    /// key_mgmt_util's `-m`: 7 or 8.
    pub fn kmu_number(self) -> u8 {
        self.names().kmu_number
    }

    /// The mechanism with key_mgmt_util `-m` number `n` (7 or 8).
    pub fn from_kmu_number(n: u8) -> Option<RsaMechanism> {
        RsaMechanism::ALL.into_iter().find(|m| m.kmu_number() == n)
    }

    /// CloudHSM CLI's sub-command: `rsa-aes` or `rsa-oaep`.
    pub fn cli_name(self) -> &'static str {
        self.names().cloudhsm_cli
    }

    /// The mechanism CloudHSM CLI calls `name`.
    pub fn from_cli_name(name: &str) -> Option<RsaMechanism> {
        RsaMechanism::ALL.into_iter().find(|m| m.cli_name() == name)
    }
}

impl fmt::Display for RsaMechanism {
    /// `RSA-AES (CKM_RSA_AES_KEY_WRAP)` or `RSA-OAEP (CKM_RSA_PKCS_OAEP)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.names();
        write!(f, "{} ({})", n.title, n.pkcs11_name)
    }
}

impl Mechanism {
    /// Every row of `help mechanisms`, AES and RSA, by key_mgmt_util number.
    pub fn rows() -> Vec<MechanismRow> {
        let mut rows: Vec<MechanismRow> = NAMES.iter().map(MechanismRow::from).collect();
        rows.extend(RSA_NAMES);
        rows.sort_by_key(|r| r.kmu_number);
        rows
    }

    /// All mechanisms, in the order KW, KWP, KW-PKCS#5.
    pub const ALL: [Mechanism; 3] = [Mechanism::Kw, Mechanism::Kwp, Mechanism::KwPkcs5];

    /// The table of names for every mechanism (KW, KWP, KW-PKCS#5).
    pub fn table() -> &'static [MechanismNames; 3] {
        &NAMES
    }

    /// The names this mechanism goes by in other tools.
    pub fn names(self) -> &'static MechanismNames {
        match self {
            Mechanism::Kw => &NAMES[0],
            Mechanism::Kwp => &NAMES[1],
            Mechanism::KwPkcs5 => &NAMES[2],
        }
    }

    /// AWS CloudHSM key_mgmt_util's `-m` number: 5 (KW), 6 (KWP), 4 (KW-PKCS#5).
    pub fn kmu_number(self) -> u8 {
        self.names().kmu_number
    }

    /// The mechanism with key_mgmt_util `-m` number `n`, if it is one of
    /// these three (the other numbers are RSA and GCM mechanisms).
    pub fn from_kmu_number(n: u8) -> Option<Mechanism> {
        Mechanism::ALL.into_iter().find(|m| m.kmu_number() == n)
    }

    /// A name for people, e.g. `AES-KW (RFC 3394)`.
    pub fn display_name(self) -> &'static str {
        match self {
            Mechanism::Kw => "AES-KW (RFC 3394)",
            Mechanism::Kwp => "AES-KWP (RFC 5649)",
            Mechanism::KwPkcs5 => "AES-KW with PKCS#5 padding (CloudHSM)",
        }
    }

    /// The `keywrap --mode` value: `kw`, `kwp` or `kw-pkcs5`.
    pub fn mode_name(self) -> &'static str {
        self.names().keywrap_mode
    }

    /// Whether a custom IV may be given (KW and KW-PKCS#5: yes; KWP: no).
    pub fn takes_custom_iv(self) -> bool {
        !matches!(self, Mechanism::Kwp)
    }

    /// Whether NIST SP 800-38F defines the mechanism.
    pub fn in_sp800_38f(self) -> bool {
        !matches!(self, Mechanism::KwPkcs5)
    }

    /// OpenSSL's cipher name for a KEK of `kek_len` bytes, e.g.
    /// `id-aes128-wrap` or `id-aes256-wrap-pad`; `None` if OpenSSL lacks the
    /// mechanism or the KEK length is not an AES key length.
    pub fn openssl_cipher(self, kek_len: usize) -> Option<&'static str> {
        match (self, kek_len) {
            (Mechanism::Kw, 16) => Some("id-aes128-wrap"),
            (Mechanism::Kw, 24) => Some("id-aes192-wrap"),
            (Mechanism::Kw, 32) => Some("id-aes256-wrap"),
            (Mechanism::Kwp, 16) => Some("id-aes128-wrap-pad"),
            (Mechanism::Kwp, 24) => Some("id-aes192-wrap-pad"),
            (Mechanism::Kwp, 32) => Some("id-aes256-wrap-pad"),
            _ => None,
        }
    }
}

impl fmt::Display for Mechanism {
    /// Writes [`Mechanism::display_name`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

impl FromStr for Mechanism {
    type Err = Error;

    /// Accepts, in any case: the `keywrap` modes (`kw`, `kwp`, `kw-pkcs5`),
    /// the CloudHSM CLI names (`aes-no-pad`, `aes-zero-pad`,
    /// `aes-pkcs5-pad`), the key_mgmt_util numbers and names (`5`,
    /// `NIST_AES_WRAP_NO_PAD`, …), `rfc3394`, `rfc5649`, `aes-kw`, `aes-kwp`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        for names in &NAMES {
            if lower == names.keywrap_mode
                || lower == names.cloudhsm_cli
                || lower == names.kmu_name.to_ascii_lowercase()
                || lower == names.kmu_number.to_string()
            {
                return Ok(names.mechanism);
            }
        }
        match lower.as_str() {
            "rfc3394" | "aes-kw" => Ok(Mechanism::Kw),
            "rfc5649" | "aes-kwp" => Ok(Mechanism::Kwp),
            "pkcs5" | "aes-kw-pkcs5" => Ok(Mechanism::KwPkcs5),
            _ => Err(Error::UnknownName {
                kind: "mechanism",
                name: s.to_owned(),
                expected: "kw, kwp or kw-pkcs5 (or aes-no-pad, aes-zero-pad, aes-pkcs5-pad; \
                           or key_mgmt_util's 5, 6, 4)",
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kmu_numbers_round_trip() {
        for m in Mechanism::ALL {
            assert_eq!(Mechanism::from_kmu_number(m.kmu_number()), Some(m));
        }
        assert_eq!(Mechanism::Kw.kmu_number(), 5);
        assert_eq!(Mechanism::Kwp.kmu_number(), 6);
        assert_eq!(Mechanism::KwPkcs5.kmu_number(), 4);
        assert_eq!(Mechanism::from_kmu_number(7), None);
    }

    #[test]
    fn parse_names() {
        for m in Mechanism::ALL {
            let n = m.names();
            assert_eq!(n.mechanism, m);
            for s in [n.keywrap_mode, n.cloudhsm_cli, n.kmu_name] {
                assert_eq!(s.parse::<Mechanism>(), Ok(m));
            }
            assert_eq!(n.kmu_number.to_string().parse::<Mechanism>(), Ok(m));
        }
        assert_eq!("KWP".parse::<Mechanism>(), Ok(Mechanism::Kwp));
        assert!(matches!(
            "gcm".parse::<Mechanism>(),
            Err(Error::UnknownName { .. })
        ));
    }

    #[test]
    fn rsa_rows_join_the_table_in_kmu_order() {
        let rows = Mechanism::rows();
        let numbers: Vec<u8> = rows.iter().map(|r| r.kmu_number).collect();
        assert_eq!(numbers, [4, 5, 6, 7, 8]);
        assert_eq!(RsaMechanism::RsaAes.names().pkcs11_value, 0x1054);
        assert_eq!(RsaMechanism::RsaOaep.names().pkcs11_value, 0x0009);
        assert_eq!(RsaMechanism::from_kmu_number(7), Some(RsaMechanism::RsaAes));
        assert_eq!(
            RsaMechanism::from_kmu_number(8),
            Some(RsaMechanism::RsaOaep)
        );
        assert_eq!(RsaMechanism::from_kmu_number(5), None);
        assert_eq!(
            RsaMechanism::from_cli_name("rsa-oaep"),
            Some(RsaMechanism::RsaOaep)
        );
        assert_eq!(RsaMechanism::RsaOaep.names().webcrypto, Some("RSA-OAEP"));
        assert_eq!(RsaMechanism::RsaAes.names().webcrypto, None);
        // The AES rows are the same values as the AES table.
        assert_eq!(rows[1], MechanismRow::from(Mechanism::Kw.names()));
    }

    #[test]
    fn pkcs11_values() {
        assert_eq!(Mechanism::Kw.names().pkcs11_value, 0x2109);
        assert_eq!(Mechanism::Kwp.names().pkcs11_value, 0x210B);
        assert_eq!(Mechanism::KwPkcs5.names().pkcs11_value, 0x210A);
        assert_eq!(Mechanism::Kw.openssl_cipher(24), Some("id-aes192-wrap"));
        assert_eq!(Mechanism::KwPkcs5.openssl_cipher(32), None);
    }
}
