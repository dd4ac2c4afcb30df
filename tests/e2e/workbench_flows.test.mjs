// Wrap and unwrap through the workbench's forms, the IV check a user sees, and
// files downloaded from and uploaded to the page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleFixture } from './support/fixture.mjs';

// RFC 3394 section 4.6: 256 bits of key data under a 256-bit KEK.
const RFC_KEK = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const RFC_KEY = '00112233445566778899aabbccddeeff000102030405060708090a0b0c0d0e0f';
const RFC_CT = '28c9f404c4b810f4cbccb35cfb87f8263f5786e2d80ed326cbc7f0e71a99f43bfb988b9b7a02dd21';

const { withConsole } = consoleFixture();

test('HSM keys wrapped and unwrapped through the forms: a new handle with the same KCV', () =>
  withConsole(async ({ handleFrom, kcv, wb, page }) => {
    const kek = await handleFrom('genSymKey -t 31 -s 32 -l kek');
    const payload = await handleFrom('genSymKey -t 31 -s 32 -l payload');
    await wb.kek({ handle: kek });
    await wb.mechanism('kw');
    const wrapped = await wb.wrap({ handle: payload });
    assert.match(wrapped, /^[0-9a-f]{80}$/i, '32 bytes of key wrap to 40');
    const result = await wb.unwrap(wrapped, { into: 'key', label: 'from-form' });
    const handle = Number(result.match(/\b(\d+)\b/)[1]);
    assert.ok(handle > payload, result);
    assert.equal(await kcv(handle), await kcv(payload));
    assert.ok((await page.locator('table.key-table').textContent()).includes('from-form'));
  }));

test('standalone RFC 3394 §4.6 with a pasted KEK gives the RFC bytes, and a custom IV round-trips', () =>
  withConsole(async ({ wb }) => {
    await wb.kek({ pasted: RFC_KEK });
    await wb.mechanism('kw', 'A6A6A6A6A6A6A6A6');
    assert.equal((await wb.wrap({ pasted: RFC_KEY })).toLowerCase(), RFC_CT);

    await wb.mechanism('kw', '0011223344556677');
    const custom = (await wb.wrap({ pasted: RFC_KEY })).toLowerCase();
    assert.notEqual(custom, RFC_CT, 'another IV, other bytes');
    assert.match(await wb.unwrap(custom), /./);
    assert.equal(await wb.unwrappedBytes(), RFC_KEY, 'same IV: the key comes back');

    await wb.mechanism('kw', 'A6A6A6A6A6A6A6A6');
    const refused = await wb.unwrap(custom);
    assert.match(refused, /integrity check failed/, `unwrapping under the default IV fails: ${refused}`);
    assert.match(refused, /Nothing changed/);
  }));

test('a tampered blob fails the IV check and shows both values', () =>
  withConsole(async ({ wb, page }) => {
    await wb.kek({ pasted: RFC_KEK });
    await wb.mechanism('kw', 'A6A6A6A6A6A6A6A6');
    const flipped = RFC_CT.slice(0, 20) + (RFC_CT[20] === '0' ? '1' : '0') + RFC_CT.slice(21);
    await wb.unwrap(flipped);
    const to_end = page.getByRole('button', { name: 'To the end' });
    if (await to_end.isEnabled()) await to_end.click();
    const check = page.getByTestId('iv-check');
    await check.waitFor();
    assert.match(await check.textContent(), /IV check failed/);
    assert.equal(await page.getByTestId('unwrap-result').count(), 0, 'no key data released');
    const recovered = (await page.getByTestId('iv-recovered').textContent()).replace(/\s/g, '');
    const expected = (await page.getByTestId('iv-expected').textContent()).replace(/\s/g, '');
    assert.match(expected, /^A6A6A6A6A6A6A6A6$/i);
    assert.match(recovered, /^[0-9a-f]{16}$/i);
    assert.notEqual(recovered.toLowerCase(), expected.toLowerCase());
  }));

test('KWP wraps a 7-byte key into 16 bytes and back; PKCS#5-padded KW round-trips', () =>
  withConsole(async ({ wb }) => {
    await wb.kek({ pasted: RFC_KEK });
    await wb.mechanism('kwp');
    const seven = '466f7250617369';
    const wrapped = await wb.wrap({ pasted: seven });
    assert.match(wrapped, /^[0-9a-f]{32}$/i, 'one semiblock of key data: one AES block out');
    await wb.unwrap(wrapped);
    assert.equal(await wb.unwrappedBytes(), seven);

    await wb.mechanism('kw-pkcs5', 'A6A6A6A6A6A6A6A6');
    const padded = await wb.wrap({ pasted: RFC_KEY });
    assert.match(padded, /^[0-9a-f]{96}$/i, '32 bytes + 16 of PKCS#5 padding + 8');
    await wb.unwrap(padded);
    assert.equal(await wb.unwrappedBytes(), RFC_KEY);
  }));

test('a wrapped file downloaded from the page uploads again and unwraps', () =>
  withConsole(async ({ handleFrom, kcv, run, wb, page }) => {
    const kek = await handleFrom('genSymKey -t 31 -s 32 -l kek');
    const payload = await handleFrom('genSymKey -t 31 -s 32 -l payload');
    await run(`wrapKey -k ${payload} -w ${kek} -out bare.key -m 5 -noheader`);
    await run(`wrapKey -k ${payload} -w ${kek} -out mykey.key -m 5`);

    const dir = await mkdtemp(join(tmpdir(), 'keywrap-e2e-'));
    const saved = {};
    for (const name of ['bare.key', 'mykey.key']) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: `Download file ${name}` }).click(),
      ]);
      assert.equal(download.suggestedFilename(), name);
      saved[name] = join(dir, name);
      await download.saveAs(saved[name]);
    }
    assert.equal((await readFile(saved['bare.key'])).length, 40, 'the bare RFC 3394 blob');

    // The bare blob, uploaded into the workbench, unwraps under the KEK.
    await page.locator('#wb-upload').setInputFiles(saved['bare.key']);
    await page.getByLabel('Wrapped key (hex or base64)').waitFor();
    await wb.kek({ handle: kek });
    await wb.mechanism('kw');
    await page.getByLabel('A new key in the HSM').check();
    await page.getByRole('form', { name: 'Unwrap', exact: true }).getByRole('button', { name: 'Unwrap', exact: true }).click();
    const result = await page.getByTestId('unwrap-result').textContent();
    const fromUpload = Number(result.match(/\b(\d+)\b/)[1]);
    assert.equal(await kcv(fromUpload), await kcv(payload));

    // The file with its header, uploaded into the page's files, unwraps in the terminal.
    await run('deleteKey -k 999999'); // a refused command in between changes nothing
    await page.getByRole('button', { name: 'Delete file mykey.key' }).click();
    await writeFile(join(dir, 'again.key'), await readFile(saved['mykey.key']));
    await page.locator('#files-upload').setInputFiles(join(dir, 'again.key'));
    await page.getByRole('button', { name: 'Download file again.key' }).waitFor();
    const again = await handleFrom(`unWrapKey -f again.key -w ${kek}`);
    assert.equal(await kcv(again), await kcv(payload));
  }));
