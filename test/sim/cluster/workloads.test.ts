import {describe, expect, it} from 'vitest'
import {condition, deployment, eventsFor, startCluster} from './helpers.js'

const pods = {group: '', plural: 'pods'}

describe('deployments, replicasets, pods', () => {
  it('brings a deployment of a generic image to ready pods named <deploy>-<hash>-<suffix>', async () => {
    const {store, manager} = startCluster()
    store.create(deployment('web', 'default', 'nginx:1.27', 2))
    await manager.settle(10 * 60_000)
    const list = store.list(pods, {namespace: 'default'}).items
    expect(list).toHaveLength(2)
    for (const p of list) {
      expect(p.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{1,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
      expect((p.status as {phase: string}).phase).toBe('Running')
      expect(condition(p, 'Ready')?.status).toBe('True')
      expect(condition(p, 'PodScheduled')?.status).toBe('True')
      expect((p.status as {podIP?: string}).podIP).toMatch(/^10\.244\./)
    }
    const d = store.get({group: 'apps', plural: 'deployments'}, 'default', 'web')!
    expect(d.status).toMatchObject({replicas: 2, readyReplicas: 2, availableReplicas: 2, updatedReplicas: 2})
    expect(condition(d, 'Available')).toMatchObject({status: 'True', reason: 'MinimumReplicasAvailable'})
    expect(condition(d, 'Progressing')?.reason).toBe('NewReplicaSetAvailable')
    const podEvents = eventsFor(store, 'default', list[0]!.metadata.name!).map((e) => e.reason)
    expect(podEvents).toEqual(expect.arrayContaining(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']))
    manager.stop()
  })
})

describe('statefulsets', () => {
  it('creates ordered pods <sts>-0.. with their claims, one at a time', async () => {
    const {store, manager} = startCluster()
    store.create({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: {name: 'kv', namespace: 'default'},
      spec: {
        replicas: 2,
        serviceName: 'kv',
        selector: {matchLabels: {app: 'kv'}},
        template: {metadata: {labels: {app: 'kv'}}, spec: {containers: [{name: 'redis', image: 'redis:7'}]}},
        volumeClaimTemplates: [{metadata: {name: 'data'}, spec: {accessModes: ['ReadWriteOnce'], resources: {requests: {storage: '1Gi'}}}}],
      },
    })
    await manager.settle(5 * 60_000)
    expect(store.list(pods, {namespace: 'default'}).items.map((p) => p.metadata.name).sort()).toEqual(['kv-0', 'kv-1'])
    expect(store.list({group: '', plural: 'persistentvolumeclaims'}, {namespace: 'default'}).items.map((p) => [p.metadata.name, (p.status as {phase: string}).phase])).toEqual([
      ['data-kv-0', 'Bound'],
      ['data-kv-1', 'Bound'],
    ])
    expect(store.get({group: 'apps', plural: 'statefulsets'}, 'default', 'kv')!.status).toMatchObject({replicas: 2, readyReplicas: 2, availableReplicas: 2})
    const created = eventsFor(store, 'default', 'kv').filter((e) => e.reason === 'SuccessfulCreate').map((e) => e.message)
    expect(created).toEqual([
      'create Claim data-kv-0 Pod kv-0 in StatefulSet kv success',
      'create Pod kv-0 in StatefulSet kv successful',
      'create Claim data-kv-1 Pod kv-1 in StatefulSet kv success',
      'create Pod kv-1 in StatefulSet kv successful',
    ])
    manager.stop()
  })

  it('rolls a deployment to a new template: a new ReplicaSet, the old one scaled to zero', async () => {
    const {store, manager} = startCluster()
    store.create(deployment('web', 'default', 'nginx:1.27', 1))
    await manager.settle(60_000)
    store.mutate({group: 'apps', plural: 'deployments'}, 'default', 'web', (d) => {
      ;(d.spec as {template: {spec: {containers: Array<{image: string}>}}}).template.spec.containers[0]!.image = 'nginx:1.28'
    })
    await manager.settle(60_000)
    const sets = store.list({group: 'apps', plural: 'replicasets'}, {namespace: 'default'}).items
    expect(sets).toHaveLength(2)
    expect(sets.map((r) => (r.spec as {replicas: number}).replicas).sort()).toEqual([0, 1])
    const live = store.list(pods, {namespace: 'default'}).items
    expect(live).toHaveLength(1)
    expect(((live[0]!.spec as {containers: Array<{image: string}>}).containers[0]!.image)).toBe('nginx:1.28')
    const msgs = eventsFor(store, 'default', 'web').map((e) => e.message)
    expect(msgs.filter((m) => m.startsWith('Scaled down replica set web-'))).toHaveLength(1)
    manager.stop()
  })
})

describe('rolling update budget', () => {
  it('keeps at most replicas+maxSurge pods and at least replicas-maxUnavailable ready', async () => {
    const {store, clock, manager} = startCluster()
    store.create(deployment('web', 'default', 'nginx:1.27', 4))
    await manager.settle(60_000)
    store.mutate({group: 'apps', plural: 'deployments'}, 'default', 'web', (d) => {
      ;(d.spec as {template: {spec: {containers: Array<{image: string}>}}}).template.spec.containers[0]!.image = 'nginx:1.28'
    })
    let maxPods = 0
    let minReady = 4
    for (let i = 0; i < 60; i++) {
      await manager.idle()
      const live = store.list(pods, {namespace: 'default'}).items
      maxPods = Math.max(maxPods, live.length)
      minReady = Math.min(minReady, live.filter((p) => condition(p, 'Ready')?.status === 'True').length)
      await clock.advance(500)
    }
    await manager.settle(60_000)
    // 25% of 4: surge 1, unavailable 1.
    expect(maxPods).toBeLessThanOrEqual(5)
    expect(minReady).toBeGreaterThanOrEqual(3)
    const live = store.list(pods, {namespace: 'default'}).items
    expect(live.map((p) => (p.spec as {containers: Array<{image: string}>}).containers[0]!.image)).toEqual(['nginx:1.28', 'nginx:1.28', 'nginx:1.28', 'nginx:1.28'])
    const d = store.get({group: 'apps', plural: 'deployments'}, 'default', 'web')!
    expect(condition(d, 'Progressing')?.reason).toBe('NewReplicaSetAvailable')
    manager.stop()
  })
})
