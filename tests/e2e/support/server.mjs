// A static file server for the tests: serves a folder under a URL prefix on
// 127.0.0.1 and records every request it receives. What it records is the
// ground truth for "nothing left the page": a browser's own request events
// also fire for requests its policy then blocks, the server's log does not.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
};

/**
 * Starts a server. `root` is the folder to serve (or null to serve nothing),
 * `prefix` the sub-path it lives under, e.g. "/some/sub/path/".
 * Resolves to { origin, base, requests, close() }; `requests` grows as
 * requests arrive: { method, url, status, at }.
 */
export async function startServer({ root = null, prefix = '/' } = {}) {
  const requests = [];
  const server = createServer(async (req, res) => {
    const entry = { method: req.method, url: req.url, status: 0, at: Date.now() };
    requests.push(entry);
    const send = (status, body = '', type = 'text/plain; charset=utf-8') => {
      entry.status = status;
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (root === null || !path.startsWith(prefix)) return send(404, 'not found');
      let rel = path.slice(prefix.length) || 'index.html';
      const file = normalize(join(root, rel));
      if (!file.startsWith(normalize(root) + sep)) return send(403, 'forbidden');
      const info = await stat(file).catch(() => null);
      if (!info || !info.isFile()) return send(404, 'not found');
      send(200, await readFile(file), TYPES[extname(file)] ?? 'application/octet-stream');
    } catch {
      send(400, 'bad request');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    base: origin + prefix,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(resolve);
    }),
  };
}
