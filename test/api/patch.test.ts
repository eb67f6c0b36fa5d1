import {describe, expect, it} from 'vitest'
import {jsonPatch, mergePatch, strategicMergePatch} from '../../simulator/apiserver/patch.js'
import {humanDuration} from '../../simulator/apiserver/table.js'
import {evaluate} from '../../simulator/apiserver/jsonpath.js'

describe('merge patch (RFC 7386)', () => {
  it('merges maps, deletes with null, replaces lists', () => {
    expect(mergePatch({a: {b: 1, c: 2}, l: [1, 2]}, {a: {b: null, d: 3}, l: [3]})).toEqual({a: {c: 2, d: 3}, l: [3]})
  })
})

describe('JSON patch (RFC 6902)', () => {
  const doc = {metadata: {labels: {a: '1'}}, list: ['x', 'y']}

  it('add, remove, replace, move, copy, test; escaped keys and "-"', () => {
    const out = jsonPatch(doc, [
      {op: 'add', path: '/metadata/labels/app.kubernetes.io~1name', value: 'web'},
      {op: 'add', path: '/list/-', value: 'z'},
      {op: 'remove', path: '/list/0'},
      {op: 'replace', path: '/metadata/labels/a', value: '2'},
      {op: 'copy', from: '/metadata/labels/a', path: '/copied'},
      {op: 'move', from: '/copied', path: '/moved'},
      {op: 'test', path: '/moved', value: '2'},
    ])
    expect(out).toEqual({metadata: {labels: {a: '2', 'app.kubernetes.io/name': 'web'}}, list: ['y', 'z'], moved: '2'})
    expect(doc.list).toEqual(['x', 'y'])
  })

  it('a failed test or a missing path is a 400 BadRequest', () => {
    expect(() => jsonPatch(doc, [{op: 'test', path: '/list/0', value: 'nope'}])).toThrow('testing value /list/0 failed')
    try {
      jsonPatch(doc, [{op: 'replace', path: '/spec/replicas', value: 1}])
      expect.unreachable()
    } catch (e) {
      expect((e as {code: number}).code).toBe(400)
    }
  })
})

describe('strategic merge patch', () => {
  const pod = {
    metadata: {finalizers: ['a'], ownerReferences: [{uid: 'u1', name: 'x'}]},
    spec: {
      containers: [
        {name: 'main', image: 'v1', env: [{name: 'A', value: '1'}, {name: 'B', value: '2'}], ports: [{containerPort: 80, name: 'http'}]},
        {name: 'side', image: 's'},
      ],
      volumes: [{name: 'data', emptyDir: {}}],
      tolerations: [{key: 'k'}],
    },
  }

  it('merges lists by their patch-merge keys and replaces lists without one', () => {
    const out = strategicMergePatch(pod, {
      metadata: {finalizers: ['b']},
      spec: {
        containers: [{name: 'main', env: [{name: 'B', value: '3'}, {name: 'C', value: '4'}], ports: [{containerPort: 80, protocol: 'TCP'}]}],
        volumes: [{name: 'cache', emptyDir: {}}],
        tolerations: [{key: 'other'}],
      },
    }) as typeof pod
    expect(out.metadata.finalizers).toEqual(['a', 'b'])
    expect(out.spec.containers[0]).toEqual({
      name: 'main',
      image: 'v1',
      env: [{name: 'A', value: '1'}, {name: 'B', value: '3'}, {name: 'C', value: '4'}],
      ports: [{containerPort: 80, name: 'http', protocol: 'TCP'}],
    })
    expect(out.spec.containers[1]).toEqual({name: 'side', image: 's'})
    expect(out.spec.volumes.map((v) => v.name)).toEqual(['data', 'cache'])
    expect(out.spec.tolerations).toEqual([{key: 'other'}])
  })

  it('honours $patch: delete/replace, $deleteFromPrimitiveList, $setElementOrder and $retainKeys', () => {
    const out = strategicMergePatch(pod, {
      metadata: {'$deleteFromPrimitiveList/finalizers': ['a']},
      spec: {
        '$setElementOrder/containers': [{name: 'side'}, {name: 'main'}],
        containers: [{name: 'main', $patch: 'delete'}],
        volumes: [{name: 'only', emptyDir: {}}, {$patch: 'replace'}],
      },
    }) as typeof pod
    expect(out.metadata.finalizers).toEqual([])
    expect(out.spec.containers).toEqual([{name: 'side', image: 's'}])
    expect(out.spec.volumes).toEqual([{name: 'only', emptyDir: {}}])
    const retained = strategicMergePatch({spec: {strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 1}}}}, {spec: {strategy: {$retainKeys: ['type'], type: 'Recreate'}}})
    expect(retained).toEqual({spec: {strategy: {type: 'Recreate'}}})
  })
})

describe('humanDuration (kube duration.HumanDuration)', () => {
  it.each([
    [-5000, '<invalid>'],
    [-500, '0s'],
    [0, '0s'],
    [119_000, '119s'],
    [150_000, '2m30s'],
    [600_000, '10m'],
    [3 * 3600_000 + 5 * 60_000, '3h5m'],
    [30 * 3600_000, '30h'],
    [3 * 86400_000 + 4 * 3600_000, '3d4h'],
    [40 * 86400_000, '40d'],
    [(3 * 365 + 10) * 86400_000, '3y10d'],
    [9 * 365 * 86400_000, '9y'],
  ])('%d ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text)
  })
})

describe('printer-column JSONPath', () => {
  const obj = {status: {conditions: [{type: 'Progressing', status: 'True'}, {type: 'Ready', status: 'False'}], traffic: [{latestRevision: true, percent: 100}]}}

  it('evaluates filters as data, never as code', () => {
    expect(evaluate(".status.conditions[?(@.type=='Ready')].status", obj)).toEqual(['False'])
    expect(evaluate('.status.traffic[?(@.latestRevision==true)].percent', obj)).toEqual([100])
    expect(evaluate('.status.conditions[*].type', obj)).toEqual(['Progressing', 'Ready'])
    expect(evaluate(".status.conditions[?(@.type=='x' || process.exit())].status", obj)).toEqual([])
  })
})
