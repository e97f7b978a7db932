import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { recogniseCoupa, type HostAnswer } from '../../../src/coupa/coupa-host.ts';
import { browserProxy, chooseProxy, describeProxy } from '../../../src/net/proxy-choice.ts';
import { trustedCertificates } from '../../../src/net/trust-store.ts';

describe('which proxy Node uses', () => {
  it('takes --proxy over the variables for both schemes, keeping NO_PROXY', () => {
    const choice = chooseProxy('http://proxy.corp:8080', { HTTPS_PROXY: 'http://other:1', NO_PROXY: 'intranet.corp' });
    assert.deepEqual(choice, { httpProxy: 'http://proxy.corp:8080', httpsProxy: 'http://proxy.corp:8080', noProxy: 'intranet.corp,localhost,127.0.0.1,::1', source: 'setting' });
  });

  it('reads lower-case variables first, and HTTP_PROXY for https when HTTPS_PROXY is not set', () => {
    assert.deepEqual(chooseProxy(undefined, { http_proxy: 'http://low:1', HTTP_PROXY: 'http://up:2' }), { httpProxy: 'http://low:1', httpsProxy: 'http://low:1', noProxy: 'localhost,127.0.0.1,::1', source: 'environment' });
    assert.equal(chooseProxy(undefined, { HTTPS_PROXY: 'http://s:3', HTTP_PROXY: 'http://p:4' }).httpsProxy, 'http://s:3');
  });

  it('goes direct with neither', () => {
    assert.equal(chooseProxy(undefined, {}).source, 'none');
    assert.equal(describeProxy(chooseProxy(undefined, {})), 'no proxy (direct connections)');
  });

  it('gives the browser only --proxy, with NO_PROXY as bypass rules and the credentials apart', () => {
    assert.equal(browserProxy(chooseProxy(undefined, { HTTPS_PROXY: 'http://p:1' })), null);
    assert.deepEqual(browserProxy(chooseProxy('http://me:s%40cret@proxy.corp:8080', { NO_PROXY: 'intranet.corp,.local,10.0.0.1' })), {
      server: 'http://proxy.corp:8080',
      bypass: 'intranet.corp,*.intranet.corp,*.local,10.0.0.1,localhost,*.localhost,127.0.0.1,[::1],<-loopback>',
      username: 'me',
      password: 's@cret',
    });
  });

  it('never sends this computer\'s own addresses to a proxy (demo against its simulator on a laptop with HTTPS_PROXY set)', () => {
    assert.equal(chooseProxy(undefined, { HTTPS_PROXY: 'http://p:1' }).noProxy, 'localhost,127.0.0.1,::1');
    assert.equal(chooseProxy(undefined, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'localhost, .corp' }).noProxy, 'localhost,.corp,127.0.0.1,::1');
    assert.equal(describeProxy(chooseProxy(undefined, { HTTPS_PROXY: 'http://p:1' })), 'proxy http://p:1 from HTTPS_PROXY/HTTP_PROXY');
  });

  it('never shows a proxy password', () => {
    assert.doesNotMatch(describeProxy(chooseProxy('http://me:secret@proxy.corp:8080', {})), /secret/);
  });
});

describe('which authorities Node trusts', () => {
  it("adds the system's store to Node's own list, each certificate once", () => {
    const trusted = trustedCertificates((kind) => (kind === 'default' ? ['A', 'B'] : ['B', 'C', 'C']));
    assert.deepEqual(trusted, { pems: ['A', 'B', 'C'], fromSystem: 1, systemProblem: null });
  });

  it("keeps Node's list when the system's store cannot be read, and says why", () => {
    const trusted = trustedCertificates((kind) => {
      if (kind === 'system') throw new Error('keychain locked');
      return ['A'];
    });
    assert.deepEqual(trusted, { pems: ['A'], fromSystem: 0, systemProblem: 'keychain locked' });
  });
});

describe('whether an address answers like Coupa', () => {
  const answer = (over: Partial<HostAnswer>): HostAnswer => ({ url: 'https://x.example/', status: 200, location: null, cookieNames: [], body: '', ...over });

  it('knows Coupa by its session cookie, its sign-in redirect, its sign-in form or its name', () => {
    assert.equal(recogniseCoupa([answer({ status: 302, cookieNames: ['_coupa_session'] })]).coupa, true);
    assert.equal(recogniseCoupa([answer({ status: 302, location: 'https://x.example/sessions/new' })]).coupa, true);
    assert.equal(recogniseCoupa([answer({ status: 302, location: 'https://sso-prd1.coupahost.com/saml' })]).coupa, true);
    assert.equal(recogniseCoupa([answer({ body: '<form id="login_form"><input name="user[login]">' })]).coupa, true);
    assert.equal(recogniseCoupa([answer({ body: '<title>ACME Procurement</title><link href="/assets/coupa-theme.css">' })]).coupa, true);
  });

  it('says what answered instead: a status and a title', () => {
    assert.deepEqual(recogniseCoupa([answer({ status: 403, body: '<html><title>Blocked by  policy</title></html>' })]), { coupa: false, shown: 'HTTP 403 "Blocked by policy" at https://x.example/' });
  });
});
