/** What the guided start settled on: everything `coupa-dl run` needs, as the user would type it. */
export interface GuidedAnswers {
  readonly input: string;
  readonly out: string;
  readonly baseUrl: string;
  readonly signIn:
    | { readonly kind: 'saved' }
    | { readonly kind: 'password' }
    | { readonly kind: 'login-now' }
    | { readonly kind: 'profile'; readonly profile: string }
    | { readonly kind: 'storage-state'; readonly file: string };
  readonly workers: number | 'auto';
}

/** A value quoted for the user's shell only when it needs it (spaces, quotes, shell characters). */
export function shellArg(value: string, platform: NodeJS.Platform): string {
  if (value !== '' && !/[\s"'&|<>^;$`()*?!#%]/.test(value)) return value;
  // cmd.exe and PowerShell both read "…"; a double quote inside a Windows path cannot occur.
  if (platform === 'win32') return `"${value}"`;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The setting values a run gets from the answers (named by setting key, like flags). */
export function answersToFlags(answers: GuidedAnswers): Record<string, unknown> {
  const signIn = answers.signIn;
  return {
    input: answers.input,
    out: answers.out,
    baseUrl: answers.baseUrl,
    ...(signIn.kind === 'profile' ? { profile: signIn.profile } : {}),
    ...(signIn.kind === 'storage-state' ? { storageState: signIn.file } : {}),
    ...(answers.workers === 'auto' ? {} : { workers: answers.workers }),
  };
}

/** The one command that repeats this job next time (and resumes it if it was stopped). */
export function runCommandFor(commandName: string, answers: GuidedAnswers, platform: NodeJS.Platform): string {
  const q = (value: string): string => shellArg(value, platform);
  const parts = [`${commandName} run`, `--input ${q(answers.input)}`, `--out ${q(answers.out)}`, `--base-url ${q(answers.baseUrl)}`];
  const signIn = answers.signIn;
  if (signIn.kind === 'profile') parts.push(`--profile ${q(signIn.profile)}`);
  if (signIn.kind === 'storage-state') parts.push(`--storage-state ${q(signIn.file)}`);
  if (answers.workers !== 'auto') parts.push(`--workers ${answers.workers}`);
  return parts.join(' ');
}
