//! Key objects: a value, its attributes, an owner and the users it is shared with.

use std::collections::BTreeSet;

use super::attribute::{Attribute, AttributeType, KeyClass, KeyType};
use super::handle::KeyHandle;
use super::rsa::RsaKeyInfo;
use super::user::UserId;
use crate::SecretBytes;
use crate::kcv::{KcvMethod, key_check_value};

/// The attributes of a key, one typed field each (no key bytes here).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyAttributes {
    /// `OBJ_ATTR_CLASS`: [`KeyClass::Secret`], or public / private for RSA.
    pub class: KeyClass,
    /// `OBJ_ATTR_KEY_TYPE`: AES, generic secret or RSA.
    pub key_type: KeyType,
    /// `OBJ_ATTR_LABEL`.
    pub label: String,
    /// `OBJ_ATTR_ID`.
    pub id: String,
    /// `OBJ_ATTR_TOKEN`: persistent (true) or session (false) key.
    pub token: bool,
    /// `OBJ_ATTR_PRIVATE`.
    pub private: bool,
    /// `OBJ_ATTR_TRUSTED`.
    pub trusted: bool,
    /// `OBJ_ATTR_SENSITIVE`.
    pub sensitive: bool,
    /// `OBJ_ATTR_ENCRYPT`.
    pub encrypt: bool,
    /// `OBJ_ATTR_DECRYPT`.
    pub decrypt: bool,
    /// `OBJ_ATTR_WRAP`.
    pub wrap: bool,
    /// `OBJ_ATTR_UNWRAP`.
    pub unwrap: bool,
    /// `OBJ_ATTR_EXTRACTABLE`.
    pub extractable: bool,
    /// `OBJ_ATTR_LOCAL`.
    pub local: bool,
    /// `OBJ_ATTR_NEVER_EXTRACTABLE`.
    pub never_extractable: bool,
    /// `OBJ_ATTR_WRAP_WITH_TRUSTED`.
    pub wrap_with_trusted: bool,
    /// `OBJ_ATTR_VALUE_LEN`, in bytes (for an RSA key, the modulus: see
    /// [`KeyAttributes::new_rsa`]).
    pub value_len: u32,
    /// `OBJ_ATTR_KCV`: first three bytes of AES-ECB(key, 0¹²⁸) for AES keys;
    /// for RSA keys the first three bytes of SHA-256 of the key's DER (see
    /// [`KeyAttributes::new_rsa`]).
    pub kcv: [u8; 3],
    /// RSA keys only: modulus and its size, exponent, fingerprint, the other
    /// half. The source of OBJ_ATTR_MODULUS, MODULUS_BITS and
    /// PUBLIC_EXPONENT, which a secret key lacks ([`KeyAttributes::get`]).
    pub rsa: Option<RsaKeyInfo>,
}

/// The KCV this HSM records: CloudHSM's (AES-ECB of a zero block) for keys
/// of AES length; generic secrets of other lengths have none (`000000`).
pub(crate) fn kcv_of(value: &[u8]) -> [u8; 3] {
    key_check_value(value, KcvMethod::Ecb).unwrap_or([0; 3])
}

impl KeyAttributes {
    /// The attributes this HSM gives a secret key it creates (generated,
    /// unwrapped or imported), before the creating command's own choices:
    /// persistent, private, not trusted, not sensitive, extractable, not
    /// local, never-extractable and wrap-with-trusted off; the length and KCV
    /// of `value`. AES keys may encrypt, decrypt, wrap and unwrap, as KMU
    /// creates them; generic secrets (HMAC keys) none of these.
    ///
    /// Callers override what their command decides with struct update
    /// syntax (`KeyAttributes { token: !sess, ..KeyAttributes::new_secret(…) }`),
    /// so every difference between commands stands where it is decided.
    pub(crate) fn new_secret(key_type: KeyType, label: &str, id: &str, value: &[u8]) -> Self {
        let usage = key_type == KeyType::Aes;
        KeyAttributes {
            class: KeyClass::Secret,
            key_type,
            label: label.to_owned(),
            id: id.to_owned(),
            token: true,
            private: true,
            trusted: false,
            sensitive: false,
            encrypt: usage,
            decrypt: usage,
            wrap: usage,
            unwrap: usage,
            extractable: true,
            local: false,
            never_extractable: false,
            wrap_with_trusted: false,
            // A value this HSM holds is at most a few KiB; saturate rather than fail.
            value_len: u32::try_from(value.len()).unwrap_or(u32::MAX),
            kcv: kcv_of(value),
            rsa: None,
        }
    }

    /// The attributes this HSM gives one half of an RSA key pair, as
    /// CloudHSM's `genRSAKeyPair` and PKCS#11's defaults make them:
    ///
    /// - public: not private, not sensitive, extractable, ENCRYPT and WRAP;
    /// - private: private, **sensitive**, extractable, DECRYPT and UNWRAP.
    ///
    /// `value` is the DER the store keeps (SPKI or PKCS#8). VALUE_LEN is
    /// the modulus in bytes, `k` (PKCS#11 gives RSA keys no CKA_VALUE_LEN,
    /// only CKA_MODULUS_BITS, which `rsa` answers as OBJ_ATTR_MODULUS_BITS;
    /// the byte length keeps the page's one size column meaningful). Real
    /// CloudHSM does print a length for RSA keys, but not `k`: AWS's
    /// examples, all 2048-bit, show OBJ_ATTR_VALUE_LEN 0x200 (512) for a
    /// public key in `getAttribute` and `key-length-bytes` 512 for the
    /// public, 1216 for the private key in CloudHSM CLI, and document no
    /// rule for other sizes; this HSM does not invent one. AWS documents
    /// no KCV rule for RSA keys (CloudHSM CLI shows a `check-value` for
    /// them without saying how it is made), so this HSM takes the first
    /// three bytes of SHA-256 of `value`: the halves of a pair differ, and
    /// the same key imported twice shows the same KCV, as a KCV should.
    pub(crate) fn new_rsa(
        class: KeyClass,
        label: &str,
        id: &str,
        value: &[u8],
        rsa: RsaKeyInfo,
    ) -> Self {
        use sha2::{Digest, Sha256};
        let private = class == KeyClass::Private;
        let digest = Sha256::digest(value);
        let kcv = match digest.get(..3) {
            Some([a, b, c]) => [*a, *b, *c],
            _ => [0; 3],
        };
        KeyAttributes {
            class,
            key_type: KeyType::Rsa,
            label: label.to_owned(),
            id: id.to_owned(),
            token: true,
            private,
            trusted: false,
            sensitive: private,
            encrypt: !private,
            decrypt: private,
            wrap: !private,
            unwrap: private,
            extractable: true,
            local: false,
            never_extractable: false,
            wrap_with_trusted: false,
            value_len: u32::try_from(rsa.modulus_len()).unwrap_or(u32::MAX),
            kcv,
            rsa: Some(rsa),
        }
    }

    /// The typed value of one attribute, or `None` if the key has no such
    /// attribute: the RSA attributes (MODULUS, MODULUS_BITS,
    /// PUBLIC_EXPONENT) of a secret key.
    pub fn get(&self, attribute: AttributeType) -> Option<Attribute> {
        if attribute.is_rsa_only() {
            let rsa = self.rsa.as_ref()?;
            return Some(match attribute {
                AttributeType::Modulus => Attribute::Modulus(rsa.modulus.clone()),
                AttributeType::ModulusBits => Attribute::ModulusBits(rsa.modulus_bits),
                _ => Attribute::PublicExponent(rsa.public_exponent_bytes()),
            });
        }
        Some(match attribute {
            AttributeType::Class => Attribute::Class(self.class),
            AttributeType::Token => Attribute::Token(self.token),
            AttributeType::Private => Attribute::Private(self.private),
            AttributeType::Label => Attribute::Label(self.label.clone()),
            AttributeType::Trusted => Attribute::Trusted(self.trusted),
            AttributeType::KeyType => Attribute::KeyType(self.key_type),
            AttributeType::Id => Attribute::Id(self.id.clone()),
            AttributeType::Sensitive => Attribute::Sensitive(self.sensitive),
            AttributeType::Encrypt => Attribute::Encrypt(self.encrypt),
            AttributeType::Decrypt => Attribute::Decrypt(self.decrypt),
            AttributeType::Wrap => Attribute::Wrap(self.wrap),
            AttributeType::Unwrap => Attribute::Unwrap(self.unwrap),
            AttributeType::ValueLen => Attribute::ValueLen(self.value_len),
            AttributeType::Extractable => Attribute::Extractable(self.extractable),
            AttributeType::Local => Attribute::Local(self.local),
            AttributeType::NeverExtractable => Attribute::NeverExtractable(self.never_extractable),
            AttributeType::Kcv => Attribute::Kcv(self.kcv),
            AttributeType::WrapWithTrusted => Attribute::WrapWithTrusted(self.wrap_with_trusted),
            // Answered above from the RSA facts.
            AttributeType::Modulus | AttributeType::ModulusBits | AttributeType::PublicExponent => {
                return None;
            }
        })
    }

    /// Stores one attribute's value. Policy is not checked here: callers go
    /// through [`crate::store::policy::check_set_attribute`] first.
    pub(crate) fn set(&mut self, attribute: Attribute) {
        match attribute {
            Attribute::Class(v) => self.class = v,
            Attribute::Token(v) => self.token = v,
            Attribute::Private(v) => self.private = v,
            Attribute::Label(v) => self.label = v,
            Attribute::Trusted(v) => self.trusted = v,
            Attribute::KeyType(v) => self.key_type = v,
            Attribute::Id(v) => self.id = v,
            Attribute::Sensitive(v) => self.sensitive = v,
            Attribute::Encrypt(v) => self.encrypt = v,
            Attribute::Decrypt(v) => self.decrypt = v,
            Attribute::Wrap(v) => self.wrap = v,
            Attribute::Unwrap(v) => self.unwrap = v,
            Attribute::ValueLen(v) => self.value_len = v,
            Attribute::Extractable(v) => self.extractable = v,
            Attribute::Local(v) => self.local = v,
            Attribute::NeverExtractable(v) => self.never_extractable = v,
            Attribute::Kcv(v) => self.kcv = v,
            Attribute::WrapWithTrusted(v) => self.wrap_with_trusted = v,
            // Read-only facts of the key itself: the policy refuses them
            // (`PolicyError::ReadOnly`), and nothing here may change them.
            Attribute::Modulus(_) | Attribute::ModulusBits(_) | Attribute::PublicExponent(_) => {}
        }
    }

    /// Every attribute the key has, in `getAttribute -a 512` order (the
    /// RSA attributes only for an RSA key).
    pub fn all(&self) -> Vec<Attribute> {
        AttributeType::ALL
            .iter()
            .filter_map(|a| self.get(*a))
            .collect()
    }

    /// The KCV as six lowercase hex digits.
    pub fn kcv_hex(&self) -> String {
        format!("{:02x}{:02x}{:02x}", self.kcv[0], self.kcv[1], self.kcv[2])
    }
}

/// A key inside the HSM. Its value never leaves except through a wrap or
/// export that [`crate::store::policy`] allows, or a reveal that
/// [`crate::access`] allows.
#[derive(Debug)]
pub struct KeyObject {
    pub(crate) handle: KeyHandle,
    pub(crate) attributes: KeyAttributes,
    pub(crate) owner: UserId,
    pub(crate) shared_with: BTreeSet<UserId>,
    pub(crate) value: SecretBytes,
}

impl KeyObject {
    /// The key's handle.
    pub fn handle(&self) -> KeyHandle {
        self.handle
    }

    /// The key's attributes.
    pub fn attributes(&self) -> &KeyAttributes {
        &self.attributes
    }

    /// The user who created (and so owns) the key.
    pub fn owner(&self) -> UserId {
        self.owner
    }

    /// The users the owner shared the key with: they may use it, not export it.
    pub fn shared_with(&self) -> &BTreeSet<UserId> {
        &self.shared_with
    }

    /// Whether `user` owns the key or it is shared with them.
    pub fn usable_by(&self, user: UserId) -> bool {
        self.owner == user || self.shared_with.contains(&user)
    }

    /// The key bytes, for the crypto inside this crate only.
    pub(crate) fn value(&self) -> &SecretBytes {
        &self.value
    }

    /// Whether this is a secret (symmetric) key, the only class the AES
    /// mechanisms wrap and the BYOK packages carry.
    pub fn is_secret(&self) -> bool {
        self.attributes.class == KeyClass::Secret
    }

    /// The RSA facts, for an RSA key.
    pub fn rsa(&self) -> Option<&RsaKeyInfo> {
        self.attributes.rsa.as_ref()
    }
}
