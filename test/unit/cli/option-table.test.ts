import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { optionTableMarkdown, withOptionTable } from '../../../src/cli/option-table.ts';
import { SETTINGS } from '../../../src/job/settings.ts';

test('the user guide holds the option table generated from the settings table (run `npm run docs:options`)', () => {
  const guide = readFileSync(new URL('../../../docs/user-guide.md', import.meta.url), 'utf8');
  assert.equal(guide, withOptionTable(guide));
});

test('the table has one row per setting with its flag, variable, key and default', () => {
  const table = optionTableMarkdown();
  for (const spec of SETTINGS) assert.match(table, new RegExp(`\\| \`${spec.flag.replaceAll('|', '\\\\\\|').replace(/[.*+?^${}()[\]]/g, '\\$&')}\` \\| \`${spec.env}\` \\| \`${spec.key}\``));
  assert.match(table, /`--navigation-timeout-ms <ms>`.*\| `60000` \(1 min 00 s\) \|/);
  assert.match(table, /`--headed`.*\| off \|/);
  assert.match(table, /`--input <file>`.*\| — \(required\) \|/);
});
