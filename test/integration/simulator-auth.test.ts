import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/index.ts';

/** A tiny browser stand-in: follows redirects by hand and keeps cookies per host. */
class Client {
  readonly jar = new Map<string, Map<string, string>>();
  readonly visited: string[] = [];

  async go(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<{ url: string; status: number; html: string }> {
    let current = url;
    let method = init.method ?? 'GET';
    let body: string | undefined = init.form === undefined ? undefined : new URLSearchParams(init.form).toString();
    for (let hop = 0; hop < 10; hop += 1) {
      this.visited.push(current);
      const host = new URL(current).host;
      const cookies = [...(this.jar.get(host) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
      const headers: Record<string, string> = { cookie: cookies };
      if (body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      const response = await fetch(current, { method, headers, redirect: 'manual', ...(body === undefined ? {} : { body }) });
      for (const setCookie of response.headers.getSetCookie()) {
        const [pair = ''] = setCookie.split(';');
        const [name = '', ...value] = pair.split('=');
        const hostJar = this.jar.get(host) ?? new Map<string, string>();
        hostJar.set(name, value.join('='));
        this.jar.set(host, hostJar);
      }
      const location = response.headers.get('location');
      if (response.status !== 302 || location === null) return { url: current, status: response.status, html: await response.text() };
      await response.arrayBuffer();
      current = new URL(location, current).toString();
      method = 'GET';
      body = undefined;
    }
    throw new Error('Too many redirects.');
  }

  /** Submits the first form on a page, as a browser would after the user clicks its button. */
  async submit(page: { url: string; html: string }, fields: Record<string, string> = {}): Promise<{ url: string; status: number; html: string }> {
    const action = /<form[^>]*action="([^"]+)"/.exec(page.html)?.[1]?.replaceAll('&#38;', '&') ?? '';
    const form: Record<string, string> = {};
    for (const match of page.html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form[match[1] ?? ''] = unescape(match[2] ?? '');
    return this.go(new URL(action, page.url).toString(), { method: 'POST', form: { ...form, ...fields } });
  }
}

function unescape(value: string): string {
  return value.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

async function withSimulator(options: SimulatorOptions, run: (sim: Simulator, poPath: string) => Promise<void>): Promise<void> {
  const sim = await startSimulator({ pos: 12, heavyPages: false, ...options });
  try {
    await run(sim, `/order_headers/${sim.truth.firstPoId}`);
  } finally {
    await sim.close();
  }
}

describe('simulator sign-in', () => {
  it('signs in with the password form and lands on the page first asked for', async () => {
    await withSimulator({ auth: { mode: 'password', username: 'ana', password: 's3cret' } }, async (sim, poPath) => {
      const client = new Client();
      const form = await client.go(sim.url + poPath);
      assert.equal(new URL(form.url).pathname, '/sessions/new');
      for (const marker of ['form id="login_form"', 'id="user_login" name="user[login]"', 'id="user_password" name="user[password]"', 'id="login_button"', 'name="authenticity_token"']) assert.ok(form.html.includes(marker), marker);
      const wrong = await client.submit(form, { 'user[login]': 'ana', 'user[password]': 'nope' });
      assert.match(wrong.html, /Invalid login or password/);
      const page = await client.submit(form, { 'user[login]': 'ana', 'user[password]': 's3cret' });
      assert.equal(page.url, sim.url + poPath);
      assert.match(page.html, /data-controller="order_headers"/);
      assert.equal(sim.stats().signIns, 1);
    });
  });

  it('refuses a password POST without the authenticity token', async () => {
    await withSimulator({ auth: { mode: 'password' } }, async (sim) => {
      const client = new Client();
      await client.go(`${sim.url}/sessions/new`);
      const response = await client.go(`${sim.url}/sessions`, { method: 'POST', form: { 'user[login]': 'demo', 'user[password]': 'demo' } });
      assert.equal(response.status, 422);
    });
  });

  it('runs the SSO chain through the IdP on another origin and back to the page first asked for', async () => {
    await withSimulator({ auth: { mode: 'sso' } }, async (sim, poPath) => {
      const client = new Client();
      const idp = await client.go(sim.url + poPath);
      assert.notEqual(new URL(idp.url).origin, sim.url);
      assert.equal(new URL(idp.url).origin, sim.idpUrl);
      assert.ok(client.visited.some((url) => url.startsWith(`${sim.url}/sessions/new`)));
      assert.match(idp.html, /Sign in/);
      const samlPost = await client.submit(idp);
      assert.match(samlPost.html, new RegExp(`action="${sim.url}/sessions/saml_post"`));
      const page = await client.submit(samlPost);
      assert.equal(page.url, sim.url + poPath);
      assert.match(page.html, /data-controller="order_headers"/);
      assert.ok(client.jar.get(new URL(sim.url).host)?.has('_coupa_session'));
    });
  });

  it('rejects a made-up SAML response', async () => {
    await withSimulator({ auth: { mode: 'sso' } }, async (sim) => {
      const response = await new Client().go(`${sim.url}/sessions/saml_post`, { method: 'POST', form: { SAMLResponse: 'forged', RelayState: '/' } });
      assert.equal(response.status, 403);
    });
  });

  it('expires the session after N page views and signs in again through the remembered IdP without a click', async () => {
    await withSimulator({ auth: { mode: 'sso', expireAfterPageViews: 2 } }, async (sim, poPath) => {
      const client = new Client();
      await client.submit(await client.submit(await client.go(sim.url + poPath)));
      const second = await client.go(sim.url + poPath);
      assert.equal(second.url, sim.url + poPath);
      const third = await client.go(sim.url + poPath);
      assert.equal(new URL(third.url).origin, sim.idpUrl, 'the third view is sent to sign in');
      assert.match(third.html, /id="saml_form"/, 'the IdP remembers the browser');
      const back = await client.submit(third);
      assert.equal(back.url, sim.url + poPath);
      assert.equal(sim.stats().signIns, 2);
    });
  });

  it('expires the session after a time', async () => {
    await withSimulator({ auth: { mode: 'password', expireAfterMs: 1 } }, async (sim, poPath) => {
      const state = sim.createStorageState();
      const cookie = `_coupa_session=${state.cookies[0]?.value ?? ''}`;
      await new Promise((resolve) => setTimeout(resolve, 5));
      const response = await fetch(sim.url + poPath, { headers: { cookie }, redirect: 'manual' });
      assert.equal(response.status, 302);
    });
  });

  it('redirects signed-out page and file requests to sign-in, and accepts a storage-state cookie', async () => {
    await withSimulator({ auth: { mode: 'sso' } }, async (sim, poPath) => {
      const file = sim.truth.pos[0]?.expectedFiles[0];
      assert.ok(file);
      for (const path of [poPath, file.path, '/user/home']) {
        const response = await fetch(sim.url + path, { redirect: 'manual' });
        assert.equal(response.status, 302, path);
        assert.equal(response.headers.get('location'), `/sessions/new?return_to=${encodeURIComponent(path)}`);
      }
      const state = sim.createStorageState();
      assert.equal(state.cookies[0]?.domain, '127.0.0.1');
      const cookie = `_coupa_session=${state.cookies[0]?.value ?? ''}`;
      const page = await fetch(sim.url + poPath, { headers: { cookie } });
      assert.equal(page.status, 200);
      const bytes = await fetch(sim.url + file.path, { headers: { cookie } });
      assert.equal((await bytes.arrayBuffer()).byteLength, file.sizeBytes);
    });
  });

  it('lets every request in when auth mode is none', async () => {
    await withSimulator({}, async (sim, poPath) => {
      assert.equal((await fetch(sim.url + poPath, { redirect: 'manual' })).status, 200);
    });
  });
});
