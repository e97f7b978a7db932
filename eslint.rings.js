// The rings of src/ and what each MAY import: other rings (folders of src/) and outside packages.
// An allow-list, like Playwright's DEPS.list: a new folder, or a package not listed here, fails lint
// until someone decides where it belongs. docs/architecture.md draws the same table.
import { isBuiltin } from 'node:module';
import path from 'node:path';

/** `node:` stands for every Node.js built-in (always written with the `node:` prefix). */
export const RINGS = {
  domain: { rings: [], packages: [] },
  engine: { rings: [], packages: ['node:'] },
  state: { rings: ['domain'], packages: ['node:'] },
  io: { rings: ['domain'], packages: ['node:', 'exceljs', 'csv-parse'] },
  browser: { rings: ['domain'], packages: ['node:', 'playwright-core'] },
  net: { rings: [], packages: ['node:', 'undici'] },
  coupa: { rings: ['domain', 'net'], packages: ['node:', 'playwright-core', 'set-cookie-parser', 'p-limit'] },
  'coupa-api': { rings: ['domain', 'coupa', 'net'], packages: ['node:'] },
  mail: { rings: ['domain'], packages: ['node:', '@kenjiuno/msgreader', '@kenjiuno/decompressrtf', 'rtf-stream-parser', 'iconv-lite', 'postal-mime', 'parse5', 'playwright-core'] },
  simulator: { rings: [], packages: ['node:', 'fflate', 'cfb'] },
  ui: { rings: ['domain', 'engine'], packages: ['node:', 'ink', 'react', 'pino'] },
  job: { rings: ['domain', 'engine', 'state', 'io', 'browser', 'coupa', 'coupa-api', 'mail', 'ui', 'net'], packages: ['node:', 'playwright-core', 'zod'] },
  // The entry point reads the version from package.json (the bundle inlines it).
  cli: { rings: ['domain', 'engine', 'state', 'io', 'browser', 'coupa', 'coupa-api', 'mail', 'ui', 'job', 'simulator', 'net'], packages: ['node:', 'commander'], outside: ['package.json'] },
};

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The ESLint rule: every import of a file in src/<ring>/ must be allowed by RINGS[ring]. */
export const ringImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Each folder of src/ imports only what the ring table allows.' },
    schema: [{ type: 'object' }],
  },
  create(context) {
    const rings = context.options[0] ?? {};
    const srcRoot = path.join(context.cwd, 'src');
    const file = context.filename;
    const fromRing = path.relative(srcRoot, file).split(path.sep)[0];
    const allowed = rings[fromRing];

    const check = (node, source) => {
      if (typeof source !== 'string') return;
      const report = (message) => context.report({ node, message });
      if (allowed === undefined) return report(`src/${fromRing} is not in the ring table (eslint.rings.js): add it with what it may import.`);
      if (source.startsWith('.')) {
        const target = path.relative(srcRoot, path.resolve(path.dirname(file), source));
        const toRing = target.split(path.sep)[0];
        if (toRing === '..' || path.isAbsolute(target)) {
          if ((allowed.outside ?? []).includes(path.relative(context.cwd, path.resolve(path.dirname(file), source)))) return;
          return report(`src/${fromRing} must not import ${source}: it is outside src/.`);
        }
        if (toRing === fromRing || allowed.rings.includes(toRing)) return;
        return report(`src/${fromRing} must not import src/${toRing} (it may import: ${allowed.rings.map((r) => `src/${r}`).join(', ') || 'no other folder'}; see docs/architecture.md).`);
      }
      if (source.startsWith('node:')) {
        if (!allowed.packages.includes('node:')) report(`src/${fromRing} must not import Node.js built-ins (${source}): it stays pure.`);
        return;
      }
      const name = packageName(source);
      if (!allowed.packages.includes(name)) {
        const builtin = isBuiltin(source) ? ` Node.js built-ins are written \`node:${source}\`.` : '';
        report(`src/${fromRing} must not import the package \`${name}\` (it may import: ${allowed.packages.join(', ') || 'no package'}).${builtin}`);
      }
    };
    const literal = (node) => (node?.type === 'Literal' ? node.value : undefined);
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => check(node, literal(node.source)),
      TSImportType: (node) => check(node, literal(node.argument?.literal ?? node.argument)),
    };
  },
};
