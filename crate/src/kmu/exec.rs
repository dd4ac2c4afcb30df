//! Runs a parsed KMU command: the HSM operation it spells ([`crate::hsm::ops`])
//! and the text KMU prints for it. Nothing here decides an HSM rule.

use super::command::{AttributeSelector, Command, HelpTopic, NoHeaderTemplate};
use super::error::KmuError;
use super::render::{self, INDENT, Out};
use super::retcode::ReturnCode;
use super::spec::CommandName;
use crate::hsm::ops::{self, Mutation, NewKeyTemplate, OpFailure, OutFile, Plan, Planned};
use crate::hsm::rules::{self, FlagWords};
use crate::hsm::{CommandSteps, FileOrigin, HsmState, KeySource, OperationSteps, Stage};
use crate::store::KeyHandle;
use crate::{Iv, Mechanism};

/// A successful command's output and the changes to apply.
#[derive(Debug, Default)]
pub(crate) struct Ran {
    pub(crate) out: Out,
    pub(crate) mutations: Vec<Mutation>,
    pub(crate) handles: Vec<KeyHandle>,
    pub(crate) exit: bool,
    pub(crate) steps: Option<CommandSteps>,
}

/// A refused command: which KMU function reports it, whether the cluster
/// block follows, and the steps of a W⁻¹ that ran before the refusal.
#[derive(Debug)]
pub(crate) struct Failed {
    pub(crate) function: &'static str,
    pub(crate) cluster: bool,
    pub(crate) error: KmuError,
    pub(crate) steps: Option<Box<CommandSteps>>,
}

/// The KMU function that reports a refusal (or ran W / W⁻¹) at `stage` of
/// `command`'s operation.
fn function(command: &Command, stage: Stage) -> &'static str {
    match (command, stage) {
        (Command::DeleteKey { .. }, Stage::Find) => "Cfm3FindKey",
        (Command::ExSymKey { .. }, Stage::Host) => "Cfm3UnWrapHostKey",
        (Command::ImSymKey { .. }, Stage::Hsm) => "Cfm3UnWrapKey",
        (
            Command::UnWrapKey {
                noheader: Some(_), ..
            },
            _,
        ) => "Cfm2UnWrapWithTemplate3",
        (Command::AesWrapUnwrap { wrap: false, .. }, _) => "Cfm3UnWrapHostKey",
        _ => command.name().function(),
    }
}

/// Where in `command`'s operation the W or W⁻¹ the step viewer shows ran.
fn steps_stage(command: &Command) -> Stage {
    match command {
        Command::ExSymKey { .. } => Stage::Host,
        Command::ImSymKey { .. } => Stage::Hsm,
        _ => Stage::Check,
    }
}

fn named(command: &Command, steps: OperationSteps) -> CommandSteps {
    CommandSteps {
        function: function(command, steps_stage(command)),
        steps,
    }
}

impl Ran {
    /// The output so far, the plan's changes and steps, and `handles`.
    fn from_plan<T>(command: &Command, planned: Planned<T>, handles: &[KeyHandle]) -> (Self, T) {
        let ran = Ran {
            mutations: planned.mutations,
            steps: planned.steps.map(|s| named(command, s)),
            handles: handles.to_vec(),
            ..Ran::default()
        };
        (ran, planned.result)
    }

    /// KMU's `<announcement>.  Key Handle: <handle>` between blank lines and
    /// the cluster status, after the command's own status lines.
    fn key_created(&mut self, announcement: &str, handle: KeyHandle) {
        self.out
            .blank()
            .push(&format!("{INDENT}{announcement}.  Key Handle: "));
        self.out.handle(handle).blank();
        self.out.cluster(ReturnCode::Success);
        self.handles.push(handle);
    }
}

/// Plans one command against the HSM: its operation and its text.
pub(crate) fn plan(
    state: &HsmState,
    keys: &mut dyn KeySource,
    command: &Command,
) -> Result<Ran, Failed> {
    let failed = |f: OpFailure| Failed {
        function: function(command, f.error.stage),
        cluster: command.name().spec().cluster,
        error: KmuError::Hsm(f.error),
        steps: f.steps.map(|s| Box::new(named(command, *s))),
    };
    let check = |kind: crate::hsm::HsmErrorKind| failed(OpFailure::from(kind.at(Stage::Check)));
    let status = |ran: &mut Ran| {
        ran.out
            .status(function(command, Stage::Check), ReturnCode::Success);
    };
    let mut ran = Ran::default();
    match command {
        Command::Help(topic) => {
            ran.out.push(&match topic {
                HelpTopic::Commands => render::help_text(),
                HelpTopic::Command(c) => render::usage_text(*c),
                HelpTopic::Mechanisms => render::mechanisms_text(),
            });
        }
        Command::Exit => ran.exit = true,
        Command::ListAttributes => {
            ran.out.push(&render::list_attributes_text());
        }
        Command::LoginStatus => {
            ran.out.status("Cfm3LoginStatus", ReturnCode::Success);
            ran.out.blank();
            match state.login.and_then(|id| state.store.user(id)) {
                Some(u) => ran.out.line(&format!(
                    "{INDENT}Logged in as {} user \"{}\" (user id {})",
                    u.user_type.kmu_name(),
                    u.name,
                    u.id
                )),
                None => ran.out.line(&format!("{INDENT}Not logged in")),
            };
        }
        Command::LoginHsm { user_type, user } => {
            (ran, _) = Ran::from_plan(
                command,
                ops::login(state, *user_type, user).map_err(failed)?,
                &[],
            );
            status(&mut ran);
            ran.out.cluster(ReturnCode::Success);
        }
        Command::LogoutHsm => {
            (ran, ()) = Ran::from_plan(command, ops::logout(state).map_err(failed)?, &[]);
            status(&mut ran);
            ran.out.cluster(ReturnCode::Success);
        }
        Command::GenSymKey {
            key_type,
            size,
            label,
            id,
            nex,
            sess,
        } => {
            let spec = ops::GenerateSpec {
                key_type: *key_type,
                size: *size,
                label,
                id: id.as_deref().unwrap_or_default(),
                extractable: !nex,
                token: !sess,
                attributes: Vec::new(),
                share_with: Vec::new(),
            };
            let handle;
            (ran, handle) = Ran::from_plan(
                command,
                ops::generate(state, keys, &spec).map_err(failed)?,
                &[],
            );
            status(&mut ran);
            ran.key_created("Symmetric Key Created", handle);
        }
        Command::WrapKey {
            key,
            wrapping,
            out,
            mechanism,
            noheader,
            iv,
        } => {
            let spec = ops::WrapSpec {
                key: *key,
                wrapping: *wrapping,
                mechanism: *mechanism,
                iv: *iv,
                header: !noheader,
                out: Some(OutFile {
                    name: out,
                    origin: FileOrigin::WrapKey {
                        key: *key,
                        wrapping: *wrapping,
                        header: !noheader,
                    },
                }),
            };
            let blob;
            (ran, blob) = Ran::from_plan(
                command,
                ops::wrap(state, &spec).map_err(failed)?,
                &[*key, *wrapping],
            );
            status(&mut ran);
            ran.out.blank().line(&format!("{INDENT}Key Wrapped."));
            ran.out.blank().line(&format!(
                "{INDENT}Wrapped Key written to file \"{out}\": length {}",
                blob.len()
            ));
        }
        Command::UnWrapKey {
            file,
            unwrapping,
            mechanism,
            noheader,
            iv,
            nex,
            sess,
        } => {
            let source = match (noheader, mechanism) {
                (Some(t), Some(mechanism)) => ops::UnwrapSource::Template {
                    mechanism: *mechanism,
                    iv: *iv,
                    template: template_of(t, *nex, *sess),
                },
                (Some(_), None) => {
                    // The parser requires -m with -noheader.
                    return Err(Failed {
                        function: function(command, Stage::Check),
                        cluster: true,
                        error: KmuError::Usage {
                            command: CommandName::UnWrapKey,
                            detail: "-noheader needs -m".to_owned(),
                        },
                        steps: None,
                    });
                }
                (None, mechanism) => ops::UnwrapSource::Header {
                    mechanism: *mechanism,
                    template: NewKeyTemplate {
                        extractable: !nex,
                        token: !sess,
                        ..NewKeyTemplate::new("", crate::store::KeyType::Aes)
                    },
                },
            };
            let spec = ops::UnwrapSpec {
                input: ops::WrappedInput::File(file),
                unwrapping: *unwrapping,
                source,
            };
            let handle;
            (ran, handle) = Ran::from_plan(
                command,
                ops::unwrap(state, &spec).map_err(failed)?,
                &[*unwrapping],
            );
            if noheader.is_some() {
                ran.out
                    .status("Cfm3CreateUnwrapTemplate2", ReturnCode::Success);
                ran.out.line(&format!(
                    "{INDENT}Cfm2UnWrapWithTemplate3 returned: {}",
                    ReturnCode::Success
                ));
            } else {
                ran.out.status("Cfm3UnWrapKey", ReturnCode::Success);
            }
            ran.key_created("Key Unwrapped", handle);
        }
        Command::FindKey {
            class,
            key_type,
            label,
            id,
            sess,
            kcv,
        } => {
            let found = ops::find(state, label.as_deref(), |o| {
                let a = o.attributes();
                class.is_none_or(|c| a.class == c)
                    && key_type.is_none_or(|t| a.key_type == t)
                    && id.as_deref().is_none_or(|i| a.id == i)
                    && sess.is_none_or(|s| a.token != s)
                    && kcv.is_none_or(|k| a.kcv == k)
            })
            .map_err(|e| failed(e.into()))?;
            ran.out
                .line(&format!("Total number of keys present {}", found.len()));
            if let Some(last) = found.len().checked_sub(1) {
                ran.out.blank();
                ran.out.line(&format!(
                    " number of keys matched from start index 0::{last}"
                ));
                for (i, h) in found.iter().enumerate() {
                    if i > 0 {
                        ran.out.push(", ");
                    }
                    ran.out.handle(*h);
                }
                ran.out.blank();
            }
            ran.out.cluster(ReturnCode::Success);
            status(&mut ran);
        }
        Command::GetAttribute {
            handle,
            attribute,
            out,
        } => {
            if let Some(out) = out {
                ops::caller(state).map_err(check)?;
                crate::hsm::check_file_name(out).map_err(check)?;
            }
            let all = ops::attributes(state, *handle).map_err(|e| failed(e.into()))?;
            let attributes = match attribute {
                AttributeSelector::All => all.all(),
                AttributeSelector::One(a) => vec![all.get(*a)],
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
            ran.out.line(&format!(
                "Attribute size: {size}, count: {}",
                attributes.len()
            ));
            match out {
                Some(out) => {
                    ran.out.line(&format!("Written to: {out} file"));
                    let (written, ()) = Ran::from_plan(
                        command,
                        ops::write_file(out, text.into_bytes(), FileOrigin::Attributes)
                            .map_err(failed)?,
                        &[],
                    );
                    ran.mutations = written.mutations;
                }
                None => {
                    ran.out.push(&text);
                }
            }
            status(&mut ran);
            ran.handles.push(*handle);
        }
        Command::SetAttribute {
            handle,
            attribute,
            value,
        } => {
            let words = FlagWords { on: "1", off: "0" };
            let plan = ops::set_attribute(state, *handle, |current| {
                rules::attribute_from_text(current, *attribute, value, words)
            });
            (ran, ()) = Ran::from_plan(command, plan.map_err(failed)?, &[*handle]);
            status(&mut ran);
            ran.out.cluster(ReturnCode::Success);
        }
        Command::DeleteKey { handle } => {
            (ran, ()) = Ran::from_plan(
                command,
                ops::delete(state, *handle).map_err(failed)?,
                &[*handle],
            );
            status(&mut ran);
            ran.out.cluster(ReturnCode::Success);
        }
        Command::ShareKey {
            handle,
            user,
            share,
        } => {
            let plan = ops::share(state, *handle, *user, *share);
            (ran, ()) = Ran::from_plan(command, plan.map_err(failed)?, &[*handle]);
            status(&mut ran);
            ran.out.cluster(ReturnCode::Success);
        }
        Command::ExSymKey { key, wrapping, out } => {
            let plan = ops::export(state, *key, *wrapping, out);
            (ran, ()) = Ran::from_plan(command, plan.map_err(failed)?, &[*key, *wrapping]);
            ran.out.status("Cfm3WrapKey", ReturnCode::Success);
            ran.out.status("Cfm3UnWrapHostKey", ReturnCode::Success);
            ran.out.blank().blank();
            ran.out
                .line(&format!("Wrapped Symmetric Key written to file \"{out}\""));
        }
        Command::ImSymKey {
            file,
            wrapping,
            key_type,
            label,
            id,
            sess,
        } => {
            let spec = ops::ImportSpec {
                file,
                wrapping: *wrapping,
                key_type: *key_type,
                label,
                id: id.as_deref().unwrap_or_default(),
                token: !sess,
            };
            let handle;
            (ran, handle) = Ran::from_plan(
                command,
                ops::import(state, &spec).map_err(failed)?,
                &[*wrapping],
            );
            ran.out.status("Cfm3WrapHostKey", ReturnCode::Success);
            ran.out
                .status("Cfm3CreateUnwrapTemplate", ReturnCode::Success);
            ran.out.status("Cfm3UnWrapKey", ReturnCode::Success);
            ran.key_created("Symmetric Key Unwrapped", handle);
        }
        Command::AesWrapUnwrap {
            wrap,
            file,
            key,
            iv,
            out,
        } => {
            ran = host_wrap(
                state,
                command,
                *wrap,
                file,
                *key,
                iv.as_ref(),
                out.as_deref(),
            )
            .map_err(failed)?;
        }
    }
    Ok(ran)
}

/// The new key `unWrapKey -noheader` asks for: the HSM's default template
/// with the typed label, class, type and id, `-nex` and `-sess`.
fn template_of(t: &NoHeaderTemplate, nex: bool, sess: bool) -> NewKeyTemplate {
    NewKeyTemplate {
        id: t.id.clone().unwrap_or_default(),
        class: t.class,
        extractable: !nex,
        token: !sess,
        ..NewKeyTemplate::new(&t.label, t.key_type)
    }
}

/// `aesWrapUnwrap`: KMU's own rules (the file, its 4 KB limit, the default
/// output names, the default-IV warning) around the HSM's host wrap.
fn host_wrap(
    state: &HsmState,
    command: &Command,
    wrap: bool,
    file: &str,
    key: KeyHandle,
    iv: Option<&Iv>,
    out: Option<&str>,
) -> Result<Ran, OpFailure> {
    let check = |kind: crate::hsm::HsmErrorKind| OpFailure::from(kind.at(Stage::Check));
    ops::crypto_user(state).map_err(check)?;
    let out = out.unwrap_or(if wrap { "wrapped_key" } else { "unwrapped_key" });
    crate::hsm::check_file_name(out).map_err(check)?;
    let bytes = ops::read_file(state, file).map_err(check)?;
    // KMU: "any file that contains less than 4 KB (4096 bytes) of data".
    if bytes.is_empty() || bytes.len() >= 4096 {
        return Err(check(crate::hsm::HsmErrorKind::HostDataLength(bytes.len())));
    }
    let origin = if wrap {
        FileOrigin::HostWrap { wrapping: key }
    } else {
        FileOrigin::HostUnwrap
    };
    let spec = ops::HostWrapSpec {
        wrap,
        key,
        mechanism: Mechanism::Kw,
        iv: Some(iv.copied().unwrap_or(Iv::DEFAULT)),
        data: bytes,
        out: Some(OutFile { name: out, origin }),
    };
    let planned: Plan<_> = ops::host_wrap(state, &spec);
    let (mut ran, result) = Ran::from_plan(command, planned?, &[key]);
    if iv.is_none() {
        ran.out.blank();
        ran.out
            .line(&format!("{INDENT}Warning: IV (-i) is missing."));
        ran.out.line(&format!(
            "{INDENT}         0xA6A6A6A6A6A6A6A6 is considered as default IV"
        ));
    }
    ran.out.line("result data:");
    ran.out.push(&render::result_data(result.expose_secret()));
    ran.out
        .blank()
        .line(&format!("result written to file {out}"));
    ran.out
        .status(function(command, Stage::Check), ReturnCode::Success);
    Ok(ran)
}

/// The handles a command names, for the audit log of a refusal.
pub(crate) fn command_handles(command: &Command) -> Vec<KeyHandle> {
    let mut hs = match command {
        Command::WrapKey { key, wrapping, .. } | Command::ExSymKey { key, wrapping, .. } => {
            vec![*key, *wrapping]
        }
        Command::UnWrapKey { unwrapping, .. } => vec![*unwrapping],
        Command::GetAttribute { handle, .. }
        | Command::SetAttribute { handle, .. }
        | Command::DeleteKey { handle }
        | Command::ShareKey { handle, .. } => vec![*handle],
        Command::ImSymKey { wrapping, .. } => vec![*wrapping],
        Command::AesWrapUnwrap { key, .. } => vec![*key],
        _ => Vec::new(),
    };
    hs.sort_unstable();
    hs.dedup();
    hs
}
