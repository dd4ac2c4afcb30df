//! The AWS CloudHSM CLI dialect (Client SDK 5): `key generate-symmetric`,
//! `key wrap`, `login --username …`, with the JSON replies the real tool
//! prints (`{"error_code":0,"data":…}`, pretty-printed by `serde_json`).
//! A sibling of [`crate::kmu`]: it spells and prints the same HSM
//! operations ([`crate::hsm::ops`]) on the same session, so a key made in
//! one dialect is used in the other. Key references are `0x` and 16 hex
//! digits of the handle KMU shows.

mod error;
mod parse;
mod rsa;
mod spec;

pub use error::CliError;
pub use parse::{CliLine, FilterTerm, parse_cli_line, reference};
pub use spec::{CLI_COMMANDS, CliCommandName, CliFlag, CliSpec, MECHANISMS, Takes};

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::hsm::ops::{self, Mutation, NewKeyTemplate, OpFailure, OutFile, Planned};
use crate::hsm::ops_bulk;
use crate::hsm::rules::{self, FlagWords};
use crate::hsm::{
    CommandSteps, Dialect, Effects, FileOrigin, HsmErrorKind, HsmState, Session, Stage,
};
use crate::kmu::{HandleSpan, ReturnCode};
use crate::store::{Attribute, AttributeType, KeyAttributes, KeyHandle, KeyType, UserId, UserType};
use crate::{LineError, Mechanism, Outcome};

/// Whether a line is CloudHSM CLI: its first word is `key`, `login`,
/// `logout`, `user` or `ext` (this console's extensions), or it is `help`
/// about one of those (a bare `help`
/// and `quit` are KMU's, whose `help` lists both dialects).
pub fn is_cli_line(line: &str) -> bool {
    let mut words = line.split_whitespace();
    match words.next() {
        Some("help") => words.next().is_some_and(|w| spec::FIRST_WORDS.contains(&w)),
        Some(first) => spec::FIRST_WORDS.contains(&first),
        None => false,
    }
}

/// The byte ranges of a CloudHSM CLI line's secret words (`--password`).
pub fn secret_spans(line: &str) -> Vec<core::ops::Range<usize>> {
    let Ok(words) = crate::kmu::lexer::split_spanned(line) else {
        return Vec::new();
    };
    let texts: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
    let Some((row, _)) = spec::lookup(&texts) else {
        return Vec::new();
    };
    let mut spans = Vec::new();
    let mut iter = words.iter();
    while let Some(word) = iter.next() {
        if let Some(flag) = row.flags.iter().find(|f| f.name == word.text)
            && flag.secret
            && let Some(value) = iter.next()
        {
            spans.push(value.span.clone());
        }
    }
    spans
}

/// What a successful command answers.
enum Reply {
    /// JSON data, ready.
    Data(Value),
    /// A key created: rendered after the plan is applied.
    Key(KeyHandle),
    /// A page of `key list`: rendered with the session's user names.
    List {
        /// The keys on this page.
        page: Vec<KeyHandle>,
        /// How many keys matched.
        total: usize,
        /// Where the next page starts, if there is one.
        next: Option<usize>,
        /// Every attribute, or the label alone.
        verbose: bool,
    },
    /// A key pair created: rendered after the plan is applied.
    KeyPair {
        /// The public key.
        public: KeyHandle,
        /// The private key.
        private: KeyHandle,
    },
    /// Plain text (help), as the real tool prints it.
    Text(String),
    /// Nothing (quit).
    Quit,
}

/// A successful command: its reply, the changes, the handles it touched.
struct Ran {
    reply: Reply,
    mutations: Vec<Mutation>,
    handles: Vec<KeyHandle>,
    steps: Option<CommandSteps>,
}

/// A refused command and the steps of a W⁻¹ that ran before it.
struct Refused {
    error: CliError,
    /// Boxed: most refusals carry none.
    steps: Option<Box<CommandSteps>>,
}

impl From<CliError> for Refused {
    fn from(error: CliError) -> Self {
        Self { error, steps: None }
    }
}

fn from_op(function: &'static str) -> impl Fn(OpFailure) -> Refused {
    move |f| Refused {
        error: CliError::Hsm(f.error),
        steps: f.steps.map(|s| {
            Box::new(CommandSteps {
                function,
                steps: *s,
            })
        }),
    }
}

fn ran<T>(
    planned: Planned<T>,
    reply: Reply,
    handles: Vec<KeyHandle>,
    function: &'static str,
) -> Ran {
    Ran {
        reply,
        mutations: planned.mutations,
        handles,
        steps: planned.steps.map(|steps| CommandSteps { function, steps }),
    }
}

/// Runs one CloudHSM CLI line on the session.
pub(crate) fn run(session: &mut Session, line: &str) -> Outcome {
    let parsed = parse_cli_line(line);
    let audit_text = match &parsed {
        Ok(cli) => cli.audit_text(),
        Err(CliError::Usage { command, .. }) => format!("{} (usage error)", command.name()),
        Err(_) => "<unknown command>".to_owned(),
    };
    let result = parsed
        .map_err(Refused::from)
        .and_then(|cli| plan(&session.state, session.key_source.as_mut(), &cli));
    match result {
        Ok(ran) => {
            let effects = session.apply(ran.mutations);
            let mut handles = ran.handles;
            handles.extend(effects.created.iter().copied());
            handles.extend(effects.deleted.iter().copied());
            handles.sort_unstable();
            handles.dedup();
            session.record(
                Dialect::CloudHsmCli,
                audit_text,
                handles,
                ReturnCode::Success,
            );
            let (output, exit) = match ran.reply {
                Reply::Data(data) => (envelope(0, data), false),
                Reply::Key(handle) => (
                    envelope(0, json!({ "key": key_json(session, handle, true) })),
                    false,
                ),
                Reply::List {
                    page,
                    total,
                    next,
                    verbose,
                } => {
                    let matched: Vec<Value> = page
                        .iter()
                        .map(|&h| key_json(session, h, verbose))
                        .collect();
                    let mut data = Map::new();
                    data.insert("matched_keys".into(), Value::Array(matched));
                    data.insert("total_key_count".into(), total.into());
                    data.insert("returned_key_count".into(), page.len().into());
                    if let Some(next) = next {
                        data.insert("next_token".into(), next.to_string().into());
                    }
                    (envelope(0, Value::Object(data)), false)
                }
                Reply::KeyPair { public, private } => (
                    envelope(
                        0,
                        json!({
                            "public_key": key_json(session, public, true),
                            "private_key": key_json(session, private, true),
                        }),
                    ),
                    false,
                ),
                Reply::Text(text) => (text, false),
                Reply::Quit => (String::new(), true),
            };
            Outcome {
                handle_spans: spans(&output, session),
                output,
                return_code: ReturnCode::Success,
                error: None,
                effects,
                exit,
                steps: ran.steps,
                dialect: Dialect::CloudHsmCli,
            }
        }
        Err(refused) => {
            let code = refused.error.return_code();
            session.record(Dialect::CloudHsmCli, audit_text, Vec::new(), code);
            let output = envelope(1, Value::String(refused.error.to_string()));
            Outcome {
                handle_spans: Vec::new(),
                output,
                return_code: code,
                error: Some(LineError::CloudHsmCli(refused.error)),
                effects: Effects::default(),
                exit: false,
                steps: refused.steps.map(|s| *s),
                dialect: Dialect::CloudHsmCli,
            }
        }
    }
}

/// `{"error_code": N, "data": …}`, pretty-printed as the real tool prints it.
fn envelope(error_code: u8, data: Value) -> String {
    let value = json!({ "error_code": error_code, "data": data });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// Where key references appear in the output, for links: every `0x` and
/// exactly 16 lower-case hex digits that names a key of the session. One
/// pass over the output, so a reply about many keys stays fast.
fn spans(output: &str, session: &Session) -> Vec<HandleSpan> {
    let known: BTreeSet<KeyHandle> = session.all_keys().iter().map(|k| k.handle).collect();
    let is_digit = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
    let mut spans = Vec::new();
    for (at, _) in output.match_indices("0x") {
        let end = at.saturating_add(18);
        let Some(digits) = output.get(at.saturating_add(2)..end) else {
            continue;
        };
        if !digits.bytes().all(is_digit)
            || output.as_bytes().get(end).copied().is_some_and(is_digit)
        {
            continue;
        }
        let Ok(n) = u64::from_str_radix(digits, 16) else {
            continue;
        };
        let handle = KeyHandle::new(n);
        if known.contains(&handle) {
            spans.push(HandleSpan {
                range: at..end,
                handle,
            });
        }
    }
    spans
}

/// A key as CloudHSM CLI prints it: reference, owners and sharing, and (in
/// full) its attributes with AWS's hyphenated names. Only attributes this
/// HSM models are shown.
fn key_json(session: &Session, handle: KeyHandle, full: bool) -> Value {
    let Some(view) = session.key(handle) else {
        return json!({ "key-reference": reference(handle) });
    };
    let name_of = |id: UserId| {
        session
            .users()
            .iter()
            .find(|u| u.id == id)
            .map(|u| u.name.clone())
            .unwrap_or_default()
    };
    let a = &view.attributes;
    if !full {
        return json!({
            "key-reference": reference(handle),
            "attributes": { "label": a.label },
        });
    }
    let shared: Vec<Value> = view
        .shared_with
        .iter()
        .map(|&u| json!({ "username": name_of(u), "key-coverage": "full" }))
        .collect();
    json!({
        "key-reference": reference(handle),
        "key-info": {
            "key-owners": [{ "username": view.owner_name, "key-coverage": "full" }],
            "shared-users": shared,
            "cluster-coverage": "full",
        },
        "attributes": attributes_json(a),
    })
}

fn attributes_json(a: &KeyAttributes) -> Value {
    let mut m = Map::new();
    m.insert("key-type".into(), parse::key_type_name(a.key_type).into());
    m.insert("label".into(), a.label.clone().into());
    m.insert("id".into(), a.id.clone().into());
    m.insert(
        "check-value".into(),
        format!("0x{}", crate::encoding::encode_hex(&a.kcv)).into(),
    );
    m.insert("class".into(), rsa::class_name(a.class).into());
    for (name, on) in [
        ("encrypt", a.encrypt),
        ("decrypt", a.decrypt),
        ("token", a.token),
        ("extractable", a.extractable),
        ("local", a.local),
        ("never-extractable", a.never_extractable),
        ("private", a.private),
        ("sensitive", a.sensitive),
        ("trusted", a.trusted),
        ("unwrap", a.unwrap),
        ("wrap", a.wrap),
        ("wrap-with-trusted", a.wrap_with_trusted),
    ] {
        m.insert(name.into(), on.into());
    }
    match &a.rsa {
        Some(_) => rsa::rsa_attributes(a, &mut m),
        None => {
            m.insert("key-length-bytes".into(), a.value_len.into());
        }
    }
    Value::Object(m)
}

fn usage(command: CliCommandName, detail: impl Into<String>) -> CliError {
    CliError::Usage {
        command,
        detail: detail.into(),
    }
}

fn mechanism(cli: &CliLine) -> Result<Mechanism, CliError> {
    match cli.choice.as_deref() {
        Some("aes-no-pad") => Ok(Mechanism::Kw),
        Some("aes-pkcs5-pad") => Ok(Mechanism::KwPkcs5),
        Some("aes-zero-pad") => Ok(Mechanism::Kwp),
        _ => Err(usage(cli.command, "names no mechanism")),
    }
}

/// The one key a filter selects.
fn select_one(state: &HsmState, cli: &CliLine, flag: &str) -> Result<KeyHandle, CliError> {
    let terms = parse::parse_filter(cli.command, cli.req_many(flag)?)?;
    let found = select(state, &terms)?;
    match found.as_slice() {
        [one] => Ok(*one),
        [] => Err(CliError::NoKeyMatched),
        several => Err(CliError::SeveralKeysMatched(several.len())),
    }
}

fn select(state: &HsmState, terms: &[FilterTerm]) -> Result<Vec<KeyHandle>, CliError> {
    let label = terms.iter().find_map(|t| match t {
        FilterTerm::Label(l) => Some(l.as_str()),
        _ => None,
    });
    Ok(ops::find(state, label, |k| {
        terms.iter().all(|t| t.matches(k))
    })?)
}

fn user_named(state: &HsmState, command: CliCommandName, name: &str) -> Result<UserId, CliError> {
    state
        .store
        .user_by_name(name)
        .map(|u| u.id)
        .ok_or_else(|| usage(command, format!("no user is named \"{name}\"")))
}

fn role(command: CliCommandName, text: &str) -> Result<UserType, CliError> {
    match text {
        "crypto-user" => Ok(UserType::CryptoUser),
        "admin" => Ok(UserType::CryptoOfficer),
        other => Err(usage(
            command,
            format!("--role takes crypto-user or admin, not \"{other}\""),
        )),
    }
}

const WORDS: FlagWords = FlagWords {
    on: "true",
    off: "false",
};

/// `--attributes K=V …` as attributes a new key asks for.
fn new_key_attributes(
    command: CliCommandName,
    terms: &[String],
) -> Result<Vec<Attribute>, CliError> {
    terms
        .iter()
        .map(|term| {
            let bad = |why: &str| usage(command, format!("attribute \"{term}\": {why}"));
            let (name, value) = term
                .split_once('=')
                .ok_or_else(|| bad("expected NAME=VALUE"))?;
            let attribute =
                parse::attribute_named(name).ok_or_else(|| bad("no attribute has this name"))?;
            match attribute {
                AttributeType::Label => Ok(Attribute::Label(value.to_owned())),
                AttributeType::Id => Ok(Attribute::Id(value.to_owned())),
                flag if flag.is_flag() => parse::flag_value(value)
                    .and_then(|on| rules::flag_attribute(flag, on))
                    .ok_or_else(|| bad("takes true or false")),
                _ => Err(bad("is set by the HSM")),
            }
        })
        .collect()
}

/// The new key a `key unwrap` asks for (any mechanism): `--label`, the key
/// type, `--session`, then the `--attributes` an unwrap may set.
fn unwrap_template(
    cli: &CliLine,
    label: &str,
    key_type: KeyType,
) -> Result<NewKeyTemplate, CliError> {
    let c = cli.command;
    let mut template = NewKeyTemplate {
        token: !cli.has("--session"),
        ..NewKeyTemplate::new(label, key_type)
    };
    for a in new_key_attributes(c, cli.many("--attributes"))? {
        match a {
            Attribute::Label(l) => template.label = l,
            Attribute::Id(i) => template.id = i,
            Attribute::Sensitive(on) => template.sensitive = on,
            Attribute::Extractable(on) => template.extractable = on,
            Attribute::Token(on) => template.token = on,
            other => {
                return Err(usage(
                    c,
                    format!(
                        "{} cannot be asked for at unwrap here",
                        other.attribute_type()
                    ),
                ));
            }
        }
    }
    Ok(template)
}

fn key_type_of(command: CliCommandName, text: &str) -> Result<KeyType, CliError> {
    match text {
        "aes" => Ok(KeyType::Aes),
        "generic-secret" => Ok(KeyType::GenericSecret),
        "des3" => Err(CliError::Hsm(
            HsmErrorKind::UnsupportedKeyType(KeyType::Des3).at(Stage::Check),
        )),
        "rsa-private" => Err(CliError::Hsm(
            HsmErrorKind::UnsupportedKeyType(KeyType::Rsa).at(Stage::Check),
        )),
        "ec-private" => Err(CliError::Hsm(
            HsmErrorKind::UnsupportedKeyType(KeyType::Ec).at(Stage::Check),
        )),
        other => Err(usage(
            command,
            format!("--key-type-class takes aes or generic-secret, not \"{other}\""),
        )),
    }
}

fn plan(
    state: &HsmState,
    keys: &mut dyn crate::hsm::KeySource,
    cli: &CliLine,
) -> Result<Ran, Refused> {
    let c = cli.command;
    Ok(match c {
        CliCommandName::Help => Ran {
            reply: Reply::Text(help_text(&cli.topic).map_err(Refused::from)?),
            mutations: Vec::new(),
            handles: Vec::new(),
            steps: None,
        },
        CliCommandName::Quit => Ran {
            reply: Reply::Quit,
            mutations: Vec::new(),
            handles: Vec::new(),
            steps: None,
        },
        CliCommandName::Login => {
            let name = cli.req("--username")?;
            let user_type = role(c, cli.req("--role")?)?;
            let planned = ops::login(state, user_type, name).map_err(from_op("login"))?;
            let data = json!({ "username": name, "role": cli.req("--role")? });
            ran(planned, Reply::Data(data), Vec::new(), "login")
        }
        CliCommandName::Logout => {
            let planned = ops::logout(state).map_err(from_op("logout"))?;
            ran(
                planned,
                Reply::Data("Logout successful".into()),
                Vec::new(),
                "logout",
            )
        }
        CliCommandName::UserList => {
            let users: Vec<Value> = state
                .store
                .users()
                .iter()
                .map(|u| {
                    json!({
                        "username": u.name,
                        "role": match u.user_type {
                            UserType::CryptoOfficer => "admin",
                            UserType::CryptoUser => "crypto-user",
                        },
                        "locked": "false",
                        "mfa": [],
                        "cluster-coverage": "full",
                    })
                })
                .collect();
            Ran {
                reply: Reply::Data(json!({ "users": users })),
                mutations: Vec::new(),
                handles: Vec::new(),
                steps: None,
            }
        }
        CliCommandName::KeyGenerateSymmetric => {
            let key_type = key_type_of(c, cli.choice.as_deref().unwrap_or_default())?;
            let label = cli.req("--label")?;
            let size = cli.number("--key-length-bytes", cli.req("--key-length-bytes")?)?;
            let attributes = new_key_attributes(c, cli.many("--attributes"))?;
            let share_with = cli
                .many("--share-crypto-users")
                .iter()
                .map(|name| user_named(state, c, name))
                .collect::<Result<Vec<_>, _>>()?;
            let spec = ops::GenerateSpec {
                key_type,
                size,
                label,
                id: "",
                extractable: true,
                token: !cli.has("--session"),
                attributes,
                share_with,
            };
            let planned =
                ops::generate(state, keys, &spec).map_err(from_op("key generate-symmetric"))?;
            let handle = planned.result;
            ran(
                planned,
                Reply::Key(handle),
                Vec::new(),
                "key generate-symmetric",
            )
        }
        CliCommandName::KeyGenerateAsymmetricPair => rsa::generate(state, keys, cli)?,
        CliCommandName::KeyImportPem => rsa::import_pem(state, cli)?,
        CliCommandName::KeyList => {
            let terms = parse::parse_filter(c, cli.many("--filter"))?;
            let found = select(state, &terms)?;
            let max = match cli.opt("--max-items") {
                Some(t) => cli.number("--max-items", t)?,
                None => 10,
            };
            let start = match cli.opt("--starting-token") {
                Some(t) => cli.number("--starting-token", t)?,
                None => 0,
            };
            let (max, start) = (
                usize::try_from(max).unwrap_or(usize::MAX),
                usize::try_from(start).unwrap_or(usize::MAX),
            );
            let page: Vec<KeyHandle> = found.iter().copied().skip(start).take(max).collect();
            let end = start.saturating_add(page.len());
            Ran {
                reply: Reply::List {
                    page: page.clone(),
                    total: found.len(),
                    next: (end < found.len()).then_some(end),
                    verbose: cli.has("--verbose"),
                },
                mutations: Vec::new(),
                handles: page,
                steps: None,
            }
        }
        CliCommandName::KeyWrap => {
            if let Some(m) = rsa::mechanism(cli) {
                return rsa::wrap(state, keys, cli, m);
            }
            rsa::refuse_hash_flags(cli)?;
            let mechanism = mechanism(cli)?;
            let key = select_one(state, cli, "--payload-filter")?;
            let wrapping = select_one(state, cli, "--wrapping-filter")?;
            let path = cli.opt("--path");
            let spec = ops::WrapSpec {
                key,
                wrapping,
                mechanism,
                iv: None,
                header: false,
                out: path.map(|name| OutFile {
                    name,
                    origin: FileOrigin::WrapKey {
                        key,
                        wrapping,
                        header: false,
                    },
                }),
            };
            let planned = ops::wrap(state, &spec).map_err(from_op("key wrap"))?;
            let data = json!({
                "payload_key_reference": reference(key),
                "wrapping_key_reference": reference(wrapping),
                "wrapped_key_data": crate::encoding::encode_base64(&planned.result),
            });
            ran(planned, Reply::Data(data), vec![key, wrapping], "key wrap")
        }
        CliCommandName::KeyUnwrap => {
            if let Some(m) = rsa::mechanism(cli) {
                return rsa::unwrap(state, cli, m);
            }
            rsa::refuse_hash_flags(cli)?;
            let mechanism = mechanism(cli)?;
            let unwrapping = select_one(state, cli, "--filter")?;
            let key_type = key_type_of(c, cli.req("--key-type-class")?)?;
            let label = cli.req("--label")?;
            let decoded;
            let input = match (cli.opt("--data-path"), cli.opt("--data")) {
                (Some(path), None) => ops::WrappedInput::File(path),
                (None, Some(text)) => {
                    decoded = crate::encoding::decode(text, crate::encoding::Format::Base64)
                        .map_err(|e| usage(c, format!("--data: {e}")))?;
                    ops::WrappedInput::Bytes(&decoded)
                }
                _ => return Err(usage(c, "give exactly one of --data-path and --data").into()),
            };
            let template = unwrap_template(cli, label, key_type)?;
            let spec = ops::UnwrapSpec {
                input,
                unwrapping,
                source: ops::UnwrapSource::Template {
                    mechanism,
                    iv: None,
                    template,
                },
            };
            let planned = ops::unwrap(state, &spec).map_err(from_op("key unwrap"))?;
            let handle = planned.result;
            ran(planned, Reply::Key(handle), vec![unwrapping], "key unwrap")
        }
        CliCommandName::KeySetAttribute => {
            let key = select_one(state, cli, "--filter")?;
            let name = cli.req("--name")?;
            let value = cli.req("--value")?;
            let attribute = parse::attribute_named(name)
                .ok_or_else(|| usage(c, format!("--name: no attribute is named \"{name}\"")))?;
            let planned = ops::set_attribute(state, key, |current| {
                rules::attribute_from_text(current, attribute, value, WORDS)
            })
            .map_err(from_op("key set-attribute"))?;
            ran(
                planned,
                Reply::Data("Attribute set successfully".into()),
                vec![key],
                "key set-attribute",
            )
        }
        CliCommandName::KeyShare | CliCommandName::KeyUnshare => {
            let key = select_one(state, cli, "--filter")?;
            let user = user_named(state, c, cli.req("--username")?)?;
            if role(c, cli.req("--role")?)? != UserType::CryptoUser {
                return Err(usage(c, "keys are shared with crypto users only").into());
            }
            let on = c == CliCommandName::KeyShare;
            let planned = ops::share(state, key, user, on).map_err(from_op("key share"))?;
            let text = if on {
                "Key shared successfully"
            } else {
                "Key unshared successfully"
            };
            ran(planned, Reply::Data(text.into()), vec![key], "key share")
        }
        CliCommandName::ExtWrapAll => {
            let mechanism = mechanism(cli)?;
            let terms = parse::parse_filter(c, cli.req_many("--payload-filter")?)?;
            let keys = select(state, &terms)?;
            let wrapping = select_one(state, cli, "--wrapping-filter")?;
            let spec = ops_bulk::WrapAllSpec {
                keys: &keys,
                wrapping,
                mechanism,
                header: false,
                file_prefix: cli.req("--path-prefix")?,
            };
            let planned = ops_bulk::wrap_all(state, &spec).map_err(CliError::WrapAll)?;
            let wrapped: Vec<Value> = planned
                .result
                .iter()
                .map(|w| {
                    json!({
                        "payload_key_reference": reference(w.key),
                        "path": w.file,
                        "wrapped_key_data": crate::encoding::encode_base64(&w.wrapped),
                    })
                })
                .collect();
            let mut handles: Vec<KeyHandle> = planned.result.iter().map(|w| w.key).collect();
            handles.push(wrapping);
            let data = json!({
                "wrapping_key_reference": reference(wrapping),
                "wrapped_key_count": wrapped.len(),
                "wrapped_keys": wrapped,
            });
            ran(planned, Reply::Data(data), handles, "ext wrap-all")
        }
        CliCommandName::KeyDelete => {
            let key = select_one(state, cli, "--filter")?;
            let planned = ops::delete(state, key).map_err(from_op("key delete"))?;
            ran(
                planned,
                Reply::Data("Key deleted successfully".into()),
                vec![key],
                "key delete",
            )
        }
    })
}

/// `help key`, `help key wrap`, `help login`: the CloudHSM CLI commands
/// under those words, with their syntax (plain text, as the real tool
/// prints help). A bare `help` is KMU's, which ends with [`help_section`].
fn help_text(topic: &[String]) -> Result<String, CliError> {
    let topic: Vec<&str> = topic.iter().map(String::as_str).collect();
    let rows: Vec<&CliSpec> = CLI_COMMANDS
        .iter()
        .filter(|s| s.command != CliCommandName::Help && s.words.starts_with(&topic))
        .collect();
    if rows.is_empty() {
        return Err(usage(
            CliCommandName::Help,
            format!(
                "no CloudHSM CLI command starts with \"{}\"",
                topic.join(" ")
            ),
        ));
    }
    Ok(command_list(
        "CloudHSM CLI commands (replies are JSON):",
        &rows,
    ))
}

/// The CloudHSM CLI part of a bare `help`, which lists both dialects: every
/// command, and how to ask for one's syntax.
pub(crate) fn help_section() -> String {
    let rows: Vec<&CliSpec> = CLI_COMMANDS
        .iter()
        .filter(|s| s.command != CliCommandName::Help)
        .collect();
    command_list(
        "CloudHSM CLI commands (replies are JSON; syntax: help <command>, e.g. help key wrap):",
        &rows,
    )
}

/// `title`, then one line per row; the syntax too when there is one row.
fn command_list(title: &str, rows: &[&CliSpec]) -> String {
    let mut s = format!("\n{title}\n\n");
    for row in rows {
        // At least one space after a name longer than the column.
        let name = format!("{} ", row.words.join(" "));
        s.push_str(&format!("  {name:<28}{}\n", row.summary));
    }
    if let [row] = rows {
        s.push_str("\nUsage:\n");
        for line in row.syntax.lines() {
            s.push_str(&format!("  {line}\n"));
        }
    }
    s.push_str(
        "\nFilters: key-reference=0x<16 hex digits> and attr.NAME=VALUE terms, all of which must match.\n\
         Key references are the handles key_mgmt_util shows: handle 7 is 0x0000000000000007.\n\
         Mechanisms: see help mechanisms.\n",
    );
    s
}

/// Completions for a CloudHSM CLI line: command words, the key type or
/// mechanism, flags, `key-reference=…` after a filter flag, file names
/// after `--data-path` and `--path`, user names after `--username`.
pub(crate) fn complete(
    session: &Session,
    done: &[&str],
    partial: &str,
    out: &mut BTreeSet<String>,
) {
    let offer = |out: &mut BTreeSet<String>, word: &str| {
        if word.starts_with(partial) {
            out.insert(word.to_owned());
        }
    };
    if done.is_empty() {
        for w in spec::FIRST_WORDS {
            offer(out, w);
        }
        return;
    }
    let Some((row, taken)) = spec::lookup(done) else {
        // `key <partial>`: the subcommands.
        if let [first] = done {
            for row in &CLI_COMMANDS {
                if let [w, sub] = row.words
                    && w == first
                {
                    offer(out, sub);
                }
            }
        }
        return;
    };
    let rest = done.get(taken..).unwrap_or_default();
    if rest.is_empty() && !row.choices.is_empty() {
        for choice in row.choices {
            offer(out, choice);
        }
        return;
    }
    let last_flag = rest.iter().rev().find(|w| w.starts_with("--")).copied();
    let value_of = rest
        .last()
        .copied()
        .and_then(|w| row.flags.iter().find(|f| f.name == w));
    match (last_flag, value_of) {
        (Some("--data-path" | "--path"), Some(_)) => {
            for f in session.files() {
                offer(out, &f.name);
            }
        }
        (Some("--username" | "--share-crypto-users"), _) => {
            for u in session.users() {
                offer(out, &u.name);
            }
        }
        (Some("--role"), Some(_)) => {
            for r in ["crypto-user", "admin"] {
                offer(out, r);
            }
        }
        (Some(flag), _) if flag.ends_with("filter") => {
            for k in session.keys() {
                offer(out, &format!("key-reference={}", reference(k.handle)));
                offer(out, &format!("attr.label={}", k.attributes.label));
            }
            for f in row.flags {
                if !done.contains(&f.name) {
                    offer(out, f.name);
                }
            }
        }
        _ => {
            for f in row.flags {
                if !done.contains(&f.name) {
                    offer(out, f.name);
                }
            }
        }
    }
}
