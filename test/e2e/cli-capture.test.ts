import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, writeSession, type CliRun } from '../support/cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { startSimulator, type Simulator } from '../../src/simulator/index.ts';

/** `coupa-dl capture --po …`: real pages saved to look at or to send, with nothing secret in them. */
describe('coupa-dl capture', () => {
  let sim: Simulator;
  let work: { path: string; remove(): Promise<void> };
  let run: CliRun;
  const out = () => join(work.path, 'pages');

  before(async () => {
    sim = await startSimulator({ pos: 12, seed: 3, auth: { mode: 'sso' } });
    work = await tempDir('coupa-dl-e2e-capture-');
    const session = await writeSession(join(work.path, 'session.json'), sim.createStorageState());
    const [first, second] = sim.truth.pos;
    run = await runCli(['capture', '--po', first?.poNumber ?? '', second?.poNumber ?? '', 'PO12', '--base-url', sim.url, '--storage-state', session, '--out', out()], { cwd: work.path, env: { HOME: work.path, XDG_CONFIG_HOME: join(work.path, 'config') } });
  });
  after(async () => {
    await sim?.close();
    await work?.remove();
  });

  it('saves each valid PO page as shown and as sent, with a screenshot, and says the invalid number was skipped (exit 1)', async () => {
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stderr, /Skipped PO12: /);
    for (const po of sim.truth.pos.slice(0, 2)) {
      const folder = join(out(), po.poNumber);
      assert.match(run.stdout, new RegExp(`${po.poNumber}: saved in .*${po.poNumber}`));
      for (const name of ['page.html', 'server.html', 'screenshot.jpg', 'meta.json']) assert.ok(existsSync(join(folder, name)), `${po.poNumber}/${name}`);
      const meta = JSON.parse(await readFile(join(folder, 'meta.json'), 'utf8')) as Record<string, unknown>;
      assert.equal(meta['poNumber'], po.poNumber);
      assert.equal(meta['poId'], po.id);
      const page = await readFile(join(folder, 'page.html'), 'utf8');
      assert.match(page, new RegExp(`Purchase Order #PO${po.id}`));
    }
    assert.match(run.stdout, /look at them before you send them/);
  });

  it('leaves no inline script, hidden form value or session cookie in the saved page', async () => {
    const folder = join(out(), sim.truth.pos[0]?.poNumber ?? '');
    const page = await readFile(join(folder, 'page.html'), 'utf8');
    assert.doesNotMatch(page, /<input[^>]*type="hidden"[^>]*value="[^"]+"/);
    assert.doesNotMatch(page, /<script>(?!\/\* inline script removed)/);
    const cookie = (sim.createStorageState() as { cookies: { value: string }[] }).cookies[0]?.value ?? 'no cookie';
    for (const name of ['page.html', 'server.html', 'meta.json']) assert.ok(!(await readFile(join(folder, name), 'utf8')).includes(cookie), name);
  });
});
