/**
 * The simulator's serving certificate: a self-signed EC P-256 certificate for 127.0.0.1 and
 * localhost, which doubles as its own CA (the kubeconfig carries it as certificate-authority-data).
 * Made with @peculiar/x509 over node's WebCrypto (DESIGN §5: a well-kept X.509 library, not
 * hand-laid DER). When a state file is given the pair is cached beside it (`<state>.tls.crt`,
 * `<state>.tls.key`, key mode 0600) and reused while valid for at least another day.
 */
import {X509Certificate, webcrypto} from 'node:crypto'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'

export interface ServingCert {
  certPem: string
  keyPem: string
}

const DAY_MS = 24 * 60 * 60 * 1000
export const SERVING_CERT_SUBJECT = 'kubectl-aim-simulator'

// Only making a certificate needs the library (a cached one is checked with node:crypto), so it is
// imported on first use; the simulate bundle carries it with its code cache.
async function loadX509(): Promise<typeof import('@peculiar/x509')> {
  await import('reflect-metadata')
  const x509 = await import('@peculiar/x509')
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0])
  return x509
}

export async function generateServingCert(now = new Date()): Promise<ServingCert> {
  const x509 = await loadX509()
  const algorithm = {name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256'}
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as unknown as import('@peculiar/x509').X509CertificateCreateSelfSignedParams['keys']
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex').replace(/^[89a-f]/, '1'),
    name: `CN=${SERVING_CERT_SUBJECT}`,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + 365 * DAY_MS),
    signingAlgorithm: algorithm,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        {type: 'ip', value: '127.0.0.1'},
        {type: 'dns', value: 'localhost'},
      ]),
    ],
  })
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey as unknown as webcrypto.CryptoKey)
  return {certPem: cert.toString('pem') + '\n', keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') + '\n'}
}

let processCert: Promise<ServingCert> | undefined

/**
 * One certificate per process when no state file is given: simulators started by the same
 * process (tests, benchmarks) share it; each still has its own random bearer token.
 */
export function processServingCert(): Promise<ServingCert> {
  processCert ??= generateServingCert().catch((e: unknown) => {
    processCert = undefined
    throw e
  })
  return processCert
}

/** The cached pair beside `statePath` when still valid for a day, else a new one (cached when a path is given). */
export async function loadOrCreateServingCert(statePath?: string): Promise<ServingCert> {
  if (!statePath) return processServingCert()
  const certFile = `${statePath}.tls.crt`
  const keyFile = `${statePath}.tls.key`
  try {
    const certPem = readFileSync(certFile, 'utf8')
    const keyPem = readFileSync(keyFile, 'utf8')
    const cert = new X509Certificate(certPem)
    if (Date.parse(cert.validTo) - Date.now() > DAY_MS) return {certPem, keyPem}
  } catch {
    // missing or unreadable: make a new one
  }
  const fresh = await generateServingCert()
  mkdirSync(dirname(statePath), {recursive: true})
  writeFileSync(keyFile, fresh.keyPem, {mode: 0o600})
  writeFileSync(certFile, fresh.certPem, {mode: 0o644})
  return fresh
}
