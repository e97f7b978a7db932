import { RUN_DIR_VARIABLE } from './built-package.ts';
import { tempDir, type TempDir } from './temp-dir.ts';

/**
 * `node --test --test-global-setup=…` (the test scripts of package.json): one folder for this test
 * run, handed to every test file through the environment, where the build, the packed tarball and
 * the standalone programs are made once and shared (see built-package.ts); removed at the end.
 */
let runDir: TempDir | undefined;

export async function globalSetup(): Promise<void> {
  runDir = await tempDir('coupa-dl-test-run-');
  process.env[RUN_DIR_VARIABLE] = runDir.path;
}

export async function globalTeardown(): Promise<void> {
  await runDir?.remove();
}
