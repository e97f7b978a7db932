import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, writeSession, writeSheet, type CliRun } from '../support/cli.ts';
import { makePrivateCa, trustInNss, TRUST_VARIABLES, type PrivateCa } from '../support/private-ca.ts';
import { tempDir } from '../support/temp-dir.ts';
import { checkRun, type ExpectedRow } from '../support/truth-check.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';

/**
 * A Coupa behind TLS inspection: the simulator serves HTTPS with a certificate from a private
 * authority. Node trusts it only the ways users have (the system store through SSL_CERT_FILE,
 * or NODE_EXTRA_CA_CERTS); Chromium only through its NSS database in the user's home.
 */
describe('coupa-dl run against a Coupa whose certificate comes from a private authority', () => {
  let ca: PrivateCa;
  let sim: Simulator;
  let work: { path: string; remove(): Promise<void> };
  let trustingHome: string;
  let common: string[] = [];
  let expected: ExpectedRow[] = [];

  before(async () => {
    work = await tempDir('coupa-dl-e2e-tls-');
    ca = await makePrivateCa(join(work.path, 'ca'));
    sim = await startSimulator({ pos: 5, seed: 21, heavyPages: false, tls: { key: ca.key, cert: ca.cert } });
    trustingHome = join(work.path, 'home-trusting');
    await trustInNss(trustingHome, ca);
    const sheet = await writeSheet(join(work.path, 'pos.csv'), sim.truth.pos.map((po) => po.poNumber));
    const session = await writeSession(join(work.path, 'session.json'), sim.createStorageState());
    common = ['--input', sheet, '--base-url', sim.url, '--storage-state', session, '--workers', '2'];
    expected = sim.truth.pos.map((po) => ({ poNumber: po.poNumber, status: po.expectedStatus, truth: po }));
  });
  after(async () => {
    await sim?.close();
    await work?.remove();
  });

  const run = (out: string, home: string, trust: Record<string, string>): Promise<CliRun> =>
    runCli(['run', ...common, '--out', out], { cwd: work.path, env: { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), ...trust }, unset: TRUST_VARIABLES });

  async function runNotes(out: string): Promise<string[]> {
    const logs = join(out, '.coupa-dl', 'logs');
    const notes: string[] = [];
    for (const name of await readdir(logs)) {
      for (const line of (await readFile(join(logs, name), 'utf8')).split('\n').filter(Boolean)) {
        const record = JSON.parse(line) as { event?: string; message?: string };
        if (record.event === 'run-note') notes.push(record.message ?? '');
      }
    }
    return notes;
  }

  it('downloads every file from Node when the authority is in the system store (SSL_CERT_FILE)', async () => {
    const out = join(work.path, 'system-store');
    const result = await run(out, trustingHome, { SSL_CERT_FILE: ca.caFile });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.deepEqual(await checkRun({ outDir: out, baseUrl: sim.url, extraColumns: [], rows: expected }), []);
    assert.deepEqual(await runNotes(out), [], 'Node reached Coupa itself: no downloads through the browser');
  });

  it('downloads every file from Node when the authority is in NODE_EXTRA_CA_CERTS', async () => {
    const out = join(work.path, 'extra-certs');
    const result = await run(out, trustingHome, { NODE_EXTRA_CA_CERTS: ca.caFile });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.deepEqual(await checkRun({ outDir: out, baseUrl: sim.url, extraColumns: [], rows: expected }), []);
    assert.deepEqual(await runNotes(out), []);
  });

  it('downloads every file through the browser, and says so once, when only the browser trusts the authority', async () => {
    const out = join(work.path, 'browser-only');
    const result = await run(out, trustingHome, {});
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.deepEqual(await checkRun({ outDir: out, baseUrl: sim.url, extraColumns: [], rows: expected }), []);
    const notes = await runNotes(out);
    assert.equal(notes.length, 1, notes.join('\n'));
    assert.match(notes[0] ?? '', /Node cannot reach .* secure connection .*the browser can: this run downloads its files through the browser/);
    assert.equal(result.stdout.match(/^note: /gm)?.length, 1, result.stdout);
  });

  it('stops before touching the output folder, exit 2, with what to do, when nothing trusts the authority', async () => {
    const out = join(work.path, 'nobody');
    const bareHome = join(work.path, 'home-bare');
    await mkdir(bareHome, { recursive: true });
    const result = await run(out, bareHome, {});
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr, /Error: Cannot reach https:\/\/127\.0\.0\.1:\d+: the secure connection to 127\.0\.0\.1:\d+ failed/);
    assert.match(result.stderr, /net::ERR_CERT_AUTHORITY_INVALID/);
    assert.match(result.stderr, /What to do: .*root certificate installed in the system's certificate store/);
    assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
    assert.equal(existsSync(out), false);
  });
});
