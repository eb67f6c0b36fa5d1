/**
 * src/engine — the pure, I/O-free domain logic of AIM: naming, GPUs, model and template resolution,
 * template selection with a trace, path templates, env/resources/storage, runtime config, status
 * rollup and legacy conversion. The simulator's reconcilers and the CLI import from here; nothing
 * else re-implements these rules.
 */
export * from './types.js'
export * from './quantity.js'
export * from './gpu.js'
export * from './naming.js'
export * from './selection.js'
export * from './resolution.js'
export * from './path.js'
export * from './status.js'
export * from './env.js'
export * from './resources.js'
export * from './storage.js'
export * from './config.js'
export * from './discovery.js'
export * from './convert.js'
export * from './ome.js'
export * from './match.js'
