//! The commands that make, find, read, change, share and delete keys:
//! `genSymKey`, `findKey`, `getAttribute`, `setAttribute`, `shareKey`,
//! `deleteKey`.

use super::{AuditLine, KmuCommand, hex};
use crate::hsm::ops;
use crate::hsm::rules::{self, FlagWords};
use crate::hsm::{FileOrigin, HsmError, HsmErrorKind, HsmState, Stage};
use crate::kmu::args::{Args, parse_kcv};
use crate::kmu::error::KmuError;
use crate::kmu::exec::{Cx, Ran, Refusal, check};
use crate::kmu::retcode::ReturnCode;
use crate::store::{AttributeType, KeyClass, KeyHandle, KeyType, UserId};

/// `genSymKey -t -s -l [-id] [-nex] [-sess]`.
pub(crate) struct GenSymKey {
    key_type: KeyType,
    size: u32,
    label: String,
    id: Option<String>,
    nex: bool,
    sess: bool,
}

impl KmuCommand for GenSymKey {
    fn parse(a: &Args<'_>) -> Result<Self, KmuError> {
        let t = a.req_number("-t")?;
        let size = a.req_number("-s")?;
        let label = a.req("-l")?.to_owned();
        Ok(Self {
            key_type: a.key_type("-t", t)?,
            size,
            label,
            id: a.opt_owned("-id"),
            nex: a.has("-nex"),
            sess: a.has("-sess"),
        })
    }

    fn audit_text(&self) -> String {
        AuditLine::new("genSymKey")
            .arg("-t", self.key_type.number())
            .arg("-s", self.size)
            .text("-l", &self.label)
            .opt_text("-id", self.id.as_deref())
            .switch("-nex", self.nex)
            .switch("-sess", self.sess)
            .finish()
    }

    fn run(&self, cx: &mut Cx<'_>) -> Result<Ran, Refusal> {
        let spec = ops::GenerateSpec {
            key_type: self.key_type,
            size: self.size,
            label: &self.label,
            id: self.id.as_deref().unwrap_or_default(),
            extractable: !self.nex,
            token: !self.sess,
            attributes: Vec::new(),
            share_with: Vec::new(),
        };
        let (mut ran, handle) = Ran::from_plan(ops::generate(cx.state, cx.keys, &spec)?, &[]);
        cx.status(&mut ran);
        ran.key_created("Symmetric Key Created", handle);
        Ok(ran)
    }
}

/// `findKey`'s filters, which every one of its matches meets: `[-c] [-t]
/// [-l] [-id] [-sess] [-kcv]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct KeyFilter {
    class: Option<KeyClass>,
    key_type: Option<KeyType>,
    label: Option<String>,
    id: Option<String>,
    sess: Option<bool>,
    kcv: Option<[u8; 3]>,
}

impl KeyFilter {
    /// The filters given among `a`'s flags.
    pub(crate) fn parse(a: &Args<'_>) -> Result<Self, KmuError> {
        let class = match a.opt_number("-c")? {
            Some(c) => Some(
                KeyClass::from_number(c)
                    .ok_or_else(|| a.usage(format!("-c: {c} is not a key class")))?,
            ),
            None => None,
        };
        let key_type = match a.opt_number("-t")? {
            Some(t) => Some(a.key_type("-t", t)?),
            None => None,
        };
        let sess = if a.has("-sess") {
            Some(a.bit("-sess")?)
        } else {
            None
        };
        let kcv = match a.opt("-kcv") {
            Some(text) => Some(
                parse_kcv(text)
                    .ok_or_else(|| a.usage(format!("-kcv takes six hex digits, not \"{text}\"")))?,
            ),
            None => None,
        };
        Ok(Self {
            class,
            key_type,
            label: a.opt_owned("-l"),
            id: a.opt_owned("-id"),
            sess,
            kcv,
        })
    }

    /// The filters as the audit log records them, after `line`.
    pub(crate) fn audit(&self, line: AuditLine) -> AuditLine {
        line.opt_arg("-c", self.class.map(KeyClass::number))
            .opt_arg("-t", self.key_type.map(KeyType::number))
            .opt_text("-l", self.label.as_deref())
            .opt_text("-id", self.id.as_deref())
            .opt_arg("-sess", self.sess.map(u8::from))
            .opt_arg("-kcv", self.kcv.map(|k| hex(&k)))
    }

    /// The keys the caller may see that match, by ascending handle.
    pub(crate) fn find(&self, state: &HsmState) -> Result<Vec<KeyHandle>, HsmError> {
        ops::find(state, self.label.as_deref(), |o| {
            let a = o.attributes();
            self.class.is_none_or(|c| a.class == c)
                && self.key_type.is_none_or(|t| a.key_type == t)
                && self.id.as_deref().is_none_or(|i| a.id == i)
                && self.sess.is_none_or(|s| a.token != s)
                && self.kcv.is_none_or(|k| a.kcv == k)
        })
    }
}

/// `findKey [-c] [-t] [-l] [-id] [-sess] [-kcv]`.
pub(crate) struct FindKey {
    filter: KeyFilter,
}

impl KmuCommand for FindKey {
    fn parse(a: &Args<'_>) -> Result<Self, KmuError> {
        Ok(Self {
            filter: KeyFilter::parse(a)?,
        })
    }

    fn audit_text(&self) -> String {
        self.filter.audit(AuditLine::new("findKey")).finish()
    }

    fn run(&self, cx: &mut Cx<'_>) -> Result<Ran, Refusal> {
        let found = self.filter.find(cx.state)?;
        let mut ran = Ran::default();
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
        cx.status(&mut ran);
        Ok(ran)
    }
}

/// What `getAttribute -a` selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AttributeSelector {
    /// `-a 512`: every attribute.
    All,
    /// One attribute.
    One(AttributeType),
}

/// `-a <n>`: an attribute's number (see `listAttributes`).
fn attribute(a: &Args<'_>, n: u32) -> Result<AttributeType, KmuError> {
    AttributeType::from_number(n)
        .ok_or_else(|| a.usage(format!("-a: {n} is not an attribute (see listAttributes)")))
}

/// `getAttribute -o -a [-out]`.
pub(crate) struct GetAttribute {
    handle: KeyHandle,
    attribute: AttributeSelector,
    out: Option<String>,
}

impl KmuCommand for GetAttribute {
    fn parse(a: &Args<'_>) -> Result<Self, KmuError> {
        let handle = a.handle("-o")?;
        let n = a.req_number("-a")?;
        let attribute = if n == AttributeType::ALL_NUMBER {
            AttributeSelector::All
        } else {
            AttributeSelector::One(attribute(a, n)?)
        };
        Ok(Self {
            handle,
            attribute,
            out: a.opt_owned("-out"),
        })
    }

    fn audit_text(&self) -> String {
        let number = match self.attribute {
            AttributeSelector::All => AttributeType::ALL_NUMBER,
            AttributeSelector::One(a) => a.number(),
        };
        AuditLine::new("getAttribute")
            .arg("-o", self.handle)
            .arg("-a", number)
            .opt_text("-out", self.out.as_deref())
            .finish()
    }

    fn handles(&self) -> Vec<KeyHandle> {
        vec![self.handle]
    }

    fn run(&self, cx: &mut Cx<'_>) -> Result<Ran, Refusal> {
        let state = cx.state;
        if let Some(out) = &self.out {
            ops::caller(state).map_err(check)?;
            crate::hsm::check_file_name(out).map_err(check)?;
        }
        let all = ops::attributes(state, self.handle)?;
        let attributes = match self.attribute {
            AttributeSelector::All => all.all(),
            AttributeSelector::One(a) => vec![all.get(a).ok_or_else(|| {
                check(HsmErrorKind::AttributeTypeInvalid {
                    handle: self.handle,
                    attribute: a,
                })
            })?],
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
        let mut ran = Ran::default();
        ran.out.line(&format!(
            "Attribute size: {size}, count: {}",
            attributes.len()
        ));
        match &self.out {
            Some(out) => {
                ran.out.line(&format!("Written to: {out} file"));
                let planned = ops::write_file(out, text.into_bytes(), FileOrigin::Attributes)?;
                ran.mutations = planned.mutations;
            }
            None => {
                ran.out.push(&text);
            }
        }
        cx.status(&mut ran);
        ran.handles.push(self.handle);
        Ok(ran)
    }
}

/// `setAttribute -o -a -v`.
pub(crate) struct SetAttribute {
    handle: KeyHandle,
    attribute: AttributeType,
    value: String,
}

impl KmuCommand for SetAttribute {
    fn parse(a: &Args<'_>) -> Result<Self, KmuError> {
        let handle = a.handle("-o")?;
        let n = a.req_number("-a")?;
        let attribute = attribute(a, n)?;
        // KMU prompts for a missing -v; a pure console cannot, so -v is required.
        let value = a.req("-v")?.to_owned();
        Ok(Self {
            handle,
            attribute,
            value,
        })
    }

    fn audit_text(&self) -> String {
        AuditLine::new("setAttribute")
            .arg("-o", self.handle)
            .arg("-a", self.attribute.number())
            .text("-v", &self.value)
            .finish()
    }

    fn handles(&self) -> Vec<KeyHandle> {
        vec![self.handle]
    }

    fn run(&self, cx: &mut Cx<'_>) -> Result<Ran, Refusal> {
        let words = FlagWords { on: "1", off: "0" };
        let plan = ops::set_attribute(cx.state, self.handle, |current| {
            rules::attribute_from_text(current, self.attribute, &self.value, words)
        });
        let (mut ran, ()) = Ran::from_plan(plan?, &[self.handle]);
        cx.status(&mut ran);
        ran.out.cluster(ReturnCode::Success);
        Ok(ran)
    }
}

/// `deleteKey -k`.
pub(crate) struct DeleteKey {
    handle: KeyHandle,
}

impl KmuCommand for DeleteKey {
    fn parse(a: &Args<'_>) -> Result<Self, KmuError> {
        Ok(Self {
            handle: a.handle("-k")?,
        })
    }

    fn audit_text(&self) -> String {
        AuditLine::new("deleteKey").arg("-k", self.handle).finish()
    }

    fn handles(&self) -> Vec<KeyHandle> {
        vec![self.handle]
    }

    /// KMU looks the key up first: a key that is not there is `Cfm3FindKey`'s.
    fn function_at(&self, stage: Stage) -> Option<&'static str> {
        (stage == Stage::Find).then_some("Cfm3FindKey")
    }

    fn run(&self, cx: &mut Cx<'_>) -> Result<Ran, Refusal> {
        let (mut ran, ()) = Ran::from_plan(ops::delete(cx.state, self.handle)?, &[self.handle]);
        cx.status(&mut ran);
        ran.out.cluster(ReturnCode::Success);
        Ok(ran)
    }
}

/// `shareKey -k -u -m`.
pub(crate) struct ShareKey {
    handle: KeyHandle,
    user: UserId,
    share: bool,
}

impl KmuCommand for ShareKey {
    fn parse(a: &Args<'_>) -> Result<Self, KmuError> {
        let handle = a.handle("-k")?;
        let user = a.req_number("-u")?;
        let user = u16::try_from(user)
            .map(UserId::new)
            .map_err(|_| a.usage(format!("-u: {user} is not a user id")))?;
        Ok(Self {
            handle,
            user,
            share: a.bit("-m")?,
        })
    }

    fn audit_text(&self) -> String {
        AuditLine::new("shareKey")
            .arg("-k", self.handle)
            .arg("-u", self.user)
            .arg("-m", u8::from(self.share))
            .finish()
    }

    fn handles(&self) -> Vec<KeyHandle> {
        vec![self.handle]
    }

    fn run(&self, cx: &mut Cx<'_>) -> Result<Ran, Refusal> {
        let plan = ops::share(cx.state, self.handle, self.user, self.share);
        let (mut ran, ()) = Ran::from_plan(plan?, &[self.handle]);
        cx.status(&mut ran);
        ran.out.cluster(ReturnCode::Success);
        Ok(ran)
    }
}
