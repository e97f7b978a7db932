import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { networkProblem, type NetworkProblemKind } from '../../src/net/network-problem.ts';
import { openNodeHttp } from '../../src/net/node-http.ts';
import { chooseProxy } from '../../src/net/proxy-choice.ts';
import { startForwardProxy, type ForwardProxy } from '../support/forward-proxy.ts';
import { makePrivateCa, type PrivateCa } from '../support/private-ca.ts';
import { tempDir } from '../support/temp-dir.ts';

function listen(server: Server, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve) => server.listen(0, host, () => resolve(String((server.address() as AddressInfo).port))));
}

/** Node's own client against real servers: what it trusts, where it goes, and how its failures are sorted. */
describe("Node's HTTP client", () => {
  let ca: PrivateCa;
  let work: { path: string; remove(): Promise<void> };
  let https: Server;
  let httpsUrl = '';
  let refusingProxy: Server;
  let refusingProxyUrl = '';
  let proxy: ForwardProxy;

  before(async () => {
    work = await tempDir('coupa-dl-node-http-');
    ca = await makePrivateCa(work.path);
    https = createHttpsServer({ key: ca.key, cert: ca.cert }, (_req, res) => res.end('inside'));
    // 127.0.0.2: this computer's usual names and address never go through a proxy.
    httpsUrl = `https://127.0.0.2:${await listen(https, '127.0.0.2')}/`;
    // A proxy that wants credentials for every tunnel.
    refusingProxy = createHttpServer();
    refusingProxy.on('connect', (_req, socket) => socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="corp"\r\n\r\n'));
    refusingProxyUrl = `http://127.0.0.1:${await listen(refusingProxy)}`;
    proxy = await startForwardProxy();
  });
  after(async () => {
    https?.close();
    refusingProxy?.close();
    await proxy?.close();
    await work?.remove();
  });

  async function failure(fetchUrl: string, options: { proxy?: string; trust?: string[] } = {}): Promise<NetworkProblemKind | 'answered'> {
    await using http = openNodeHttp({ proxy: chooseProxy(options.proxy, {}), ...(options.trust ? { certificates: () => ({ pems: options.trust ?? [], fromSystem: 0, systemProblem: null }) } : {}) });
    try {
      const response = await http.fetch(fetchUrl, { signal: AbortSignal.timeout(10_000) });
      await response.text();
      return 'answered';
    } catch (error) {
      return networkProblem(error)?.kind ?? 'other';
    }
  }

  it('trusts an authority it is given, and refuses the server without it', async () => {
    assert.equal(await failure(httpsUrl, { trust: [ca.caPem] }), 'answered');
    assert.equal(await failure(httpsUrl, { trust: [] }), 'tls');
  });

  it('sorts a refused connection and an unknown name', async () => {
    const closed = createHttpServer();
    const port = await listen(closed);
    closed.close();
    assert.equal(await failure(`http://127.0.0.1:${port}/`), 'refused');
    assert.equal(await failure('http://coupa-dl-test.invalid/'), 'dns');
  });

  it('tunnels through a proxy and names a proxy that refuses', async () => {
    proxy.log.length = 0;
    assert.equal(await failure(httpsUrl, { proxy: proxy.url, trust: [ca.caPem] }), 'answered');
    assert.deepEqual(proxy.log, [`CONNECT ${new URL(httpsUrl).host}`]);
    assert.equal(await failure(httpsUrl, { proxy: refusingProxyUrl, trust: [ca.caPem] }), 'proxy');
  });

  it('says which addresses go through the proxy (NO_PROXY: names, subdomains, ports)', () => {
    const http = openNodeHttp({ proxy: chooseProxy('http://proxy:1', { NO_PROXY: 'intranet.corp,.local,10.0.0.1:8443' }) });
    assert.equal(http.usesProxy('https://acme.coupahost.com/x'), true);
    assert.equal(http.usesProxy('https://intranet.corp/'), false);
    assert.equal(http.usesProxy('https://a.intranet.corp/'), false);
    assert.equal(http.usesProxy('https://box.local/'), false);
    assert.equal(http.usesProxy('https://10.0.0.1:8443/'), false);
    assert.equal(http.usesProxy('https://10.0.0.1/'), true);
  });
});
