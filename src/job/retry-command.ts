/**
 * The command a user runs to fetch again what did not finish well, quoted for their shell. A run
 * through the API says so (`--source`): the output folder remembers the sheet, not the way in.
 */
export function retryCommandFor(commandName: string, outDir: string, platform: NodeJS.Platform, source: 'browser' | 'api' | 'auto' = 'browser'): string {
  const quoted = /[\s"'&|<>^;$`]/.test(outDir)
    ? platform === 'win32' ? `"${outDir}"` : `'${outDir.replaceAll("'", `'\\''`)}'`
    : outDir;
  return `${commandName} retry --out ${quoted}${source === 'browser' ? '' : ` --source ${source}`}`;
}
