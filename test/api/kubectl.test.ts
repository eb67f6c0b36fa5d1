/**
 * Conformance: stock kubectl (the v1.32 dispatcher on PATH) against the in-process API server.
 * Controllers are off so that only the test changes objects (through the store or kubectl).
 */
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {KubeObject} from '../../src/api/object.js'
import {startHarness, tableRows, until, type Harness} from './helpers.js'

const SVC = {group: 'aim.eai.amd.com', plural: 'aimservices'}
const CM = {group: '', plural: 'configmaps'}
const NS = {group: '', plural: 'namespaces'}

let h: Harness

function aimService(name: string, namespace: string, labels: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'aim.eai.amd.com/v1alpha1',
    kind: 'AIMService',
    metadata: {name, namespace, labels},
    spec: {model: {image: 'amdenterpriseai/aim-meta-llama-llama-3-1-8b-instruct:0.8.5'}, replicas: 1},
  }
}

function setStatus(namespace: string, name: string, status: Record<string, unknown>): KubeObject {
  return h.sim.store.mutate(SVC, namespace, name, (o) => ({...o, status}), {subresource: 'status'})
}

function manifest(file: string, text: string): string {
  const path = join(h.dir, file)
  writeFileSync(path, text)
  return path
}

beforeAll(async () => {
  h = await startHarness({controllers: false})
  h.sim.store.create({apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'ml-team'}})
  h.sim.store.create(aimService('llama-chat', 'ml-team', {tier: 'gold'}))
  h.sim.store.create(aimService('qwen-chat', 'ml-team', {tier: 'silver'}))
  h.sim.store.create(aimService('other', 'default'))
  setStatus('ml-team', 'llama-chat', {
    status: 'Running',
    observedGeneration: 1,
    resolvedModel: {name: 'meta-llama-3-1-8b-instruct'},
    resolvedTemplate: {name: 'llama-3-1-8b-mi300x-fp8-latency'},
    runtime: {replicas: '1/2 (1-3)'},
    conditions: [{type: 'Ready', status: 'True', reason: 'AllComponentsReady', message: 'ready', lastTransitionTime: h.sim.clock.nowISO()}],
  })
  await h.sim.clock.advance(5 * 60_000)
})

afterAll(async () => {
  await h?.close()
})

describe('discovery', () => {
  it('lists our kinds with short names and scope in api-resources', async () => {
    const r = await h.kubectl(['api-resources', '--api-group=aim.eai.amd.com', '--no-headers'])
    expect(r.code).toBe(0)
    const rows = tableRows(r.stdout)
    expect(rows).toContainEqual(['aimservices', 'aimsvc', 'aim.eai.amd.com/v1alpha1', 'true', 'AIMService'])
    expect(rows).toContainEqual(['aimclustermodels', 'aimclmdl', 'aim.eai.amd.com/v1alpha1', 'false', 'AIMClusterModel'])
    const core = await h.kubectl(['api-resources', '--api-group=', '--no-headers'])
    expect(tableRows(core.stdout)).toContainEqual(['pods', 'po', 'v1', 'true', 'Pod'])
  })

  it('reports a 1.32 server', async () => {
    const r = await h.kubectl(['version', '-o', 'json'])
    expect(JSON.parse(r.stdout).serverVersion.gitVersion).toMatch(/^v1\.32\./)
  })
})

describe('kubectl get', () => {
  it('prints the printer columns as a server-side table, ages from the virtual clock', async () => {
    const r = await h.kubectl(['-n', 'ml-team', 'get', 'aimservices'])
    expect(r.code).toBe(0)
    const rows = tableRows(r.stdout)
    expect(rows[0]).toEqual(['NAME', 'STATUS', 'MODEL', 'TEMPLATE', 'REPLICAS', 'AGE'])
    expect(rows[1]).toEqual(['llama-chat', 'Running', 'meta-llama-3-1-8b-instruct', 'llama-3-1-8b-mi300x-fp8-latency', '1/2 (1-3)', '5m'])
    expect(rows[2]?.[0]).toBe('qwen-chat')
  })

  it('supports -o yaml, json, jsonpath, custom-columns and name', async () => {
    const [yaml, json, jp, cc, name] = await Promise.all([
      h.kubectl(['-n', 'ml-team', 'get', 'aimservice', 'llama-chat', '-o', 'yaml']),
      h.kubectl(['-n', 'ml-team', 'get', 'aimsvc', '-o', 'json']),
      h.kubectl(['-n', 'ml-team', 'get', 'aimservice', 'llama-chat', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].message}']),
      h.kubectl(['-n', 'ml-team', 'get', 'aimservices', '-o', 'custom-columns=NAME:.metadata.name,STATUS:.status.status']),
      h.kubectl(['-n', 'ml-team', 'get', 'aimservices', '-o', 'name']),
    ])
    expect(yaml.stdout).toContain('kind: AIMService')
    expect(yaml.stdout).toContain('status: Running')
    const list = JSON.parse(json.stdout) as {kind: string; items: KubeObject[]}
    expect(list.kind).toBe('List')
    expect(list.items.map((i) => i.metadata.name)).toEqual(['llama-chat', 'qwen-chat'])
    expect(jp.stdout).toBe('ready')
    expect(tableRows(cc.stdout)).toEqual([
      ['NAME', 'STATUS'],
      ['llama-chat', 'Running'],
      ['qwen-chat', '<none>'],
    ])
    expect(name.stdout.trim().split('\n')).toEqual(['aimservice.aim.eai.amd.com/llama-chat', 'aimservice.aim.eai.amd.com/qwen-chat'])
  })

  it('filters with -l and lists every namespace with -A', async () => {
    const [byLabel, notIn, all] = await Promise.all([
      h.kubectl(['-n', 'ml-team', 'get', 'aimsvc', '-l', 'tier=gold', '-o', 'name']),
      h.kubectl(['-n', 'ml-team', 'get', 'aimsvc', '-l', 'tier notin (gold)', '-o', 'name']),
      h.kubectl(['get', 'aimsvc', '-A']),
    ])
    expect(byLabel.stdout.trim()).toBe('aimservice.aim.eai.amd.com/llama-chat')
    expect(notIn.stdout.trim()).toBe('aimservice.aim.eai.amd.com/qwen-chat')
    const rows = tableRows(all.stdout)
    expect(rows[0]?.slice(0, 3)).toEqual(['NAMESPACE', 'NAME', 'STATUS'])
    expect(rows.slice(1).map((r) => `${r[0]}/${r[1]}`).sort()).toEqual(['default/other', 'ml-team/llama-chat', 'ml-team/qwen-chat'])
  })

  it('answers an unknown name with kubectl NotFound', async () => {
    const r = await h.kubectl(['-n', 'ml-team', 'get', 'aimsvc', 'nope'])
    expect(r.code).toBe(1)
    expect(r.stderr.trim()).toBe('Error from server (NotFound): aimservices.aim.eai.amd.com "nope" not found')
  })

  it('-w prints a later change made in the store', async () => {
    const watch = h.streamUntil(['-n', 'ml-team', 'get', 'aimsvc', 'qwen-chat', '-w'], /qwen-chat\s+Degraded/)
    await watch.started
    await until(() => h.sim.requestLog.some((e) => e.query.includes('watch=true') && e.query.includes('qwen-chat')), 10_000, 'the watch request')
    setStatus('ml-team', 'qwen-chat', {status: 'Degraded'})
    const out = await watch.done
    expect(out.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+MODEL/)
  })
})

describe('kubectl apply, create, replace, patch', () => {
  it('client-side apply creates, then configures with a three-way merge patch', async () => {
    const file = manifest('svc.yaml', 'apiVersion: aim.eai.amd.com/v1alpha1\nkind: AIMService\nmetadata:\n  name: applied\n  namespace: ml-team\nspec:\n  model: {name: m1}\n  replicas: 1\n')
    const first = await h.kubectl(['apply', '-f', file])
    expect(first.stdout.trim()).toBe('aimservice.aim.eai.amd.com/applied created')
    manifest('svc.yaml', 'apiVersion: aim.eai.amd.com/v1alpha1\nkind: AIMService\nmetadata:\n  name: applied\n  namespace: ml-team\nspec:\n  model: {name: m1}\n  replicas: 2\n')
    const second = await h.kubectl(['apply', '-f', file])
    expect(second.stdout.trim()).toBe('aimservice.aim.eai.amd.com/applied configured')
    const third = await h.kubectl(['apply', '-f', file])
    expect(third.stdout.trim()).toBe('aimservice.aim.eai.amd.com/applied unchanged')
    const obj = h.sim.store.mustGet(SVC, 'ml-team', 'applied')
    expect((obj.spec as {replicas: number}).replicas).toBe(2)
    expect(obj.metadata.generation).toBe(2)
    expect(obj.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toContain('"replicas":2')
    const patches = h.sim.requestLog.filter((e) => e.method === 'PATCH' && e.path.endsWith('/aimservices/applied'))
    expect(patches.map((e) => e.contentType)).toEqual(['application/merge-patch+json'])
  })

  it('server-side apply reports a field-manager conflict and takes ownership with --force-conflicts', async () => {
    const file = manifest('ssa.yaml', 'apiVersion: aim.eai.amd.com/v1alpha1\nkind: AIMService\nmetadata:\n  name: ssa\n  namespace: ml-team\nspec:\n  model: {name: m1}\n  replicas: 1\n')
    const created = await h.kubectl(['apply', '--server-side', '-f', file])
    expect(created.stdout.trim()).toBe('aimservice.aim.eai.amd.com/ssa serverside-applied')
    const patched = await h.kubectl(['-n', 'ml-team', 'patch', 'aimsvc', 'ssa', '--type', 'merge', '-p', '{"spec":{"replicas":3}}', '--field-manager', 'autoscaler'])
    expect(patched.code).toBe(0)
    const conflict = await h.kubectl(['apply', '--server-side', '-f', file])
    expect(conflict.code).toBe(1)
    expect(conflict.stderr).toContain('error: Apply failed with 1 conflict: conflict with "autoscaler" using aim.eai.amd.com/v1alpha1: .spec.replicas')
    const forced = await h.kubectl(['apply', '--server-side', '--force-conflicts', '-f', file])
    expect(forced.code).toBe(0)
    const obj = h.sim.store.mustGet(SVC, 'ml-team', 'ssa')
    expect((obj.spec as {replicas: number}).replicas).toBe(1)
    expect(obj.metadata.managedFields?.find((m) => m.manager === 'kubectl')?.operation).toBe('Apply')
  })

  it('create, replace and delete from a file', async () => {
    const file = manifest('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ml-team\ndata:\n  a: "1"\n')
    const created = await h.kubectl(['create', '-f', file])
    expect(created.stdout.trim()).toBe('configmap/settings created')
    const again = await h.kubectl(['create', '-f', file])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('Error from server (AlreadyExists): error when creating')
    expect(again.stderr).toContain('configmaps "settings" already exists')
    manifest('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ml-team\ndata:\n  a: "2"\n')
    const replaced = await h.kubectl(['replace', '-f', file])
    expect(replaced.stdout.trim()).toBe('configmap/settings replaced')
    expect((h.sim.store.mustGet(CM, 'ml-team', 'settings') as {data?: Record<string, string>}).data).toEqual({a: '2'})
  })

  it('patches custom resources with merge and JSON patches and refuses strategic merge (415)', async () => {
    const merge = await h.kubectl(['-n', 'ml-team', 'patch', 'aimsvc', 'qwen-chat', '--type', 'merge', '-p', '{"spec":{"replicas":4}}'])
    expect(merge.stdout.trim()).toBe('aimservice.aim.eai.amd.com/qwen-chat patched')
    const json = await h.kubectl(['-n', 'ml-team', 'patch', 'aimsvc', 'qwen-chat', '--type', 'json', '-p', '[{"op":"add","path":"/metadata/labels/extra","value":"yes"}]'])
    expect(json.code).toBe(0)
    const obj = h.sim.store.mustGet(SVC, 'ml-team', 'qwen-chat')
    expect((obj.spec as {replicas: number}).replicas).toBe(4)
    expect(obj.metadata.labels).toEqual({tier: 'silver', extra: 'yes'})
    const smp = await h.kubectl(['-n', 'ml-team', 'patch', 'aimsvc', 'qwen-chat', '-p', '{"spec":{"replicas":5}}'])
    expect(smp.code).toBe(1)
    expect(smp.stderr).toContain('the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml')
  })

  it('strategic merge patch on a Deployment merges containers and env by name', async () => {
    const file = manifest('deploy.yaml', [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web, namespace: ml-team}',
      'spec:',
      '  replicas: 1',
      '  selector: {matchLabels: {app: web}}',
      '  template:',
      '    metadata: {labels: {app: web}}',
      '    spec:',
      '      containers:',
      '      - {name: main, image: "nginx:1", env: [{name: A, value: "1"}, {name: B, value: "2"}]}',
      '      - {name: side, image: busybox}',
      '',
    ].join('\n'))
    expect((await h.kubectl(['apply', '-f', file])).code).toBe(0)
    const patch = '{"spec":{"template":{"spec":{"containers":[{"name":"main","image":"nginx:2","env":[{"name":"B","value":"3"}]}]}}}}'
    const r = await h.kubectl(['-n', 'ml-team', 'patch', 'deployment', 'web', '-p', patch])
    expect(r.stdout.trim()).toBe('deployment.apps/web patched')
    const d = h.sim.store.mustGet({group: 'apps', plural: 'deployments'}, 'ml-team', 'web') as {spec: {template: {spec: {containers: unknown[]}}}}
    expect(d.spec.template.spec.containers).toEqual([
      {name: 'main', image: 'nginx:2', env: [{name: 'A', value: '1'}, {name: 'B', value: '3'}]},
      {name: 'side', image: 'busybox'},
    ])
    const scaled = await h.kubectl(['-n', 'ml-team', 'scale', 'deployment', 'web', '--replicas=3'])
    expect(scaled.stdout.trim()).toBe('deployment.apps/web scaled')
    expect((h.sim.store.mustGet({group: 'apps', plural: 'deployments'}, 'ml-team', 'web').spec as {replicas: number}).replicas).toBe(3)
    const table = await h.kubectl(['-n', 'ml-team', 'get', 'deploy', 'web', '-o', 'wide'])
    expect(tableRows(table.stdout)).toEqual([
      ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR'],
      ['web', '0/3', '0', '0', '0s', 'main,side', 'nginx:2,busybox', 'app=web'],
    ])
  })

  it("kubectl's generators (protobuf bodies): create namespace, secret, deployment, run", async () => {
    const ns = await h.kubectl(['create', 'namespace', 'gen'])
    expect(ns.stdout.trim()).toBe('namespace/gen created')
    const [secret, deploy, pod] = await Promise.all([
      h.kubectl(['-n', 'gen', 'create', 'secret', 'generic', 'hf-token', '--from-literal=token=hf_abc']),
      h.kubectl(['-n', 'gen', 'create', 'deployment', 'web', '--image=nginx', '--replicas=0', '--port=80']),
      h.kubectl(['-n', 'gen', 'run', 'shell', '--image=busybox', '--env=A=B', '--labels=app=shell']),
    ])
    expect([secret.stdout.trim(), deploy.stdout.trim(), pod.stdout.trim()]).toEqual(['secret/hf-token created', 'deployment.apps/web created', 'pod/shell created'])
    expect((h.sim.store.mustGet({group: '', plural: 'secrets'}, 'gen', 'hf-token') as {data?: unknown}).data).toEqual({token: Buffer.from('hf_abc').toString('base64')})
    expect(h.sim.store.mustGet({group: 'apps', plural: 'deployments'}, 'gen', 'web').spec).toEqual({
      replicas: 0,
      selector: {matchLabels: {app: 'web'}},
      template: {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'nginx', image: 'nginx', ports: [{containerPort: 80}]}]}},
    })
    const p = h.sim.store.mustGet({group: '', plural: 'pods'}, 'gen', 'shell')
    expect(p.metadata.labels).toEqual({app: 'shell'})
    expect((p.spec as {containers: unknown[]}).containers[0]).toMatchObject({name: 'shell', image: 'busybox', env: [{name: 'A', value: 'B'}]})
  })

  it('prints the causes of a 422 Invalid', async () => {
    const file = manifest('noname.yaml', 'apiVersion: aim.eai.amd.com/v1alpha1\nkind: AIMService\nmetadata:\n  namespace: ml-team\nspec: {}\n')
    const r = await h.kubectl(['create', '-f', file])
    expect(r.code).toBe(1)
    expect(r.stderr.trim()).toBe(
      'The AIMService "" is invalid: metadata.name: Required value: name or generateName is required',
    )
  })

  it('schema validation: a 422 lists every cause; unknown fields fail strict decoding (400)', async () => {
    const invalid = manifest('bad.yaml', 'apiVersion: aim.eai.amd.com/v1alpha1\nkind: AIMService\nmetadata:\n  name: bad\n  namespace: ml-team\nspec:\n  model: {name: m1}\n  replicas: -1\n')
    const unknown = manifest('unknown.yaml', 'apiVersion: aim.eai.amd.com/v1alpha1\nkind: AIMService\nmetadata:\n  name: unknown\n  namespace: ml-team\nspec:\n  model: {name: m1}\n  bogus: 1\n')
    const lenient = manifest('lenient.yaml', 'apiVersion: aim.eai.amd.com/v1alpha1\nkind: AIMService\nmetadata:\n  name: lenient\n  namespace: ml-team\nspec:\n  model: {name: m1}\n  bogus: 1\n')
    const [r422, r400, ignored] = await Promise.all([
      h.kubectl(['apply', '-f', invalid]),
      h.kubectl(['apply', '-f', unknown]),
      h.kubectl(['create', '--validate=false', '-f', lenient]),
    ])
    expect(r422.code).toBe(1)
    expect(r422.stderr).toContain('The AIMService "bad" is invalid: spec.replicas: Invalid value: -1:')
    expect(r400.code).toBe(1)
    expect(r400.stderr.trim()).toBe('Error from server (BadRequest): error when creating "' + unknown + '": strict decoding error: unknown field "spec.bogus"')
    expect(ignored.stdout.trim()).toBe('aimservice.aim.eai.amd.com/lenient created')
    expect(h.sim.store.mustGet(SVC, 'ml-team', 'lenient').spec).not.toHaveProperty('bogus')
    expect(h.sim.requestLog.some((e) => e.method === 'POST' && e.query.includes('fieldValidation=Ignore') && e.status === 201)).toBe(true)
  })

  it('creating in a missing namespace is NotFound', async () => {
    const file = manifest('lost.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lost\n  namespace: nowhere\n')
    const r = await h.kubectl(['create', '-f', file])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('namespaces "nowhere" not found')
  })
})

describe('kubectl delete --cascade', () => {
  function ownerWithChild(name: string): string {
    const owner = h.sim.store.create(aimService(name, 'ml-team'))
    h.sim.store.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: `${name}-child`,
        namespace: 'ml-team',
        ownerReferences: [{apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', name, uid: owner.metadata.uid!, controller: true, blockOwnerDeletion: true}],
      },
    })
    return owner.metadata.uid!
  }

  it('background, foreground and orphan propagation', async () => {
    ownerWithChild('bg')
    ownerWithChild('fg')
    ownerWithChild('orph')
    const [bg, fg, orph] = await Promise.all([
      h.kubectl(['-n', 'ml-team', 'delete', 'aimsvc', 'bg', '--cascade=background']),
      h.kubectl(['-n', 'ml-team', 'delete', 'aimsvc', 'fg', '--cascade=foreground']),
      h.kubectl(['-n', 'ml-team', 'delete', 'aimsvc', 'orph', '--cascade=orphan']),
    ])
    expect(bg.stdout.trim()).toBe('aimservice.aim.eai.amd.com "bg" deleted')
    expect(fg.stdout.trim()).toBe('aimservice.aim.eai.amd.com "fg" deleted')
    expect(orph.stdout.trim()).toBe('aimservice.aim.eai.amd.com "orph" deleted')
    expect(h.sim.store.get(SVC, 'ml-team', 'bg')).toBeUndefined()
    expect(h.sim.store.get(CM, 'ml-team', 'bg-child')).toBeUndefined()
    expect(h.sim.store.get(SVC, 'ml-team', 'fg')).toBeUndefined()
    expect(h.sim.store.get(CM, 'ml-team', 'fg-child')).toBeUndefined()
    expect(h.sim.store.get(SVC, 'ml-team', 'orph')).toBeUndefined()
    expect(h.sim.store.mustGet(CM, 'ml-team', 'orph-child').metadata.ownerReferences ?? []).toEqual([])
    const bodies = h.sim.requestLog.filter((e) => e.method === 'DELETE' && e.path.includes('/aimservices/'))
    expect(bodies.every((e) => e.status === 200)).toBe(true)
  })

  it('waits for finalizers before reporting the object gone', async () => {
    const obj = aimService('held', 'ml-team')
    obj.metadata.finalizers = ['example.com/hold']
    h.sim.store.create(obj)
    const r = await h.kubectl(['-n', 'ml-team', 'delete', 'aimsvc', 'held', '--wait=false'])
    expect(r.stdout.trim()).toBe('aimservice.aim.eai.amd.com "held" deleted')
    expect(h.sim.store.mustGet(SVC, 'ml-team', 'held').metadata.deletionTimestamp).toBeDefined()
    h.sim.store.mutate(SVC, 'ml-team', 'held', (o) => ({...o, metadata: {...o.metadata, finalizers: []}}))
    expect(h.sim.store.get(SVC, 'ml-team', 'held')).toBeUndefined()
  })
})

describe('kubectl wait, describe, explain', () => {
  it('wait --for=condition=Ready returns once the status changes', async () => {
    h.sim.store.create(aimService('waiter', 'ml-team'))
    const waiting = h.kubectl(['-n', 'ml-team', 'wait', '--for=condition=Ready', 'aimsvc/waiter', '--timeout=20s'])
    await until(() => h.sim.requestLog.some((e) => e.query.includes('watch=true') && e.query.includes('waiter')), 15_000, 'the wait watch')
    setStatus('ml-team', 'waiter', {observedGeneration: 1, conditions: [{type: 'Ready', status: 'True', reason: 'Ok', message: '', lastTransitionTime: h.sim.clock.nowISO()}]})
    const r = await waiting
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toBe('aimservice.aim.eai.amd.com/waiter condition met')
  })

  it('describe shows the object and its Events', async () => {
    const svc = h.sim.store.mustGet(SVC, 'ml-team', 'llama-chat')
    h.sim.store.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {name: 'llama-chat.1', namespace: 'ml-team'},
      involvedObject: {apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', name: 'llama-chat', namespace: 'ml-team', uid: svc.metadata.uid},
      reason: 'TemplateSelected',
      message: 'selected llama-3-1-8b-mi300x-fp8-latency',
      type: 'Normal',
      source: {component: 'aim-service-controller'},
      count: 1,
      firstTimestamp: h.sim.clock.nowISO(),
      lastTimestamp: h.sim.clock.nowISO(),
    })
    const r = await h.kubectl(['-n', 'ml-team', 'describe', 'aimservice', 'llama-chat'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^Name:\s+llama-chat$/m)
    expect(r.stdout).toMatch(/^Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message/m)
    expect(r.stdout).toMatch(/Normal\s+TemplateSelected\s+\S+\s+aim-service-controller\s+selected llama-3-1-8b-mi300x-fp8-latency/)
  })

  it('explain reads the OpenAPI v3 document', async () => {
    const r = await h.kubectl(['explain', 'aimservice.spec'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^KIND:\s+AIMService$/m)
    expect(r.stdout).toMatch(/^FIELD:\s+spec <Object>$/m)
  })
})

describe('kubectl logs', () => {
  beforeAll(() => {
    h.sim.store.create({apiVersion: 'v1', kind: 'Pod', metadata: {name: 'predictor-0', namespace: 'ml-team'}, spec: {containers: [{name: 'kserve-container', image: 'x'}]}})
    h.sim.logs.append('ml-team', 'predictor-0', 'kserve-container', 'INFO starting vLLM')
    h.sim.logs.append('ml-team', 'predictor-0', 'kserve-container', 'INFO model loaded')
  })

  it('prints the container log, with --tail', async () => {
    const [all, tail] = await Promise.all([h.kubectl(['-n', 'ml-team', 'logs', 'predictor-0']), h.kubectl(['-n', 'ml-team', 'logs', 'predictor-0', '--tail=1'])])
    expect(all.stdout).toBe('INFO starting vLLM\nINFO model loaded\n')
    expect(tail.stdout).toBe('INFO model loaded\n')
  })

  it('-f streams lines appended later', async () => {
    const follow = h.streamUntil(['-n', 'ml-team', 'logs', '-f', 'predictor-0'], 'INFO serving on :8000')
    await follow.started
    h.sim.logs.append('ml-team', 'predictor-0', 'kserve-container', 'INFO serving on :8000')
    expect(await follow.done).toBe('INFO starting vLLM\nINFO model loaded\nINFO serving on :8000\n')
  })

  it('a missing pod is NotFound', async () => {
    const r = await h.kubectl(['-n', 'ml-team', 'logs', 'nope'])
    expect(r.code).toBe(1)
    expect(r.stderr.trim()).toBe('error: error from server (NotFound): pods "nope" not found in namespace "ml-team"')
  })
})

describe('CustomResourceDefinitions', () => {
  it('applying a CRD serves its kind at once and marks it Established', async () => {
    const crd = manifest('crd.yaml', [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata: {name: widgets.example.com}',
      'spec:',
      '  group: example.com',
      '  scope: Namespaced',
      '  names: {kind: Widget, plural: widgets, singular: widget, shortNames: [wdg]}',
      '  versions:',
      '  - name: v1',
      '    served: true',
      '    storage: true',
      '    subresources: {status: {}}',
      '    additionalPrinterColumns:',
      '    - {name: Size, type: integer, jsonPath: .spec.size}',
      '    schema:',
      '      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}',
      '',
    ].join('\n'))
    expect((await h.kubectl(['apply', '-f', crd])).stdout.trim()).toBe('customresourcedefinition.apiextensions.k8s.io/widgets.example.com created')
    const wait = await h.kubectl(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=10s'])
    expect(wait.stdout.trim()).toBe('customresourcedefinition.apiextensions.k8s.io/widgets.example.com condition met')
    const widget = manifest('widget.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1, namespace: ml-team}\nspec: {size: 3}\n')
    expect((await h.kubectl(['apply', '-f', widget])).stdout.trim()).toBe('widget.example.com/w1 created')
    const [table, resources] = await Promise.all([h.kubectl(['-n', 'ml-team', 'get', 'wdg']), h.kubectl(['api-resources', '--api-group=example.com', '--no-headers'])])
    expect(tableRows(table.stdout)).toEqual([
      ['NAME', 'SIZE'],
      ['w1', '3'],
    ])
    expect(tableRows(resources.stdout)).toEqual([['widgets', 'wdg', 'example.com/v1', 'true', 'Widget']])
  })
})

describe('kubectl auth, top, exec', () => {
  it('auth can-i and whoami answer for the single simulator user', async () => {
    const [canI, whoami] = await Promise.all([h.kubectl(['auth', 'can-i', 'create', 'aimservices']), h.kubectl(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'])])
    expect(canI.stdout.trim()).toBe('yes')
    expect(whoami.stdout).toBe('aim-simulator-admin')
  })

  it('top pods reads the metrics API; exec explains that no container runs', async () => {
    h.sim.store.create({apiVersion: 'v1', kind: 'Pod', metadata: {name: 'busy', namespace: 'ml-team'}, spec: {containers: [{name: 'c', image: 'i', resources: {requests: {cpu: '2', memory: '1Gi'}}}]}})
    h.sim.store.mutate({group: '', plural: 'pods'}, 'ml-team', 'busy', (o) => ({...o, status: {phase: 'Running'}}), {subresource: 'status'})
    const [top, exec] = await Promise.all([h.kubectl(['-n', 'ml-team', 'top', 'pod', 'busy', '--no-headers']), h.kubectl(['-n', 'ml-team', 'exec', 'busy', '--', 'ls'])])
    expect(tableRows(top.stdout)).toEqual([['busy', '700m', '768Mi']])
    expect(exec.code).toBe(1)
    expect(exec.stderr.trim()).toBe('Error from server (BadRequest): pods/exec is not supported: the kubectl-aim simulator runs no containers (use kubectl logs, or the simulated endpoints)')
  })
})

describe('authentication', () => {
  it('a wrong token is Unauthorized', async () => {
    const bad = join(h.dir, 'bad-kubeconfig')
    writeFileSync(bad, h.sim.kubeconfig.replace(/token: .*/, 'token: "not-the-token"'))
    const r = await h.kubectl(['get', 'pods'], {kubeconfig: bad})
    expect(r.code).toBe(1)
    expect(r.stderr.trim()).toBe('error: You must be logged in to the server (Unauthorized)')
    expect(h.sim.store.get(NS, undefined, 'default')).toBeDefined()
  })
})
