/**
 * The simulator's serving certificate: a self-signed EC P-256 certificate for 127.0.0.1 and
 * localhost, which doubles as its own CA (the kubeconfig carries it as certificate-authority-data).
 * When a state file is given the pair is cached beside it (`<state>.tls.crt`, `<state>.tls.key`,
 * key mode 0600) and reused while valid for at least another day.
 *
 * The certificate is built with node:crypto alone: key generation and the ECDSA signature are
 * OpenSSL's; this module only lays out the DER of one fixed certificate shape (RFC 5280). An X.509
 * library costs ~100 ms of module loading on every simulator start, against ~2 ms for this. Tests
 * check the result with OpenSSL (node's X509Certificate), @peculiar/x509 and Go (kubectl).
 */
import {X509Certificate, generateKeyPair, randomBytes, sign, type KeyObject} from 'node:crypto'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'

export interface ServingCert {
  certPem: string
  keyPem: string
}

const DAY_MS = 24 * 60 * 60 * 1000
export const SERVING_CERT_SUBJECT = 'kubectl-aim-simulator'

// --- DER (X.690), only the types this certificate uses ---

function der(tag: number, content: Buffer): Buffer {
  const n = content.length
  let length: Buffer
  if (n < 0x80) length = Buffer.from([n])
  else {
    const bytes: number[] = []
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff)
    length = Buffer.from([0x80 | bytes.length, ...bytes])
  }
  return Buffer.concat([Buffer.from([tag]), length, content])
}

const seq = (...items: Buffer[]) => der(0x30, Buffer.concat(items))
const set = (...items: Buffer[]) => der(0x31, Buffer.concat(items))
/** Context-specific, constructed ([n] EXPLICIT). */
const explicit = (n: number, inner: Buffer) => der(0xa0 | n, inner)
const bool = (v: boolean) => der(0x01, Buffer.from([v ? 0xff : 0x00]))
const octets = (content: Buffer) => der(0x04, content)
const utf8 = (s: string) => der(0x0c, Buffer.from(s, 'utf8'))

/** A non-negative INTEGER from big-endian magnitude bytes (minimal, with a 0x00 pad when the top bit is set). */
function uint(bytes: Buffer): Buffer {
  let i = 0
  while (i < bytes.length - 1 && bytes[i] === 0) i++
  const v = bytes.subarray(i)
  return der(0x02, v[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v)
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number)
  const out: number[] = [parts[0]! * 40 + parts[1]!]
  for (const part of parts.slice(2)) {
    const base128: number[] = []
    for (let v = part; ; v = Math.floor(v / 128)) {
      base128.unshift((v & 0x7f) | (base128.length ? 0x80 : 0))
      if (v < 128) break
    }
    out.push(...base128)
  }
  return der(0x06, Buffer.from(out))
}

/** UTCTime through 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5), whole seconds, Zulu. */
function time(d: Date): Buffer {
  const iso = d.toISOString() // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '')
  const year = d.getUTCFullYear()
  return year < 2050 ? der(0x17, Buffer.from(`${digits.slice(2)}Z`, 'ascii')) : der(0x18, Buffer.from(`${digits}Z`, 'ascii'))
}

/** BIT STRING of whole bytes (no unused bits), e.g. a signature. */
const bits = (content: Buffer) => der(0x03, Buffer.concat([Buffer.from([0]), content]))

const OID = {
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return seq(oid(id), ...(critical ? [bool(true)] : []), octets(value))
}

/**
 * The DER of a self-signed certificate for `publicKeySpki` (SubjectPublicKeyInfo DER), signed
 * with `privateKey` (ECDSA with SHA-256): CA:TRUE, key usage digitalSignature, keyEncipherment and
 * keyCertSign, extended key usage serverAuth, SAN IP 127.0.0.1 and DNS localhost.
 */
export function selfSignedCertDer(publicKeySpki: Buffer, privateKey: KeyObject, serial: Buffer, notBefore: Date, notAfter: Date): Buffer {
  const algorithm = seq(oid(OID.ecdsaWithSHA256))
  const name = seq(set(seq(oid(OID.commonName), utf8(SERVING_CERT_SUBJECT))))
  // KeyUsage bits 0 (digitalSignature), 2 (keyEncipherment), 5 (keyCertSign): 10100100, 2 unused bits.
  const keyUsage = der(0x03, Buffer.from([0x02, 0xa4]))
  const san = seq(der(0x87, Buffer.from([127, 0, 0, 1])), der(0x82, Buffer.from('localhost', 'ascii')))
  const tbs = seq(
    explicit(0, uint(Buffer.from([2]))), // v3
    uint(serial),
    algorithm,
    name,
    seq(time(notBefore), time(notAfter)),
    name,
    publicKeySpki,
    explicit(
      3,
      seq(
        extension(OID.basicConstraints, true, seq(bool(true))),
        extension(OID.keyUsage, true, keyUsage),
        extension(OID.extKeyUsage, false, seq(oid(OID.serverAuth))),
        extension(OID.subjectAltName, false, san),
      ),
    ),
  )
  // node:crypto signs EC keys with a DER ECDSA-Sig-Value, the form X.509 carries.
  return seq(tbs, algorithm, bits(sign('sha256', tbs, privateKey)))
}

function pem(label: string, body: Buffer): string {
  const b64 = body.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '')
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`
}

export async function generateServingCert(now = new Date()): Promise<ServingCert> {
  const {publicKey, privateKey} = await new Promise<{publicKey: KeyObject; privateKey: KeyObject}>((resolve, reject) =>
    generateKeyPair('ec', {namedCurve: 'P-256'}, (err, pub, priv) => (err ? reject(err) : resolve({publicKey: pub, privateKey: priv}))),
  )
  const serial = randomBytes(8)
  serial[0] = (serial[0]! & 0x7f) | 0x10 // positive, 8 bytes
  const certDer = selfSignedCertDer(publicKey.export({type: 'spki', format: 'der'}), privateKey, serial, new Date(now.getTime() - 60_000), new Date(now.getTime() + 365 * DAY_MS))
  return {certPem: pem('CERTIFICATE', certDer), keyPem: privateKey.export({type: 'pkcs8', format: 'pem'}) as string}
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
