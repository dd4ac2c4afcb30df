// What the network lock cannot do, probed as the banner and README say it:
// WebRTC is not governed by Content-Security-Policy, so the page deletes it
// from its realm at boot; a navigation of the whole tab is not blockable by a
// page at all, and the page's own code never navigates. These tests keep the
// documentation true: if a browser changes either, one of them fails.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './support/server.mjs';
import { launch, DIST } from './support/browser.mjs';
import { openConsole } from './support/console.mjs';

const PREFIX = '/tools/keywrap/';
let host, elsewhere, browser;
before(async () => {
  host = await startServer({ root: DIST, prefix: PREFIX });
  elsewhere = await startServer({ root: null });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await host?.close();
  await elsewhere?.close();
});

test('after boot the page realm has no WebRTC: RTCPeerConnection and its relatives are undefined', async () => {
  const { page, consoleMessages } = await openConsole(browser, host.base);
  const probe = await page.evaluate(() => {
    let constructed;
    try {
      // eslint-disable-next-line no-undef
      new RTCPeerConnection({ iceServers: [{ urls: 'stun:127.0.0.1:3478' }] });
      constructed = 'constructed';
    } catch (e) {
      constructed = e.name;
    }
    return {
      types: ['RTCPeerConnection', 'webkitRTCPeerConnection', 'RTCDataChannel', 'RTCSessionDescription', 'RTCIceCandidate']
        .map((n) => `${n}: ${typeof globalThis[n]}`),
      left: Object.getOwnPropertyNames(globalThis).filter((n) => /^(webkit)?RTC/.test(n)),
      constructed,
    };
  });
  assert.deepEqual(probe.types, [
    'RTCPeerConnection: undefined', 'webkitRTCPeerConnection: undefined', 'RTCDataChannel: undefined',
    'RTCSessionDescription: undefined', 'RTCIceCandidate: undefined',
  ]);
  assert.deepEqual(probe.left, [], 'no RTC* global is left');
  assert.equal(probe.constructed, 'ReferenceError');
  const banner = (await page.locator('.banner .promise').textContent()).replace(/\s+/g, ' ');
  assert.match(banner, /the page removed WebRTC when it started/);
  assert.deepEqual(consoleMessages.filter((m) => /error|violat/i.test(m)), []);
  await page.close();
});

test('the banner says in one sentence what the lock blocks and in one what it cannot', async () => {
  const { page } = await openConsole(browser, host.base);
  const banner = (await page.locator('.banner .promise').textContent()).replace(/\s+/g, ' ');
  assert.match(banner, /default-src 'none', which blocks every request the page itself makes: subresources \(scripts, styles, images, fonts, media, frames\), connections \(fetch, WebSocket, EventSource\), beacons, workers and form submissions, to any server, the one it came from included\./);
  assert.match(banner, /No policy can block a navigation of the whole tab \(a link, location, window\.open\) or WebRTC, so the page removed WebRTC when it started, and its own code never navigates\./);
  assert.doesNotMatch(banner, /no request of any kind/);
  await page.close();
});

test('documented, not blocked: a script that navigates the tab reaches another server', async () => {
  // Only the page's own code runs in the console, and it never navigates; this
  // is what foreign code could do, and why the banner says "cannot".
  const { page } = await openConsole(browser, host.base);
  const served = host.requests.length;
  await page.evaluate((url) => { location.href = url; }, `${elsewhere.origin}/navigated?carried=anything`);
  await page.waitForURL(`${elsewhere.origin}/navigated?carried=anything`);
  // The first request is the navigation itself (the new page may then ask
  // for its own favicon): a top-level navigation is not governed by the
  // page's policy, and the URL carries whatever the script put in it.
  assert.equal(elsewhere.requests[0]?.url, '/navigated?carried=anything');
  assert.deepEqual(host.requests.slice(served).map((r) => r.url), [], 'the console\'s host received nothing');
  await page.close();
});

test('documented, not blocked: a new about:blank frame of the page has a realm with WebRTC of its own', async () => {
  // What the boot removal does not stop (web/src/guard.rs): it empties this
  // realm, and a script in the page could take a fresh realm from a new frame.
  // The page's own code creates no frame; this keeps the docs honest.
  const { page } = await openConsole(browser, host.base);
  const found = await page.evaluate(() => {
    const frame = document.createElement('iframe');
    document.body.appendChild(frame);
    const kind = typeof frame.contentWindow.RTCPeerConnection;
    frame.remove();
    return { own: typeof RTCPeerConnection, frame: kind };
  });
  assert.deepEqual(found, { own: 'undefined', frame: 'function' });
  await page.close();
});
