import {describe, expect, it} from 'vitest'
import {describeModelCandidate, matchModelQuery, modelCandidates, type ModelCandidate} from '../../../src/engine/match.js'

const candidates: ModelCandidate[] = [
  {kind: 'AIMClusterModel', name: 'qwen-qwen3-32b', image: 'amdenterpriseai/aim-qwen-qwen3-32b:0.8.5', modelId: 'Qwen/Qwen3-32B'},
  {kind: 'AIMModel', name: 'aim-qwen-qwen3-32b-0-8-5-cdc1fb22', namespace: 'ml-team', image: 'amdenterpriseai/aim-qwen-qwen3-32b:0.8.5', modelId: 'Qwen/Qwen3-32B'},
  {kind: 'AIMClusterModel', name: 'meta-llama-llama-3-1-8b-instruct', image: 'amdenterpriseai/aim-meta-llama-llama-3-1-8b-instruct:0.8.5', modelId: 'meta-llama/Llama-3.1-8B-Instruct'},
  {kind: 'AIMClusterModel', name: 'meta-llama-llama-3-2-1b-instruct', image: 'amdenterpriseai/aim-meta-llama-llama-3-2-1b-instruct:0.8.5', modelId: 'meta-llama/Llama-3.2-1B-Instruct'},
]

describe('matchModelQuery (DESIGN §3 MODEL matching)', () => {
  it('takes an exact name, model id or image, preferring the namespaced model for the same image', () => {
    expect(matchModelQuery('meta-llama/Llama-3.1-8B-Instruct', candidates)).toEqual({type: 'model', model: candidates[2]})
    expect(matchModelQuery('amdenterpriseai/aim-qwen-qwen3-32b:0.8.5', candidates)).toEqual({type: 'model', model: candidates[1]})
  })

  it('falls back to a unique case-insensitive substring', () => {
    expect(matchModelQuery('QWEN', candidates)).toEqual({type: 'model', model: candidates[1]})
  })

  it('reports several substring matches as ambiguous, and an unmatched image reference as an image', () => {
    expect(matchModelQuery('llama', candidates)).toEqual({type: 'ambiguous', matches: [candidates[2], candidates[3]]})
    expect(matchModelQuery('ghcr.io/silogen/aim-dummy:0.1.10', candidates)).toEqual({type: 'image', image: 'ghcr.io/silogen/aim-dummy:0.1.10'})
    expect(matchModelQuery('mistral', candidates)).toEqual({type: 'none'})
  })

  it('builds candidates from AIMModels and AIMClusterModels, and describes them', () => {
    const built = modelCandidates(
      [{apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMModel', metadata: {name: 'm', namespace: 'ns'}, spec: {image: 'r/i:1'}}],
      [{apiVersion: 'aim.eai.amd.com/v1alpha1', kind: 'AIMClusterModel', metadata: {name: 'c'}, spec: {image: 'r/j:1'}, status: {imageMetadata: {model: {canonicalName: 'Org/J'}}}}],
    )
    expect(built).toEqual([
      {kind: 'AIMModel', name: 'm', namespace: 'ns', image: 'r/i:1', modelId: undefined},
      {kind: 'AIMClusterModel', name: 'c', namespace: undefined, image: 'r/j:1', modelId: 'Org/J'},
    ])
    expect(describeModelCandidate(built[1]!)).toBe('aimclustermodel/c (Org/J) image r/j:1')
  })
})
