// Bring your own key in the built page: an AWS and an Azure import package
// prepared from public keys that OpenSSL generated for the test, downloaded
// with the provider's file name, and opened again with OpenSSL 3 following
// each provider's recipe (pkeyutl OAEP, then id-aes256-wrap-pad). The host
// receives nothing after boot (the fixture checks it after every test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleFixture } from './support/fixture.mjs';

const { withConsole } = consoleFixture();

const openssl = (args, cwd) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });

/** A fresh RSA key pair made by OpenSSL in a temporary folder. */
async function keyPair(bits) {
  const dir = await mkdtemp(join(tmpdir(), 'keywrap-byok-e2e-'));
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${bits}`, '-out', 'private.pem'], dir);
  openssl(['pkey', '-in', 'private.pem', '-pubout', '-out', 'public.pem'], dir);
  openssl(['pkey', '-in', 'private.pem', '-pubout', '-outform', 'DER', '-out', 'public.der'], dir);
  return {
    dir,
    pem: await readFile(join(dir, 'public.pem'), 'utf8'),
    der: await readFile(join(dir, 'public.der')),
  };
}

/** Opens RSA part ‖ KWP part with OpenSSL: the provider's side of the import. */
async function openWithOpenssl(dir, wrapped, bits, hash) {
  const k = bits / 8;
  await writeFile(join(dir, 'rsa.bin'), wrapped.subarray(0, k));
  await writeFile(join(dir, 'kwp.bin'), wrapped.subarray(k));
  openssl(['pkeyutl', '-decrypt', '-inkey', 'private.pem', '-in', 'rsa.bin', '-out', 'aes.bin',
    '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', `rsa_oaep_md:${hash}`, '-pkeyopt', `rsa_mgf1_md:${hash}`], dir);
  const aes = await readFile(join(dir, 'aes.bin'));
  assert.equal(aes.length, 32, 'an AES-256 ephemeral key');
  openssl(['enc', '-d', '-id-aes256-wrap-pad', '-iv', 'A65959A6', '-K', aes.toString('hex'),
    '-in', 'kwp.bin', '-out', 'material.bin'], dir);
  return readFile(join(dir, 'material.bin'));
}

/** Fills the panel and prepares; resolves to the downloaded file's bytes and name. */
async function prepareAndDownload(page, { provider, algorithm, publicKey, material, kid, keyName }) {
  const panel = page.getByRole('form', { name: 'Prepare a key for import' });
  await panel.getByLabel('Provider', { exact: true }).selectOption(provider);
  await panel.getByLabel('Algorithm', { exact: true }).selectOption(algorithm);
  await panel.getByLabel("Provider's public wrapping key").fill(publicKey);
  await panel.getByLabel('Key material', { exact: true }).selectOption('paste');
  await panel.getByLabel('Key material (hex or base64)').fill(material);
  if (kid) await panel.getByLabel('Key-exchange key id (kid)').fill(kid);
  if (keyName) await panel.getByLabel('Name of the new key').fill(keyName);
  await panel.getByRole('button', { name: 'Prepare the package' }).click();
  const result = page.getByTestId('byok-result');
  await result.waitFor();
  const name = (await result.getByRole('button', { name: /^Download / }).textContent()).replace('Download ', '');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    result.getByRole('button', { name: `Download ${name}` }).click(),
  ]);
  const path = join(await mkdtemp(join(tmpdir(), 'keywrap-byok-dl-')), download.suggestedFilename());
  await download.saveAs(path);
  return { name: download.suggestedFilename(), bytes: await readFile(path), finish: await page.getByTestId('byok-finish').textContent() };
}

test('an AWS package prepared in the page opens with OpenSSL', () =>
  withConsole(async ({ page }) => {
    const pair = await keyPair(2048);
    try {
      // AWS hands out its PublicKey as base64 of the DER: paste it so.
      const publicKey = pair.der.toString('base64');
      const material = randomBytes(32);
      await page.getByLabel("Provider's public wrapping key").fill(publicKey);
      const fingerprint = createHash('sha256').update(pair.der).digest('hex');
      assert.equal((await page.getByTestId('byok-fingerprint').textContent()).trim(), fingerprint);
      const got = await prepareAndDownload(page, {
        provider: 'aws', algorithm: 'RSA_AES_KEY_WRAP_SHA_256', publicKey, material: material.toString('hex'),
      });
      assert.equal(got.name, 'EncryptedKeyMaterial.bin');
      assert.equal(got.bytes.length, 256 + 40);
      assert.match(got.finish, /aws kms import-key-material .*--encrypted-key-material fileb:\/\/EncryptedKeyMaterial\.bin --import-token fileb:\/\/ImportToken\.bin/);
      const opened = await openWithOpenssl(pair.dir, got.bytes, 2048, 'sha256');
      assert.deepEqual(opened, material);
    } finally {
      await rm(pair.dir, { recursive: true, force: true });
    }
  }));

test('an Azure .byok file prepared in the page opens with OpenSSL', () =>
  withConsole(async ({ page }) => {
    const pair = await keyPair(3072);
    try {
      const material = randomBytes(32);
      const kid = 'https://contoso.managedhsm.azure.net/keys/kek/0123456789abcdef';
      const got = await prepareAndDownload(page, {
        provider: 'azure', algorithm: 'CKM_RSA_AES_KEY_WRAP', publicKey: pair.pem,
        material: material.toString('base64'), kid, keyName: 'payments',
      });
      assert.equal(got.name, 'payments.byok');
      const byok = JSON.parse(got.bytes.toString('utf8'));
      assert.equal(byok.schema_version, '1.0.0');
      assert.deepEqual(byok.header, { kid, alg: 'dir', enc: 'CKM_RSA_AES_KEY_WRAP' });
      assert.match(byok.generator, /^Keywrap Console /);
      assert.match(byok.ciphertext, /^[A-Za-z0-9_-]+$/, 'base64url without padding');
      assert.match(got.finish, /az keyvault key import --hsm-name contoso --name payments --byok-file payments\.byok/);
      // Azure's specification: OAEP with SHA-1.
      const opened = await openWithOpenssl(pair.dir, Buffer.from(byok.ciphertext, 'base64url'), 3072, 'sha1');
      assert.deepEqual(opened, material);
    } finally {
      await rm(pair.dir, { recursive: true, force: true });
    }
  }));
