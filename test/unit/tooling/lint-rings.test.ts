import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { repoRoot } from '../../support/cli.ts';

// The import rules are allow-lists (eslint.rings.js): these files, linted as if they were in src/,
// must each fail with the rule that forbids them — and the allowed ones must pass.
const eslint = new ESLint({ cwd: repoRoot });

async function problems(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, path) });
  return (result?.messages ?? []).map((message) => `${message.ruleId ?? 'parse'}: ${message.message}`);
}

const cases: { path: string; code: string; rule: string; says: RegExp }[] = [
  { path: 'src/domain/x.ts', code: "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;", rule: 'rings/allowed-imports', says: /src\/domain must not import Node\.js built-ins/ },
  { path: 'src/domain/x.ts', code: "import { Command } from 'commander';\nexport const x = Command;", rule: 'rings/allowed-imports', says: /package `commander`/ },
  { path: 'src/domain/x.ts', code: "import { runPool } from '../engine/pool.ts';\nexport const x = runPool;", rule: 'rings/allowed-imports', says: /src\/domain must not import src\/engine/ },
  { path: 'src/engine/x.ts', code: "import { render } from 'ink';\nexport const x = render;", rule: 'rings/allowed-imports', says: /package `ink`/ },
  { path: 'src/engine/x.ts', code: "import { chromium } from 'playwright-core';\nexport const x = chromium;", rule: 'rings/allowed-imports', says: /package `playwright-core`/ },
  { path: 'src/engine/x.ts', code: "import { PO_STATUSES } from '../domain/status.ts';\nexport const x = PO_STATUSES;", rule: 'rings/allowed-imports', says: /src\/engine must not import src\/domain/ },
  { path: 'src/engine/x.ts', code: "import fs from 'fs';\nexport const x = fs;", rule: 'rings/allowed-imports', says: /written `node:fs`/ },
  { path: 'src/ui/x.ts', code: "import { chromium } from 'playwright-core';\nexport const x = chromium;", rule: 'rings/allowed-imports', says: /package `playwright-core`/ },
  { path: 'src/job/x.ts', code: "export const x = () => import('../cli/main.ts');", rule: 'rings/allowed-imports', says: /src\/job must not import src\/cli/ },
  { path: 'src/job/x.ts', code: "export { startSimulator } from '../simulator/index.ts';", rule: 'rings/allowed-imports', says: /src\/job must not import src\/simulator/ },
  { path: 'src/coupa/x.ts', code: "import type { EngineEvent } from '../engine/events.ts';\nexport type X = EngineEvent;", rule: 'rings/allowed-imports', says: /src\/coupa must not import src\/engine/ },
  { path: 'src/simulator/x.ts', code: "import { CoupaDlError } from '../domain/errors.ts';\nexport const x = CoupaDlError;", rule: 'rings/allowed-imports', says: /src\/simulator must not import src\/domain/ },
  { path: 'src/newring/x.ts', code: "export const x = 1;\nimport './y.ts';", rule: 'rings/allowed-imports', says: /src\/newring is not in the ring table/ },
  { path: 'src/io/x.ts', code: "export const x = () => import('../../package.json');", rule: 'rings/allowed-imports', says: /outside src\// },
  { path: 'src/job/x.ts', code: 'export const x = process.env;', rule: 'no-restricted-syntax', says: /Only src\/cli\/main\.ts/ },
  { path: 'src/job/x.ts', code: "export const x = () => process.stderr.write('x');", rule: 'no-restricted-syntax', says: /standard streams/ },
  { path: 'src/cli/commands/x.ts', code: 'export const x = () => { process.exitCode = 2; };', rule: 'no-restricted-syntax', says: /exit code/ },
  { path: 'src/simulator/x.ts', code: "export const x = () => console.log('x');", rule: 'no-restricted-syntax', says: /writes to the console/ },
  { path: 'src/simulator/cli.ts', code: 'export const x = process.argv;', rule: 'no-restricted-syntax', says: /Only src\/cli\/main\.ts/ },
];

for (const { path, code, rule, says } of cases) {
  test(`fails lint: ${path} with ${JSON.stringify(code.split('\n').at(-1))}`, async () => {
    const found = await problems(path, code);
    assert.ok(found.some((problem) => problem.startsWith(`${rule}:`) && says.test(problem)), `expected ${rule} ${says}, got:\n${found.join('\n')}`);
  });
}

test('passes lint: what each ring is allowed to import, and the entry point reading the process', async () => {
  const allowed: [string, string][] = [
    ['src/state/x.ts', "import { join } from 'node:path';\nimport { PO_STATUSES } from '../domain/status.ts';\nexport const x = [join, PO_STATUSES];"],
    ['src/ui/x.ts', "import { render } from 'ink';\nimport type { EngineEvent } from '../engine/events.ts';\nexport const x = render;\nexport type X = EngineEvent;"],
    ['src/io/x.ts', "import { parse } from 'csv-parse/sync';\nexport const x = parse;"],
    ['src/job/x.ts', "import { processPo } from '../coupa/process-po.ts';\nimport { StateStore } from '../state/state-store.ts';\nexport const x = [processPo, StateStore];"],
    ['src/cli/main.ts', 'export const x = [process.argv, process.env];\nprocess.exitCode = 0;'],
  ];
  for (const [path, code] of allowed) assert.deepEqual(await problems(path, code), [], path);
});
