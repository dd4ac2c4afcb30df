//! The root component: owns the one reducer, reads what the panels show
//! from the core's session once per session revision (`use_memo`), and lays
//! out the learning view: the action (terminal, workbench) beside what it
//! shows (steps, keys, handles, who can see) on a wide screen, stacked in
//! that reading order on a narrow one.

use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use keywrap_core::access::{AccessMatrix, Actor, TenancyMode};
use keywrap_core::hsm::{ActorView, AuditEntry, FileInfo, KeyView, Session};
use keywrap_core::store::{KeyHandle, User};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::components::{
    access::WhoCanSee, audit::AuditPanel, banner::Banner, files::FilesPanel, footer::Footer,
    handles::HandlesPanel, header::Header, key_table::KeyTable, start::start_strip,
    step_viewer::StepViewer, terminal::Terminal, workbench::Workbench,
};
use crate::state::{Action, AppState, SEED_SESSION};

/// The id of the element around the step viewer ("see the steps" scrolls to it).
pub const STEPS_SLOT: &str = "steps-slot";

/// What the panels show of the session, read once per revision.
#[derive(PartialEq)]
struct SessionView {
    tenancy: TenancyMode,
    keys: Rc<Vec<KeyView>>,
    user: Option<User>,
    actor_view: Option<Rc<ActorView>>,
    files: Rc<Vec<FileInfo>>,
    audit: Rc<Vec<AuditEntry>>,
    next_handle: KeyHandle,
    matrix_key: Option<KeyHandle>,
    shared: Option<AccessMatrix>,
    dedicated: Option<AccessMatrix>,
    matrix_label: Option<String>,
}

impl SessionView {
    fn read(session: &Session, selected: Option<KeyHandle>, view_as: Actor) -> Self {
        let keys = session.keys();
        let matrix_key = selected
            .filter(|h| session.key(*h).is_some())
            .or_else(|| keys.last().map(|k| k.handle));
        Self {
            tenancy: session.tenancy(),
            user: session.current_user().cloned(),
            actor_view: (view_as != Actor::You).then(|| Rc::new(session.view_as(view_as))),
            files: Rc::new(session.files()),
            audit: Rc::new(session.audit_log().to_vec()),
            next_handle: session.next_handle(),
            shared: matrix_key.and_then(|h| session.who_can_see(h, TenancyMode::SharedMultiTenant)),
            dedicated: matrix_key
                .and_then(|h| session.who_can_see(h, TenancyMode::DedicatedSingleTenant)),
            // Only a label the actor may read (not alice's after bob logs in).
            matrix_label: matrix_key.and_then(|h| session.label_seen_by(h, view_as)),
            matrix_key,
            keys: Rc::new(keys),
        }
    }
}

/// Scrolls the step viewer into view and moves focus to it.
fn show_steps() {
    let Some(slot) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(STEPS_SLOT))
    else {
        return;
    };
    slot.scroll_into_view();
    if let Some(el) = slot.dyn_ref::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

/// The whole console.
#[component]
pub fn App() -> Html {
    let state = use_reducer(AppState::default);
    let dispatch = state.dispatcher();

    let view = {
        let session = Rc::clone(&state.session);
        let selected = state.keys.selected;
        let view_as = state.keys.view_as;
        use_memo((state.revision, selected, view_as), move |_| {
            session
                .try_borrow()
                .ok()
                .map(|s| SessionView::read(&s, selected, view_as))
        })
    };
    // Callbacks that never change, so they never make a panel re-render.
    let complete = {
        let session = Rc::clone(&state.session);
        use_memo((), move |_| {
            Callback::from(move |line: String| {
                session
                    .try_borrow()
                    .map(|s| s.complete(&line))
                    .unwrap_or_default()
            })
        })
    };
    let on_show_steps = use_memo((), |_| Callback::from(|()| show_steps()));
    // The import panel changed the session (an audited package of an HSM key).
    let on_session_changed = {
        let dispatch = dispatch.clone();
        use_memo((), move |_| {
            Callback::from(move |()| dispatch.dispatch(Action::SessionChanged))
        })
    };
    // Downloads read the file's bytes from the session at click time.
    let on_download_file = {
        let session = Rc::clone(&state.session);
        let dispatch = dispatch.clone();
        use_memo((), move |_| {
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
        })
    };

    // While keys or files exist, closing or reloading the tab asks first:
    // nothing is kept anywhere, so everything would be lost.
    let holds_material = view
        .as_ref()
        .as_ref()
        .is_some_and(|v| !v.keys.is_empty() || !v.files.is_empty());
    use_effect_with(holds_material, |&holds| {
        let listener = holds.then(web_sys::window).flatten().map(|window| {
            EventListener::new_with_options(
                &window,
                "beforeunload",
                EventListenerOptions::enable_prevent_default(),
                |e| {
                    e.prevent_default();
                    if let Some(e) = e.dyn_ref::<web_sys::BeforeUnloadEvent>() {
                        e.set_return_value(
                            "Your keys and files live only in this tab and will be lost.",
                        );
                    }
                },
            )
        });
        move || drop(listener)
    });

    let Some(view) = view.as_ref().as_ref() else {
        return html! { <p>{ "The console is busy." }</p> };
    };
    // The "see the steps" link goes on the command whose steps are shown.
    let steps_entry = (!state.workbench.changed_steps && state.trace.trace.is_some())
        .then(|| {
            state
                .terminal
                .transcript
                .iter()
                .rev()
                .find(|e| e.changed_steps)
                .map(|e| e.id)
        })
        .flatten();
    let seed_ran: Vec<bool> = SEED_SESSION
        .iter()
        .map(|l| state.terminal.history.iter().any(|h| &**h == *l))
        .collect();
    let network = state.notices.network;
    let locked = crate::csp::is_locked();
    let lock_summary = match (locked, network.observing) {
        (false, _) => "Network lock missing: do not trust this page with keys".to_owned(),
        (true, true) => format!(
            "Network lock on: the page blocks every request it could make · {} requests since it loaded",
            network.requests
        ),
        (true, false) => "Network lock on: the page blocks every request it could make".to_owned(),
    };
    let status = state.notices.status.as_ref();

    html! {
        <div class="app">
            <a class="skip-link" href="#command-input">{ "Skip to the console" }</a>
            <Header user={view.user.clone()} view_as={state.keys.view_as} dispatch={dispatch.clone()}>
                <details class={classes!("badge", "lock-badge", (!locked).then_some("unlocked"))}>
                    <summary>if locked { { crate::components::banner::lock_icon() } } else { <span aria-hidden="true">{ "⚠ " }</span> }{ lock_summary }</summary>
                    <Banner network={network} status={None} dispatch={dispatch.clone()} />
                </details>
            </Header>
            <main class="learn">
                <p class={classes!("status-line", status.map(|s| if s.ok { "ok" } else { "bad" }))}
                   role="status" aria-live="polite" data-testid="status">
                    if let Some(s) = status {
                        <span aria-hidden="true">{ if s.ok { "✔ " } else { "✖ " } }</span>{ s.text.clone() }
                    }
                </p>
                { crate::components::scenario::separation_notices(&state.notices.separations, &dispatch) }
                if !state.start_dismissed {
                    { start_strip(&seed_ran, &on_show_steps, &dispatch) }
                }
                <div class="work">
                    <div class="act">
                        <Terminal
                            terminal={Rc::clone(&state.terminal)}
                            user_name={view.user.as_ref().map(|u| u.name.clone())}
                            complete={(*complete).clone()}
                            {steps_entry}
                            on_show_steps={(*on_show_steps).clone()}
                            dispatch={dispatch.clone()} />
                        <Workbench
                            state={Rc::clone(&state.workbench)}
                            keys={Rc::clone(&view.keys)}
                            on_show_steps={(*on_show_steps).clone()}
                            dispatch={dispatch.clone()} />
                    </div>
                    <div class="shows">
                        // The step viewer's slot: it owns what is inside.
                        <div id={STEPS_SLOT} class="steps-slot" tabindex="-1">
                            <StepViewer
                                trace={state.trace.trace.clone()}
                                pos={state.trace.pos}
                                playing={state.trace.playing}
                                session={crate::components::step_viewer::SessionRef::new(&state.session, state.revision)}
                                dispatch={dispatch.clone()} />
                        </div>
                        <KeyTable
                            keys={Rc::clone(&view.keys)}
                            actor_view={view.actor_view.clone()}
                            state={Rc::clone(&state.keys)}
                            tenancy={view.tenancy}
                            selected={view.matrix_key}
                            dispatch={dispatch.clone()} />
                        <HandlesPanel notices={state.notices.notices.clone()} next_handle={view.next_handle} key_count={view.keys.len()} />
                    </div>
                </div>
                <div class="compare">
                    <WhoCanSee
                        shared={view.shared.clone()}
                        dedicated={view.dedicated.clone()}
                        label={view.matrix_label.clone()}
                        tenancy={view.tenancy}
                        view_as={state.keys.view_as}
                        dispatch={dispatch.clone()} />
                    <crate::components::scenario::LeakScenario next_handle={view.next_handle} dispatch={dispatch.clone()} />
                </div>
                <div class="import">
                    <crate::components::byok::ByokPanel
                        session={Rc::clone(&state.session)}
                        keys={Rc::clone(&view.keys)}
                        on_session_changed={(*on_session_changed).clone()} />
                </div>
                <div class="records">
                    <FilesPanel
                        files={Rc::clone(&view.files)}
                        actor_view={view.actor_view.clone()}
                        view_as={state.keys.view_as}
                        error={state.notices.file_error.clone()}
                        on_download={(*on_download_file).clone()}
                        dispatch={dispatch.clone()} />
                    <AuditPanel entries={Rc::clone(&view.audit)} />
                </div>
            </main>
            <Footer self_test={state.self_test.clone()} />
        </div>
    }
}
