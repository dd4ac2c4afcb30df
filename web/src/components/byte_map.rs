//! Every byte explained: a blob as its ranges, each a button that says what
//! its bytes are when it is hovered, focused or pressed (never on hover
//! alone), in the manner of "The Illustrated TLS Connection". The ranges
//! come from the core ([`keywrap_core::bytemap`]); this file only draws
//! them over the bytes it is given, which are never key data (a wrapped
//! key, a file's header, the recovered A).

use std::rc::Rc;

use keywrap_core::bytemap::ByteRange;
use keywrap_core::encoding::encode_hex_upper;
use yew::prelude::*;

/// The most bytes of one range drawn in full; the rest are counted.
const SHOWN_BYTES: usize = 48;

/// A byte map's input.
#[derive(Properties, PartialEq)]
pub struct ByteMapProps {
    /// A unique id prefix (two maps may share the page).
    pub id: AttrValue,
    /// What the blob is, as the map's caption.
    pub caption: AttrValue,
    /// The blob.
    pub bytes: Rc<[u8]>,
    /// Its ranges, from the core; they tile `bytes`.
    pub ranges: Rc<Vec<ByteRange>>,
}

fn range_hex(bytes: &[u8], r: &ByteRange) -> String {
    let Some(slice) = bytes.get(r.range.clone()) else {
        return String::new();
    };
    let shown = slice
        .get(..SHOWN_BYTES.min(slice.len()))
        .unwrap_or_default();
    let mut text = encode_hex_upper(shown);
    if slice.len() > shown.len() {
        text.push_str(&format!(" … +{} bytes", slice.len() - shown.len()));
    }
    text
}

fn bytes_words(r: &ByteRange) -> String {
    let len = r.range.len();
    if len == 1 {
        format!("byte {}", r.range.start)
    } else {
        format!(
            "bytes {}–{} ({len})",
            r.range.start,
            r.range.end.saturating_sub(1)
        )
    }
}

/// A blob's byte map.
#[component]
pub fn ByteMap(props: &ByteMapProps) -> Html {
    let selected = use_state(|| None::<usize>);
    let explain_id = format!("{}-explain", props.id);
    let chosen = selected.and_then(|k| props.ranges.get(k).map(|r| (k, r)));
    let explanation = match chosen {
        Some((_, r)) => html! {
            <>
                <strong>{ format!("{}, {}: ", r.name, bytes_words(r)) }</strong>
                { r.meaning.clone() }
            </>
        },
        None => html! { { "Hover over, focus or press a range to see what its bytes are." } },
    };
    html! {
        <figure class="byte-map" data-testid={format!("{}-map", props.id)}>
            <figcaption>{ props.caption.clone() }</figcaption>
            <div class="byte-ranges" role="group" aria-label={props.caption.clone()}>
                { for props.ranges.iter().enumerate().map(|(k, r)| {
                    let show = {
                        let selected = selected.clone();
                        move || selected.set(Some(k))
                    };
                    let on_focus = { let show = show.clone(); Callback::from(move |_: FocusEvent| show()) };
                    let on_enter = { let show = show.clone(); Callback::from(move |_: MouseEvent| show()) };
                    let on_click = Callback::from(move |_: MouseEvent| show());
                    let current = chosen.is_some_and(|(c, _)| c == k);
                    html! {
                        <button type="button"
                            class={classes!("byte-range", format!("kind-{}", r.kind.word()), current.then_some("current"))}
                            aria-describedby={explain_id.clone()}
                            aria-pressed={current.to_string()}
                            data-range={r.name.clone()}
                            onfocus={on_focus} onmouseenter={on_enter} onclick={on_click}>
                            <span class="range-name">{ r.name.clone() }</span>
                            <span class="range-hex mono">{ range_hex(&props.bytes, r) }</span>
                        </button>
                    }
                }) }
            </div>
            <p id={explain_id} class="byte-explain" aria-live="polite" data-testid={format!("{}-explain", props.id)}>
                { explanation }
            </p>
            <p class="legend" aria-hidden="true">
                <span class="swatch kind-header">{ "header" }</span>
                <span class="swatch kind-integrity">{ "integrity (A)" }</span>
                <span class="swatch kind-key-data">{ "wrapped key data" }</span>
            </p>
        </figure>
    }
}
