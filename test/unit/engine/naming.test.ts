import {describe, expect, it} from 'vitest'
import {
  NamingError,
  artifactName,
  checkSizeJobName,
  customModelName,
  customTemplateName,
  derivedTemplateName,
  discoveryJobName,
  downloadJobName,
  extractImageParts,
  generateDerivedName,
  goJson,
  httpRouteName,
  inferenceServiceName,
  makeRfc1123Compliant,
  modelNameFromImage,
  pvcName,
  sanitizeLabelValue,
  templateCacheName,
  templateNameForDeployment,
} from '../../../src/engine/index.js'

describe('naming goldens (reference §3 examples, computed with node:crypto)', () => {
  it('InferenceService and HTTPRoute of qwen-chat in ml-team', () => {
    expect(inferenceServiceName('qwen-chat', 'ml-team')).toBe('qwen-chat-a04542d9')
    expect(httpRouteName('qwen-chat', 'ml-team')).toBe('qwen-chat-a04542d9')
  })
  it('AIMModel from an image', () => {
    expect(modelNameFromImage('amdenterpriseai/aim-qwen-qwen3-32b:0.8.5')).toBe('aim-qwen-qwen3-32b-0-8-5-cdc1fb22')
    expect(modelNameFromImage('ghcr.io/silogen/aim-dummy:0.1.10')).toBe('aim-dummy-0-1-10-9bf80281')
  })
  it('template from a recommended deployment (shortened to 63)', () => {
    const n = templateNameForDeployment(
      {name: 'aim-qwen-qwen3-32b-0-8-5-cdc1fb22', image: 'amdenterpriseai/aim-qwen-qwen3-32b:0.8.5'},
      {gpuModel: 'MI300X', gpuCount: 1, metric: 'latency', precision: 'fp16'},
    )
    expect(n).toBe('amdenterpriseai-aim-qwen-qwen3-32b-0-8-1x-mi300x-lat-fp16-bf78')
    expect(n.length).toBeLessThanOrEqual(63)
  })
  it('artifact from a source URI', () => {
    expect(artifactName({sourceUri: 'hf://Qwen/Qwen3-32B'})).toBe('hf---qwen-qwen3-32b-c00b812b59')
    expect(artifactName({sourceUri: 'hf://Qwen/Qwen3-32B', mode: 'Dedicated', cacheName: 'c'})).not.toBe('hf---qwen-qwen3-32b-c00b812b59')
  })
  it('derived template (the reference prints ac2b; our hash inputs give b7ae — pinned)', () => {
    expect(derivedTemplateName('my-template', {gpuModel: 'MI325X', precision: 'fp16'})).toBe('my-template-ovr-mi325x-fp16-b7ae')
  })
  it('template cache: Shared by namespace, Dedicated by service UID', () => {
    const shared = templateCacheName('qwen3-32b-latency', {namespace: 'ml-team'}, 'Shared')
    expect(shared).toMatch(/^qwen3-32b-latency-[0-9a-f]{8}$/)
    expect(templateCacheName('qwen3-32b-latency', {namespace: 'other'}, 'Shared')).not.toBe(shared)
    expect(templateCacheName('qwen3-32b-latency', {svcName: 'chat', svcUid: 'u1'}, 'Dedicated')).toMatch(/^qwen3-32b-latency-chat-[0-9a-f]{8}$/)
  })
  it('PVC, download and check-size Jobs of an artifact', () => {
    expect(pvcName('hf---qwen-qwen3-32b-c00b812b59', 'u')).toMatch(/^hf---qwen-qwen3-32b-c00b812b59-cache-[0-9a-f]{8}$/)
    expect(downloadJobName('a', 'u')).toMatch(/^a-download-[0-9a-f]{8}$/)
    expect(checkSizeJobName('a', 'u')).toMatch(/^a-check-size-[0-9a-f]{8}$/)
  })
  it('discovery Job: discover-<template cut to 45>-<8 hex>, at most 63 characters', () => {
    const n = discoveryJobName({templateName: 'x'.repeat(60), modelName: 'm', image: 'i:1'})
    expect(n).toMatch(/^discover-x{45}-[0-9a-f]{8}$/)
    expect(n).toHaveLength(63)
    expect(discoveryJobName({templateName: 't', modelName: 'm', image: 'i:1', metric: 'latency'})).not.toBe(discoveryJobName({templateName: 't', modelName: 'm', image: 'i:1'}))
  })
  it('custom model and custom template names are deterministic and distinct', () => {
    const a = customModelName({baseImage: 'amdenterpriseai/aim-base:0.9', modelSources: [{modelId: 'my-org/llama', sourceUri: 's3://b/w/'}]})
    expect(a).toMatch(/^my-org-llama-[0-9a-f]{8}$/)
    expect(customModelName({baseImage: 'amdenterpriseai/aim-base:0.9', modelSources: [{modelId: 'my-org/llama', sourceUri: 's3://b/x/'}]})).not.toBe(a)
    expect(customTemplateName('my-model', 0, {name: 'tp1', precision: 'fp16', gpuModel: 'MI300X'})).toMatch(/^my-model-custom-tp1-fp16-mi300x-[0-9a-f]{8}$/)
  })
})

describe('generateDerivedName', () => {
  it('sanitises parts without collapsing runs and appends the hash', () => {
    expect(generateDerivedName(['A_B..C'], ['x'])).toMatch(/^a-b--c-[0-9a-f]{8}$/)
  })
  it('shortens the longest part first (first on a tie) and trims its trailing dash', () => {
    const n = generateDerivedName(['aaaaaaaaaa', 'bbbbbbbbbb'], ['x'], {maxLength: 25, hashLength: 4})
    // 10 + 1 + 10 + 5 = 26 > 25: the first of the two longest loses a character
    expect(n).toMatch(/^aaaaaaaaa-bbbbbbbbbb-[0-9a-f]{4}$/)
    expect(n.length).toBe(25)
  })
  it('ISVC name leaves room for -predictor and the namespace', () => {
    const ns = 'n'.repeat(30)
    const n = inferenceServiceName('s'.repeat(60), ns)
    expect(n.length).toBe(63 - 11 - 30)
    expect(() => inferenceServiceName('svc', 'n'.repeat(43))).toThrow(NamingError)
  })
  it('empty parts become "part"', () => {
    expect(makeRfc1123Compliant('---')).toBe('part')
    expect(makeRfc1123Compliant('X'.repeat(70))).toBe('x'.repeat(63))
  })
  it('hashes Go-JSON of the inputs (null for nil, escaped <>&)', () => {
    expect(goJson(undefined)).toBe('null')
    expect(goJson('a<b')).toBe('"a\\u003cb"')
  })
})

describe('extractImageParts', () => {
  it('docker.io default, registry detection, name and tag', () => {
    expect(extractImageParts('amdenterpriseai/aim-qwen-qwen3-32b:0.8.5')).toEqual({registry: 'docker.io', repository: 'amdenterpriseai/aim-qwen-qwen3-32b', name: 'aim-qwen-qwen3-32b', tag: '0-8-5'})
    expect(extractImageParts('ghcr.io/silogen/aim-dummy:0.1.10').registry).toBe('ghcr.io')
    expect(extractImageParts('localhost/x').tag).toBe('latest')
    expect(extractImageParts('localhost:5000/x:1').registry).toBe('localhost:5000')
  })
  it('a digest gives the first 6 hex characters as the tag', () => {
    expect(extractImageParts('repo/img@sha256:abcdef0123456789').tag).toBe('abcdef')
  })
  it('an empty name or tag is an invalid reference', () => {
    expect(() => extractImageParts('repo/img:...')).toThrow(NamingError)
    expect(() => modelNameFromImage('')).toThrow(NamingError)
  })
})

describe('sanitizeLabelValue', () => {
  it('lowercases, replaces runs with _, trims, caps at 63', () => {
    expect(sanitizeLabelValue('Qwen/Qwen3 32B')).toBe('qwen_qwen3_32b')
    expect(sanitizeLabelValue('--fp16--')).toBe('fp16')
    expect(sanitizeLabelValue('a'.repeat(70))).toHaveLength(63)
  })
})
