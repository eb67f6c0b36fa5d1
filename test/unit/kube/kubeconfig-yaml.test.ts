/**
 * The strict kubeconfig YAML parser (src/fast/kubeconfig-yaml.ts) answers exactly what the `yaml`
 * package answers, or undefined (then `yaml` parses); it never guesses.
 */
import {parse} from 'yaml'
import {describe, expect, it} from 'vitest'
import {parseKubeconfigYaml} from '../../../src/fast/kubeconfig-yaml.js'

const simulator = `apiVersion: v1
kind: Config
clusters:
- name: aim-simulator
  cluster:
    server: https://127.0.0.1:37503
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJpakNDQVRDZ0F3SUJBZ0lJR0NMc2F3TWFlcTB3Q2dZSUtvWkl6ajBFQXdJd0lERWVNQndHQTFVRUF4TVYK==
users:
- name: aim-simulator
  user:
    token: "0UDp_Bb0I2Y0W6EQg0eqLlgzRkma42u6"
contexts:
- name: aim-simulator
  context:
    cluster: aim-simulator
    user: aim-simulator
    namespace: default
current-context: aim-simulator
preferences: {}`

const kubectlStyle = `# written by kubectl config
apiVersion: v1
clusters:
  - cluster:
      certificate-authority: ../ca.crt
      insecure-skip-tls-verify: true
      server: https://10.0.0.1:6443
      extensions:
        - name: client.authentication.k8s.io/exec
          extension:
            audience: "kube"
    name: prod
  - cluster:
      server: 'https://it''s.example:443'
    name: 0dev
contexts:
- context:
    cluster: prod
    namespace: ml-team
    user: admin@prod
  name: prod
current-context: prod
kind: Config
preferences: {}
users:
- name: admin@prod
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args:
      - eks
      - get-token
      - --cluster-name
      - prod
      env: null
      interactiveMode: IfAvailable
      provideClusterInfo: false
    client-key-data: "a\\"b\\\\c\\n"
- name: empty
  user:
- name: n
  user: {}
  weight: 42
  neg: -3
  nothing: ~
  list: []
`

describe('parseKubeconfigYaml', () => {
  it('equals yaml.parse on the kubeconfigs kubectl, cloud CLIs and the simulator write', () => {
    for (const text of [simulator, kubectlStyle, kubectlStyle.replaceAll('\n', '\r\n'), '', '# only a comment\n', 'a: b#c\nd: "#"\n']) {
      const ours = parseKubeconfigYaml(text)
      expect(ours, text.slice(0, 40)).not.toBeUndefined()
      expect(ours).toEqual(parse(text))
    }
  })

  it('gives up (undefined) outside its subset instead of guessing', () => {
    for (const text of [
      'a: &x 1\nb: *x',
      'a: !!str 1',
      'a: |\n  text',
      'a: >\n  text',
      'a: {b: 1}',
      'a: [1, 2]',
      'a: b # comment',
      'a: "b" # comment',
      'a: 1.5',
      'a: 0x1F',
      'a: 1e3',
      'a: 007',
      'a: .inf',
      'a: b\na: c',
      'a:\n\tb: c',
      '---\na: b',
      'a: b\n---\nc: d',
      'a: multi\n  line',
      'a: "unterminated',
      'a: "\\x41"',
      '? a\n: b',
      'true: x',
      'a b: c',
      'a:b: c',
      '- - a',
      'plain',
      'a: -',
      'a: - b',
    ]) {
      expect(parseKubeconfigYaml(text), JSON.stringify(text)).toBeUndefined()
    }
  })
})
