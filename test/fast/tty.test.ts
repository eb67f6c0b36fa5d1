/**
 * A one-shot status on a terminal is the plain text cut to the terminal's width: what Ink's
 * truncate-end draws for the same sections, letter for letter (colours aside).
 */
import {renderToString} from 'ink'
import {createElement} from 'react'
import {describe, expect, it} from 'vitest'
import {fitLine, fitToWidth} from '../../src/fast/tty.js'
import {SectionsView} from '../../src/ui/StatusView.js'
import {renderSectionsPlain, seg, type Section} from '../../src/ui/status-view.js'

// eslint-disable-next-line no-control-regex
const strip = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '').split('\n').map((l) => l.trimEnd()).join('\n')

const sections: Section[] = [
  {title: 'Summary', lines: [[seg('Name:        '), seg('qwen3-32b')], [seg('Status:      '), seg('Running', 'green')]]},
  {
    title: 'Conditions',
    lines: [
      [seg('  '), seg('✓', 'green'), seg(' TemplateReady   '), seg('Resolved'), seg('  AIMClusterServiceTemplate qwen3-32b-mi300x-fp16-latency is ready and more text')],
      [seg('  '), seg('✗', 'red'), seg(' CacheReady      '), seg('CacheNotReady', 'yellow'), seg('  waiting for 1 artifact: hf---qwen-qwen3-32b-c00b812b59 (42%)')],
    ],
  },
  {title: 'Look closer with', lines: [[seg('  kubectl -n default get aimartifacts -l aim.eai.amd.com/template-cache.name=qwen3-32b-mi300x-fp16-latency-1080a608', 'cyan')]]},
]

describe('fitToWidth', () => {
  it('draws what Ink draws at several widths', () => {
    for (const columns of [200, 80, 60, 41, 20]) {
      const ink = renderToString(createElement(SectionsView, {sections}), {columns})
      for (const color of [false, true]) expect(strip(fitToWidth(renderSectionsPlain(sections, color), columns)), `${columns} ${color}`).toBe(strip(ink))
    }
  })

  it('keeps short lines byte for byte, closes colours it cuts, counts wide characters as two cells', () => {
    expect(fitLine('\u001b[32mRunning\u001b[39m', 7)).toBe('\u001b[32mRunning\u001b[39m')
    expect(fitLine('\u001b[36mkubectl get pods\u001b[39m', 8)).toBe('\u001b[36mkubectl…\u001b[39m')
    expect(fitLine('abcdef', 4)).toBe('abc…')
    expect(fitLine('日本語テキスト', 7)).toBe('日本語…')
  })
})
