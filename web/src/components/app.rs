//! The root component: owns the one reducer, reads what the panels show
//! from the core's session, and lays out the panels.

use std::rc::Rc;

use keywrap_core::access::{Actor, TenancyMode};
use yew::prelude::*;

use crate::components::{
    access::WhoCanSee, audit::AuditPanel, banner::Banner, files::FilesPanel, footer::Footer,
    handles::HandlesPanel, header::Header, key_table::KeyTable, step_viewer::StepViewer,
    terminal::Terminal, workbench::Workbench,
};
use crate::state::{Action, AppState};

/// The whole console.
#[component]
pub fn App() -> Html {
    let state = use_reducer(AppState::default);
    let dispatch = state.dispatcher();

    // Downloads read the file's bytes from the session at click time.
    let on_download_file = {
        let session = state.session.clone();
        let dispatch = dispatch.clone();
        Callback::from(move |name: String| {
            let result = match session.try_borrow() {
                Ok(s) => match s.read_file_bytes(&name) {
                    Some(bytes) => crate::browser::download(&name, bytes),
                    None => Err(format!("no file named \"{name}\"")),
                },
                Err(_) => Err("the page is busy; try again".to_owned()),
            };
            let (text, ok) = match result {
                Ok(()) => (format!("Downloaded \"{name}\"."), true),
                Err(e) => (format!("Download of \"{name}\" failed: {e}."), false),
            };
            dispatch.dispatch(Action::Status { text, ok });
        })
    };

    let Ok(session) = state.session.try_borrow() else {
        return html! { <p>{ "The console is busy." }</p> };
    };
    let tenancy = session.tenancy();
    let other_mode = match tenancy {
        TenancyMode::SharedMultiTenant => TenancyMode::DedicatedSingleTenant,
        TenancyMode::DedicatedSingleTenant => TenancyMode::SharedMultiTenant,
    };
    let keys = Rc::new(session.keys());
    let user = session.current_user().cloned();
    let actor_view = (state.view_as != Actor::You).then(|| Rc::new(session.view_as(state.view_as)));
    let files = Rc::new(session.files());
    let audit = Rc::new(session.audit_log().to_vec());
    let next_handle = session.next_handle();
    let matrix_key = state
        .selected
        .filter(|h| session.key(*h).is_some())
        .or_else(|| keys.last().map(|k| k.handle));
    let matrix = matrix_key.and_then(|h| session.who_can_see(h, tenancy));
    let other_matrix = matrix_key.and_then(|h| session.who_can_see(h, other_mode));
    let matrix_label = matrix_key
        .and_then(|h| session.key(h))
        .map(|k| k.label().to_owned());
    drop(session);

    html! {
        <div class="app">
            <a class="skip-link" href="#command-input">{ "Skip to the console" }</a>
            <Header {tenancy} {user} view_as={state.view_as} dispatch={dispatch.clone()} />
            <Banner network={state.network} status={state.status.clone()} dispatch={dispatch.clone()} />
            <main class="panels">
                <Terminal
                    transcript={state.transcript.clone()}
                    input={state.command_input.clone()}
                    completions={state.completions.clone()}
                    user_name={state.session.try_borrow().ok().and_then(|s| s.current_user().map(|u| u.name.clone()))}
                    dispatch={dispatch.clone()} />
                <KeyTable
                    keys={keys.clone()}
                    actor_view={actor_view.clone()}
                    view_as={state.view_as}
                    {tenancy}
                    selected={matrix_key}
                    sort={state.sort}
                    filter={state.filter.clone()}
                    revealed={state.revealed.clone()}
                    reveal_error={state.reveal_error.clone()}
                    dispatch={dispatch.clone()} />
                <Workbench
                    form={state.workbench.clone()}
                    keys={keys.clone()}
                    wrap_result={state.wrap_result.clone()}
                    unwrap_result={state.unwrap_result.clone()}
                    dispatch={dispatch.clone()} />
                <StepViewer
                    trace={state.trace.clone()}
                    pos={state.trace_pos}
                    playing={state.trace_playing}
                    session={crate::components::step_viewer::SessionRef::new(&state.session, state.revision)}
                    dispatch={dispatch.clone()} />
                <WhoCanSee
                    {matrix}
                    {other_matrix}
                    label={matrix_label}
                    {tenancy}
                    view_as={state.view_as}
                    dispatch={dispatch.clone()} />
                <HandlesPanel notices={state.notices.clone()} {next_handle} key_count={keys.len()} />
                <FilesPanel
                    {files}
                    actor_view={actor_view}
                    view_as={state.view_as}
                    error={state.file_error.clone()}
                    on_download={on_download_file}
                    dispatch={dispatch.clone()} />
                <AuditPanel entries={audit} />
            </main>
            <Footer self_test={state.self_test.clone()} />
        </div>
    }
}
