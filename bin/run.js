#!/usr/bin/env node
// Help and version are answered without loading oclif when possible (bin/fast-path.js).
import {fastPath} from './fast-path.js'

if (!(await fastPath(process.argv.slice(2), new URL('../', import.meta.url)))) {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
}
