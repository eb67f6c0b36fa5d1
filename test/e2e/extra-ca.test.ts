/**
 * The trust store through bin/kubectl-aim: the executable starts node without NODE_EXTRA_CA_CERTS
 * and without its bundled roots (node would load both at start-up or first TLS context, whether or
 * not a connection uses them) and gives them back where node would have used them. A kubeconfig without certificate-authority trusts the default store: with the
 * simulator's CA in NODE_EXTRA_CA_CERTS that must work on every transport, exactly as with node's
 * own loading; child processes (exec credential plugins) see the variable unchanged.
 */
import {execFile} from 'node:child_process'
import {chmodSync, existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'
import {parse} from 'yaml'
import {startSimulator, type Simulator} from '../../simulator/index.js'
import {ROOT} from './harness.js'

vi.setConfig({testTimeout: 90_000, hookTimeout: 90_000})

const BIN = join(ROOT, 'bin', 'kubectl-aim')
/** `status` on a cluster without services, as kubectl says it: on stderr. */
const EMPTY = 'No resources found in default namespace.\n'

/** The executable itself (as kubectl and a shell run it), with exactly `env` plus PATH and HOME. */
function run(file: string, args: string[], env: Record<string, string>): Promise<{stdout: string; stderr: string; code: number}> {
  return new Promise((resolve) => {
    const base = {PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NO_COLOR: '1', CI: '1'}
    execFile(file, args, {env: {...base, ...env}, timeout: 30_000}, (err, stdout, stderr) => {
      const code = err ? (typeof (err as {code?: unknown}).code === 'number' ? (err as {code: number}).code : 1) : 0
      resolve({stdout, stderr, code})
    })
  })
}

let sim: Simulator
let dir: string
let noCaKubeconfig: string
let execKubeconfig: string
let caFile: string
let seenByPlugin: string

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'commands', 'status.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does)')
  sim = await startSimulator({seed: 'extra-ca'})
  dir = mkdtempSync(join(tmpdir(), 'aim-extra-ca-'))
  const full = join(dir, 'kubeconfig')
  sim.writeKubeconfig(full)
  const config = parse(readFileSync(full, 'utf8')) as {
    clusters: Array<{cluster: Record<string, unknown>}>
    users: Array<{name: string; user: Record<string, unknown>}>
  }
  caFile = join(dir, 'ca.pem')
  writeFileSync(caFile, Buffer.from(String(config.clusters[0]!.cluster['certificate-authority-data']), 'base64'))
  delete config.clusters[0]!.cluster['certificate-authority-data']
  noCaKubeconfig = join(dir, 'kubeconfig-no-ca')
  writeFileSync(noCaKubeconfig, JSON.stringify(config), {mode: 0o600})

  // An exec credential plugin that records what it was given and answers with the simulator's token.
  const token = String(config.users[0]!.user['token'])
  seenByPlugin = join(dir, 'seen-by-plugin')
  const plugin = join(dir, 'credential-plugin')
  writeFileSync(
    plugin,
    `#!/bin/sh\nprintf '%s|%s|%s|%s' "\${NODE_EXTRA_CA_CERTS-unset}" "\${SSL_CERT_FILE-unset}" "\${SSL_CERT_DIR-unset}" "$(env | grep -c '^KUBECTL_AIM_')" > '${seenByPlugin}'\n` +
      `printf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"%s"}}' '${token}'\n`,
  )
  chmodSync(plugin, 0o755)
  config.users[0]!.user = {exec: {apiVersion: 'client.authentication.k8s.io/v1beta1', command: plugin, interactiveMode: 'Never'}}
  execKubeconfig = join(dir, 'kubeconfig-exec')
  writeFileSync(execKubeconfig, JSON.stringify(config), {mode: 0o600})
  await sim.settle()
})
afterAll(async () => {
  await sim?.stop()
})

describe('NODE_EXTRA_CA_CERTS', () => {
  it('a kubeconfig without a CA fails with one line when the CA is nowhere', async () => {
    const r = await run(BIN, ['status', '--kubeconfig', noCaKubeconfig], {})
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr.split('\n')[0]).toMatch(/^error: TLS error talking to https:\/\/127\.0\.0\.1:\d+: DEPTH_ZERO_SELF_SIGNED_CERT$/)
  })

  it('trusts the CA in NODE_EXTRA_CA_CERTS on the lean transport, through client-node and through oclif', async () => {
    const transports: Array<Record<string, string>> = [{}, {KUBECTL_AIM_CLIENT_NODE: '1'}, {KUBECTL_AIM_NO_FAST_PATH: '1'}]
    for (const extra of transports) {
      const r = await run(BIN, ['status', '--kubeconfig', noCaKubeconfig], {NODE_EXTRA_CA_CERTS: caFile, ...extra})
      expect({extra, stdout: r.stdout, stderr: r.stderr, code: r.code}).toEqual({extra, stdout: '', stderr: EMPTY, code: 0})
    }
  })

  it('works through a symlink, as npm installs the executable', async () => {
    const link = join(dir, 'kubectl-aim')
    symlinkSync(BIN, link)
    const r = await run(link, ['status', '--kubeconfig', noCaKubeconfig], {NODE_EXTRA_CA_CERTS: caFile})
    expect(r.stderr).toBe(EMPTY)
    expect(r.code).toBe(0)
  })

  it('child processes see NODE_EXTRA_CA_CERTS as the user set it, and nothing of the hand-over', async () => {
    const r = await run(BIN, ['status', '--kubeconfig', execKubeconfig], {NODE_EXTRA_CA_CERTS: caFile})
    expect(r.stderr).toBe(EMPTY)
    expect(r.code).toBe(0)
    expect(readFileSync(seenByPlugin, 'utf8')).toBe(`${caFile}|unset|unset|0`)
    const without = await run(BIN, ['status', '--kubeconfig', execKubeconfig], {SSL_CERT_FILE: '/etc/some.pem', SSL_CERT_DIR: ''})
    expect(without.code).toBe(1)
    expect(readFileSync(seenByPlugin, 'utf8')).toBe('unset|/etc/some.pem||0')
  })

  it('leaves node alone when NODE_OPTIONS picks a certificate store', async () => {
    const r = await run(BIN, ['status', '--kubeconfig', noCaKubeconfig], {NODE_EXTRA_CA_CERTS: caFile, NODE_OPTIONS: '--use-openssl-ca'})
    expect({stdout: r.stdout, stderr: r.stderr, code: r.code}).toEqual({stdout: '', stderr: EMPTY, code: 0})
    const plugin = await run(BIN, ['status', '--kubeconfig', execKubeconfig], {NODE_EXTRA_CA_CERTS: caFile, NODE_OPTIONS: '--use-bundled-ca'})
    expect(plugin.code).toBe(0)
    expect(readFileSync(seenByPlugin, 'utf8')).toBe(`${caFile}|unset|unset|0`)
  })
})
