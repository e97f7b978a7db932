import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, writeSession, writeSheet, type CliRun } from '../support/cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';

/** What happened and what to do, exit 2, and never a stack trace or "Unexpected error". */
function assertPlainMistake(run: CliRun, what: RegExp): void {
  const output = run.stdout + run.stderr;
  assert.equal(run.code, 2, output);
  assert.match(run.stderr, /^Error: /m, output);
  assert.match(run.stderr, what, output);
  assert.match(run.stderr, /^What to do: \S/m, output);
  assert.doesNotMatch(output, /^\s+at \S/m, 'a stack trace');
  assert.doesNotMatch(output, /Unexpected error|a bug, please report/i);
}

/** The mistakes a new user makes first, each through the CLI as they would type it. */
describe('coupa-dl run on a first try with a plain mistake', () => {
  let sim: Simulator;
  let work: { path: string; remove(): Promise<void> };
  let notCoupa: Server;
  let notCoupaUrl = '';
  let sheet = '';
  let session = '';

  before(async () => {
    sim = await startSimulator({ pos: 2, seed: 4, heavyPages: false });
    work = await tempDir('coupa-dl-e2e-first-');
    sheet = await writeSheet(join(work.path, 'pos.csv'), sim.truth.pos.map((po) => po.poNumber));
    session = await writeSession(join(work.path, 'session.json'), sim.createStorageState());
    notCoupa = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><title>Team wiki</title></head><body>Welcome</body></html>'));
    await new Promise<void>((resolve) => notCoupa.listen(0, '127.0.0.1', resolve));
    notCoupaUrl = `http://127.0.0.1:${(notCoupa.address() as AddressInfo).port}`;
  });
  after(async () => {
    notCoupa?.close();
    await sim?.close();
    await work?.remove();
  });

  const run = (args: readonly string[]): Promise<CliRun> => runCli(['run', ...args], { cwd: work.path, env: { HOME: work.path, XDG_CONFIG_HOME: join(work.path, 'config') } });
  const out = (name: string): string => join(work.path, `out-${name}`);

  it('says a mistyped address is not known, before touching the output folder', async () => {
    const result = await run(['--input', sheet, '--out', out('dns'), '--base-url', 'https://acme-typo.invalid']);
    assertPlainMistake(result, /Cannot reach https:\/\/acme-typo\.invalid: the name acme-typo\.invalid is not known to this computer/);
    assert.match(result.stderr, /What to do: Check --base-url for typos/);
    assert.equal(existsSync(out('dns')), false);
  });

  it('says nothing answers at an address that refuses connections', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    assertPlainMistake(await run(['--input', sheet, '--out', out('refused'), '--base-url', `http://127.0.0.1:${port}`]), /the connection was refused .*net::ERR_CONNECTION_REFUSED/);
    assert.equal(existsSync(out('refused')), false);
  });

  it('says an address that answers but is not Coupa does not look like Coupa, with what it showed', async () => {
    assertPlainMistake(await run(['--input', sheet, '--out', out('wiki'), '--base-url', notCoupaUrl]), /does not look like Coupa \(it showed HTTP 200 "Team wiki"/);
    assert.equal(existsSync(out('wiki')), false);
  });

  const sheetCases: [string, string | Buffer, RegExp][] = [
    ['quote.csv', 'PO_NUMBER\nPO100001\n"PO100002\nPO100003\n', /Line 3 of quote\.csv opens a quote/],
    ['mixed.csv', 'PO_NUMBER;NOTE\nPO100001;a\nPO100002,b\n', /mixes delimiters/],
    ['stray.csv', Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 131 + 7) % 256)), /does not look like a text file/],
    ['locked.xlsx', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(1024)]), /password-protected/],
    ['damaged.xlsx', Buffer.concat([Buffer.from('PK\u0003\u0004\u0014\u0000'), Buffer.alloc(300, 1)]), /Could not read damaged\.xlsx as an Excel workbook/],
  ];
  for (const [name, bytes, message] of sheetCases) {
    it(`says what is wrong with ${name} and how to save it again`, async () => {
      const file = join(work.path, name);
      await writeFile(file, bytes);
      assertPlainMistake(await run(['--input', file, '--out', out(name), '--base-url', sim.url, '--storage-state', session]), message);
      assert.equal(existsSync(out(name)), false);
    });
  }

  it('says a session file that is not JSON is not a session file', async () => {
    const bad = join(work.path, 'not-json.json');
    await writeFile(bad, '<html>this was saved from a browser</html>');
    assertPlainMistake(await run(['--input', sheet, '--out', out('session'), '--base-url', sim.url, '--storage-state', bad]), /The session file .*not-json\.json is damaged or is not a session file \(it is not JSON\)/);
    assert.equal(existsSync(out('session')), false);
  });

  it('says an output folder on a read-only disk is read-only', async (t) => {
    const disk = join(work.path, 'read-only-disk');
    await mkdir(disk);
    // A read-only mount: root ignores chmod, not this. Needs the right to mount (root here and in CI).
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', disk], { stdio: 'pipe' });
    } catch (error) {
      t.skip(`cannot mount a read-only disk here (${String(error).split('\n')[0]})`);
      return;
    }
    try {
      assertPlainMistake(await run(['--input', sheet, '--out', join(disk, 'audit'), '--base-url', sim.url, '--storage-state', session]), /The output folder .*audit is on a read-only disk/);
    } finally {
      execFileSync('umount', [disk]);
    }
  });
});
