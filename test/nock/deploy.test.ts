import nock from 'nock'
import {parse} from 'yaml'
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import Deploy from '../../commands/deploy.js'
import {runCommand, writeKubeconfig} from '../e2e/harness.js'
import {NS, clusterModel, forbidden, list, llama70, llamaModel, noResource, notFound, unauthorized} from './fixtures/recorded.js'

const SERVER = 'http://127.0.0.1:59999'
const AIM = '/apis/aim.eai.amd.com/v1alpha1'
const JSON_HEADERS = {'Content-Type': 'application/json'}
let kubeconfig: string

beforeAll(() => {
  nock.disableNetConnect()
  kubeconfig = writeKubeconfig(SERVER, {namespace: NS})
})
afterEach(() => nock.cleanAll())
afterAll(() => nock.enableNetConnect())

function models(cluster: unknown[]) {
  return nock(SERVER)
    .get(`${AIM}/namespaces/${NS}/aimmodels`)
    .reply(200, list('AIMModel', []), JSON_HEADERS)
    .get(`${AIM}/aimclustermodels`)
    .reply(200, list('AIMClusterModel', cluster), JSON_HEADERS)
}

describe('deploy against recorded responses (nock)', () => {
  it('creates the AIMService with server-side apply and field manager kubectl-aim', async () => {
    let applied: {body?: unknown; type?: string; query?: string} = {}
    const scope = models([clusterModel, llamaModel])
      .get(`${AIM}/namespaces/${NS}/aimservices/qwen3-32b`)
      .reply(404, notFound('aimservices', 'qwen3-32b'), JSON_HEADERS)
      .patch(`${AIM}/namespaces/${NS}/aimservices/qwen3-32b`)
      .query(true)
      .reply(function (uri, body) {
        applied = {body: typeof body === 'string' ? JSON.parse(body) : body, type: String(this.req.headers['content-type']), query: uri.split('?')[1]}
        const obj = (typeof body === 'string' ? JSON.parse(body) : body) as {metadata: object}
        return [201, {...obj, metadata: {...obj.metadata, resourceVersion: '1', generation: 1}}, JSON_HEADERS]
      })
    const r = await runCommand(Deploy, ['qwen', '--no-wait', '--kubeconfig', kubeconfig])
    expect(r.stderr).toContain('aimservice.aim.eai.amd.com/qwen3-32b created in namespace ml-team (context: test)')
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toBe('aimservice.aim.eai.amd.com/qwen3-32b created')
    expect(applied.type).toBe('application/apply-patch+yaml')
    expect(applied.query).toContain('fieldManager=kubectl-aim')
    expect(applied.body).toMatchObject({apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', metadata: {name: 'qwen3-32b', namespace: NS}, spec: {model: {name: 'qwen-qwen3-32b'}}})
    expect(scope.isDone()).toBe(true)
  })

  it('reports "unchanged" when server-side apply leaves the object as it was', async () => {
    const current = {apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', metadata: {name: 'qwen3-32b', namespace: NS, generation: 1, resourceVersion: '77'}, spec: {model: {name: 'qwen-qwen3-32b'}, replicas: 1}}
    const scope = models([clusterModel])
      .get(`${AIM}/namespaces/${NS}/aimservices/qwen3-32b`)
      .reply(200, current, JSON_HEADERS)
      .patch(`${AIM}/namespaces/${NS}/aimservices/qwen3-32b`)
      .query(true)
      .reply(200, current, JSON_HEADERS)
    const r = await runCommand(Deploy, ['qwen', '--no-wait', '--kubeconfig', kubeconfig])
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toBe('aimservice.aim.eai.amd.com/qwen3-32b unchanged')
    expect(scope.isDone()).toBe(true)
  })

  it('reports "configured" when the apply changed the object', async () => {
    const current = {apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMService', metadata: {name: 'qwen3-32b', namespace: NS, generation: 1, resourceVersion: '77'}, spec: {model: {name: 'qwen-qwen3-32b'}, replicas: 1}}
    models([clusterModel])
      .get(`${AIM}/namespaces/${NS}/aimservices/qwen3-32b`)
      .reply(200, current, JSON_HEADERS)
      .patch(`${AIM}/namespaces/${NS}/aimservices/qwen3-32b`)
      .query(true)
      .reply(200, {...current, metadata: {...current.metadata, generation: 2, resourceVersion: '78'}, spec: {...current.spec, replicas: 2}}, JSON_HEADERS)
    const r = await runCommand(Deploy, ['qwen', '--replicas', '2', '--no-wait', '--kubeconfig', kubeconfig])
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toBe('aimservice.aim.eai.amd.com/qwen3-32b configured')
  })

  it('exits 2 listing the matches when MODEL is ambiguous', async () => {
    models([clusterModel, llamaModel, llama70])
    const r = await runCommand(Deploy, ['llama', '--no-wait', '--kubeconfig', kubeconfig])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('error: "llama" matches 2 models:')
    expect(r.stderr).toContain('aimclustermodel/meta-llama-llama-3-1-8b-instruct (meta-llama/Llama-3.1-8B-Instruct)')
    expect(r.stderr).toContain('aimclustermodel/meta-llama-llama-3-3-70b-instruct (meta-llama/Llama-3.3-70B-Instruct)')
    expect(r.stdout).toBe('')
  })

  it('exact model id wins over substring matches', async () => {
    models([clusterModel, llamaModel, llama70])
    const r = await runCommand(Deploy, ['meta-llama/Llama-3.1-8B-Instruct', '--dry-run', 'client', '-o', 'json', '--kubeconfig', kubeconfig])
    expect(r.code).toBe(0)
    const svc = JSON.parse(r.stdout)
    expect(svc.metadata.name).toBe('llama-3-1-8b-instruct')
    expect(svc.spec.model).toEqual({name: 'meta-llama-llama-3-1-8b-instruct'})
  })

  it('--image deploys that image; MODEL only names the service; a client dry run sends nothing (net connect is disabled)', async () => {
    const r = await runCommand(Deploy, ['My-Dummy', '--image', 'ghcr.io/silogen/aim-dummy:0.1.10', '--dry-run', 'client', '-o', 'json', '--kubeconfig', kubeconfig])
    expect(r.code).toBe(0)
    const svc = JSON.parse(r.stdout)
    expect(svc.metadata).toEqual({name: 'my-dummy', namespace: NS})
    expect(svc.spec).toEqual({model: {image: 'ghcr.io/silogen/aim-dummy:0.1.10'}})
  })

  it('exits 2 for an unknown model', async () => {
    models([clusterModel])
    const r = await runCommand(Deploy, ['mistral', '--kubeconfig', kubeconfig])
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe('error: no model matches "mistral"')
  })

  it('makes secretKeyRefs from --env-from-secret and never needs the value', async () => {
    models([clusterModel])
    const r = await runCommand(Deploy, ['qwen', '--env-from-secret', 'HF_TOKEN=secret/huggingface-creds/token', '--env', 'LOG=debug', '--dry-run', 'client', '-o', 'yaml', '--kubeconfig', kubeconfig])
    expect(r.code).toBe(0)
    expect(parse(r.stdout).spec.env).toEqual([
      {name: 'LOG', value: 'debug'},
      {name: 'HF_TOKEN', valueFrom: {secretKeyRef: {name: 'huggingface-creds', key: 'token'}}},
    ])
  })

  it('says the AIM Engine is not installed when the CRDs are missing', async () => {
    nock(SERVER).get(`${AIM}/namespaces/${NS}/aimmodels`).reply(404, noResource, JSON_HEADERS).get(`${AIM}/aimclustermodels`).reply(404, noResource, JSON_HEADERS)
    const r = await runCommand(Deploy, ['qwen', '--kubeconfig', kubeconfig])
    expect(r.code).toBe(1)
    expect(r.stderr.split('\n')[0]).toBe("error: the server doesn't have resource type aimmodels: is the AIM Engine installed?")
  })

  it('turns 401 and 403 into one line each', async () => {
    nock(SERVER).get(`${AIM}/namespaces/${NS}/aimmodels`).reply(401, unauthorized, JSON_HEADERS).get(`${AIM}/aimclustermodels`).reply(401, unauthorized, JSON_HEADERS)
    const r401 = await runCommand(Deploy, ['qwen', '--kubeconfig', kubeconfig])
    expect(r401.code).toBe(1)
    expect(r401.stderr.split('\n')[0]).toBe('error: You must be logged in to the server (Unauthorized)')

    models([clusterModel])
      .get(`${AIM}/namespaces/${NS}/aimservices/qwen3-32b`)
      .reply(404, notFound('aimservices', 'qwen3-32b'), JSON_HEADERS)
      .patch(`${AIM}/namespaces/${NS}/aimservices/qwen3-32b`)
      .query(true)
      .reply(403, forbidden('patch', 'aimservices', NS), JSON_HEADERS)
    const r403 = await runCommand(Deploy, ['qwen', '--kubeconfig', kubeconfig])
    expect(r403.code).toBe(1)
    const [line, hint] = r403.stderr.split('\n')
    expect(line).toBe(`error: forbidden: cannot apply aimservices in namespace "ml-team": aimservices.aim.eai.amd.com is forbidden: User "system:serviceaccount:ci:deployer" cannot patch resource "aimservices" in API group "aim.eai.amd.com" in the namespace "ml-team"`)
    expect(hint).toBe('ask for RBAC access: kubectl auth can-i patch aimservices -n ml-team')
    expect(r403.stderr).not.toMatch(/\n\s+at /)
  })

  it('a missing MODEL is a one-line usage error (exit 2)', async () => {
    const r = await runCommand(Deploy, ['--kubeconfig', kubeconfig])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('error: Missing 1 required arg: model model name, model id (org/name) or image\nsee: kubectl aim deploy --help\n')
  })

  it('rejects a bad --timeout with exit 2', async () => {
    const r = await runCommand(Deploy, ['qwen', '--timeout', 'soon', '--kubeconfig', kubeconfig])
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n')[0]).toBe('error: invalid --timeout "soon": use a duration like 90s, 10m or 1h')
  })
})
