import {Command, Flags} from '@oclif/core'

export default class Crds extends Command {
  static override description =
    'Print the CustomResourceDefinitions of the AIM kinds (aim.eai.amd.com/v1alpha1), generated from the same schemas the simulator enforces'
  static override examples = [
    'kubectl aim crds > aim-crds.yaml',
    'kubectl aim crds | kubectl apply -f -',
    'kubectl aim crds -o json',
    'kubectl aim crds --all-groups',
  ]
  static override flags = {
    output: Flags.string({char: 'o', description: 'output format', options: ['yaml', 'json'], default: 'yaml'}),
    'all-groups': Flags.boolean({description: 'also print the legacy aim.silogen.ai and the ome.io CRDs', default: false}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Crds)
    const {customResourceDefinitions, CRD_GROUPS} = await import('../src/api/crd.js')
    const {AIM_GROUP} = await import('../src/api/registry.js')
    const crds = customResourceDefinitions(flags['all-groups'] ? CRD_GROUPS : [AIM_GROUP])
    if (flags.output === 'json') {
      this.log(JSON.stringify({apiVersion: 'v1', kind: 'List', metadata: {resourceVersion: ''}, items: crds}, null, 4))
      return
    }
    const {stringify} = await import('yaml')
    const docs = crds.map((crd) => `---\n${stringify(crd, {lineWidth: 0, aliasDuplicateObjects: false})}`)
    process.stdout.write(docs.join(''))
  }
}
