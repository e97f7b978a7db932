#!/usr/bin/env -S node --max-semi-space-size=16
// --max-semi-space-size=16 (MB): without it V8 widens its young generation from 64 to 128 MB on a
// machine with lots of RAM once a run gets busy (+80 MB of RSS, for good; measured over 300 POs, no
// CPU cost seen with it). It only works on Node's command line, hence the shebang (npm's Windows
// shims read its arguments too); `npm run demo`/`npm start` and the benchmark pass it the same way.
// Plain JavaScript on purpose: it must parse on any Node version to tell the user what to do.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `coupa-dl needs Node.js 24 or newer, but this is Node.js ${process.versions.node}.\n` +
      'Run it through npm from the project folder ("npx coupa-dl …" or "npm run demo"), which uses the\n' +
      'Node.js 24 that "npm install" put in node_modules, or install Node.js 24 LTS from nodejs.org.',
  );
  process.exit(2);
}
await import('../src/cli/main.ts');
