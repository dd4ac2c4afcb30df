//! The commands that move plaintext across the HSM's edge: `exSymKey`,
//! `imSymKey`, and `aesWrapUnwrap` (the page's own bytes under an HSM key).

use super::{AuditLine, KmuCommand};
use crate::hsm::ops::{self, OpFailure, OutFile};
use crate::hsm::{FileOrigin, HsmErrorKind, Stage};
use crate::kmu::args::Args;
use crate::kmu::error::KmuError;
use crate::kmu::exec::{Cx, Ran, check};
use crate::kmu::render::{self, INDENT};
use crate::kmu::retcode::ReturnCode;
use crate::store::{KeyHandle, KeyType};
use crate::{Iv, Mechanism};

/// `exSymKey -k -w -out [-m 4]`.
pub(crate) struct ExSymKey {
    key: KeyHandle,
    wrapping: KeyHandle,
    out: String,
}

impl KmuCommand for ExSymKey {
    fn parse(a: &Args<'_>) -> Result<Self, KmuError> {
        let key = a.handle("-k")?;
        let wrapping = a.handle("-w")?;
        let out = a.req("-out")?.to_owned();
        if let Some(m) = a.opt("-m")
            && m != "4"
        {
            return Err(a.usage(format!("-m: the only valid value is 4, not \"{m}\"")));
        }
        Ok(Self { key, wrapping, out })
    }

    fn audit_text(&self) -> String {
        AuditLine::new("exSymKey")
            .arg("-k", self.key)
            .arg("-w", self.wrapping)
            .text("-out", &self.out)
            .arg("-m", 4)
            .finish()
    }

    fn handles(&self) -> Vec<KeyHandle> {
        vec![self.key, self.wrapping]
    }

    /// The host unwraps what the HSM wrapped: its part is `Cfm3UnWrapHostKey`'s.
    fn function_at(&self, stage: Stage) -> Option<&'static str> {
        (stage == Stage::Host).then_some("Cfm3UnWrapHostKey")
    }

    fn steps_stage(&self) -> Stage {
        Stage::Host
    }

    fn run(&self, cx: &mut Cx<'_>) -> Result<Ran, OpFailure> {
        let plan = ops::export(cx.state, self.key, self.wrapping, &self.out);
        let (mut ran, ()) = Ran::from_plan(plan?, &[self.key, self.wrapping]);
        ran.out.status("Cfm3WrapKey", ReturnCode::Success);
        ran.out.status("Cfm3UnWrapHostKey", ReturnCode::Success);
        ran.out.blank().blank();
        ran.out.line(&format!(
            "Wrapped Symmetric Key written to file \"{}\"",
            self.out
        ));
        Ok(ran)
    }
}

/// `imSymKey -f -w -t -l [-id] [-sess]`.
pub(crate) struct ImSymKey {
    file: String,
    wrapping: KeyHandle,
    key_type: KeyType,
    label: String,
    id: Option<String>,
    sess: bool,
}

impl KmuCommand for ImSymKey {
    fn parse(a: &Args<'_>) -> Result<Self, KmuError> {
        let file = a.req("-f")?.to_owned();
        let wrapping = a.handle("-w")?;
        let t = a.req_number("-t")?;
        let label = a.req("-l")?.to_owned();
        Ok(Self {
            file,
            wrapping,
            key_type: a.key_type("-t", t)?,
            label,
            id: a.opt_owned("-id"),
            sess: a.has("-sess"),
        })
    }

    fn audit_text(&self) -> String {
        AuditLine::new("imSymKey")
            .text("-f", &self.file)
            .arg("-w", self.wrapping)
            .arg("-t", self.key_type.number())
            .text("-l", &self.label)
            .opt_text("-id", self.id.as_deref())
            .switch("-sess", self.sess)
            .finish()
    }

    fn handles(&self) -> Vec<KeyHandle> {
        vec![self.wrapping]
    }

    /// The HSM's unwrap of the host-wrapped key is `Cfm3UnWrapKey`'s.
    fn function_at(&self, stage: Stage) -> Option<&'static str> {
        (stage == Stage::Hsm).then_some("Cfm3UnWrapKey")
    }

    fn steps_stage(&self) -> Stage {
        Stage::Hsm
    }

    fn run(&self, cx: &mut Cx<'_>) -> Result<Ran, OpFailure> {
        let spec = ops::ImportSpec {
            file: &self.file,
            wrapping: self.wrapping,
            key_type: self.key_type,
            label: &self.label,
            id: self.id.as_deref().unwrap_or_default(),
            token: !self.sess,
        };
        let (mut ran, handle) = Ran::from_plan(ops::import(cx.state, &spec)?, &[self.wrapping]);
        ran.out.status("Cfm3WrapHostKey", ReturnCode::Success);
        ran.out
            .status("Cfm3CreateUnwrapTemplate", ReturnCode::Success);
        ran.out.status("Cfm3UnWrapKey", ReturnCode::Success);
        ran.key_created("Symmetric Key Unwrapped", handle);
        Ok(ran)
    }
}

/// `aesWrapUnwrap -m -f -w [-i] [-out]`.
pub(crate) struct AesWrapUnwrap {
    wrap: bool,
    file: String,
    key: KeyHandle,
    iv: Option<Iv>,
    out: Option<String>,
}

impl KmuCommand for AesWrapUnwrap {
    fn parse(a: &Args<'_>) -> Result<Self, KmuError> {
        let wrap = a.bit("-m")?;
        let file = a.req("-f")?.to_owned();
        let key = a.handle("-w")?;
        Ok(Self {
            wrap,
            file,
            key,
            iv: a.iv()?,
            out: a.opt_owned("-out"),
        })
    }

    fn audit_text(&self) -> String {
        AuditLine::new("aesWrapUnwrap")
            .arg("-m", u8::from(self.wrap))
            .text("-f", &self.file)
            .arg("-w", self.key)
            .iv(self.iv.as_ref())
            .opt_text("-out", self.out.as_deref())
            .finish()
    }

    fn handles(&self) -> Vec<KeyHandle> {
        vec![self.key]
    }

    /// An unwrap is reported by `Cfm3UnWrapHostKey`, a wrap by the row's function.
    fn function_at(&self, _: Stage) -> Option<&'static str> {
        (!self.wrap).then_some("Cfm3UnWrapHostKey")
    }

    /// KMU's own rules (the file, its 4 KB limit, the default output names,
    /// the default-IV warning) around the HSM's host wrap.
    fn run(&self, cx: &mut Cx<'_>) -> Result<Ran, OpFailure> {
        let state = cx.state;
        ops::crypto_user(state).map_err(check)?;
        let out = self.out.as_deref().unwrap_or(if self.wrap {
            "wrapped_key"
        } else {
            "unwrapped_key"
        });
        crate::hsm::check_file_name(out).map_err(check)?;
        let bytes = ops::read_file(state, &self.file).map_err(check)?;
        // KMU: "any file that contains less than 4 KB (4096 bytes) of data".
        if bytes.is_empty() || bytes.len() >= 4096 {
            return Err(check(HsmErrorKind::HostDataLength(bytes.len())));
        }
        let origin = if self.wrap {
            FileOrigin::HostWrap { wrapping: self.key }
        } else {
            FileOrigin::HostUnwrap
        };
        let spec = ops::HostWrapSpec {
            wrap: self.wrap,
            key: self.key,
            mechanism: Mechanism::Kw,
            iv: Some(self.iv.unwrap_or(Iv::DEFAULT)),
            data: bytes,
            out: Some(OutFile { name: out, origin }),
        };
        let (mut ran, result) = Ran::from_plan(ops::host_wrap(state, &spec)?, &[self.key]);
        if self.iv.is_none() {
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
        match self.function_at(Stage::Check) {
            Some(function) => {
                ran.out.status(function, ReturnCode::Success);
            }
            None => cx.status(&mut ran),
        }
        Ok(ran)
    }
}
