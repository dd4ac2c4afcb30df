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
 * Reads a `_headers` file (the format static hosts such as Netlify and
 * Cloudflare Pages read): a line with a path pattern (`*` matches anything),
 * then indented `Name: value` lines; `#` starts a comment. Returns
 * [{ pattern: RegExp, headers: [[name, value]] }].
 */
export function parseHeadersFile(text) {
  const rules = [];
  for (const line of text.split('\n')) {
    if (/^\s*(#|$)/.test(line)) continue;
    if (!/^\s/.test(line)) {
      const source = line.trim().split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
      rules.push({ pattern: new RegExp(`^${source}$`), headers: [] });
      continue;
    }
    const m = line.trim().match(/^([A-Za-z0-9-]+):\s*(.*)$/);
    if (!m || rules.length === 0) throw new Error(`_headers: cannot read the line "${line}"`);
    rules.at(-1).headers.push([m[1], m[2]]);
  }
  return rules;
}

/**
 * Starts a server. `root` is the folder to serve (or null to serve nothing),
 * `prefix` the sub-path it lives under, e.g. "/some/sub/path/".
 * With `headers: true` it sends, for each file under the prefix, the headers
 * that `root/_headers` names for it (paths there are relative to the site's
 * root, which is `prefix` here), as a host that reads `_headers` does.
 * `pages` maps other absolute paths on the same origin to HTML to serve
 * (sibling pages, as another app on a shared origin would be).
 * Resolves to { origin, base, requests, close() }; `requests` grows as
 * requests arrive: { method, url, status, at }.
 */
export async function startServer({ root = null, prefix = '/', headers = false, pages = {} } = {}) {
  const requests = [];
  const rules = headers ? parseHeadersFile(await readFile(join(root, '_headers'), 'utf8')) : [];
  const server = createServer(async (req, res) => {
    const entry = { method: req.method, url: req.url, status: 0, at: Date.now() };
    requests.push(entry);
    let extra = [];
    const send = (status, body = '', type = 'text/plain; charset=utf-8') => {
      entry.status = status;
      res.writeHead(status, [['content-type', type], ['cache-control', 'no-store'], ...extra].flat());
      res.end(body);
    };
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (Object.hasOwn(pages, path)) return send(200, pages[path], TYPES['.html']);
      if (root === null || !path.startsWith(prefix)) return send(404, 'not found');
      const sitePath = '/' + path.slice(prefix.length);
      extra = rules.filter((r) => r.pattern.test(sitePath)).flatMap((r) => r.headers);
      // A host that reads _headers does not serve it.
      if (headers && sitePath === '/_headers') return send(404, 'not found');
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
