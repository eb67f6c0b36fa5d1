/**
 * Component health → conditions → overall status, through the engine's rollup (reference §10).
 * This file only adapts the reconcilers' component list to `rollupStatus`.
 */
import type {Condition} from '../../../src/api/object.js'
import {rollupStatus, type ComponentHealth, type Dependency} from '../../../src/engine/status.js'
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
  // One object shape for every component (no spread: this runs on every reconcile).
  const healths: ComponentHealth[] = new Array(components.length)
  let blocked = false
  for (let i = 0; i < components.length; i++) {
    const c = components[i]!
    const h = c.health
    healths[i] = {state: h.state, reason: h.reason, message: h.message, error: h.error, component: c.name, dependency: c.dependency}
    if (h.error === 'Auth' || h.error === 'InvalidSpec' || h.error === 'MissingUpstreamDependency') blocked = true
  }
  const r = rollupStatus(healths, {kind: kind === 'service' ? 'AIMService' : undefined, previous})
  return {status: keepStatus ?? r.status, conditions: r.conditions, blocked}
}
