//! Every byte explained: a blob as its ranges, each a button whose
//! explanation shows while it is hovered or focused (never on hover alone),
//! in the manner of "The Illustrated TLS Connection", and which is its
//! accessible description. The ranges come from the core
//! ([`keywrap_core::bytemap`]); this file only draws them over the bytes it
//! is given, which are never key data (a wrapped key, a file's header, the
//! recovered A). No state and no script: CSS shows the explanation.

use keywrap_core::bytemap::ByteRange;
use keywrap_core::encoding::encode_hex_upper;
use yew::prelude::*;

/// The most bytes of one range drawn in full; the rest are counted.
const SHOWN_BYTES: usize = 48;

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

/// A blob's byte map: `id` prefixes the element ids (two maps may share
/// the page), `caption` says what the blob is, `ranges` tile `bytes`.
pub fn byte_map(id: &str, caption: &str, bytes: &[u8], ranges: &[ByteRange]) -> Html {
    html! {
        <figure class="byte-map" data-testid={format!("{id}-map")}>
            <figcaption>{ caption.to_owned() }</figcaption>
            <div class="byte-ranges" role="group" aria-label={caption.to_owned()}>
                { for ranges.iter().enumerate().map(|(k, r)| {
                    let explain = format!("{id}-{k}");
                    html! {
                        <span class="byte-cell">
                            <button type="button"
                                class={classes!("byte-range", format!("kind-{}", r.kind.word()))}
                                aria-describedby={explain.clone()} data-range={r.name.clone()}>
                                <span class="range-name">{ r.name.clone() }</span>
                                <span class="range-hex mono">{ range_hex(bytes, r) }</span>
                            </button>
                            <span id={explain} class="range-explain" role="tooltip">
                                <strong>{ format!("{}, {}: ", r.name, bytes_words(r)) }</strong>
                                { r.meaning.clone() }
                            </span>
                        </span>
                    }
                }) }
            </div>
            <p class="hint legend">
                { "Hover over or focus a range (Tab) to see what its bytes are: " }
                <span class="swatch kind-header">{ "header" }</span>{ " " }
                <span class="swatch kind-integrity">{ "integrity (A)" }</span>{ " " }
                <span class="swatch kind-key-data">{ "wrapped key data" }</span>
            </p>
        </figure>
    }
}
