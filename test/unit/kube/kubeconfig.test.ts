import {mkdtempSync, writeFileSync, mkdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {delimiter, join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {resolveKubeconfig, mergeKubeconfigFiles, flattenForClient} from '../../../src/kube/kubeconfig.js'
import {UserError} from '../../../src/kube/errors.js'

function file(dir: string, name: string, text: string): string {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}

function config(opts: {clusters?: Array<[string, string]>; users?: string[]; contexts?: Array<[string, string, string, string?]>; current?: string}): string {
  const lines = ['apiVersion: v1', 'kind: Config', 'clusters:']
  for (const [name, server] of opts.clusters ?? []) lines.push(`- name: ${name}`, '  cluster:', `    server: ${server}`, '    certificate-authority: ca.crt')
  lines.push('users:')
  for (const u of opts.users ?? []) lines.push(`- name: ${u}`, '  user:', `    token: ${u}-token`)
  lines.push('contexts:')
  for (const [name, cluster, user, ns] of opts.contexts ?? []) lines.push(`- name: ${name}`, '  context:', `    cluster: ${cluster}`, `    user: ${user}`, ...(ns ? [`    namespace: ${ns}`] : []))
  if (opts.current) lines.push(`current-context: ${opts.current}`)
  return lines.join('\n')
}

describe('kubeconfig resolution (kubectl rules)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aim-kc-unit-'))
  const a = file(dir, 'a.yaml', config({clusters: [['lab', 'https://lab:6443'], ['shared', 'https://from-a:6443']], users: ['alice'], contexts: [['lab', 'lab', 'alice', 'ml-team'], ['shared', 'shared', 'alice']], current: 'lab'}))
  const b = file(dir, 'b.yaml', config({clusters: [['prod', 'https://prod:6443'], ['shared', 'https://from-b:6443']], users: ['bob'], contexts: [['prod', 'prod', 'bob', 'prod-ns'], ['shared', 'prod', 'bob']], current: 'prod'}))

  it('KUBECONFIG with several files: the first current-context wins, first definition of a name wins', () => {
    const r = resolveKubeconfig({env: {KUBECONFIG: [a, b].join(delimiter)}})
    expect(r.contextName).toBe('lab')
    expect(r.server).toBe('https://lab:6443')
    expect(r.namespace).toBe('ml-team')
    expect(r.namespaceSource).toBe('context')
    const shared = resolveKubeconfig({env: {KUBECONFIG: [a, b].join(delimiter)}, context: 'shared'})
    expect(shared.server).toBe('https://from-a:6443')
    expect(shared.user.name).toBe('alice')
    const reversed = resolveKubeconfig({env: {KUBECONFIG: [b, a].join(delimiter)}})
    expect(reversed.contextName).toBe('prod')
  })

  it('a later file supplies current-context when earlier ones have none; missing files are skipped', () => {
    const none = file(dir, 'none.yaml', config({clusters: [['x', 'https://x:1']], users: ['u'], contexts: [['x', 'x', 'u']]}))
    const r = resolveKubeconfig({env: {KUBECONFIG: [join(dir, 'missing.yaml'), none, b].join(delimiter)}})
    expect(r.contextName).toBe('prod')
    expect(r.merged.files).toEqual([none, b])
  })

  it('--kubeconfig reads one file only, without merging', () => {
    const r = resolveKubeconfig({kubeconfig: b, env: {KUBECONFIG: a}})
    expect(r.contextName).toBe('prod')
    expect(r.merged.contexts.map((c) => c.name)).toEqual(['prod', 'shared'])
  })

  it('falls back to ~/.kube/config', () => {
    const home = mkdtempSync(join(tmpdir(), 'aim-home-'))
    mkdirSync(join(home, '.kube'))
    file(join(home, '.kube'), 'config', config({clusters: [['h', 'https://home:6443']], users: ['h'], contexts: [['h', 'h', 'h']], current: 'h'}))
    const r = resolveKubeconfig({env: {}, home})
    expect(r.server).toBe('https://home:6443')
    expect(r.namespace).toBe('default')
    expect(r.namespaceSource).toBe('default')
  })

  it('namespace: -n, else the context namespace, else default', () => {
    expect(resolveKubeconfig({kubeconfig: a, namespace: 'other'}).namespace).toBe('other')
    expect(resolveKubeconfig({kubeconfig: a}).namespace).toBe('ml-team')
    expect(resolveKubeconfig({kubeconfig: a, context: 'shared'}).namespace).toBe('default')
  })

  it('resolves relative certificate paths against the file that holds them', () => {
    const merged = mergeKubeconfigFiles([a])
    expect(merged.clusters[0]!.cluster['certificate-authority']).toBe(join(dir, 'ca.crt'))
  })

  it('flattens to a single-context config for client-node with the chosen namespace', () => {
    const flat = flattenForClient(resolveKubeconfig({kubeconfig: a, namespace: 'x'})) as {contexts: Array<{context: {namespace: string}}>; 'current-context': string}
    expect(flat['current-context']).toBe('lab')
    expect(flat.contexts).toHaveLength(1)
    expect(flat.contexts[0]!.context.namespace).toBe('x')
  })

  it('errors are one line with the right exit code', () => {
    const bad = (fn: () => unknown) => {
      try {
        fn()
      } catch (err) {
        return err as UserError
      }
      throw new Error('expected an error')
    }
    const ctx = bad(() => resolveKubeconfig({kubeconfig: a, context: 'nope'}))
    expect(ctx.message).toBe('context "nope" does not exist')
    expect(ctx.exitCode).toBe(2)
    const missing = bad(() => resolveKubeconfig({kubeconfig: join(dir, 'missing.yaml')}))
    expect(missing.message).toBe(`stat ${join(dir, 'missing.yaml')}: no such file or directory`)
    expect(missing.exitCode).toBe(2)
    const home = mkdtempSync(join(tmpdir(), 'aim-nohome-'))
    const none = bad(() => resolveKubeconfig({env: {}, home}))
    expect(none.message).toBe('no kubeconfig found: pass --kubeconfig, set KUBECONFIG or create ~/.kube/config')
    expect(none.exitCode).toBe(1)
  })
})

describe('kubeconfig files: JSON, the common YAML, and YAML only the yaml package reads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aim-kc-formats-'))
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{name: 'c', cluster: {server: 'https://c:6443', 'insecure-skip-tls-verify': true}}],
    users: [{name: 'u', user: {token: 'tok'}}],
    contexts: [{name: 'x', context: {cluster: 'c', user: 'u', namespace: 'team'}}],
    'current-context': 'x',
  }

  it('resolves the same context from JSON, plain YAML and YAML with anchors', () => {
    const json = file(dir, 'kc.json', JSON.stringify(doc, null, 2))
    const plain = file(dir, 'kc.yaml', config({clusters: [['c', 'https://c:6443']], users: ['u'], contexts: [['x', 'c', 'u', 'team']], current: 'x'}))
    const anchors = file(dir, 'kc-anchors.yaml', 'clusters:\n- name: c\n  cluster: &c {server: "https://c:6443"}\nusers:\n- name: u\n  user: {token: tok}\ncontexts:\n- name: x\n  context: {cluster: c, user: u, namespace: team}\ncurrent-context: x\n')
    for (const path of [json, plain, anchors]) {
      const r = resolveKubeconfig({kubeconfig: path})
      expect(r.contextName, path).toBe('x')
      expect(r.server).toBe('https://c:6443')
      expect(r.namespace).toBe('team')
    }
    expect(resolveKubeconfig({kubeconfig: json}).cluster.cluster).toEqual({server: 'https://c:6443', 'insecure-skip-tls-verify': true})
  })

  it('reports YAML errors the way the yaml package words them', () => {
    const broken = file(dir, 'broken.yaml', 'clusters: [\n')
    expect(() => resolveKubeconfig({kubeconfig: broken})).toThrow(/^kubeconfig .*broken\.yaml is not valid YAML: /)
    const brokenJson = file(dir, 'broken.json', '{"clusters": [')
    expect(() => resolveKubeconfig({kubeconfig: brokenJson})).toThrow(/^kubeconfig .*broken\.json is not valid YAML: /)
  })
})
