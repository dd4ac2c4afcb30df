// In-browser benchmark: the wasm core beside WebCrypto's AES-KW in one page,
// the page's two AES implementations, plus first render, transfer size and a
// keystroke with 1,000 keys in the HSM of the release console. It reports
// figures (stdout and target/bench/browser.json); it never fails on a time.
// Run by scripts/bench.sh, which builds both pages first.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import zlib, { brotliCompressSync, gzipSync } from 'node:zlib';
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
const loadAverage = async () => (await readFile('/proc/loadavg', 'utf8').catch(() => '')).split(' ').slice(0, 3).join(' ');
const results = { chromium: browser.version(), date: new Date().toISOString(), load_average_start: await loadAverage() };

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

    // 10,000 keys at once: the wasm batch (wrap_many, keys interleaved
    // through the cipher's parallel blocks) beside WebCrypto's best, every
    // wrapKey started before the first is awaited (Promise.all). Best of 3.
    const BATCH = 10000;
    const best = (xs) => Math.min(...xs);
    const batchRuns = [], oneByOneRuns = [], webBatchRuns = [], unwrapBatchRuns = [], unwrapOneRuns = [], webUnwrapRuns = [];
    for (let run = 0; run < 3; run++) {
      const [batchMs, singleMs] = b.kw_wrap_many_bench(kekBytes, 32, BATCH);
      batchRuns.push(batchMs); oneByOneRuns.push(singleMs);
      webBatchRuns.push(await time(() =>
        Promise.all(Array.from({ length: BATCH }, () => crypto.subtle.wrapKey('raw', key, kek, 'AES-KW')))));
      const [uBatchMs, uSingleMs] = b.kw_unwrap_many_bench(kekBytes, wasmWrapped, BATCH);
      unwrapBatchRuns.push(uBatchMs); unwrapOneRuns.push(uSingleMs);
      webUnwrapRuns.push(await time(() => Promise.all(Array.from({ length: BATCH }, unwrapOne))));
    }
    r.batch = {
      keys: BATCH,
      runs: 3,
      wasm_wrap_many_ms: best(batchRuns),
      wasm_wrap_one_by_one_ms: best(oneByOneRuns),
      webcrypto_wrap_promise_all_ms: best(webBatchRuns),
      wasm_unwrap_many_ms: best(unwrapBatchRuns),
      wasm_unwrap_one_by_one_ms: best(unwrapOneRuns),
      webcrypto_unwrap_promise_all_ms: best(webUnwrapRuns),
    };
    return r;
  });

  results.kwp_1mib = await page.evaluate(() => {
    const kek = crypto.getRandomValues(new Uint8Array(32));
    const runs = 3;
    const [wrapMs, unwrapMs] = window.wasmBindings.kwp_round_trip(kek, 1 << 20, runs);
    return { runs, wrap_ms: wrapMs / runs, unwrap_ms: unwrapMs / runs, wrap_mib_per_s: 1000 / (wrapMs / runs) };
  });

  results.aes_block = await page.evaluate(() => {
    const iterations = 200000;
    window.wasmBindings.aes_block_bench(20000); // warm up
    const [singleNs, foursNs, vpermNs, vpermDecNs] = window.wasmBindings.aes_block_bench(iterations);
    return {
      iterations,
      ns_per_block_one_at_a_time: singleNs,
      ns_per_block_four_per_call: foursNs,
      vperm_ns_per_block_encrypt: vpermNs,
      vperm_ns_per_block_decrypt: vpermDecNs,
    };
  });

  // The many-key rounds: the fixslice's four keys per pass (what wrap_many
  // uses) beside the vector-permute AES one key after the other. Best of 3.
  results.rounds_many = await page.evaluate(() => {
    const keys = 10000;
    const runs = [0, 1, 2].map(() => window.wasmBindings.rounds_many_bench(keys));
    return {
      keys,
      fixslice_w_many_ms: Math.min(...runs.map((r) => r[0])),
      vperm_one_by_one_ms: Math.min(...runs.map((r) => r[1])),
    };
  });

  // The same megabyte in slices, as a page that shows progress would run it
  // (one slice per animation frame): what one slice costs decides the slice
  // size that keeps a frame under 100 ms.
  results.kwp_1mib_sliced = await page.evaluate(() => {
    const kek = crypto.getRandomValues(new Uint8Array(32));
    const sliceSteps = 65536;
    const [totalMs, slices, longestMs] = window.wasmBindings.kwp_sliced_bench(kek, 1 << 20, sliceSteps);
    return { slice_steps: sliceSteps, slices, total_ms: totalMs, longest_slice_ms: longestMs };
  });

  results.find_key = await page.evaluate(() => {
    const keys = 10000, lookups = 1000;
    const [fillMs, findMs] = window.wasmBindings.find_key_bench(keys, lookups);
    return { keys, lookups, fill_ms: fillMs, find_key_ms: findMs / lookups };
  });
  await page.close();

  // The release console: first render and what it costs to download.
  const consolePage = await browser.newPage();
  // Time to an interactive console: the first animation frame in which the
  // terminal's Command field is in the page (Yew attaches its handlers in
  // the same render). Recorded by the page itself, relative to navigation.
  await consolePage.addInitScript(() => {
    const poll = () => {
      if (document.querySelector('.terminal input')) window.__keywrapInteractiveMs = performance.now();
      else requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  });
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
      interactive_console_ms: window.__keywrapInteractiveMs ?? null,
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
  let gzipBytes = 0, brotliBytes = 0;
  for (const name of await readdir(DIST)) {
    const bytes = await readFile(resolve(DIST, name));
    gzipBytes += gzipSync(bytes, { level: 9 }).length;
    brotliBytes += brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  results.console.gzip_bytes = gzipBytes;
  results.console.brotli_bytes = brotliBytes;

  // One keystroke in the Command field with 1,000 keys in the HSM (issue 11's
  // figure): 1,000 genSymKey lines pasted, then 30 input events, each timed
  // until Yew has rendered (a macrotask after the event), and Tab completion.
  const keystrokeKeys = 1000;
  await consolePage.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    const input = document.getElementById('command-input');
    input.focus();
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, Array.from({ length: keystrokeKeys }, (_, i) => `genSymKey -t 31 -s 16 -l k${i}`).join('\n'));
  await consolePage.waitForFunction((n) => document.querySelectorAll('table.key-table tbody tr').length === n, keystrokeKeys, { timeout: 180_000 });
  results.keystroke = await consolePage.evaluate(async () => {
    const input = document.getElementById('command-input');
    const macrotask = () => new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(0);
    });
    const times = [];
    for (let i = 0; i < 30; i += 1) {
      const t0 = performance.now();
      input.value = `findKey -l k${i}`;
      input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: 'x' }));
      await macrotask();
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    input.value = 'genS';
    input.dispatchEvent(new InputEvent('input', { bubbles: true }));
    await macrotask();
    const t0 = performance.now();
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, cancelable: true }));
    await macrotask();
    const tab = performance.now() - t0;
    if (input.value !== 'genSymKey ') throw new Error(`Tab completion did not render in time: ${input.value}`);
    return { events: 30, median_ms: times[15], max_ms: times[29], tab_completion_ms: tab };
  });
  results.keystroke.keys = keystrokeKeys;
  await consolePage.close();
} finally {
  await browser.close();
  await benchHost.close();
  await consoleHost.close();
}

results.load_average = await loadAverage();

await mkdir(dirname(OUT), { recursive: true });
await writeFile(OUT, JSON.stringify(results, null, 2) + '\n');

const f = (x, d = 0) => (x === null || x === undefined ? 'n/a' : x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));
const k = results.kw;
const bt = k.batch;
const ratio = (a, b) => `${f(a / b, 2)} x`;
const rows = [
  [`AES-KW wrap of ${f(bt.keys)} 256-bit keys, AES-256 KEK (best of ${bt.runs})`, ''],
  ['  wasm core, wrap_many (keys interleaved)', `${f(bt.wasm_wrap_many_ms, 1)} ms, ${f(bt.keys * 1000 / bt.wasm_wrap_many_ms)} /s`],
  ['  wasm core, wrap one by one', `${f(bt.wasm_wrap_one_by_one_ms, 1)} ms, ${f(bt.keys * 1000 / bt.wasm_wrap_one_by_one_ms)} /s`],
  ['  WebCrypto wrapKey, Promise.all', `${f(bt.webcrypto_wrap_promise_all_ms, 1)} ms, ${f(bt.keys * 1000 / bt.webcrypto_wrap_promise_all_ms)} /s`],
  ['  ratio wasm batch / WebCrypto batch (target >= 1.5)', ratio(bt.webcrypto_wrap_promise_all_ms, bt.wasm_wrap_many_ms)],
  ['  ratio wasm batch / wasm one by one', ratio(bt.wasm_wrap_one_by_one_ms, bt.wasm_wrap_many_ms)],
  [`AES-KW unwrap of ${f(bt.keys)} keys`, ''],
  ['  wasm core, unwrap_many', `${f(bt.wasm_unwrap_many_ms, 1)} ms`],
  ['  wasm core, unwrap one by one', `${f(bt.wasm_unwrap_one_by_one_ms, 1)} ms`],
  ['  WebCrypto unwrapKey, Promise.all', `${f(bt.webcrypto_unwrap_promise_all_ms, 1)} ms`],
  ['  ratio wasm batch / WebCrypto batch', ratio(bt.webcrypto_unwrap_promise_all_ms, bt.wasm_unwrap_many_ms)],
  ['AES-KW wrap, 256-bit key, AES-256 KEK', ''],
  ['  wasm core, loop in wasm', `${f(k.wasm_wrap_per_s)} /s`],
  ['  wasm core, one call per key from JS', `${f(k.wasm_wrap_called_from_js_per_s)} /s`],
  ['  WebCrypto wrapKey, awaited one by one', `${f(k.webcrypto_wrap_awaited_per_s)} /s`],
  ['  WebCrypto wrapKey, Promise.all batch', `${f(k.webcrypto_wrap_batch_per_s)} /s`],
  ['  ratio wasm loop / WebCrypto awaited (target >= 0.4)', `${f(k.wasm_wrap_per_s / k.webcrypto_wrap_awaited_per_s, 2)} x`],
  ['  ratio wasm loop / WebCrypto batch', `${f(k.wasm_wrap_per_s / k.webcrypto_wrap_batch_per_s, 2)} x`],
  ['AES-KW unwrap', ''],
  ['  wasm core, loop in wasm', `${f(k.wasm_unwrap_per_s)} /s`],
  ['  WebCrypto unwrapKey, awaited one by one', `${f(k.webcrypto_unwrap_awaited_per_s)} /s`],
  ['  WebCrypto unwrapKey, Promise.all batch', `${f(k.webcrypto_unwrap_batch_per_s)} /s`],
  ['  ratio wasm loop / WebCrypto awaited', `${f(k.wasm_unwrap_per_s / k.webcrypto_unwrap_awaited_per_s, 2)} x`],
  ['KWP 1 MiB in the wasm core (WebCrypto has no KWP; target <= 200 ms)', `wrap ${f(results.kwp_1mib.wrap_ms, 1)} ms, unwrap ${f(results.kwp_1mib.unwrap_ms, 1)} ms`],
  ['AES-256 block in the page, vector-permute SIMD128 (W of one key)', `${f(results.aes_block.vperm_ns_per_block_encrypt)} ns encrypt, ${f(results.aes_block.vperm_ns_per_block_decrypt)} ns decrypt`],
  ['AES-256 block in the page, aes crate fixslice', `${f(results.aes_block.ns_per_block_one_at_a_time)} ns one at a time, ${f(results.aes_block.ns_per_block_four_per_call)} ns each four per call`],
  [`W rounds of ${f(results.rounds_many.keys)} keys (best of 3)`, `fixslice w_many ${f(results.rounds_many.fixslice_w_many_ms, 1)} ms, vperm one by one ${f(results.rounds_many.vperm_one_by_one_ms, 1)} ms`],
  [`KWP 1 MiB in slices of ${f(results.kwp_1mib_sliced.slice_steps)} steps`, `${f(results.kwp_1mib_sliced.slices)} slices, ${f(results.kwp_1mib_sliced.total_ms, 1)} ms in all, longest slice ${f(results.kwp_1mib_sliced.longest_slice_ms, 1)} ms`],
  [`findKey -l over ${f(results.find_key.keys)} keys`, `${f(results.find_key.find_key_ms, 3)} ms per lookup (filling took ${f(results.find_key.fill_ms)} ms)`],
  ['Console: navigation to first contentful paint', `${f(results.console.first_contentful_paint_ms, 1)} ms`],
  ['Console: navigation to an interactive console', `${f(results.console.interactive_console_ms, 1)} ms`],
  ['Console: rendered console seen by the driver after', `${f(results.console.console_rendered_seen_after_ms)} ms`],
  ['Console: transfer size (uncompressed server)', `${results.console.files} files, ${f(results.console.transfer_bytes)} bytes`],
  ['Console: the same files gzip -9 (compressing host)', `${f(results.console.gzip_bytes)} bytes`],
  ['Console: the same files brotli -q 11', `${f(results.console.brotli_bytes)} bytes`],
  [`Keystroke in the Command field, ${f(results.keystroke.keys)} keys in the HSM`, `median ${f(results.keystroke.median_ms, 1)} ms, max ${f(results.keystroke.max_ms, 1)} ms (${results.keystroke.events} events, render included); Tab ${f(results.keystroke.tab_completion_ms, 1)} ms`],
  ['Machine load (1, 5, 15 min) at start, at end', `${results.load_average_start}; ${results.load_average}`],
];
console.log(`\nKeywrap Console in-browser benchmark (${results.chromium})`);
for (const [name, value] of rows) console.log(`${name.padEnd(52)} ${value}`);
console.log(`\nwritten to ${OUT}`);
