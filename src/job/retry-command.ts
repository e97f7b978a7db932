/** The command a user runs to fetch again what did not finish well, quoted for their shell. */
export function retryCommandFor(outDir: string, platform: NodeJS.Platform = process.platform): string {
  const quoted = /[\s"'&|<>^;$`]/.test(outDir)
    ? platform === 'win32' ? `"${outDir}"` : `'${outDir.replaceAll("'", `'\\''`)}'`
    : outDir;
  return `npx coupa-dl retry --out ${quoted}`;
}
