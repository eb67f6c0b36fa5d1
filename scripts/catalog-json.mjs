// Build step: the built-in catalog as JSON beside the compiled simulator (dist/fixtures-json/catalog).
// Parsing its YAML costs ~100 ms of every simulator start; JSON.parse costs ~1 ms. The YAML stays the
// source of truth; code running from source (tests) reads it directly.
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parse, parseAllDocuments} from 'yaml'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const from = join(root, 'fixtures', 'catalog')
const to = join(root, 'dist', 'fixtures-json', 'catalog')
mkdirSync(to, {recursive: true})
for (const name of readdirSync(from).sort()) {
  if (!/\.ya?ml$/.test(name)) continue
  const text = readFileSync(join(from, name), 'utf8')
  const value = name.startsWith('manifests')
    ? parseAllDocuments(text).map((doc) => doc.toJSON()).filter((obj) => obj && obj.kind)
    : parse(text)
  writeFileSync(join(to, name.replace(/\.ya?ml$/, '.json')), JSON.stringify(value))
}
