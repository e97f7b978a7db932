#!/usr/bin/env -S node --max-semi-space-size=16
// --max-semi-space-size=16 (MB): without it V8 widens its young generation from 64 to 128 MB on a
// machine with lots of RAM once a run gets busy (+80 MB of RSS, for good; measured over 300 POs, no
// CPU cost seen with it). It only works on Node's command line, hence the shebang (npm's Windows
// shims read its arguments too); `npm run demo`/`npm start` and the benchmark pass it the same way.
//
// The launcher of both ways the package runs: in a checkout it runs src/ directly (Node strips
// the types; `npx coupa-dl`), installed from the packed tarball it runs the bundle that
// `npm run build` made (dist/, no src/). Plain JavaScript on purpose: it must parse on any Node
// version to tell the user what to do.
import { existsSync } from 'node:fs';
import module from 'node:module';

const fromSource = existsSync(new URL('../src/cli/main.ts', import.meta.url));
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
// The bundle is lowered for Node 22.19; src/ itself needs 24 (`await using`, type stripping).
const tooOld = fromSource ? major < 24 : major < 22 || (major === 22 && minor < 19);
if (tooOld) {
  console.error(
    fromSource
      ? `coupa-dl from source needs Node.js 24 or newer, but this is Node.js ${process.versions.node}.\n` +
          'Run it through npm from the project folder ("npx coupa-dl …" or "npm run demo"): they use the\n' +
          'Node.js that "npm install" put in node_modules.'
      : `coupa-dl needs Node.js 22.19 or newer, but this is Node.js ${process.versions.node}.\n` +
          'Install Node.js 24 LTS or newer from nodejs.org, or use the standalone program (see the user guide).',
  );
  process.exit(2);
}

// Before anything loads node:sqlite: Node 22 warns about it as it loads (see quiet-warnings.ts).
const { quietWarnings } = fromSource ? await import('../src/cli/quiet-warnings.ts') : await import('../dist/quiet-warnings.mjs');
quietWarnings(process);

// Compiled code is kept on disk (the OS temp folder) and reused by the next start.
module.enableCompileCache?.();

const { main } = fromSource ? await import('../src/cli/main.ts') : await import('../dist/coupa-dl.mjs');
await main({ commandName: fromSource ? 'npx coupa-dl' : 'coupa-dl', argv: process.argv });
