import ExcelJS from 'exceljs';

/**
 * Malformed and hostile inputs for the CLI fuzz test, made here from a seed (nothing checked in).
 * Each case is the files it needs in the working folder and the arguments to run with; `{sheet}`,
 * `{out}`, `{url}`, `{session}` and `{work}` in the arguments are filled in by the test.
 */
export interface FuzzCase {
  readonly name: string;
  readonly files: Readonly<Record<string, string | Uint8Array>>;
  readonly args: readonly string[];
  /** Extra environment (COUPA_* variables). */
  readonly env?: Readonly<Record<string, string>>;
  /** Run through the real CLI (a process) as well as in-process. */
  readonly spawn?: boolean;
  /** What a correct run has: rows in the report. Absent: exit 2 is expected or allowed. */
  readonly reportRows?: number;
}

/** A small deterministic generator (mulberry32): the same cases every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBytes(random: () => number, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => Math.floor(random() * 256));
}

export async function workbook(rows: readonly (readonly (string | number)[])[], sheetName = 'PO_Data'): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet(sheetName);
  for (const row of rows) sheet.addRow([...row]);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

const RUN = ['run', '--input', '{sheet}', '--out', '{out}', '--base-url', '{url}', '--storage-state', '{session}', '--workers', '1'];

function sheetCase(name: string, file: string, bytes: string | Uint8Array, extra: Partial<FuzzCase> = {}): FuzzCase {
  return { name, files: { [file]: bytes }, args: RUN.map((arg) => (arg === '{sheet}' ? file : arg)), ...extra };
}

/** Every case; `pos` are PO numbers the simulator knows. */
export async function fuzzCases(pos: readonly string[]): Promise<FuzzCase[]> {
  const random = seeded(20);
  const [first = 'PO100001', second = 'PO100002'] = pos;
  const cases: FuzzCase[] = [];

  // Random bytes under every name the tool accepts.
  for (let index = 0; index < 12; index += 1) cases.push(sheetCase(`random bytes ${index} (.csv)`, `random-${index}.csv`, randomBytes(random, 64 + Math.floor(random() * 8000)), { spawn: index < 2 }));
  for (let index = 0; index < 6; index += 1) cases.push(sheetCase(`random bytes ${index} (.xlsx)`, `random-${index}.xlsx`, randomBytes(random, 64 + Math.floor(random() * 8000)), { spawn: index === 0 }));
  for (let index = 0; index < 3; index += 1) cases.push(sheetCase(`random bytes ${index} (.txt)`, `random-${index}.txt`, randomBytes(random, 2000)));
  // Random bytes that start like a zip or an OLE file.
  cases.push(sheetCase('zip magic then noise', 'zipnoise.xlsx', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...randomBytes(random, 3000)])));
  cases.push(sheetCase('OLE magic then noise', 'olenoise.xlsx', Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...randomBytes(random, 3000)])));
  cases.push(sheetCase('zip magic in a .csv', 'zip.csv', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...randomBytes(random, 500)])));

  // Truncated workbooks and texts.
  const good = await workbook([['PO_NUMBER', 'NOTE'], [first, 'a'], [second, 'b']]);
  for (const fraction of [0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 0.97, 0.99]) {
    cases.push(sheetCase(`workbook cut at ${Math.round(fraction * 100)} %`, `cut-${fraction}.xlsx`, good.subarray(0, Math.floor(good.length * fraction)), { spawn: fraction === 0.5 }));
  }
  const flipped = Uint8Array.from(good);
  for (let index = 200; index < flipped.length; index += 97) flipped[index] = (flipped[index] ?? 0) ^ 0x5a;
  cases.push(sheetCase('workbook with flipped bytes', 'flipped.xlsx', flipped));
  cases.push(sheetCase('empty .xlsx', 'empty.xlsx', new Uint8Array()));
  cases.push(sheetCase('empty .csv', 'empty.csv', ''));
  cases.push(sheetCase('only a BOM', 'bom.csv', Uint8Array.from([0xef, 0xbb, 0xbf])));
  cases.push(sheetCase('only a header', 'header.csv', 'PO_NUMBER\n'));
  cases.push(sheetCase('UTF-16 cut at an odd byte', 'utf16cut.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`PO_NUMBER\n${first}\n`, 'utf16le')]).subarray(0, 21)));
  cases.push(sheetCase('UTF-8 cut inside a character', 'utf8cut.csv', Buffer.from(`PO_NUMBER,NOTE\n${first},Orçamento 見`).subarray(0, -2), { reportRows: 1 }));

  // Wrong encodings and odd text.
  const text = `PO_NUMBER;NOTE\n${first};Müller Straße 見積書\n${second};naïve\n`;
  cases.push(sheetCase('UTF-16 BE without BOM', 'u16be.csv', Buffer.from(text, 'utf16le').swap16(), { reportRows: 2 }));
  cases.push(sheetCase('UTF-16 LE without BOM', 'u16le.csv', Buffer.from(text, 'utf16le'), { reportRows: 2 }));
  cases.push(sheetCase('UTF-32 LE', 'u32.csv', Buffer.from([...text].flatMap((c) => { const p = c.codePointAt(0) ?? 0; return [p & 255, (p >> 8) & 255, (p >> 16) & 255, 0]; }))));
  cases.push(sheetCase('Latin-1 accents', 'latin1.csv', Buffer.from(`PO_NUMBER,NOTE\n${first},caf\u00e9 cr\u00e8me\n`, 'latin1'), { reportRows: 1 }));
  cases.push(sheetCase('Shift-JIS bytes', 'sjis.csv', Buffer.concat([Buffer.from(`PO_NUMBER,NOTE\n${first},`), Buffer.from([0x8c, 0xa9, 0x90, 0xcf, 0x8f, 0x91, 0x0a])]), { reportRows: 1 }));
  cases.push(sheetCase('UTF-8 and Latin-1 mixed', 'mixedenc.csv', Buffer.concat([Buffer.from(`PO_NUMBER,NOTE\n${first},Orçamento\n`), Buffer.from(`${second},caf\u00e9\n`, 'latin1')]), { reportRows: 2 }));
  cases.push(sheetCase('right-to-left and zero-width characters', 'bidi.csv', `PO_NUMBER,NOTE\n\u200b${first}\u200e,\u202eevil.exe\n`));
  cases.push(sheetCase('CR-only line ends', 'cr.csv', `PO_NUMBER\r${first}\r${second}\r`, { reportRows: 2 }));
  cases.push(sheetCase('NUL between rows', 'nul.csv', `PO_NUMBER\n${first}\n\u0000\u0000\n${second}\n`));
  cases.push(sheetCase('an unclosed quote', 'quote.csv', `PO_NUMBER,NOTE\n${first},"open\n${second},x\n`));
  cases.push(sheetCase('mixed delimiters', 'mixed.csv', `PO_NUMBER;NOTE\n${first};a\n${second},b\n`));
  cases.push(sheetCase('quotes inside cells', 'inch.csv', `PO_NUMBER,NOTE\n${first},12" pipe\n"${second}","say ""hi"""\n`, { reportRows: 2 }));

  // Huge cells.
  cases.push(sheetCase('a 5 MB note cell', 'huge-note.csv', `PO_NUMBER,NOTE\n${first},"${'x'.repeat(5 * 1024 * 1024)}"\n`, { reportRows: 1 }));
  cases.push(sheetCase('a 1 MB PO cell', 'huge-po.csv', `PO_NUMBER\n${'9'.repeat(1024 * 1024)}\n${first}\n`, { reportRows: 2 }));
  cases.push(sheetCase('a 200 KB header', 'huge-header.csv', `${'H'.repeat(200_000)},PO_NUMBER\nx,${first}\n`, { reportRows: 1 }));
  cases.push(sheetCase('10,000 columns', 'wide.csv', `PO_NUMBER,${Array.from({ length: 9_999 }, (_, i) => `C${i}`).join(',')}\n${first}\n`, { reportRows: 1 }));
  cases.push(sheetCase('a 40,000-character cell in a workbook', 'huge-cell.xlsx', await workbook([['PO_NUMBER', 'NOTE'], [first, 'y'.repeat(40_000)]]), { reportRows: 1 }));

  // Formula injection, in the PO column and beside it.
  const formulas = ['=HYPERLINK("http://evil.example","click")', '+cmd|\' /C calc\'!A0', '-2+3+cmd|\' /C calc\'!A0', '@SUM(1+1)*cmd|\' /C calc\'!A0', '=1+1', '\t=1+1', '\r=1+1'];
  formulas.forEach((formula, index) => {
    const quoted = `"${formula.replaceAll('"', '""')}"`;
    cases.push(sheetCase(`formula in the PO column ${index}`, `formula-po-${index}.csv`, `PO_NUMBER,NOTE\n${quoted},x\n${first},y\n`, { reportRows: 2 }));
    cases.push(sheetCase(`formula beside the PO ${index}`, `formula-note-${index}.csv`, `PO_NUMBER,NOTE\n${first},${quoted}\n`, { reportRows: 1, spawn: index === 0 }));
  });
  cases.push(sheetCase('a workbook cell holding a formula', 'formula.xlsx', await (async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('PO_Data');
    sheet.addRow(['PO_NUMBER', 'NOTE']);
    sheet.addRow([first, { formula: 'HYPERLINK("http://evil.example","x")', result: 'x' }]);
    sheet.addRow([{ formula: `"${second}"`, result: second }, 'computed PO']);
    return new Uint8Array(await book.xlsx.writeBuffer());
  })(), { reportRows: 2 }));

  // Odd but valid sheets.
  cases.push(sheetCase('no PO_NUMBER column', 'nocol.csv', `ORDER\n${first}\n`));
  cases.push(sheetCase('two PO_NUMBER columns', 'twocol.csv', `PO_NUMBER,PO_NUMBER\n${first},${second}\n`));
  cases.push(sheetCase('only invalid numbers', 'invalid.csv', 'PO_NUMBER\nPO12\nabc\n-1\n1e9\n', { reportRows: 4 }));
  cases.push(sheetCase('a PO number not in Coupa', 'unknown.csv', 'PO_NUMBER\nPO999999\n', { reportRows: 1 }));
  cases.push(sheetCase('folder levels with path tricks', 'levels.csv', `PO_NUMBER,FOLDER<|>1,FOLDER<|>2\n${first},..,../../etc\n${second},CON,a/b\\c:d\n`, { reportRows: 2 }));
  cases.push(sheetCase('a workbook with no sheet rows', 'blank.xlsx', await workbook([])));
  cases.push(sheetCase('a workbook whose PO_Data sheet is empty but another is not', 'other.xlsx', await (async () => {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('PO_Data');
    book.addWorksheet('Notes').addRow(['PO_NUMBER']);
    return new Uint8Array(await book.xlsx.writeBuffer());
  })()));
  cases.push(sheetCase('numbers as numbers in a workbook', 'numbers.xlsx', await workbook([['PO_NUMBER'], [Number(first.replace(/\D/g, ''))], [1e21], [-5], [0.5]]), { reportRows: 4 }));
  cases.push(sheetCase('a .xls name', 'old.xls', 'PO_NUMBER\n'));
  cases.push(sheetCase('no extension', 'sheet', 'PO_NUMBER\n'));
  cases.push(sheetCase('a .json name', 'sheet.json', '{}'));
  cases.push({ name: 'the sheet is a folder', files: { 'folder.csv/inner.txt': 'x' }, args: RUN.map((arg) => (arg === '{sheet}' ? 'folder.csv' : arg)) });
  cases.push({ name: 'the sheet does not exist', files: {}, args: RUN.map((arg) => (arg === '{sheet}' ? 'missing.csv' : arg)), spawn: true });

  // Bad flags.
  const sheet = { 'ok.csv': `PO_NUMBER\n${first}\n` };
  const withSheet = (args: readonly string[]): readonly string[] => args.map((arg) => (arg === '{sheet}' ? 'ok.csv' : arg));
  /** The run's arguments with `flag` set to `value` (replaced when present), or without its value when `value` is null. */
  const setting = (flag: string, value: string | null): readonly string[] => {
    const args = [...withSheet(RUN)];
    const at = args.indexOf(flag);
    if (value === null) return at >= 0 ? [...args.slice(0, at + 1), ...args.slice(at + 2)] : [...args, flag];
    if (at >= 0) args[at + 1] = value;
    else args.push(flag, value);
    return args;
  };
  const flagCases: [string, readonly string[]][] = [
    ['an unknown option', [...withSheet(RUN), '--frobnicate']],
    ['--workers 0', setting('--workers', '0')],
    ['--workers many', setting('--workers', 'many')],
    ['--workers 1e3', setting('--workers', '1e3')],
    ['--base-url ftp', setting('--base-url', 'ftp://coupa.example')],
    ['--base-url not a URL', setting('--base-url', 'acme coupa')],
    ['--base-url javascript', setting('--base-url', 'javascript:alert(1)')],
    ['--proxy socks', setting('--proxy', 'socks5://127.0.0.1:1080')],
    ['--proxy garbage', setting('--proxy', '::::')],
    ['--po-min-digits 99', setting('--po-min-digits', '99')],
    ['--po-prefixes with digits', setting('--po-prefixes', 'P0,1')],
    ['--navigation-timeout-ms negative', setting('--navigation-timeout-ms', '-5')],
    ['--isolation wrong', setting('--isolation', 'process')],
    ['--download-concurrency huge', setting('--download-concurrency', '100000000000000000000')],
    ['--max-attempts text', setting('--max-attempts', 'NaN')],
    ['--out is a file', setting('--out', 'ok.csv')],
    ['--storage-state missing', setting('--storage-state', 'nowhere.json')],
    ['--storage-state a folder', setting('--storage-state', '.')],
    ['--browser missing', setting('--browser', '/no/such/browser')],
    ['--profile unknown', setting('--profile', 'No Such Profile')],
    ['an option without its value', [...withSheet(RUN), '--out']],
  ];
  for (const [name, args] of flagCases) cases.push({ name: `flag: ${name}`, files: sheet, args, spawn: name === 'an unknown option' || name === '--workers 0' });
  cases.push({ name: 'an unknown command', files: {}, args: ['fetch-everything'], spawn: true });
  cases.push({ name: 'run with no options', files: {}, args: ['run'] });
  cases.push({ name: 'retry of a folder with no run', files: { 'empty-out/.keep': '' }, args: ['retry', '--out', 'empty-out', '--base-url', '{url}', '--storage-state', '{session}'] });
  cases.push({ name: 'report of a folder with no run', files: { 'empty-out2/.keep': '' }, args: ['report', '--out', 'empty-out2'] });

  // Config files and variables.
  const configCases: [string, string | Uint8Array][] = [
    ['not JSON', '{ "workers": 2, '],
    ['a JSON array', '[1, 2, 3]'],
    ['JSON null', 'null'],
    ['wrong types', '{ "workers": "many", "poPrefixes": 5, "baseUrl": 12 }'],
    ['unknown keys', '{ "wrokers": 2, "__proto__": { "polluted": true } }'],
    ['a BOM then JSON', '\uFEFF{ "workers": 1 }'],
    ['binary', Uint8Array.from([0, 1, 2, 255, 254, 0])],
    ['a huge string', `{ "notFoundMarkers": "${'z'.repeat(2_000_000)}" }`],
  ];
  for (const [name, content] of configCases) cases.push({ name: `config file: ${name}`, files: { ...sheet, 'coupa-dl.config.json': content }, args: withSheet(RUN) });
  cases.push({ name: 'variable: COUPA_WORKERS=lots', files: sheet, args: withSheet(RUN).filter((arg, index, all) => arg !== '--workers' && all[index - 1] !== '--workers'), env: { COUPA_WORKERS: 'lots' } });
  cases.push({ name: 'variable: COUPA_BASE_URL not a URL', files: sheet, args: ['run', '--input', 'ok.csv', '--out', '{out}', '--storage-state', '{session}'], env: { COUPA_BASE_URL: 'http//missing-colon' } });

  // Session files.
  const sessionCases: [string, string | Uint8Array][] = [
    ['not JSON', '<html>'],
    ['empty', ''],
    ['JSON without cookies', '{"origins": []}'],
    ['cookies of the wrong shape', '{"cookies": [{"name": 5, "value": null}], "origins": []}'],
    ['a cookie without a domain', '{"cookies": [{"name": "a", "value": "b", "path": "/"}], "origins": []}'],
    ['origins of the wrong shape', '{"cookies": [], "origins": [{"origin": 7, "localStorage": "x"}]}'],
    ['binary', Uint8Array.from([255, 216, 255, 224, 0, 16])],
  ];
  for (const [name, content] of sessionCases) {
    cases.push({ name: `session file: ${name}`, files: { ...sheet, 'bad-session.json': content }, args: withSheet(RUN).map((arg) => (arg === '{session}' ? 'bad-session.json' : arg)), spawn: name === 'not JSON' });
  }

  // A damaged state file in the output folder.
  cases.push({ name: 'a state file that is not SQLite', files: { ...sheet, 'damaged-out/.coupa-dl/state.sqlite': 'this is not a database' }, args: withSheet(RUN).map((arg) => (arg === '{out}' ? 'damaged-out' : arg)) });
  cases.push({ name: 'a state file cut short', files: { ...sheet, 'cut-out/.coupa-dl/state.sqlite': Buffer.concat([Buffer.from('SQLite format 3\u0000'), randomBytes(random, 900)]) }, args: withSheet(RUN).map((arg) => (arg === '{out}' ? 'cut-out' : arg)) });
  return cases;
}
