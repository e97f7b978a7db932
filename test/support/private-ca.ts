import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A private certificate authority and a server certificate it signed for 127.0.0.1, 127.0.0.2
 * (an address the proxy rules do not take for this computer) and localhost, made with openssl
 * (tests only): what a company's TLS inspection looks like to a client. Nothing on this machine
 * trusts it until a test says so.
 */
export interface PrivateCa {
  /** The authority's certificate (PEM file). */
  readonly caFile: string;
  readonly caPem: string;
  /** The server's key and certificate (PEM), for the simulator's `tls` option. */
  readonly key: string;
  readonly cert: string;
}

export async function makePrivateCa(folder: string): Promise<PrivateCa> {
  await mkdir(folder, { recursive: true });
  const at = (name: string): string => join(folder, name);
  const openssl = (args: string[]): Promise<unknown> => run('openssl', args, { cwd: folder });
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '2', '-subj', '/CN=coupa-dl test inspection CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', at('server.key'), '-out', at('server.csr'), '-subj', '/CN=127.0.0.1']);
  await writeFile(at('server.ext'), 'subjectAltName=IP:127.0.0.1,IP:127.0.0.2,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n');
  await openssl(['x509', '-req', '-in', at('server.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial', '-out', at('server.pem'), '-days', '2', '-extfile', at('server.ext')]);
  const [caPem, key, cert] = await Promise.all([readFile(at('ca.pem'), 'utf8'), readFile(at('server.key'), 'utf8'), readFile(at('server.pem'), 'utf8')]);
  return { caFile: at('ca.pem'), caPem, key, cert };
}

/**
 * Makes Chromium trust the authority for a user whose home is `home`: Chromium on Linux reads
 * the NSS database `$HOME/.pki/nssdb` (certutil, from Debian's libnss3-tools).
 */
export async function trustInNss(home: string, ca: PrivateCa): Promise<void> {
  const db = join(home, '.pki', 'nssdb');
  await mkdir(db, { recursive: true });
  await run('certutil', ['-d', `sql:${db}`, '-N', '--empty-password']);
  await run('certutil', ['-d', `sql:${db}`, '-A', '-n', 'coupa-dl test inspection CA', '-t', 'C,,', '-i', ca.caFile]);
}

/** The variables through which this machine's own CI setup may already point Node and OpenSSL at a store: a test sets its own. */
export const TRUST_VARIABLES = ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'NODE_OPTIONS', 'NODE_USE_SYSTEM_CA'] as const;
