//! The commands about the tool and the session: `help`, `exit`,
//! `loginHSM`, `logoutHSM`, `loginStatus`, `listAttributes`.

use super::{AuditLine, KmuCommand};
use crate::hsm::ops::{self, OpFailure};
use crate::kmu::args::Args;
use crate::kmu::error::KmuError;
use crate::kmu::exec::{Cx, Ran};
use crate::kmu::render::{self, INDENT};
use crate::kmu::retcode::ReturnCode;
use crate::kmu::spec::CommandName;
use crate::store::UserType;

/// What `help` was asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HelpTopic {
    /// The list of commands.
    Commands,
    /// One command's usage.
    Command(CommandName),
    /// The mapping of mechanism names across tools.
    Mechanisms,
}

/// `help`, `help <command>`, `help mechanisms`, or `<command> -h`.
pub(crate) struct Help {
    pub(crate) topic: HelpTopic,
}

impl KmuCommand for Help {
    fn parse(a: &Args<'_>) -> Result<Self, KmuError> {
        let topic = match a.words() {
            [] => HelpTopic::Commands,
            [topic] if topic == "mechanisms" => HelpTopic::Mechanisms,
            [topic] => CommandName::from_name(topic)
                .map(HelpTopic::Command)
                .ok_or_else(|| a.usage(format!("no command is named \"{topic}\"")))?,
            _ => return Err(a.usage("help takes at most one topic".to_owned())),
        };
        Ok(Self { topic })
    }

    fn audit_text(&self) -> String {
        match self.topic {
            HelpTopic::Commands => "help".to_owned(),
            HelpTopic::Command(c) => format!("help {}", c.name()),
            HelpTopic::Mechanisms => "help mechanisms".to_owned(),
        }
    }

    fn run(&self, _: &mut Cx<'_>) -> Result<Ran, OpFailure> {
        Ok(Ran::text(&match self.topic {
            HelpTopic::Commands => render::help_text(),
            HelpTopic::Command(c) => render::usage_text(c),
            HelpTopic::Mechanisms => render::mechanisms_text(),
        }))
    }
}

/// `exit` / `quit`.
pub(crate) struct Exit;

impl KmuCommand for Exit {
    fn parse(_: &Args<'_>) -> Result<Self, KmuError> {
        Ok(Self)
    }

    fn audit_text(&self) -> String {
        "exit".to_owned()
    }

    fn run(&self, _: &mut Cx<'_>) -> Result<Ran, OpFailure> {
        Ok(Ran {
            exit: true,
            ..Ran::default()
        })
    }
}

/// `loginHSM -u -s [-p]`. The password is dropped at parse time: the page
/// has no secrets to check it against, and it must never reach the audit.
pub(crate) struct LoginHsm {
    user_type: UserType,
    user: String,
}

impl KmuCommand for LoginHsm {
    fn parse(a: &Args<'_>) -> Result<Self, KmuError> {
        let kind = a.req("-u")?;
        let user = a.req("-s")?.to_owned();
        let user_type = UserType::from_kmu_name(kind).ok_or(KmuError::Refused {
            command: a.command(),
            error: Box::new(KmuError::InvalidUserType),
        })?;
        Ok(Self { user_type, user })
    }

    fn audit_text(&self) -> String {
        AuditLine::new("loginHSM")
            .arg("-u", self.user_type.kmu_name())
            .text("-s", &self.user)
            .finish()
    }

    fn run(&self, cx: &mut Cx<'_>) -> Result<Ran, OpFailure> {
        let (mut ran, _) = Ran::from_plan(ops::login(cx.state, self.user_type, &self.user)?, &[]);
        cx.status(&mut ran);
        ran.out.cluster(ReturnCode::Success);
        Ok(ran)
    }
}

/// `logoutHSM`.
pub(crate) struct LogoutHsm;

impl KmuCommand for LogoutHsm {
    fn parse(_: &Args<'_>) -> Result<Self, KmuError> {
        Ok(Self)
    }

    fn audit_text(&self) -> String {
        "logoutHSM".to_owned()
    }

    fn run(&self, cx: &mut Cx<'_>) -> Result<Ran, OpFailure> {
        let (mut ran, ()) = Ran::from_plan(ops::logout(cx.state)?, &[]);
        cx.status(&mut ran);
        ran.out.cluster(ReturnCode::Success);
        Ok(ran)
    }
}

/// `loginStatus`.
pub(crate) struct LoginStatus;

impl KmuCommand for LoginStatus {
    fn parse(_: &Args<'_>) -> Result<Self, KmuError> {
        Ok(Self)
    }

    fn audit_text(&self) -> String {
        "loginStatus".to_owned()
    }

    fn run(&self, cx: &mut Cx<'_>) -> Result<Ran, OpFailure> {
        let mut ran = Ran::default();
        ran.out.status("Cfm3LoginStatus", ReturnCode::Success);
        ran.out.blank();
        let state = cx.state;
        match state.login.and_then(|id| state.store.user(id)) {
            Some(u) => ran.out.line(&format!(
                "{INDENT}Logged in as {} user \"{}\" (user id {})",
                u.user_type.kmu_name(),
                u.name,
                u.id
            )),
            None => ran.out.line(&format!("{INDENT}Not logged in")),
        };
        Ok(ran)
    }
}

/// `listAttributes`.
pub(crate) struct ListAttributes;

impl KmuCommand for ListAttributes {
    fn parse(_: &Args<'_>) -> Result<Self, KmuError> {
        Ok(Self)
    }

    fn audit_text(&self) -> String {
        "listAttributes".to_owned()
    }

    fn run(&self, _: &mut Cx<'_>) -> Result<Ran, OpFailure> {
        Ok(Ran::text(&render::list_attributes_text()))
    }
}
