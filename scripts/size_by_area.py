#!/usr/bin/env python3
"""What each area of the code costs the page, in gzip bytes.

Reads a wasm module that still has its name section (scripts/size_by_area.sh
makes one from the release build), sorts every function body into an area by
its name, and reports for each area the bytes gzip -9 of the whole module
loses when that area's bodies are replaced by `unreachable` (what the area
adds to the download, including what it shares with nothing else), its raw
bytes and its function count; then the data section alone. Names are only
read, never shipped: the module measured has its custom sections dropped.

Usage: size_by_area.py MODULE.wasm
"""
import collections
import gzip
import sys


def leb(b, i):
    result = shift = 0
    while True:
        x = b[i]
        i += 1
        result |= (x & 0x7F) << shift
        shift += 7
        if x < 0x80:
            return result, i


def enc(n):
    out = bytearray()
    while True:
        x = n & 0x7F
        n >>= 7
        if n:
            out.append(x | 0x80)
        else:
            out.append(x)
            return bytes(out)


def sections(b):
    i, out = 8, []
    while i < len(b):
        sid = b[i]
        size, i = leb(b, i + 1)
        out.append((sid, b[i : i + size]))
        i += size
    return out


def imported_functions(body):
    n, j = leb(body, 0)
    count = 0
    for _ in range(n):
        for _ in range(2):  # module and field names
            length, j = leb(body, j)
            j += length
        kind = body[j]
        j += 1
        if kind == 0:  # function: type index
            _, j = leb(body, j)
            count += 1
        elif kind in (1, 2):  # table (element type, limits) or memory (limits)
            if kind == 1:
                j += 1
            flags, j = leb(body, j)
            _, j = leb(body, j)
            if flags & 1:
                _, j = leb(body, j)
        elif kind == 3:  # global: value type, mutability
            j += 2
        elif kind == 4:  # tag
            j += 1
            _, j = leb(body, j)
        else:
            sys.exit(f"size_by_area: import kind {kind:#x} not understood (build without wasm-opt --all-features)")
    return count


def function_names(custom_sections):
    for body in custom_sections:
        length, j = leb(body, 0)
        if body[j : j + length] != b"name":
            continue
        j += length
        while j < len(body):
            sub = body[j]
            size, j = leb(body, j + 1)
            end = j + size
            if sub == 1:
                names, k = {}, j
                n, k = leb(body, k)
                for _ in range(n):
                    idx, k = leb(body, k)
                    length, k = leb(body, k)
                    names[idx] = body[k : k + length].decode("utf8", "replace")
                    k += length
                return names
            j = end
    sys.exit("size_by_area: the module has no function names (keep the name section: wasm-opt -g)")


RSA_DEPS = ("crypto_bigint", "crypto_primes", "rsa", "der", "pkcs8", "pkcs1", "spki", "const_oid", "sha1", "sha2", "digest")
CORE_RSA = ("byok", "hsm::ops_rsa", "store::rsa", "kmu::commands::rsa", "cloudhsm_cli::rsa")


def area(name):
    n = name.lstrip("<").replace("&", "").replace("mut ", "").replace("dyn ", "")
    if "CompStateInner" in n and "::view" in n:
        return "web: component views (html!)"
    if n.startswith("keywrap_web"):
        return "web: state, reducer, browser glue"
    if n.startswith("keywrap_core::"):
        rest = n[len("keywrap_core::") :]
        if rest.startswith(CORE_RSA):
            return "core: RSA key pairs and import packages"
        if rest.startswith(("kmu", "cloudhsm_cli")):
            return "core: command dialects"
        if rest.startswith(("hsm", "store", "access")):
            return "core: virtual HSM, store, who-can-see"
        return "core: wrap engine, traces, encodings"
    if n.startswith(("keywrap_rounds", "aes", "cmac", "cipher", "crypto_common")):
        return "core: wrap engine, traces, encodings"
    if n.startswith(tuple(p + "::" for p in RSA_DEPS)):
        return "RSA crates (crypto-bigint, crypto-primes, der, pkcs8, sha)"
    if n.startswith(("yew", "gloo", "implicit_clone", "slab", "indexmap", "hashbrown")):
        return "Yew runtime (with gloo, hashbrown, indexmap)"
    if n.startswith(("js_sys", "web_sys", "wasm_bindgen", "serde", "console_error_panic_hook", "getrandom")):
        return "wasm-bindgen, js-sys, web-sys, serde_json"
    return "Rust std (fmt, alloc, collections, panics) and the rest"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    b = open(sys.argv[1], "rb").read()
    secs = sections(b)
    imports = next((imported_functions(body) for sid, body in secs if sid == 2), 0)
    names = function_names([body for sid, body in secs if sid == 0])
    code = next(body for sid, body in secs if sid == 10)
    n, j = leb(code, 0)
    bodies = []
    for _ in range(n):
        size, j = leb(code, j)
        bodies.append(code[j : j + size])
        j += size
    areas = collections.defaultdict(set)
    for k in range(len(bodies)):
        areas[area(names.get(k + imports, ""))].add(k)

    def module(blank=frozenset()):
        code_out = bytearray(enc(len(bodies)))
        for k, body in enumerate(bodies):
            body = b"\x00\x00\x0b" if k in blank else body  # no locals; unreachable; end
            code_out += enc(len(body)) + body
        out = bytearray(b[:8])
        for sid, body in secs:
            if sid == 0:
                continue
            out += bytes([sid]) + enc(len(code_out if sid == 10 else body)) + (code_out if sid == 10 else body)
        return bytes(out)

    def gz(x):
        return len(gzip.compress(x, 9))

    whole = module()
    total = gz(whole)
    print(f"module without custom sections: {len(whole)} bytes raw, {total} bytes gzip")
    print(f"{'gzip':>8} {'raw':>8} {'fns':>6}  area")
    for gzip_bytes, raw, count, name in sorted(
        ((total - gz(module(frozenset(ks))), sum(len(bodies[k]) for k in ks), len(ks), a) for a, ks in areas.items()),
        reverse=True,
    ):
        print(f"{gzip_bytes:8d} {raw:8d} {count:6d}  {name}")
    data = next((body for sid, body in secs if sid == 11), b"")
    print(f"{gz(data):8d} {len(data):8d} {'':6}  data section alone (strings, tables, panic locations)")


if __name__ == "__main__":
    main()
