//! The IV and step viewer: for the last wrap or unwrap — from the workbench
//! or a typed command — the registers A and R[1..n] through every step of W
//! or W⁻¹ (t, A, R[i], B), from the core's trace, with play / step / reset;
//! then the IV check with both values, and for KWP the length indicator and
//! the padding check. When the core withholds the steps (the key may not be
//! revealed), it says why, and an unwrap still shows its IV check from the
//! core's summary, which holds no key data.
//!
//! Replaying the trace only copies recorded values; the core computed them.

use std::cell::RefCell;
use std::rc::Rc;

use keywrap_core::encoding::encode_hex_upper;
use keywrap_core::hsm::{IvCheckSummary, KwpCheckSummary, WithheldSteps};
use keywrap_core::wrap::trace::{ExpectedIv, Padding, Registers, Rounds, Semiblock, Step};
use keywrap_core::{Mechanism, Session, bytemap};
use yew::prelude::*;

use super::banner::lock_icon;
use super::byte_map::byte_map;
use super::w_diagram::{check_diagram, single_block_diagram, step_diagram};
use super::{Dispatch, pass_fail};
use crate::state::{Action, KeyChoice, TraceBody, TraceMove, TraceRecord, WorkbenchField};

/// How long one step shows while playing, in milliseconds.
pub const PLAY_INTERVAL_MS: u32 = 700;

/// What the step viewer shows.
#[derive(Properties, PartialEq)]
pub struct StepViewerProps {
    /// The last trace.
    pub trace: Option<Rc<TraceRecord>>,
    /// Steps shown as done.
    pub pos: usize,
    /// Whether it is playing.
    pub playing: bool,
    /// The reducer.
    pub dispatch: Dispatch,
    /// The session, for the X-ray switch and the in-page files' byte map
    /// (read at render, as the root reads it).
    #[prop_or_default]
    pub session: Option<SessionRef>,
}

/// The session as a prop: equal while it is the same session at the same
/// revision (the reducer bumps it on every change).
#[derive(Clone)]
pub struct SessionRef {
    session: Rc<RefCell<Session>>,
    revision: u64,
}

impl SessionRef {
    /// The session at `revision`.
    pub fn new(session: &Rc<RefCell<Session>>, revision: u64) -> Self {
        Self {
            session: Rc::clone(session),
            revision,
        }
    }
}

impl PartialEq for SessionRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.session, &other.session) && self.revision == other.revision
    }
}

/// The RFC 3394 §4.1 example: 128 bits of key data under a 128-bit KEK.
pub const RFC3394_KEK: &str = "000102030405060708090A0B0C0D0E0F";
/// The key data of the RFC 3394 §4.1 example.
pub const RFC3394_KEY: &str = "00112233445566778899AABBCCDDEEFF";

fn hex(bytes: &[u8]) -> String {
    encode_hex_upper(bytes)
}

/// The registers after the first `pos` steps.
fn registers_at(
    initial: &Registers,
    rounds: &Rounds,
    last: &Registers,
    pos: usize,
) -> (Semiblock, Vec<Semiblock>) {
    match rounds {
        Rounds::SingleBlock { .. } => {
            if pos == 0 {
                (initial.a, initial.r.clone())
            } else {
                (last.a, last.r.clone())
            }
        }
        Rounds::W(steps) => {
            let mut a = initial.a;
            let mut r = initial.r.clone();
            for s in steps.iter().take(pos) {
                a = s.a_after;
                if let Some(slot) = s.i.checked_sub(1).and_then(|i| r.get_mut(i)) {
                    *slot = s.r_after;
                }
            }
            (a, r)
        }
    }
}

fn register_table(a: &Semiblock, r: &[Semiblock], touched: Option<usize>, a_label: &str) -> Html {
    html! {
        <table class="registers" aria-label="Registers">
            <tbody>
                <tr class={classes!(touched.is_some().then_some("touched"))}>
                    <th scope="row">{ a_label.to_owned() }</th><td class="mono">{ hex(a) }</td>
                </tr>
                { for r.iter().enumerate().map(|(i, v)| html! {
                    <tr class={classes!((touched == Some(i + 1)).then_some("touched"))}>
                        <th scope="row">{ format!("R[{}]", i + 1) }</th><td class="mono">{ hex(v) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

fn step_detail(step: &Step, unwrap: bool) -> Html {
    let (aes, a_line) = if unwrap {
        (
            format!("B = AES⁻¹(K, (A ⊕ t) | R[{}])", step.i),
            "A = MSB64(B)".to_owned(),
        )
    } else {
        (
            format!("B = AES(K, A | R[{}])", step.i),
            "A = MSB64(B) ⊕ t".to_owned(),
        )
    };
    html! {
        <dl class="step-detail" data-testid="step-detail">
            <dt>{ "t = n·j + i" }</dt><dd class="mono">{ format!("{} (j = {}, i = {})", step.t, step.j, step.i) }</dd>
            <dt>{ "A before" }</dt><dd class="mono">{ hex(&step.a_before) }</dd>
            <dt>{ format!("R[{}] before", step.i) }</dt><dd class="mono">{ hex(&step.r_before) }</dd>
            <dt>{ "AES input" }</dt><dd class="mono">{ hex(&step.aes_input) }</dd>
            <dt>{ aes }</dt><dd class="mono">{ hex(&step.b) }</dd>
            <dt>{ a_line }</dt><dd class="mono">{ hex(&step.a_after) }</dd>
            <dt>{ format!("R[{}] = LSB64(B)", step.i) }</dt><dd class="mono">{ hex(&step.r_after) }</dd>
        </dl>
    }
}

fn steps_table(steps: &[Step], pos: usize) -> Html {
    html! {
        <div class="steps-scroll" tabindex="0" role="region"
            aria-label={format!("All {} steps (scrolls; arrow keys scroll it)", steps.len())}>
            <table class="steps">
                <caption class="visually-hidden">{ "Every step" }</caption>
                <thead><tr>
                    <th scope="col">{ "t" }</th><th scope="col">{ "j" }</th><th scope="col">{ "i" }</th>
                    <th scope="col">{ "A before" }</th><th scope="col">{ "R[i] before" }</th>
                    <th scope="col">{ "B" }</th><th scope="col">{ "A after" }</th><th scope="col">{ "R[i] after" }</th>
                </tr></thead>
                <tbody>
                    { for steps.iter().enumerate().map(|(k, s)| html! {
                        <tr class={classes!((k + 1 == pos).then_some("current"), (k + 1 > pos).then_some("future"))}>
                            <td>{ s.t }</td><td>{ s.j }</td><td>{ s.i }</td>
                            <td class="mono">{ hex(&s.a_before) }</td><td class="mono">{ hex(&s.r_before) }</td>
                            <td class="mono">{ hex(&s.b) }</td>
                            <td class="mono">{ hex(&s.a_after) }</td><td class="mono">{ hex(&s.r_after) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

fn controls(props: &StepViewerProps, total: usize) -> Html {
    let d = &props.dispatch;
    let mv = |m: TraceMove| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Trace(m)))
    };
    let play = {
        let d = d.clone();
        let playing = props.playing;
        Callback::from(move |_: MouseEvent| d.dispatch(Action::TracePlay(!playing)))
    };
    html! {
        <div class="controls" role="group" aria-label="Step controls">
            <button type="button" onclick={play} aria-pressed={props.playing.to_string()}>
                { if props.playing { "⏸ Pause" } else { "▶ Play" } }</button>
            <button type="button" onclick={mv(TraceMove::Back)} disabled={props.pos == 0}>{ "◀ Back" }</button>
            <button type="button" onclick={mv(TraceMove::Next)} disabled={props.pos >= total}>{ "Step ▶" }</button>
            <button type="button" onclick={mv(TraceMove::Reset)}>{ "Reset" }</button>
            <button type="button" onclick={mv(TraceMove::End)} disabled={props.pos >= total}>{ "To the end" }</button>
            <span class="position" aria-live="polite" data-testid="step-position">
                { format!("Step {} of {}", props.pos.min(total), total) }</span>
        </div>
    }
}

fn rounds_view(
    props: &StepViewerProps,
    initial: &Registers,
    rounds: &Rounds,
    last: &Registers,
    unwrap: bool,
) -> Html {
    let total = match rounds {
        Rounds::W(s) => s.len(),
        Rounds::SingleBlock { .. } => 1,
    };
    let pos = props.pos.min(total);
    let (a, r) = registers_at(initial, rounds, last, pos);
    let (detail, touched) = match rounds {
        Rounds::W(steps) => match pos.checked_sub(1).and_then(|k| steps.get(k)) {
            Some(step) => (step_detail(step, unwrap), Some(step.i)),
            None => (
                html! { <p class="hint">{ "Before the first step: the initial registers." }</p> },
                None,
            ),
        },
        Rounds::SingleBlock { input, output } => {
            let what = if unwrap {
                "One semiblock of padded key data: RFC 5649 §4.2 replaces W⁻¹ by a single AES decryption of C[0] | C[1]."
            } else {
                "One semiblock of padded key data: RFC 5649 §4.1 replaces W by a single AES encryption of AIV | P[1]."
            };
            (
                html! {
                    <dl class="step-detail">
                        <dt>{ "Single block" }</dt><dd>{ what }</dd>
                        <dt>{ "AES input" }</dt><dd class="mono">{ hex(input) }</dd>
                        <dt>{ if unwrap { "AES⁻¹ output" } else { "AES output" } }</dt>
                        <dd class="mono">{ if pos > 0 { hex(output) } else { "—".to_owned() } }</dd>
                    </dl>
                },
                (pos > 0).then_some(1),
            )
        }
    };
    let picture = match rounds {
        Rounds::W(steps) => {
            let done = pos.checked_sub(1).and_then(|k| steps.get(k));
            step_diagram(done, steps.first(), unwrap, r.len(), total, pos)
        }
        Rounds::SingleBlock { input, output } => {
            single_block_diagram(input, (pos > 0).then_some(output), unwrap)
        }
    };
    let on_key = {
        let d = props.dispatch.clone();
        let playing = props.playing;
        Callback::from(move |e: KeyboardEvent| {
            let action = match e.key().as_str() {
                "ArrowRight" | "ArrowDown" => Action::Trace(TraceMove::Next),
                "ArrowLeft" | "ArrowUp" => Action::Trace(TraceMove::Back),
                "Home" => Action::Trace(TraceMove::Reset),
                "End" => Action::Trace(TraceMove::End),
                " " | "k" => Action::TracePlay(!playing),
                _ => return,
            };
            e.prevent_default();
            d.dispatch(action);
        })
    };
    let fname = if unwrap { "W⁻¹" } else { "W" };
    html! {
        <>
            { controls(props, total) }
            <div class="wd" tabindex="0" role="group" onkeydown={on_key} data-testid="w-diagram-box"
                aria-label={format!("The {fname} function as a picture, step {pos} of {total}. \
                    Right arrow: step; left arrow: back; Home: reset; End: to the end; Space: play or pause.")}>
                { picture }
                <p class="hint wd-keys" aria-hidden="true">{ "Focus the picture: → step, ← back, Home, End, Space play." }</p>
            </div>
            <div class="step-now">
                { register_table(&a, &r, touched, "A") }
                { detail }
            </div>
            if let Rounds::W(steps) = rounds {
                <details class="all-steps">
                    <summary>{ format!("All {} steps", steps.len()) }</summary>
                    { steps_table(steps, pos) }
                </details>
            }
        </>
    }
}

fn step_total(rounds: &Rounds) -> usize {
    match rounds {
        Rounds::W(s) => s.len(),
        Rounds::SingleBlock { .. } => 1,
    }
}

fn kwp_aiv_text(a: &Semiblock) -> String {
    let mli = u32::from_be_bytes([a[4], a[5], a[6], a[7]]);
    format!(
        "{} ‖ {} (A65959A6, then the MLI: {mli} bytes)",
        hex(&a[..4]),
        hex(&a[4..])
    )
}

/// The byte map of a wrapped key (ciphertext: no key data in the clear).
fn wrapped_map(
    id: &'static str,
    caption: &'static str,
    mechanism: Mechanism,
    bytes: &[u8],
) -> Html {
    match bytemap::of_wrapped(mechanism, bytes.len()) {
        Ok(ranges) => byte_map(id, caption, bytes, &ranges),
        Err(e) => html! { <p class="hint">{ format!("No byte map: {e}.") }</p> },
    }
}

/// The byte map of KWP's recovered alternative IV (the register A: no key data).
fn aiv_map(a: &Semiblock) -> Html {
    byte_map(
        "map-aiv",
        "The recovered A: AIV = A65959A6 ‖ MLI",
        a,
        &bytemap::of_kwp_aiv(a),
    )
}

fn wrap_view(props: &StepViewerProps, t: &keywrap_core::WrapTrace) -> Html {
    let padding = match t.padding {
        Padding::None => "none (KW takes whole semiblocks)".to_owned(),
        Padding::KwpZeros { mli, zeros } => {
            format!("{zeros} zero bytes after {mli} bytes of key data (RFC 5649 §4.1)")
        }
        Padding::Pkcs5 { pad_byte } => {
            format!("{pad_byte} bytes of value 0x{pad_byte:02X} (PKCS#5, CloudHSM's -m 4)")
        }
    };
    let iv_text = if t.mechanism == Mechanism::Kwp {
        kwp_aiv_text(&t.initial_value)
    } else if t.initial_value == *keywrap_core::Iv::DEFAULT.as_bytes() {
        format!(
            "{} (the default of RFC 3394 §2.2.3.1)",
            hex(&t.initial_value)
        )
    } else {
        format!("{} (a custom IV)", hex(&t.initial_value))
    };
    html! {
        <>
            <dl class="facts">
                <dt>{ "Mechanism" }</dt><dd>{ t.mechanism.display_name() }</dd>
                <dt>{ "KEK" }</dt><dd>{ format!("AES-{}", t.kek_bits) }</dd>
                <dt>{ "Key data" }</dt><dd>{ format!("{} bytes; padding: {padding}", t.plaintext_len) }</dd>
                <dt>{ "Semiblocks" }</dt><dd>{ format!("n = {}", t.n) }</dd>
                <dt>{ "Initial value (IV) in A" }</dt><dd class="mono" data-testid="trace-iv">{ iv_text }</dd>
            </dl>
            { rounds_view(props, &t.initial_registers, &t.rounds, &t.final_registers, false) }
            <p class="final"><strong>{ "Output C = A | R[1..n]: " }</strong>
                <span class="mono wrap-anywhere">{ hex(&t.output) }</span></p>
            { wrapped_map("map-output", "The wrapped key, byte by byte", t.mechanism, &t.output) }
        </>
    }
}

/// The IV check: passed or failed, with the recovered A and what was expected.
fn iv_check_view(check: &IvCheckSummary) -> Html {
    let expected = match check.expected {
        ExpectedIv::Exact(iv) => iv.to_string(),
        ExpectedIv::KwpPrefix(p) => format!("{} ‖ MLI", hex(&p)),
    };
    html! {
        <div class={classes!("iv-check", if check.passed { "passed" } else { "failed" })}
            data-testid="iv-check" role="status">
            <p>{ pass_fail(check.passed, "IV check passed", "IV check failed") }</p>
            <dl>
                <dt>{ "Recovered A" }</dt><dd class="mono" data-testid="iv-recovered">{ hex(&check.recovered) }</dd>
                <dt>{ "Expected" }</dt><dd class="mono" data-testid="iv-expected">{ expected }</dd>
            </dl>
            if !check.passed {
                <p class="hint">{ "The recovered A is not the IV the wrap started from: the KEK, the IV, the mechanism or the wrapped bytes are wrong. No key data is released." }</p>
            }
        </div>
    }
}

/// KWP's alternative IV and its checks; `padding` is the full trace's
/// padding line (with the bytes), or the summary's verdict.
fn kwp_view(
    recovered: &Semiblock,
    prefix_passed: bool,
    k: &KwpCheckSummary,
    padding: Html,
) -> Html {
    html! {
        <div class="kwp-check" data-testid="kwp-check">
            <p><strong>{ "Alternative IV (RFC 5649 §3): " }</strong>
                <span class="mono">{ kwp_aiv_text(recovered) }</span></p>
            <ul>
                <li>{ pass_fail(prefix_passed, "The first half is A65959A6", "The first half is not A65959A6") }</li>
                <li>{ pass_fail(k.mli_in_range,
                    &format!("MLI = {} is within {}..={}", k.mli, k.min, k.max),
                    &format!("MLI = {} is outside {}..={}", k.mli, k.min, k.max)) }</li>
                { padding }
            </ul>
        </div>
    }
}

fn unwrap_view(props: &StepViewerProps, t: &keywrap_core::UnwrapTrace) -> Html {
    let check = IvCheckSummary::from_trace(t);
    let kwp = t.kwp.as_ref().zip(check.kwp.as_ref()).map(|(k, summary)| {
        let padding = match k.padding_zero {
            Some(zero) => html! {
                <li>{ pass_fail(zero,
                    &format!("Padding {} is all zero", if k.padding.is_empty() { "(none)".to_owned() } else { hex(&k.padding) }),
                    &format!("Padding {} is not all zero", hex(&k.padding))) }</li>
            },
            None => html! { <li>{ "Padding not checked: the MLI is out of range." }</li> },
        };
        kwp_view(&check.recovered, check.passed, summary, padding)
    });
    let pkcs5 = t.pkcs5.map(|p| {
        html! {
            <p class="pkcs5-check">{ pass_fail(p.valid,
                &format!("PKCS#5 padding: {} bytes of 0x{:02X}", p.pad_byte, p.pad_byte),
                &format!("PKCS#5 padding invalid (last byte 0x{:02X})", p.pad_byte)) }</p>
        }
    });
    let outcome = match &t.outcome {
        Ok(key) => {
            html! { <p class="outcome">{ pass_fail(true, &format!("Unwrapped: {} bytes of key data", key.len()), "") }</p> }
        }
        Err(e) => {
            html! { <p class="outcome">{ pass_fail(false, "", "Refused:") }{ format!(" {e}") }</p> }
        }
    };
    html! {
        <>
            <dl class="facts">
                <dt>{ "Mechanism" }</dt><dd>{ t.mechanism.display_name() }</dd>
                <dt>{ "KEK" }</dt><dd>{ format!("AES-{}", t.kek_bits) }</dd>
                <dt>{ "Wrapped" }</dt><dd>{ format!("{} bytes: A = C[0], R[1..{}] = C[1..{}]", t.wrapped.len(), t.n, t.n) }</dd>
            </dl>
            { wrapped_map("map-input", "The wrapped key, byte by byte", t.mechanism, &t.wrapped) }
            { rounds_view(props, &t.initial_registers, &t.rounds, &t.final_registers, true) }
            <h3 class="checks-title">{ "The checks after the last step" }</h3>
            if props.pos >= step_total(&t.rounds) {
                { check_diagram(&check) }
                if t.mechanism == Mechanism::Kwp {
                    { aiv_map(&check.recovered) }
                }
            } else {
                <p class="hint" data-testid="checks-pending">{ "Step to the end to see A checked against the IV." }</p>
            }
            { iv_check_view(&check) }
            { for kwp }
            { for pkcs5 }
            { outcome }
        </>
    }
}

/// Steps the core withheld: why, and for an unwrap the IV check alone —
/// the recovered A and, for KWP, the length and padding verdicts, but no
/// register R and no padding byte (the core's summary holds none).
fn withheld_view(props: &StepViewerProps, xray: bool, w: &WithheldSteps) -> Html {
    let check = w.iv_check.as_ref().map(|check| {
        let kwp = check.kwp.as_ref().map(|k| {
            let padding = match k.padding_zero {
                Some(zero) => html! {
                    <li>{ pass_fail(zero, "Padding is all zero", "Padding is not all zero") }</li>
                },
                None if !check.passed => html! { <li>{ "Padding not checked: the first half of A is wrong." }</li> },
                None => html! { <li>{ "Padding not checked: the MLI is out of range." }</li> },
            };
            kwp_view(&check.recovered, check.passed, k, padding)
        });
        let pkcs5 = check.pkcs5_padding_valid.map(|valid| {
            html! {
                <p class="pkcs5-check">{ pass_fail(valid, "PKCS#5 padding valid", "PKCS#5 padding invalid") }</p>
            }
        });
        let outcome = match &check.error {
            None => html! {
                <p class="outcome">{ pass_fail(true, "Every check passed; the key data stays in the HSM.", "") }</p>
            },
            Some(e) => html! {
                <p class="outcome">{ pass_fail(false, "", "Refused:") }{ format!(" {e}") }</p>
            },
        };
        html! {
            <>
                <dl class="facts">
                    <dt>{ "Mechanism" }</dt><dd>{ check.mechanism.display_name() }</dd>
                    <dt>{ "KEK" }</dt><dd>{ format!("AES-{}", check.kek_bits) }</dd>
                    <dt>{ "Wrapped" }</dt><dd>{ format!("{} bytes", check.wrapped_len) }</dd>
                </dl>
                { check_diagram(check) }
                if check.mechanism == Mechanism::Kwp {
                    { aiv_map(&check.recovered) }
                }
                { iv_check_view(check) }
                { for kwp }
                { for pkcs5 }
                { outcome }
            </>
        }
    });
    let only_check = if w.iv_check.is_some() {
        " Only the IV check is shown: the recovered A holds no key data."
    } else {
        ""
    };
    html! {
        <>
            <p class="withheld" data-testid="trace-withheld">
                { lock_icon() }
                { format!("The core withheld the steps: {}.{only_check}", w.reason) }
            </p>
            { withheld_offers(props, xray, w) }
            { for check }
        </>
    }
}

/// Fills the workbench with a pasted KEK and key and wraps: a trace of
/// bytes the page holds, which the step viewer may always show.
fn load_and_wrap(d: &Dispatch, kek: String, key: String, mechanism: Mechanism) {
    for field in [
        WorkbenchField::Kek(KeyChoice::Pasted),
        WorkbenchField::PastedKek(zeroize::Zeroizing::new(kek)),
        WorkbenchField::Target(KeyChoice::Pasted),
        WorkbenchField::PastedKey(zeroize::Zeroizing::new(key)),
        WorkbenchField::Mechanism(mechanism),
    ] {
        d.dispatch(Action::Workbench(field));
    }
    d.dispatch(Action::ResetIv);
    d.dispatch(Action::Wrap);
}

/// The shape of a throwaway replay: the withheld operation's mechanism,
/// KEK length and key length where its IV check tells them (else AES-KW
/// with two 32-byte keys).
fn throwaway_shape(w: &WithheldSteps) -> (Mechanism, usize, usize) {
    match &w.iv_check {
        Some(c) => {
            let key_len = match (c.mechanism, &c.kwp) {
                (Mechanism::Kwp, Some(k)) if k.mli_in_range => usize::try_from(k.mli).unwrap_or(32),
                (Mechanism::Kw, _) => c.wrapped_len.saturating_sub(8),
                _ => 32,
            };
            (
                c.mechanism,
                usize::from(c.kek_bits / 8),
                key_len.clamp(1, 512),
            )
        }
        None => (Mechanism::Kw, 32, 32),
    }
}

/// A fresh throwaway KEK and key from the core's random source, as hex;
/// `None` if the browser gave no randomness.
fn throwaway_keys(kek_len: usize, key_len: usize) -> Option<(String, String)> {
    let kek = keywrap_core::random::generate_key(kek_len).ok()?;
    let key = keywrap_core::random::generate_key(key_len).ok()?;
    Some((hex(kek.expose_secret()), hex(key.expose_secret())))
}

/// What the notice of withheld steps offers: X-ray, a replay with a
/// throwaway key, the RFC 3394 vector.
fn withheld_offers(props: &StepViewerProps, xray: bool, w: &WithheldSteps) -> Html {
    let d = &props.dispatch;
    let xray_on = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::SetXray(true)))
    };
    let replay = {
        let d = d.clone();
        let (m, kek_len, key_len) = throwaway_shape(w);
        Callback::from(
            move |_: MouseEvent| match throwaway_keys(kek_len, key_len) {
                Some((kek, key)) => load_and_wrap(&d, kek, key, m),
                None => d.dispatch(Action::Status {
                    text: "The browser gave no randomness for a throwaway key.".to_owned(),
                    ok: false,
                }),
            },
        )
    };
    let vector = {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| {
            load_and_wrap(
                &d,
                RFC3394_KEK.to_owned(),
                RFC3394_KEY.to_owned(),
                Mechanism::Kw,
            );
        })
    };
    html! {
        <div class="withheld-offers" role="group" aria-label="Ways to watch the steps">
            if xray {
                <p class="hint" data-testid="xray-next">
                    { "X-ray is on, but these steps cannot be replayed here. Run the operation again (in the terminal ↑, then Enter; in the workbench Wrap or Unwrap) to watch it inside the HSM." }</p>
            } else if w.xray_would_show() {
                <button type="button" onclick={xray_on}>{ "Turn on X-ray: show what happens inside the HSM" }</button>
            }
            <button type="button" onclick={replay}>{ "Replay with a throwaway key" }</button>
            <button type="button" onclick={vector}>{ "Try the RFC 3394 vector" }</button>
            <p class="hint">{ "The replay and the vector run in the workbench with pasted keys, whose every step the page may show." }</p>
        </div>
    }
}

/// The X-ray switch: off by default; the core's step rule honours it.
fn xray_switch(props: &StepViewerProps, xray: bool) -> Html {
    let onchange = {
        let d = props.dispatch.clone();
        Callback::from(move |e: Event| {
            let on = e
                .target_dyn_into::<web_sys::HtmlInputElement>()
                .is_some_and(|i| i.checked());
            d.dispatch(Action::SetXray(on));
        })
    };
    html! {
        <div class={classes!("xray", xray.then_some("on"))}>
            <div class="xray-switch">
                <input type="checkbox" role="switch" id="xray-switch" checked={xray}
                    aria-describedby="xray-hint" {onchange} />
                <label for="xray-switch">{ "Show what happens inside the HSM" }</label>
                <span class="xray-state" aria-hidden="true">{ if xray { "X-ray on" } else { "off" } }</span>
            </div>
            <p id="xray-hint" class="hint">
                if xray {
                    { "X-ray is on: the step viewer shows the HSM's own view of its keys, sensitive ones too — \
                       values that no actor outside the HSM ever sees. Who can see the key (below) does not change." }
                } else {
                    { "Off: the steps of the HSM's sensitive or non-extractable keys are withheld, as from every actor outside the HSM." }
                }
            </p>
        </div>
    }
}

/// The in-page files' byte maps, newest first (at most [`FILES_MAPPED`]):
/// each header field, then the wrapped key's ranges. Only a file whose
/// header parses is drawn (a wrapped key is ciphertext; a file that is not
/// one is never shown).
fn file_maps(session: Option<&SessionRef>) -> Html {
    let Some(Ok(s)) = session.map(|s| s.session.try_borrow()) else {
        return Html::default();
    };
    let files = s.files();
    if files.is_empty() {
        return html! {
            <p class="hint">{ "Files appear here once a command writes one (wrapKey -out, or an upload)." }</p>
        };
    }
    html! {
        { for files.iter().rev().take(FILES_MAPPED).enumerate().map(|(k, f)| {
            let map = match s.read_file_bytes(&f.name).map(bytemap::of_key_file) {
                Some(Ok(ranges)) => byte_map(
                    &format!("map-file-{k}"),
                    &format!("\"{}\": header fields, then the wrapped key", f.name),
                    s.read_file_bytes(&f.name).unwrap_or_default(),
                    &ranges,
                ),
                Some(Err(e)) => html! { <p class="hint">{ format!("No byte map: {e}.") }</p> },
                None => Html::default(),
            };
            html! {
                <details class="file-map" open={k == 0}>
                    <summary>{ f.name.clone() }</summary>
                    { map }
                </details>
            }
        }) }
    }
}

/// How many of the newest files get a byte map.
const FILES_MAPPED: usize = 4;

/// The step viewer panel.
#[component]
pub fn StepViewer(props: &StepViewerProps) -> Html {
    {
        let dispatch = props.dispatch.clone();
        use_effect_with(props.playing, move |playing| {
            let interval = playing.then(|| {
                gloo::timers::callback::Interval::new(PLAY_INTERVAL_MS, move || {
                    dispatch.dispatch(Action::Trace(TraceMove::Next));
                })
            });
            move || drop(interval)
        });
    }
    let xray = props
        .session
        .as_ref()
        .and_then(|s| s.session.try_borrow().ok().map(|s| s.xray()))
        .unwrap_or(false);
    let body = match props.trace.as_deref() {
        None => html! {
            <p class="muted">{ "Wrap or unwrap with the workbench, or type wrapKey, unWrapKey, aesWrapUnwrap, exSymKey or imSymKey: every step of the last operation appears here." }</p>
        },
        Some(record) => {
            let shown = !matches!(record.body, TraceBody::Withheld(_));
            let inner = match &record.body {
                TraceBody::Wrap(t) => wrap_view(props, t),
                TraceBody::Unwrap(t) => unwrap_view(props, t),
                TraceBody::Withheld(w) => withheld_view(props, xray, w),
            };
            html! {
                <>
                    <p class="trace-title" data-testid="trace-title">{ record.title.clone() }</p>
                    if xray && shown {
                        <p class="xray-frame" data-testid="xray-frame">
                            <span aria-hidden="true">{ "◉ " }</span>
                            { "Inside the HSM (X-ray): for an HSM key these are the values only the HSM itself holds while it computes." }
                        </p>
                    }
                    { inner }
                </>
            }
        }
    };
    html! {
        <section class="panel steps-panel" aria-labelledby="steps-title">
            <h2 id="steps-title">{ "IV and steps" }</h2>
            <p class="hint">
                { "Key wrap runs 6n steps over n semiblocks: A starts as the IV; each step encrypts A | R[i] \
                   and puts the step counter t into A. Unwrapping runs them backwards and must find the IV in A again." }
            </p>
            { xray_switch(props, xray) }
            { body }
            <h3>{ "Every byte explained: the page's files" }</h3>
            { file_maps(props.session.as_ref()) }
        </section>
    }
}
