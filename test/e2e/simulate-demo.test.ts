/**
 * `npm run demo` = `kubectl aim simulate --demo`: deploys qwen with progress, shows status and
 * why, then keeps serving. Run as a child process with CI=true (plain lines); the waits are bounded
 * waits for real process output.
 */
import {spawn} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {expect, it} from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const bin = process.env['KUBECTL_AIM_BIN'] ?? join(root, 'bin', 'kubectl-aim')

it('deploys qwen, shows status and why, and keeps running until SIGINT', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aim-demo-'))
  const kubeconfig = join(dir, 'kubeconfig')
  const child = spawn(bin, ['simulate', '--demo', '--write-kubeconfig', kubeconfig], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {...process.env, CI: 'true', NO_COLOR: '1'},
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)))
  try {
    await new Promise<void>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`demo did not finish within 120s; stderr: ${stderr}`)), 120_000)
      child.stderr.setEncoding('utf8').on('data', (d: string) => {
        stderr += d
        if (stderr.includes('Ctrl-C stops it.')) {
          clearTimeout(timer)
          res()
        }
      })
    })
    expect(stdout.split('\n')[0]).toMatch(/^kubectl-aim simulator ready at https:\/\/127\.0\.0\.1:\d+$/)
    expect(stderr).toContain('$ kubectl aim deploy qwen --name qwen --timeout 15m')
    expect(stderr).toContain('aimservice/qwen is Running')
    expect(stderr).toContain('$ kubectl aim status qwen')
    expect(stderr).toContain('$ kubectl aim why qwen')
    expect(stderr).toContain(`  export KUBECONFIG=${kubeconfig}\n`)
    expect(stderr).not.toContain('exited with')
    expect(stdout).toMatch(/Status:\s+Running/)
    expect(stdout).toMatch(/qwen3-32b-mi300x-fp16-latency\s+Ready\s+optimized.*selected \(BestMatch\)/)
    child.kill('SIGINT')
    expect(await exited).toBe(0)
  } finally {
    child.kill('SIGKILL')
    rmSync(dir, {recursive: true, force: true})
  }
}, 150_000)
