/** The kubeconfig a client needs for the simulator: its CA, its bearer token, context `aim-simulator`. */
import {chmodSync, mkdirSync, writeFileSync} from 'node:fs'
import {dirname} from 'node:path'

export const CONTEXT_NAME = 'aim-simulator'

export function kubeconfigText(server: string, caPem: string, token: string, namespace = 'default'): string {
  const ca = Buffer.from(caPem, 'utf8').toString('base64')
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${CONTEXT_NAME}`,
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${ca}`,
    'users:',
    `- name: ${CONTEXT_NAME}`,
    '  user:',
    `    token: ${JSON.stringify(token)}`,
    'contexts:',
    `- name: ${CONTEXT_NAME}`,
    '  context:',
    `    cluster: ${CONTEXT_NAME}`,
    `    user: ${CONTEXT_NAME}`,
    `    namespace: ${namespace}`,
    `current-context: ${CONTEXT_NAME}`,
    'preferences: {}',
    '',
  ].join('\n')
}

/** Writes (or overwrites) the file with mode 0600: it holds a credential. */
export function writeKubeconfigFile(path: string, text: string): void {
  mkdirSync(dirname(path), {recursive: true})
  writeFileSync(path, text, {mode: 0o600})
  chmodSync(path, 0o600)
}
