//! PKCS#11 key policy as SoftHSM2 and CloudHSM enforce it, as pure checks.
//!
//! Every function here only *reads*; the console applies a change only after
//! every check passed, which is why a refused command leaves the store as it
//! was. Checks run in a fixed order — visibility, then ownership, then the
//! attributes — so a user never learns more about a key than they may.

use core::fmt;

use super::attribute::{Attribute, AttributeType};
use super::handle::KeyHandle;
use super::object::KeyObject;
use super::user::{UserId, UserType};

/// Why the key policy refused an operation.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PolicyError {
    /// The key does not exist, or the user neither owns it nor has it shared
    /// with them (both look the same to the user: `CKR_OBJECT_HANDLE_INVALID`).
    HandleInvalid(KeyHandle),
    /// Only the owner may do this (wrap, export, delete, share, set attributes);
    /// users it is shared with may only use it.
    NotOwner {
        /// The key.
        handle: KeyHandle,
        /// What was refused, in words ("export", "delete", …).
        operation: &'static str,
    },
    /// The key lacks the attribute that permits this use
    /// (`CKR_KEY_FUNCTION_NOT_PERMITTED`), e.g. a wrapping key without WRAP.
    FunctionNotPermitted {
        /// The key.
        handle: KeyHandle,
        /// The attribute it would need set.
        needs: AttributeType,
    },
    /// The key's EXTRACTABLE is false (`CKR_KEY_UNEXTRACTABLE`).
    Unextractable(KeyHandle),
    /// The key has WRAP_WITH_TRUSTED and the wrapping key is not TRUSTED
    /// (`CKR_KEY_NOT_WRAPPABLE`).
    NotWrappable {
        /// The key to be wrapped.
        target: KeyHandle,
        /// The untrusted wrapping key.
        wrapping: KeyHandle,
    },
    /// The attribute cannot be changed at all (`CKR_ATTRIBUTE_READ_ONLY`).
    ReadOnly(AttributeType),
    /// The attribute cannot change in this direction
    /// (`CKR_ATTRIBUTE_VALUE_INVALID`): EXTRACTABLE only true → false,
    /// SENSITIVE and WRAP_WITH_TRUSTED only false → true, TOKEN only 0 → 1.
    OneWay {
        /// The attribute.
        attribute: AttributeType,
        /// The only direction allowed, in words.
        allowed: &'static str,
    },
    /// Only the crypto officer may set this attribute (TRUSTED).
    OnlyCryptoOfficer(AttributeType),
    /// This user type may not run the operation (a crypto officer owns no
    /// keys, so it cannot create, wrap or use them).
    WrongUserType(UserType),
    /// Reading a key's value is refused for sensitive keys (`CKR_ATTRIBUTE_SENSITIVE`).
    Sensitive(KeyHandle),
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::HandleInvalid(h) => write!(f, "key {h} does not exist or is not yours to use"),
            Self::NotOwner { handle, operation } => write!(
                f,
                "only the owner of key {handle} may {operation} it; users it is shared with may only use it"
            ),
            Self::FunctionNotPermitted { handle, needs } => {
                write!(f, "key {handle} does not have {needs} set")
            }
            Self::Unextractable(h) => {
                write!(f, "key {h} is not extractable (OBJ_ATTR_EXTRACTABLE = 0)")
            }
            Self::NotWrappable { target, wrapping } => write!(
                f,
                "key {target} has OBJ_ATTR_WRAP_WITH_TRUSTED set and wrapping key {wrapping} is not trusted"
            ),
            Self::ReadOnly(a) => write!(f, "{a} cannot be changed"),
            Self::OneWay { attribute, allowed } => {
                write!(f, "{attribute} can only change {allowed}")
            }
            Self::OnlyCryptoOfficer(a) => write!(f, "only the crypto officer may set {a}"),
            Self::WrongUserType(t) => write!(f, "a {} user may not do this", t.kmu_name()),
            Self::Sensitive(h) => write!(f, "key {h} is sensitive: its value is never shown"),
        }
    }
}

impl core::error::Error for PolicyError {}

/// Who is asking: the logged-in user and their type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The user's id.
    pub user: UserId,
    /// CO or CU.
    pub user_type: UserType,
}

impl Caller {
    fn is_officer(self) -> bool {
        self.user_type == UserType::CryptoOfficer
    }
}

/// The caller may see the key at all (the crypto officer sees every key, to
/// mark keys trusted; a crypto user sees the keys they own or share).
pub fn check_visible(key: &KeyObject, caller: Caller) -> Result<(), PolicyError> {
    if caller.is_officer() || key.usable_by(caller.user) {
        Ok(())
    } else {
        Err(PolicyError::HandleInvalid(key.handle()))
    }
}

/// The caller is a crypto user who may use the key (owner or shared).
pub fn check_use(key: &KeyObject, caller: Caller) -> Result<(), PolicyError> {
    if caller.is_officer() {
        return Err(PolicyError::WrongUserType(caller.user_type));
    }
    if key.usable_by(caller.user) {
        Ok(())
    } else {
        Err(PolicyError::HandleInvalid(key.handle()))
    }
}

/// The caller is a crypto user who owns the key.
pub fn check_owner(
    key: &KeyObject,
    caller: Caller,
    operation: &'static str,
) -> Result<(), PolicyError> {
    check_use(key, caller)?;
    if key.owner() == caller.user {
        Ok(())
    } else {
        Err(PolicyError::NotOwner {
            handle: key.handle(),
            operation,
        })
    }
}

/// `wrapKey` / `exSymKey`: wrap `target` under `wrapping`.
///
/// Order: both visible; caller owns the target; wrapping key has WRAP;
/// target EXTRACTABLE; WRAP_WITH_TRUSTED needs a TRUSTED wrapping key.
pub fn check_wrap(
    target: &KeyObject,
    wrapping: &KeyObject,
    caller: Caller,
) -> Result<(), PolicyError> {
    check_use(wrapping, caller)?;
    check_owner(target, caller, "export")?;
    if !wrapping.attributes().wrap {
        return Err(PolicyError::FunctionNotPermitted {
            handle: wrapping.handle(),
            needs: AttributeType::Wrap,
        });
    }
    if !target.attributes().extractable {
        return Err(PolicyError::Unextractable(target.handle()));
    }
    if target.attributes().wrap_with_trusted && !wrapping.attributes().trusted {
        return Err(PolicyError::NotWrappable {
            target: target.handle(),
            wrapping: wrapping.handle(),
        });
    }
    Ok(())
}

/// `unWrapKey` / `imSymKey`: the caller may use `unwrapping` and it has UNWRAP.
pub fn check_unwrap(unwrapping: &KeyObject, caller: Caller) -> Result<(), PolicyError> {
    check_use(unwrapping, caller)?;
    if unwrapping.attributes().unwrap {
        Ok(())
    } else {
        Err(PolicyError::FunctionNotPermitted {
            handle: unwrapping.handle(),
            needs: AttributeType::Unwrap,
        })
    }
}

/// `aesWrapUnwrap`: the caller may use `key` and it has WRAP (to wrap) or
/// UNWRAP (to unwrap) set.
pub fn check_host_wrap(key: &KeyObject, caller: Caller, wrap: bool) -> Result<(), PolicyError> {
    check_use(key, caller)?;
    let (allowed, needs) = if wrap {
        (key.attributes().wrap, AttributeType::Wrap)
    } else {
        (key.attributes().unwrap, AttributeType::Unwrap)
    };
    if allowed {
        Ok(())
    } else {
        Err(PolicyError::FunctionNotPermitted {
            handle: key.handle(),
            needs,
        })
    }
}

/// `setAttribute`: may the caller set `new` on `key`?
///
/// TRUSTED is the crypto officer's alone; everything else is the owner's.
/// CLASS, KEY_TYPE, VALUE_LEN, KCV, LOCAL, NEVER_EXTRACTABLE and PRIVATE are
/// read-only; EXTRACTABLE only true → false; SENSITIVE and WRAP_WITH_TRUSTED
/// only false → true; TOKEN only session → token (as KMU's docs describe).
pub fn check_set_attribute(
    key: &KeyObject,
    caller: Caller,
    new: &Attribute,
) -> Result<(), PolicyError> {
    check_visible(key, caller)?;
    let current = key.attributes();
    let attribute = new.attribute_type();
    if attribute == AttributeType::Trusted {
        return if caller.is_officer() {
            Ok(())
        } else {
            Err(PolicyError::OnlyCryptoOfficer(attribute))
        };
    }
    check_owner(key, caller, "change the attributes of")?;
    match new {
        Attribute::Class(_)
        | Attribute::KeyType(_)
        | Attribute::ValueLen(_)
        | Attribute::Kcv(_)
        | Attribute::Local(_)
        | Attribute::NeverExtractable(_)
        | Attribute::Private(_)
        | Attribute::Modulus(_)
        | Attribute::ModulusBits(_)
        | Attribute::PublicExponent(_) => Err(PolicyError::ReadOnly(attribute)),
        Attribute::Extractable(true) if !current.extractable => Err(PolicyError::OneWay {
            attribute,
            allowed: "from 1 to 0",
        }),
        Attribute::Sensitive(false) if current.sensitive => Err(PolicyError::OneWay {
            attribute,
            allowed: "from 0 to 1",
        }),
        Attribute::WrapWithTrusted(false) if current.wrap_with_trusted => {
            Err(PolicyError::OneWay {
                attribute,
                allowed: "from 0 to 1",
            })
        }
        Attribute::Token(false) if current.token => Err(PolicyError::OneWay {
            attribute,
            allowed: "from 0 (session) to 1 (token)",
        }),
        _ => Ok(()),
    }
}

/// The one rule for reading a key's value in the clear (the page's
/// "Reveal", and so the step viewer's trace): its owner only, and never for
/// a sensitive or non-extractable key. [`check_reveal`] enforces it with
/// precise errors; [`crate::access`] and the step rule ask it.
pub const fn may_reveal(is_owner: bool, extractable: bool, sensitive: bool) -> bool {
    is_owner && extractable && !sensitive
}

/// [`may_reveal`], enforced: the caller must be the key's owner (a crypto
/// user), and the key extractable and not sensitive.
pub fn check_reveal(key: &KeyObject, caller: Caller) -> Result<(), PolicyError> {
    check_owner(key, caller, "reveal")?;
    if !key.attributes().extractable {
        return Err(PolicyError::Unextractable(key.handle()));
    }
    if key.attributes().sensitive {
        return Err(PolicyError::Sensitive(key.handle()));
    }
    Ok(())
}
