/** One line of `npm run bench`: a figure, and where a target exists, the target and the ratio. */
export interface BenchRow {
  area: string
  name: string
  value: number
  unit: 'ms' | 'ops/s' | 'x' | 'µs' | 'MB'
  target?: {op: '<' | '<=' | '>=' | '>'; value: number}
  note?: string
}

/** Each test/bench/<area>.ts exports `bench(): Promise<BenchRow[]>`; test/bench/run.ts prints them all. */
export type BenchModule = {bench: () => Promise<BenchRow[]>}
