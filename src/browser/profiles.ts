import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CoupaDlError } from '../domain/errors.ts';

export type ProfileBrowser = 'edge' | 'chrome' | 'chromium';

/** A browser's "User Data" folder: it holds `Local State` and one sub-folder per profile. */
export interface ProfileRoot {
  browser: ProfileBrowser;
  path: string;
}

export interface BrowserProfile {
  browser: ProfileBrowser;
  root: string;
  /** Folder name inside the root, what `--profile-directory` takes: `Default`, `Profile 1`, … */
  dir: string;
  /** The name the user sees in the browser's profile menu (falls back to `dir`). */
  name: string;
  /** The browser seems to be running on this root right now (its lock files are present). */
  rootInUse: boolean;
}

/** Where Edge, Chrome and Chromium keep their profiles for this user, Edge first. */
export function profileRoots(platform: NodeJS.Platform, env: Record<string, string | undefined>, homedir: string): ProfileRoot[] {
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA ?? path.win32.join(homedir, 'AppData', 'Local');
    return [
      { browser: 'edge', path: path.win32.join(local, 'Microsoft', 'Edge', 'User Data') },
      { browser: 'chrome', path: path.win32.join(local, 'Google', 'Chrome', 'User Data') },
      { browser: 'chromium', path: path.win32.join(local, 'Chromium', 'User Data') },
    ];
  }
  if (platform === 'darwin') {
    const support = path.posix.join(homedir, 'Library', 'Application Support');
    return [
      { browser: 'edge', path: path.posix.join(support, 'Microsoft Edge') },
      { browser: 'chrome', path: path.posix.join(support, 'Google', 'Chrome') },
      { browser: 'chromium', path: path.posix.join(support, 'Chromium') },
    ];
  }
  const config = env.XDG_CONFIG_HOME ?? path.posix.join(homedir, '.config');
  return [
    { browser: 'edge', path: path.posix.join(config, 'microsoft-edge') },
    { browser: 'chrome', path: path.posix.join(config, 'google-chrome') },
    { browser: 'chromium', path: path.posix.join(config, 'chromium') },
  ];
}

/** Chromium's lock: `SingletonLock` (a symlink, often dangling) on Linux/macOS, `lockfile` on Windows. */
const LOCK_FILES = ['SingletonLock', 'lockfile'];

async function entryExists(p: string): Promise<boolean> {
  return lstat(p).then(() => true, () => false);
}

async function isDirectory(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isDirectory(), () => false);
}

/** `profile.info_cache` of `Local State`: folder name → display name. Unreadable → empty. */
async function displayNames(root: string): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  try {
    const state: unknown = JSON.parse(await readFile(path.join(root, 'Local State'), 'utf8'));
    const cache = (state as { profile?: { info_cache?: Record<string, { name?: unknown }> } }).profile?.info_cache ?? {};
    for (const [dir, info] of Object.entries(cache)) {
      if (typeof info?.name === 'string' && info.name !== '') names.set(dir, info.name);
    }
  } catch {
    // No or damaged Local State: folder names still identify the profiles.
  }
  return names;
}

function profileOrder(dir: string): number {
  if (dir === 'Default') return -1;
  return Number(/^Profile (\d+)$/.exec(dir)?.[1] ?? Number.MAX_SAFE_INTEGER);
}

async function rootProfiles(root: ProfileRoot): Promise<BrowserProfile[]> {
  if (!(await isDirectory(root.path))) return [];
  const names = await displayNames(root.path);
  const entries = await readdir(root.path).catch(() => [] as string[]);
  const candidates = new Set([...names.keys(), ...entries.filter((e) => e === 'Default' || /^Profile \d+$/.test(e))]);
  const locks = await Promise.all(LOCK_FILES.map((f) => entryExists(path.join(root.path, f))));
  const rootInUse = locks.some(Boolean);
  const profiles: BrowserProfile[] = [];
  for (const dir of candidates) {
    if (!(await isDirectory(path.join(root.path, dir)))) continue;
    profiles.push({ browser: root.browser, root: root.path, dir, name: names.get(dir) ?? dir, rootInUse });
  }
  return profiles.sort((a, b) => profileOrder(a.dir) - profileOrder(b.dir) || a.dir.localeCompare(b.dir));
}

/** Every profile in the given roots, in root order, `Default` first within a root. */
export async function listProfiles(roots: readonly ProfileRoot[]): Promise<BrowserProfile[]> {
  return (await Promise.all(roots.map(rootProfiles))).flat();
}

/** A guess from the folder name, for profiles given by path. */
function browserOfRoot(root: string): ProfileBrowser {
  if (/edge/i.test(root)) return 'edge';
  return /google|chrome(?!ium)/i.test(root) ? 'chrome' : 'chromium';
}

function looksLikePath(value: string): boolean {
  return value.includes('/') || value.includes('\\') || path.isAbsolute(value);
}

async function profileAtPath(folder: string): Promise<BrowserProfile | undefined> {
  const full = path.resolve(folder);
  if (!(await isDirectory(full))) return undefined;
  // A root was given: take its default profile.
  if (await entryExists(path.join(full, 'Local State'))) {
    const profiles = await rootProfiles({ browser: browserOfRoot(full), path: full });
    return profiles.find((p) => p.dir === 'Default') ?? profiles[0];
  }
  const root = path.dirname(full);
  const dir = path.basename(full);
  const names = await displayNames(root);
  const rootInUse = (await Promise.all(LOCK_FILES.map((f) => entryExists(path.join(root, f))))).some(Boolean);
  return { browser: browserOfRoot(root), root, dir, name: names.get(dir) ?? dir, rootInUse };
}

/**
 * The profile the user means: a display name (any case), a folder name (`Profile 1`), or a
 * path to a profile folder. The first match in root order wins (Edge before Chrome).
 */
export async function resolveProfile(nameOrPath: string, roots: readonly ProfileRoot[]): Promise<BrowserProfile> {
  const wanted = nameOrPath.trim();
  if (looksLikePath(wanted)) {
    const found = await profileAtPath(wanted);
    if (found !== undefined) return found;
  }
  const profiles = await listProfiles(roots);
  const lower = wanted.toLowerCase();
  const found = profiles.find((p) => p.name.toLowerCase() === lower || p.dir.toLowerCase() === lower);
  if (found !== undefined) return found;
  const available = profiles.map((p) => `  ${p.browser}: "${p.name}" (${p.dir})`);
  throw new CoupaDlError('PROFILE_NOT_FOUND', `No browser profile named "${wanted}".${available.length > 0 ? ` Available:\n${available.join('\n')}` : ''}`, {
    hint: available.length > 0
      ? 'Pass one of the names above with `--profile`, or the path of a profile folder.'
      : `No profiles were found in ${roots.map((r) => r.path).join(', ')}. Pass the path of a profile folder with \`--profile\`.`,
  });
}
