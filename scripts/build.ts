/**
 * `npm run build`: src/ → dist/coupa-dl.mjs, one ES module with every dependency inside (the
 * packed package has no runtime dependencies), lowered for Node 22.19 (`await using` becomes
 * plain code). Also dist/coupa-dl-standalone.mjs, the same with a start of its own, for the
 * standalone programs (`npm run package`). See docs/architecture.md, "Build and package".
 */
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { build, type Metafile, type Plugin } from 'esbuild';

export const REPO_ROOT = join(import.meta.dirname, '..');
export const DIST = join(REPO_ROOT, 'dist');
export const BUNDLE = join(DIST, 'coupa-dl.mjs');
export const STANDALONE_BUNDLE = join(DIST, 'coupa-dl-standalone.mjs');
/** Loaded by bin/coupa-dl.js before the bundle: it must be in place before node:sqlite loads. */
export const QUIET_WARNINGS = join(DIST, 'quiet-warnings.mjs');
/** The licence of every package inside the bundle: their licences ask that it travels with their code. */
export const THIRD_PARTY_LICENSES = join(DIST, 'THIRD-PARTY-LICENSES.txt');
/** The oldest Node the bundle runs on (bin/coupa-dl.js checks it before loading the bundle). */
export const NODE_TARGET = 'node22.19';

/** One text replacement in a dependency's file, which must match exactly `count` times. */
export interface Patch {
  readonly why: string;
  readonly find: RegExp;
  readonly replace: (match: string) => string;
  readonly count: number;
}

/** Applies the patches; throws (failing the build) when one no longer matches as expected. */
export function applyPatches(file: string, text: string, patches: readonly Patch[]): string {
  let result = text;
  for (const patch of patches) {
    const every = new RegExp(patch.find.source, patch.find.flags.includes('g') ? patch.find.flags : `${patch.find.flags}g`);
    const found = [...result.matchAll(every)].length;
    if (found !== patch.count) {
      throw new Error(
        `The build's patch of ${file} (${patch.why}) matched ${String(found)} time(s), expected ${String(patch.count)}. ` +
          'The dependency changed: read its new code and update the patch in scripts/build.ts.',
      );
    }
    result = result.replace(every, patch.replace);
  }
  return result;
}

/**
 * playwright-core reads its package.json and browsers.json by path as it loads
 * (`require(path.join(packageRoot, "package.json"))`): a bundler cannot follow such a path, and
 * next to the bundle there is no playwright-core folder. Their contents go into the bundle instead.
 */
export async function playwrightPatches(): Promise<Patch[]> {
  const root = join(REPO_ROOT, 'node_modules', 'playwright-core');
  const packageJson = await readFile(join(root, 'package.json'), 'utf8');
  const browsersJson = await readFile(join(root, 'browsers.json'), 'utf8');
  return [
    {
      why: 'its own package.json, read by path',
      find: /require\(import_path\d*\.default\.join\(packageRoot, "package\.json"\)\)/,
      replace: () => `(${packageJson.trim()})`,
      count: 1,
    },
    {
      why: 'its browsers.json, read by path',
      find: /require\(import_path\d*\.default\.join\(packageRoot, "browsers\.json"\)\)/,
      replace: () => `(${browsersJson.trim()})`,
      count: 1,
    },
  ];
}

function patchPlaywright(patches: readonly Patch[], applied: Set<string>): Plugin {
  return {
    name: 'playwright-core-paths',
    setup(build) {
      build.onLoad({ filter: /[\\/]playwright-core[\\/]lib[\\/]coreBundle\.js$/ }, async (args) => {
        applied.add(args.path);
        return { contents: applyPatches(relative(REPO_ROOT, args.path), await readFile(args.path, 'utf8'), patches), loader: 'js' };
      });
    },
  };
}

/**
 * ink loads react-devtools-core only when DEV=true (a developer's tool, not installed): an empty
 * module stands in for it so the bundle builds, and it is never reached.
 */
const stubDevtools: Plugin = {
  name: 'stub-react-devtools',
  setup(build) {
    build.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
    build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default { initialize() {}, connectToDevTools() {} };', loader: 'js' }));
  },
};

// CommonJS dependencies call `require`, and playwright-core uses `__dirname`: an ES module has
// neither, so the bundle defines them first.
const ESM_PRELUDE = [
  "import { createRequire as __coupaCreateRequire } from 'node:module';",
  "import { dirname as __coupaDirname } from 'node:path';",
  "import { fileURLToPath as __coupaFileURLToPath } from 'node:url';",
  'const require = __coupaCreateRequire(import.meta.url);',
  'const __filename = __coupaFileURLToPath(import.meta.url);',
  'const __dirname = __coupaDirname(__filename);',
].join('\n');

export interface BuildResult {
  readonly bundleBytes: number;
  readonly standaloneBytes: number;
  /** Packages inside the bundle. */
  readonly packages: number;
}

async function bundle(entry: string, outfile: string, plugins: Plugin[], prelude = ESM_PRELUDE): Promise<{ bytes: number; metafile: Metafile }> {
  const result = await build({
    entryPoints: [join(REPO_ROOT, entry)],
    outfile,
    // The metafile's input paths are relative to this: the licence list reads the packages there.
    absWorkingDir: REPO_ROOT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: NODE_TARGET,
    // React and ink in production mode: smaller, faster, and no react-devtools.
    define: { 'process.env.NODE_ENV': '"production"' },
    banner: { js: prelude },
    plugins,
    // Whitespace and syntax only. Renaming is left out so that stack traces in bug reports stay
    // readable; `keepNames` is left out because its helper, injected into functions we send to
    // the page as text (page-reporter.ts, page-read.ts, page-copy.ts, line-pages.ts, floating-bar.ts, and the simulator's comments-app.ts), breaks them there.
    minifyWhitespace: true,
    minifySyntax: true,
    keepNames: false,
    legalComments: 'eof',
    logLevel: 'warning',
    metafile: true,
  });
  if (result.errors.length > 0) throw new Error(`esbuild failed for ${entry}.`);
  return { bytes: (await readFile(outfile)).byteLength, metafile: result.metafile };
}

/** `node_modules/a/node_modules/@s/b/lib/x.js` → `node_modules/a/node_modules/@s/b`. */
function packageFolder(input: string): string | null {
  const parts = input.split('/');
  const last = parts.lastIndexOf('node_modules');
  if (last < 0 || last + 1 >= parts.length) return null;
  return parts.slice(0, last + ((parts[last + 1] ?? '').startsWith('@') ? 3 : 2)).join('/');
}

async function licenceText(folder: string): Promise<string | null> {
  const names = await readdir(folder);
  const files = names.filter((name) => /^(licen[cs]e|copying|notice|thirdpartynotices)(\.(md|txt|markdown))?$/i.test(name) || /^licen[cs]e[-.]/i.test(name)).sort();
  if (files.length === 0) return null;
  const texts = await Promise.all(files.map(async (name) => (await readFile(join(folder, name), 'utf8')).trim()));
  return texts.join('\n\n');
}

async function writeThirdPartyLicences(metafile: Metafile): Promise<number> {
  const folders = [...new Set(Object.keys(metafile.inputs).map(packageFolder).filter((folder): folder is string => folder !== null))];
  const entries = new Map<string, string>();
  for (const folder of folders) {
    const manifest = JSON.parse(await readFile(join(REPO_ROOT, folder, 'package.json'), 'utf8')) as { name?: string; version?: string; license?: string };
    const id = `${manifest.name ?? folder}@${manifest.version ?? '?'}`;
    if (entries.has(id)) continue;
    const text = await licenceText(join(REPO_ROOT, folder));
    entries.set(id, `${id} (${manifest.license ?? 'see the package'})\n\n${text ?? `No licence file in the package; its package.json says: ${manifest.license ?? 'nothing'}.`}`);
  }
  const sorted = [...entries.keys()].sort((a, b) => a.localeCompare(b));
  const rule = `\n\n${'-'.repeat(78)}\n\n`;
  await writeFile(THIRD_PARTY_LICENSES, `coupa-dl bundles these packages (npm run build). Their licences follow.\n\n${sorted.join('\n')}${rule}${sorted.map((id) => entries.get(id)).join(rule)}\n`);
  return sorted.length;
}

export async function buildAll(): Promise<BuildResult> {
  await rm(DIST, { recursive: true, force: true });
  await mkdir(DIST, { recursive: true });
  const patches = await playwrightPatches();
  const applied = new Set<string>();
  const plugins = [patchPlaywright(patches, applied), stubDevtools];
  const main = await bundle('src/cli/main.ts', BUNDLE, plugins);
  if (applied.size !== 1) throw new Error(`Expected to patch playwright-core's coreBundle.js once, patched ${String(applied.size)} file(s): did playwright-core move its code?`);
  const standalone = await bundle('src/cli/standalone.ts', STANDALONE_BUNDLE, plugins);
  await bundle('src/cli/quiet-warnings.ts', QUIET_WARNINGS, [], '');
  const packages = await writeThirdPartyLicences(main.metafile);
  return { bundleBytes: main.bytes, standaloneBytes: standalone.bytes, packages };
}

if (import.meta.main) {
  const started = performance.now();
  const { bundleBytes, standaloneBytes, packages } = await buildAll();
  const mb = (bytes: number): string => (bytes / 1_000_000).toFixed(1);
  console.log(
    `Built ${relative(REPO_ROOT, BUNDLE)} (${mb(bundleBytes)} MB, ${String(packages)} packages inside) and ` +
      `${relative(REPO_ROOT, STANDALONE_BUNDLE)} (${mb(standaloneBytes)} MB) in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
  );
}
