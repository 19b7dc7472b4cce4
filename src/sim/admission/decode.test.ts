import { describe, expect, it } from 'vitest'
import { decodeObject } from './decode'
import { measureBody } from './requestLimits'

const service = (spec: unknown, extra: object = {}) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec, ...extra })
const pod = (container: object, spec: object = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx', ...container }], ...spec } })
const decodeError = (kind: string, obj: Record<string, unknown>) => {
  const r = decodeObject(kind, obj)
  return r.ok ? undefined : r.error
}

describe('decoding as the API server reads JSON into its Go structs', () => {
  it('refuses a value of the wrong type with encoding/json\'s message, naming the struct, the field and the Go type', () => {
    expect(decodeError('Service', service({ ports: '80' }))).toEqual({
      path: 'spec.ports',
      message: 'json: cannot unmarshal string into Go struct field ServiceSpec.spec.ports of type []v1.ServicePort',
    })
    expect(decodeError('Service', service({ ports: [{ port: '80' }] }))!.message).toBe('json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32')
    expect(decodeError('Service', service({ type: 5 }))!.message).toBe('json: cannot unmarshal number into Go struct field ServiceSpec.spec.type of type v1.ServiceType')
    expect(decodeError('Service', service('x'))!.message).toBe('json: cannot unmarshal string into Go struct field Service.spec of type v1.ServiceSpec')
    expect(decodeError('Service', service({ ports: ['80'] }))!.message).toBe('json: cannot unmarshal string into Go struct field ServiceSpec.spec.ports of type v1.ServicePort')
    expect(decodeError('Service', service({ selector: { app: 1 } }))!.message).toBe('json: cannot unmarshal number into Go struct field ServiceSpec.spec.selector of type string')
    expect(decodeError('Pod', pod({ env: [{ name: 'PORT', value: 8080 }] }))).toEqual({ path: 'spec.containers[0].env[0].value', message: 'json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value of type string' })
    expect(decodeError('Pod', pod({}, { hostNetwork: 'yes' }))!.message).toBe('json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool')
    expect(decodeError('Service', { ...service({ ports: [{ port: 80 }] }), metadata: { name: 123 } })!.message).toBe('json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name of type string')
  })

  it('keeps integers within their Go type: no fractions, nothing beyond int32', () => {
    expect(decodeError('Service', service({ ports: [{ port: 80.5 }] }))!.message).toBe('json: cannot unmarshal number 80.5 into Go struct field ServicePort.spec.ports.port of type int32')
    expect(decodeError('Service', service({ ports: [{ port: 3_000_000_000 }] }))!.message).toBe('json: cannot unmarshal number 3000000000 into Go struct field ServicePort.spec.ports.port of type int32')
    expect(decodeError('Service', service({ ports: [{ port: 1e21 }] }))!.message).toBe('json: cannot unmarshal number 1e+21 into Go struct field ServicePort.spec.ports.port of type int32')
    // An int64 field takes what an int32 cannot.
    expect(decodeObject('Pod', pod({}, { terminationGracePeriodSeconds: 3_000_000_000 })).ok).toBe(true)
  })

  it('reads IntOrString, Quantity and Time through their own unmarshalers', () => {
    expect(decodeObject('Service', service({ ports: [{ port: 80, targetPort: 'http' }] })).ok).toBe(true)
    expect(decodeError('Service', service({ ports: [{ port: 80, targetPort: true }] }))!.message).toBe('json: cannot unmarshal bool into Go struct field ServicePort.spec.ports.targetPort of type int32')
    expect(decodeError('Pod', pod({ resources: { requests: { cpu: 'lots' } } }))!.message).toBe("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    expect(decodeError('Pod', pod({ resources: { requests: { memory: '5iK' } } }))!.message).toBe("unable to parse quantity's suffix")
    expect(decodeObject('Pod', pod({ resources: { requests: { cpu: 0.5, memory: '64Mi' } } })).ok).toBe(true)
    expect(decodeError('Pod', { ...pod({}), metadata: { name: 'p', creationTimestamp: 5 } })!.message).toBe('json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string')
  })

  it('reads null as Go does: a field not set, and a zero-valued item in a list', () => {
    const r = decodeObject('Service', service({ type: null, ports: [null, { port: 80, name: null }], selector: { app: null } }))
    expect(r.ok && r.object['spec']).toEqual({ ports: [{}, { port: 80 }], selector: { app: '' } })
    const tolerations = decodeObject('Pod', pod({}, { tolerations: [null] }))
    expect(tolerations.ok && (tolerations.object['spec'] as { tolerations: unknown }).tolerations).toEqual([{}])
    const finalizers = decodeObject('Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n', finalizers: [null] } })
    expect(finalizers.ok && (finalizers.object['metadata'] as { finalizers: unknown }).finalizers).toEqual([''])
  })

  it('gives an endpoint the conditions Go always has, and a slice the null lists it reads back', () => {
    const r = decodeObject('EndpointSlice', { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 's' }, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'] }] })
    expect(r.ok && r.object).toMatchObject({ endpoints: [{ addresses: ['10.0.0.1'], conditions: {} }], ports: null })
  })

  it('refuses unknown fields all together, but only when every value decodes', () => {
    expect(decodeError('Service', service({ ports: [{ port: 80, targetport: 8080 }], foo: 1 }))).toEqual({
      path: 'spec.ports[0].targetport',
      message: 'strict decoding error: unknown field "spec.ports[0].targetport", unknown field "spec.foo"',
    })
    expect(decodeError('Service', service({ ports: 'x', foo: 1 }))!.message).toMatch(/^json: cannot unmarshal string/)
    expect(decodeError('Service', { ...service({ ports: [{ port: 80 }] }), Spec: {} })!.message).toBe('strict decoding error: unknown field "Spec"')
  })

  it('decodes the metadata of kinds it does not simulate, and keeps the rest as sent, copied', () => {
    const data = { key: 'v' }
    const r = decodeObject('ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data })
    expect(r.ok && r.object['data']).toEqual(data)
    expect(r.ok && r.object['data']).not.toBe(data)
    expect(decodeError('ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: 'x' } })!.message).toBe('json: cannot unmarshal string into Go struct field ObjectMeta.metadata.labels of type map[string]string')
  })
})

describe('the request limits', () => {
  it('measures a body as JSON and stops at the limit', () => {
    expect(measureBody({ a: 'xy', b: [1, true, null] })).toEqual({ bytes: JSON.stringify({ a: 'xy', b: [1, true, null] }).length })
    expect(measureBody({ a: 'x'.repeat(100) }, 50)).toEqual({ kind: 'size', limit: 50 })
  })

  it('refuses what JSON cannot carry, and nesting past 100 levels, without recursing', () => {
    const cyclic: Record<string, unknown> = {}
    cyclic['self'] = cyclic
    expect(measureBody(cyclic)).toEqual({ kind: 'unsupported', detail: 'unsupported value: encountered a cycle via map[string]interface {}' })
    expect(measureBody({ n: NaN })).toEqual({ kind: 'unsupported', detail: 'unsupported value: NaN' })
    expect(measureBody({ f: () => 1 })).toEqual({ kind: 'unsupported', detail: 'unsupported type: func()' })
    expect(measureBody({ d: new Date(0) })).toEqual({ kind: 'unsupported', detail: 'unsupported type: Date' })
    let deep: unknown = 1
    for (let i = 0; i < 100_000; i++) deep = [deep]
    expect(measureBody(deep)).toEqual({ kind: 'depth' })
    // A shared sub-object is not a cycle: JSON would repeat it.
    const shared = { x: 1 }
    expect('bytes' in measureBody({ a: shared, b: shared })).toBe(true)
  })
})
