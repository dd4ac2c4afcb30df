// The seed's session and a policy refusal, typed into the terminal of the
// release build served under a sub-path, as a user would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { consoleFixture } from './support/fixture.mjs';

const { withConsole } = consoleFixture();

test("the seed's session: wrap a payload under a KEK, unwrap it into a new handle with the same KCV", () =>
  withConsole(async ({ run, handleFrom, kcv, page }) => {
    const kek = await handleFrom('genSymKey -t 31 -s 32 -l kek');
    const payload = await handleFrom('genSymKey -t 31 -s 32 -l payload');
    assert.notEqual(kek, payload);

    const wrapped = await run(`wrapKey -k ${payload} -w ${kek} -out mykey.key -m 5`);
    assert.match(wrapped, /Cfm2WrapKey returned: 0x00 : HSM Return: SUCCESS/);
    assert.match(wrapped, /Wrapped Key written to file "mykey\.key": length 40/);

    const unwrapped = await handleFrom(`unWrapKey -f mykey.key -w ${kek}`);
    assert.ok(unwrapped > payload, `a new handle (${unwrapped}) after ${payload}`);
    assert.equal(await kcv(unwrapped), await kcv(payload), 'same key, same KCV');

    // Unwrapping the same blob again: yet another handle, still the same KCV.
    const again = await handleFrom(`unWrapKey -f mykey.key -w ${kek}`);
    assert.ok(again > unwrapped);
    assert.equal(await kcv(again), await kcv(payload));

    // The key table lists all four keys.
    const table = await page.locator('table.key-table').textContent();
    for (const label of ['kek', 'payload']) assert.ok(table.includes(label), `key table shows ${label}`);
    const findAll = await run('findKey');
    assert.match(findAll, new RegExp(`${kek}, ${payload}, ${unwrapped}, ${again}`));
  }));

test('a refused wrap of a non-extractable key prints the KMU error and changes nothing', () =>
  withConsole(async ({ run, handleFrom, page }) => {
    const kek = await handleFrom('genSymKey -t 31 -s 32 -l kek');
    const locked = await handleFrom('genSymKey -t 31 -s 16 -l locked -nex');
    const tableBefore = await page.locator('table.key-table').textContent();
    const findBefore = await run('findKey');

    const refused = await run(`wrapKey -k ${locked} -w ${kek} -out leaked.key -m 5`);
    assert.match(refused, /Cfm2WrapKey returned: 0x94 : HSM Error: Key is not extractable/);
    assert.doesNotMatch(refused, /Key Wrapped/);

    assert.equal(await page.locator('table.key-table').textContent(), tableBefore, 'key table unchanged');
    assert.equal((await run('findKey')).replace(/\s+/g, ' '), findBefore.replace(/\s+/g, ' '), 'same keys');
    assert.match(await run(`unWrapKey -f leaked.key -w ${kek}`), /File not found/, 'no file was written');
  }));

test('KWP of a 7-byte secret and PKCS#5-padded KW round-trip in the terminal', () =>
  withConsole(async ({ run, handleFrom }) => {
    const kek = await handleFrom('genSymKey -t 31 -s 32 -l kek');
    const seven = await handleFrom('genSymKey -t 16 -s 7 -l seven');
    assert.match(await run(`wrapKey -k ${seven} -w ${kek} -out seven.key -m 6 -noheader`),
      /written to file "seven\.key": length 16/, 'RFC 5649: 7 bytes fit one semiblock, 16 bytes out');
    const back = await handleFrom(`unWrapKey -f seven.key -w ${kek} -m 6 -noheader -l seven2 -kc 4 -kt 16`);
    assert.match(await run(`getAttribute -o ${back} -a 353`), /OBJ_ATTR_VALUE_LEN\s*0x00000007/);

    const aes = await handleFrom('genSymKey -t 31 -s 32 -l aes');
    assert.match(await run(`wrapKey -k ${aes} -w ${kek} -out p5.key -m 4 -noheader`),
      /written to file "p5\.key": length 48/, 'PKCS#5 adds a full block to 32 bytes, KW adds 8');
    const p5 = await handleFrom(`unWrapKey -f p5.key -w ${kek} -m 4 -noheader -l aes2 -kc 4 -kt 31`);
    assert.equal((await run(`getAttribute -o ${p5} -a 371`)).match(/0x[0-9a-f]{6}/)[0],
      (await run(`getAttribute -o ${aes} -a 371`)).match(/0x[0-9a-f]{6}/)[0]);
  }));
