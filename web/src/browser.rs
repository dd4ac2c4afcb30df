//! The browser effects the panels call from their callbacks: downloads,
//! the clipboard, reading an uploaded file. None of them touches the
//! network: a download is a `Blob` in this tab saved through a temporary
//! `<a download>`, the clipboard is local, and files are read with
//! `FileReader`.

use wasm_bindgen::JsCast;
use yew::Callback;

/// Saves `bytes` as a file named `name` through the browser's download.
pub fn download(name: &str, bytes: &[u8]) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let body = document.body().ok_or("no <body>")?;
    let parts = js_sys::Array::new();
    parts.push(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/octet-stream");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|_| "the browser could not make a Blob")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser could not make an object URL")?;
    let anchor = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or("cannot create a link")?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.set_class_name("visually-hidden");
    let appended = body.append_child(&anchor).is_ok();
    anchor.click();
    if appended {
        anchor.remove();
    }
    // Revoke once the browser has taken the bytes.
    gloo::timers::callback::Timeout::new(2_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}

/// Writes `text` to the clipboard; `done` hears whether it worked.
pub fn copy_text(text: String, done: Callback<Result<(), String>>) {
    let Some(window) = web_sys::window() else {
        done.emit(Err("no window".to_owned()));
        return;
    };
    // Browsers offer the clipboard only to secure pages (https, localhost).
    let clipboard = js_sys::Reflect::get(&window.navigator(), &"clipboard".into())
        .ok()
        .filter(|c| !c.is_undefined() && !c.is_null());
    let Some(clipboard) = clipboard else {
        done.emit(Err(
            "this browser offers the clipboard only to pages served over https".to_owned(),
        ));
        return;
    };
    let promise = clipboard
        .unchecked_into::<web_sys::Clipboard>()
        .write_text(&text);
    wasm_bindgen_futures::spawn_local(async move {
        let result = wasm_bindgen_futures::JsFuture::from(promise)
            .await
            .map(|_| ())
            .map_err(|_| "the browser refused clipboard access".to_owned());
        done.emit(result);
    });
}

/// The first file chosen in an `<input type="file">`, with its name.
pub fn chosen_file(input: &web_sys::HtmlInputElement) -> Option<web_sys::File> {
    input.files().and_then(|list| list.get(0))
}

/// Reads a chosen file's bytes; `done` hears the name and the bytes, or why
/// not. Files larger than `max` bytes are refused before reading. The
/// returned reader must be kept alive until `done` runs.
pub fn read_file(
    file: web_sys::File,
    max: usize,
    done: Callback<Result<(String, Vec<u8>), String>>,
) -> Option<gloo::file::callbacks::FileReader> {
    let file = gloo::file::File::from(file);
    let name = file.name();
    let size = usize::try_from(file.size()).unwrap_or(usize::MAX);
    if size > max {
        done.emit(Err(format!(
            "\"{}\" is {size} bytes; the page reads files of at most {max} bytes",
            name.chars().take(64).collect::<String>()
        )));
        return None;
    }
    Some(gloo::file::callbacks::read_as_bytes(
        &file,
        move |result| match result {
            Ok(bytes) => done.emit(Ok((name, bytes))),
            Err(e) => done.emit(Err(format!("the browser could not read the file: {e}"))),
        },
    ))
}
