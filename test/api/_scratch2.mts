import {startSimulator} from '../../simulator/index.ts'
const sim = await startSimulator({controllers: false})
sim.writeKubeconfig('/tmp/aimapi/kubeconfig')
const {execFileSync} = await import('node:child_process')
const run = (...a: string[]) => { try { return execFileSync('kubectl', ['--kubeconfig', '/tmp/aimapi/kubeconfig', ...a], {encoding: 'utf8', env: {...process.env, KUBECACHEDIR: '/tmp/aimapi/cache'}, stdio: ['ignore', 'pipe', 'pipe']}) } catch (e: any) { return 'ERR ' + e.stderr } }
const {promisify} = await import('node:util')
const {execFile} = await import('node:child_process')
const pexec = promisify(execFile)
const K = async (...a: string[]) => { try { const r = await pexec('kubectl', ['--kubeconfig', '/tmp/aimapi/kubeconfig', ...a], {encoding: 'utf8', env: {...process.env, KUBECACHEDIR: '/tmp/aimapi/cache'}}); return r.stdout + r.stderr } catch (e: any) { return 'ERR ' + e.stdout + e.stderr } }
const script = (await import('node:fs')).readFileSync(process.argv[2]!, 'utf8')
const fn = new Function('K', 'sim', 'log', `return (async () => { ${script} })()`)
await fn(K, sim, (...x: unknown[]) => console.log(...x))
for (const e of sim.requestLog.filter((e) => e.status >= 400)) console.log('REQ', e.method, e.path, e.query, e.contentType, e.status)
await sim.stop()
