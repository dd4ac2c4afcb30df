//! "Prepare a key for import": a cloud KMS's import package made in this
//! tab from the provider's public wrapping key. Choose the provider and its
//! algorithm, paste or upload the public key (its size and fingerprint are
//! shown to compare with the provider's console), choose the material (a
//! fresh key made here, pasted bytes, or a key in the virtual HSM that you
//! own and may export: the core says why not otherwise), and get the provider's file
//! (download, or copy as base64), the command that finishes the import,
//! the same with OpenSSL 3, both layers of the wrap, and the package's
//! byte map (RSA part ‖ KWP part).
//!
//! Self-contained: its own reducer ([`crate::byok_state`]); the core does
//! every check and every byte of crypto. Nothing is sent anywhere.

use keywrap_core::byok::{
    HashRule, KwpLayer, MaterialKind, OaepHash, OaepMasking, PackageSteps, Provider, Scheme,
};
use std::cell::RefCell;
use std::rc::Rc;

use keywrap_core::Session;
use keywrap_core::bytemap;
use keywrap_core::encoding::encode_hex_upper;
use keywrap_core::hsm::KeyView;
use keywrap_core::store::KeyHandle;
use keywrap_core::wrap::trace::{Rounds, WrapTrace};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::byok_state::{ByokAction, ByokState, KeyReading, MaterialSource, Prepared};

/// The largest public key file read.
const MAX_KEY_FILE: usize = 64 * 1024;

type Dispatch = UseReducerDispatcher<ByokState>;

/// The value of the input, textarea or select an event came from.
fn value_of(e: &Event) -> String {
    let target = e.target();
    target
        .as_ref()
        .and_then(|t| t.dyn_ref::<HtmlInputElement>().map(HtmlInputElement::value))
        .or_else(|| {
            target.as_ref().and_then(|t| {
                t.dyn_ref::<HtmlTextAreaElement>()
                    .map(HtmlTextAreaElement::value)
            })
        })
        .or_else(|| {
            target.as_ref().and_then(|t| {
                t.dyn_ref::<HtmlSelectElement>()
                    .map(HtmlSelectElement::value)
            })
        })
        .unwrap_or_default()
}

fn on_value<E>(dispatch: &Dispatch, make: fn(String) -> ByokAction) -> Callback<E>
where
    E: AsRef<Event> + 'static,
{
    let dispatch = dispatch.clone();
    Callback::from(move |e: E| dispatch.dispatch(make(value_of(e.as_ref()))))
}

/// What the panel reads of the app: the session (a key in the virtual HSM
/// as material) and the keys you can see.
#[derive(Properties)]
pub struct ByokProps {
    /// The virtual HSM.
    pub session: Rc<RefCell<Session>>,
    /// The keys the logged-in user can see (the material choices).
    pub keys: Rc<Vec<KeyView>>,
    /// Called after a package of an HSM key (the audit log changed).
    pub on_session_changed: Callback<()>,
}

impl PartialEq for ByokProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.session, &other.session)
            && Rc::ptr_eq(&self.keys, &other.keys)
            && self.on_session_changed == other.on_session_changed
    }
}

/// How a key in the HSM is offered as material.
fn hsm_key_option(k: &KeyView) -> String {
    format!(
        "HSM key {} · {} · {} {} bytes",
        k.handle,
        k.label(),
        k.attributes.key_type.name(),
        k.attributes.value_len
    )
}

/// The panel.
#[component]
pub fn ByokPanel(props: &ByokProps) -> Html {
    let state = use_reducer(ByokState::default);
    let dispatch = state.dispatcher();
    // The FileReader must live until it calls back.
    let reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);

    let on_provider = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            if let Ok(p) = value_of(&e).parse::<Provider>() {
                dispatch.dispatch(ByokAction::Provider(p));
            }
        })
    };
    let on_hash = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            if let Ok(h) = value_of(&e).parse::<OaepHash>() {
                dispatch.dispatch(ByokAction::Hash(h));
            }
        })
    };
    let on_kind = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            if let Ok(k) = value_of(&e).parse::<MaterialKind>() {
                dispatch.dispatch(ByokAction::MaterialKind(k));
            }
        })
    };
    let on_source = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let value = value_of(&e);
            let source = match (value.parse::<usize>(), value.strip_prefix("hsm-")) {
                (Ok(len), _) => MaterialSource::Generate(len),
                (_, Some(h)) => match h.parse::<KeyHandle>() {
                    Ok(handle) => MaterialSource::HsmKey(handle),
                    Err(_) => MaterialSource::Paste,
                },
                _ => MaterialSource::Paste,
            };
            dispatch.dispatch(ByokAction::Source(source));
        })
    };
    let on_key_file = {
        let dispatch = dispatch.clone();
        let reader = std::rc::Rc::clone(&reader);
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let Some(file) = crate::browser::chosen_file(&input) else {
                return;
            };
            let dispatch = dispatch.clone();
            let done = Callback::from(move |r: Result<(String, Vec<u8>), String>| match r {
                Ok((_, bytes)) => dispatch.dispatch(ByokAction::PublicKeyFile(bytes)),
                Err(e) => dispatch.dispatch(ByokAction::Notice(e, false)),
            });
            *reader.borrow_mut() = crate::browser::read_file(file, MAX_KEY_FILE, done);
        })
    };
    let on_practice = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(ByokAction::GeneratePractice(2048)))
    };
    let on_prepare = {
        let dispatch = dispatch.clone();
        let session = Rc::clone(&props.session);
        let changed = props.on_session_changed.clone();
        let from_hsm = matches!(state.source, MaterialSource::HsmKey(_));
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            dispatch.dispatch(ByokAction::Prepare(Rc::clone(&session)));
            if from_hsm {
                changed.emit(());
            }
        })
    };

    let provider = state.provider;
    let algorithm = provider.algorithm(state.algorithm).ok();
    let hash_chosen = algorithm.is_some_and(|a| a.hash == HashRule::Chosen);
    let direct = algorithm.is_some_and(|a| a.scheme == Scheme::DirectOaep);

    html! {
        <section class="panel byok" aria-labelledby="byok-title">
            <h2 id="byok-title">{ "Prepare a key for import" }</h2>
            <p class="hint">{ "Wraps a key to a cloud KMS's or HSM's public wrapping key, in this tab. \
                The provider opens it with its private key; anyone else holding the file sees only its length." }</p>
            <form class="byok-form" aria-label="Prepare a key for import" onsubmit={on_prepare}>
                <label for="byok-provider">{ "Provider" }</label>
                <select id="byok-provider" onchange={on_provider}>
                    { for Provider::ALL.iter().map(|p| html! {
                        <option value={p.cli_name()} selected={*p == provider}>{ p.display_name() }</option>
                    }) }
                </select>
                <label for="byok-algorithm">{ "Algorithm" }</label>
                <select id="byok-algorithm" onchange={on_value::<Event>(&dispatch, ByokAction::Algorithm)}>
                    { for provider.algorithms().map(|a| html! {
                        <option value={a.name} selected={a.name == state.algorithm}>{ a.name }</option>
                    }) }
                </select>
                if let Some(a) = algorithm {
                    <p class="hint" data-testid="byok-algorithm-summary">{ a.summary() }</p>
                }
                if hash_chosen {
                    <label for="byok-hash">{ "OAEP hash (and MGF1)" }</label>
                    <select id="byok-hash" onchange={on_hash}>
                        <option value="sha256" selected={state.hash == OaepHash::Sha256}>{ "SHA-256" }</option>
                        <option value="sha1" selected={state.hash == OaepHash::Sha1}>{ "SHA-1" }</option>
                    </select>
                }

                <label for="byok-public-key">{ "Provider's public wrapping key" }</label>
                <textarea id="byok-public-key" rows="6" spellcheck="false"
                    placeholder="-----BEGIN PUBLIC KEY-----, -----BEGIN RSA PUBLIC KEY-----, or base64 of DER (AWS's PublicKey)"
                    value={state.public_key_text.clone()}
                    oninput={on_value::<InputEvent>(&dispatch, ByokAction::PublicKeyText)} />
                <div class="row">
                    <label for="byok-public-key-file">{ "Upload the public key (PEM or DER)" }</label>
                    <input id="byok-public-key-file" type="file" onchange={on_key_file} />
                    <button type="button" onclick={on_practice}>{ "Generate a practice key pair (RSA-2048, for learning only)" }</button>
                </div>
                { key_info(state.public_key.as_ref()) }

                <label for="byok-source">{ "Key material" }</label>
                <select id="byok-source" onchange={on_source}>
                    { for [16usize, 24, 28, 32, 48, 64].iter().map(|len| html! {
                        <option value={len.to_string()} selected={state.source == MaterialSource::Generate(*len)}>
                            { format!("A fresh {len}-byte key generated here") }
                        </option>
                    }) }
                    <option value="paste" selected={state.source == MaterialSource::Paste}>{ "Pasted bytes (hex or base64)" }</option>
                    { for props.keys.iter().map(|k| html! {
                        <option value={format!("hsm-{}", k.handle)}
                            selected={state.source == MaterialSource::HsmKey(k.handle)}>
                            { hsm_key_option(k) }
                        </option>
                    }) }
                </select>
                if let MaterialSource::HsmKey(h) = state.source {
                    <p class="hint" data-testid="byok-hsm-rule">{ format!(
                        "Key {h} is wrapped inside the core, under the HSM's own rule: a secret key you own,                          extractable, not wrap-with-trusted. Its bytes are never shown here; a sensitive key's                          KWP steps are withheld.") }</p>
                }
                if state.source == MaterialSource::Paste {
                    <label for="byok-material">{ "Key material (hex or base64)" }</label>
                    <textarea id="byok-material" rows="3" spellcheck="false" autocomplete="off"
                        value={state.material_text.to_string()}
                        oninput={on_value::<InputEvent>(&dispatch, ByokAction::MaterialText)} />
                }
                <label for="byok-kind">{ "The material is" }</label>
                <select id="byok-kind" onchange={on_kind}>
                    <option value="auto" selected={state.material_kind == MaterialKind::Auto}>{ "Found out: a PKCS#8 private key, else a symmetric key" }</option>
                    <option value="symmetric" selected={state.material_kind == MaterialKind::Symmetric}>{ "A symmetric (AES) key" }</option>
                    <option value="hmac" selected={state.material_kind == MaterialKind::Hmac}>{ "An HMAC key" }</option>
                    <option value="secret" selected={state.material_kind == MaterialKind::Secret}>{ "A generic secret (PKCS#11)" }</option>
                </select>
                if provider == Provider::Azure {
                    <label for="byok-kid">{ "Key-exchange key id (kid)" }</label>
                    <input id="byok-kid" type="url" spellcheck="false"
                        placeholder="https://VAULT.vault.azure.net/keys/NAME/VERSION"
                        value={state.kid.clone()} oninput={on_value::<InputEvent>(&dispatch, ByokAction::Kid)} />
                    <label for="byok-key-name">{ "Name of the new key" }</label>
                    <input id="byok-key-name" type="text" spellcheck="false"
                        value={state.key_name.clone()} oninput={on_value::<InputEvent>(&dispatch, ByokAction::KeyName)} />
                }
                if direct {
                    <p class="hint">{ "Direct RSA-OAEP carries only short material (no private keys)." }</p>
                }
                <button type="submit">{ "Prepare the package" }</button>
            </form>
            if let Some((text, ok)) = &state.notice {
                <p class={if *ok { "hint ok" } else { "error" }} role="status">{ text.clone() }</p>
            }
            { match &state.result {
                None => html! {},
                Some(Err(e)) => html! {
                    <div class="result failed" role="alert" data-testid="byok-error">
                        <span aria-hidden="true">{ "✖ " }</span>{ e.clone() }
                    </div>
                },
                Some(Ok(p)) => result_view(p, &dispatch),
            } }
        </section>
    }
}

fn key_info(reading: Option<&KeyReading>) -> Html {
    match reading {
        None => {
            html! { <p class="hint">{ "PEM, DER or base64 of DER; RSA 2048, 3072 or 4096 bits." }</p> }
        }
        Some(KeyReading { key: Err(e), .. }) => html! {
            <p class="error" data-testid="byok-key-info"><span aria-hidden="true">{ "✖ " }</span>{ e.clone() }</p>
        },
        Some(KeyReading {
            key: Ok(k),
            practice,
        }) => html! {
            <p class="hint ok" data-testid="byok-key-info">
                <span aria-hidden="true">{ "✔ " }</span>
                { format!("RSA-{} · {}{} · SHA-256 fingerprint ", k.bits(), k.form().describe(),
                    if *practice { " · a practice key generated here" } else { "" }) }
                <code data-testid="byok-fingerprint">{ k.fingerprint_sha256() }</code>
            </p>
        },
    }
}

fn result_view(p: &Prepared, dispatch: &Dispatch) -> Html {
    let package = &p.package;
    let on_download = {
        let name = package.file_name.clone();
        let bytes = package.file_contents.clone();
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            let (text, ok) = match crate::browser::download(&name, &bytes) {
                Ok(()) => (format!("Downloaded \"{name}\"."), true),
                Err(e) => (format!("Download failed: {e}."), false),
            };
            dispatch.dispatch(ByokAction::Notice(text, ok));
        })
    };
    let on_copy = {
        let text = package.file_base64();
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            let dispatch = dispatch.clone();
            crate::browser::copy_text(
                text.clone(),
                Callback::from(move |r: Result<(), String>| {
                    dispatch.dispatch(match r {
                        Ok(()) => ByokAction::Notice("Copied as base64.".to_owned(), true),
                        Err(e) => ByokAction::Notice(format!("Copy failed: {e}."), false),
                    });
                }),
            );
        })
    };
    html! {
        <div class="result passed" data-testid="byok-result">
            <p>
                <span aria-hidden="true">{ "✔ " }</span>
                { format!("{}: {} bytes of {} material wrapped with {} ({}) to RSA-{} → {} ({} bytes).",
                    package.algorithm.provider.display_name(), package.material_len, package.checked.spec,
                    package.algorithm.name, package.checked.hash, package.wrapping_bits,
                    package.file_name, package.file_contents.len()) }
            </p>
            <div class="row">
                <button type="button" onclick={on_download}>{ format!("Download {}", package.file_name) }</button>
                <button type="button" onclick={on_copy}>{ "Copy as base64" }</button>
            </div>
            { package_map(package) }
            <h3>{ "Finish the import" }</h3>
            <pre data-testid="byok-finish">{ package.finishing_command.clone() }</pre>
            <details>
                <summary>{ "The same with OpenSSL 3" }</summary>
                <pre data-testid="byok-openssl">{ package.openssl_commands.clone() }</pre>
            </details>
            { steps_view(&p.steps) }
        </div>
    }
}

/// The package's byte map: the RSA part, then the KWP part's ranges.
fn package_map(package: &keywrap_core::byok::ImportPackage) -> Html {
    let k = package.wrapping_bits / 8;
    match bytemap::of_rsa_package(k, package.wrapped.len()) {
        Ok(ranges) => crate::components::byte_map::byte_map(
            "byok-package",
            &format!(
                "The package, byte by byte ({} bytes: {k}-byte RSA part{}){}",
                package.wrapped.len(),
                if package.wrapped.len() > k {
                    " ‖ KWP part"
                } else {
                    ""
                },
                if package.file_contents != package.wrapped {
                    "; the file carries it in base64url"
                } else {
                    ""
                }
            ),
            &package.wrapped,
            &ranges,
        ),
        Err(e) => html! { <p class="hint">{ format!("No byte map: {e}.") }</p> },
    }
}

fn hex(bytes: &[u8]) -> String {
    encode_hex_upper(bytes)
}

fn steps_view(steps: &PackageSteps) -> Html {
    let o = &steps.oaep;
    html! {
        <div class="byok-steps" data-testid="byok-steps">
            <h3>{ "Layer 1: RSA-OAEP (RFC 8017 §7.1)" }</h3>
            <dl>
                <dt>{ "Hash / MGF1" }</dt><dd>{ format!("{} / MGF1-{}, empty label", o.hash, o.hash) }</dd>
                <dt>{ "Modulus" }</dt><dd>{ format!("{} bits, k = {} bytes", o.modulus_bits, o.modulus_len) }</dd>
                <dt>{ "Message" }</dt><dd>{ format!("{} bytes (at most k − 2·hLen − 2 = {})", o.message_len, o.max_message_len) }</dd>
                <dt>{ "Ciphertext" }</dt><dd>{ format!("{} bytes", o.ciphertext_len) }</dd>
            </dl>
            { match &steps.masking {
                Some(m) => masking_view(m),
                None => html! { <p class="hint">{ "The seed and the masks are shown only for a practice key generated here: \
                    opening the encoding needs the private key." }</p> },
            } }
            { kwp_view(&steps.kwp, steps.rsa_part_len) }
        </div>
    }
}

fn masking_view(m: &OaepMasking) -> Html {
    let rows = [
        ("maskedSeed", hex(&m.masked_seed)),
        ("seedMask = MGF1(maskedDB)", hex(&m.seed_mask)),
        ("seed = maskedSeed ⊕ seedMask", hex(&m.seed)),
        ("maskedDB", hex(&m.masked_db)),
        ("dbMask = MGF1(seed)", hex(&m.db_mask)),
        ("DB = maskedDB ⊕ dbMask", hex(&m.db)),
        ("lHash (of the empty label)", hex(&m.l_hash)),
        ("PS", format!("{} zero bytes, then 01", m.ps_len)),
        (
            "M (the ephemeral AES key, or the material)",
            hex(&m.message),
        ),
    ];
    html! {
        <details data-testid="byok-masking">
            <summary>{ "The OAEP encoding, opened with the practice private key" }</summary>
            <dl class="mono">
                { for rows.into_iter().map(|(k, v)| html! { <><dt>{ k }</dt><dd>{ v }</dd></> }) }
            </dl>
        </details>
    }
}

fn kwp_view(kwp: &KwpLayer, rsa_len: usize) -> Html {
    match kwp {
        KwpLayer::None => {
            html! { <p>{ "Direct RSA-OAEP: there is no AES layer; the file is the OAEP ciphertext." }</p> }
        }
        KwpLayer::TooLongToTrace { aes, len } => html! {
            <>
                <h3>{ format!("Layer 2: RFC 5649 KWP under a fresh {aes} key") }</h3>
                <p>{ format!("{len} bytes of material: above the 512-byte trace limit, so the steps are not shown. \
                    The file is the {rsa_len}-byte RSA part followed by the KWP part.") }</p>
            </>
        },
        KwpLayer::Withheld { aes, reason } => html! {
            <>
                <h3>{ format!("Layer 2: RFC 5649 KWP under a fresh {aes} key") }</h3>
                <p data-testid="byok-kwp-withheld">{ format!("The steps are withheld: {reason}. \
                    The file is the {rsa_len}-byte RSA part followed by the KWP part.") }</p>
            </>
        },
        KwpLayer::Traced { aes, trace } => trace_view(*aes, trace, rsa_len),
    }
}

fn trace_view(aes: keywrap_core::byok::AesKeySize, t: &WrapTrace, rsa_len: usize) -> Html {
    let steps = match &t.rounds {
        Rounds::W(steps) => html! {
            <table class="mono">
                <thead><tr><th>{ "t" }</th><th>{ "A" }</th><th>{ "R[i]" }</th><th>{ "B = AES(K, A | R[i])" }</th></tr></thead>
                <tbody>
                    { for steps.iter().map(|s| html! {
                        <tr><td>{ s.t }</td><td>{ hex(&s.a_after) }</td><td>{ format!("R[{}] = {}", s.i, hex(&s.r_after)) }</td><td>{ hex(&s.b) }</td></tr>
                    }) }
                </tbody>
            </table>
        },
        Rounds::SingleBlock { input, output } => html! {
            <p class="mono">{ format!("One AES block: {} → {}", hex(input), hex(output)) }</p>
        },
    };
    html! {
        <div data-testid="byok-kwp">
            <h3>{ format!("Layer 2: RFC 5649 KWP under a fresh {aes} key") }</h3>
            <p>{ format!("Initial value A65959A6 ‖ MLI = {}; n = {} semiblocks; the KWP part is {} bytes, after the {rsa_len}-byte RSA part.",
                hex(&t.initial_value), t.n, t.output.len()) }</p>
            <details>
                <summary>{ "The steps of W" }</summary>
                { steps }
            </details>
        </div>
    }
}
