//! The "Prepare a key for import" panel's own state: a small reducer of its
//! own (the panel is self-contained), a thin adapter over
//! `keywrap_core::byok`. The reducer calls the core; it never does crypto
//! itself, and effects (download, clipboard, file reading) live in the
//! panel's callbacks.

use std::cell::RefCell;
use std::rc::Rc;

use keywrap_core::Session;
use keywrap_core::byok::{
    self, ImportPackage, MaterialKind, OaepHash, PackageRequest, PackageSteps, Provider,
    TestKeyPair, WrappingPublicKey,
};
use keywrap_core::random;
use keywrap_core::store::KeyHandle;
use yew::Reducible;
use zeroize::Zeroizing;

use crate::state::decode_pasted;

/// Where the key material comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MaterialSource {
    /// A fresh random key of this many bytes, made here.
    Generate(usize),
    /// Bytes pasted as hex or base64.
    Paste,
    /// A key in the virtual HSM (the core decides whether it may be
    /// packaged: a secret key you own and may export).
    HsmKey(KeyHandle),
}

/// A package and its two layers, as the panel shows them.
pub struct Prepared {
    /// The provider's file, the commands.
    pub package: ImportPackage,
    /// The step view (holds key bytes in its KWP trace: wiped on drop).
    pub steps: PackageSteps,
}

/// The public key the user gave, read by the core.
#[derive(Clone)]
pub struct KeyReading {
    /// The key, or the core's error.
    pub key: Result<Rc<WrappingPublicKey>, String>,
    /// Whether it is the practice pair generated here.
    pub practice: bool,
}

/// Everything the panel shows.
#[derive(Clone)]
pub struct ByokState {
    /// The provider.
    pub provider: Provider,
    /// The algorithm, in the provider's spelling.
    pub algorithm: &'static str,
    /// The hash, for PKCS#11 (whose names do not fix it).
    pub hash: OaepHash,
    /// The public key as pasted (not secret).
    pub public_key_text: String,
    /// The core's reading of it.
    pub public_key: Option<KeyReading>,
    /// A practice key pair generated here, if any.
    pub practice_pair: Option<Rc<TestKeyPair>>,
    /// Where the material comes from.
    pub source: MaterialSource,
    /// Pasted material (hex or base64), wiped on drop.
    pub material_text: Zeroizing<String>,
    /// What the material is.
    pub material_kind: MaterialKind,
    /// Azure: the key-exchange key's id.
    pub kid: String,
    /// Azure: the new key's name.
    pub key_name: String,
    /// The last package, or why it could not be made.
    pub result: Option<Result<Rc<Prepared>, String>>,
    /// A line about the last download or copy.
    pub notice: Option<(String, bool)>,
}

impl Default for ByokState {
    fn default() -> ByokState {
        ByokState {
            provider: Provider::Aws,
            algorithm: "RSA_AES_KEY_WRAP_SHA_256",
            hash: OaepHash::Sha256,
            public_key_text: String::new(),
            public_key: None,
            practice_pair: None,
            source: MaterialSource::Generate(32),
            material_text: Zeroizing::new(String::new()),
            material_kind: MaterialKind::Auto,
            kid: String::new(),
            key_name: String::new(),
            result: None,
            notice: None,
        }
    }
}

/// What the panel's controls do.
pub enum ByokAction {
    /// Choose the provider (its first algorithm is selected).
    Provider(Provider),
    /// Choose the algorithm by name.
    Algorithm(String),
    /// Choose the PKCS#11 hash.
    Hash(OaepHash),
    /// The public key text changed (pasted or typed).
    PublicKeyText(String),
    /// A public key file was uploaded.
    PublicKeyFile(Vec<u8>),
    /// Generate a practice RSA key pair of this many bits and use its public half.
    GeneratePractice(usize),
    /// Choose where the material comes from.
    Source(MaterialSource),
    /// The pasted material changed.
    MaterialText(String),
    /// Choose what the material is.
    MaterialKind(MaterialKind),
    /// Azure key id.
    Kid(String),
    /// Azure key name.
    KeyName(String),
    /// Make the package (the session, for a key in the virtual HSM).
    Prepare(Rc<RefCell<Session>>),
    /// Say how a download or copy went.
    Notice(String, bool),
}

impl ByokState {
    fn read_key(&mut self, bytes: &[u8]) {
        self.practice_pair = None;
        self.public_key = if bytes.iter().all(u8::is_ascii_whitespace) {
            None
        } else {
            Some(KeyReading {
                key: WrappingPublicKey::parse(bytes)
                    .map(Rc::new)
                    .map_err(|e| e.to_string()),
                practice: false,
            })
        };
        self.result = None;
    }

    fn prepare(&self, session: &RefCell<Session>) -> Result<Prepared, String> {
        let key = match &self.public_key {
            Some(KeyReading { key: Ok(key), .. }) => Rc::clone(key),
            Some(KeyReading { key: Err(e), .. }) => return Err(format!("The public key: {e}.")),
            None => {
                return Err("Paste or upload the provider's public wrapping key first.".to_owned());
            }
        };
        let algorithm = self
            .provider
            .algorithm(self.algorithm)
            .map_err(|e| e.to_string())?;
        let kid = self.kid.trim();
        let key_name = self.key_name.trim();
        let practice = self.practice_pair.as_deref();
        let build = |material: &[u8]| {
            let request = PackageRequest {
                algorithm,
                hash: matches!(algorithm.hash, byok::HashRule::Chosen).then_some(self.hash),
                aes: None,
                wrapping_key: &key,
                material,
                material_kind: self.material_kind,
                kid: (!kid.is_empty()).then_some(kid),
                key_name: (!key_name.is_empty()).then_some(key_name),
            };
            byok::prepare_with_steps(&request, practice)
        };
        let material: Zeroizing<Vec<u8>> = match self.source {
            MaterialSource::Generate(len) => random::generate_key(len)
                .map_err(|e| e.to_string())?
                .into_zeroizing(),
            MaterialSource::Paste => decode_pasted(&self.material_text, "The key material")?.0,
            MaterialSource::HsmKey(handle) => {
                // The key's bytes stay in the core: it checks the rule and
                // hands them to `build` only for the wrap.
                let mut session = session
                    .try_borrow_mut()
                    .map_err(|_| "The page is busy; try again.".to_owned())?;
                return session
                    .byok_package_of_key(handle, build)
                    .map(|(package, steps)| Prepared { package, steps })
                    .map_err(|e| format!("Key {handle} cannot be packaged: {e}."));
            }
        };
        build(&material)
            .map(|(package, steps)| Prepared { package, steps })
            .map_err(|e| format!("{e}."))
    }
}

impl Reducible for ByokState {
    type Action = ByokAction;

    fn reduce(self: Rc<Self>, action: ByokAction) -> Rc<Self> {
        let mut next = (*self).clone();
        if !matches!(action, ByokAction::Notice(..)) {
            next.notice = None;
        }
        match action {
            ByokAction::Provider(p) => {
                next.provider = p;
                next.algorithm = p.algorithms().next().map_or("", |a| a.name);
                next.result = None;
            }
            ByokAction::Algorithm(name) => {
                if let Ok(a) = next.provider.algorithm(&name) {
                    next.algorithm = a.name;
                }
                next.result = None;
            }
            ByokAction::Hash(h) => next.hash = h,
            ByokAction::PublicKeyText(text) => {
                next.read_key(text.as_bytes());
                next.public_key_text = text;
            }
            ByokAction::PublicKeyFile(bytes) => {
                next.read_key(&bytes);
                next.public_key_text = match next.public_key.as_ref().map(|r| &r.key) {
                    Some(Ok(key)) => key.to_pem(),
                    _ => String::new(),
                };
            }
            ByokAction::GeneratePractice(bits) => match TestKeyPair::generate(bits) {
                Ok(pair) => {
                    let public = Rc::new(pair.public_key().clone());
                    next.public_key_text = public.to_pem();
                    next.public_key = Some(KeyReading {
                        key: Ok(public),
                        practice: true,
                    });
                    next.practice_pair = Some(Rc::new(pair));
                    next.result = None;
                }
                Err(e) => {
                    next.public_key = Some(KeyReading {
                        key: Err(e.to_string()),
                        practice: false,
                    });
                }
            },
            ByokAction::Source(s) => next.source = s,
            ByokAction::MaterialText(t) => next.material_text = Zeroizing::new(t),
            ByokAction::MaterialKind(k) => next.material_kind = k,
            ByokAction::Kid(k) => next.kid = k,
            ByokAction::KeyName(k) => next.key_name = k,
            ByokAction::Prepare(session) => {
                next.result = Some(next.prepare(&session).map(Rc::new));
            }
            ByokAction::Notice(text, ok) => next.notice = Some((text, ok)),
        }
        Rc::new(next)
    }
}
