/**
 * `kubectl aim status NAME --watch` for an OME InferenceService: re-collects the OMEStatusReport
 * whenever the service or its pods change (see watchReports for the loop).
 */
import {K} from './aim.js'
import type {KubeClient} from './client.js'
import {buildOmeReport, OME_K, type OMEStatusReport} from './ome.js'
import {watchReports} from './report-watch.js'
import {OME_ISVC_LABEL} from '../engine/ome.js'

export async function watchOmeStatus(
  client: KubeClient,
  name: string,
  namespace: string,
  onReport: (r: OMEStatusReport) => Promise<void>,
  maxUpdates?: number,
): Promise<void> {
  await watchReports(
    async () => buildOmeReport(client, await client.get(OME_K.isvc, name, namespace)),
    (changed) => [
      client.watch(OME_K.isvc, {namespace, name}, changed),
      client.watch(K.pod, {namespace, labelSelector: `${OME_ISVC_LABEL}=${name}`}, changed),
    ],
    onReport,
    maxUpdates,
  )
}
