/** Plain-text and JUnit XML reports of scenario runs. */
import {relative} from 'node:path'
import {formatDuration} from './duration.js'
import type {ScenarioResult, StepResult} from './runner.js'

function where(result: ScenarioResult, cwd: string): string {
  const file = result.scenario.file
  if (!file) return '<inline>'
  const rel = relative(cwd, file)
  return rel === '' || rel.startsWith('..') ? file : rel
}

function stepLabel(s: StepResult): string {
  return `step ${s.step.index + 1} (line ${s.step.line}) ${s.step.title}`
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => `${prefix}${l}`)
    .join('\n')
}

/** The lines explaining why a step did not pass (empty for a passed or skipped step). */
export function explainStep(s: StepResult): string[] {
  const lines: string[] = []
  if (s.error !== undefined) lines.push(`    error: ${s.error}`)
  for (const f of s.failures) {
    lines.push(`    ${f.check}`)
    lines.push(indent(`expected: ${f.expected}`, '      '))
    lines.push(indent(`actual:   ${f.actual}`, '      '))
  }
  return lines
}

/** One line per scenario; for a failed one, the failing step with expected and actual values. */
export function formatResult(result: ScenarioResult, cwd = process.cwd(), verbose = false): string {
  const steps = result.steps.filter((s) => s.status !== 'skipped').length
  const head = `${result.passed ? 'PASS' : 'FAIL'} ${result.scenario.name} (${where(result, cwd)}) ${steps}/${result.scenario.steps.length} steps, virtual ${formatDuration(result.virtualMs)}, ${Math.round(result.durationMs)}ms`
  const lines = [head]
  if (result.error !== undefined) lines.push(`  error: ${result.error}`)
  for (const s of result.steps) {
    if (verbose && s.status !== 'skipped') lines.push(`  ${s.status === 'passed' ? 'ok  ' : 'FAIL'} ${stepLabel(s)}`)
    if (s.status === 'failed' || s.status === 'error') {
      if (!verbose) lines.push(`  FAIL ${stepLabel(s)}`)
      lines.push(...explainStep(s))
    }
  }
  const skipped = result.steps.filter((s) => s.status === 'skipped').length
  if (skipped > 0) lines.push(`  (${skipped} later step${skipped === 1 ? '' : 's'} skipped)`)
  return lines.join('\n')
}

export function xmlEscape(text: string): string {
  return text
    // XML 1.0 forbids most control characters, even escaped.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

const seconds = (ms: number) => (ms / 1000).toFixed(3)

/** JUnit XML: one testsuite per scenario, one testcase per step. */
export function toJUnit(results: ScenarioResult[], cwd = process.cwd()): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>']
  const count = (pred: (s: StepResult) => boolean) => results.reduce((n, r) => n + r.steps.filter(pred).length, 0)
  const setupErrors = results.filter((r) => r.error !== undefined).length
  const tests = results.reduce((n, r) => n + Math.max(r.steps.length, r.error !== undefined ? 1 : 0), 0)
  const total = results.reduce((t, r) => t + r.durationMs, 0)
  out.push(
    `<testsuites name="kubectl-aim scenarios" tests="${tests}" failures="${count((s) => s.status === 'failed')}" errors="${count((s) => s.status === 'error') + setupErrors}" skipped="${count((s) => s.status === 'skipped')}" time="${seconds(total)}">`,
  )
  for (const r of results) {
    const file = where(r, cwd)
    const suiteErrors = r.steps.filter((s) => s.status === 'error').length + (r.error !== undefined ? 1 : 0)
    out.push(
      `  <testsuite name="${xmlEscape(r.scenario.name)}" tests="${Math.max(r.steps.length, r.error !== undefined ? 1 : 0)}" failures="${r.steps.filter((s) => s.status === 'failed').length}" errors="${suiteErrors}" skipped="${r.steps.filter((s) => s.status === 'skipped').length}" time="${seconds(r.durationMs)}" file="${xmlEscape(file)}">`,
    )
    for (const s of r.steps) {
      const name = `step ${s.step.index + 1}: ${s.step.title}`
      const open = `    <testcase classname="${xmlEscape(r.scenario.name)}" name="${xmlEscape(name)}" file="${xmlEscape(file)}" line="${s.step.line}" time="${seconds(s.durationMs)}"`
      if (s.status === 'passed') {
        out.push(`${open}/>`)
        continue
      }
      out.push(`${open}>`)
      if (s.status === 'skipped') out.push('      <skipped message="an earlier step did not pass"/>')
      else {
        const tag = s.status === 'failed' ? 'failure' : 'error'
        const first = s.error ?? (s.failures[0] ? `${s.failures[0].check}: expected ${s.failures[0].expected}, got ${s.failures[0].actual}` : s.status)
        out.push(`      <${tag} message="${xmlEscape(first.split('\n')[0]!)}" type="${s.status === 'failed' ? 'ExpectationFailed' : 'StepError'}">${xmlEscape(explainStep(s).join('\n'))}</${tag}>`)
      }
      if (s.output) {
        out.push(`      <system-out>${xmlEscape(s.output.stdout)}</system-out>`)
        out.push(`      <system-err>${xmlEscape(s.output.stderr)}</system-err>`)
      }
      out.push('    </testcase>')
    }
    if (r.error !== undefined) {
      out.push(`    <testcase classname="${xmlEscape(r.scenario.name)}" name="simulator" file="${xmlEscape(file)}" time="0.000">`)
      out.push(`      <error message="${xmlEscape(r.error)}" type="SimulatorError"/>`)
      out.push('    </testcase>')
    }
    out.push('  </testsuite>')
  }
  out.push('</testsuites>', '')
  return out.join('\n')
}
