/**
 * The cluster client for the kubectl global flags (kubeconfig, context, namespace, request
 * timeout), shared by KubeCommand and the fast paths. Loads the client module lazily.
 */
import type {KubeClient} from '../kube/client.js'
import {EXIT_USAGE, UserError} from '../kube/errors.js'

export type KubeFlags = {namespace?: string; context?: string; kubeconfig?: string; 'no-color'?: boolean; 'request-timeout'?: string}

export async function clientFor(flags: KubeFlags): Promise<KubeClient> {
  const [{KubeClient}, {parseDuration}] = await Promise.all([import('../kube/client.js'), import('../ui/format.js')])
  const raw = flags['request-timeout'] ?? '30s'
  const requestTimeoutMs = raw === '0' ? 0 : parseDuration(raw)
  if (requestTimeoutMs === undefined) throw new UserError(`invalid --request-timeout "${raw}": use a duration like 30s or 1m (0: none)`, EXIT_USAGE)
  return KubeClient.create({kubeconfig: flags.kubeconfig, context: flags.context, namespace: flags.namespace, requestTimeoutMs})
}
