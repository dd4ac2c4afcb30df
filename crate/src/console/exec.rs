//! Command execution: every command *plans* its changes while only reading
//! the session, and the plan is applied only when every check has passed.
//! That is why a refused command leaves keys, files, login and the handle
//! counter exactly as they were (the audit log alone always grows).

use std::collections::BTreeSet;

use super::command::{AttributeSelector, Command, HelpTopic, NoHeaderTemplate};
use super::error::ConsoleError;
use super::files::{FileOrigin, check_file_name};
use super::header::{HeaderAttributes, MAX_GENERIC_SECRET, WrappedKeyFile};
use super::render::{self, INDENT, Out};
use super::retcode::ReturnCode;
use super::steps::{self, CommandSteps, OperationSteps};
use super::{Effects, Session};
use crate::store::{
    Attribute, AttributeType, Caller, KeyAttributes, KeyClass, KeyHandle, KeyObject, KeyType,
    UserId, UserType, kcv_of, policy,
};
use crate::{Iv, Kek, Mechanism, SecretBytes};

/// One change to the session, applied only after a command fully succeeded.
#[derive(Debug)]
pub(crate) enum Mutation {
    CreateKey {
        attributes: KeyAttributes,
        owner: UserId,
        value: SecretBytes,
    },
    DeleteKey(KeyHandle),
    SetAttribute(KeyHandle, Attribute),
    Share(KeyHandle, UserId, bool),
    WriteFile(String, Vec<u8>, FileOrigin),
    Login(UserId),
    Logout,
}

/// A successful command's output and the changes to apply.
#[derive(Debug, Default)]
pub(crate) struct Planned {
    pub(crate) out: Out,
    pub(crate) mutations: Vec<Mutation>,
    pub(crate) handles: Vec<KeyHandle>,
    pub(crate) exit: bool,
    /// What the step viewer may show of the W or W⁻¹ the command ran.
    pub(crate) steps: Option<CommandSteps>,
}

impl Planned {
    /// Ends the plan of a command that creates a key: KMU's
    /// `<announcement>.  Key Handle: <handle>` between blank lines, the
    /// cluster status, the key itself, and its handle for the output's links.
    /// The status lines before it name each command's own KMU functions.
    fn key_created(
        &mut self,
        announcement: &str,
        handle: KeyHandle,
        attributes: KeyAttributes,
        owner: UserId,
        value: SecretBytes,
    ) {
        self.out
            .blank()
            .push(&format!("{INDENT}{announcement}.  Key Handle: "));
        self.out.handle(handle).blank();
        self.out.cluster(ReturnCode::Success);
        self.mutations.push(Mutation::CreateKey {
            attributes,
            owner,
            value,
        });
        self.handles.push(handle);
    }
}

/// A refused command: which KMU function reports it, and whether the
/// cluster block follows.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) function: &'static str,
    pub(crate) cluster: bool,
    pub(crate) error: ConsoleError,
    /// When W⁻¹ ran before the refusal (a wrong KEK): what the step viewer
    /// may show of it. Boxed: most refusals carry none, and `Result`s of
    /// `Failure` are passed around every plan.
    pub(crate) steps: Option<Box<CommandSteps>>,
}

impl Failure {
    /// The same refusal, with the steps of the W⁻¹ that led to it.
    fn with_steps(self, steps: CommandSteps) -> Failure {
        Failure {
            steps: Some(Box::new(steps)),
            ..self
        }
    }
}

fn fail(function: &'static str, cluster: bool) -> impl Fn(ConsoleError) -> Failure {
    move |error| Failure {
        function,
        cluster,
        error,
        steps: None,
    }
}

/// Runs W⁻¹ for a command, with what the step viewer may see of it
/// (`may_show`: the rule for the key or bytes it delivers). A failed unwrap
/// is reported by `function` and carries those steps, so the viewer can
/// still show why the IV check failed.
fn unwrap_with_steps(
    function: &'static str,
    cluster: bool,
    kek: &Kek,
    mechanism: Mechanism,
    iv: Option<&Iv>,
    wrapped: &[u8],
    may_show: Result<(), String>,
) -> Result<(SecretBytes, CommandSteps), Failure> {
    let steps = CommandSteps {
        function,
        steps: OperationSteps::of_unwrap(steps::unwrap_steps(
            kek, mechanism, iv, wrapped, may_show,
        )),
    };
    match crate::unwrap(kek, mechanism, iv, wrapped) {
        Ok(value) => Ok((value, steps)),
        Err(e) => Err(fail(function, cluster)(ConsoleError::Crypto(e)).with_steps(steps)),
    }
}

fn check_size(key_type: KeyType, size: u64) -> Result<(), ConsoleError> {
    let fits = match key_type {
        KeyType::Aes => matches!(size, 16 | 24 | 32),
        KeyType::GenericSecret => (1..=u64::from(MAX_GENERIC_SECRET)).contains(&size),
        other => return Err(ConsoleError::UnsupportedKeyType(other)),
    };
    if fits {
        Ok(())
    } else {
        Err(ConsoleError::KeySize { key_type, size })
    }
}

/// The IV rule CloudHSM applies to wrapKey/unWrapKey: only the default IV,
/// and none at all with KWP.
pub(crate) fn check_hsm_iv(mechanism: Mechanism, iv: Option<&Iv>) -> Result<(), ConsoleError> {
    match iv {
        None => Ok(()),
        Some(_) if mechanism == Mechanism::Kwp => Err(ConsoleError::IvRefused { mechanism }),
        Some(iv) if !iv.is_default() => Err(ConsoleError::IvRefused { mechanism }),
        Some(_) => Ok(()),
    }
}

/// The wrapping key as a KEK: it must be an AES key.
pub(crate) fn kek_of(key: &KeyObject) -> Result<Kek, ConsoleError> {
    if key.attributes().key_type != KeyType::Aes {
        return Err(ConsoleError::NotAnAesKey(key.handle()));
    }
    Kek::new(key.value().expose_secret()).map_err(|_| ConsoleError::NotAnAesKey(key.handle()))
}

/// Where `unWrapKey` takes the new key's attributes from.
enum AttributeSource<'a> {
    /// The file's header (and the blob after it).
    Header(WrappedKeyFile),
    /// The `-noheader` template typed on the command line.
    Template(&'a NoHeaderTemplate),
}

impl Session {
    pub(crate) fn caller(&self) -> Result<Caller, ConsoleError> {
        let id = self.login.ok_or(ConsoleError::NotLoggedIn)?;
        let user = self.store.user(id).ok_or(ConsoleError::NotLoggedIn)?;
        Ok(Caller {
            user: id,
            user_type: user.user_type,
        })
    }

    fn crypto_user(&self) -> Result<Caller, ConsoleError> {
        let caller = self.caller()?;
        if caller.user_type == UserType::CryptoUser {
            Ok(caller)
        } else {
            Err(policy::PolicyError::WrongUserType(caller.user_type).into())
        }
    }

    fn lookup(&self, handle: KeyHandle) -> Result<&KeyObject, ConsoleError> {
        self.store
            .get(handle)
            .ok_or(ConsoleError::Policy(policy::PolicyError::HandleInvalid(
                handle,
            )))
    }

    fn read_file(&self, name: &str) -> Result<&[u8], ConsoleError> {
        self.files
            .read(name)
            .ok_or_else(|| ConsoleError::FileNotFound(name.to_owned()))
    }

    /// Plans one command. Reads the session only.
    pub(crate) fn plan(&mut self, command: &Command) -> Result<Planned, Failure> {
        match command {
            Command::Help(topic) => {
                let mut p = Planned::default();
                p.out.push(&match topic {
                    HelpTopic::Commands => render::help_text(),
                    HelpTopic::Command(c) => render::usage_text(*c),
                    HelpTopic::Mechanisms => render::mechanisms_text(),
                });
                Ok(p)
            }
            Command::Exit => Ok(Planned {
                exit: true,
                ..Planned::default()
            }),
            Command::ListAttributes => {
                let mut p = Planned::default();
                p.out.push(&render::list_attributes_text());
                Ok(p)
            }
            Command::LoginHsm { user_type, user } => self.plan_login(*user_type, user),
            Command::LogoutHsm => {
                let f = fail("Cfm3LogoutHSM", false);
                self.caller().map_err(&f)?;
                let mut p = Planned::default();
                p.out.status("Cfm3LogoutHSM", ReturnCode::Success);
                p.out.cluster(ReturnCode::Success);
                p.mutations.push(Mutation::Logout);
                Ok(p)
            }
            Command::LoginStatus => {
                let mut p = Planned::default();
                p.out.status("Cfm3LoginStatus", ReturnCode::Success);
                p.out.blank();
                match self.login.and_then(|id| self.store.user(id)) {
                    Some(u) => p.out.line(&format!(
                        "{INDENT}Logged in as {} user \"{}\" (user id {})",
                        u.user_type.kmu_name(),
                        u.name,
                        u.id
                    )),
                    None => p.out.line(&format!("{INDENT}Not logged in")),
                };
                Ok(p)
            }
            Command::GenSymKey {
                key_type,
                size,
                label,
                id,
                nex,
                sess,
            } => self.plan_gen(*key_type, *size, label, id.as_deref(), *nex, *sess),
            Command::WrapKey {
                key,
                wrapping,
                out,
                mechanism,
                noheader,
                iv,
            } => self.plan_wrap(*key, *wrapping, out, *mechanism, *noheader, iv.as_ref()),
            Command::UnWrapKey {
                file,
                unwrapping,
                mechanism,
                noheader,
                iv,
                nex,
                sess,
            } => self.plan_unwrap(
                file,
                *unwrapping,
                *mechanism,
                noheader.as_ref(),
                iv.as_ref(),
                *nex,
                *sess,
            ),
            Command::FindKey {
                class,
                key_type,
                label,
                id,
                sess,
                kcv,
            } => self.plan_find(
                *class,
                *key_type,
                label.as_deref(),
                id.as_deref(),
                *sess,
                *kcv,
            ),
            Command::GetAttribute {
                handle,
                attribute,
                out,
            } => self.plan_get_attribute(*handle, *attribute, out.as_deref()),
            Command::SetAttribute {
                handle,
                attribute,
                value,
            } => self.plan_set_attribute(*handle, *attribute, value),
            Command::DeleteKey { handle } => self.plan_delete(*handle),
            Command::ShareKey {
                handle,
                user,
                share,
            } => self.plan_share(*handle, *user, *share),
            Command::ExSymKey { key, wrapping, out } => self.plan_export(*key, *wrapping, out),
            Command::ImSymKey {
                file,
                wrapping,
                key_type,
                label,
                id,
                sess,
            } => self.plan_import(file, *wrapping, *key_type, label, id.as_deref(), *sess),
            Command::AesWrapUnwrap {
                wrap,
                file,
                key,
                iv,
                out,
            } => self.plan_host_wrap(*wrap, file, *key, iv.as_ref(), out.as_deref()),
        }
    }

    fn plan_login(&self, user_type: UserType, name: &str) -> Result<Planned, Failure> {
        let f = fail("Cfm3LoginHSM", false);
        if self.login.is_some() {
            return Err(f(ConsoleError::AlreadyLoggedIn));
        }
        let user = self
            .store
            .users()
            .iter()
            .find(|u| u.name == name && u.user_type == user_type)
            .ok_or_else(|| f(ConsoleError::NoSuchUser(name.to_owned())))?;
        let mut p = Planned::default();
        p.out.status("Cfm3LoginHSM", ReturnCode::Success);
        p.out.cluster(ReturnCode::Success);
        p.mutations.push(Mutation::Login(user.id));
        Ok(p)
    }

    fn plan_gen(
        &mut self,
        key_type: KeyType,
        size: u32,
        label: &str,
        id: Option<&str>,
        nex: bool,
        sess: bool,
    ) -> Result<Planned, Failure> {
        let f = fail("Cfm3GenerateSymmetricKey", true);
        let caller = self.crypto_user().map_err(&f)?;
        check_size(key_type, u64::from(size)).map_err(&f)?;
        let len = usize::try_from(size).map_err(|_| {
            f(ConsoleError::KeySize {
                key_type,
                size: u64::from(size),
            })
        })?;
        let value = self
            .key_source
            .generate(len)
            .map_err(|e| f(ConsoleError::Crypto(e)))?;
        let attributes = KeyAttributes {
            token: !sess,
            // CloudHSM's getAttribute shows generated keys as sensitive.
            sensitive: true,
            extractable: !nex,
            local: true,
            never_extractable: nex,
            // The size asked for, whatever the key source returned.
            value_len: size,
            ..KeyAttributes::new_secret(
                key_type,
                label,
                id.unwrap_or_default(),
                value.expose_secret(),
            )
        };
        let mut p = Planned::default();
        p.out
            .status("Cfm3GenerateSymmetricKey", ReturnCode::Success);
        p.key_created(
            "Symmetric Key Created",
            self.store.next_handle(),
            attributes,
            caller.user,
            value,
        );
        Ok(p)
    }

    fn plan_wrap(
        &self,
        key: KeyHandle,
        wrapping: KeyHandle,
        out: &str,
        mechanism: Mechanism,
        noheader: bool,
        iv: Option<&Iv>,
    ) -> Result<Planned, Failure> {
        let f = fail("Cfm2WrapKey", false);
        let caller = self.crypto_user().map_err(&f)?;
        check_file_name(out).map_err(&f)?;
        let target = self.lookup(key).map_err(&f)?;
        let wrapper = self.lookup(wrapping).map_err(&f)?;
        policy::check_wrap(target, wrapper, caller).map_err(|e| f(e.into()))?;
        check_hsm_iv(mechanism, iv).map_err(&f)?;
        let kek = kek_of(wrapper).map_err(&f)?;
        let blob = crate::wrap(&kek, mechanism, iv, target.value().expose_secret())
            .map_err(|e| f(ConsoleError::Crypto(e)))?;
        let blob_len = blob.len();
        let bytes = if noheader {
            blob
        } else {
            let a = target.attributes();
            WrappedKeyFile {
                mechanism,
                attributes: HeaderAttributes {
                    class: a.class,
                    key_type: a.key_type,
                    value_len: a.value_len,
                    token: a.token,
                    private: a.private,
                    sensitive: a.sensitive,
                    encrypt: a.encrypt,
                    decrypt: a.decrypt,
                    wrap: a.wrap,
                    unwrap: a.unwrap,
                    extractable: a.extractable,
                    wrap_with_trusted: a.wrap_with_trusted,
                    kcv: a.kcv,
                    label: a.label.clone(),
                    id: a.id.clone(),
                },
                wrapped: blob,
            }
            .to_bytes()
            .map_err(|e| f(e.into()))?
        };
        let mut p = Planned::default();
        p.out.status("Cfm2WrapKey", ReturnCode::Success);
        p.out.blank().line(&format!("{INDENT}Key Wrapped."));
        p.out.blank().line(&format!(
            "{INDENT}Wrapped Key written to file \"{out}\": length {blob_len}"
        ));
        p.mutations.push(Mutation::WriteFile(
            out.to_owned(),
            bytes,
            FileOrigin::WrapKey {
                key,
                wrapping,
                header: !noheader,
            },
        ));
        p.handles.extend([key, wrapping]);
        p.steps = Some(CommandSteps {
            function: "Cfm2WrapKey",
            steps: OperationSteps::of_wrap(steps::wrap_steps(
                &kek,
                mechanism,
                iv,
                target.value().expose_secret(),
                self.step_rule(steps::may_show_key(target, caller)),
            )),
        });
        Ok(p)
    }

    #[allow(clippy::too_many_arguments)] // One argument per unWrapKey flag.
    fn plan_unwrap(
        &self,
        file: &str,
        unwrapping: KeyHandle,
        mechanism: Option<Mechanism>,
        noheader: Option<&NoHeaderTemplate>,
        iv: Option<&Iv>,
        nex: bool,
        sess: bool,
    ) -> Result<Planned, Failure> {
        let function = if noheader.is_some() {
            "Cfm2UnWrapWithTemplate3"
        } else {
            "Cfm3UnWrapKey"
        };
        let f = fail(function, true);
        let caller = self.crypto_user().map_err(&f)?;
        let bytes = self.read_file(file).map_err(&f)?;
        let unwrapper = self.lookup(unwrapping).map_err(&f)?;
        policy::check_unwrap(unwrapper, caller).map_err(|e| f(e.into()))?;
        let kek = kek_of(unwrapper).map_err(&f)?;
        // Everything checked before W⁻¹ runs: the header, or the template's
        // class, mechanism and IV.
        let (mechanism, iv, source) = match noheader {
            None => {
                let parsed = WrappedKeyFile::parse(bytes).map_err(|e| f(e.into()))?;
                if let Some(given) = mechanism
                    && given != parsed.mechanism
                {
                    return Err(f(ConsoleError::MechanismMismatch {
                        header: parsed.mechanism,
                        given,
                    }));
                }
                (parsed.mechanism, None, AttributeSource::Header(parsed))
            }
            Some(template) => {
                if template.class != KeyClass::Secret {
                    return Err(f(ConsoleError::UnsupportedClass(template.class)));
                }
                let Some(mechanism) = mechanism else {
                    return Err(f(ConsoleError::Usage {
                        command: super::CommandName::UnWrapKey,
                        detail: "-noheader needs -m".to_owned(),
                    }));
                };
                check_hsm_iv(mechanism, iv).map_err(&f)?;
                (mechanism, iv, AttributeSource::Template(template))
            }
        };
        // The new key's flags decide what the step viewer may show; a
        // -noheader key is always sensitive, as KMU makes it.
        let (wrapped, sensitive, extractable): (&[u8], bool, bool) = match &source {
            AttributeSource::Header(p) => (
                &p.wrapped,
                p.attributes.sensitive,
                p.attributes.extractable && !nex,
            ),
            AttributeSource::Template(_) => (bytes, true, !nex),
        };
        let (value, steps) = unwrap_with_steps(
            function,
            true,
            &kek,
            mechanism,
            iv,
            wrapped,
            self.step_rule(steps::may_show_new_key(sensitive, extractable)),
        )?;
        let attributes = match source {
            AttributeSource::Header(parsed) => {
                let h = parsed.attributes;
                if u32::try_from(value.len()).ok() != Some(h.value_len)
                    || kcv_of(value.expose_secret()) != h.kcv
                {
                    return Err(f(ConsoleError::KcvMismatch).with_steps(steps));
                }
                KeyAttributes {
                    class: h.class,
                    key_type: h.key_type,
                    label: h.label,
                    id: h.id,
                    token: h.token && !sess,
                    private: h.private,
                    trusted: false,
                    sensitive,
                    encrypt: h.encrypt,
                    decrypt: h.decrypt,
                    wrap: h.wrap,
                    unwrap: h.unwrap,
                    extractable,
                    local: false,
                    never_extractable: false,
                    wrap_with_trusted: h.wrap_with_trusted,
                    value_len: h.value_len,
                    kcv: h.kcv,
                }
            }
            AttributeSource::Template(template) => {
                let size = u64::try_from(value.len()).unwrap_or(u64::MAX);
                if let Err(e) = check_size(template.key_type, size) {
                    return Err(f(e).with_steps(steps));
                }
                KeyAttributes {
                    token: !sess,
                    sensitive,
                    extractable,
                    ..KeyAttributes::new_secret(
                        template.key_type,
                        &template.label,
                        template.id.as_deref().unwrap_or_default(),
                        value.expose_secret(),
                    )
                }
            }
        };
        let mut p = Planned::default();
        if noheader.is_some() {
            p.out
                .status("Cfm3CreateUnwrapTemplate2", ReturnCode::Success);
            p.out.line(&format!(
                "{INDENT}Cfm2UnWrapWithTemplate3 returned: {}",
                ReturnCode::Success
            ));
        } else {
            p.out.status("Cfm3UnWrapKey", ReturnCode::Success);
        }
        p.handles.push(unwrapping);
        p.key_created(
            "Key Unwrapped",
            self.store.next_handle(),
            attributes,
            caller.user,
            value,
        );
        p.steps = Some(steps);
        Ok(p)
    }

    fn plan_find(
        &self,
        class: Option<KeyClass>,
        key_type: Option<KeyType>,
        label: Option<&str>,
        id: Option<&str>,
        sess: Option<bool>,
        kcv: Option<[u8; 3]>,
    ) -> Result<Planned, Failure> {
        let f = fail("Cfm3FindKey", true);
        let caller = self.caller().map_err(&f)?;
        let matches = |o: &&KeyObject| {
            let a = o.attributes();
            policy::check_visible(o, caller).is_ok()
                && class.is_none_or(|c| a.class == c)
                && key_type.is_none_or(|t| a.key_type == t)
                && id.is_none_or(|i| a.id == i)
                && sess.is_none_or(|s| a.token != s)
                && kcv.is_none_or(|k| a.kcv == k)
        };
        let found: Vec<KeyHandle> = match label {
            Some(label) => self
                .store
                .with_label(label)
                .filter(matches)
                .map(KeyObject::handle)
                .collect(),
            None => self
                .store
                .iter()
                .filter(matches)
                .map(KeyObject::handle)
                .collect(),
        };
        let mut p = Planned::default();
        p.out
            .line(&format!("Total number of keys present {}", found.len()));
        if let Some(last) = found.len().checked_sub(1) {
            p.out.blank();
            p.out.line(&format!(
                " number of keys matched from start index 0::{last}"
            ));
            for (i, h) in found.iter().enumerate() {
                if i > 0 {
                    p.out.push(", ");
                }
                p.out.handle(*h);
            }
            p.out.blank();
        }
        p.out.cluster(ReturnCode::Success);
        p.out.status("Cfm3FindKey", ReturnCode::Success);
        Ok(p)
    }

    fn plan_get_attribute(
        &self,
        handle: KeyHandle,
        selector: AttributeSelector,
        out: Option<&str>,
    ) -> Result<Planned, Failure> {
        let f = fail("Cfm3GetAttribute", false);
        let caller = self.caller().map_err(&f)?;
        if let Some(out) = out {
            check_file_name(out).map_err(&f)?;
        }
        let key = self.lookup(handle).map_err(&f)?;
        policy::check_visible(key, caller).map_err(|e| f(e.into()))?;
        let attributes = match selector {
            AttributeSelector::All => key.attributes().all(),
            AttributeSelector::One(a) => vec![key.attributes().get(a)],
        };
        let mut text = String::new();
        for a in &attributes {
            text.push_str(a.attribute_type().kmu_name());
            text.push('\n');
            text.push_str(&a.kmu_value());
            text.push('\n');
        }
        // Size as the HSM would ship it: an 8-byte type-length header per attribute plus its value.
        let size: usize = attributes.iter().map(|a| 8 + a.value_size()).sum();
        let mut p = Planned::default();
        match out {
            Some(out) => {
                p.out.line(&format!(
                    "Attribute size: {size}, count: {}",
                    attributes.len()
                ));
                p.out.line(&format!("Written to: {out} file"));
                p.mutations.push(Mutation::WriteFile(
                    out.to_owned(),
                    text.into_bytes(),
                    FileOrigin::Attributes,
                ));
            }
            None => {
                p.out.line(&format!(
                    "Attribute size: {size}, count: {}",
                    attributes.len()
                ));
                p.out.push(&text);
            }
        }
        p.out.status("Cfm3GetAttribute", ReturnCode::Success);
        p.handles.push(handle);
        Ok(p)
    }

    fn plan_set_attribute(
        &self,
        handle: KeyHandle,
        attribute: AttributeType,
        value: &str,
    ) -> Result<Planned, Failure> {
        let f = fail("Cfm3SetAttribute", true);
        let caller = self.caller().map_err(&f)?;
        let key = self.lookup(handle).map_err(&f)?;
        policy::check_visible(key, caller).map_err(|e| f(e.into()))?;
        let new = if attribute.is_flag() {
            match value {
                "1" => flag_attribute(attribute, true),
                "0" => flag_attribute(attribute, false),
                _ => None,
            }
            .ok_or_else(|| {
                f(ConsoleError::AttributeValue {
                    detail: format!("{attribute} takes 0 or 1, not \"{value}\""),
                })
            })?
        } else {
            match attribute {
                AttributeType::Label | AttributeType::Id if value.len() > 255 => {
                    return Err(f(ConsoleError::AttributeValue {
                        detail: format!("{attribute} is at most 255 bytes"),
                    }));
                }
                AttributeType::Label => Attribute::Label(value.to_owned()),
                AttributeType::Id => Attribute::Id(value.to_owned()),
                // Read-only: the policy check below refuses it whatever the value.
                other => key.attributes().get(other),
            }
        };
        policy::check_set_attribute(key, caller, &new).map_err(|e| f(e.into()))?;
        let mut p = Planned::default();
        p.out.status("Cfm3SetAttribute", ReturnCode::Success);
        p.out.cluster(ReturnCode::Success);
        p.mutations.push(Mutation::SetAttribute(handle, new));
        p.handles.push(handle);
        Ok(p)
    }

    fn plan_delete(&self, handle: KeyHandle) -> Result<Planned, Failure> {
        let caller = self.crypto_user().map_err(fail("Cfm3DeleteKey", true))?;
        // KMU looks the handle up first: a missing key fails in Cfm3FindKey.
        let key = self.lookup(handle).map_err(fail("Cfm3FindKey", true))?;
        policy::check_use(key, caller).map_err(|e| fail("Cfm3FindKey", true)(e.into()))?;
        policy::check_owner(key, caller, "delete")
            .map_err(|e| fail("Cfm3DeleteKey", true)(e.into()))?;
        let mut p = Planned::default();
        p.out.status("Cfm3DeleteKey", ReturnCode::Success);
        p.out.cluster(ReturnCode::Success);
        p.mutations.push(Mutation::DeleteKey(handle));
        p.handles.push(handle);
        Ok(p)
    }

    fn plan_share(&self, handle: KeyHandle, user: UserId, share: bool) -> Result<Planned, Failure> {
        let f = fail("Cfm3ShareKey", true);
        let caller = self.crypto_user().map_err(&f)?;
        let key = self.lookup(handle).map_err(&f)?;
        policy::check_owner(key, caller, "share").map_err(|e| f(e.into()))?;
        let target_ok = self
            .store
            .user(user)
            .is_some_and(|u| u.user_type == UserType::CryptoUser && u.id != caller.user);
        if !target_ok {
            return Err(f(ConsoleError::ShareTarget(user)));
        }
        let mut p = Planned::default();
        p.out.status("Cfm3ShareKey", ReturnCode::Success);
        p.out.cluster(ReturnCode::Success);
        p.mutations.push(Mutation::Share(handle, user, share));
        p.handles.push(handle);
        Ok(p)
    }

    fn plan_export(
        &self,
        key: KeyHandle,
        wrapping: KeyHandle,
        out: &str,
    ) -> Result<Planned, Failure> {
        let f = fail("Cfm3WrapKey", false);
        let caller = self.crypto_user().map_err(&f)?;
        check_file_name(out).map_err(&f)?;
        let target = self.lookup(key).map_err(&f)?;
        let wrapper = self.lookup(wrapping).map_err(&f)?;
        policy::check_wrap(target, wrapper, caller).map_err(|e| f(e.into()))?;
        let kek = kek_of(wrapper).map_err(&f)?;
        // exSymKey wraps inside the HSM and unwraps on the host: do both, so
        // the plaintext in the file is what came back through the wrap.
        let blob = crate::wrap(
            &kek,
            Mechanism::KwPkcs5,
            None,
            target.value().expose_secret(),
        )
        .map_err(|e| f(ConsoleError::Crypto(e)))?;
        // The steps shown are the host's W⁻¹, the one that delivered the key.
        let (plain, steps) = unwrap_with_steps(
            "Cfm3UnWrapHostKey",
            false,
            &kek,
            Mechanism::KwPkcs5,
            None,
            &blob,
            self.step_rule(steps::may_show_key(target, caller)),
        )?;
        let mut p = Planned::default();
        p.out.status("Cfm3WrapKey", ReturnCode::Success);
        p.out.status("Cfm3UnWrapHostKey", ReturnCode::Success);
        p.out.blank().blank();
        p.out
            .line(&format!("Wrapped Symmetric Key written to file \"{out}\""));
        p.mutations.push(Mutation::WriteFile(
            out.to_owned(),
            plain.expose_secret().to_vec(),
            FileOrigin::ExSymKey { key },
        ));
        p.handles.extend([key, wrapping]);
        p.steps = Some(steps);
        Ok(p)
    }

    fn plan_import(
        &self,
        file: &str,
        wrapping: KeyHandle,
        key_type: KeyType,
        label: &str,
        id: Option<&str>,
        sess: bool,
    ) -> Result<Planned, Failure> {
        let f = fail("Cfm3WrapHostKey", true);
        let caller = self.crypto_user().map_err(&f)?;
        if key_type != KeyType::Aes {
            return Err(f(ConsoleError::UnsupportedKeyType(key_type)));
        }
        let bytes = self.read_file(file).map_err(&f)?;
        check_size(key_type, u64::try_from(bytes.len()).unwrap_or(u64::MAX)).map_err(&f)?;
        let wrapper = self.lookup(wrapping).map_err(&f)?;
        policy::check_host_wrap(wrapper, caller, true).map_err(|e| f(e.into()))?;
        policy::check_unwrap(wrapper, caller).map_err(|e| fail("Cfm3UnWrapKey", true)(e.into()))?;
        let kek = kek_of(wrapper).map_err(&f)?;
        let blob = crate::wrap(&kek, Mechanism::Kw, None, bytes)
            .map_err(|e| f(ConsoleError::Crypto(e)))?;
        // The bytes were in the clear outside the HSM already; PKCS#11's
        // default for CKA_SENSITIVE is false. setAttribute can raise it.
        let (sensitive, extractable) = (false, true);
        // The steps shown are the HSM's W⁻¹, the one that made the key.
        let (value, steps) = unwrap_with_steps(
            "Cfm3UnWrapKey",
            true,
            &kek,
            Mechanism::Kw,
            None,
            &blob,
            self.step_rule(steps::may_show_new_key(sensitive, extractable)),
        )?;
        // Only AES reaches here, so the key may encrypt, decrypt, wrap and unwrap.
        let attributes = KeyAttributes {
            token: !sess,
            sensitive,
            extractable,
            ..KeyAttributes::new_secret(
                key_type,
                label,
                id.unwrap_or_default(),
                value.expose_secret(),
            )
        };
        let mut p = Planned::default();
        p.out.status("Cfm3WrapHostKey", ReturnCode::Success);
        p.out
            .status("Cfm3CreateUnwrapTemplate", ReturnCode::Success);
        p.out.status("Cfm3UnWrapKey", ReturnCode::Success);
        p.handles.push(wrapping);
        p.key_created(
            "Symmetric Key Unwrapped",
            self.store.next_handle(),
            attributes,
            caller.user,
            value,
        );
        p.steps = Some(steps);
        Ok(p)
    }

    fn plan_host_wrap(
        &self,
        wrap: bool,
        file: &str,
        key: KeyHandle,
        iv: Option<&Iv>,
        out: Option<&str>,
    ) -> Result<Planned, Failure> {
        let function = if wrap {
            "Cfm3WrapHostKey"
        } else {
            "Cfm3UnWrapHostKey"
        };
        let f = fail(function, false);
        let caller = self.crypto_user().map_err(&f)?;
        let out = out.unwrap_or(if wrap { "wrapped_key" } else { "unwrapped_key" });
        check_file_name(out).map_err(&f)?;
        let bytes = self.read_file(file).map_err(&f)?;
        // KMU: "any file that contains less than 4 KB (4096 bytes) of data".
        if bytes.is_empty() || bytes.len() >= 4096 {
            return Err(f(ConsoleError::HostDataLength(bytes.len())));
        }
        let wrapper = self.lookup(key).map_err(&f)?;
        policy::check_host_wrap(wrapper, caller, wrap).map_err(|e| f(e.into()))?;
        let kek = kek_of(wrapper).map_err(&f)?;
        let effective_iv = iv.copied().unwrap_or(Iv::DEFAULT);
        let (result, origin, steps) = if wrap {
            let blob = crate::wrap(&kek, Mechanism::Kw, Some(&effective_iv), bytes)
                .map_err(|e| f(ConsoleError::Crypto(e)))?;
            let steps = steps::wrap_steps(
                &kek,
                Mechanism::Kw,
                Some(&effective_iv),
                bytes,
                steps::may_show_page_bytes(),
            );
            (
                zeroize::Zeroizing::new(blob),
                FileOrigin::HostWrap { wrapping: key },
                OperationSteps::of_wrap(steps),
            )
        } else {
            let (plain, steps) = unwrap_with_steps(
                function,
                false,
                &kek,
                Mechanism::Kw,
                Some(&effective_iv),
                bytes,
                steps::may_show_page_bytes(),
            )?;
            (plain.into_zeroizing(), FileOrigin::HostUnwrap, steps.steps)
        };
        let mut p = Planned::default();
        if iv.is_none() {
            p.out.blank();
            p.out.line(&format!("{INDENT}Warning: IV (-i) is missing."));
            p.out.line(&format!(
                "{INDENT}         0xA6A6A6A6A6A6A6A6 is considered as default IV"
            ));
        }
        p.out.line("result data:");
        p.out.push(&render::result_data(&result));
        p.out.blank().line(&format!("result written to file {out}"));
        p.out.status(function, ReturnCode::Success);
        p.mutations
            .push(Mutation::WriteFile(out.to_owned(), result.to_vec(), origin));
        p.handles.push(key);
        p.steps = Some(CommandSteps { function, steps });
        Ok(p)
    }

    /// Applies a plan's changes. Infallible by construction: every check ran
    /// while planning.
    pub(crate) fn apply(&mut self, mutations: Vec<Mutation>) -> Effects {
        let mut effects = Effects::default();
        for m in mutations {
            match m {
                Mutation::CreateKey {
                    attributes,
                    owner,
                    value,
                } => {
                    let h = self.store.insert(attributes, owner, BTreeSet::new(), value);
                    effects.created.push(h);
                }
                Mutation::DeleteKey(h) => {
                    if self.store.remove(h) {
                        effects.deleted.push(h);
                    }
                }
                Mutation::SetAttribute(h, a) => {
                    self.store.set_attribute(h, a);
                    effects.changed.push(h);
                }
                Mutation::Share(h, u, share) => {
                    self.store.set_shared(h, u, share);
                    effects.changed.push(h);
                }
                Mutation::WriteFile(name, bytes, origin) => {
                    self.files.write(name.clone(), bytes, origin);
                    effects.files_written.push(name);
                }
                Mutation::Login(user) => {
                    self.login = Some(user);
                    effects.login_changed = true;
                }
                Mutation::Logout => {
                    if let Some(user) = self.login.take() {
                        effects.deleted.extend(self.store.drop_session_keys(user));
                    }
                    effects.login_changed = true;
                }
            }
        }
        effects
    }
}

fn flag_attribute(attribute: AttributeType, v: bool) -> Option<Attribute> {
    Some(match attribute {
        AttributeType::Token => Attribute::Token(v),
        AttributeType::Private => Attribute::Private(v),
        AttributeType::Trusted => Attribute::Trusted(v),
        AttributeType::Sensitive => Attribute::Sensitive(v),
        AttributeType::Encrypt => Attribute::Encrypt(v),
        AttributeType::Decrypt => Attribute::Decrypt(v),
        AttributeType::Wrap => Attribute::Wrap(v),
        AttributeType::Unwrap => Attribute::Unwrap(v),
        AttributeType::Extractable => Attribute::Extractable(v),
        AttributeType::Local => Attribute::Local(v),
        AttributeType::NeverExtractable => Attribute::NeverExtractable(v),
        AttributeType::WrapWithTrusted => Attribute::WrapWithTrusted(v),
        _ => return None,
    })
}
