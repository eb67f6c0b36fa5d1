import {Command, Flags} from '@oclif/core'
import {formatVersion, versionInfo} from '../src/version.js'

export default class Version extends Command {
  static override description = 'Print the kubectl-aim version'
  static override examples = ['kubectl aim version', 'kubectl aim version -o json']
  static override flags = {
    output: Flags.string({char: 'o', description: 'output format', options: ['json', 'yaml']}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(Version)
    this.log(formatVersion(versionInfo(this.config.version), flags.output))
  }
}
