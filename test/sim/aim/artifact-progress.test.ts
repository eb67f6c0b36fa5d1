/**
 * The downloader patches an artifact's status.progress up to 20 times a download; the artifact
 * reconciler reads of it only whether the download reached 100 % (Downloading or Verifying), so the
 * patches in between enqueue nothing, and everything else still does.
 */
import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../src/api/object.js'
import {artifactReconciler} from '../../../simulator/controllers/aim/artifact.js'
import type {ReconcileContext} from '../../../simulator/controllers/types.js'

const ctx = {} as ReconcileContext
const forChanged = artifactReconciler().forChanged!

function artifact(percentage: number, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'aim.eai.amd.com/v1alpha1',
    kind: 'AIMArtifact',
    metadata: {name: 'a', namespace: 'default', resourceVersion: String(percentage)},
    spec: {sourceUri: 'hf://org/model'},
    status: {
      status: 'Progressing',
      progress: {totalBytes: 100, downloadedBytes: percentage, percentage, displayPercentage: `${percentage} %`},
      download: {protocol: 'XET', message: `at ${percentage}`},
      ...extra,
    },
  }
}

describe('artifact reconciler and download progress', () => {
  it('ignores progress patches below 100 %', () => {
    expect(forChanged(artifact(35), artifact(30), ctx)).toBe(false)
    expect(forChanged(artifact(0), undefined, ctx)).toBe(true)
  })

  it('runs when the download reaches 100 % or anything else changes', () => {
    expect(forChanged(artifact(100), artifact(95), ctx)).toBe(true)
    expect(forChanged(artifact(35, {status: 'Failed'}), artifact(30), ctx)).toBe(true)
    expect(forChanged({...artifact(35), spec: {sourceUri: 'hf://org/other'}}, artifact(30), ctx)).toBe(true)
    const deleting = artifact(35)
    deleting.metadata.deletionTimestamp = '2026-01-01T00:00:00Z'
    expect(forChanged(deleting, artifact(30), ctx)).toBe(true)
  })
})
