import nock from 'nock'
import {parse} from 'yaml'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import Status from '../../commands/status.js'
import {runCommand, writeKubeconfig} from '../e2e/harness.js'
import {NS, list, noResource, notFound, runningService} from './fixtures/recorded.js'

const SERVER = 'http://127.0.0.1:59998'
const AIM = '/apis/aim.eai.amd.com/v1alpha1'
const H = {'Content-Type': 'application/json'}
const ISVC = 'qwen-chat-a04542d9'
let kubeconfig: string

const isvc = {
  apiVersion: 'serving.kserve.io/v1beta1',
  kind: 'InferenceService',
  metadata: {name: ISVC, namespace: NS, labels: {'aim.eai.amd.com/service.name': 'qwen-chat'}},
  status: {url: `http://${ISVC}.${NS}.svc.cluster.local`, conditions: [{type: 'Ready', status: 'True'}]},
}
const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {name: `${ISVC}-predictor-7d9f8-x2k4q`, namespace: NS, labels: {'serving.kserve.io/inferenceservice': ISVC}},
  spec: {nodeName: 'gpu-node-1', containers: [{name: 'kserve-container'}]},
  status: {phase: 'Running', containerStatuses: [{name: 'kserve-container', ready: true, restartCount: 2, state: {running: {}}}]},
}
const cacheName = runningService.status.cache.templateCacheRef.name
const artifact = {
  apiVersion: 'aim.eai.amd.com/v1alpha1',
  kind: 'AIMArtifact',
  metadata: {name: 'hf---qwen-qwen3-32b-c00b812b59', namespace: NS, labels: {'aim.eai.amd.com/template-cache.name': cacheName}},
  spec: {sourceUri: 'hf://Qwen/Qwen3-32B', modelId: 'Qwen/Qwen3-32B'},
  status: {status: 'Ready', displaySize: '61 GB', progress: {percentage: 100, displayPercentage: '100 %'}, persistentVolumeClaim: 'hf---qwen-qwen3-32b-c00b812b59-cache-1a2b3c4d', mode: 'Shared'},
}
const warning = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: {name: 'x.1', namespace: NS},
  involvedObject: {kind: 'Pod', name: pod.metadata.name, namespace: NS},
  type: 'Warning',
  reason: 'BackOff',
  message: 'Back-off restarting failed container kserve-container',
  count: 2,
  firstTimestamp: '2026-01-01T00:05:00Z',
  lastTimestamp: '2026-01-01T00:10:00Z',
}

beforeAll(() => {
  nock.disableNetConnect()
  kubeconfig = writeKubeconfig(SERVER, {namespace: NS})
})
afterEach(() => nock.cleanAll())
afterAll(() => nock.enableNetConnect())

function cluster() {
  return nock(SERVER)
    .get(`${AIM}/namespaces/${NS}/aimservices/qwen-chat`)
    .reply(200, runningService, H)
    .get('/apis/serving.kserve.io/v1beta1/namespaces/ml-team/inferenceservices')
    .query({labelSelector: 'aim.eai.amd.com/service.name=qwen-chat'})
    .reply(200, list('InferenceServiceList', [isvc]), H)
    .get('/api/v1/namespaces/ml-team/pods')
    .query({labelSelector: `serving.kserve.io/inferenceservice=${ISVC}`})
    .reply(200, list('Pod', [pod]), H)
    .get(`${AIM}/namespaces/${NS}/aimtemplatecaches/${cacheName}`)
    .reply(200, {apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMTemplateCache', metadata: {name: cacheName, namespace: NS}, spec: {mode: 'Shared', templateName: 'aim-qwen-qwen3-32b-0-8-5-1x-mi300x-lat-fp16-bf78', templateScope: 'Namespace'}, status: {status: 'Ready', resolvedTemplateKind: 'AIMServiceTemplate', artifacts: {[artifact.metadata.name]: {uid: 'a-1', name: artifact.metadata.name, model: 'Qwen/Qwen3-32B', status: 'Ready', persistentVolumeClaim: artifact.status.persistentVolumeClaim}}}}, H)
    .get(`${AIM}/namespaces/${NS}/aimartifacts`)
    .reply(200, list('AIMArtifact', [artifact, {...artifact, metadata: {name: 'hf---other-0000000000', namespace: NS, labels: {'aim.eai.amd.com/template-cache.name': 'other'}}}]), H)
    .get('/api/v1/namespaces/ml-team/events')
    .query({fieldSelector: 'type=Warning'})
    .reply(200, list('Event', [warning]), H)
}

describe('status against recorded responses (nock)', () => {
  it('prints the single-service report as plain text off a TTY', async () => {
    const scope = cluster()
    const r = await runCommand(Status, ['qwen-chat', '--kubeconfig', kubeconfig])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(scope.isDone()).toBe(true)
    const out = r.stdout
    expect(out).not.toMatch(/\u001b\[/)
    expect(out).toContain('Status:      Running')
    expect(out).toContain('Template:    aim-qwen-qwen3-32b-0-8-5-1x-mi300x-lat-fp16-bf78 (Namespace)')
    expect(out).toMatch(/✓ Ready\s+AllComponentsReady\s+All components are ready/)
    expect(out).toMatch(/qwen-chat-a04542d9-predictor-7d9f8-x2k4q\s+1\/1\s+Running\s+gpu-node-1\s+2/)
    expect(out).toContain('Qwen/Qwen3-32B  [####################] 100%  61 GB  Ready')
    expect(out).toContain('HF_TOKEN=<from secret huggingface-creds/token>')
    expect(out).toMatch(/BackOff\s+pod\/qwen-chat-a04542d9-predictor-7d9f8-x2k4q\s+Back-off restarting failed container kserve-container \(x2 over 5m\)/)
    expect(out).toContain('kubectl -n ml-team describe aimservice qwen-chat')
  })

  it('-o json is a StatusReport with every section', async () => {
    cluster()
    const r = await runCommand(Status, ['qwen-chat', '-o', 'json', '--kubeconfig', kubeconfig])
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout)
    expect(doc.apiVersion).toBe('cli.aim.eai.amd.com/v1alpha1')
    expect(doc.kind).toBe('StatusReport')
    expect(doc.service).toMatchObject({name: 'qwen-chat', namespace: NS, status: 'Running', replicas: '1', cachingMode: 'Shared'})
    expect(doc.pods).toEqual([{name: pod.metadata.name, phase: 'Running', ready: '1/1', node: 'gpu-node-1', restarts: 2}])
    expect(doc.cache.artifacts[0]).toMatchObject({modelId: 'Qwen/Qwen3-32B', percentage: 100, status: 'Ready'})
    expect(doc.env).toEqual([{name: 'HF_TOKEN', from: 'secret huggingface-creds/token'}])
    expect(doc.events).toHaveLength(1)
  })

  it('-o yaml parses to the same report', async () => {
    cluster()
    const r = await runCommand(Status, ['qwen-chat', '-o', 'yaml', '--kubeconfig', kubeconfig])
    expect(r.code).toBe(0)
    expect(parse(r.stdout)).toMatchObject({kind: 'StatusReport', service: {name: 'qwen-chat'}})
  })

  it('lists services as a table with a REASON column', async () => {
    const pending = {
      ...runningService,
      metadata: {...runningService.metadata, name: 'llama'},
      status: {status: 'Pending', conditions: [{type: 'TemplateReady', status: 'False', reason: 'TemplateSelectionAmbiguous', message: 'two templates tie'}]},
    }
    nock(SERVER).get(`${AIM}/namespaces/${NS}/aimservices`).reply(200, list('AIMService', [runningService, pending]), H)
    const r = await runCommand(Status, ['--kubeconfig', kubeconfig])
    expect(r.code).toBe(0)
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^NAME\s+STATUS\s+MODEL\s+TEMPLATE\s+REPLICAS\s+ENDPOINT\s+AGE\s+REASON$/)
    expect(lines[1]).toMatch(/^llama\s+Pending\s+/)
    expect(lines[1]).toMatch(/TemplateSelectionAmbiguous$/)
    expect(lines[2]).toMatch(/^qwen-chat\s+Running\s+aim-qwen-qwen3-32b-0-8-5-cdc1fb22\s+/)
  })

  it('says "No resources found" on stderr for an empty namespace', async () => {
    nock(SERVER).get(`${AIM}/namespaces/${NS}/aimservices`).reply(200, list('AIMService', []), H)
    const r = await runCommand(Status, ['--kubeconfig', kubeconfig])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe('No resources found in ml-team namespace.\n')
  })

  it('names what was looked for on 404, and the AIM Engine when the CRDs are missing', async () => {
    nock(SERVER).get(`${AIM}/namespaces/${NS}/aimservices/nope`).reply(404, notFound('aimservices', 'nope'), H)
    const r = await runCommand(Status, ['nope', '--kubeconfig', kubeconfig])
    expect(r.code).toBe(1)
    expect(r.stderr.split('\n')[0]).toBe('error: aimservices "nope" not found in namespace "ml-team"')

    nock(SERVER).get(`${AIM}/aimservices`).reply(404, noResource, H)
    const r2 = await runCommand(Status, ['-A', '--kubeconfig', kubeconfig])
    expect(r2.code).toBe(1)
    expect(r2.stderr.split('\n')[0]).toBe("error: the server doesn't have resource type aimservices: is the AIM Engine installed?")
  })

  it('colours with FORCE_COLOR off a TTY, never with --no-color or NO_COLOR', async () => {
    cluster()
    const forced = await runCommand(Status, ['qwen-chat', '--kubeconfig', kubeconfig], {env: {NO_COLOR: undefined, FORCE_COLOR: '1'}})
    expect(forced.stdout).toContain('\u001b[32mRunning\u001b[39m')
    cluster()
    const off = await runCommand(Status, ['qwen-chat', '--no-color', '--kubeconfig', kubeconfig], {env: {NO_COLOR: undefined, FORCE_COLOR: '1'}})
    expect(off.stdout).not.toMatch(/\u001b\[/)
    cluster()
    const env = await runCommand(Status, ['qwen-chat', '--kubeconfig', kubeconfig], {env: {NO_COLOR: '', FORCE_COLOR: '1'}})
    expect(env.stdout).not.toMatch(/\u001b\[/)
  })

  it('prints a stack trace only with DEBUG=kubectl-aim', async () => {
    nock(SERVER).get(`${AIM}/namespaces/${NS}/aimservices/nope`).times(2).reply(404, notFound('aimservices', 'nope'), H)
    const quiet = await runCommand(Status, ['nope', '--kubeconfig', kubeconfig])
    expect(quiet.stderr).toBe('error: aimservices "nope" not found in namespace "ml-team"\n')
    const debug = await runCommand(Status, ['nope', '--kubeconfig', kubeconfig], {env: {DEBUG: 'kubectl-aim'}})
    expect(debug.stderr.split('\n')[0]).toBe('error: aimservices "nope" not found in namespace "ml-team"')
    expect(debug.stderr).toMatch(/\n\s+at /)
  })

  it('--request-timeout bounds a hung request with one line', async () => {
    nock(SERVER).get(`${AIM}/namespaces/${NS}/aimservices`).delay(2_000).reply(200, list('AIMService', []), H)
    const r = await runCommand(Status, ['--request-timeout', '200ms', '--kubeconfig', kubeconfig])
    expect(r.code).toBe(1)
    expect(r.stderr).toBe(`error: timed out waiting for the server at ${SERVER} to list aimservices\nraise --request-timeout (e.g. 1m), or check the cluster\n`)
    const bad = await runCommand(Status, ['--request-timeout', 'soon', '--kubeconfig', kubeconfig])
    expect(bad.code).toBe(2)
    expect(bad.stderr.split('\n')[0]).toBe('error: invalid --request-timeout "soon": use a duration like 30s or 1m (0: none)')
  })

  it('rejects an unknown flag with exit 2 and one line', async () => {
    const r = await runCommand(Status, ['--bogus', '--kubeconfig', kubeconfig])
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n')[0]).toMatch(/^error: Nonexistent flag: --bogus/)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })
})
