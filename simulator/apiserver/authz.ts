/**
 * Self-review APIs some clients call before acting: `kubectl auth can-i` (SelfSubjectAccessReview,
 * SelfSubjectRulesReview) and `kubectl auth whoami` (SelfSubjectReview). The simulator has one
 * user, the bearer token's holder, who may do everything. Local adapter: these are request/answer
 * kinds that are never stored, so they are not in the registry.
 */
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {KindInfo} from '../../src/api/registry.js'
import {errors} from '../../src/api/status.js'
import {readBody, sendJson} from './http.js'

const review = (group: string, version: string, kind: string, plural: string): KindInfo => ({
  group,
  version,
  kind,
  listKind: `${kind}List`,
  plural,
  singular: kind.toLowerCase(),
  namespaced: false,
  custom: false,
  shortNames: [],
  categories: [],
  subresources: {},
  printerColumns: [],
  verbs: ['create'],
})

export const AUTHZ_KINDS: KindInfo[] = [
  review('authorization.k8s.io', 'v1', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews'),
  review('authorization.k8s.io', 'v1', 'SelfSubjectRulesReview', 'selfsubjectrulesreviews'),
  review('authentication.k8s.io', 'v1', 'SelfSubjectReview', 'selfsubjectreviews'),
]

export const AUTHZ_GROUPS = new Set(['authorization.k8s.io', 'authentication.k8s.io'])

export const SIMULATOR_USER = {username: 'aim-simulator-admin', groups: ['system:masters', 'system:authenticated']}

export async function serveReview(req: IncomingMessage, res: ServerResponse, group: string, version: string, rest: string[]): Promise<void> {
  const plural = rest[0] === 'namespaces' ? rest[2] : rest[0]
  const info = AUTHZ_KINDS.find((k) => k.group === group && k.version === version && k.plural === plural)
  if (!info) throw errors.notFound(group, plural ?? '', '')
  if (req.method !== 'POST') throw errors.methodNotAllowed('the server does not allow this method on the requested resource')
  let body: Record<string, unknown> = {}
  const text = await readBody(req)
  // kubectl sends these as protobuf; the answer does not depend on the question, so only JSON is read.
  if ((req.headers['content-type'] ?? '').includes('json')) {
    try {
      body = text.trim() ? (JSON.parse(text) as Record<string, unknown>) : {}
    } catch {
      throw errors.badRequest('the body of the request could not be decoded')
    }
  }
  const base = {apiVersion: `${group}/${version}`, kind: info.kind, metadata: {creationTimestamp: null}, spec: body.spec ?? {}}
  if (info.kind === 'SelfSubjectAccessReview') return sendJson(res, 201, {...base, status: {allowed: true, reason: 'the kubectl-aim simulator allows its one user everything'}})
  if (info.kind === 'SelfSubjectRulesReview') {
    return sendJson(res, 201, {...base, status: {resourceRules: [{verbs: ['*'], apiGroups: ['*'], resources: ['*']}], nonResourceRules: [{verbs: ['*'], nonResourceURLs: ['*']}], incomplete: false}})
  }
  return sendJson(res, 201, {apiVersion: `${group}/${version}`, kind: 'SelfSubjectReview', metadata: {creationTimestamp: null}, status: {userInfo: SIMULATOR_USER}})
}
