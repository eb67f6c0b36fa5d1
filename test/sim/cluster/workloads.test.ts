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
