import {describe, expect, it} from 'vitest'
import {podRequests} from '../../../src/engine/resources.js'

describe('podRequests', () => {
  it('sums containers, takes the max with init containers, and lets a limit stand in for a missing request', () => {
    const pod: Parameters<typeof podRequests>[0] = {
      spec: {
        containers: [
          {resources: {requests: {cpu: '500m', memory: '1Gi'}, limits: {'amd.com/gpu': '2'}}},
          {resources: {requests: {cpu: 1, 'amd.com/gpu': 1}}},
        ],
        initContainers: [{resources: {requests: {cpu: '4'}}}],
      },
    }
    expect(podRequests(pod)).toEqual({cpu: 4, memory: 2 ** 30, 'amd.com/gpu': 3})
  })

  it('is empty for a pod without resources', () => {
    expect(podRequests({spec: {containers: [{}]}})).toEqual({})
  })
})
