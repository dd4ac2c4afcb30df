#!/usr/bin/env python3
"""Trunk post_build hook: allow trunk's inline loader script by its hash.

index.html carries a Content-Security-Policy whose script-src names the
placeholder 'sha256-TRUNK-LOADER-HASH'. Trunk writes its loader as an inline
<script type="module">; this hook hashes the exact text of every inline script
in the staged index.html and puts those hashes in place of the placeholder, so
the policy never needs 'unsafe-inline'. It fails the build when the page has no
placeholder or no inline script, or when an inline script is one we did not
expect (trunk serve's live-reload script: run `trunk serve --no-autoreload`).
"""
import base64
import hashlib
import os
import re
import sys

PLACEHOLDER = "'sha256-TRUNK-LOADER-HASH'"


def main() -> int:
    staging = os.environ.get("TRUNK_STAGING_DIR")
    if not staging:
        print("csp_hash: TRUNK_STAGING_DIR is not set (run me as a trunk hook)", file=sys.stderr)
        return 1
    path = os.path.join(staging, "index.html")
    with open(path, encoding="utf-8") as f:
        html = f.read()
    if PLACEHOLDER not in html:
        print(f"csp_hash: {PLACEHOLDER} not found in {path}", file=sys.stderr)
        return 1
    # Inline scripts: <script ...> without a src attribute.
    inline = [
        body
        for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
        if not re.search(r"\bsrc\s*=", attrs)
    ]
    if not inline:
        print("csp_hash: no inline loader script found in the built page", file=sys.stderr)
        return 1
    for body in inline:
        if "TrunkApplicationStarted" not in body and "__wbg_init" not in body and "init(" not in body:
            print("csp_hash: unexpected inline script (live reload?): use --no-autoreload", file=sys.stderr)
            return 1
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
        for body in inline
    )
    html = html.replace(PLACEHOLDER, hashes)
    with open(path, "w", encoding="utf-8") as f:
        f.write(html)
    print(f"csp_hash: script-src allows {len(inline)} inline loader script(s) by hash")
    return 0


if __name__ == "__main__":
    sys.exit(main())
