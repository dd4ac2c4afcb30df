//! `extWrapAll`: a Keywrap Console extension, not part of `key_mgmt_util`.
//! Every key `findKey` would list with the same filters (or the keys named
//! with `-k`) wrapped under one key into a file each, in one batch
//! ([`crate::hsm::ops_bulk::wrap_all`]).

use super::keys::KeyFilter;
use super::{AuditLine, KmuCommand};
use crate::Mechanism;
use crate::hsm::ops_bulk::{self, WrapAllSpec};
use crate::kmu::args::Args;
use crate::kmu::error::KmuError;
use crate::kmu::exec::{Cx, Ran, Refusal};
use crate::kmu::render::INDENT;
use crate::kmu::spec::FIND_FILTERS;
use crate::store::KeyHandle;

/// The keys an `extWrapAll` wraps.
enum Selection {
    /// `-k 7,8,9`: these keys.
    Handles(Vec<KeyHandle>),
    /// `findKey`'s filters: every key they match.
    Filter(KeyFilter),
}

/// `extWrapAll -w -m -out [-k <h,h,…> | findKey filters] [-noheader]`.
pub(crate) struct ExtWrapAll {
    wrapping: KeyHandle,
    mechanism: Mechanism,
    prefix: String,
    selection: Selection,
    noheader: bool,
}

impl KmuCommand for ExtWrapAll {
    fn parse(a: &Args<'_>) -> Result<Self, KmuError> {
        let wrapping = a.handle("-w")?;
        let mechanism = a.aes_mechanism("-m", a.req("-m")?)?;
        let prefix = a.req("-out")?.to_owned();
        let selection = match a.opt("-k") {
            Some(list) => {
                // `-k` names the keys; findKey's filters would select others.
                if let Some(flag) = FIND_FILTERS.iter().map(|f| f.name).find(|f| a.has(f)) {
                    return Err(a.usage(format!(
                        "-k names the keys itself: give -k or findKey's filters, not -k with {flag}"
                    )));
                }
                let handles = list
                    .split(',')
                    .map(|h| {
                        h.parse::<KeyHandle>().map_err(|_| {
                            a.usage(format!(
                                "-k takes key handles separated by commas (7,8,9), not \"{list}\""
                            ))
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                Selection::Handles(handles)
            }
            None => Selection::Filter(KeyFilter::parse(a)?),
        };
        Ok(Self {
            wrapping,
            mechanism,
            prefix,
            selection,
            noheader: a.has("-noheader"),
        })
    }

    fn audit_text(&self) -> String {
        let line = AuditLine::new("extWrapAll")
            .arg("-w", self.wrapping)
            .arg("-m", self.mechanism.kmu_number())
            .text("-out", &self.prefix);
        let line = match &self.selection {
            Selection::Handles(handles) => {
                let list: Vec<String> = handles.iter().map(ToString::to_string).collect();
                line.arg("-k", list.join(","))
            }
            Selection::Filter(filter) => filter.audit(line),
        };
        line.switch("-noheader", self.noheader).finish()
    }

    fn handles(&self) -> Vec<KeyHandle> {
        let mut handles = vec![self.wrapping];
        if let Selection::Handles(keys) = &self.selection {
            handles.extend(keys);
        }
        handles
    }

    fn run(&self, cx: &mut Cx<'_>) -> Result<Ran, Refusal> {
        let keys = match &self.selection {
            Selection::Handles(handles) => handles.clone(),
            Selection::Filter(filter) => filter.find(cx.state)?,
        };
        let spec = WrapAllSpec {
            keys: &keys,
            wrapping: self.wrapping,
            mechanism: self.mechanism,
            header: !self.noheader,
            file_prefix: &self.prefix,
        };
        let planned = ops_bulk::wrap_all(cx.state, &spec)?;
        let mut handles: Vec<KeyHandle> = planned.result.iter().map(|w| w.key).collect();
        handles.push(self.wrapping);
        let (mut ran, files) = Ran::from_plan(planned, &handles);
        cx.status(&mut ran);
        let count = files.len();
        ran.out.blank().push(&format!(
            "{INDENT}{count} key{} wrapped under key ",
            if count == 1 { "" } else { "s" }
        ));
        ran.out.handle(self.wrapping);
        ran.out
            .line(" in one batch (Keywrap Console extension).")
            .blank();
        for file in &files {
            ran.out.push(&format!("{INDENT}Key "));
            ran.out.handle(file.key);
            // The length of the wrapped key, as wrapKey prints it (a header
            // adds to the file, not to this).
            ran.out.line(&format!(
                " written to file \"{}\": length {}",
                file.file,
                file.wrapped.len()
            ));
        }
        Ok(ran)
    }
}
