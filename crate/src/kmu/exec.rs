//! What running a parsed KMU command gives: the output and the changes to
//! apply ([`Ran`]), or the refusal and the KMU function that reports it
//! ([`Failed`]). Each command struct ([`super::commands`]) does its own
//! work through [`Cx`]; this names its steps and refusals after its row.

use super::command::Command;
use super::error::KmuError;
use super::render::{INDENT, Out};
use super::retcode::ReturnCode;
use super::spec::CommandSpec;
use crate::hsm::ops::{Mutation, OpFailure, Planned};
use crate::hsm::{CommandSteps, HsmErrorKind, HsmState, KeySource, OperationSteps, Stage};
use crate::store::KeyHandle;

/// A successful command's output and the changes to apply.
#[derive(Debug, Default)]
pub(crate) struct Ran {
    pub(crate) out: Out,
    pub(crate) mutations: Vec<Mutation>,
    pub(crate) handles: Vec<KeyHandle>,
    pub(crate) exit: bool,
    /// What the step viewer may show of the W or W⁻¹ it ran.
    pub(crate) steps: Option<OperationSteps>,
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

impl Ran {
    /// Only text (help, listAttributes).
    pub(crate) fn text(text: &str) -> Self {
        let mut ran = Self::default();
        ran.out.push(text);
        ran
    }

    /// The plan's changes and steps, naming `handles`; and its result.
    pub(crate) fn from_plan<T>(planned: Planned<T>, handles: &[KeyHandle]) -> (Self, T) {
        let ran = Ran {
            mutations: planned.mutations,
            steps: planned.steps,
            handles: handles.to_vec(),
            ..Ran::default()
        };
        (ran, planned.result)
    }

    /// KMU's `<announcement>.  Key Handle: <handle>` between blank lines and
    /// the cluster status, after the command's own status lines.
    pub(crate) fn key_created(&mut self, announcement: &str, handle: KeyHandle) {
        self.out
            .blank()
            .push(&format!("{INDENT}{announcement}.  Key Handle: "));
        self.out.handle(handle).blank();
        self.out.cluster(ReturnCode::Success);
        self.handles.push(handle);
    }
}

/// What a command runs with: the HSM's state (read-only: a command plans),
/// the key source for new keys, and its row of the table.
pub(crate) struct Cx<'a> {
    /// The HSM as it is.
    pub(crate) state: &'a HsmState,
    /// Where generated key bytes come from.
    pub(crate) keys: &'a mut dyn KeySource,
    spec: &'static CommandSpec,
}

impl Cx<'_> {
    /// The command's success status line: its row's function returned SUCCESS.
    pub(crate) fn status(&self, ran: &mut Ran) {
        ran.out.status(self.spec.function, ReturnCode::Success);
    }
}

/// A refusal the command finds itself, before any HSM operation.
pub(crate) fn check(kind: HsmErrorKind) -> OpFailure {
    OpFailure::from(kind.at(Stage::Check))
}

/// Plans one command against the HSM: its operation and its text, with
/// its steps and refusals named after the KMU function that reports them.
pub(crate) fn plan(
    state: &HsmState,
    keys: &mut dyn KeySource,
    command: &Command,
) -> Result<(Ran, Option<CommandSteps>), Failed> {
    let spec = command.name().spec();
    let parsed = command.parsed();
    let function = |stage: Stage| parsed.function_at(stage).unwrap_or(spec.function);
    let named = |steps: OperationSteps| CommandSteps {
        function: function(parsed.steps_stage()),
        steps,
    };
    let mut cx = Cx { state, keys, spec };
    match parsed.run(&mut cx) {
        Ok(mut ran) => {
            let steps = ran.steps.take().map(named);
            Ok((ran, steps))
        }
        Err(f) => Err(Failed {
            function: function(f.error.stage),
            cluster: spec.cluster,
            error: KmuError::Hsm(f.error),
            steps: f.steps.map(|s| Box::new(named(*s))),
        }),
    }
}
