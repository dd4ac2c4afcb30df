//! The IV and step viewer: for the last wrap or unwrap — from the workbench
//! or a typed command — the registers A and R[1..n] through every step of W
//! or W⁻¹ (t, A, R[i], B), from the core's trace, with play / step / reset;
//! then the IV check with both values, and for KWP the length indicator and
//! the padding check. When the core withholds the steps (the key may not be
//! revealed), it says why, and an unwrap still shows its IV check from the
//! core's summary, which holds no key data.
//!
//! Replaying the trace only copies recorded values; the core computed them.

use std::rc::Rc;

use keywrap_core::Mechanism;
use keywrap_core::encoding::encode_hex_upper;
use keywrap_core::hsm::{IvCheckSummary, KwpCheckSummary, WithheldSteps};
use keywrap_core::wrap::trace::{ExpectedIv, Padding, Registers, Rounds, Semiblock, Step};
use yew::prelude::*;

use super::banner::lock_icon;
use super::{Dispatch, pass_fail};
use crate::state::{Action, TraceBody, TraceMove, TraceRecord};

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
}

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
        <div class="steps-scroll">
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
    html! {
        <>
            { controls(props, total) }
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

fn kwp_aiv_text(a: &Semiblock) -> String {
    let mli = u32::from_be_bytes([a[4], a[5], a[6], a[7]]);
    format!(
        "{} ‖ {} (A65959A6, then the MLI: {mli} bytes)",
        hex(&a[..4]),
        hex(&a[4..])
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
            { iv_check_view(&check) }
            { for kwp }
            { for pkcs5 }
            { outcome }
            { rounds_view(props, &t.initial_registers, &t.rounds, &t.final_registers, true) }
        </>
    }
}

/// Steps the core withheld: why, and for an unwrap the IV check alone —
/// the recovered A and, for KWP, the length and padding verdicts, but no
/// register R and no padding byte (the core's summary holds none).
fn withheld_view(w: &WithheldSteps) -> Html {
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
            { for check }
        </>
    }
}

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
    let body = match props.trace.as_deref() {
        None => html! {
            <p class="muted">{ "Wrap or unwrap with the workbench, or type wrapKey, unWrapKey, aesWrapUnwrap, exSymKey or imSymKey: every step of the last operation appears here." }</p>
        },
        Some(record) => {
            let inner = match &record.body {
                TraceBody::Wrap(t) => wrap_view(props, t),
                TraceBody::Unwrap(t) => unwrap_view(props, t),
                TraceBody::Withheld(w) => withheld_view(w),
            };
            html! {
                <>
                    <p class="trace-title" data-testid="trace-title">{ record.title.clone() }</p>
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
            { body }
        </section>
    }
}
