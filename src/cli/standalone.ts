/**
 * The start of the standalone programs (`npm run package`: a Node.js single executable
 * application), in place of bin/coupa-dl.js: there is no launcher script in front of them, and
 * the program's own file name is what the user types.
 */
import { basename } from 'node:path';
import { main } from './main.ts';
import { quietWarnings } from './quiet-warnings.ts';

quietWarnings(process);
// `coupa-dl-win-x64.exe` is typed as `coupa-dl-win-x64`; a user who renamed it gets the new name.
const commandName = basename(process.execPath).replace(/\.exe$/i, '');
await main({ commandName, argv: process.argv });
