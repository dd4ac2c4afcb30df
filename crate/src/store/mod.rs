//! The virtual HSM's key store: handles, attributes, objects, users, policy.
//!
//! **Architecture invariant:** the store changes only through the
//! `pub(crate)` mutators below, and the console calls them only after every
//! policy check for a command has passed. Nothing here renders text or
//! decides who outside the HSM can see what (that is [`crate::access`]).

mod attribute;
mod handle;
mod object;
pub mod policy;
mod rsa;
mod user;

use std::collections::{BTreeMap, BTreeSet, HashMap};

pub use attribute::{Attribute, AttributeType, KeyClass, KeyType};
pub use handle::{KeyHandle, ParseHandleError};
pub(crate) use object::kcv_of;
pub use object::{KeyAttributes, KeyObject};
pub use policy::{Caller, PolicyError};
pub use rsa::RsaKeyInfo;
pub use user::{User, UserId, UserType, default_users};

use crate::SecretBytes;

/// The first handle a fresh HSM hands out. Lower handles belong to the HSM's
/// own keys (KMU's docs: "key 4 represents an unsupported internal key").
pub const FIRST_HANDLE: u64 = 6;

/// The keys and users of one HSM.
#[derive(Debug)]
pub struct Store {
    objects: BTreeMap<KeyHandle, KeyObject>,
    /// Label → handles, so `findKey -l` does not scan every key.
    by_label: HashMap<String, BTreeSet<KeyHandle>>,
    next_handle: u64,
    users: Vec<User>,
}

impl Default for Store {
    fn default() -> Self {
        Self::new()
    }
}

impl Store {
    /// An empty HSM with the [default users](default_users).
    pub fn new() -> Self {
        Self {
            objects: BTreeMap::new(),
            by_label: HashMap::new(),
            next_handle: FIRST_HANDLE,
            users: default_users(),
        }
    }

    /// The key with this handle, if it exists (visibility is the caller's
    /// business: see [`policy::check_visible`]).
    pub fn get(&self, handle: KeyHandle) -> Option<&KeyObject> {
        self.objects.get(&handle)
    }

    /// Every key, by ascending handle.
    pub fn iter(&self) -> impl Iterator<Item = &KeyObject> {
        self.objects.values()
    }

    /// The handles of the keys labelled exactly `label`, ascending.
    pub fn with_label(&self, label: &str) -> impl Iterator<Item = &KeyObject> {
        self.by_label
            .get(label)
            .into_iter()
            .flat_map(|handles| handles.iter())
            .filter_map(|h| self.objects.get(h))
    }

    /// How many keys the HSM holds.
    pub fn len(&self) -> usize {
        self.objects.len()
    }

    /// Whether the HSM holds no key.
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// The handle the next new key will get. Handles are never reused.
    pub fn next_handle(&self) -> KeyHandle {
        KeyHandle::new(self.next_handle)
    }

    /// The HSM's users.
    pub fn users(&self) -> &[User] {
        &self.users
    }

    /// The user with this id.
    pub fn user(&self, id: UserId) -> Option<&User> {
        self.users.iter().find(|u| u.id == id)
    }

    /// The user with this name.
    pub fn user_by_name(&self, name: &str) -> Option<&User> {
        self.users.iter().find(|u| u.name == name)
    }

    /// Adds a key under the next handle and returns that handle.
    pub(crate) fn insert(
        &mut self,
        attributes: KeyAttributes,
        owner: UserId,
        shared_with: BTreeSet<UserId>,
        value: SecretBytes,
    ) -> KeyHandle {
        let handle = KeyHandle::new(self.next_handle);
        // 2^64 handles cannot be used up in a browser tab; saturate rather than wrap.
        self.next_handle = self.next_handle.saturating_add(1);
        self.by_label
            .entry(attributes.label.clone())
            .or_default()
            .insert(handle);
        self.objects.insert(
            handle,
            KeyObject {
                handle,
                attributes,
                owner,
                shared_with,
                value,
            },
        );
        handle
    }

    /// The key in this HSM that can unwrap what `handle` wraps, if any: an
    /// AES key unwraps its own wraps; an RSA public key's wraps open only
    /// with its private half, so the answer is that half while the HSM
    /// holds it, and `None` for a public key imported from outside (its
    /// private key is elsewhere) or whose private half was deleted. Keys
    /// that cannot wrap at all (RSA private keys, generic secrets) answer
    /// `None`. Policy (who may use that key) is the caller's business.
    pub fn unwrapper_of(&self, handle: KeyHandle) -> Option<KeyHandle> {
        let key = self.objects.get(&handle)?;
        match (key.attributes.key_type, key.attributes.class) {
            (KeyType::Aes, KeyClass::Secret) => Some(handle),
            (KeyType::Rsa, KeyClass::Public) => {
                let private = key.rsa()?.counterpart?;
                let other = self.objects.get(&private)?;
                (other.attributes.class == KeyClass::Private
                    && other.rsa().map(|r| &r.fingerprint_sha256)
                        == key.rsa().map(|r| &r.fingerprint_sha256))
                .then_some(private)
            }
            _ => None,
        }
    }

    /// Removes a key; its handle is never handed out again.
    pub(crate) fn remove(&mut self, handle: KeyHandle) -> bool {
        match self.objects.remove(&handle) {
            Some(object) => {
                self.unindex_label(&object.attributes.label, handle);
                true
            }
            None => false,
        }
    }

    /// Sets one attribute (policy already checked).
    pub(crate) fn set_attribute(&mut self, handle: KeyHandle, attribute: Attribute) {
        let Some(object) = self.objects.get_mut(&handle) else {
            return;
        };
        let relabel = match &attribute {
            Attribute::Label(new) if *new != object.attributes.label => {
                Some((object.attributes.label.clone(), new.clone()))
            }
            _ => None,
        };
        object.attributes.set(attribute);
        if let Some((old, new)) = relabel {
            self.unindex_label(&old, handle);
            self.by_label.entry(new).or_default().insert(handle);
        }
    }

    /// Shares (`share = true`) or unshares a key with a user (policy already checked).
    pub(crate) fn set_shared(&mut self, handle: KeyHandle, user: UserId, share: bool) {
        if let Some(object) = self.objects.get_mut(&handle) {
            if share {
                object.shared_with.insert(user);
            } else {
                object.shared_with.remove(&user);
            }
        }
    }

    /// Removes the session keys of `owner` (they vanish at logout) and returns
    /// their handles.
    pub(crate) fn drop_session_keys(&mut self, owner: UserId) -> Vec<KeyHandle> {
        let gone: Vec<KeyHandle> = self
            .objects
            .values()
            .filter(|o| o.owner == owner && !o.attributes.token)
            .map(|o| o.handle)
            .collect();
        for handle in &gone {
            self.remove(*handle);
        }
        gone
    }

    fn unindex_label(&mut self, label: &str, handle: KeyHandle) {
        if let Some(set) = self.by_label.get_mut(label) {
            set.remove(&handle);
            if set.is_empty() {
                self.by_label.remove(label);
            }
        }
    }
}
