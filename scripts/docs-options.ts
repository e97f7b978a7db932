// Writes the option table of docs/user-guide.md from the settings table (src/job/settings.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { withOptionTable } from '../src/cli/option-table.ts';

const guide = new URL('../docs/user-guide.md', import.meta.url);
writeFileSync(guide, withOptionTable(readFileSync(guide, 'utf8')));
