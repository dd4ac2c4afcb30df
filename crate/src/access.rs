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
    /// Other code on this page's origin: another page of the same site, or
    /// a script injected into one.
    OriginCode,
    /// Another crypto user of this HSM (a colleague: `bob`, or `alice` when
    /// you log in as someone else).
    OtherUser,
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
    pub const ALL: [Actor; 8] = [
        Self::You,
        Self::PageHost,
        Self::OriginCode,
        Self::OtherUser,
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
            Self::OriginCode => "Other code on this page's origin",
            Self::OtherUser => "Another user of this HSM",
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
    /// The browser's same-origin policy and this page's guard against it.
    SameOrigin,
    /// The seed's shared-service telling and today's AWS KMS validation.
    SharedServiceFips,
    /// AWS CloudHSM's single-tenant design and its FIPS validations.
    CloudHsmFips,
    /// AWS CloudHSM's users: the appliance user's masked objects.
    CloudHsmUsers,
    /// The PKCS#11 key-separation attacks and their defences.
    KeySeparation,
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
            Self::SameOrigin => {
                "HTML's same-origin policy; this page's guard (window.top, window.opener) and \
                 its limits; the frame-ancestors 'none' header and an origin of its own (README, \
                 Deploy)."
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
            Self::CloudHsmUsers => {
                "AWS CloudHSM User Guide, \"HSM users\", \"Cluster synchronization\": the \
                 appliance user (AU) extracts and inserts masked objects; it cannot use or read keys."
            }
            Self::KeySeparation => {
                "Clulow, \"On the Security of PKCS #11\", CHES 2003; Bortolozzo, Centenaro, \
                 Focardi, Steel, \"Attacking and Fixing PKCS#11 Security Tokens\", ACM CCS 2010."
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

/// How a key-separation attack got a protected key out (FACTS.md,
/// "PKCS#11 key-separation attacks").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SeparationPath {
    /// The key was wrapped, then the blob unwrapped to plaintext by a key
    /// that may decrypt (`aesWrapUnwrap -m 0`, the workbench's "into this
    /// page", `exSymKey`).
    WrapThenDecrypt,
    /// The blob was unwrapped into a new key without SENSITIVE, or
    /// extractable where the original is not.
    LooserTemplate,
    /// The key has WRAP_WITH_TRUSTED; a bare (`-noheader`) blob of it was
    /// unwrapped into a key without it.
    TrustedWrapStripped,
}

impl SeparationPath {
    /// Every path.
    pub const ALL: [SeparationPath; 3] = [
        Self::WrapThenDecrypt,
        Self::LooserTemplate,
        Self::TrustedWrapStripped,
    ];

    /// Its name, as the cells say "Yes — via …".
    pub const fn title(self) -> &'static str {
        match self {
            Self::WrapThenDecrypt => "wrap-then-decrypt (Clulow 2003)",
            Self::LooserTemplate => "re-import under a looser template",
            Self::TrustedWrapStripped => "trusted wrap stripped by -noheader",
        }
    }

    /// What a real HSM does on this path.
    pub const fn real_hsm(self) -> &'static str {
        match self {
            Self::WrapThenDecrypt => {
                "A real PKCS#11 HSM does the same: SENSITIVE only forbids reading the value \
                 directly, so a key that may wrap and decrypt hands out what it wraps. \
                 CloudHSM's exSymKey takes this path by design."
            }
            Self::LooserTemplate => {
                "A real PKCS#11 HSM lets whoever unwraps a bare blob choose the new key's \
                 attributes, and a copy wrapped before EXTRACTABLE was cleared unwraps \
                 extractable; CloudHSM keeps a header's attributes, not a bare blob's."
            }
            Self::TrustedWrapStripped => {
                "A real PKCS#11 HSM keeps WRAP_WITH_TRUSTED in the key and in a header, not \
                 in a bare blob: unwrapped again, the copy has lost it."
            }
        }
    }

    /// The policy that stops it.
    pub const fn defence(self) -> &'static str {
        match self {
            Self::WrapThenDecrypt => {
                "WRAP_WITH_TRUSTED on the key (setAttribute -a 528 -v 1, one-way), and TRUSTED \
                 (set by the crypto officer) only on KEKs that wrap but do not decrypt (UNWRAP \
                 off); a real officer also makes them unmodifiable (CKA_MODIFIABLE, not \
                 modelled here). A key that never leaves: genSymKey -nex."
            }
            Self::LooserTemplate => {
                "Clear EXTRACTABLE before any copy exists, or WRAP_WITH_TRUSTED with trusted \
                 KEKs that do not unwrap here (or an unwrap template the officer fixes); keep \
                 the header, which unWrapKey lets only tighten."
            }
            Self::TrustedWrapStripped => {
                "Trusted KEKs that wrap but do not unwrap here (UNWRAP off), and the header, \
                 which keeps WRAP_WITH_TRUSTED."
            }
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

/// A wrapped copy of the key, as facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrappedCopyFact {
    /// Where it is, in words ("the file mykey.key").
    pub place: String,
    /// The key that wrapped it.
    pub wrapping: KeyHandle,
    /// Whether a header (label, id, flags, KCV in the clear) comes first.
    pub header: bool,
    /// The key in this HSM that opens it, if any
    /// ([`crate::hsm::copies::opener_of`]).
    pub opener: Option<KeyHandle>,
    /// Whether the logged-in user may use the opener to unwrap.
    pub you_open: bool,
    /// The other crypto users who may use the opener to unwrap, by name.
    pub others_open: Vec<String>,
    /// Whether the copy is in this tab (files, outputs, the transcript).
    pub in_page: bool,
}

/// A copy of the key's bytes in the clear (in this tab), as facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlaintextCopyFact {
    /// Where it is, in words.
    pub place: String,
    /// When the copy broke the key's attributes: how.
    pub via: Option<SeparationPath>,
}

/// Another object in the HSM with the same bytes (an unwrap or import made
/// it), as facts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TwinFact {
    /// Its handle.
    pub handle: KeyHandle,
    /// Whether the page would reveal it to you.
    pub revealable: bool,
    /// When it dropped the key's protection: how.
    pub via: Option<SeparationPath>,
}

/// Another crypto user of the HSM and the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtherUserFact {
    /// Their name.
    pub name: String,
    /// They own the key.
    pub owns: bool,
    /// It is shared with them.
    pub shared: bool,
}

/// What [`decide`] needs to know about one key — plain facts, no bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyFacts {
    /// The key.
    pub handle: KeyHandle,
    /// How the logged-in user relates to it.
    pub relation: Relation,
    /// Whether the logged-in user may see the key's metadata (its owner,
    /// users it is shared with, the crypto officer).
    pub you_see_metadata: bool,
    /// `OBJ_ATTR_EXTRACTABLE`.
    pub extractable: bool,
    /// `OBJ_ATTR_SENSITIVE`.
    pub sensitive: bool,
    /// Every wrapped copy ([`crate::hsm::copies`]).
    pub wrapped_copies: Vec<WrappedCopyFact>,
    /// Every copy of its bytes in the clear, in this tab.
    pub plaintext_copies: Vec<PlaintextCopyFact>,
    /// Other objects in the HSM with the same bytes.
    pub twins: Vec<TwinFact>,
    /// The other crypto users of the HSM.
    pub other_users: Vec<OtherUserFact>,
    /// The keys whose wrapped copies this key made (it is their KEK).
    pub wraps: Vec<KeyHandle>,
}

impl KeyFacts {
    /// Facts of a key with no copies, no other users, nothing wrapped.
    pub fn new(handle: KeyHandle, relation: Relation, extractable: bool, sensitive: bool) -> Self {
        Self {
            handle,
            relation,
            you_see_metadata: relation != Relation::None,
            extractable,
            sensitive,
            wrapped_copies: Vec::new(),
            plaintext_copies: Vec::new(),
            twins: Vec::new(),
            other_users: Vec::new(),
            wraps: Vec::new(),
        }
    }

    fn places<'a>(copies: impl Iterator<Item = &'a WrappedCopyFact>) -> String {
        copies
            .map(|c| format!("{} (under key {})", c.place, c.wrapping))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn blob_files(&self) -> String {
        Self::places(self.wrapped_copies.iter())
    }

    /// The plaintext copies (all in this tab).
    fn page_plaintext(&self) -> impl Iterator<Item = &PlaintextCopyFact> {
        self.plaintext_copies.iter()
    }

    fn page_plaintext_places(&self) -> String {
        self.page_plaintext()
            .map(|c| c.place.clone())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The first path by which a copy broke the key's attributes.
    fn leak(&self) -> Option<SeparationPath> {
        self.plaintext_copies
            .iter()
            .find_map(|c| c.via)
            .or_else(|| self.twins.iter().find_map(|t| t.via))
    }

    fn protection(&self) -> &'static str {
        match (self.sensitive, self.extractable) {
            (true, false) => "sensitive and not extractable",
            (true, true) => "sensitive",
            (false, false) => "not extractable",
            (false, true) => "neither sensitive nor protected from extraction",
        }
    }
}

/// Decides one cell: can `actor` get `capability` of the key in `mode`?
///
/// Pure: the same inputs always give the same verdict.
pub fn decide(actor: Actor, capability: Capability, key: &KeyFacts, mode: TenancyMode) -> Verdict {
    match actor {
        Actor::You => you(capability, key),
        Actor::PageHost => page_host(capability),
        Actor::OriginCode => origin_code(capability, key),
        Actor::OtherUser => other_user(capability, key),
        Actor::OtherTenant => other_tenant(mode),
        Actor::Provider => provider(capability, key, mode),
        Actor::BlobHolder => blob_holder(capability, key),
        Actor::KekHolder => kek_holder(capability, key),
    }
}

fn you(capability: Capability, key: &KeyFacts) -> Verdict {
    use Answer::{No, Possible, Yes};
    let h = key.handle;
    let openable: Vec<&WrappedCopyFact> = key
        .wrapped_copies
        .iter()
        .filter(|c| c.you_open && c.in_page)
        .collect();
    let openable_text = || KeyFacts::places(openable.iter().copied());
    match capability {
        Capability::Plaintext => {
            if key.page_plaintext().next().is_some() {
                let places = key.page_plaintext_places();
                return match key.page_plaintext().find_map(|c| c.via) {
                    Some(path) => Verdict::new(
                        Yes,
                        format!(
                            "Yes — via {}: key {h} is {}, yet {places} hold its bytes in the \
                             clear. A real HSM allows this too; what stops it: {}",
                            path.title(),
                            key.protection(),
                            path.defence()
                        ),
                        Source::KeySeparation,
                    ),
                    None => Verdict::new(
                        Yes,
                        format!("{places} hold the bytes of key {h} in the clear."),
                        Source::KmuDocs,
                    ),
                };
            }
            if key.relation == Relation::Owner
                && policy::may_reveal(true, key.extractable, key.sensitive)
            {
                return Verdict::new(
                    Yes,
                    format!(
                        "You own key {h}; it is extractable and not sensitive, so the page may reveal it to you."
                    ),
                    Source::Pkcs11,
                );
            }
            // A looser twin is one step from plaintext, as exSymKey is for
            // a sensitive key you own: Possible until the bytes are out.
            if let Some((twin, path)) = key.twins.iter().find_map(|t| t.via.map(|p| (t, p))) {
                let how = if twin.revealable {
                    "the page would reveal it to you"
                } else {
                    "its attributes are looser than this key's"
                };
                return Verdict::new(
                    Possible,
                    format!(
                        "Possible — via {}: key {h} is {}, yet key {} holds the same bytes \
                         without that protection, and {how}.",
                        path.title(),
                        key.protection(),
                        twin.handle
                    ),
                    Source::KeySeparation,
                );
            }
            match key.relation {
                Relation::Owner if key.extractable => Verdict::new(
                    Possible,
                    format!(
                        "Key {h} is sensitive, so its value is never shown; but you own it and it is \
                         extractable, so exSymKey would write it to a file in the clear."
                    ),
                    Source::KmuDocs,
                ),
                _ if !openable.is_empty() => Verdict::new(
                    Possible,
                    format!(
                        "Key {h} is {} and {}, but a wrapped copy exists in {} and you may use \
                         its key to unwrap: aesWrapUnwrap -m 0 of a bare blob gives its bytes \
                         (wrap-then-decrypt), unWrapKey an extractable copy. No attribute \
                         follows a copy.",
                        key.protection(),
                        match key.relation {
                            Relation::Owner => "yours",
                            Relation::SharedWithYou => "only shared with you",
                            Relation::None => "not shared with you",
                        },
                        openable_text()
                    ),
                    Source::KeySeparation,
                ),
                Relation::Owner => Verdict::new(
                    No,
                    format!(
                        "Key {h} is not extractable and no copy of it exists: no command will let \
                         its bytes out, and it can never become extractable again."
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
            }
        }
        Capability::WrappedBlob => {
            let in_page: Vec<&WrappedCopyFact> =
                key.wrapped_copies.iter().filter(|c| c.in_page).collect();
            match key.relation {
                Relation::Owner if key.extractable => Verdict::new(
                    Yes,
                    format!(
                        "You own key {h} and it is extractable: wrapKey writes a wrapped copy."
                    ),
                    Source::KmuDocs,
                ),
                _ if !in_page.is_empty() => Verdict::new(
                    Yes,
                    format!(
                        "Wrapped copies of key {h} are in this tab: {}. The HSM would not make \
                         another for you; these exist already.",
                        KeyFacts::places(in_page.into_iter())
                    ),
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
            }
        }
        Capability::Use => match key.relation {
            Relation::Owner => Verdict::new(Yes, format!("You own key {h}."), Source::KmuDocs),
            Relation::SharedWithYou => Verdict::new(
                Yes,
                format!("Key {h} is shared with you: you may use it in operations."),
                Source::KmuDocs,
            ),
            Relation::None if !openable.is_empty() => Verdict::new(
                Possible,
                format!(
                    "Key {h} is not shared with you, but unWrapKey of {} makes you your own \
                     copy of it, to use as you like.",
                    openable_text()
                ),
                Source::KmuDocs,
            ),
            Relation::None => Verdict::new(
                No,
                format!("Key {h} is neither yours nor shared with you."),
                Source::KmuDocs,
            ),
        },
    }
}

// By the matrix's own standard ("could they, if they chose to?") the host is
// Possible: it serves this page's code and could serve other code on the
// next load, and the SRI hashes come from the same host.
fn page_host(capability: Capability) -> Verdict {
    let reason = match capability {
        Capability::Plaintext => {
            "The host serves this page's code and could serve other code on the next load (the \
             SRI hashes come from the same host), code that sends out whatever you generate, \
             paste or reveal. This load cannot send it anything: the lock blocks every request \
             the page makes (subresources, connections, beacons, workers, forms); no policy can \
             block a navigation of the tab or WebRTC, so the page removed WebRTC at boot and its \
             own code never navigates. To take the host out, run the offline single file and \
             check it with sha256sum."
        }
        Capability::WrappedBlob => {
            "Wrapped files stay in the page until you download them, and this load cannot upload \
             them; the next load's code is the host's choice, and it could."
        }
        Capability::Use => {
            "Nothing in this load answers requests from the host; code it serves on the next \
             load could use the keys you make then."
        }
    };
    Verdict::new(Answer::Possible, reason, Source::ThisPage)
}

fn origin_code(capability: Capability, key: &KeyFacts) -> Verdict {
    let h = key.handle;
    let base = "To the browser, a page on this origin is this page. The console refuses to run \
                framed or held by an opener, but a same-origin page that scripts it before that \
                check (a host without frame-ancestors 'none') reads what it shows and types \
                commands as you. Serve the console on an origin of its own.";
    let reason = match capability {
        Capability::Plaintext => {
            if key.page_plaintext().next().is_some() {
                format!(
                    "{base} The page holds the bytes of key {h} now: {}.",
                    key.page_plaintext_places()
                )
            } else {
                base.to_owned()
            }
        }
        Capability::WrappedBlob => {
            let in_page: Vec<&WrappedCopyFact> =
                key.wrapped_copies.iter().filter(|c| c.in_page).collect();
            if in_page.is_empty() {
                base.to_owned()
            } else {
                format!(
                    "{base} Wrapped copies in the page now: {}.",
                    KeyFacts::places(in_page.into_iter())
                )
            }
        }
        Capability::Use => base.to_owned(),
    };
    Verdict::new(Answer::Possible, reason, Source::SameOrigin)
}

fn other_user(capability: Capability, key: &KeyFacts) -> Verdict {
    use Answer::{No, Possible, Yes};
    let h = key.handle;
    let owners: Vec<&str> = key
        .other_users
        .iter()
        .filter(|u| u.owns)
        .map(|u| u.name.as_str())
        .collect();
    let sharers: Vec<&str> = key
        .other_users
        .iter()
        .filter(|u| u.shared)
        .map(|u| u.name.as_str())
        .collect();
    let openers: Vec<(&str, &WrappedCopyFact)> = key
        .wrapped_copies
        .iter()
        .flat_map(|c| c.others_open.iter().map(move |u| (u.as_str(), c)))
        .filter(|(u, _)| !owners.contains(u))
        .collect();
    let opener_text = || {
        openers
            .iter()
            .map(|(u, c)| {
                format!(
                    "{u} may use key {} to unwrap {}",
                    c.opener.unwrap_or(c.wrapping),
                    c.place
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    match capability {
        Capability::Plaintext => {
            if let Some(owner) = owners.first()
                && key.extractable
            {
                return Verdict::new(
                    Possible,
                    format!("{owner} owns key {h}: exSymKey would give them its bytes."),
                    Source::KmuDocs,
                );
            }
            if !openers.is_empty() {
                return Verdict::new(
                    Possible,
                    format!(
                        "{}. With a copy of that file, aesWrapUnwrap -m 0 gives them the bytes \
                         of key {h} even though key {h} is not shared with them: sharing a KEK \
                         shares every key wrapped under it.",
                        opener_text()
                    ),
                    Source::KeySeparation,
                );
            }
            let why = if sharers.is_empty() {
                format!("No other user owns key {h}, has it shared or can open a copy of it.")
            } else {
                format!(
                    "Key {h} is shared with {}: they may use it, not export it; no copy of it \
                     opens under a key they hold.",
                    sharers.join(", ")
                )
            };
            Verdict::new(No, why, Source::KmuDocs)
        }
        Capability::WrappedBlob => match owners.first() {
            Some(owner) if key.extractable => Verdict::new(
                Yes,
                format!("{owner} owns key {h} and it is extractable: wrapKey makes them a copy."),
                Source::KmuDocs,
            ),
            _ => Verdict::new(
                No,
                format!(
                    "Only the owner may wrap key {h}, and no other user both owns it and may; a \
                     copy they are given is the blob holder's row."
                ),
                Source::KmuDocs,
            ),
        },
        Capability::Use => {
            let users: Vec<&str> = owners.iter().chain(&sharers).copied().collect();
            if !users.is_empty() {
                Verdict::new(
                    Yes,
                    format!("{} may use key {h}: owner or shared.", users.join(", ")),
                    Source::KmuDocs,
                )
            } else if !openers.is_empty() {
                Verdict::new(
                    Possible,
                    format!(
                        "{}: unWrapKey gives them their own copy of key {h} to use.",
                        opener_text()
                    ),
                    Source::KmuDocs,
                )
            } else {
                Verdict::new(
                    No,
                    format!("Key {h} is neither theirs nor shared with them."),
                    Source::KmuDocs,
                )
            }
        }
    }
}

fn other_tenant(mode: TenancyMode) -> Verdict {
    match mode {
        TenancyMode::SharedMultiTenant => Verdict::new(
            Answer::No,
            "Another tenant shares the hardware but not your partition: the provider's \
             partition software keeps them from your keys. The separation is software the \
             provider runs, not hardware you control.",
            Source::SharedServiceFips,
        ),
        TenancyMode::DedicatedSingleTenant => Verdict::new(
            Answer::No,
            "A dedicated HSM has no other tenant: no other customer's users exist on it.",
            Source::CloudHsmFips,
        ),
    }
}

fn provider(capability: Capability, key: &KeyFacts, mode: TenancyMode) -> Verdict {
    let h = key.handle;
    match mode {
        TenancyMode::SharedMultiTenant => Verdict::new(
            Answer::Possible,
            format!(
                "The provider runs the software that separates tenants and enforces every \
                 attribute, so it could read, copy or use key {h} whatever its attributes say \
                 (a shared service at FIPS 140-2 Level 2). Today's AWS KMS fleet is FIPS \
                 140-3 Level 3 and AWS states operators cannot reach plaintext keys: a \
                 promise about its design, not a separation you hold."
            ),
            Source::SharedServiceFips,
        ),
        TenancyMode::DedicatedSingleTenant => match capability {
            Capability::WrappedBlob => Verdict::new(
                Answer::Possible,
                format!(
                    "AWS's appliance user, on every CloudHSM HSM for cluster synchronization, \
                     can extract and insert masked objects: key {h} encrypted under a masking \
                     key that never leaves the cluster's HSMs. So the provider can hold an \
                     encrypted copy, never one it can open."
                ),
                Source::CloudHsmUsers,
            ),
            Capability::Plaintext | Capability::Use => Verdict::new(
                Answer::No,
                "On a dedicated CloudHSM the provider has no crypto user: you create the crypto \
                 officer and crypto users. Its appliance user copies masked keys between the \
                 cluster's HSMs but cannot read or use them; FIPS 140 Level 3 adds \
                 identity-based authentication and tamper response.",
                Source::CloudHsmUsers,
            ),
        },
    }
}

fn blob_holder(capability: Capability, key: &KeyFacts) -> Verdict {
    use Answer::{No, Yes};
    let h = key.handle;
    match capability {
        Capability::Plaintext => {
            let headers: Vec<&str> = key
                .wrapped_copies
                .iter()
                .filter(|c| c.header)
                .map(|c| c.place.as_str())
                .collect();
            let sealed = key.wrapped_copies.iter().any(|c| c.opener.is_none());
            let mut reason = String::from(
                "A wrapped blob is ciphertext under its KEK: without the KEK it shows the \
                 key's length and (key wrap being deterministic) whether two blobs under one \
                 KEK hold the same key.",
            );
            if !headers.is_empty() {
                reason.push_str(&format!(
                    " But {} carries a key_mgmt_util header with the key's label, id, flags \
                     and KCV in the clear: the KCV links copies of one key under different \
                     KEKs and confirms a guess of the key.",
                    headers.join(", ")
                ));
            }
            if sealed {
                reason.push_str(
                    " A copy no key in this HSM opens is opened only by whoever holds its \
                     wrapping key's other half; to anyone else it is its length.",
                );
            }
            Verdict::new(No, reason, Source::KeyWrapStandard)
        }
        Capability::WrappedBlob => {
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
        Capability::Use => Verdict::new(
            No,
            "To use the key they must unwrap it into an HSM or software, which takes the KEK.",
            Source::KeyWrapStandard,
        ),
    }
}

fn kek_holder(capability: Capability, key: &KeyFacts) -> Verdict {
    use Answer::{No, Possible};
    let h = key.handle;
    let none_yet = if key.wraps.is_empty() {
        format!(
            "No wrapped copy of key {h} exists yet, so a KEK alone opens nothing. Every future \
             wrapKey under that KEK hands them the key."
        )
    } else {
        let wrapped: Vec<String> = key.wraps.iter().map(ToString::to_string).collect();
        format!(
            "Key {h} is itself a KEK (it wrapped key {}): for key {h} this row means a key \
             that wraps key {h}, and none has. Whoever holds key {h} itself in the clear opens \
             what it wrapped: see the matrix of key {}.",
            wrapped.join(", key "),
            wrapped.join(", key ")
        )
    };
    match capability {
        Capability::Plaintext => {
            if key.wrapped_copies.is_empty() && !key.extractable {
                Verdict::new(
                    No,
                    format!(
                        "Key {h} is not extractable and no wrapped copy of it exists for a KEK \
                         to open."
                    ),
                    Source::Pkcs11,
                )
            } else if key.wrapped_copies.is_empty() {
                Verdict::new(No, none_yet, Source::KeyWrapStandard)
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
        Capability::WrappedBlob => Verdict::new(
            No,
            "The KEK does not make the blob: they need a copy of the wrapped file too.",
            Source::KeyWrapStandard,
        ),
        Capability::Use => {
            if key.wrapped_copies.is_empty() {
                Verdict::new(No, none_yet, Source::KeyWrapStandard)
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

/// Whether `actor` can read the key's label (and id) now, from the facts:
/// you when the HSM shows you the key; code on this origin, which reads
/// what the page shows you; another user who owns or shares it; the
/// provider of a shared service; a blob holder when a copy carries a
/// header. The tables redact it for everyone else.
pub fn sees_label(actor: Actor, key: &KeyFacts, mode: TenancyMode) -> bool {
    match actor {
        Actor::You | Actor::OriginCode => key.you_see_metadata,
        Actor::OtherUser => key.other_users.iter().any(|u| u.owns || u.shared),
        Actor::Provider => mode == TenancyMode::SharedMultiTenant,
        Actor::BlobHolder => key.wrapped_copies.iter().any(|c| c.header),
        Actor::PageHost | Actor::OtherTenant | Actor::KekHolder => false,
    }
}

/// Whether a leak made by a key-separation attack is among the facts.
pub fn separation_leak(key: &KeyFacts) -> Option<SeparationPath> {
    key.leak()
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
        (Actor::OriginCode, _) => (
            FileSight::Bytes,
            "Code on this origin that scripts the page reads its files as you do.",
        ),
        (Actor::OtherUser, _) => (
            FileSight::Nothing,
            "In-page files are in your tab, not in the HSM: another user gets one only if it is handed over.",
        ),
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
