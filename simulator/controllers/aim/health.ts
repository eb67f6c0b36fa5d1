/**
 * Component health → conditions → overall status, through the engine's rollup (reference §10).
 * This file only adapts the reconcilers' component list to `rollupStatus`.
 */
import type {Condition} from '../../../src/api/object.js'
import {rollupStatus, type Dependency} from '../../../src/engine/status.js'
import type {Health} from '../../../src/engine/types.js'
import type {ConditionInput} from './common.js'

export type {Dependency}

export interface Component {
  /** Condition type is `<name>Ready`. */
  name: string
  health: Health
  dependency: Dependency
}

/**
 * Conditions (component `<X>Ready`, the framework conditions that apply, `Ready`) and the overall
 * status. `kind: 'service'` gives AIMService values (Starting/Running). `keepStatus` keeps the old
 * status during the grace period of an infrastructure error.
 */
export function finishStatus(
  components: Component[],
  kind: 'service' | 'other',
  keepStatus?: string,
  previous: Condition[] = [],
): {status: string; conditions: ConditionInput[]; blocked: boolean} {
  const r = rollupStatus(
    components.map((c) => ({...c.health, component: c.name, dependency: c.dependency})),
    {kind: kind === 'service' ? 'AIMService' : undefined, previous},
  )
  const blocked = components.some((c) => c.health.error === 'Auth' || c.health.error === 'InvalidSpec' || c.health.error === 'MissingUpstreamDependency')
  return {status: keepStatus ?? r.status, conditions: r.conditions, blocked}
}
