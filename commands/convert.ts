import {Flags} from '@oclif/core'
import {KubeCommand} from '../src/kube/command.js'
import {usageError} from '../src/kube/errors.js'

export default class Convert extends KubeCommand {
  static override description = `Convert legacy aim.silogen.ai manifests to aim.eai.amd.com/v1alpha1

Reads YAML or JSON (several documents, or a List), prints the converted manifests on stdout and one
"note: …" line on stderr for every field or kind that has no equivalent. Other documents pass
through unchanged. Needs no cluster.`

  static override examples = [
    'kubectl aim convert -f old-service.yaml',
    'kubectl aim convert -f old-catalog.yaml -o json',
    'cat old.yaml | kubectl aim convert -f - | kubectl apply -f -',
  ]

  // No cluster is involved: none of the kubectl global flags apply.
  static override baseFlags = {} as typeof KubeCommand.baseFlags

  static override flags = {
    filename: Flags.string({char: 'f', description: 'file to convert, or - for stdin', required: true}),
    output: Flags.string({char: 'o', description: 'output format', options: ['yaml', 'json'], default: 'yaml'}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Convert)
    const {readFile} = await import('node:fs/promises')
    const {parseAllDocuments, stringify} = await import('yaml')
    const {convertLegacy} = await import('../src/engine/convert.js')

    let text: string
    try {
      text = flags.filename === '-' ? await readStdin() : await readFile(flags.filename, 'utf8')
    } catch (e) {
      throw usageError(`cannot read ${flags.filename}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
    }
    const docs: import('../src/api/object.js').KubeObject[] = []
    for (const [i, doc] of parseAllDocuments(text).entries()) {
      if (doc.errors.length > 0) throw usageError(`${flags.filename}: document ${i + 1} is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`)
      const value: unknown = doc.toJS()
      if (value === null || value === undefined) continue
      if (typeof value !== 'object' || Array.isArray(value) || !('kind' in value) || !('apiVersion' in value)) {
        throw usageError(`${flags.filename}: document ${i + 1} is not a Kubernetes object (apiVersion and kind are required)`)
      }
      docs.push(value as import('../src/api/object.js').KubeObject)
    }
    if (docs.length === 0) throw usageError(`${flags.filename}: no objects found`)

    const {objects, notes} = convertLegacy(docs)
    for (const n of notes) process.stderr.write(`note: ${n}\n`)
    if (flags.output === 'json') {
      const out = objects.length === 1 ? objects[0] : {apiVersion: 'v1', kind: 'List', metadata: {}, items: objects}
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`)
    } else {
      process.stdout.write(objects.map((o) => stringify(o, {lineWidth: 0})).join('---\n'))
    }
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of process.stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)))
  return Buffer.concat(chunks).toString('utf8')
}
