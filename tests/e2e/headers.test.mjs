// The response headers a host should send (README, "Deploy"): deploy/_headers
// for hosts that read one (trunk copies it into dist/), and deploy/nginx.conf
// for a plain web server, run here with Debian's nginx on a loopback port.
// Both must send the same four headers on every file of the build, and with
// them a page of another origin cannot frame the console: the browser refuses
// before any of the console's code is requested.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseHeadersFile, startServer } from './support/server.mjs';
import { launch, DIST } from './support/browser.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const NGINX = process.env.KEYWRAP_NGINX ?? '/usr/sbin/nginx';
const EXPECTED = {
  'content-security-policy': "frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

async function freePort() {
  const probe = createServer();
  await new Promise((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address();
  await new Promise((r) => probe.close(r));
  return port;
}

/** Runs deploy/nginx.conf's server block on 127.0.0.1 with dist/ as its root. */
async function startNginx() {
  if (!existsSync(NGINX)) throw new Error(`no nginx at ${NGINX}: run scripts/setup.sh`);
  const dir = await mkdtemp(join(tmpdir(), 'keywrap-nginx-'));
  const port = await freePort();
  const snippet = (await readFile(join(ROOT, 'deploy/nginx.conf'), 'utf8'))
    .replace(/listen 443 ssl;/, `listen 127.0.0.1:${port};`)
    .replace(/server_name [^;]+;/, 'server_name 127.0.0.1;')
    .replace(/root [^;]+;/, `root ${DIST};`);
  assert.match(snippet, new RegExp(`listen 127\\.0\\.0\\.1:${port};[\\s\\S]*root ${DIST.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')};`));
  await writeFile(join(dir, 'keywrap.conf'), snippet);
  await writeFile(join(dir, 'nginx.conf'), `
user root;
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 64; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/keywrap.conf;
}
`);
  const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: 'ignore' });
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${await readFile(join(dir, 'error.log'), 'utf8').catch(() => '')}`);
    if (await fetch(origin + '/').then(() => true, () => false)) break;
    if (i > 100) throw new Error('nginx did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    origin,
    accessLog: async () => (await readFile(join(dir, 'access.log'), 'utf8')).split('\n').filter(Boolean),
    close: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

let files, nginx, headed, other, browser;
before(async () => {
  files = (await readdir(DIST)).filter((f) => /\.(html|js|wasm|css)$/.test(f)).sort();
  nginx = await startNginx();
  headed = await startServer({ root: DIST, prefix: '/', headers: true });
  other = await startServer({
    pages: { '/frame.html': '<!doctype html><title>Another site</title><iframe title="console"></iframe>' },
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await nginx?.close();
  await headed?.close();
  await other?.close();
});

test('dist/_headers is deploy/_headers, and it names the four headers for every path', async () => {
  const shipped = await readFile(join(DIST, '_headers'), 'utf8');
  assert.equal(shipped, await readFile(join(ROOT, 'deploy/_headers'), 'utf8'), 'trunk copied it unchanged');
  const rules = parseHeadersFile(shipped);
  assert.equal(rules.length, 1);
  assert.ok(rules[0].pattern.test('/') && rules[0].pattern.test('/keywrap-web-0123.wasm'), 'the rule covers every path');
  assert.deepEqual(Object.fromEntries(rules[0].headers.map(([k, v]) => [k.toLowerCase(), v])), EXPECTED);
});

for (const [name, server] of [['a host reading _headers', () => headed], ['nginx with deploy/nginx.conf', () => nginx]]) {
  test(`${name} sends the four headers on every file of the build, with the right types`, async () => {
    assert.ok(files.includes('index.html') && files.some((f) => f.endsWith('.wasm')), files.join(', '));
    for (const path of ['/', ...files.map((f) => `/${f}`)]) {
      const res = await fetch(server().origin + path);
      await res.arrayBuffer();
      assert.equal(res.status, 200, path);
      for (const [header, value] of Object.entries(EXPECTED)) {
        assert.equal(res.headers.get(header), value, `${path}: ${header}`);
      }
      const type = res.headers.get('content-type');
      const want = { '/': 'text/html', html: 'text/html', js: 'text/javascript', wasm: 'application/wasm', css: 'text/css' };
      assert.ok(type.startsWith(want[path === '/' ? '/' : path.split('.').at(-1)]), `${path}: ${type}`);
    }
    const hidden = await fetch(server().origin + '/_headers');
    assert.equal(hidden.status, 404, '_headers itself is not served');
    assert.equal(hidden.headers.get('x-content-type-options'), 'nosniff', 'errors carry the headers too');
  });

  test(`${name}: a page of another origin that frames the console gets nothing of it`, async () => {
    const page = await browser.newPage();
    const before = server() === nginx ? (await nginx.accessLog()).length : headed.requests.length;
    await page.goto(`${other.origin}/frame.html`);
    await page.evaluate((src) => { document.querySelector('iframe').src = src; }, `${server().origin}/`);
    await page.waitForTimeout(1500);
    const asked = server() === nginx
      ? (await nginx.accessLog()).slice(before).map((l) => l.match(/"GET (\S+)/)?.[1])
      : headed.requests.slice(before).map((r) => r.url);
    assert.deepEqual(asked, ['/'], 'only the page itself was requested: no script, wasm or stylesheet');
    const frame = page.frames().find((f) => f !== page.mainFrame());
    const inside = await frame.evaluate(() => document.body?.textContent ?? '').catch(() => '');
    assert.doesNotMatch(inside, /Keywrap Console/);
    await page.close();
  });
}
