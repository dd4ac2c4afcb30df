//! The in-page files: what `wrapKey`, `exSymKey`, `getAttribute` and the
//! workbench wrote, and what you uploaded; download, upload, delete. Under
//! "View as", what that actor sees of each file, from the core.

use std::cell::RefCell;
use std::rc::Rc;

use keywrap_core::access::{Actor, FileSight};
use keywrap_core::hsm::{ActorView, FileInfo, FileOrigin, MAX_FILE_SIZE};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::Dispatch;
use crate::state::Action;

/// What the files panel shows.
#[derive(Properties, PartialEq)]
pub struct FilesPanelProps {
    /// The files.
    pub files: Rc<Vec<FileInfo>>,
    /// The page as another actor sees it.
    pub actor_view: Option<Rc<ActorView>>,
    /// Whose eyes.
    pub view_as: Actor,
    /// Why the last upload or delete failed.
    pub error: Option<String>,
    /// Download a file by name.
    pub on_download: Callback<String>,
    /// The reducer.
    pub dispatch: Dispatch,
}

fn origin_text(origin: FileOrigin) -> String {
    match origin {
        FileOrigin::WrapKey {
            key,
            wrapping,
            header,
        } => format!(
            "wrapKey: key {key} wrapped under key {wrapping}{}",
            if header {
                ", with header"
            } else {
                ", -noheader"
            }
        ),
        FileOrigin::ExSymKey { key } => format!("exSymKey: key {key} in the clear (plaintext!)"),
        FileOrigin::HostWrap { wrapping } => {
            format!("aesWrapUnwrap: data wrapped under key {wrapping}")
        }
        FileOrigin::HostUnwrap => {
            "aesWrapUnwrap: unwrapped data in the clear (plaintext!)".to_owned()
        }
        FileOrigin::Attributes => "getAttribute: attribute text".to_owned(),
        FileOrigin::PublicKey { key } => format!("exportPubKey: public key {key} as PEM"),
        FileOrigin::Workbench { key, wrapping } => format!(
            "workbench: {} wrapped under {}",
            key.map_or_else(|| "pasted bytes".to_owned(), |k| format!("key {k}")),
            wrapping.map_or_else(|| "a pasted KEK".to_owned(), |k| format!("key {k}"))
        ),
        FileOrigin::Upload => "uploaded by you".to_owned(),
        #[allow(unreachable_patterns)]
        _ => "written by the console".to_owned(),
    }
}

fn sight_text(sight: FileSight) -> &'static str {
    match sight {
        FileSight::Bytes => "the bytes",
        FileSight::Ciphertext => "ciphertext only",
        FileSight::Nothing => "nothing",
    }
}

/// The files panel.
#[component]
pub fn FilesPanel(props: &FilesPanelProps) -> Html {
    let reader: Rc<RefCell<Option<gloo::file::callbacks::FileReader>>> =
        use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    let on_upload = {
        let d = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let Some(file) = crate::browser::chosen_file(&input) else {
                return;
            };
            let done = {
                let d = d.clone();
                Callback::from(move |r: Result<(String, Vec<u8>), String>| match r {
                    Ok((name, bytes)) => d.dispatch(Action::UploadFile {
                        name,
                        bytes: crate::state::FileBytes(bytes),
                    }),
                    Err(text) => d.dispatch(Action::Status { text, ok: false }),
                })
            };
            *reader.borrow_mut() = crate::browser::read_file(file, MAX_FILE_SIZE, done);
            input.set_value("");
        })
    };
    let you = props.view_as == Actor::You;
    let rows: Html = if you {
        html! { { for props.files.iter().map(|f| {
            let name = f.name.clone();
            let download = {
                let cb = props.on_download.clone();
                let name = name.clone();
                Callback::from(move |_: MouseEvent| cb.emit(name.clone()))
            };
            let delete = {
                let d = props.dispatch.clone();
                let name = name.clone();
                Callback::from(move |_: MouseEvent| d.dispatch(Action::DeleteFile(name.clone())))
            };
            let plaintext = matches!(f.origin, FileOrigin::ExSymKey { .. } | FileOrigin::HostUnwrap);
            html! {
                <tr key={name.clone()} class={classes!(plaintext.then_some("plaintext"))}>
                    <td class="mono">{ name.clone() }</td>
                    <td>{ format!("{} bytes", f.len) }</td>
                    <td>
                        if plaintext { <span aria-hidden="true">{ "⚠ " }</span> }
                        { origin_text(f.origin) }
                    </td>
                    <td class="buttons">
                        <button type="button" class="small" onclick={download}
                            aria-label={format!("Download file {name}")}>{ "Download" }</button>
                        <button type="button" class="small" onclick={delete}
                            aria-label={format!("Delete file {name}")}>{ "Delete" }</button>
                    </td>
                </tr>
            }
        }) } }
    } else if let Some(view) = &props.actor_view {
        html! { { for view.files.iter().map(|f| html! {
            <tr key={f.file.name.clone()}>
                <td class="mono">{ f.file.name.clone() }</td>
                <td>{ format!("{} bytes", f.file.len) }</td>
                <td><strong>{ sight_text(f.sight) }</strong>{ " — " }{ f.reason }</td>
                <td></td>
            </tr>
        }) } }
    } else {
        html! {}
    };
    html! {
        <section class="panel files" aria-labelledby="files-title">
            <h2 id="files-title">{ "Files in this page" }</h2>
            <p class="hint">
                { "What -out writes and -f reads. They live only in this tab until you download them." }
            </p>
            if !you {
                <p class="viewing-as">{ format!("As {} would see them:", props.view_as.label().to_lowercase()) }</p>
            }
            <div class="table-scroll">
                <table class="files-table">
                    <caption class="visually-hidden">{ "In-page files" }</caption>
                    <thead><tr>
                        <th scope="col">{ "Name" }</th>
                        <th scope="col">{ "Size" }</th>
                        <th scope="col">{ if you { "Origin" } else { "They see" } }</th>
                        <th scope="col">{ if you { "Actions" } else { "Actions (none for them)" } }</th>
                    </tr></thead>
                    <tbody>
                        if props.files.is_empty() {
                            <tr class="empty"><td colspan="4">{ "No files yet: try wrapKey -k <key> -w <kek> -out mykey.key -m 5" }</td></tr>
                        }
                        { rows }
                    </tbody>
                </table>
            </div>
            <div class="field">
                <label for="files-upload">{ "Upload file" }</label>
                <input id="files-upload" type="file" onchange={on_upload} />
            </div>
            if let Some(e) = &props.error {
                <p class="error" role="alert"><span aria-hidden="true">{ "✖ " }</span>{ e.clone() }</p>
            }
        </section>
    }
}
