// In-browser benchmark: the wasm core beside WebCrypto's AES-KW in one page,
// plus first render and transfer size of the release console. It reports
// figures (stdout and target/bench/browser.json); it never fails on a time.
// Run by scripts/bench.sh, which builds both pages first.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../support/server.mjs';
import { launch, DIST, waitForConsole } from '../support/browser.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BENCH_DIST = resolve(ROOT, 'target/bench/dist');
const OUT = resolve(ROOT, 'target/bench/browser.json');

const benchHost = await startServer({ root: BENCH_DIST, prefix: '/bench/' });
const consoleHost = await startServer({ root: DIST, prefix: '/console/' });
const browser = await launch();
const results = { chromium: browser.version(), date: new Date().toISOString() };

try {
  const page = await browser.newPage();
  await page.goto(benchHost.base);
  await page.waitForFunction(() => window.wasmBindings && window.wasmBindings.kw_wrap_loop, null, { timeout: 30_000 });

  results.kw = await page.evaluate(async () => {
    const b = window.wasmBindings;
    const kekBytes = crypto.getRandomValues(new Uint8Array(32));
    const keyBytes = crypto.getRandomValues(new Uint8Array(32));
    const kek = await crypto.subtle.importKey('raw', kekBytes, 'AES-KW', false, ['wrapKey', 'unwrapKey']);
    const key = await crypto.subtle.importKey('raw', keyBytes, { name: 'AES-GCM' }, true, ['encrypt']);
    const hex = (u8) => Array.from(u8, (x) => x.toString(16).padStart(2, '0')).join('');

    // Same bytes from both, or the comparison means nothing.
    const webWrapped = new Uint8Array(await crypto.subtle.wrapKey('raw', key, kek, 'AES-KW'));
    const wasmWrapped = b.kw_wrap_once(kekBytes, keyBytes);
    if (hex(webWrapped) !== hex(wasmWrapped)) throw new Error('wasm and WebCrypto AES-KW disagree');

    const perSecond = (n, ms) => (n * 1000) / ms;
    const time = async (f) => { const t = performance.now(); await f(); return performance.now() - t; };
    const N = 2000;
    const WASM_N = 20000;
    const unwrapOne = () => crypto.subtle.unwrapKey('raw', webWrapped, kek, 'AES-KW', { name: 'AES-GCM' }, true, ['encrypt']);

    // Warm both up before measuring.
    b.kw_wrap_loop(kekBytes, keyBytes, 1000);
    for (let i = 0; i < 100; i++) await crypto.subtle.wrapKey('raw', key, kek, 'AES-KW');

    const r = { iterations: { webcrypto: N, wasm: WASM_N } };
    r.wasm_wrap_per_s = perSecond(WASM_N, b.kw_wrap_loop(kekBytes, keyBytes, WASM_N));
    r.wasm_unwrap_per_s = perSecond(WASM_N, b.kw_unwrap_loop(kekBytes, wasmWrapped, WASM_N));
    r.wasm_wrap_called_from_js_per_s = perSecond(WASM_N, await time(() => {
      for (let i = 0; i < WASM_N; i++) b.kw_wrap_once(kekBytes, keyBytes);
    }));
    r.webcrypto_wrap_awaited_per_s = perSecond(N, await time(async () => {
      for (let i = 0; i < N; i++) await crypto.subtle.wrapKey('raw', key, kek, 'AES-KW');
    }));
    r.webcrypto_unwrap_awaited_per_s = perSecond(N, await time(async () => {
      for (let i = 0; i < N; i++) await unwrapOne();
    }));
    r.webcrypto_wrap_batch_per_s = perSecond(N, await time(() =>
      Promise.all(Array.from({ length: N }, () => crypto.subtle.wrapKey('raw', key, kek, 'AES-KW')))));
    r.webcrypto_unwrap_batch_per_s = perSecond(N, await time(() =>
      Promise.all(Array.from({ length: N }, unwrapOne))));
    return r;
  });

  results.kwp_1mib = await page.evaluate(() => {
    const kek = crypto.getRandomValues(new Uint8Array(32));
    const runs = 3;
    const [wrapMs, unwrapMs] = window.wasmBindings.kwp_round_trip(kek, 1 << 20, runs);
    return { runs, wrap_ms: wrapMs / runs, unwrap_ms: unwrapMs / runs, wrap_mib_per_s: 1000 / (wrapMs / runs) };
  });

  results.find_key = await page.evaluate(() => {
    const keys = 10000, lookups = 1000;
    const [fillMs, findMs] = window.wasmBindings.find_key_bench(keys, lookups);
    return { keys, lookups, fill_ms: fillMs, find_key_ms: findMs / lookups };
  });
  await page.close();

  // The release console: first render and what it costs to download.
  const consolePage = await browser.newPage();
  const started = Date.now();
  await consolePage.goto(consoleHost.base);
  await waitForConsole(consolePage);
  const seenAfterMs = Date.now() - started;
  results.console = await consolePage.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const paint = Object.fromEntries(performance.getEntriesByType('paint').map((p) => [p.name, p.startTime]));
    const resources = performance.getEntriesByType('resource');
    const transfer = resources.reduce((sum, r) => sum + r.transferSize, nav.transferSize);
    const decoded = resources.reduce((sum, r) => sum + r.decodedBodySize, nav.decodedBodySize);
    return {
      first_contentful_paint_ms: paint['first-contentful-paint'] ?? null,
      dom_content_loaded_ms: nav.domContentLoadedEventEnd,
      files: resources.length + 1,
      // This test server sends files as they are (no compression): the
      // transfer is the raw size; gzip_bytes below is what a compressing host sends.
      transfer_bytes: transfer,
      decoded_bytes: decoded,
    };
  });
  results.console.console_rendered_seen_after_ms = seenAfterMs;
  results.console.requests_served = consoleHost.requests.length;
  let gzipBytes = 0;
  for (const name of await readdir(DIST)) gzipBytes += gzipSync(await readFile(resolve(DIST, name)), { level: 9 }).length;
  results.console.gzip_bytes = gzipBytes;
  await consolePage.close();
} finally {
  await browser.close();
  await benchHost.close();
  await consoleHost.close();
}

await mkdir(dirname(OUT), { recursive: true });
await writeFile(OUT, JSON.stringify(results, null, 2) + '\n');

const f = (x, d = 0) => (x === null || x === undefined ? 'n/a' : x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
const k = results.kw;
const rows = [
  ['AES-KW wrap, 256-bit key, AES-256 KEK', ''],
  ['  wasm core, loop in wasm', `${f(k.wasm_wrap_per_s)} /s`],
  ['  wasm core, one call per key from JS', `${f(k.wasm_wrap_called_from_js_per_s)} /s`],
  ['  WebCrypto wrapKey, awaited one by one', `${f(k.webcrypto_wrap_awaited_per_s)} /s`],
  ['  WebCrypto wrapKey, Promise.all batch', `${f(k.webcrypto_wrap_batch_per_s)} /s`],
  ['  ratio wasm loop / WebCrypto awaited', `${f(k.wasm_wrap_per_s / k.webcrypto_wrap_awaited_per_s, 2)} x`],
  ['  ratio wasm loop / WebCrypto batch', `${f(k.wasm_wrap_per_s / k.webcrypto_wrap_batch_per_s, 2)} x`],
  ['AES-KW unwrap', ''],
  ['  wasm core, loop in wasm', `${f(k.wasm_unwrap_per_s)} /s`],
  ['  WebCrypto unwrapKey, awaited one by one', `${f(k.webcrypto_unwrap_awaited_per_s)} /s`],
  ['  WebCrypto unwrapKey, Promise.all batch', `${f(k.webcrypto_unwrap_batch_per_s)} /s`],
  ['  ratio wasm loop / WebCrypto awaited', `${f(k.wasm_unwrap_per_s / k.webcrypto_unwrap_awaited_per_s, 2)} x`],
  ['KWP 1 MiB in the wasm core (WebCrypto has no KWP)', `wrap ${f(results.kwp_1mib.wrap_ms, 1)} ms, unwrap ${f(results.kwp_1mib.unwrap_ms, 1)} ms`],
  [`findKey -l over ${f(results.find_key.keys)} keys`, `${f(results.find_key.find_key_ms, 3)} ms per lookup (filling took ${f(results.find_key.fill_ms)} ms)`],
  ['Console: navigation to first contentful paint', `${f(results.console.first_contentful_paint_ms, 1)} ms`],
  ['Console: rendered console seen by the driver after', `${f(results.console.console_rendered_seen_after_ms)} ms`],
  ['Console: transfer size (uncompressed server)', `${results.console.files} files, ${f(results.console.transfer_bytes)} bytes`],
  ['Console: the same files gzip -9 (compressing host)', `${f(results.console.gzip_bytes)} bytes`],
];
console.log(`\nKeywrap Console in-browser benchmark (${results.chromium})`);
for (const [name, value] of rows) console.log(`${name.padEnd(52)} ${value}`);
console.log(`\nwritten to ${OUT}`);
