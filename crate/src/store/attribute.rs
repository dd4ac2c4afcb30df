//! Key attributes with `key_mgmt_util`'s numbers: a typed value enum
//! ([`Attribute`]) and a bare tag enum ([`AttributeType`]), as in cryptoki.

use core::fmt;

/// An object class (`OBJ_ATTR_CLASS`, `-c`, `-kc`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyClass {
    /// 2: a public key (an RSA public key here).
    Public,
    /// 3: a private key (an RSA private key here).
    Private,
    /// 4: a secret (symmetric) key.
    Secret,
}

impl KeyClass {
    /// The number `key_mgmt_util` uses.
    pub const fn number(self) -> u32 {
        match self {
            Self::Public => 2,
            Self::Private => 3,
            Self::Secret => 4,
        }
    }

    /// The class with that number.
    pub const fn from_number(n: u32) -> Option<Self> {
        match n {
            2 => Some(Self::Public),
            3 => Some(Self::Private),
            4 => Some(Self::Secret),
            _ => None,
        }
    }
}

/// A key type (`OBJ_ATTR_KEY_TYPE`, `-t`, `-kt`).
///
/// Generic secrets, AES keys and RSA key pairs live in this HSM; the other
/// numbers `key_mgmt_util` knows are parsed so that they can be refused
/// precisely.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyType {
    /// 0: RSA (key pairs only: refused where a secret key is asked for).
    Rsa,
    /// 1: DSA (refused here).
    Dsa,
    /// 3: EC (refused here).
    Ec,
    /// 16: a generic secret.
    GenericSecret,
    /// 18: RC4 (refused here; not valid on FIPS-mode HSMs).
    Rc4,
    /// 21: triple DES (refused here).
    Des3,
    /// 31: AES.
    Aes,
}

impl KeyType {
    /// The number `key_mgmt_util` uses.
    pub const fn number(self) -> u32 {
        match self {
            Self::Rsa => 0,
            Self::Dsa => 1,
            Self::Ec => 3,
            Self::GenericSecret => 16,
            Self::Rc4 => 18,
            Self::Des3 => 21,
            Self::Aes => 31,
        }
    }

    /// The type with that number.
    pub const fn from_number(n: u32) -> Option<Self> {
        match n {
            0 => Some(Self::Rsa),
            1 => Some(Self::Dsa),
            3 => Some(Self::Ec),
            16 => Some(Self::GenericSecret),
            18 => Some(Self::Rc4),
            21 => Some(Self::Des3),
            31 => Some(Self::Aes),
            _ => None,
        }
    }

    /// Whether this virtual HSM can hold keys of this type.
    pub const fn is_supported(self) -> bool {
        matches!(self, Self::GenericSecret | Self::Aes)
    }

    /// A short name for tables: `AES`, `GENERIC_SECRET`, …
    pub const fn name(self) -> &'static str {
        match self {
            Self::Rsa => "RSA",
            Self::Dsa => "DSA",
            Self::Ec => "EC",
            Self::GenericSecret => "GENERIC_SECRET",
            Self::Rc4 => "RC4",
            Self::Des3 => "DES3",
            Self::Aes => "AES",
        }
    }
}

/// The bare tag of an attribute, with `key_mgmt_util`'s number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AttributeType {
    /// 0 `OBJ_ATTR_CLASS`.
    Class,
    /// 1 `OBJ_ATTR_TOKEN`: persistent (1) or session (0).
    Token,
    /// 2 `OBJ_ATTR_PRIVATE`.
    Private,
    /// 3 `OBJ_ATTR_LABEL`.
    Label,
    /// 134 `OBJ_ATTR_TRUSTED`: only the crypto officer sets it.
    Trusted,
    /// 256 `OBJ_ATTR_KEY_TYPE`.
    KeyType,
    /// 258 `OBJ_ATTR_ID`.
    Id,
    /// 259 `OBJ_ATTR_SENSITIVE`: can only go false → true.
    Sensitive,
    /// 260 `OBJ_ATTR_ENCRYPT`.
    Encrypt,
    /// 261 `OBJ_ATTR_DECRYPT`.
    Decrypt,
    /// 262 `OBJ_ATTR_WRAP`: needed by a wrapping key.
    Wrap,
    /// 263 `OBJ_ATTR_UNWRAP`: needed by an unwrapping key.
    Unwrap,
    /// 288 `OBJ_ATTR_MODULUS` (`CKA_MODULUS`): an RSA key's modulus. RSA
    /// keys only, public and private halves alike.
    Modulus,
    /// 289 `OBJ_ATTR_MODULUS_BITS` (`CKA_MODULUS_BITS`): its size in bits.
    /// RSA keys only.
    ModulusBits,
    /// 290 `OBJ_ATTR_PUBLIC_EXPONENT` (`CKA_PUBLIC_EXPONENT`). RSA keys only.
    PublicExponent,
    /// 353 `OBJ_ATTR_VALUE_LEN`: the key's length in bytes.
    ValueLen,
    /// 354 `OBJ_ATTR_EXTRACTABLE`: can only go true → false.
    Extractable,
    /// 355 `OBJ_ATTR_LOCAL`: generated inside this HSM (maintained).
    Local,
    /// 356 `OBJ_ATTR_NEVER_EXTRACTABLE`: has never been extractable (maintained).
    NeverExtractable,
    /// 371 `OBJ_ATTR_KCV`: the key check value.
    Kcv,
    /// 528 `OBJ_ATTR_WRAP_WITH_TRUSTED`: only a trusted key may wrap it.
    WrapWithTrusted,
}

impl AttributeType {
    /// Every attribute, in the order `getAttribute -a 512` writes them
    /// (AWS's `genRSAKeyPair` example: MODULUS, MODULUS_BITS and
    /// PUBLIC_EXPONENT after KCV). A key is written with those it has: the
    /// three RSA attributes only for RSA keys ([`AttributeType::is_rsa_only`]).
    pub const ALL: [AttributeType; 21] = [
        Self::Class,
        Self::KeyType,
        Self::Token,
        Self::Private,
        Self::Encrypt,
        Self::Decrypt,
        Self::Wrap,
        Self::Unwrap,
        Self::Local,
        Self::Sensitive,
        Self::Extractable,
        Self::Label,
        Self::Id,
        Self::ValueLen,
        Self::Kcv,
        Self::Modulus,
        Self::ModulusBits,
        Self::PublicExponent,
        Self::Trusted,
        Self::WrapWithTrusted,
        Self::NeverExtractable,
    ];

    /// The number after `-a` meaning "all attributes".
    pub const ALL_NUMBER: u32 = 512;

    /// `key_mgmt_util`'s number for the attribute.
    pub const fn number(self) -> u32 {
        match self {
            Self::Class => 0,
            Self::Token => 1,
            Self::Private => 2,
            Self::Label => 3,
            Self::Trusted => 134,
            Self::KeyType => 256,
            Self::Id => 258,
            Self::Sensitive => 259,
            Self::Encrypt => 260,
            Self::Decrypt => 261,
            Self::Wrap => 262,
            Self::Unwrap => 263,
            Self::Modulus => 288,
            Self::ModulusBits => 289,
            Self::PublicExponent => 290,
            Self::ValueLen => 353,
            Self::Extractable => 354,
            Self::Local => 355,
            Self::NeverExtractable => 356,
            Self::Kcv => 371,
            Self::WrapWithTrusted => 528,
        }
    }

    /// The attribute with that number.
    pub fn from_number(n: u32) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.number() == n)
    }

    /// The name in `getAttribute` files: `OBJ_ATTR_<NAME>`.
    pub const fn kmu_name(self) -> &'static str {
        match self {
            Self::Class => "OBJ_ATTR_CLASS",
            Self::Token => "OBJ_ATTR_TOKEN",
            Self::Private => "OBJ_ATTR_PRIVATE",
            Self::Label => "OBJ_ATTR_LABEL",
            Self::Trusted => "OBJ_ATTR_TRUSTED",
            Self::KeyType => "OBJ_ATTR_KEY_TYPE",
            Self::Id => "OBJ_ATTR_ID",
            Self::Sensitive => "OBJ_ATTR_SENSITIVE",
            Self::Encrypt => "OBJ_ATTR_ENCRYPT",
            Self::Decrypt => "OBJ_ATTR_DECRYPT",
            Self::Wrap => "OBJ_ATTR_WRAP",
            Self::Unwrap => "OBJ_ATTR_UNWRAP",
            Self::Modulus => "OBJ_ATTR_MODULUS",
            Self::ModulusBits => "OBJ_ATTR_MODULUS_BITS",
            Self::PublicExponent => "OBJ_ATTR_PUBLIC_EXPONENT",
            Self::ValueLen => "OBJ_ATTR_VALUE_LEN",
            Self::Extractable => "OBJ_ATTR_EXTRACTABLE",
            Self::Local => "OBJ_ATTR_LOCAL",
            Self::NeverExtractable => "OBJ_ATTR_NEVER_EXTRACTABLE",
            Self::Kcv => "OBJ_ATTR_KCV",
            Self::WrapWithTrusted => "OBJ_ATTR_WRAP_WITH_TRUSTED",
        }
    }

    /// Whether the attribute's value is a boolean flag.
    pub const fn is_flag(self) -> bool {
        !matches!(
            self,
            Self::Class
                | Self::KeyType
                | Self::Label
                | Self::Id
                | Self::ValueLen
                | Self::Kcv
                | Self::Modulus
                | Self::ModulusBits
                | Self::PublicExponent
        )
    }

    /// Whether only RSA keys have this attribute (PKCS#11's `CKA_MODULUS`,
    /// `CKA_MODULUS_BITS`, `CKA_PUBLIC_EXPONENT`): asking a secret key for
    /// one is refused, as AWS documents for "the modulus of an AES key".
    pub const fn is_rsa_only(self) -> bool {
        matches!(
            self,
            Self::Modulus | Self::ModulusBits | Self::PublicExponent
        )
    }
}

impl fmt::Display for AttributeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kmu_name())
    }
}

/// An attribute with its typed value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Attribute {
    /// `OBJ_ATTR_CLASS`.
    Class(KeyClass),
    /// `OBJ_ATTR_TOKEN`.
    Token(bool),
    /// `OBJ_ATTR_PRIVATE`.
    Private(bool),
    /// `OBJ_ATTR_LABEL`.
    Label(String),
    /// `OBJ_ATTR_TRUSTED`.
    Trusted(bool),
    /// `OBJ_ATTR_KEY_TYPE`.
    KeyType(KeyType),
    /// `OBJ_ATTR_ID`.
    Id(String),
    /// `OBJ_ATTR_SENSITIVE`.
    Sensitive(bool),
    /// `OBJ_ATTR_ENCRYPT`.
    Encrypt(bool),
    /// `OBJ_ATTR_DECRYPT`.
    Decrypt(bool),
    /// `OBJ_ATTR_WRAP`.
    Wrap(bool),
    /// `OBJ_ATTR_UNWRAP`.
    Unwrap(bool),
    /// `OBJ_ATTR_MODULUS`: the modulus, big-endian (public, never secret).
    Modulus(Vec<u8>),
    /// `OBJ_ATTR_MODULUS_BITS`.
    ModulusBits(u32),
    /// `OBJ_ATTR_PUBLIC_EXPONENT`: big-endian bytes, no leading zero.
    PublicExponent(Vec<u8>),
    /// `OBJ_ATTR_VALUE_LEN`, in bytes.
    ValueLen(u32),
    /// `OBJ_ATTR_EXTRACTABLE`.
    Extractable(bool),
    /// `OBJ_ATTR_LOCAL`.
    Local(bool),
    /// `OBJ_ATTR_NEVER_EXTRACTABLE`.
    NeverExtractable(bool),
    /// `OBJ_ATTR_KCV`: three bytes.
    Kcv([u8; 3]),
    /// `OBJ_ATTR_WRAP_WITH_TRUSTED`.
    WrapWithTrusted(bool),
}

impl Attribute {
    /// The bare tag of this attribute.
    pub const fn attribute_type(&self) -> AttributeType {
        match self {
            Self::Class(_) => AttributeType::Class,
            Self::Token(_) => AttributeType::Token,
            Self::Private(_) => AttributeType::Private,
            Self::Label(_) => AttributeType::Label,
            Self::Trusted(_) => AttributeType::Trusted,
            Self::KeyType(_) => AttributeType::KeyType,
            Self::Id(_) => AttributeType::Id,
            Self::Sensitive(_) => AttributeType::Sensitive,
            Self::Encrypt(_) => AttributeType::Encrypt,
            Self::Decrypt(_) => AttributeType::Decrypt,
            Self::Wrap(_) => AttributeType::Wrap,
            Self::Unwrap(_) => AttributeType::Unwrap,
            Self::Modulus(_) => AttributeType::Modulus,
            Self::ModulusBits(_) => AttributeType::ModulusBits,
            Self::PublicExponent(_) => AttributeType::PublicExponent,
            Self::ValueLen(_) => AttributeType::ValueLen,
            Self::Extractable(_) => AttributeType::Extractable,
            Self::Local(_) => AttributeType::Local,
            Self::NeverExtractable(_) => AttributeType::NeverExtractable,
            Self::Kcv(_) => AttributeType::Kcv,
            Self::WrapWithTrusted(_) => AttributeType::WrapWithTrusted,
        }
    }

    /// The value as a `getAttribute` file writes it: `0x%02x` for flags,
    /// class and type, `0x%08x` for the lengths (VALUE_LEN, MODULUS_BITS),
    /// `0x` and lowercase hex for the byte strings (six digits for the KCV,
    /// all of the modulus and the exponent: AWS's `genRSAKeyPair` example
    /// shows `0x010001` and a `0x…` modulus of 512 digits for 2048 bits),
    /// the text itself for label and id.
    ///
    /// The modulus is written on one line. AWS's example breaks it every
    /// 80 characters, but its ECC example writes a 130-digit value on one
    /// line, so the breaks look like the page's, not the tool's.
    pub fn kmu_value(&self) -> String {
        match self {
            Self::Class(c) => format!("0x{:02x}", c.number()),
            Self::KeyType(t) => format!("0x{:02x}", t.number()),
            Self::Label(s) | Self::Id(s) => s.clone(),
            Self::ValueLen(n) | Self::ModulusBits(n) => format!("0x{n:08x}"),
            Self::Kcv(k) => format!("0x{:02x}{:02x}{:02x}", k[0], k[1], k[2]),
            Self::Modulus(b) | Self::PublicExponent(b) => {
                format!("0x{}", crate::encoding::encode_hex(b))
            }
            Self::Token(b)
            | Self::Private(b)
            | Self::Trusted(b)
            | Self::Sensitive(b)
            | Self::Encrypt(b)
            | Self::Decrypt(b)
            | Self::Wrap(b)
            | Self::Unwrap(b)
            | Self::Extractable(b)
            | Self::Local(b)
            | Self::NeverExtractable(b)
            | Self::WrapWithTrusted(b) => format!("0x{:02x}", u8::from(*b)),
        }
    }

    /// The size of the value in bytes, as the HSM stores it (used for
    /// `getAttribute`'s "Attribute size").
    pub fn value_size(&self) -> usize {
        match self {
            Self::Label(s) | Self::Id(s) => s.len(),
            Self::Modulus(b) | Self::PublicExponent(b) => b.len(),
            Self::Class(_) | Self::KeyType(_) | Self::ValueLen(_) | Self::ModulusBits(_) => 4,
            Self::Kcv(_) => 3,
            _ => 1,
        }
    }
}
