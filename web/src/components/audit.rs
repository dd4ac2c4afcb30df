//! The audit log: every command and page operation, success or not, as the
//! core recorded it (canonical commands, never key bytes or passwords), and
//! where each came from: a key_mgmt_util line, a CloudHSM CLI line or the page.

use std::rc::Rc;

use keywrap_core::hsm::AuditEntry;
use yew::prelude::*;

/// How many of the newest entries the panel shows.
pub const SHOWN: usize = 200;

/// What the audit panel shows.
#[derive(Properties, PartialEq)]
pub struct AuditPanelProps {
    /// The log, oldest first.
    pub entries: Rc<Vec<AuditEntry>>,
}

/// The audit log panel.
#[component]
pub fn AuditPanel(props: &AuditPanelProps) -> Html {
    let skip = props.entries.len().saturating_sub(SHOWN);
    html! {
        <section class="panel audit" aria-labelledby="audit-title">
            <h2 id="audit-title">{ "Audit log" }</h2>
            <div class="table-scroll audit-scroll" role="region" aria-label="Audit log entries" tabindex="0">
                <table class="audit-table">
                    <caption class="visually-hidden">{ "Every operation, oldest first" }</caption>
                    <thead><tr>
                        <th scope="col">{ "#" }</th>
                        <th scope="col">{ "User" }</th>
                        <th scope="col">{ "From" }</th>
                        <th scope="col">{ "Operation" }</th>
                        <th scope="col">{ "Handles" }</th>
                        <th scope="col">{ "Result" }</th>
                    </tr></thead>
                    <tbody>
                        if props.entries.is_empty() {
                            <tr class="empty"><td colspan="6">{ "Nothing yet: every command, reveal, upload and workbench operation is recorded here." }</td></tr>
                        }
                        { for props.entries.iter().skip(skip).map(|e| {
                            let ok = e.return_code.is_success();
                            let handles = e.handles.iter().map(|h| h.to_string()).collect::<Vec<_>>().join(", ");
                            html! {
                                <tr key={e.sequence} class={classes!(if ok { "ok" } else { "refused" })}>
                                    <td>{ e.sequence }</td>
                                    <td>{ e.user.clone().unwrap_or_else(|| "—".to_owned()) }</td>
                                    <td>{ e.dialect.label() }</td>
                                    <td class="mono">{ e.command.clone() }</td>
                                    <td>{ handles }</td>
                                    <td class="result-cell">
                                        <span aria-hidden="true">{ if ok { "✔ " } else { "✖ " } }</span>
                                        <span class="mono">{ e.return_code.to_string() }</span>
                                    </td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
