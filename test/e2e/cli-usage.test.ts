import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/** Mistakes in the command line, the environment or the config file: exit 2, and a message that says what to fix. */
describe('coupa-dl usage errors', () => {
  let work: { path: string; remove(): Promise<void> };
  const env = (extra: Record<string, string> = {}): Record<string, string> => ({ XDG_CONFIG_HOME: join(work.path, 'config'), HOME: work.path, ...extra });
  const cli = (args: readonly string[], extra: Record<string, string> = {}, cwd = work.path) => runCli(args, { cwd, env: env(extra), timeoutMs: 120_000 });

  before(async () => {
    work = await tempDir('coupa-dl-e2e-usage-');
    await writeFile(join(work.path, 'pos.csv'), 'PO_NUMBER\nPO100001\n');
  });
  after(() => work.remove());

  it('names the flag, what it expects and the value given when a value is bad', async () => {
    const { code, stderr } = await cli(['run', '--input', 'pos.csv', '--out', 'out', '--base-url', 'https://acme.coupahost.com', '--workers', '0']);
    assert.equal(code, 2);
    assert.match(stderr, /Expected `--workers` to be an integer from 1 to 16 \(to 32 with --source api\), or auto, got `0`\./);
  });

  it('reports several bad values at once, from flags and COUPA_* variables', async () => {
    const { code, stderr } = await cli(['run', '--input', 'pos.csv', '--out', 'out', '--base-url', 'acme', '--max-attempts', '11'], { COUPA_ISOLATION: 'tabs' });
    assert.equal(code, 2);
    assert.match(stderr, /Expected `--base-url` to be an address like https:\/\/acme\.coupahost\.com, got `acme`\./);
    assert.match(stderr, /Expected `--max-attempts` to be an integer from 1 to 10, got `11`\./);
    assert.match(stderr, /Expected `COUPA_ISOLATION` to be browser or context, got `tabs`\./);
  });

  it('names each missing setting with its flag and its environment variable', async () => {
    const { code, stderr, stdout } = await cli(['run']);
    assert.equal(code, 2);
    assert.match(stderr, /Missing --input: .*\(or set COUPA_INPUT\)/);
    assert.match(stderr, /Missing --out: .*\(or set COUPA_OUT\)/);
    assert.match(stderr, /Missing --base-url: .*\(or set COUPA_BASE_URL\)/);
    assert.match(stderr, /coupa-dl run --input pos\.xlsx/);
    assert.equal(stdout, '');
  });

  it('takes missing settings from COUPA_* variables', async () => {
    const { code, stderr } = await cli(['run', '--out', 'out'], { COUPA_INPUT: 'pos.csv' });
    assert.equal(code, 2);
    assert.doesNotMatch(stderr, /Missing --input/);
    assert.match(stderr, /Missing --base-url/);
  });

  it('names a bad value in the config file of the working folder', async () => {
    const folder = join(work.path, 'with-config');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'coupa-dl.config.json'), JSON.stringify({ workers: 'many', colour: 'blue' }));
    const { code, stderr } = await cli(['run', '--input', '../pos.csv', '--out', 'out', '--base-url', 'https://acme.coupahost.com'], {}, folder);
    assert.equal(code, 2);
    assert.match(stderr, /Expected `workers in .*coupa-dl\.config\.json` to be an integer from 1 to 16 \(to 32 with --source api\), or auto, got `many`\./);
    assert.match(stderr, /Unknown setting `colour`/);
  });

  it('names a config file that is not JSON', async () => {
    const folder = join(work.path, 'broken-config');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'coupa-dl.config.json'), '{ workers: 2 }');
    const { code, stderr } = await cli(['doctor'], {}, folder);
    assert.equal(code, 2);
    assert.match(stderr, /coupa-dl\.config\.json is not valid JSON/);
  });

  it('asks for the output folder of `retry`, naming COUPA_OUT', async () => {
    const { code, stderr } = await cli(['retry']);
    assert.equal(code, 2);
    assert.match(stderr, /Missing --out: .*\(or set COUPA_OUT\)/);
    assert.match(stderr, /coupa-dl retry --out/);
  });

  it('says so when `retry` is pointed at a folder without an earlier run', async () => {
    const { code, stderr } = await cli(['retry', '--out', work.path]);
    assert.equal(code, 2);
    assert.match(stderr, /holds no coupa-dl run/);
    assert.match(stderr, /What to do: /);
  });

  it('does not offer --input or --fresh on `retry`', async () => {
    const { code, stderr } = await cli(['retry', '--out', work.path, '--input', 'pos.csv']);
    assert.equal(code, 2);
    assert.match(stderr, /unknown option '--input'/);
  });

  it('prints the help and exits 2 when run alone without a terminal', async () => {
    const { code, stderr } = await cli([]);
    assert.equal(code, 2);
    assert.match(stderr, /Usage: coupa-dl/);
    assert.match(stderr, /Exit codes:/);
  });

  it('suggests the command meant when it is misspelt', async () => {
    const { code, stderr } = await cli(['retyr']);
    assert.equal(code, 2);
    assert.match(stderr, /Did you mean retry\?/);
  });
});
