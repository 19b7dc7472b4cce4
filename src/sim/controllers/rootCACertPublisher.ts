import type { KubeObject } from '../model/meta'
import { sha256Hex } from '../runtime/hash'
import type { Controller } from '../runtime/runtime'

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt'
const DESCRIPTION_ANNOTATION = 'kubernetes.io/description'
const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. ' +
  'No other usage is guaranteed across distributions of Kubernetes clusters.'

interface ConfigMap extends KubeObject {
  readonly data?: Readonly<Record<string, string>>
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/**
 * The cluster CA's certificate as a PEM block. The simulation signs nothing, so this is a stand-in with the shape of
 * kubeadm's CA (an RSA 2048 certificate is about 1,100 characters of base64), the same in every run; it does not parse.
 */
export const CLUSTER_CA_PEM: string = (() => {
  let hex = ''
  for (let i = 0; hex.length < 1652; i++) hex += sha256Hex(`kubernetes-ca/${i}`)
  let b64 = 'MIIDBTCCAe2gAwIBAgII'
  for (let i = 0; b64.length < 1100; i += 6) {
    const n = parseInt(hex.slice(i, i + 6), 16)
    b64 += BASE64[(n >> 18) & 63]! + BASE64[(n >> 12) & 63]! + BASE64[(n >> 6) & 63]! + BASE64[n & 63]!
  }
  const lines = b64.slice(0, 1100).match(/.{1,64}/g)!
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}=\n-----END CERTIFICATE-----\n`
})()

/**
 * The root-ca-cert-publisher (pkg/controller/certificates/rootcacertpublisher): every active namespace has the
 * ConfigMap kube-root-ca.crt holding the cluster CA, which the kube-api-access volume of every pod projects. Deleted
 * or edited, it is put back.
 */
export const rootCACertPublisher: Controller = {
  name: 'root-ca-cert-publisher',
  reconcile(state, ctx) {
    for (const ns of ctx.take()) {
      if (state.namespaces.get(ns)?.status.phase !== 'Active') continue
      const cm = state.others.get(`v1/ConfigMap/${ns}/${ROOT_CA_CONFIGMAP}`) as ConfigMap | undefined
      const data = { 'ca.crt': CLUSTER_CA_PEM }
      if (!cm) {
        state = ctx.api.create(state, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: ROOT_CA_CONFIGMAP, namespace: ns, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } }, data } as ConfigMap).state
        ctx.record({ actor: 'root-ca-cert-publisher', action: 'create', object: `ConfigMap ${ns}/${ROOT_CA_CONFIGMAP}`, message: `Published the cluster CA in namespace ${ns}` })
        continue
      }
      if (cm.data?.['ca.crt'] === CLUSTER_CA_PEM && Object.keys(cm.data).length === 1 && cm.metadata.annotations?.[DESCRIPTION_ANNOTATION]) continue
      state = ctx.api.update(state, { ...cm, metadata: { ...cm.metadata, annotations: { ...cm.metadata.annotations, [DESCRIPTION_ANNOTATION]: DESCRIPTION } }, data } as ConfigMap)
      ctx.record({ actor: 'root-ca-cert-publisher', action: 'update', object: `ConfigMap ${ns}/${ROOT_CA_CONFIGMAP}`, message: `Put the cluster CA back in ConfigMap ${ns}/${ROOT_CA_CONFIGMAP}` })
    }
    return state
  },
}
