/** The command a user runs to fetch again what did not finish well, quoted for their shell. */
export function retryCommandFor(commandName: string, outDir: string, platform: NodeJS.Platform): string {
  const quoted = /[\s"'&|<>^;$`]/.test(outDir)
    ? platform === 'win32' ? `"${outDir}"` : `'${outDir.replaceAll("'", `'\\''`)}'`
    : outDir;
  return `${commandName} retry --out ${quoted}`;
}
