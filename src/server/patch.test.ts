import { describe, expect, it } from 'vitest'
import { jsonPatch, mergePatchBetween, strategicMergePatch } from './patch'

const deployment = {
  metadata: { name: 'web', labels: { app: 'web' }, finalizers: ['a'] },
  spec: {
    replicas: 3,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%' } },
    template: {
      spec: {
        containers: [
          { name: 'web', image: 'nginx:1.26', ports: [{ containerPort: 8080, name: 'http' }], env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
          { name: 'sidecar', image: 'busybox', volumeMounts: [{ mountPath: '/data', name: 'data' }] },
        ],
        volumes: [{ name: 'data', emptyDir: {} }],
        tolerations: [{ key: 'x', operator: 'Exists' }],
      },
    },
  },
}

const merged = (patch: unknown) => {
  const r = strategicMergePatch(deployment, patch)
  if (!r.ok) throw new Error(r.error)
  return r.value as typeof deployment
}

describe('a strategic merge patch, as kubectl apply and kubectl set send them', () => {
  it('merges containers by name: a changed image leaves the other container and the other fields alone', () => {
    const out = merged({ spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } })
    expect(out.spec.template.spec.containers.map((c) => [c.name, c.image])).toEqual([['web', 'nginx:1.27'], ['sidecar', 'busybox']])
    expect(out.spec.template.spec.containers[0]!.ports).toEqual([{ containerPort: 8080, name: 'http' }])
  })

  it('merges env by name, ports by containerPort, volumes by name and volumeMounts by mountPath', () => {
    const out = merged({
      spec: { template: { spec: {
        containers: [{ name: 'web', env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }], ports: [{ containerPort: 9090 }] }, { name: 'sidecar', volumeMounts: [{ mountPath: '/data', readOnly: true }] }],
        volumes: [{ name: 'cache', emptyDir: {} }],
      } } },
    })
    const [web, sidecar] = out.spec.template.spec.containers
    expect(web!.env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '3' }, { name: 'C', value: '4' }])
    expect(web!.ports).toEqual([{ containerPort: 8080, name: 'http' }, { containerPort: 9090 }])
    expect(sidecar!.volumeMounts).toEqual([{ mountPath: '/data', name: 'data', readOnly: true }])
    expect(out.spec.template.spec.volumes.map((v) => v.name)).toEqual(['data', 'cache'])
  })

  it('replaces lists without a merge key (tolerations) and merges finalizers as a set', () => {
    const out = merged({ metadata: { finalizers: ['b', 'a'] }, spec: { template: { spec: { tolerations: [{ key: 'y', operator: 'Exists' }] } } } })
    expect(out.spec.template.spec.tolerations).toEqual([{ key: 'y', operator: 'Exists' }])
    expect(out.metadata.finalizers).toEqual(['a', 'b'])
  })

  it('honours $patch: delete on an element and on a map, null, $retainKeys and $setElementOrder', () => {
    const out = merged({
      metadata: { labels: { app: null } },
      spec: {
        strategy: { $retainKeys: ['type'], type: 'Recreate' },
        template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }], volumes: [{ $patch: 'replace' }, { name: 'other', emptyDir: {} }] } },
      },
    })
    expect(out.metadata.labels).toEqual({})
    expect(out.spec.strategy).toEqual({ type: 'Recreate' })
    expect(out.spec.template.spec.containers.map((c) => c.name)).toEqual(['web'])
    expect(out.spec.template.spec.volumes).toEqual([{ name: 'other', emptyDir: {} }])
    const ordered = merged({ spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'web' }], containers: [{ name: 'web', image: 'nginx:1.27' }] } } } })
    expect(ordered.spec.template.spec.containers.map((c) => c.name)).toEqual(['sidecar', 'web'])
    expect(JSON.stringify(ordered)).not.toContain('$')
    expect(merged({ spec: { strategy: { $patch: 'delete' } } }).spec.strategy).toBeUndefined()
  })

  it('merges a Service\'s ports by port, and replaces an EndpointSlice\'s', () => {
    const svc = { spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'https', port: 443 }] } }
    const r = strategicMergePatch(svc, { spec: { ports: [{ port: 80, targetPort: 9090 }] } })
    expect(r.ok && (r.value as typeof svc).spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 9090 }, { name: 'https', port: 443 }])
    const slice = strategicMergePatch({ ports: [{ port: 80 }, { port: 81 }] }, { ports: [{ port: 82 }] })
    expect(slice.ok && slice.value).toEqual({ ports: [{ port: 82 }] })
  })
})

describe('a JSON patch (RFC 6902)', () => {
  it('adds, replaces, removes, moves, copies and tests, with escaped pointers and "-"', () => {
    const r = jsonPatch({ metadata: { labels: { 'app.kubernetes.io/name': 'web' } }, list: [1, 2] }, [
      { op: 'test', path: '/metadata/labels/app.kubernetes.io~1name', value: 'web' },
      { op: 'add', path: '/metadata/labels/tier', value: 'x' },
      { op: 'replace', path: '/list/0', value: 0 },
      { op: 'add', path: '/list/-', value: 3 },
      { op: 'copy', from: '/list', path: '/copy' },
      { op: 'move', from: '/metadata/labels/tier', path: '/tier' },
      { op: 'remove', path: '/list/1' },
    ])
    expect(r).toEqual({ ok: true, value: { metadata: { labels: { 'app.kubernetes.io/name': 'web' } }, list: [0, 3], copy: [0, 2, 3], tier: 'x' } })
  })

  it('fails as a whole on a failed test or a missing path, leaving the document alone', () => {
    const doc = { a: 1 }
    expect(jsonPatch(doc, [{ op: 'add', path: '/b', value: 2 }, { op: 'test', path: '/a', value: 2 }]).ok).toBe(false)
    expect(jsonPatch(doc, [{ op: 'remove', path: '/nope' }]).ok).toBe(false)
    expect(doc).toEqual({ a: 1 })
  })
})

describe('the merge patch between two objects', () => {
  it('sets what changed, nulls what went, and nothing for what stayed', () => {
    expect(mergePatchBetween({ a: 1, b: { c: 1, d: 2 }, e: [1] }, { a: 1, b: { c: 2 }, e: [1, 2], f: 'x' })).toEqual({ b: { c: 2, d: null }, e: [1, 2], f: 'x' })
    expect(mergePatchBetween({ a: 1 }, { a: 1 })).toEqual({})
  })
})
