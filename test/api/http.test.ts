/**
 * The API server at the HTTP level: status codes, Status bodies, content types, discovery
 * formats, Table output, watch framing (410, bookmarks, timeouts), subresources and pods/log.
 */
import {request} from 'node:https'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {KubeObject} from '../../src/api/object.js'
import {VirtualClock} from '../../simulator/clock/index.js'
import {createStore, type SimStore} from '../../simulator/store/index.js'
import {startApiServer, type ApiServer} from '../../simulator/apiserver/server.js'
import {generateServingCert, type ServingCert} from '../../simulator/apiserver/tls.js'
import {MemoryPodLogs} from '../../simulator/apiserver/memory-logs.js'

const TOKEN = 'test-token'
const SVC = {group: 'aim.eai.amd.com', plural: 'aimservices'}
const SVC_PATH = '/apis/aim.eai.amd.com/v1alpha1/namespaces/default/aimservices'
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json'

let clock: VirtualClock
let store: SimStore
let server: ApiServer
let cert: ServingCert
let logs: MemoryPodLogs

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  json: any // eslint-disable-line @typescript-eslint/no-explicit-any
}

function call(method: string, path: string, options: {body?: unknown; headers?: Record<string, string>; token?: string | null} = {}): Promise<Reply> {
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
  const headers: Record<string, string> = {...(options.headers ?? {})}
  if (options.token !== null) headers.Authorization = `Bearer ${options.token ?? TOKEN}`
  if (body !== undefined && !headers['Content-Type']) headers['Content-Type'] = 'application/json'
  if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body))
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, {method, headers, ca: cert.certPem}, (res) => {
      let text = ''
      res.on('data', (d: Buffer) => (text += d.toString()))
      res.on('end', () => {
        let json: unknown
        try {
          json = JSON.parse(text)
        } catch {
          json = undefined
        }
        resolve({status: res.statusCode ?? 0, headers: res.headers, text, json})
      })
    })
    req.on('error', reject)
    if (body !== undefined) req.write(body)
    req.end()
  })
}

function svc(name: string, labels: Record<string, string> = {}): KubeObject {
  return {apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', metadata: {name, namespace: 'default', labels}, spec: {model: {name: 'm'}, replicas: 1}}
}

beforeAll(async () => {
  clock = new VirtualClock()
  store = createStore({clock, historySize: 50})
  cert = await generateServingCert()
  logs = new MemoryPodLogs(() => clock.now())
  server = await startApiServer({store, cert, token: TOKEN, now: () => clock.now(), logs, validator: {unknownFields: (o) => ('bogus' in ((o.spec ?? {}) as object) ? ['spec.bogus'] : [])}})
})

afterAll(async () => {
  await server?.close()
  store?.close()
})

describe('transport and auth', () => {
  it('listens on 127.0.0.1 only, over TLS with the generated certificate', () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
  })

  it('requires the bearer token everywhere, answering a 401 Status', async () => {
    for (const path of ['/version', '/healthz', '/api', SVC_PATH]) {
      const r = await call('GET', path, {token: null})
      expect(r.status).toBe(401)
      expect(r.headers['content-type']).toBe('application/json')
      expect(r.json).toEqual({kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401})
    }
    expect((await call('GET', '/version', {token: 'wrong'})).status).toBe(401)
  })

  it('serves /version and health checks', async () => {
    expect((await call('GET', '/version')).json.gitVersion).toBe('v1.32.4')
    const health = await call('GET', '/readyz')
    expect([health.status, health.text]).toEqual([200, 'ok'])
  })

  it('answers unknown paths with a NotFound Status', async () => {
    const r = await call('GET', '/apis/nope.example.com/v1/things')
    expect(r.status).toBe(404)
    expect(r.json.message).toBe('the server could not find the requested resource')
  })
})

describe('discovery', () => {
  it('aggregated v2 when asked, with the content type parameters kubectl reads', async () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json'
    const apis = await call('GET', '/apis', {headers: {Accept: accept}})
    expect(apis.headers['content-type']).toBe('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList')
    const aim = apis.json.items.find((g: {metadata: {name: string}}) => g.metadata.name === 'aim.eai.amd.com')
    const services = aim.versions[0].resources.find((r: {resource: string}) => r.resource === 'aimservices')
    expect(services).toMatchObject({
      resource: 'aimservices',
      responseKind: {group: 'aim.eai.amd.com', version: 'v1alpha1', kind: 'AIMService'},
      scope: 'Namespaced',
      singularResource: 'aimservice',
      shortNames: ['aimsvc'],
      subresources: [{subresource: 'status', verbs: ['get', 'patch', 'update']}],
    })
    const core = await call('GET', '/api', {headers: {Accept: accept}})
    expect(core.json.items.map((g: {metadata: {name: string}}) => g.metadata.name)).toEqual([''])
    const beta = await call('GET', '/apis', {headers: {Accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList'}})
    expect(beta.json.apiVersion).toBe('apidiscovery.k8s.io/v2beta1')
  })

  it('legacy documents otherwise', async () => {
    const api = await call('GET', '/api')
    expect(api.json).toMatchObject({kind: 'APIVersions', versions: ['v1']})
    const groups = await call('GET', '/apis')
    expect(groups.json.kind).toBe('APIGroupList')
    const v1 = await call('GET', '/api/v1')
    const names = v1.json.resources.map((r: {name: string}) => r.name)
    expect(names).toContain('pods/log')
    expect(names).toContain('namespaces/status')
    const apps = await call('GET', '/apis/apps/v1')
    expect(apps.json.resources.find((r: {name: string}) => r.name === 'deployments/scale')).toMatchObject({group: 'autoscaling', version: 'v1', kind: 'Scale'})
  })

  it('OpenAPI v3 index and documents carry the PATCH fieldValidation parameter', async () => {
    const index = await call('GET', '/openapi/v3')
    const url = index.json.paths['apis/aim.eai.amd.com/v1alpha1'].serverRelativeURL as string
    expect(url).toMatch(/^\/openapi\/v3\/apis\/aim\.eai\.amd\.com\/v1alpha1\?hash=[0-9A-F]{128}$/)
    const doc = await call('GET', url)
    const patch = doc.json.paths['/apis/aim.eai.amd.com/v1alpha1/namespaces/{namespace}/aimservices/{name}'].patch
    expect(patch['x-kubernetes-group-version-kind']).toEqual({group: 'aim.eai.amd.com', version: 'v1alpha1', kind: 'AIMService'})
    expect(patch.parameters.map((p: {name: string}) => p.name)).toContain('fieldValidation')
    expect(Object.keys(patch.requestBody.content)).not.toContain('application/strategic-merge-patch+json')
  })
})

describe('CRUD', () => {
  it('POST 201, GET 200, duplicate 409 AlreadyExists', async () => {
    const created = await call('POST', SVC_PATH, {body: svc('crud')})
    expect(created.status).toBe(201)
    expect(created.json.metadata.uid).toBeDefined()
    const again = await call('POST', SVC_PATH, {body: svc('crud')})
    expect([again.status, again.json.reason, again.json.message]).toEqual([409, 'AlreadyExists', 'aimservices.aim.eai.amd.com "crud" already exists'])
    expect(again.json.details).toEqual({name: 'crud', group: 'aim.eai.amd.com', kind: 'aimservices'})
  })

  it('rejects a body whose namespace or kind does not match the URL (400)', async () => {
    const other = {...svc('mismatch'), metadata: {name: 'mismatch', namespace: 'elsewhere'}}
    const ns = await call('POST', SVC_PATH, {body: other})
    expect([ns.status, ns.json.message]).toEqual([400, 'the namespace of the provided object does not match the namespace sent on the request'])
    const kind = await call('POST', SVC_PATH, {body: {...svc('k'), kind: 'AIMModel'}})
    expect([kind.status, kind.json.message]).toEqual([400, 'the kind in the data (AIMModel) does not match the expected kind (AIMService)'])
  })

  it('PUT: stale resourceVersion is a 409 Conflict; a CR without one is 422', async () => {
    const current = (await call('GET', `${SVC_PATH}/crud`)).json
    const ok = await call('PUT', `${SVC_PATH}/crud`, {body: {...current, spec: {model: {name: 'm'}, replicas: 2}}})
    expect(ok.status).toBe(200)
    expect(ok.json.metadata.generation).toBe(2)
    const stale = await call('PUT', `${SVC_PATH}/crud`, {body: {...current, spec: {model: {name: 'm'}, replicas: 3}}})
    expect([stale.status, stale.json.reason]).toEqual([409, 'Conflict'])
    expect(stale.json.message).toBe('Operation cannot be fulfilled on aimservices.aim.eai.amd.com "crud": the object has been modified; please apply your changes to the latest version and try again')
    const noRv = await call('PUT', `${SVC_PATH}/crud`, {body: {...svc('crud')}})
    expect([noRv.status, noRv.json.reason]).toEqual([422, 'Invalid'])
    expect(noRv.json.message).toBe('AIMService.aim.eai.amd.com "crud" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update')
  })

  it('dryRun=All validates without storing', async () => {
    const rv = store.resourceVersion()
    const r = await call('POST', `${SVC_PATH}?dryRun=All`, {body: svc('dry')})
    expect(r.status).toBe(201)
    expect(store.get(SVC, 'default', 'dry')).toBeUndefined()
    expect(store.resourceVersion()).toBe(rv)
  })

  it('fieldValidation: Strict rejects unknown fields, Warn answers with a Warning header', async () => {
    const body = {...svc('fv'), spec: {model: {name: 'm'}, bogus: 1}}
    const strict = await call('POST', `${SVC_PATH}?fieldValidation=Strict`, {body})
    expect([strict.status, strict.json.message]).toEqual([400, 'strict decoding error: unknown field "spec.bogus"'])
    const warn = await call('POST', `${SVC_PATH}?fieldValidation=Warn&dryRun=All`, {body})
    expect(warn.status).toBe(201)
    expect(warn.headers.warning).toBe('299 - "unknown field \\"spec.bogus\\""')
    const stored = await call('POST', `${SVC_PATH}?fieldValidation=Ignore`, {body})
    expect(stored.status).toBe(201)
    expect(stored.headers.warning).toBeUndefined()
    expect(store.mustGet(SVC, 'default', 'fv').spec).toEqual({model: {name: 'm'}, replicas: 1})
  })

  it('status subresource writes only status; main resource writes keep status', async () => {
    store.create(svc('st'))
    const current = (await call('GET', `${SVC_PATH}/st`)).json
    const r = await call('PUT', `${SVC_PATH}/st/status`, {body: {...current, spec: {model: {name: 'changed'}}, status: {status: 'Running'}}})
    expect(r.status).toBe(200)
    expect(r.json.status).toEqual({status: 'Running'})
    expect(r.json.spec.model.name).toBe('m')
    const p = await call('PATCH', `${SVC_PATH}/st`, {body: {status: {status: 'Failed'}, spec: {replicas: 2}}, headers: {'Content-Type': 'application/merge-patch+json'}})
    expect(p.json.status).toEqual({status: 'Running'})
    expect(p.json.spec.replicas).toBe(2)
  })

  it('patch types: 415 for strategic merge on a CR and for unknown types', async () => {
    const smp = await call('PATCH', `${SVC_PATH}/st`, {body: {spec: {replicas: 3}}, headers: {'Content-Type': 'application/strategic-merge-patch+json'}})
    expect([smp.status, smp.json.reason]).toEqual([415, 'UnsupportedMediaType'])
    expect(smp.json.message).toBe('the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml')
    const pb = await call('POST', SVC_PATH, {body: 'k8s\u0000', headers: {'Content-Type': 'application/vnd.kubernetes.protobuf'}})
    expect(pb.status).toBe(415)
  })

  it('apply patch: fieldManager required (422), 201 on create, 200 on update', async () => {
    const noManager = await call('PATCH', `${SVC_PATH}/ssa`, {body: svc('ssa'), headers: {'Content-Type': 'application/apply-patch+yaml'}})
    expect([noManager.status, noManager.json.message]).toEqual([422, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch'])
    const created = await call('PATCH', `${SVC_PATH}/ssa?fieldManager=test`, {body: svc('ssa'), headers: {'Content-Type': 'application/apply-patch+yaml'}})
    expect(created.status).toBe(201)
    const updated = await call('PATCH', `${SVC_PATH}/ssa?fieldManager=test`, {body: {...svc('ssa'), spec: {model: {name: 'm'}, replicas: 2}}, headers: {'Content-Type': 'application/apply-patch+yaml'}})
    expect([updated.status, updated.json.spec.replicas]).toEqual([200, 2])
    const lost = await call('PATCH', '/apis/aim.eai.amd.com/v1alpha1/namespaces/nowhere/aimservices/ssa?fieldManager=test', {
      body: {...svc('ssa'), metadata: {name: 'ssa', namespace: 'nowhere'}},
      headers: {'Content-Type': 'application/apply-patch+yaml'},
    })
    expect([lost.status, lost.json.message]).toEqual([404, 'namespaces "nowhere" not found'])
  })

  it('DELETE: Status for an immediate delete, the object while finalizers hold it, 409 on a failed precondition', async () => {
    store.create(svc('gone'))
    const gone = await call('DELETE', `${SVC_PATH}/gone`, {body: {kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background'}})
    expect(gone.status).toBe(200)
    expect(gone.json).toMatchObject({kind: 'Status', status: 'Success', details: {name: 'gone', group: 'aim.eai.amd.com', kind: 'aimservices'}})
    store.create({...svc('held'), metadata: {...svc('held').metadata, finalizers: ['x/y']}})
    const held = await call('DELETE', `${SVC_PATH}/held`)
    expect(held.json.kind).toBe('AIMService')
    expect(held.json.metadata.deletionTimestamp).toBe(clock.nowISO())
    store.create(svc('pre'))
    const pre = await call('DELETE', `${SVC_PATH}/pre`, {body: {preconditions: {uid: 'not-the-uid'}}})
    expect([pre.status, pre.json.reason]).toEqual([409, 'Conflict'])
  })

  it('deletecollection honours label selectors', async () => {
    store.create(svc('dc-a', {batch: 'x'}))
    store.create(svc('dc-b', {batch: 'x'}))
    store.create(svc('dc-c', {batch: 'y'}))
    const r = await call('DELETE', `${SVC_PATH}?labelSelector=batch%3Dx`)
    expect(r.status).toBe(200)
    expect(r.json.items.map((i: KubeObject) => i.metadata.name)).toEqual(['dc-a', 'dc-b'])
    expect(store.get(SVC, 'default', 'dc-c')).toBeDefined()
  })

  it('scale subresource reads and writes spec.replicas', async () => {
    store.create({apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'web', namespace: 'default'}, spec: {replicas: 1, selector: {matchLabels: {app: 'web'}}, template: {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'c', image: 'i'}]}}}})
    const scale = await call('GET', '/apis/apps/v1/namespaces/default/deployments/web/scale')
    expect(scale.json).toMatchObject({kind: 'Scale', apiVersion: 'autoscaling/v1', spec: {replicas: 1}, status: {replicas: 0, selector: 'app=web'}})
    const patched = await call('PATCH', '/apis/apps/v1/namespaces/default/deployments/web/scale', {body: {spec: {replicas: 4}}, headers: {'Content-Type': 'application/merge-patch+json'}})
    expect(patched.json.spec.replicas).toBe(4)
    expect((store.mustGet({group: 'apps', plural: 'deployments'}, 'default', 'web').spec as {replicas: number}).replicas).toBe(4)
  })
})

describe('tables', () => {
  it('Name plus printer columns; priority columns flagged; includeObject', async () => {
    store.create({...svc('tbl'), metadata: {name: 'tbl', namespace: 'default', labels: {t: 'y'}}})
    await clock.advance(90_000)
    const t = await call('GET', `${SVC_PATH}?labelSelector=t%3Dy`, {headers: {Accept: TABLE}})
    expect(t.headers['content-type']).toBe('application/json;as=Table;v=v1;g=meta.k8s.io')
    expect(t.json.columnDefinitions.map((c: {name: string}) => c.name)).toEqual(['Name', 'Status', 'Model', 'Template', 'Replicas', 'Age'])
    expect(t.json.rows).toHaveLength(1)
    expect(t.json.rows[0].cells).toEqual(['tbl', null, null, null, null, '90s'])
    expect(t.json.rows[0].object).toMatchObject({kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: {name: 'tbl'}})
    expect(t.json.metadata.resourceVersion).toBe(store.resourceVersion())
    const full = await call('GET', `${SVC_PATH}/tbl?includeObject=Object`, {headers: {Accept: TABLE}})
    expect(full.json.rows[0].object.kind).toBe('AIMService')
    const none = await call('GET', `${SVC_PATH}/tbl?includeObject=None`, {headers: {Accept: TABLE}})
    expect(none.json.rows[0].object).toBeUndefined()
  })

  it('Pods get the kubectl column set', async () => {
    store.create({apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p', namespace: 'default'}, spec: {nodeName: 'n1', containers: [{name: 'a', image: 'i'}, {name: 'b', image: 'i'}]}})
    store.mutate({group: '', plural: 'pods'}, 'default', 'p', (o) => ({
      ...o,
      status: {
        phase: 'Running',
        podIP: '10.0.0.7',
        containerStatuses: [
          {name: 'a', ready: true, restartCount: 0, state: {running: {}}},
          {name: 'b', ready: false, restartCount: 2, state: {waiting: {reason: 'CrashLoopBackOff'}}},
        ],
      },
    }), {subresource: 'status'})
    const t = await call('GET', '/api/v1/namespaces/default/pods', {headers: {Accept: TABLE}})
    const cols = t.json.columnDefinitions.map((c: {name: string; priority: number}) => `${c.name}:${c.priority}`)
    expect(cols).toEqual(['Name:0', 'Ready:0', 'Status:0', 'Restarts:0', 'Age:0', 'IP:1', 'Node:1', 'Nominated Node:1', 'Readiness Gates:1'])
    expect(t.json.rows[0].cells).toEqual(['p', '1/2', 'CrashLoopBackOff', '2', '0s', '10.0.0.7', 'n1', '<none>', '<none>'])
  })

  it('metadata-only and YAML representations', async () => {
    const list = await call('GET', `${SVC_PATH}?labelSelector=t%3Dy`, {headers: {Accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json'}})
    expect(list.headers['content-type']).toBe('application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1')
    expect(list.json.kind).toBe('PartialObjectMetadataList')
    expect(list.json.items.map((i: {kind: string; metadata: {name: string}}) => `${i.kind}/${i.metadata.name}`)).toEqual(['PartialObjectMetadata/tbl'])
    const one = await call('GET', `${SVC_PATH}/tbl`, {headers: {Accept: 'application/yaml'}})
    expect(one.headers['content-type']).toBe('application/yaml')
    expect(one.text).toMatch(/^apiVersion: aim\.eai\.amd\.com\/v1alpha1\nkind: AIMService\n/)
  })

  it('406 when only protobuf is acceptable', async () => {
    const r = await call('GET', SVC_PATH, {headers: {Accept: 'application/vnd.kubernetes.protobuf'}})
    expect([r.status, r.json.reason]).toEqual([406, 'NotAcceptable'])
    const one = await call('GET', `${SVC_PATH}/tbl`, {headers: {Accept: 'application/vnd.kubernetes.protobuf'}})
    expect(one.status).toBe(406)
  })
})

/** Reads a watch stream until `count` events arrived or it ends. */
function watchEvents(path: string, count: number, headers: Record<string, string> = {}): Promise<{events: any[]; ended: boolean; contentType?: string}> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, {headers: {Authorization: `Bearer ${TOKEN}`, ...headers}, ca: cert.certPem}, (res) => {
      let buf = ''
      const events: unknown[] = []
      const finish = (ended: boolean) => {
        req.destroy()
        resolve({events, ended, contentType: res.headers['content-type']})
      }
      res.on('data', (d: Buffer) => {
        buf += d.toString()
        let nl: number
        while ((nl = buf.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buf.slice(0, nl)))
          buf = buf.slice(nl + 1)
        }
        if (events.length >= count) finish(false)
      })
      res.on('end', () => finish(true))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('watch', () => {
  it('newline-framed events with synthetic ADDED, then live changes', async () => {
    store.create(svc('w1', {w: 'yes'}))
    const pending = watchEvents(`${SVC_PATH}?watch=1&labelSelector=w%3Dyes`, 3)
    await new Promise((r) => setTimeout(r, 50))
    store.create(svc('w2', {w: 'yes'}))
    store.mutate(SVC, 'default', 'w1', (o) => ({...o, metadata: {...o.metadata, labels: {w: 'no'}}}))
    const {events, contentType} = await pending
    expect(contentType).toBe('application/json')
    expect(events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED w1', 'ADDED w2', 'DELETED w1'])
  })

  it('410 Expired as an in-stream ERROR, then the stream ends', async () => {
    for (let i = 0; i < 60; i++) store.create({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: `churn-${i}`, namespace: 'default'}})
    const {events, ended} = await watchEvents(`${SVC_PATH}?watch=true&resourceVersion=2`, 5)
    expect(ended).toBe(true)
    expect(events).toHaveLength(1)
    expect(events[0].type).toBe('ERROR')
    expect(events[0].object).toMatchObject({kind: 'Status', code: 410, reason: 'Expired'})
    expect(events[0].object.message).toMatch(/^too old resource version: 2 \(\d+\)$/)
  })

  it('timeoutSeconds ends the stream, with a BOOKMARK first when allowed', async () => {
    const rv = store.resourceVersion()
    const {events, ended} = await watchEvents(`${SVC_PATH}?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=1`, 5)
    expect(ended).toBe(true)
    expect(events).toEqual([{type: 'BOOKMARK', object: {kind: 'AIMService', apiVersion: 'aim.eai.amd.com/v1alpha1', metadata: {resourceVersion: rv}}}])
  })

  it('Table watches send one-row tables, column definitions only first', async () => {
    const rv = store.resourceVersion()
    const pending = watchEvents(`${SVC_PATH}?watch=true&resourceVersion=${rv}`, 2, {Accept: TABLE})
    await new Promise((r) => setTimeout(r, 50))
    store.create(svc('tw1'))
    store.create(svc('tw2'))
    const {events} = await pending
    expect(events.map((e) => e.object.kind)).toEqual(['Table', 'Table'])
    expect(events[0].object.columnDefinitions).toHaveLength(6)
    expect(events[1].object.columnDefinitions).toBeNull()
    expect(events[1].object.rows[0].cells[0]).toBe('tw2')
  })
})

describe('events.k8s.io/v1 is a view of core/v1 Events', () => {
  it('reads core events in the v1 shape, with translated field selectors, and writes through', async () => {
    store.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {name: 'e1', namespace: 'default'},
      involvedObject: {kind: 'AIMService', name: 'crud', namespace: 'default'},
      reason: 'Resolved',
      message: 'model resolved',
      type: 'Normal',
      source: {component: 'aim'},
      count: 2,
    })
    const list = await call('GET', '/apis/events.k8s.io/v1/namespaces/default/events?fieldSelector=regarding.name%3Dcrud')
    expect(list.json.kind).toBe('EventList')
    expect(list.json.items).toHaveLength(1)
    expect(list.json.items[0]).toMatchObject({
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      regarding: {kind: 'AIMService', name: 'crud'},
      note: 'model resolved',
      deprecatedSource: {component: 'aim'},
      deprecatedCount: 2,
    })
    expect(list.json.items[0].involvedObject).toBeUndefined()
    const created = await call('POST', '/apis/events.k8s.io/v1/namespaces/default/events', {
      body: {apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: {name: 'e2'}, regarding: {kind: 'Pod', name: 'p'}, note: 'via v1', reason: 'Pulled', type: 'Normal', reportingController: 'kubelet', reportingInstance: 'n1', action: 'Pull', eventTime: '2026-01-01T00:00:00.000000Z'},
    })
    expect(created.status).toBe(201)
    const core = store.mustGet({group: '', plural: 'events'}, 'default', 'e2') as Record<string, unknown>
    expect(core).toMatchObject({apiVersion: 'v1', involvedObject: {kind: 'Pod', name: 'p'}, message: 'via v1', reportingComponent: 'kubelet'})
  })
})

describe('metrics.k8s.io (kubectl top)', () => {
  it('is discoverable and reports running pods and every node', async () => {
    const apis = await call('GET', '/apis')
    expect(apis.json.groups.map((g: {name: string}) => g.name)).toContain('metrics.k8s.io')
    store.create({apiVersion: 'v1', kind: 'Node', metadata: {name: 'metrics-node'}})
    store.create({apiVersion: 'v1', kind: 'Pod', metadata: {name: 'busy', namespace: 'default', labels: {m: 'yes'}}, spec: {nodeName: 'metrics-node', containers: [{name: 'c', image: 'i', resources: {requests: {cpu: '2', memory: '1Gi'}}}]}})
    store.mutate({group: '', plural: 'pods'}, 'default', 'busy', (o) => ({...o, status: {phase: 'Running'}}), {subresource: 'status'})
    const pods = await call('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=m%3Dyes')
    expect(pods.json.kind).toBe('PodMetricsList')
    expect(pods.json.items).toHaveLength(1)
    expect(pods.json.items[0].containers).toEqual([{name: 'c', usage: {cpu: '700000000n', memory: '786432Ki'}}])
    const node = await call('GET', '/apis/metrics.k8s.io/v1beta1/nodes/metrics-node')
    expect(node.json.usage).toEqual({cpu: '950000000n', memory: '1835008Ki'})
  })
})

describe('pods/log', () => {
  beforeAll(() => {
    store.create({apiVersion: 'v1', kind: 'Pod', metadata: {name: 'two', namespace: 'default'}, spec: {containers: [{name: 'a', image: 'i'}, {name: 'b', image: 'i'}]}})
    logs.append('default', 'two', 'a', 'alpha 1')
    logs.append('default', 'two', 'a', 'alpha 2')
  })

  it('text/plain lines, tailLines, timestamps', async () => {
    const all = await call('GET', '/api/v1/namespaces/default/pods/two/log?container=a')
    expect(all.headers['content-type']).toBe('text/plain')
    expect(all.text).toBe('alpha 1\nalpha 2\n')
    const tail = await call('GET', '/api/v1/namespaces/default/pods/two/log?container=a&tailLines=1&timestamps=true')
    expect(tail.text).toBe(`${new Date(clock.now()).toISOString().replace('Z', '000000Z')} alpha 2\n`)
  })

  it('400 when the container is ambiguous or unknown, 404 for a missing pod', async () => {
    const ambiguous = await call('GET', '/api/v1/namespaces/default/pods/two/log')
    expect([ambiguous.status, ambiguous.json.message]).toEqual([400, 'a container name must be specified for pod two, choose one of: [a b]'])
    const unknown = await call('GET', '/api/v1/namespaces/default/pods/two/log?container=zz')
    expect([unknown.status, unknown.json.message]).toEqual([400, 'container zz is not valid for pod two'])
    const missing = await call('GET', '/api/v1/namespaces/default/pods/nope/log')
    expect([missing.status, missing.json.message]).toEqual([404, 'pods "nope" not found'])
  })
})
