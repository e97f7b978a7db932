import tls from 'node:tls';

/**
 * The certificate authorities Node's own requests trust: Node's bundled list, `NODE_EXTRA_CA_CERTS`
 * (both in Node's `default` set) and the operating system's store (Windows' certificate store,
 * the macOS keychain, OpenSSL's `SSL_CERT_FILE`/`SSL_CERT_DIR` on Linux). A company that inspects
 * TLS installs its root in the system store: browsers trust it from there, and now so do we.
 * Node ≥ 22.15 reads the system store (`tls.getCACertificates('system')`); `--use-system-ca` would
 * do the same for the whole process, but only as a start-up flag.
 */
export type CertificateReader = (kind: 'default' | 'system') => readonly string[];

export interface TrustedCertificates {
  /** PEM texts, each once. */
  readonly pems: readonly string[];
  /** How many came from the system store and were not already in Node's own list. */
  readonly fromSystem: number;
  /** Why the system store could not be read, if it could not. */
  readonly systemProblem: string | null;
}

const nodeReader: CertificateReader | null = typeof tls.getCACertificates === 'function' ? (kind) => tls.getCACertificates(kind) : null;

/** Reads the stores once; null when this Node cannot list them (then Node's defaults apply). */
export function trustedCertificates(read: CertificateReader | null = nodeReader): TrustedCertificates | null {
  if (read === null) return null;
  const own = read('default');
  const pems = new Set(own);
  let systemProblem: string | null = null;
  try {
    for (const pem of read('system')) pems.add(pem);
  } catch (error) {
    systemProblem = error instanceof Error ? error.message : String(error);
  }
  return { pems: [...pems], fromSystem: pems.size - new Set(own).size, systemProblem };
}
