import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_DIR_VARIABLE } from './built-package.ts';

/**
 * `node --test --test-global-setup=…` (the test scripts of package.json): one folder for this test
 * run, handed to every test file through the environment, where the build, the packed tarball and
 * the standalone programs are made once and shared (see built-package.ts); removed at the end.
 */
let runDir: string | undefined;

export async function globalSetup(): Promise<void> {
  runDir = await mkdtemp(join(tmpdir(), 'coupa-dl-test-run-'));
  process.env[RUN_DIR_VARIABLE] = runDir;
}

export async function globalTeardown(): Promise<void> {
  if (runDir !== undefined) await rm(runDir, { recursive: true, force: true, maxRetries: 3 });
}
