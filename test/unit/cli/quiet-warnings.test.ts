import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { repoRoot } from '../../support/cli.ts';

/** Warnings a fresh Node process prints after `quietWarnings(process)`, on stderr. */
function warningsAfterQuieting(emit: string): string {
  const module = pathToFileURL(join(repoRoot, 'src', 'cli', 'quiet-warnings.ts')).href;
  const script = `const { quietWarnings } = await import(${JSON.stringify(module)}); quietWarnings(process); ${emit}`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  return child.stderr;
}

describe('quietWarnings', () => {
  it("drops Node 22's SQLite ExperimentalWarning and DEP0005, and prints every other warning", () => {
    const stderr = warningsAfterQuieting([
      "process.emitWarning('SQLite is an experimental feature and might change at any time', 'ExperimentalWarning');",
      "process.emitWarning('Buffer() is deprecated due to security and usability issues.', { type: 'DeprecationWarning', code: 'DEP0005' });",
      "process.emitWarning('WASI is an experimental feature', 'ExperimentalWarning');",
      "process.emitWarning('url.parse() behavior is not standardized', { type: 'DeprecationWarning', code: 'DEP0169' });",
      "process.emitWarning('something odd happened');",
    ].join(' '));

    assert.doesNotMatch(stderr, /SQLite|DEP0005/);
    assert.match(stderr, /ExperimentalWarning: WASI is an experimental feature/);
    assert.match(stderr, /\[DEP0169\] DeprecationWarning: url\.parse\(\)/);
    assert.match(stderr, /Warning: something odd happened/);
  });
});
