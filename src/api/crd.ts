/**
 * apiextensions.k8s.io/v1 CustomResourceDefinitions for the AIM kinds (and the legacy and OME groups
 * when asked), written from the registry and the schemas: what `kubectl aim crds` prints and what a
 * real cluster would have installed.
 */
import type {KubeObject} from './object.js'
import {AIM_GROUP, AIM_LEGACY_GROUP, ALL_KINDS, type KindInfo, OME_GROUP} from './registry.js'
import {wireSchema} from './schema.js'
import {schemaFor} from './schemas/index.js'

/** One CRD for one kind. */
export function customResourceDefinition(info: KindInfo): KubeObject {
  const version: Record<string, unknown> = {
    name: info.version,
    served: true,
    storage: true,
    schema: {openAPIV3Schema: wireSchema(schemaFor(info))},
  }
  if (info.printerColumns.length > 0) {
    version.additionalPrinterColumns = info.printerColumns.map((c) => ({
      ...(c.description ? {description: c.description} : {}),
      ...(c.format ? {format: c.format} : {}),
      jsonPath: c.jsonPath,
      name: c.name,
      ...(c.priority ? {priority: c.priority} : {}),
      type: c.type,
    }))
  }
  const subresources: Record<string, unknown> = {}
  if (info.subresources.status) subresources.status = {}
  if (info.subresources.scale) subresources.scale = {...info.subresources.scale}
  if (Object.keys(subresources).length > 0) version.subresources = subresources
  const names: Record<string, unknown> = {kind: info.kind, listKind: info.listKind, plural: info.plural, singular: info.singular}
  if (info.shortNames.length > 0) names.shortNames = [...info.shortNames]
  if (info.categories.length > 0) names.categories = [...info.categories]
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {name: `${info.plural}.${info.group}`},
    spec: {
      group: info.group,
      names,
      scope: info.namespaced ? 'Namespaced' : 'Cluster',
      versions: [version],
    },
  }
}

/** The groups whose CRDs this project defines. */
export const CRD_GROUPS = [AIM_GROUP, AIM_LEGACY_GROUP, OME_GROUP] as const

/**
 * CRDs of every kind in the given groups (default: the AIM group only, what the AIM Engine operator
 * installs), sorted by name like `kubectl get crd`.
 */
export function customResourceDefinitions(groups: readonly string[] = [AIM_GROUP]): KubeObject[] {
  return ALL_KINDS.filter((k) => k.custom && groups.includes(k.group))
    .map(customResourceDefinition)
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))
}
