/**
 * src/fast/flags.ts parses what oclif parses for plain command lines, from oclif.manifest.json,
 * and gives up (undefined) wherever oclif would report an error or do something it does not model.
 */
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {PassThrough} from 'node:stream'
import {describe, expect, it} from 'vitest'
import {argsFromStdin, parseFlags} from '../../src/fast/flags.js'
import {ROOT} from '../e2e/harness.js'

const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as object
const parse = (...argv: string[]) => parseFlags(manifest, 'status', argv)

describe('parseFlags on the status command of the manifest', () => {
  it('reads an arg, short and long options in every spelling, and applies defaults', () => {
    expect(parse('qwen')).toEqual({flags: {'request-timeout': '30s'}, args: {name: 'qwen'}})
    expect(parse('qwen', '-n', 'ml', '-o', 'json')).toEqual({flags: {namespace: 'ml', output: 'json', 'request-timeout': '30s'}, args: {name: 'qwen'}})
    expect(parse('-nml', '--output=yaml', 'qwen', '--request-timeout', '5s')).toEqual({flags: {namespace: 'ml', output: 'yaml', 'request-timeout': '5s'}, args: {name: 'qwen'}})
    expect(parse('-n=ml', '--kubeconfig', '/tmp/kc', '--context=c')).toEqual({flags: {namespace: 'ml', kubeconfig: '/tmp/kc', context: 'c', 'request-timeout': '30s'}, args: {}})
  })

  it('reads booleans', () => {
    expect(parse('-A', '--no-color')).toEqual({flags: {'all-namespaces': true, 'no-color': true, 'request-timeout': '30s'}, args: {}})
    expect(parse('--all-namespaces', '--ome', 'x')).toEqual({flags: {'all-namespaces': true, ome: true, 'request-timeout': '30s'}, args: {name: 'x'}})
  })

  it('gives up on everything oclif would reject or that it does not model', () => {
    for (const argv of [
      ['--bogus'],
      ['-x'],
      ['-o'],
      ['-o', 'xml'],
      ['--output='],
      ['-n', '-A'],
      ['-n', 'a', '-n', 'b'],
      ['a', 'b'],
      ['--', 'a'],
      ['-'],
      ['-Aw'],
      ['--watch=true'],
      ['--no-watch'],
      ['--help'],
      ['-h'],
      ['qwen', '--version'],
      ['-5'],
    ]) {
      expect(parse(...argv), argv.join(' ')).toBeUndefined()
    }
  })

  it('gives up on commands and flag rules it does not evaluate', () => {
    const m = (flag: object, extra: object = {}) => ({commands: {c: {id: 'c', strict: true, args: {}, flags: {f: {name: 'f', type: 'option', ...flag}}, ...extra}}})
    expect(parseFlags(m({}), 'c', ['--f', 'v'])).toEqual({flags: {f: 'v'}, args: {}})
    expect(parseFlags(m({}), 'missing', [])).toBeUndefined()
    expect(parseFlags(m({}, {strict: false}), 'c', [])).toBeUndefined()
    expect(parseFlags(m({env: 'F'}), 'c', [])).toBeUndefined()
    expect(parseFlags(m({required: true}), 'c', [])).toBeUndefined()
    expect(parseFlags(m({exclusive: ['g']}), 'c', [])).toBeUndefined()
    expect(parseFlags(m({multiple: true}), 'c', ['--f', 'a'])).toBeUndefined()
    expect(parseFlags(m({aliases: ['ff']}), 'c', [])).toBeUndefined()
    expect(parseFlags(m({default: 'd'}), 'c', [])).toEqual({flags: {f: 'd'}, args: {}})
    const withArg = {commands: {c: {id: 'c', args: {a: {name: 'a', required: true}}, flags: {}}}}
    expect(parseFlags(withArg, 'c', [])).toBeUndefined()
    expect(parseFlags(withArg, 'c', ['x'])).toEqual({flags: {}, args: {a: 'x'}})
  })
})

describe('argsFromStdin', () => {
  const stream = (isTTY: boolean) => Object.assign(new PassThrough(), {isTTY}) as unknown as NodeJS.ReadStream

  it('takes a missing arg from piped stdin, trimmed, as oclif does', async () => {
    const s = stream(false)
    s.end('qwen3-32b\n')
    expect(await argsFromStdin(manifest, 'status', parse()!, s)).toEqual({flags: {'request-timeout': '30s'}, args: {name: 'qwen3-32b'}})
  })

  it('leaves a terminal, an empty stream and a given arg alone', async () => {
    expect(await argsFromStdin(manifest, 'status', parse()!, stream(true))).toEqual(parse())
    const empty = stream(false)
    empty.end()
    expect(await argsFromStdin(manifest, 'status', parse()!, empty)).toEqual(parse())
    expect(await argsFromStdin(manifest, 'status', parse('x')!, stream(false))).toEqual(parse('x'))
  })
})
