import {describe, expect, it} from 'vitest'
import type {KubeObject, ManagedFieldsEntry} from '../../../src/api/object.js'
import {ApiError} from '../../../src/api/status.js'
import {VirtualClock} from '../../../simulator/clock/index.js'
import {createStore, type SimStore} from '../../../simulator/store/index.js'

const DEPLOY = {group: 'apps', plural: 'deployments'}

function setup(): {store: SimStore; clock: VirtualClock} {
  const clock = new VirtualClock()
  return {clock, store: createStore({clock, seed: 'ssa'})}
}

function svc(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject {
  return {apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', metadata: {name: 'web', namespace: 'default', ...metadata}, spec: {model: {name: 'llama'}, ...spec}}
}

function caught(fn: () => unknown): ApiError {
  try {
    fn()
  } catch (e) {
    if (e instanceof ApiError) return e
    throw e
  }
  throw new Error('expected an ApiError')
}

const entry = (o: KubeObject, manager: string): ManagedFieldsEntry | undefined => o.metadata.managedFields?.find((e) => e.manager === manager)

describe('store: server-side apply', () => {
  it('creates the object with an Apply entry listing the fields it set', () => {
    const {store, clock} = setup()
    const {object, created} = store.applyWithResult(svc({model: {name: 'llama'}, replicas: 1}, {labels: {app: 'web'}}), {fieldManager: 'kubectl'})
    expect(created).toBe(true)
    expect(object.metadata.uid).toBeDefined()
    expect(object.metadata.managedFields).toEqual([
      {
        manager: 'kubectl',
        operation: 'Apply',
        apiVersion: 'aim.eai.amd.com/v1alpha1',
        time: clock.nowISO(),
        fieldsType: 'FieldsV1',
        fieldsV1: {'f:metadata': {'f:labels': {'.': {}, 'f:app': {}}}, 'f:spec': {'.': {}, 'f:model': {'.': {}, 'f:name': {}}, 'f:replicas': {}}},
      },
    ])
  })

  it('re-applying the same manifest changes nothing', () => {
    const {store, clock} = setup()
    store.apply(svc({replicas: 1}), {fieldManager: 'kubectl'})
    const rv = store.resourceVersion()
    void clock.advance(60_000)
    const again = store.applyWithResult(svc({replicas: 1}), {fieldManager: 'kubectl'})
    expect(again.created).toBe(false)
    expect(store.resourceVersion()).toBe(rv)
  })

  it('conflicts with a client-side apply owner, in kube-apiserver wording', () => {
    const {store} = setup()
    store.create(svc({model: {name: 'llama'}, replicas: 1}), {fieldManager: 'kubectl-client-side-apply'})
    const e = caught(() => store.apply(svc({model: {name: 'llama'}, replicas: 3}), {fieldManager: 'kubectl'}))
    expect(e.code).toBe(409)
    expect(e.reason).toBe('Conflict')
    expect(e.message).toBe('Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using aim.eai.amd.com/v1alpha1: .spec.replicas')
    expect(e.status.details?.causes).toEqual([
      {reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using aim.eai.amd.com/v1alpha1', field: '.spec.replicas'},
    ])
  })

  it('lists several conflicts per manager', () => {
    const {store} = setup()
    store.create(svc({a: 1, b: 2}), {fieldManager: 'kubectl-edit'})
    const e = caught(() => store.apply(svc({a: 5, b: 6}), {fieldManager: 'kubectl'}))
    expect(e.message).toBe('Apply failed with 2 conflicts: conflicts with "kubectl-edit" using aim.eai.amd.com/v1alpha1:\n- .spec.a\n- .spec.b')
  })

  it('conflicts between two appliers name the other applier without an apiVersion', () => {
    const {store} = setup()
    store.apply(svc({replicas: 1}), {fieldManager: 'alice'})
    const e = caught(() => store.apply(svc({replicas: 2}), {fieldManager: 'bob'}))
    expect(e.message).toBe('Apply failed with 1 conflict: conflict with "alice": .spec.replicas')
  })

  it('force takes ownership of the conflicting fields', () => {
    const {store} = setup()
    store.create(svc({model: {name: 'llama'}, replicas: 1}), {fieldManager: 'kubectl-client-side-apply'})
    const o = store.apply(svc({replicas: 3}), {fieldManager: 'kubectl', force: true})
    expect((o.spec as {replicas: number}).replicas).toBe(3)
    expect(entry(o, 'kubectl')?.fieldsV1).toEqual({'f:spec': {'.': {}, 'f:model': {'.': {}, 'f:name': {}}, 'f:replicas': {}}})
    expect(entry(o, 'kubectl-client-side-apply')?.fieldsV1).toEqual({'f:spec': {'.': {}, 'f:model': {'.': {}, 'f:name': {}}}})
    // Now kubectl owns replicas: a plain re-apply has no conflict.
    expect((store.apply(svc({replicas: 4}), {fieldManager: 'kubectl'}).spec as {replicas: number}).replicas).toBe(4)
  })

  it('agreeing on a value is not a conflict, and the field is shared', () => {
    const {store} = setup()
    store.create(svc({replicas: 1}), {fieldManager: 'kubectl-client-side-apply'})
    const o = store.apply(svc({replicas: 1, extra: 'x'}), {fieldManager: 'kubectl'})
    expect(entry(o, 'kubectl')?.fieldsV1).toEqual({'f:spec': {'.': {}, 'f:extra': {}, 'f:model': {'.': {}, 'f:name': {}}, 'f:replicas': {}}})
    expect(entry(o, 'kubectl-client-side-apply')?.fieldsV1).toEqual({'f:spec': {'.': {}, 'f:model': {'.': {}, 'f:name': {}}, 'f:replicas': {}}})
  })

  it('removes fields the applier dropped unless someone else owns them', () => {
    const {store} = setup()
    store.apply(svc({a: 1, b: 2, c: 3}), {fieldManager: 'kubectl'})
    store.apply(svc({c: 3}), {fieldManager: 'other'})
    const o = store.apply(svc({a: 1}), {fieldManager: 'kubectl'})
    expect(o.spec).toEqual({model: {name: 'llama'}, a: 1, c: 3, replicas: 1}) // replicas: CRD default
  })

  it('merges built-in map lists by key', () => {
    const {store} = setup()
    const deploy = (containers: unknown[]): KubeObject => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {name: 'd', namespace: 'default'},
      spec: {template: {spec: {containers}}},
    })
    store.apply(deploy([{name: 'main', image: 'a:1'}]), {fieldManager: 'kubectl'})
    store.apply(deploy([{name: 'sidecar', image: 's:1'}]), {fieldManager: 'mesh'})
    const o = store.mustGet(DEPLOY, 'default', 'd')
    expect((o.spec as {template: {spec: {containers: Array<{name: string}>}}}).template.spec.containers.map((c) => c.name)).toEqual(['main', 'sidecar'])
    const e = caught(() => store.apply(deploy([{name: 'main', image: 'a:2'}]), {fieldManager: 'mesh'}))
    expect(e.message).toBe('Apply failed with 1 conflict: conflict with "kubectl": .spec.template.spec.containers[name="main"].image')
  })

  it('requires a field manager', () => {
    const {store} = setup()
    const e = caught(() => store.apply(svc({}), {fieldManager: ''}))
    expect(e.code).toBe(422)
    expect(e.message).toBe('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch')
  })

  it('applies status through the status subresource only', () => {
    const {store} = setup()
    store.apply(svc({replicas: 1}), {fieldManager: 'kubectl'})
    const o = store.apply({...svc({replicas: 9}), status: {status: 'Running'}}, {fieldManager: 'controller', subresource: 'status'})
    expect(o.status).toEqual({status: 'Running'})
    expect((o.spec as {replicas: number}).replicas).toBe(1)
    expect(entry(o, 'controller')).toMatchObject({operation: 'Apply', subresource: 'status', fieldsV1: {'f:status': {'.': {}, 'f:status': {}}}})
  })

  it('records Update entries for writes by named managers', () => {
    const {store} = setup()
    const a = store.create(svc({replicas: 1}), {fieldManager: 'kubectl-create'})
    const b = store.update({...a, spec: {model: {name: 'llama'}, replicas: 2, extra: true}}, {fieldManager: 'kubectl-edit'})
    expect(b.metadata.managedFields?.map((e) => [e.manager, e.operation, e.fieldsV1])).toEqual([
      ['kubectl-create', 'Update', {'f:spec': {'.': {}, 'f:model': {'.': {}, 'f:name': {}}}}],
      ['kubectl-edit', 'Update', {'f:spec': {'f:extra': {}, 'f:replicas': {}}}],
    ])
  })

  it('honours a stale resourceVersion in the applied object with 409', () => {
    const {store} = setup()
    store.apply(svc({replicas: 1}), {fieldManager: 'kubectl'})
    const e = caught(() => store.apply(svc({replicas: 2}, {resourceVersion: '1'}), {fieldManager: 'kubectl'}))
    expect(e.code).toBe(409)
  })
})
