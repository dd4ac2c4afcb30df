// What the page shows to whom, and what it never keeps: the who-can-see
// matrix across tenancy modes, "View as", sensitive keys in the DOM, and key
// bytes in storage, cookies, the URL or the console.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleFixture } from './support/fixture.mjs';

const fixture = consoleFixture();
const { withConsole } = fixture;

/** Every spelling of some key bytes a page could leak: hex both cases, base64 and base64url. */
function spellings(bytes) {
  const hex = Buffer.from(bytes).toString('hex');
  const b64 = Buffer.from(bytes).toString('base64');
  return [hex, hex.toUpperCase(), b64, b64.replace(/=+$/, ''), Buffer.from(bytes).toString('base64url')];
}

/** Downloads an in-page file through the files panel; resolves to its bytes. */
async function download(page, name) {
  const [d] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: `Download file ${name}` }).click(),
  ]);
  const path = join(await mkdtemp(join(tmpdir(), 'keywrap-e2e-')), name);
  await d.saveAs(path);
  return readFile(path);
}

/** The page's DOM as HTML plus every form field's current value. */
async function domText(page) {
  return page.evaluate(() => document.documentElement.outerHTML + '\n' +
    Array.from(document.querySelectorAll('input, textarea, select'), (e) => e.value).join('\n'));
}

/** The matrix as { "actor|capability": answer }. */
async function matrix(page) {
  return page.evaluate(() => Object.fromEntries(
    Array.from(document.querySelectorAll('[data-testid="who-can-see"] td[data-actor]'),
      (td) => [`${td.dataset.actor}|${td.dataset.capability}`, td.dataset.answer])));
}

test('switching tenancy changes exactly the provider row of the who-can-see matrix; View as redraws the tables', () =>
  withConsole(async ({ page, handleFrom }) => {
    const kek = await handleFrom('genSymKey -t 31 -s 32 -l kek');
    await page.getByRole('button', { name: `Select key ${kek}` }).first().click();
    await page.getByTestId('who-can-see').waitFor();

    await page.locator('#tenancy-dedicated').check();
    const dedicated = await matrix(page);
    await page.locator('#tenancy-shared').check();
    await page.waitForFunction(() => document.querySelector('[data-testid="fips-summary"]').textContent.includes('140-2 Level 2'));
    const shared = await matrix(page);

    assert.equal(Object.keys(dedicated).length, 24, '8 actors x 3 capabilities');
    const changed = Object.keys(shared).filter((cell) => shared[cell] !== dedicated[cell]).sort();
    // A dedicated HSM's appliance user can hold masked copies: Possible in both modes.
    assert.deepEqual(changed, ['The provider|Plaintext', 'The provider|Use']);
    assert.equal(dedicated['The provider|Wrapped blob'], 'Possible');
    assert.equal(dedicated['Other code on this page\'s origin|Plaintext'], 'Possible');
    for (const cell of changed) {
      assert.equal(dedicated[cell], 'No', `${cell} in a dedicated HSM`);
      assert.equal(shared[cell], 'Possible', `${cell} in a shared HSM`);
    }
    assert.equal(shared['You (this tab)|Plaintext'], dedicated['You (this tab)|Plaintext']);
    // The host could serve other code on the next load, whatever the tenancy.
    assert.equal(shared["The page's host|Plaintext"], 'Possible');
    assert.equal(dedicated["The page's host|Plaintext"], 'Possible');

    // View as the provider: the key table now says what the provider sees.
    await page.getByLabel('View as').selectOption('provider');
    const asProviderShared = await page.locator('table.key-table').textContent();
    assert.match(asProviderShared, /possibly the key's value/);
    await page.locator('#tenancy-dedicated').check();
    await page.waitForFunction(() => !document.querySelector('table.key-table').textContent.includes("possibly the key's value"));
    // Dedicated: the appliance user's masked copy, never the value.
    assert.match(await page.locator('table.key-table').textContent(), /possibly a wrapped copy/);
    await page.getByLabel('View as').selectOption('you');
  }));

test("a sensitive key's value never reaches the DOM, and no key bytes are kept anywhere", async () => {
  const context = await fixture.browser.newContext({ acceptDownloads: true });
  await withConsole(async ({ page, run, handleFrom, wb, consoleMessages }) => {

    // A sensitive key (genSymKey's default) exported in plaintext to an in-page file, then downloaded.
    const kek = await handleFrom('genSymKey -t 31 -s 32 -l kek');
    const secret = await handleFrom('genSymKey -t 31 -s 32 -l secret');
    assert.match(await run(`getAttribute -o ${secret} -a 259`), /OBJ_ATTR_SENSITIVE\s*0x01/);
    await run(`exSymKey -k ${secret} -w ${kek} -out plain.key`);
    const secretBytes = await download(page, 'plain.key');
    assert.equal(secretBytes.length, 32);

    // It cannot be revealed, and wrapping it in the workbench shows no trace of its bytes.
    await page.getByRole('button', { name: `Reveal key ${secret}` }).click().catch(() => {});
    await wb.kek({ handle: kek });
    await wb.mechanism('kw');
    await wb.wrap({ handle: secret });
    const dom = await domText(page);
    for (const s of spellings(secretBytes)) assert.ok(!dom.includes(s), `the DOM shows the sensitive key as ${s}`);

    // A key imported from a file the user uploads, and a pasted KEK and key.
    const imported = Buffer.from('8899aabbccddeeff00112233445566770123456789abcdef', 'hex');
    const dir = await mkdtemp(join(tmpdir(), 'keywrap-e2e-'));
    await writeFile(join(dir, 'import.key'), imported);
    await page.locator('#files-upload').setInputFiles(join(dir, 'import.key'));
    await page.getByRole('button', { name: 'Download file import.key' }).waitFor();
    await handleFrom(`imSymKey -f import.key -w ${kek} -t 31 -l imported`);
    const pastedKek = Buffer.from('f0e1d2c3b4a5968778695a4b3c2d1e0f', 'hex');
    const pastedKey = Buffer.from('0f1e2d3c4b5a69788796a5b4c3d2e1f0', 'hex');
    await wb.kek({ pasted: pastedKek.toString('hex') });
    await wb.mechanism('kw', 'A6A6A6A6A6A6A6A6');
    await wb.unwrap(await wb.wrap({ pasted: pastedKey.toString('base64') }));

    // Nothing at rest: storage, IndexedDB, cookies, the URL, the console.
    const stored = await page.evaluate(async () => {
      const dump = (s) => Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i))}`).join('\n');
      const dbs = indexedDB.databases ? await indexedDB.databases() : [];
      return { local: dump(localStorage), session: dump(sessionStorage), indexedDB: dbs.map((d) => d.name), url: location.href };
    });
    assert.equal(stored.local, '', 'localStorage is empty');
    assert.equal(stored.session, '', 'sessionStorage is empty');
    assert.deepEqual(stored.indexedDB, [], 'no IndexedDB database');
    assert.deepEqual(await context.cookies(), [], 'no cookies');
    const kept = [stored.url, ...consoleMessages].join('\n');
    for (const bytes of [secretBytes, imported, pastedKek, pastedKey]) {
      for (const s of spellings(bytes)) assert.ok(!kept.includes(s), `key bytes ${s} in the URL or console`);
    }
  }, { context });
  await context.close();
});
