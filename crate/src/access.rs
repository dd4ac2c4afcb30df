//! Tenancy and who can see what: **the one place that decides it.**
//!
//! [`decide`] is a pure function of an [`Actor`], a [`Capability`], the
//! [`KeyFacts`] of one key and a [`TenancyMode`]. Every answer carries a
//! reason and a [`Source`]. The web app's "who can see" matrix and its
//! "view as" projection are built from this function and nothing else; a
//! table test (`tests/access_matrix.rs`) fixes every cell in both modes.
//!
//! The facts about the world, with their dates, live in [`Source::citation`]
//! and [`TenancyMode::fips_summary`].

use core::fmt;

use crate::store::{KeyHandle, policy};

/// How the HSM is hosted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TenancyMode {
    /// A shared multi-tenant HSM service: the provider runs the partition
    /// software that separates tenants, and so could reach keys.
    SharedMultiTenant,
    /// A dedicated single-tenant HSM (AWS CloudHSM): you hold the only user
    /// credentials; the provider cannot reach keys.
    DedicatedSingleTenant,
}

impl TenancyMode {
    /// Both modes, shared first.
    pub const ALL: [TenancyMode; 2] = [Self::SharedMultiTenant, Self::DedicatedSingleTenant];

    /// The switch's label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::SharedMultiTenant => {
                "Shared multi-tenant HSM (the provider runs the partition software)"
            }
            Self::DedicatedSingleTenant => "Dedicated single-tenant HSM",
        }
    }

    /// The FIPS 140 level the mode stands for, with dates and certificates.
    pub const fn fips_summary(self) -> &'static str {
        match self {
            Self::SharedMultiTenant => {
                "Shared HSM services have long been described as FIPS 140-2 Level 2, with the \
                 provider able to reach keys. Today AWS KMS runs a multi-tenant HSM fleet \
                 validated at FIPS 140-3 Level 3 (CMVP certificate #4884): the level rose, but \
                 the provider still runs the software that separates tenants."
            }
            Self::DedicatedSingleTenant => {
                "AWS CloudHSM is single-tenant: hsm1.medium was validated at FIPS 140-2 Level 3 \
                 (CMVP certificate #4218, historical since January 2026); hsm2m.medium at \
                 FIPS 140-3 Level 3 (CMVP certificate #4703). Level 3 adds identity-based \
                 authentication and tamper response; the provider has no user on your HSM."
            }
        }
    }

    /// The one-line source for the header.
    pub const fn source(self) -> Source {
        match self {
            Self::SharedMultiTenant => Source::SharedServiceFips,
            Self::DedicatedSingleTenant => Source::CloudHsmFips,
        }
    }
}

impl fmt::Display for TenancyMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Someone who might see or use a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Actor {
    /// You, logged in to the HSM in this browser tab.
    You,
    /// The server that hosted this page.
    PageHost,
    /// Another customer of the same HSM service.
    OtherTenant,
    /// The cloud provider that operates the HSM service.
    Provider,
    /// Anyone holding a wrapped blob of the key (and not its wrapping key).
    BlobHolder,
    /// Anyone holding the key's wrapping key (KEK) in the clear.
    KekHolder,
}

impl Actor {
    /// Every actor, in the matrix's row order.
    pub const ALL: [Actor; 6] = [
        Self::You,
        Self::PageHost,
        Self::OtherTenant,
        Self::Provider,
        Self::BlobHolder,
        Self::KekHolder,
    ];

    /// The row label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::You => "You (this tab)",
            Self::PageHost => "The page's host",
            Self::OtherTenant => "Another tenant",
            Self::Provider => "The provider",
            Self::BlobHolder => "Someone holding the blob",
            Self::KekHolder => "Someone holding the KEK",
        }
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What an actor might get of a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Capability {
    /// The key's bytes in the clear.
    Plaintext,
    /// A wrapped (encrypted) copy of the key.
    WrappedBlob,
    /// Using the key to wrap, unwrap, encrypt or decrypt without seeing it.
    Use,
}

impl Capability {
    /// Every capability, in the matrix's column order.
    pub const ALL: [Capability; 3] = [Self::Plaintext, Self::WrappedBlob, Self::Use];

    /// The column label.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Plaintext => "Plaintext",
            Self::WrappedBlob => "Wrapped blob",
            Self::Use => "Use",
        }
    }
}

/// The answer in one cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Answer {
    /// Yes, by design.
    Yes,
    /// No.
    No,
    /// Not by design, but within their power or under a condition the reason
    /// names (the seed's "has the opportunity").
    Possible,
}

impl Answer {
    /// A word for the cell (the web app pairs it with an icon, never color alone).
    pub const fn label(self) -> &'static str {
        match self {
            Self::Yes => "Yes",
            Self::No => "No",
            Self::Possible => "Possible",
        }
    }
}

/// Where an answer's ground comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// KMU's documentation of `wrapKey`/`exSymKey`/`findKey`: only the owner
    /// exports; shared users only use; keys are per user.
    KmuDocs,
    /// PKCS#11 attribute semantics (EXTRACTABLE, SENSITIVE, WRAP_WITH_TRUSTED)
    /// as SoftHSM2 and CloudHSM enforce them.
    Pkcs11,
    /// RFC 3394 / RFC 5649 / NIST SP 800-38F: the KEK is the only secret.
    KeyWrapStandard,
    /// This page: its Content-Security-Policy and where its code comes from.
    ThisPage,
    /// The seed's shared-service telling and today's AWS KMS validation.
    SharedServiceFips,
    /// AWS CloudHSM's single-tenant design and its FIPS validations.
    CloudHsmFips,
}

impl Source {
    /// A citation a reader can check.
    pub const fn citation(self) -> &'static str {
        match self {
            Self::KmuDocs => {
                "AWS CloudHSM User Guide, key_mgmt_util: wrapKey and exSymKey (\"Only the owner of a \
                 key ... can export it. Users who share the key can use it in cryptographic \
                 operations, but they cannot export it\"); findKey (keys are per user)."
            }
            Self::Pkcs11 => {
                "PKCS#11 v2.40 secret key attributes CKA_EXTRACTABLE, CKA_SENSITIVE, \
                 CKA_WRAP_WITH_TRUSTED, CKA_TRUSTED, as SoftHSM2 and CloudHSM enforce them."
            }
            Self::KeyWrapStandard => {
                "RFC 3394, RFC 5649, NIST SP 800-38F: AES key wrap has no secret but the KEK; \
                 it is deterministic, so equal keys under one KEK give equal blobs."
            }
            Self::ThisPage => {
                "This page: the virtual HSM runs in your tab; after boot its \
                 Content-Security-Policy blocks every request the page makes (subresources, \
                 connections, beacons, workers, forms) but not a navigation of the tab, and WebRTC \
                 is removed at boot; the host serves the page's code on every load."
            }
            Self::SharedServiceFips => {
                "The common account of shared HSM services (FIPS 140-2 Level 2, the provider \
                 \"has the opportunity\" to reach keys); AWS KMS HSMs: multi-tenant fleet, FIPS 140-3 \
                 Level 3, CMVP certificate #4884."
            }
            Self::CloudHsmFips => {
                "AWS CloudHSM: single-tenant; hsm1.medium FIPS 140-2 Level 3 (CMVP #4218, \
                 historical since January 2026); hsm2m.medium FIPS 140-3 Level 3 (CMVP #4703)."
            }
        }
    }
}

/// One cell of the matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Yes, no or possible.
    pub answer: Answer,
    /// Why, in a sentence a user can check.
    pub reason: String,
    /// Where the ground for the answer comes from.
    pub source: Source,
}

impl Verdict {
    fn new(answer: Answer, reason: impl Into<String>, source: Source) -> Self {
        Self {
            answer,
            reason: reason.into(),
            source,
        }
    }
}

/// How the person in this tab relates to a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Relation {
    /// You own the key (you created it).
    Owner,
    /// The owner shared it with you: you may use it, not export it.
    SharedWithYou,
    /// Neither (or nobody is logged in).
    None,
}

/// What [`decide`] needs to know about one key — plain facts, no bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyFacts {
    /// The key.
    pub handle: KeyHandle,
    /// How the logged-in user relates to it.
    pub relation: Relation,
    /// `OBJ_ATTR_EXTRACTABLE`.
    pub extractable: bool,
    /// `OBJ_ATTR_SENSITIVE`.
    pub sensitive: bool,
    /// The in-page files holding a wrapped copy of this key, with the handle
    /// of the key that wrapped each.
    pub wrapped_copies: Vec<(String, KeyHandle)>,
    /// The in-page files holding this key in the clear (`exSymKey` output).
    pub plaintext_copies: Vec<String>,
}

impl KeyFacts {
    fn blob_files(&self) -> String {
        self.wrapped_copies
            .iter()
            .map(|(f, w)| format!("{f} (under key {w})"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Decides one cell: can `actor` get `capability` of the key in `mode`?
///
/// Pure: the same inputs always give the same verdict.
pub fn decide(actor: Actor, capability: Capability, key: &KeyFacts, mode: TenancyMode) -> Verdict {
    use Answer::{No, Possible, Yes};
    use Capability::{Plaintext, Use, WrappedBlob};
    let h = key.handle;
    match (actor, capability) {
        // ---- You, in this tab, as the logged-in crypto user -------------------------
        (Actor::You, Plaintext) => match key.relation {
            Relation::Owner if !key.plaintext_copies.is_empty() => Verdict::new(
                Yes,
                format!(
                    "You exported key {h} in the clear: the file {} holds its bytes.",
                    key.plaintext_copies.join(", ")
                ),
                Source::KmuDocs,
            ),
            Relation::Owner if policy::may_reveal(true, key.extractable, key.sensitive) => {
                Verdict::new(
                    Yes,
                    format!(
                        "You own key {h}; it is extractable and not sensitive, so the page may reveal it to you."
                    ),
                    Source::Pkcs11,
                )
            }
            Relation::Owner if key.extractable => Verdict::new(
                Possible,
                format!(
                    "Key {h} is sensitive, so its value is never shown; but you own it and it is \
                     extractable, so exSymKey would write it to a file in the clear."
                ),
                Source::KmuDocs,
            ),
            Relation::Owner => Verdict::new(
                No,
                format!(
                    "Key {h} is not extractable: no command will let its bytes out, and it can never become extractable again."
                ),
                Source::Pkcs11,
            ),
            Relation::SharedWithYou => Verdict::new(
                No,
                format!(
                    "Key {h} is shared with you: you may use it, but only its owner may export it."
                ),
                Source::KmuDocs,
            ),
            Relation::None => Verdict::new(
                No,
                format!("You neither own key {h} nor share it: to you its handle is invalid."),
                Source::KmuDocs,
            ),
        },
        (Actor::You, WrappedBlob) => match key.relation {
            Relation::Owner if key.extractable => Verdict::new(
                Yes,
                format!("You own key {h} and it is extractable: wrapKey writes a wrapped copy."),
                Source::KmuDocs,
            ),
            Relation::Owner => Verdict::new(
                No,
                format!(
                    "Key {h} is not extractable: the HSM will not wrap it, even for its owner."
                ),
                Source::Pkcs11,
            ),
            Relation::SharedWithYou => Verdict::new(
                No,
                format!("Key {h} is shared with you, not yours: only its owner may wrap it."),
                Source::KmuDocs,
            ),
            Relation::None => Verdict::new(
                No,
                format!("You neither own key {h} nor share it."),
                Source::KmuDocs,
            ),
        },
        (Actor::You, Use) => match key.relation {
            Relation::Owner => Verdict::new(Yes, format!("You own key {h}."), Source::KmuDocs),
            Relation::SharedWithYou => Verdict::new(
                Yes,
                format!("Key {h} is shared with you: you may use it in operations."),
                Source::KmuDocs,
            ),
            Relation::None => Verdict::new(
                No,
                format!("Key {h} is neither yours nor shared with you."),
                Source::KmuDocs,
            ),
        },

        // ---- The server that hosted the page ----------------------------------------
        // By the matrix's own standard ("could they, if they chose to?") the host
        // is Possible: it serves this page's code and could serve other code on
        // the next load, and the SRI hashes come from the same host.
        (Actor::PageHost, Plaintext) => Verdict::new(
            Possible,
            "The host serves this page's code and could serve other code on the next load (the \
             SRI hashes come from the same host), code that sends out whatever you generate, \
             paste or reveal. This load cannot send it anything: the lock blocks every request \
             the page makes (subresources, connections, beacons, workers, forms); no policy can \
             block a navigation of the tab or WebRTC, so the page removed WebRTC at boot and its \
             own code never navigates. To take the host out, run the offline single file and \
             check it with sha256sum.",
            Source::ThisPage,
        ),
        (Actor::PageHost, WrappedBlob) => Verdict::new(
            Possible,
            "Wrapped files stay in the page until you download them, and this load cannot upload \
             them; the next load's code is the host's choice, and it could.",
            Source::ThisPage,
        ),
        (Actor::PageHost, Use) => Verdict::new(
            Possible,
            "Nothing in this load answers requests from the host; code it serves on the next \
             load could use the keys you make then.",
            Source::ThisPage,
        ),

        // ---- Another tenant --------------------------------------------------------
        (Actor::OtherTenant, _) => match mode {
            TenancyMode::SharedMultiTenant => Verdict::new(
                No,
                "Another tenant shares the hardware but not your partition: the provider's \
                 partition software keeps them from your keys. The separation is software the \
                 provider runs, not hardware you control.",
                Source::SharedServiceFips,
            ),
            TenancyMode::DedicatedSingleTenant => Verdict::new(
                No,
                "A dedicated HSM has no other tenant: no other customer's users exist on it.",
                Source::CloudHsmFips,
            ),
        },

        // ---- The provider / operator -----------------------------------------------
        (Actor::Provider, _) => match mode {
            TenancyMode::SharedMultiTenant => Verdict::new(
                Possible,
                format!(
                    "The provider runs the software that separates tenants and enforces every \
                     attribute, so it could read, copy or use key {h} whatever its attributes say \
                     (a shared service at FIPS 140-2 Level 2). Today's AWS KMS fleet is FIPS \
                     140-3 Level 3 and AWS states operators cannot reach plaintext keys: a \
                     promise about its design, not a separation you hold."
                ),
                Source::SharedServiceFips,
            ),
            TenancyMode::DedicatedSingleTenant => Verdict::new(
                No,
                "On a dedicated CloudHSM the provider operates the appliance but has no user on \
                 it: you create the crypto officer and crypto users. FIPS 140 Level 3 adds \
                 identity-based authentication and tamper response.",
                Source::CloudHsmFips,
            ),
        },

        // ---- Someone holding a wrapped blob (without the KEK) -------------------------
        (Actor::BlobHolder, Plaintext) => Verdict::new(
            No,
            "A wrapped blob is ciphertext under the KEK: without the KEK it shows only the \
             key's length, and (key wrap being deterministic) whether two blobs under one KEK \
             hold the same key.",
            Source::KeyWrapStandard,
        ),
        (Actor::BlobHolder, WrappedBlob) => {
            if key.wrapped_copies.is_empty() {
                Verdict::new(
                    No,
                    format!("No wrapped copy of key {h} exists yet; wrapKey would make one."),
                    Source::KmuDocs,
                )
            } else {
                Verdict::new(
                    Yes,
                    format!("Wrapped copies of key {h} exist in: {}.", key.blob_files()),
                    Source::KmuDocs,
                )
            }
        }
        (Actor::BlobHolder, Use) => Verdict::new(
            No,
            "To use the key they must unwrap it into an HSM or software, which takes the KEK.",
            Source::KeyWrapStandard,
        ),

        // ---- Someone holding the wrapping key in the clear -----------------------------
        (Actor::KekHolder, Plaintext) => {
            if !key.extractable && key.wrapped_copies.is_empty() {
                Verdict::new(
                    No,
                    format!(
                        "Key {h} is not extractable: no wrapped copy can exist for a KEK to open."
                    ),
                    Source::Pkcs11,
                )
            } else if key.wrapped_copies.is_empty() {
                Verdict::new(
                    No,
                    format!(
                        "No wrapped copy of key {h} exists yet, so a KEK alone opens nothing. \
                         Every future wrapKey under that KEK hands them the key."
                    ),
                    Source::KeyWrapStandard,
                )
            } else {
                Verdict::new(
                    Possible,
                    format!(
                        "With the blob ({}) the KEK unwraps it to plaintext: key wrap has no \
                         other secret.",
                        key.blob_files()
                    ),
                    Source::KeyWrapStandard,
                )
            }
        }
        (Actor::KekHolder, WrappedBlob) => Verdict::new(
            No,
            "The KEK does not make the blob: they need a copy of the wrapped file too.",
            Source::KeyWrapStandard,
        ),
        (Actor::KekHolder, Use) => {
            if key.wrapped_copies.is_empty() {
                Verdict::new(
                    No,
                    format!("No wrapped copy of key {h} exists for them to unwrap and use."),
                    Source::KeyWrapStandard,
                )
            } else {
                Verdict::new(
                    Possible,
                    "With the blob they unwrap the key into their own HSM or software and use it \
                     there; no attribute on your HSM follows it.",
                    Source::KeyWrapStandard,
                )
            }
        }
    }
}

/// One row of the matrix: an actor's three cells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessRow {
    /// Who.
    pub actor: Actor,
    /// Can they get the plaintext?
    pub plaintext: Verdict,
    /// Can they get a wrapped blob?
    pub wrapped_blob: Verdict,
    /// Can they use the key?
    pub use_key: Verdict,
}

impl AccessRow {
    /// The cell for one capability.
    pub fn cell(&self, capability: Capability) -> &Verdict {
        match capability {
            Capability::Plaintext => &self.plaintext,
            Capability::WrappedBlob => &self.wrapped_blob,
            Capability::Use => &self.use_key,
        }
    }
}

/// The who-can-see matrix of one key in one mode: actor × capability.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessMatrix {
    /// The key.
    pub handle: KeyHandle,
    /// The mode the matrix was decided in.
    pub mode: TenancyMode,
    /// One row per [`Actor`], in [`Actor::ALL`] order.
    pub rows: Vec<AccessRow>,
}

/// The whole matrix of one key, from [`decide`].
pub fn matrix(key: &KeyFacts, mode: TenancyMode) -> AccessMatrix {
    AccessMatrix {
        handle: key.handle,
        mode,
        rows: Actor::ALL
            .iter()
            .map(|&actor| AccessRow {
                actor,
                plaintext: decide(actor, Capability::Plaintext, key, mode),
                wrapped_blob: decide(actor, Capability::WrappedBlob, key, mode),
                use_key: decide(actor, Capability::Use, key, mode),
            })
            .collect(),
    }
}

/// What an in-page file holds, for deciding who sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileContent {
    /// A wrapped key (ciphertext), wrapped under this key.
    Wrapped {
        /// The key that wrapped it.
        wrapping: Option<KeyHandle>,
    },
    /// Plaintext key bytes (`exSymKey`, `aesWrapUnwrap -m 0`).
    PlaintextKey,
    /// Text about keys, no key bytes (`getAttribute -out`).
    Metadata,
    /// Bytes the user uploaded: the page cannot tell what they are.
    Upload,
}

/// What an actor sees of an in-page file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileSight {
    /// The bytes themselves.
    Bytes,
    /// The bytes, but they are ciphertext to this actor.
    Ciphertext,
    /// Nothing.
    Nothing,
}

/// Decides what `actor` sees of a file with this content (in-page files live
/// in your tab, not on the HSM, so tenancy does not reach them).
pub fn file_sight(actor: Actor, content: FileContent) -> (FileSight, &'static str) {
    match (actor, content) {
        (Actor::You, _) => (FileSight::Bytes, "The file is in your tab."),
        (Actor::BlobHolder, FileContent::Wrapped { .. }) => (
            FileSight::Ciphertext,
            "They hold this wrapped file: ciphertext without the KEK.",
        ),
        (Actor::KekHolder, FileContent::Wrapped { .. }) => (
            FileSight::Nothing,
            "The KEK alone does not give them the file; with a copy they could unwrap it.",
        ),
        (Actor::PageHost, _) => (
            FileSight::Nothing,
            "Files stay in the tab: this load's lock blocks every upload the page could make (not a navigation, which its code never does); the next load's code is the host's choice.",
        ),
        (Actor::OtherTenant | Actor::Provider, _) => (
            FileSight::Nothing,
            "In-page files are on your side, not in the HSM service: tenancy does not reach them.",
        ),
        (Actor::BlobHolder | Actor::KekHolder, _) => (
            FileSight::Nothing,
            "They hold a blob or a KEK, not your files.",
        ),
    }
}
