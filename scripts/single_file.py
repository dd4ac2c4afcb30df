#!/usr/bin/env python3
"""Builds the offline single file: dist-single/keywrap-console.html.

Usage: python3 scripts/single_file.py [DIST [OUT_DIR]]   (defaults: dist dist-single)

Input is trunk's release output (`trunk build --release --public-url ./`):
its index.html, the wasm-bindgen JavaScript, the optimised wasm and the
stylesheet. Output is one HTML file that needs nothing else: the stylesheet in
a <style>, the JavaScript and the wasm (base64) in one <script type="module">,
and a Content-Security-Policy of default-src 'none' as the first element of
<head>, which allows exactly that style and that script by their SHA-256
(plus 'wasm-unsafe-eval' to compile the module, and data: images for the
empty favicon). There is no moment in which the page may fetch anything, so
the lock step of dist/ (web/src/csp.rs) has nothing left to forbid: it still
adds its policy, which changes nothing here (web/src/csp.rs:
`boot_is_sealed`), and the banner says the page started sealed.

The output depends only on the bytes of its inputs: no time, path or random
value goes in, so two builds of one commit give one file (scripts/test.sh
checks it with two clean clones) and a user can compare its SHA-256.
"""
import base64
import hashlib
import os
import re
import sys

OUT_NAME = "keywrap-console.html"


def fail(message: str) -> None:
    print(f"single_file: {message}", file=sys.stderr)
    sys.exit(1)


def read_text(path: str) -> str:
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def sha256_source(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def check_inline(kind: str, text: str) -> None:
    """Refuse text that would end or confuse the element it is inlined in."""
    lowered = text.lower()
    for bad in (f"</{kind}", "<!--", "<script"):
        if bad in lowered:
            fail(f"the {kind} text contains {bad!r}; it cannot be inlined as it is")


def main() -> int:
    dist = sys.argv[1] if len(sys.argv) > 1 else "dist"
    out_dir = sys.argv[2] if len(sys.argv) > 2 else "dist-single"
    index = read_text(os.path.join(dist, "index.html"))

    js_name = re.search(r"from\s+'\./([A-Za-z0-9_.-]+\.js)'", index)
    wasm_name = re.search(r"module_or_path:\s*'\./([A-Za-z0-9_.-]+\.wasm)'", index)
    css_name = re.search(r'<link rel="stylesheet" href="\./([A-Za-z0-9_.-]+\.css)"', index)
    if not (js_name and wasm_name and css_name):
        fail(f"{dist}/index.html is not trunk's release output (loader, wasm or stylesheet not found)")

    glue = read_text(os.path.join(dist, js_name.group(1)))
    with open(os.path.join(dist, wasm_name.group(1)), "rb") as f:
        wasm = f.read()
    css = read_text(os.path.join(dist, css_name.group(1)))
    if "async function __wbg_init(" not in glue:
        fail(f"{js_name.group(1)} has no __wbg_init: wasm-bindgen's output changed shape")

    # The glue is an ES module; it stays one, inline, with the loader after it.
    # Its default path (new URL(..., import.meta.url)) is never used: the
    # bytes are handed over directly, so nothing is fetched.
    glue = re.sub(r"\n//# sourceMappingURL=\S*\s*$", "\n", glue)
    wasm_b64 = base64.b64encode(wasm).decode("ascii")
    script = (
        glue.rstrip("\n")
        + "\n\n// Keywrap Console single-file loader: the wasm is inline, base64.\n"
        + f'const KEYWRAP_WASM = "{wasm_b64}";\n'
        + "await __wbg_init({ module_or_path: Uint8Array.from(atob(KEYWRAP_WASM), (c) => c.charCodeAt(0)) });\n"
    )
    check_inline("script", script)
    check_inline("style", css)

    policy = "; ".join(
        [
            "default-src 'none'",
            f"script-src 'wasm-unsafe-eval' {sha256_source(script)}",
            f"style-src {sha256_source(css)}",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    html = (
        "<!doctype html>\n"
        '<html lang="en">\n'
        "<head>\n"
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="color-scheme" content="light dark">\n'
        "<title>Keywrap Console</title>\n"
        '<link rel="icon" href="data:,">\n'
        f"<style>{css}</style>\n"
        "</head>\n"
        "<body>\n"
        "<noscript>Keywrap Console runs entirely in your browser as WebAssembly; please enable "
        "JavaScript. Nothing is sent anywhere.</noscript>\n"
        f'<script type="module">{script}</script>\n'
        "</body>\n"
        "</html>\n"
    )
    os.makedirs(out_dir, exist_ok=True)
    out = os.path.join(out_dir, OUT_NAME)
    data = html.encode("utf-8")
    with open(out, "wb") as f:
        f.write(data)
    print(f"single_file: {out}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
