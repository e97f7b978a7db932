import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, applyPatches, playwrightPatches, type Patch } from '../../../scripts/build.ts';

const PATCH: Patch = { why: 'a file read by path', find: /require\(join\(root, "a\.json"\)\)/, replace: () => '({"a":1})', count: 1 };

/** The build's text patches of dependencies: they apply exactly, or the build stops with a reason. */
describe('build patches', () => {
  it('replaces what the patch finds', () => {
    assert.equal(applyPatches('x.js', 'const a = require(join(root, "a.json"));', [PATCH]), 'const a = ({"a":1});');
  });

  it('fails the build, naming the file and the patch, when the dependency no longer has the text', () => {
    assert.throws(() => applyPatches('node_modules/x/lib/x.js', 'const a = require(path.join(root, "a.json"));', [PATCH]), {
      message: /^The build's patch of node_modules\/x\/lib\/x\.js \(a file read by path\) matched 0 time\(s\), expected 1\. .*update the patch in scripts\/build\.ts\.$/,
    });
  });

  it('fails the build when the text shows up more often than expected', () => {
    const twice = 'require(join(root, "a.json")); require(join(root, "a.json"));';
    assert.throws(() => applyPatches('x.js', twice, [PATCH]), { message: /matched 2 time\(s\), expected 1/ });
  });

  it('matches the installed playwright-core, inlining its package.json and browsers.json', async () => {
    const file = join(REPO_ROOT, 'node_modules', 'playwright-core', 'lib', 'coreBundle.js');
    const patched = applyPatches(file, await readFile(file, 'utf8'), await playwrightPatches());
    const { version } = JSON.parse(await readFile(join(REPO_ROOT, 'node_modules', 'playwright-core', 'package.json'), 'utf8')) as { version: string };
    assert.ok(patched.includes(`"version": "${version}"`));
    assert.ok(patched.includes('"browsers": ['));
    assert.doesNotMatch(patched, /require\(import_path\d*\.default\.join\(packageRoot, "(package|browsers)\.json"\)\)/);
  });
});
