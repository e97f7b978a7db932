#!/usr/bin/env node
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
