import {afterEach, describe, expect, it} from 'vitest'
import {createHarness, type Harness} from './harness.js'

let h: Harness
afterEach(() => h?.stop())

const IMAGE = 'amdenterpriseai/aim-qwen-qwen3-32b:0.8.5'
const TEMPLATE = 'amdenterpriseai-aim-qwen-qwen3-32b-0-8-1x-mi300x-lat-fp16-bf78'
const SHARED_ARTIFACT = 'hf---qwen-qwen3-32b-c00b812b59'

function service(name: string, mode?: 'Shared' | 'Dedicated'): string {
  return `
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMService
metadata:
  name: ${name}
  namespace: ml-team
spec:
  model:
    image: ${IMAGE}
${mode ? `  caching:\n    mode: ${mode}` : ''}`
}

describe('caching (seed 001/002)', () => {
  it('Shared: an unowned template cache and artifact, a PVC with 10% headroom, a download Job', async () => {
    h = createHarness()
    h.apply(service('qwen-chat'))
    await h.settle()
    const [tc] = h.list('AIMTemplateCache', 'ml-team')
    expect(tc.spec).toMatchObject({templateName: TEMPLATE, templateScope: 'Namespace', mode: 'Shared'})
    expect(tc.metadata.ownerReferences ?? []).toEqual([])
    expect(tc.metadata.labels).toMatchObject({'aim.eai.amd.com/service': 'qwen-chat', 'aim.eai.amd.com/service.name': 'qwen-chat'})
    expect(tc.metadata.finalizers).toEqual(['aim.eai.amd.com/artifactcleanup'])
    expect(tc.status.status).toBe('Ready')
    expect(h.conditions(tc).ArtifactsReady).toEqual(['True', 'AllCachesReady', 'All caches are ready'])

    const art = h.get('AIMArtifact', 'ml-team', SHARED_ARTIFACT)
    expect(art.metadata.ownerReferences ?? []).toEqual([])
    expect(art.metadata.labels).toMatchObject({'template-created': 'true', 'aim.eai.amd.com/template-cache.name': tc.metadata.name, 'aim.eai.amd.com/template.index': '0'})
    expect(art.status).toMatchObject({status: 'Ready', mode: 'Shared', displaySize: '61 GiB', headroomPercent: 10, allocatedSize: '68Gi'})
    expect(art.status.progress).toEqual({totalBytes: 65541200936, downloadedBytes: 65541200936, percentage: 100, displayPercentage: '100 %'})
    expect(h.conditions(art).DownloadComplete).toEqual(['True', 'Verified', 'Download and verification complete'])
    expect(h.list('AIMArtifact', 'ml-team', `aim.eai.amd.com/template=${TEMPLATE}`).map((a) => a.metadata.name)).toEqual([SHARED_ARTIFACT])
    expect(tc.status.artifacts[SHARED_ARTIFACT]).toMatchObject({name: SHARED_ARTIFACT, model: 'Qwen/Qwen3-32B', status: 'Ready', persistentVolumeClaim: art.status.persistentVolumeClaim})

    const pvc = h.get('PersistentVolumeClaim', 'ml-team', art.status.persistentVolumeClaim)
    expect(pvc.spec.accessModes).toEqual(['ReadWriteMany'])
    expect(pvc.spec.resources.requests.storage).toBe('68Gi')
    expect(pvc.metadata.labels).toMatchObject({'aim.eai.amd.com/cache.name': SHARED_ARTIFACT, 'aim.eai.amd.com/cache.type': 'template-cache'})
    expect(pvc.metadata.ownerReferences[0]).toMatchObject({kind: 'AIMArtifact', name: SHARED_ARTIFACT})

    const [job] = h.list('Job', 'ml-team', 'aim.eai.amd.com/component=download')
    const c = job.spec.template.spec.containers[0]
    expect(c.name).toBe('model-download')
    expect(c.image).toBe('ghcr.io/silogen/aim-artifact-downloader:0.2.0')
    expect(c.args).toEqual(['hf://Qwen/Qwen3-32B'])
    expect(Object.fromEntries(c.env.map((e: any) => [e.name, e.value]))).toMatchObject({
      AIM_DOWNLOADER_PROTOCOL: 'XET,HF_TRANSFER',
      EXPECTED_SIZE_BYTES: '65541200936',
      MOUNT_PATH: '/cache',
      ARTIFACT_NAME: SHARED_ARTIFACT,
      ARTIFACT_NAMESPACE: 'ml-team',
    })
    expect(job.spec.template.spec.volumes).toEqual([{name: 'cache', persistentVolumeClaim: {claimName: pvc.metadata.name}}])
  })

  it('Shared: the cache survives the service and a second service reuses it', async () => {
    h = createHarness()
    h.apply(service('qwen-chat'))
    await h.settle()
    const cacheName = h.list('AIMTemplateCache', 'ml-team')[0].metadata.name
    h.delete('AIMService', 'ml-team', 'qwen-chat')
    await h.settle()
    expect(h.get('AIMService', 'ml-team', 'qwen-chat')).toBeUndefined()
    expect(h.list('InferenceService', 'ml-team')).toEqual([])
    expect(h.list('AIMTemplateCache', 'ml-team').map((c) => c.metadata.name)).toEqual([cacheName])
    expect(h.get('AIMArtifact', 'ml-team', SHARED_ARTIFACT).status.status).toBe('Ready')
    expect(h.list('PersistentVolumeClaim', 'ml-team')).toHaveLength(1)

    h.apply(service('qwen-two'))
    await h.settle()
    const s = h.get('AIMService', 'ml-team', 'qwen-two')
    expect(s.status.status).toBe('Running')
    expect(s.status.cache.templateCacheRef.name).toBe(cacheName)
    expect(h.list('AIMTemplateCache', 'ml-team')).toHaveLength(1)
    expect(h.list('Job', 'ml-team', 'aim.eai.amd.com/component=download')).toHaveLength(1)
  })

  it('Shared: a cache that never became Ready is removed with the service', async () => {
    h = createHarness()
    h.apply(service('qwen-chat'))
    // Discovery finishes after 5s; the download takes 5s more.
    await h.clock.advance(7_000)
    await h.manager.idle()
    const [tc] = h.list('AIMTemplateCache', 'ml-team')
    expect(tc.status.status).not.toBe('Ready')
    h.delete('AIMService', 'ml-team', 'qwen-chat')
    await h.settle()
    expect(h.list('AIMTemplateCache', 'ml-team')).toEqual([])
    expect(h.list('AIMArtifact', 'ml-team')).toEqual([])
  })

  it('Dedicated: service-owned cache and artifact, isolated from shared artifacts, garbage-collected with the service', async () => {
    h = createHarness()
    h.apply(service('shared-svc'))
    await h.settle()
    h.apply(service('qwen-chat', 'Dedicated'))
    await h.settle()
    const s = h.get('AIMService', 'ml-team', 'qwen-chat')
    expect(s.status.status).toBe('Running')
    const tc = h.get('AIMTemplateCache', 'ml-team', s.status.cache.templateCacheRef.name)
    expect(tc.spec.mode).toBe('Dedicated')
    expect(tc.metadata.ownerReferences[0]).toMatchObject({kind: 'AIMService', name: 'qwen-chat', uid: s.metadata.uid})
    const arts = h.list('AIMArtifact', 'ml-team')
    expect(arts).toHaveLength(2)
    const dedicated = arts.find((a) => a.metadata.name !== SHARED_ARTIFACT)!
    expect(dedicated.metadata.ownerReferences[0]).toMatchObject({kind: 'AIMTemplateCache', name: tc.metadata.name})
    expect(dedicated.status.mode).toBe('Dedicated')
    expect(h.list('PersistentVolumeClaim', 'ml-team')).toHaveLength(2)

    h.delete('AIMService', 'ml-team', 'qwen-chat')
    await h.settle()
    expect(h.get('AIMTemplateCache', 'ml-team', tc.metadata.name)).toBeUndefined()
    expect(h.list('AIMArtifact', 'ml-team').map((a) => a.metadata.name)).toEqual([SHARED_ARTIFACT])
    expect(h.list('PersistentVolumeClaim', 'ml-team')).toHaveLength(1)
    expect(h.get('AIMService', 'ml-team', 'shared-svc').status.status).toBe('Running')
  })
})

describe('AIMArtifact size check', () => {
  it('runs a check-size Job when the source has no size and sizes the PVC from its output', async () => {
    h = createHarness()
    h.apply(`
apiVersion: aim.eai.amd.com/v1alpha1
kind: AIMArtifact
metadata: {name: qwen-weights, namespace: ml-team}
spec:
  sourceUri: hf://Qwen/Qwen3-32B
  modelId: Qwen/Qwen3-32B
`)
    await h.settle()
    const [job] = h.list('Job', 'ml-team', 'aim.eai.amd.com/component=check-size')
    expect(job.spec.template.spec.containers[0]).toMatchObject({name: 'check-size', command: ['/check-size.sh', 'hf://Qwen/Qwen3-32B']})
    expect(job.spec.backoffLimit).toBe(2)
    const art = h.get('AIMArtifact', 'ml-team', 'qwen-weights')
    expect(art.status).toMatchObject({status: 'Ready', mode: 'Shared', allocatedSize: '68Gi'})
    expect(art.status.discoveredSizeBytes).toBe(h.manager.images.sourceSize('hf://Qwen/Qwen3-32B'))
    expect(h.get('RoleBinding', 'ml-team', 'aim-engine-artifact-status-updater')).toBeDefined()
  })
})
