import {Command, Flags} from '@oclif/core'

export default class Version extends Command {
  static override description = 'Print the kubectl-aim version'
  static override examples = ['kubectl aim version', 'kubectl aim version -o json']
  static override flags = {
    output: Flags.string({char: 'o', description: 'output format', options: ['json', 'yaml']}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Version)
    const info = {clientVersion: this.config.version, node: process.version, platform: `${process.platform}/${process.arch}`}
    if (flags.output === 'json') this.log(JSON.stringify(info, null, 2))
    else if (flags.output === 'yaml') this.log(`clientVersion: ${info.clientVersion}\nnode: ${info.node}\nplatform: ${info.platform}`)
    else this.log(`kubectl-aim ${info.clientVersion} (${info.node}, ${info.platform})`)
  }
}
