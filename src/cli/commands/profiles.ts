import { Command } from 'commander';
import { listProfiles, profileRoots, type BrowserProfile, type ProfileBrowser } from '../../browser/profiles.ts';
import { EXIT, line, type App, type ExitCode } from '../../job/app.ts';

const BROWSER_NAMES: Record<ProfileBrowser, string> = { edge: 'Edge', chrome: 'Chrome', chromium: 'Chromium' };

/** `coupa-dl profiles`: the Edge/Chrome/Chromium profiles a run can sign in with (`--profile`). */
export function profilesCommand(app: App, setExitCode: (code: ExitCode) => void): Command {
  return new Command('profiles')
    .description('List the Edge, Chrome and Chromium profiles on this computer that `run --profile` can sign in with.')
    .addHelpText('after', `
Examples:
  coupa-dl profiles
  coupa-dl run --profile "Work" --input pos.csv --out out --base-url https://acme.coupahost.com

A run never changes your profile: it works on a private copy, so your browser can stay open.`)
    .action(async () => {
      const roots = profileRoots(app.platform, app.env, app.homedir);
      const profiles = await listProfiles(roots);
      if (profiles.length === 0) {
        line(app.stdout, 'No Edge, Chrome or Chromium profiles found. Looked in:');
        for (const root of roots) line(app.stdout, `  ${BROWSER_NAMES[root.browser].padEnd(8)}  ${root.path}`);
        line(app.stdout, '\nIf your browser keeps its profiles elsewhere, pass the profile folder itself: --profile "<path>".');
        line(app.stdout, `Or sign in once with: ${app.commandName} login --base-url https://yourcompany.coupahost.com`);
        setExitCode(EXIT.ok);
        return;
      }
      line(app.stdout, `${profiles.length} browser profile${profiles.length === 1 ? '' : 's'} found:\n`);
      for (const text of profileTable(profiles)) line(app.stdout, text);
      const first = profiles[0];
      line(app.stdout, '\nTo sign in with one (use the profile that is signed in to Coupa):');
      line(app.stdout, `  ${app.commandName} run --profile "${first?.name ?? 'Default'}" --input pos.xlsx --out results --base-url https://yourcompany.coupahost.com`);
      if (profiles.some((p) => p.rootInUse)) line(app.stdout, 'A browser that is open may stay open: coupa-dl works on a private copy of the profile.');
      setExitCode(EXIT.ok);
    });
}

/** One row per profile, columns padded to their widest cell. */
export function profileTable(profiles: readonly BrowserProfile[]): string[] {
  const rows = [
    ['Browser', 'Profile name', 'Folder', 'Browser open'],
    ...profiles.map((p) => [BROWSER_NAMES[p.browser], p.name, `${p.root}${p.root.includes('\\') ? '\\' : '/'}${p.dir}`, p.rootInUse ? 'yes' : 'no']),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) => `  ${row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ')}`);
}
