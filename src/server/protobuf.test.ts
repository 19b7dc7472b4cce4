import { describe, expect, it } from 'vitest'
import { decodeProtobuf } from './protobuf'

// What kubectl v1.32 sent: `kubectl create deployment cap --image=nginx:1.27 --replicas=0 --port=8080` and
// `kubectl create service nodeport capsvc --tcp=80:8080`, captured on the wire.
const DEPLOYMENT = 'azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50Er4BCh8KA2NhcBIAGgAiACoAMgA4AEIAWgoKA2FwcBIDY2FwEowBCAASDAoKCgNhcHASA2NhcBpyChwKABIAGgAiACoAMgA4AEIAWgoKA2FwcBIDY2FwElISNAoFbmdpbngSCm5naW54OjEuMjcqADILCgAQABiQPyIAKgBCAGoAcgCAAQCIAQCQAQCiAQAaADIAQgBKAFIAWABgAGgAggEAigEAmgEAwgEAIgIKACgAOAAaDAgAEAAYACAAKAA4ABoAIgA='
const SERVICE = 'azhzAAoNCgJ2MRIHU2VydmljZRJxCiUKBmNhcHN2YxIAGgAiACoAMgA4AEIAWg0KA2FwcBIGY2Fwc3ZjEkQKGwoHODAtODA4MBIDVENQGFAiBwgAEJA/GgAoABINCgNhcHASBmNhcHN2YxoAIghOb2RlUG9ydDoAQgBSAFoAYABoABoCCgAaACIA'

describe('a body from a typed client, in the Kubernetes protobuf envelope', () => {
  it('decodes kubectl create deployment into the object its JSON would have been, zero replicas kept', () => {
    const r = decodeProtobuf(Buffer.from(DEPLOYMENT, 'base64'))
    expect(r).toEqual({
      ok: true,
      value: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'cap', labels: { app: 'cap' } },
        spec: {
          replicas: 0,
          selector: { matchLabels: { app: 'cap' } },
          template: { metadata: { labels: { app: 'cap' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 8080 }], resources: {} }] } },
          strategy: {},
        },
      },
    })
  })

  it('decodes a Service: its port, its int-or-string target port, its type', () => {
    const r = decodeProtobuf(Buffer.from(SERVICE, 'base64'))
    expect(r.ok && r.value).toMatchObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'capsvc' }, spec: { type: 'NodePort', selector: { app: 'capsvc' }, ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }] } })
  })

  it('refuses what is not in the envelope, or a kind it has no schema for', () => {
    expect(decodeProtobuf(Buffer.from('{"kind":"Pod"}')).ok).toBe(false)
    const unknownKind = Buffer.concat([Buffer.from('k8s\u0000', 'latin1'), Buffer.from([0x0a, 0x0a, 0x0a, 0x02, 0x76, 0x31, 0x12, 0x04, 0x4e, 0x6f, 0x70, 0x65])])
    expect(decodeProtobuf(unknownKind)).toEqual({ ok: false, error: 'no protobuf decoding for v1 Nope: send it as JSON' })
  })
})
