import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../src/api/object.js'
import {condition, eventsFor, startCluster} from './helpers.js'

const pvcs = {group: '', plural: 'persistentvolumeclaims'}
const pvs = {group: '', plural: 'persistentvolumes'}
const routes = {group: 'gateway.networking.k8s.io', plural: 'httproutes'}

function pvc(name: string, storageClassName?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {name, namespace: 'default'},
    spec: {accessModes: ['ReadWriteMany'], resources: {requests: {storage: '68Gi'}}, ...(storageClassName ? {storageClassName} : {})},
  }
}

function route(name: string, gateway: {name: string; namespace: string}, backend = 'svc-predictor'): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: {name, namespace: 'default'},
    spec: {
      parentRefs: [{group: 'gateway.networking.k8s.io', kind: 'Gateway', ...gateway}],
      rules: [{matches: [{path: {type: 'PathPrefix', value: '/default/chat'}}], backendRefs: [{kind: 'Service', name: backend, port: 80}]}],
    },
  }
}

describe('PVC binder', () => {
  it('binds a claim of the default class with a provisioned PV', async () => {
    const {store, manager} = startCluster()
    store.create(pvc('cache'))
    await manager.settle(60_000)
    const claim = store.get(pvcs, 'default', 'cache')!
    expect(claim.status).toEqual({phase: 'Bound', accessModes: ['ReadWriteMany'], capacity: {storage: '68Gi'}})
    expect((claim.spec as {storageClassName: string; volumeName: string}).storageClassName).toBe('standard')
    const pv = store.get(pvs, undefined, (claim.spec as {volumeName: string}).volumeName)!
    expect(pv.metadata.name).toBe(`pvc-${claim.metadata.uid}`)
    expect((pv.status as {phase: string}).phase).toBe('Bound')
    expect(eventsFor(store, 'default', 'cache').map((e) => e.reason)).toEqual(['ExternalProvisioning', 'Provisioning', 'ProvisioningSucceeded'])
    // Deleting the claim releases and deletes the dynamically provisioned volume.
    store.delete(pvcs, 'default', 'cache')
    await manager.settle(60_000)
    expect(store.get(pvs, undefined, pv.metadata.name!)).toBeUndefined()
    manager.stop()
  })

  it('leaves a claim of an unknown class Pending with ProvisioningFailed', async () => {
    const {store, manager} = startCluster()
    store.create(pvc('lost', 'fast-nvme'))
    await manager.settle(60_000)
    expect((store.get(pvcs, 'default', 'lost')!.status as {phase: string}).phase).toBe('Pending')
    expect(eventsFor(store, 'default', 'lost')).toContainEqual({type: 'Warning', reason: 'ProvisioningFailed', message: 'storageclass.storage.k8s.io "fast-nvme" not found', count: 1})
    // Creating the class later lets it bind.
    store.create({apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: {name: 'fast-nvme'}, provisioner: 'nvme.csi.example.com'})
    await manager.settle(60_000)
    expect((store.get(pvcs, 'default', 'lost')!.status as {phase: string}).phase).toBe('Bound')
    manager.stop()
  })
})

describe('Gateway API', () => {
  it('accepts a route whose parent Gateway exists and resolves its backend once the Service exists', async () => {
    const {store, manager} = startCluster()
    store.create(route('chat', {name: 'inference-gateway', namespace: 'gateways'}))
    await manager.settle(10_000)
    let r = store.get(routes, 'default', 'chat')!
    let parent = (r.status as {parents: Array<{controllerName: string; parentRef: Record<string, string>; conditions: Array<{type: string; status: string; reason: string; message?: string}>}>}).parents[0]!
    expect(parent.controllerName).toBe('kgateway.dev/kgateway')
    expect(parent.parentRef).toMatchObject({name: 'inference-gateway', namespace: 'gateways'})
    expect(parent.conditions.find((c) => c.type === 'Accepted')).toMatchObject({status: 'True', reason: 'Accepted'})
    expect(parent.conditions.find((c) => c.type === 'ResolvedRefs')).toMatchObject({status: 'False', reason: 'BackendNotFound', message: 'Service "svc-predictor" not found'})
    store.create({apiVersion: 'v1', kind: 'Service', metadata: {name: 'svc-predictor', namespace: 'default'}, spec: {ports: [{port: 80}]}})
    await manager.settle(10_000)
    r = store.get(routes, 'default', 'chat')!
    parent = (r.status as {parents: typeof parent[]}).parents[0]!
    expect(parent.conditions.find((c) => c.type === 'ResolvedRefs')).toMatchObject({status: 'True', reason: 'ResolvedRefs'})
    const gw = store.get({group: 'gateway.networking.k8s.io', plural: 'gateways'}, 'gateways', 'inference-gateway')!
    expect(condition(gw, 'Programmed')?.status).toBe('True')
    expect((gw.status as {listeners: Array<{attachedRoutes: number}>}).listeners[0]!.attachedRoutes).toBe(1)
    manager.stop()
  })

  it('writes no status for a route whose parent Gateway does not exist', async () => {
    const {store, manager} = startCluster()
    store.create(route('orphan', {name: 'missing-gateway', namespace: 'gateways'}))
    await manager.settle(10_000)
    expect(store.get(routes, 'default', 'orphan')!.status).toBeUndefined()
    manager.stop()
  })
})
