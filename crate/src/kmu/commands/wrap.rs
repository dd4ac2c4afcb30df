//! The commands that wrap an HSM key out and unwrap one in: `wrapKey`,
//! `unWrapKey`.

use super::{AuditLine, KmuCommand};
use crate::hsm::ops::{self, NewKeyTemplate, OpFailure, OutFile};
use crate::hsm::{FileOrigin, Stage};
use crate::kmu::args::Args;
use crate::kmu::error::KmuError;
use crate::kmu::exec::{Cx, Ran};
use crate::kmu::render::INDENT;
use crate::kmu::retcode::ReturnCode;
use crate::store::{KeyClass, KeyHandle, KeyType};
use crate::{Iv, Mechanism};

/// `wrapKey -k -w -out -m [-noheader] [-i]`.
pub(crate) struct WrapKey {
    key: KeyHandle,
    wrapping: KeyHandle,
    out: String,
    mechanism: Mechanism,
    noheader: bool,
    iv: Option<Iv>,
}

impl KmuCommand for WrapKey {
    fn parse(a: &Args<'_>) -> Result<Self, KmuError> {
        let key = a.handle("-k")?;
        let wrapping = a.handle("-w")?;
        let out = a.req("-out")?.to_owned();
        // `-m` became mandatory in KMU when its default was removed.
        let mechanism = a.mechanism("-m", a.req("-m")?)?;
        let noheader = a.has("-noheader");
        let iv = a.iv()?;
        if iv.is_some() && !noheader {
            return Err(a.usage("-i is valid only with -noheader".to_owned()));
        }
        Ok(Self {
            key,
            wrapping,
            out,
            mechanism,
            noheader,
            iv,
        })
    }

    fn audit_text(&self) -> String {
        AuditLine::new("wrapKey")
            .arg("-k", self.key)
            .arg("-w", self.wrapping)
            .text("-out", &self.out)
            .arg("-m", self.mechanism.kmu_number())
            .switch("-noheader", self.noheader)
            .iv(self.iv.as_ref())
            .finish()
    }

    fn handles(&self) -> Vec<KeyHandle> {
        vec![self.key, self.wrapping]
    }

    fn run(&self, cx: &mut Cx<'_>) -> Result<Ran, OpFailure> {
        let (key, wrapping, header) = (self.key, self.wrapping, !self.noheader);
        let spec = ops::WrapSpec {
            key,
            wrapping,
            mechanism: self.mechanism,
            iv: self.iv,
            header,
            out: Some(OutFile {
                name: &self.out,
                origin: FileOrigin::WrapKey {
                    key,
                    wrapping,
                    header,
                },
            }),
        };
        let (mut ran, blob) = Ran::from_plan(ops::wrap(cx.state, &spec)?, &[key, wrapping]);
        cx.status(&mut ran);
        ran.out.blank().line(&format!("{INDENT}Key Wrapped."));
        ran.out.blank().line(&format!(
            "{INDENT}Wrapped Key written to file \"{}\": length {}",
            self.out,
            blob.len()
        ));
        Ok(ran)
    }
}

/// The template `unWrapKey -noheader` builds the new key from.
#[derive(Clone, Debug, PartialEq, Eq)]
struct NoHeaderTemplate {
    /// `-m`, which a bare blob needs: no header names it.
    mechanism: Mechanism,
    /// `-l`.
    label: String,
    /// `-kc`.
    class: KeyClass,
    /// `-kt`.
    key_type: KeyType,
    /// `-id`.
    id: Option<String>,
}

/// `unWrapKey -f -w [-m] [-noheader -l -kc -kt [-id]] [-i] [-nex] [-sess]`.
pub(crate) struct UnWrapKey {
    file: String,
    unwrapping: KeyHandle,
    /// With a header: the mechanism the header must name, if given.
    mechanism: Option<Mechanism>,
    noheader: Option<NoHeaderTemplate>,
    iv: Option<Iv>,
    nex: bool,
    sess: bool,
}

impl KmuCommand for UnWrapKey {
    fn parse(a: &Args<'_>) -> Result<Self, KmuError> {
        let file = a.req("-f")?.to_owned();
        let unwrapping = a.handle("-w")?;
        let mechanism = a.opt("-m").map(|m| a.mechanism("-m", m)).transpose()?;
        let noheader = if a.has("-noheader") {
            let label = a.req("-l")?.to_owned();
            let kc = a.req_number("-kc")?;
            let kt = a.req_number("-kt")?;
            let Some(mechanism) = mechanism else {
                return Err(a.usage(
                    "-noheader needs -m: there is no header to name the mechanism".to_owned(),
                ));
            };
            Some(NoHeaderTemplate {
                mechanism,
                label,
                class: KeyClass::from_number(kc)
                    .ok_or_else(|| a.usage(format!("-kc: {kc} is not a key class")))?,
                key_type: a.key_type("-kt", kt)?,
                id: a.opt_owned("-id"),
            })
        } else {
            for flag in ["-l", "-kc", "-kt", "-id", "-i"] {
                if a.has(flag) {
                    return Err(a.usage(format!("{flag} is valid only with -noheader")));
                }
            }
            None
        };
        Ok(Self {
            file,
            unwrapping,
            mechanism,
            noheader,
            iv: a.iv()?,
            nex: a.has("-nex"),
            sess: a.has("-sess"),
        })
    }

    fn audit_text(&self) -> String {
        let mut line = AuditLine::new("unWrapKey")
            .text("-f", &self.file)
            .arg("-w", self.unwrapping)
            .opt_arg("-m", self.mechanism.map(Mechanism::kmu_number));
        if let Some(t) = &self.noheader {
            line = line
                .switch("-noheader", true)
                .text("-l", &t.label)
                .arg("-kc", t.class.number())
                .arg("-kt", t.key_type.number())
                .opt_text("-id", t.id.as_deref());
        }
        line.iv(self.iv.as_ref())
            .switch("-nex", self.nex)
            .switch("-sess", self.sess)
            .finish()
    }

    fn handles(&self) -> Vec<KeyHandle> {
        vec![self.unwrapping]
    }

    /// A bare blob goes through KMU's template unwrap.
    fn function_at(&self, _: Stage) -> Option<&'static str> {
        self.noheader.as_ref().map(|_| "Cfm2UnWrapWithTemplate3")
    }

    fn run(&self, cx: &mut Cx<'_>) -> Result<Ran, OpFailure> {
        let (extractable, token) = (!self.nex, !self.sess);
        let source = match &self.noheader {
            Some(t) => ops::UnwrapSource::Template {
                mechanism: t.mechanism,
                iv: self.iv,
                // The HSM's default template with the typed label, class, type and id.
                template: NewKeyTemplate {
                    id: t.id.clone().unwrap_or_default(),
                    class: t.class,
                    extractable,
                    token,
                    ..NewKeyTemplate::new(&t.label, t.key_type)
                },
            },
            None => ops::UnwrapSource::Header {
                mechanism: self.mechanism,
                template: NewKeyTemplate {
                    extractable,
                    token,
                    ..NewKeyTemplate::new("", KeyType::Aes)
                },
            },
        };
        let spec = ops::UnwrapSpec {
            input: ops::WrappedInput::File(&self.file),
            unwrapping: self.unwrapping,
            source,
        };
        let (mut ran, handle) = Ran::from_plan(ops::unwrap(cx.state, &spec)?, &[self.unwrapping]);
        if self.noheader.is_some() {
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
        Ok(ran)
    }
}
