// The offline single file (dist-single/keywrap-console.html, built by
// scripts/single_file.py from the release dist/): opened from disk with the
// browser offline, under default-src 'none' from its first element, it runs
// the seed's session and requests nothing but itself.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch } from './support/browser.mjs';
import { openConsole } from './support/console.mjs';

const SINGLE = process.env.KEYWRAP_SINGLE
  ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../dist-single/keywrap-console.html');
const URL_OF_FILE = pathToFileURL(SINGLE).href;

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('the file is sealed from its first element: default-src none, hashes, nothing to fetch', async () => {
  const html = await readFile(SINGLE, 'utf8');
  const head = html.slice(0, html.indexOf('<meta http-equiv'));
  assert.equal(head, '<!doctype html>\n<html lang="en">\n<head>\n', 'the policy is the first element of the page');
  const csp = html.match(/^<meta http-equiv="Content-Security-Policy" content="([^"]+)">$/m)?.[1];
  assert.ok(csp, 'a CSP meta');
  assert.match(csp, /^default-src 'none'; script-src 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/]{43}='; style-src 'sha256-[A-Za-z0-9+/]{43}='; img-src data:; base-uri 'none'; form-action 'none'$/);
  assert.doesNotMatch(csp, /'self'|unsafe-inline|https?:|\*/);
  // Nothing in the page names another file: no src, no stylesheet link.
  assert.doesNotMatch(html, /<script[^>]*\bsrc=|<link[^>]*rel="stylesheet"|@import|url\(\s*['"]?(?!data:)[a-z]+:/i);
  assert.equal((html.match(/<script\b/g) ?? []).length, 1, 'one script');
  assert.equal((html.match(/<style\b/g) ?? []).length, 1, 'one style');
});

test('opened from file:// with the network off, the seed session runs and nothing is requested', async () => {
  const context = await browser.newContext({ offline: true, acceptDownloads: true });
  const requested = [];
  context.on('request', (r) => requested.push(r.url()));
  const { page, run, handleFrom, kcv, consoleMessages } = await openConsole(context, URL_OF_FILE);
  const violations = [];
  await page.exposeFunction('kwViolation', (d) => violations.push(d));
  await page.evaluate(() => document.addEventListener('securitypolicyviolation', (e) => window.kwViolation(e.effectiveDirective)));

  assert.match(await page.getByTestId('self-test').textContent(), /passed/);
  const banner = (await page.locator('.banner .promise').textContent()).replace(/\s+/g, ' ');
  assert.match(banner, /It started under a Content-Security-Policy of default-src 'none', which blocks/);
  assert.match(banner, /the page removed WebRTC when it started/);

  // The seed's session, with the handles the console assigns (6, 7, then 8).
  assert.equal(await handleFrom('genSymKey -t 31 -s 32 -l kek'), 6);
  assert.equal(await handleFrom('genSymKey -t 31 -s 32 -l payload'), 7);
  const wrapped = await run('wrapKey -k 7 -w 6 -out mykey.key -m 5');
  assert.match(wrapped, /Cfm2WrapKey returned: 0x00 : HSM Return: SUCCESS/);
  assert.match(wrapped, /Wrapped Key written to file "mykey\.key": length 40/);
  const unwrapped = await handleFrom('unWrapKey -f mykey.key -w 6');
  assert.equal(unwrapped, 8);
  assert.equal(await kcv(8), await kcv(7), 'the unwrapped key is the payload');

  assert.equal((await page.getByTestId('network-count').textContent()).trim(), '0');
  assert.deepEqual(requested, [URL_OF_FILE], 'the browser requested the file itself and nothing else');
  assert.deepEqual(violations, [], 'nothing even tried to load');
  assert.deepEqual(consoleMessages.filter((m) => /violat|error|fail|refused/i.test(m)), [], 'a clean boot');
  await context.close();
});
