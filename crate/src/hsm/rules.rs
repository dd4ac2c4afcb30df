//! The domain rules every front end shares, each in one place: key sizes per
//! type, the label and id length, and which attributes are flags.

use super::error::HsmErrorKind;
use crate::store::{Attribute, AttributeType, KeyAttributes, KeyType, PolicyError};

/// The largest generic secret KMU generates, in bytes.
pub const MAX_GENERIC_SECRET: u32 = 3584;

/// The longest label or id an HSM key may have, in bytes.
pub const MAX_LABEL_LEN: usize = 255;

/// Whether a key of `key_type` may be `size` bytes long: AES 16, 24 or 32;
/// a generic secret 1 to [`MAX_GENERIC_SECRET`]; other types are not held here.
pub fn key_size_fits(key_type: KeyType, size: u64) -> bool {
    match key_type {
        KeyType::Aes => matches!(size, 16 | 24 | 32),
        KeyType::GenericSecret => (1..=u64::from(MAX_GENERIC_SECRET)).contains(&size),
        _ => false,
    }
}

/// [`key_size_fits`] as a refusal: an unsupported type, or a size that does not fit.
pub fn check_key_size(key_type: KeyType, size: u64) -> Result<(), HsmErrorKind> {
    if !key_type.is_supported() {
        return Err(HsmErrorKind::UnsupportedKeyType(key_type));
    }
    if key_size_fits(key_type, size) {
        Ok(())
    } else {
        Err(HsmErrorKind::KeySize { key_type, size })
    }
}

/// The size of a byte string as a key size (saturating: nothing this large fits anyway).
pub fn size_of(bytes: &[u8]) -> u64 {
    u64::try_from(bytes.len()).unwrap_or(u64::MAX)
}

/// A label or id of at most [`MAX_LABEL_LEN`] bytes.
pub fn check_label(attribute: AttributeType, text: &str) -> Result<(), HsmErrorKind> {
    if text.len() > MAX_LABEL_LEN {
        Err(HsmErrorKind::AttributeValue {
            detail: format!("{attribute} is at most {MAX_LABEL_LEN} bytes"),
        })
    } else {
        Ok(())
    }
}

/// The flag attribute `attribute` set to `on`; `None` for an attribute that
/// is not a flag.
pub fn flag_attribute(attribute: AttributeType, on: bool) -> Option<Attribute> {
    Some(match attribute {
        AttributeType::Token => Attribute::Token(on),
        AttributeType::Private => Attribute::Private(on),
        AttributeType::Trusted => Attribute::Trusted(on),
        AttributeType::Sensitive => Attribute::Sensitive(on),
        AttributeType::Encrypt => Attribute::Encrypt(on),
        AttributeType::Decrypt => Attribute::Decrypt(on),
        AttributeType::Wrap => Attribute::Wrap(on),
        AttributeType::Unwrap => Attribute::Unwrap(on),
        AttributeType::Extractable => Attribute::Extractable(on),
        AttributeType::Local => Attribute::Local(on),
        AttributeType::NeverExtractable => Attribute::NeverExtractable(on),
        AttributeType::WrapWithTrusted => Attribute::WrapWithTrusted(on),
        _ => return None,
    })
}

/// How a dialect spells a flag's two values (KMU `1`/`0`, CloudHSM CLI
/// `true`/`false`), for reading a typed value.
#[derive(Clone, Copy, Debug)]
pub struct FlagWords {
    /// The word for set.
    pub on: &'static str,
    /// The word for clear.
    pub off: &'static str,
}

/// The attribute a typed `value` stands for, for `setAttribute` and
/// `key set-attribute`. A read-only attribute gives its current value: the
/// policy refuses it whatever was typed.
pub fn attribute_from_text(
    current: &KeyAttributes,
    attribute: AttributeType,
    value: &str,
    words: FlagWords,
) -> Result<Attribute, HsmErrorKind> {
    if attribute.is_flag() {
        let on = if value == words.on {
            Some(true)
        } else if value == words.off {
            Some(false)
        } else {
            None
        };
        return on
            .and_then(|on| flag_attribute(attribute, on))
            .ok_or_else(|| HsmErrorKind::AttributeValue {
                detail: format!(
                    "{attribute} takes {} or {}, not \"{value}\"",
                    words.off, words.on
                ),
            });
    }
    match attribute {
        AttributeType::Label => {
            check_label(attribute, value)?;
            Ok(Attribute::Label(value.to_owned()))
        }
        AttributeType::Id => {
            check_label(attribute, value)?;
            Ok(Attribute::Id(value.to_owned()))
        }
        // Read-only, present or not (a secret key has no modulus): the
        // policy refuses it by name.
        other => current
            .get(other)
            .ok_or_else(|| PolicyError::ReadOnly(other).into()),
    }
}

/// Applies one attribute a generation asks for beyond the defaults: label,
/// id and the usage flags as asked; EXTRACTABLE only off (and then
/// NEVER_EXTRACTABLE on), SENSITIVE only on, WRAP_WITH_TRUSTED as asked;
/// TRUSTED is the crypto officer's, and the rest the HSM sets.
pub fn generated_override(a: &mut KeyAttributes, asked: &Attribute) -> Result<(), HsmErrorKind> {
    match asked {
        Attribute::Label(l) => {
            check_label(AttributeType::Label, l)?;
            a.label.clone_from(l);
        }
        Attribute::Id(i) => {
            check_label(AttributeType::Id, i)?;
            a.id.clone_from(i);
        }
        Attribute::Encrypt(on) => a.encrypt = *on,
        Attribute::Decrypt(on) => a.decrypt = *on,
        Attribute::Wrap(on) => a.wrap = *on,
        Attribute::Unwrap(on) => a.unwrap = *on,
        Attribute::Token(on) => a.token = *on && a.token,
        Attribute::WrapWithTrusted(on) => a.wrap_with_trusted = *on,
        Attribute::Extractable(false) => {
            a.extractable = false;
            a.never_extractable = true;
        }
        Attribute::Extractable(true) => {}
        Attribute::Sensitive(true) => a.sensitive = true,
        Attribute::Sensitive(false) => {
            return Err(HsmErrorKind::AttributeValue {
                detail: "a key generated in this HSM is always sensitive (OBJ_ATTR_SENSITIVE = 1)"
                    .to_owned(),
            });
        }
        Attribute::Trusted(_) => {
            return Err(PolicyError::OnlyCryptoOfficer(AttributeType::Trusted).into());
        }
        other => return Err(PolicyError::ReadOnly(other.attribute_type()).into()),
    }
    Ok(())
}
