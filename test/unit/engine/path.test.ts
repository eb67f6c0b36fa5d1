import {describe, expect, it} from 'vitest'
import {MAX_PATH_LENGTH, defaultRoutePath, renderPathTemplate} from '../../../src/engine/index.js'
import {service} from './builders.js'

const svc = service('qwen-chat', 'ml-team', {}, {labels: {team: 'Research'}, annotations: {note: 'a/b'}})

describe('renderPathTemplate (seed 001 "Custom Paths")', () => {
  it('renders namespace and name', () => {
    expect(renderPathTemplate('/{.metadata.namespace}/chat/{.metadata.name}', svc)).toEqual({ok: true, path: '/ml-team/chat/qwen-chat'})
  })
  it('reads labels and lowercases the result', () => {
    expect(renderPathTemplate("/team/{.metadata.labels['team']}/chat", svc)).toEqual({ok: true, path: '/team/research/chat'})
  })
  it('URL-encodes each segment (after lowercasing) and drops empty segments', () => {
    const s = service('Ünïcode Svc', 'ns', {}, {labels: {team: 'a b&c?'}})
    expect(renderPathTemplate("//x/{.metadata.labels['team']}//{.metadata.name}/", s)).toEqual({ok: true, path: '/x/a%20b%26c%3F/%C3%BCn%C3%AFcode%20svc'})
  })
  it('adds a leading slash', () => {
    expect(renderPathTemplate('{.metadata.name}', svc)).toEqual({ok: true, path: '/qwen-chat'})
  })
  it('a missing label → PathTemplateInvalid with the HTTPRouteReady condition', () => {
    const r = renderPathTemplate("/team/{.metadata.labels['owner']}/chat", svc)
    expect(r).toEqual({
      ok: false,
      reason: 'PathTemplateInvalid',
      message: `pathTemplate "/team/{.metadata.labels['owner']}/chat" cannot be rendered: label "owner" not found on the service`,
      condition: {
        type: 'HTTPRouteReady',
        status: 'False',
        reason: 'PathTemplateInvalid',
        message: `pathTemplate "/team/{.metadata.labels['owner']}/chat" cannot be rendered: label "owner" not found on the service`,
      },
    })
  })
  it('a missing field, an object, and unbalanced braces are invalid', () => {
    expect(renderPathTemplate('/{.spec.nothing}', svc)).toMatchObject({ok: false, message: 'pathTemplate "/{.spec.nothing}" cannot be rendered: field .spec.nothing not found on the service'})
    expect(renderPathTemplate('/{.metadata}', svc)).toMatchObject({ok: false, reason: 'PathTemplateInvalid'})
    expect(renderPathTemplate('/{.metadata.name', svc)).toMatchObject({ok: false, message: 'pathTemplate "/{.metadata.name" has an unmatched "{"'})
    expect(renderPathTemplate('/x}', svc)).toMatchObject({ok: false})
  })
  it('never evaluates script: filter expressions are rejected', () => {
    const r = renderPathTemplate("/{.metadata.labels[?(@ === 'Research')]}", svc)
    expect(r).toMatchObject({ok: false, reason: 'PathTemplateInvalid'})
    expect(r.ok === false && r.message).toMatch(/is not supported/)
  })
  it('200 characters is the limit', () => {
    const at = service('a'.repeat(MAX_PATH_LENGTH - 1), 'ns')
    expect(renderPathTemplate('/{.metadata.name}', at)).toEqual({ok: true, path: `/${'a'.repeat(199)}`})
    const over = service('a'.repeat(MAX_PATH_LENGTH), 'ns')
    expect(renderPathTemplate('/{.metadata.name}', over)).toMatchObject({ok: false, reason: 'PathTemplateInvalid', message: 'rendered path is 201 characters long; the limit is 200'})
  })
  it('no template → /<namespace>/<name> (seed 001 example status)', () => {
    expect(renderPathTemplate(undefined, svc)).toEqual({ok: true, path: '/ml-team/qwen-chat'})
    expect(defaultRoutePath(svc)).toBe('/ml-team/qwen-chat')
  })
})
