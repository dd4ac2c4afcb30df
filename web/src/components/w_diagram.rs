//! The W function as a picture: an inline SVG of one step of W or W⁻¹ (the
//! register A, R[i], the AES block, the XOR with t, and the arrows that move
//! the values), of KWP's single AES block, and of the checks at the end of
//! an unwrap (the IV, KWP's length indicator and padding).
//!
//! Every value drawn is a value the core's trace recorded; this file only
//! places them. No `style=` attribute (the page's policy forbids inline
//! styles): classes only, styled in `style.css`, where the motion stops
//! under `prefers-reduced-motion`. Each step's drawing is keyed by the step,
//! so its arrows animate again on every step.

use keywrap_core::encoding::encode_hex_upper;
use keywrap_core::hsm::IvCheckSummary;
use keywrap_core::wrap::trace::{ExpectedIv, Semiblock, Step};
use yew::prelude::*;

fn hex(bytes: &[u8]) -> String {
    encode_hex_upper(bytes)
}

/// The integer square root (arrow lengths; no floating point, which would
/// pull float formatting and libm into the download).
fn isqrt(v: i32) -> i32 {
    let mut r = 0;
    while (r + 1) * (r + 1) <= v {
        r += 1;
    }
    r
}

/// A line from (x1, y1) to (x2, y2) with an arrowhead at the end.
fn arrow(x1: i32, y1: i32, x2: i32, y2: i32) -> Html {
    let (dx, dy) = (x2 - x1, y2 - y1);
    let len = isqrt(dx * dx + dy * dy).max(1);
    // The head: 9 back along the line, 4.5 to each side (in tenths).
    let (bx, by) = (x2 * 10 - 90 * dx / len, y2 * 10 - 90 * dy / len);
    let (px, py) = (-45 * dy / len, 45 * dx / len);
    let tenths = |v: i32| format!("{}.{}", v.div_euclid(10), v.rem_euclid(10));
    let head = format!(
        "{x2},{y2} {},{} {},{}",
        tenths(bx + px),
        tenths(by + py),
        tenths(bx - px),
        tenths(by - py)
    );
    html! {
        <g class="wd-arrow">
            <line class="wd-flow" x1={x1.to_string()} y1={y1.to_string()}
                x2={tenths(bx)} y2={tenths(by)} />
            <polygon points={head} />
        </g>
    }
}

/// A register box: its name above the value.
fn register(x: u32, y: u32, w: u32, name: &str, value: Option<String>, testid: &str) -> Html {
    let known = value.is_some();
    html! {
        <g class={classes!("wd-reg", (!known).then_some("wd-unknown"))}>
            <rect x={x.to_string()} y={y.to_string()} width={w.to_string()} height="56" rx="6" />
            <text class="wd-name" x={(x + 10).to_string()} y={(y + 19).to_string()}>{ name.to_owned() }</text>
            <text class="wd-val" x={(x + 10).to_string()} y={(y + 43).to_string()} data-testid={testid.to_owned()}>
                { value.unwrap_or_else(|| "?".to_owned()) }</text>
        </g>
    }
}

fn xor(cx: i32, cy: i32, t: u64) -> Html {
    html! {
        <g class="wd-xor">
            <text class="wd-name wd-t" x={cx.to_string()} y={(cy - 28).to_string()} data-testid="wd-t">{ format!("t = {t}") }</text>
            { arrow(cx, cy - 26, cx, cy - 17) }
            <circle cx={cx.to_string()} cy={cy.to_string()} r="16" />
            <text class="wd-op" x={cx.to_string()} y={(cy + 6).to_string()}>{ "⊕" }</text>
        </g>
    }
}

fn aes_box(unwrap: bool, b: Option<&[u8; 16]>) -> Html {
    let (msb, lsb) = match b {
        Some(b) => (
            hex(b.get(..8).unwrap_or_default()),
            hex(b.get(8..).unwrap_or_default()),
        ),
        None => ("?".to_owned(), "?".to_owned()),
    };
    html! {
        <g class="wd-aes">
            <rect x="260" y="70" width="150" height="96" rx="8" />
            <text class="wd-op" x="335" y="112">{ if unwrap { "AES⁻¹" } else { "AES" } }</text>
            <text class="wd-name wd-mid" x="335" y="134">{ "under the KEK K" }</text>
            <text class="wd-name wd-mid" x="335" y="188">{ "B =" }</text>
            <text class="wd-val wd-mid wd-small" x="335" y="204" data-testid="wd-b-msb">{ msb }</text>
            <text class="wd-val wd-mid wd-small" x="335" y="218" data-testid="wd-b-lsb">{ lsb }</text>
        </g>
    }
}

/// The strip of registers R[1..n], with R[i] marked.
fn register_strip(n: usize, i: usize) -> Html {
    let count = u32::try_from(n.clamp(1, 320)).unwrap_or(320);
    let width = (640 / count).max(2);
    let labelled = count <= 16;
    html! {
        <g class="wd-strip" aria-hidden="true">
            <text class="wd-name" x="10" y="244">{ "R:" }</text>
            { for (1..=count).map(|k| {
                let x = 40 + width * (k - 1);
                let current = usize::try_from(k).is_ok_and(|k| k == i);
                html! {
                    <g class={classes!("wd-cell", current.then_some("wd-cur"))}>
                        <rect x={x.to_string()} y="230" width={(width - 2).to_string()} height="18" rx="3" />
                        if labelled || k == 1 || k == count {
                            <text class="wd-name wd-mid wd-small" x={(x + width / 2).to_string()} y="243">{ k.to_string() }</text>
                        }
                    </g>
                }
            }) }
        </g>
    }
}

/// One step of W (or W⁻¹, `unwrap`): `done` is the step just taken; with
/// `None`, `next` is drawn with its inputs only (before the first step).
pub fn step_diagram(
    done: Option<&Step>,
    next: Option<&Step>,
    unwrap: bool,
    n: usize,
    total: usize,
    pos: usize,
) -> Html {
    let Some(step) = done.or(next) else {
        return Html::default();
    };
    let shown = done.is_some();
    let i = step.i;
    let out = |v: &Semiblock| shown.then(|| hex(v));
    let fname = if unwrap { "W⁻¹" } else { "W" };
    let title = if shown {
        format!(
            "{fname}, step {pos} of {total}: t = {}, round j = {}, i = {i}",
            step.t, step.j
        )
    } else {
        format!("{fname}, before step 1 of {total}: the initial registers")
    };
    let desc = format!(
        "A = {}, R[{i}] = {}, t = {}; B = {}; then A = {}, R[{i}] = {}.",
        hex(&step.a_before),
        hex(&step.r_before),
        step.t,
        if shown { hex(&step.b) } else { "?".to_owned() },
        out(&step.a_after).unwrap_or_else(|| "?".to_owned()),
        out(&step.r_after).unwrap_or_else(|| "?".to_owned()),
    );
    let r_name = format!("R[{i}]");
    let flow = if unwrap {
        html! {
            <>
                { arrow(190, 48, 207, 48) }
                { xor(225, 48, step.t) }
                { arrow(241, 48, 262, 92) }
                { arrow(190, 178, 260, 144) }
                { aes_box(true, shown.then_some(&step.b)) }
                <text class="wd-name" x="420" y="58">{ "MSB64(B)" }</text>
                { arrow(410, 95, 530, 48) }
                <text class="wd-name" x="420" y="188">{ "LSB64(B)" }</text>
                { arrow(410, 141, 530, 178) }
            </>
        }
    } else {
        html! {
            <>
                { arrow(190, 48, 260, 92) }
                { arrow(190, 178, 260, 144) }
                { aes_box(false, shown.then_some(&step.b)) }
                <text class="wd-name" x="394" y="56">{ "MSB64(B)" }</text>
                { arrow(410, 92, 483, 56) }
                { xor(500, 48, step.t) }
                { arrow(516, 48, 530, 48) }
                <text class="wd-name" x="420" y="188">{ "LSB64(B)" }</text>
                { arrow(410, 141, 530, 178) }
            </>
        }
    };
    html! {
        <svg class={classes!("wd-svg", shown.then_some("wd-done"))} viewBox="0 0 720 252"
            role="img" aria-labelledby="wd-title wd-desc" data-testid="w-diagram">
            <title id="wd-title">{ title }</title>
            <desc id="wd-desc">{ desc }</desc>
            <g key={format!("{pos}-{}", step.t)} class="wd-step">
                { register(10, 20, 180, "A", Some(hex(&step.a_before)), "wd-a-before") }
                { register(10, 150, 180, &r_name, Some(hex(&step.r_before)), "wd-r-before") }
                { flow }
                <g class="wd-out">
                    { register(530, 20, 180, "A (new)", out(&step.a_after), "wd-a-after") }
                    { register(530, 150, 180, &format!("{r_name} (new)"), out(&step.r_after), "wd-r-after") }
                </g>
                { register_strip(n, i) }
            </g>
        </svg>
    }
}

/// KWP's single AES block (RFC 5649 §4.1 / §4.2); `output` is `None` before
/// the step is taken.
pub fn single_block_diagram(input: &[u8; 16], output: Option<&[u8; 16]>, unwrap: bool) -> Html {
    let (in_name, out_name, op) = if unwrap {
        ("C[0] ‖ C[1]", "A ‖ P[1]", "AES⁻¹")
    } else {
        ("AIV ‖ P[1]", "C[0] ‖ C[1]", "AES")
    };
    let block = |x: u32, name: &str, v: Option<&[u8; 16]>, id: &str| {
        let (top, bottom) = match v {
            Some(v) => (
                Some(hex(v.get(..8).unwrap_or_default())),
                hex(v.get(8..).unwrap_or_default()),
            ),
            None => (None, "?".to_owned()),
        };
        html! {
            <g class={classes!("wd-reg", v.is_none().then_some("wd-unknown"))}>
                <rect x={x.to_string()} y="50" width="200" height="84" rx="6" />
                <text class="wd-name" x={(x + 10).to_string()} y="70">{ name.to_owned() }</text>
                <text class="wd-val" x={(x + 10).to_string()} y="96" data-testid={format!("{id}-hi")}>{ top.unwrap_or_else(|| "?".to_owned()) }</text>
                <text class="wd-val" x={(x + 10).to_string()} y="120" data-testid={format!("{id}-lo")}>{ bottom }</text>
            </g>
        }
    };
    html! {
        <svg class={classes!("wd-svg", output.is_some().then_some("wd-done"))} viewBox="0 0 720 170"
            role="img" aria-labelledby="wd-title wd-desc" data-testid="w-diagram">
            <title id="wd-title">{ format!("KWP's single block: one {op} of {in_name}") }</title>
            <desc id="wd-desc">{ format!("{in_name} = {} goes through {op} under the KEK: {out_name} = {}.",
                hex(input), output.map_or_else(|| "not yet computed".to_owned(), |o| hex(o))) }</desc>
            <g key={u8::from(output.is_some())} class="wd-step">
                { block(10, in_name, Some(input), "wd-in") }
                { arrow(210, 92, 270, 92) }
                <g class="wd-aes">
                    <rect x="270" y="50" width="170" height="84" rx="8" />
                    <text class="wd-op" x="355" y="92">{ op }</text>
                    <text class="wd-name wd-mid" x="355" y="114">{ "one block, under K" }</text>
                </g>
                { arrow(440, 92, 510, 92) }
                <g class="wd-out">{ block(510, out_name, output, "wd-out") }</g>
                <text class="wd-name" x="10" y="160">{ "RFC 5649: with one semiblock of padded key data, W is a single AES block." }</text>
            </g>
        </svg>
    }
}

fn mark(passed: Option<bool>) -> (&'static str, &'static str) {
    match passed {
        Some(true) => ("✔", "wd-pass"),
        Some(false) => ("✖", "wd-fail"),
        None => ("—", "wd-skip"),
    }
}

fn check_row(y: u32, what: String, verdict: Option<bool>, testid: &str) -> Html {
    let (icon, class) = mark(verdict);
    let word = match verdict {
        Some(true) => "passed",
        Some(false) => "failed",
        None => "not checked",
    };
    html! {
        <g class={classes!("wd-check", class)} data-testid={testid.to_owned()}>
            <text class="wd-op wd-left" x="360" y={y.to_string()}>{ icon }</text>
            <text class="wd-name wd-left" x="384" y={y.to_string()}>{ format!("{what}: {word}") }</text>
        </g>
    }
}

/// The checks at the end of W⁻¹, from the core's summary (which holds no
/// key data): the recovered A against the expected IV, and for KWP the
/// constant, the length indicator's range and the padding.
pub fn check_diagram(check: &IvCheckSummary) -> Html {
    let a = &check.recovered;
    let title = if check.all_passed() {
        "The checks after W⁻¹: all passed"
    } else {
        "The checks after W⁻¹: one failed, no key data is released"
    };
    let rows = match (&check.expected, &check.kwp) {
        (ExpectedIv::KwpPrefix(p), Some(k)) => html! {
            <>
                <g class="wd-reg">
                    <rect x="10" y="24" width="150" height="56" rx="6" />
                    <text class="wd-name" x="20" y="43">{ "A, first half" }</text>
                    <text class="wd-val" x="20" y="67">{ hex(a.get(..4).unwrap_or_default()) }</text>
                    <rect x="170" y="24" width="150" height="56" rx="6" />
                    <text class="wd-name" x="180" y="43">{ "A, second half: MLI" }</text>
                    <text class="wd-val" x="180" y="67">{ format!("{} = {}", hex(a.get(4..).unwrap_or_default()), k.mli) }</text>
                </g>
                { arrow(160, 40, 350, 26) }
                { check_row(30, format!("= {}", hex(p)), Some(check.passed), "wd-check-iv") }
                { arrow(320, 60, 350, 60) }
                { check_row(64, format!("{} ≤ MLI ≤ {}", k.min, k.max), Some(k.mli_in_range), "wd-check-mli") }
                { check_row(98, "padding after the MLI is all zero".to_owned(), k.padding_zero, "wd-check-padding") }
            </>
        },
        (expected, _) => html! {
            <>
                <g class="wd-reg">
                    <rect x="10" y="24" width="180" height="56" rx="6" />
                    <text class="wd-name" x="20" y="43">{ "A after W⁻¹" }</text>
                    <text class="wd-val" x="20" y="67">{ hex(a) }</text>
                </g>
                { arrow(190, 52, 350, 40) }
                { check_row(44, format!("= {expected}"), Some(check.passed), "wd-check-iv") }
                if let Some(valid) = check.pkcs5_padding_valid {
                    { check_row(78, "PKCS#5 padding".to_owned(), Some(valid), "wd-check-padding") }
                }
            </>
        },
    };
    html! {
        <svg class="wd-svg wd-checks" viewBox="0 0 720 116" role="img"
            aria-labelledby="wd-check-title" data-testid="check-diagram">
            <title id="wd-check-title">{ title }</title>
            { rows }
        </svg>
    }
}
