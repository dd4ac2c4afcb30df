//! HSM users: the crypto officer and the crypto users.

use core::fmt;

/// The numeric id of an HSM user, as `-u` takes it and `getKeyInfo` prints it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UserId(u16);

impl UserId {
    /// Wraps a raw user id.
    pub const fn new(raw: u16) -> Self {
        Self(raw)
    }

    /// The raw user id.
    pub const fn get(self) -> u16 {
        self.0
    }
}

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The kind of an HSM user, as `loginHSM -u` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UserType {
    /// `CO`: manages users and may mark keys trusted; owns no keys.
    CryptoOfficer,
    /// `CU`: creates, owns, shares and uses keys.
    CryptoUser,
}

impl UserType {
    /// The name `loginHSM -u` takes: `CO` or `CU`.
    pub const fn kmu_name(self) -> &'static str {
        match self {
            Self::CryptoOfficer => "CO",
            Self::CryptoUser => "CU",
        }
    }

    /// Parses `CO` or `CU` (case-sensitive, as the tool is).
    pub fn from_kmu_name(name: &str) -> Option<Self> {
        match name {
            "CO" => Some(Self::CryptoOfficer),
            "CU" => Some(Self::CryptoUser),
            _ => None,
        }
    }
}

/// One user of the HSM.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// The user's id.
    pub id: UserId,
    /// The name `loginHSM -s` takes.
    pub name: String,
    /// Crypto officer or crypto user.
    pub user_type: UserType,
}

/// The users every session starts with.
///
/// `admin` is the crypto officer; `alice` is **you** (the page logs you in as
/// her); `bob` is a colleague on the same HSM, so that `shareKey` has someone
/// to share with. Another *tenant* is never a user of your HSM: the access
/// model (`crate::access`) speaks for them.
pub fn default_users() -> Vec<User> {
    vec![
        User {
            id: UserId::new(1),
            name: "admin".to_owned(),
            user_type: UserType::CryptoOfficer,
        },
        User {
            id: UserId::new(3),
            name: "alice".to_owned(),
            user_type: UserType::CryptoUser,
        },
        User {
            id: UserId::new(4),
            name: "bob".to_owned(),
            user_type: UserType::CryptoUser,
        },
    ]
}
