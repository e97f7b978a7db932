import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Every module URL the CLI resolves while it runs `args`. */
function modulesLoadedBy(args: readonly string[]): string[] {
  const hook = `import { registerHooks } from 'node:module';
const seen = new Set();
registerHooks({ resolve(specifier, context, next) { const result = next(specifier, context); seen.add(result.url); return result; } });
process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify([...seen]) + '\\n'));`;
  const run = spawnSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(hook)}`, join(repoRoot, 'bin', 'coupa-dl.js'), ...args], { encoding: 'utf8' });
  const line = run.stderr.split('\n').find((text) => text.startsWith('LOADED '));
  assert.ok(line !== undefined, run.stderr);
  return JSON.parse(line.slice('LOADED '.length)) as string[];
}

// Every command pays for what its start loads; a run through Coupa's API never needs a browser.
test('starts without loading playwright-core, exceljs or the simulator: they load when a command needs them', () => {
  const loaded = modulesLoadedBy(['--version']);
  assert.ok(loaded.some((url) => url.includes('/src/cli/commands/run.ts')), 'the commands were loaded');
  // The simulator command's --help lists the page styles: those names (two small modules) may load.
  const names = ['/src/simulator/page-style.ts', '/src/simulator/seeded-random.ts'];
  for (const heavy of ['/node_modules/playwright-core/', '/node_modules/exceljs/', '/src/simulator/']) {
    assert.deepEqual(loaded.filter((url) => url.includes(heavy) && !names.some((name) => url.endsWith(name))), [], `${heavy} was loaded at start`);
  }
});
