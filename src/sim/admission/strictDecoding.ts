/**
 * Strict decoding, as the API server does it for `kubectl apply` (--validate=strict, the default since 1.25): a field
 * the type does not have is refused, and a string map holding a number cannot be decoded. Shapes cover the fields of
 * the simulated kinds; `'any'` marks subtrees accepted as they are.
 */
type Shape = { readonly [field: string]: Shape | 'any' | 'string' | 'stringMap' | readonly [Shape] }

const META: Shape = {
  name: 'string', generateName: 'string', namespace: 'string', uid: 'any', resourceVersion: 'any', generation: 'any',
  creationTimestamp: 'any', deletionTimestamp: 'any', deletionGracePeriodSeconds: 'any', labels: 'stringMap', annotations: 'stringMap',
  ownerReferences: 'any', finalizers: 'any', managedFields: 'any', selfLink: 'any',
}

const CONTAINER: Shape = {
  name: 'string', image: 'string', command: 'any', args: 'any', workingDir: 'any',
  ports: [{ name: 'string', containerPort: 'any', protocol: 'string', hostPort: 'any', hostIP: 'any' }],
  envFrom: 'any', env: 'any', resources: 'any', resizePolicy: 'any', restartPolicy: 'any', volumeMounts: 'any', volumeDevices: 'any',
  livenessProbe: 'any', readinessProbe: 'any', startupProbe: 'any', lifecycle: 'any', terminationMessagePath: 'any',
  terminationMessagePolicy: 'any', imagePullPolicy: 'any', securityContext: 'any', stdin: 'any', stdinOnce: 'any', tty: 'any',
}

const POD_SPEC: Shape = {
  volumes: 'any', initContainers: [CONTAINER], containers: [CONTAINER], ephemeralContainers: 'any', restartPolicy: 'any',
  terminationGracePeriodSeconds: 'any', activeDeadlineSeconds: 'any', dnsPolicy: 'any', nodeSelector: 'stringMap',
  serviceAccountName: 'any', serviceAccount: 'any', automountServiceAccountToken: 'any', nodeName: 'any', hostNetwork: 'any',
  hostPID: 'any', hostIPC: 'any', shareProcessNamespace: 'any', securityContext: 'any', imagePullSecrets: 'any', hostname: 'any',
  subdomain: 'any', affinity: 'any', schedulerName: 'any', tolerations: 'any', hostAliases: 'any', priorityClassName: 'any',
  priority: 'any', dnsConfig: 'any', readinessGates: 'any', runtimeClassName: 'any', enableServiceLinks: 'any',
  preemptionPolicy: 'any', overhead: 'any', topologySpreadConstraints: 'any', setHostnameAsFQDN: 'any', os: 'any',
  hostUsers: 'any', schedulingGates: 'any', resourceClaims: 'any', resources: 'any',
}

const TEMPLATE: Shape = { metadata: META, spec: POD_SPEC }
const SELECTOR: Shape = { matchLabels: 'stringMap', matchExpressions: 'any' }

const SHAPES: Record<string, Shape> = {
  Service: {
    metadata: META,
    spec: {
      type: 'string', selector: 'stringMap', ports: [{ name: 'string', protocol: 'string', appProtocol: 'any', port: 'any', targetPort: 'any', nodePort: 'any' }],
      clusterIP: 'any', clusterIPs: 'any', ipFamilies: 'any', ipFamilyPolicy: 'any', externalName: 'any', externalIPs: 'any',
      sessionAffinity: 'any', sessionAffinityConfig: 'any', externalTrafficPolicy: 'any', internalTrafficPolicy: 'any',
      healthCheckNodePort: 'any', loadBalancerIP: 'any', loadBalancerSourceRanges: 'any', loadBalancerClass: 'any',
      allocateLoadBalancerNodePorts: 'any', publishNotReadyAddresses: 'any', trafficDistribution: 'any',
    },
    status: 'any',
  },
  Deployment: {
    metadata: META,
    spec: {
      replicas: 'any', selector: SELECTOR, template: TEMPLATE, strategy: { type: 'string', rollingUpdate: { maxSurge: 'any', maxUnavailable: 'any' } },
      minReadySeconds: 'any', revisionHistoryLimit: 'any', paused: 'any', progressDeadlineSeconds: 'any',
    },
    status: 'any',
  },
  ReplicaSet: { metadata: META, spec: { replicas: 'any', selector: SELECTOR, template: TEMPLATE, minReadySeconds: 'any' }, status: 'any' },
  Pod: { metadata: META, spec: POD_SPEC, status: 'any' },
}

const GO_TYPES: Record<string, string> = { Service: 'ServiceSpec', Deployment: 'DeploymentSpec', ReplicaSet: 'ReplicaSetSpec', Pod: 'PodSpec' }

/** The decoding errors of one object, as one kubectl line, or undefined when it decodes. */
export function strictDecodingError(kind: string, apiVersion: string, obj: Record<string, unknown>): { path: string; message: string } | undefined {
  const shape = SHAPES[kind]
  if (!shape) return undefined
  const unknown: string[] = []
  let typeError: { path: string; text: string } | undefined
  const walk = (value: unknown, s: Shape | 'any' | 'string' | 'stringMap' | readonly [Shape], path: string) => {
    if (s === 'any' || value === null || value === undefined) return
    if (s === 'string') return
    if (s === 'stringMap') {
      if (typeof value !== 'object' || Array.isArray(value)) return
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string' && !typeError) typeError = { path: `${path}.${k}`, text: `json: cannot unmarshal ${typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'bool' : 'object'} into Go struct field ${GO_TYPES[kind]}.${path} of type string` }
      }
      return
    }
    if (Array.isArray(s)) {
      if (Array.isArray(value)) value.forEach((item, i) => walk(item, s[0], `${path}[${i}]`))
      return
    }
    if (typeof value !== 'object' || Array.isArray(value)) return
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const child = (s as Shape)[k]
      const p = path ? `${path}.${k}` : k
      if (child === undefined) unknown.push(p)
      else walk(v, child, p)
    }
  }
  const { apiVersion: _a, kind: _k, ...rest } = obj
  walk(rest, shape, '')
  const head = `Error from server (BadRequest): error when creating "STDIN": ${kind} in version "${apiVersion.split('/').pop()}" cannot be handled as a ${kind}: `
  if (unknown.length) return { path: unknown[0]!, message: `${head}strict decoding error: ${unknown.map((u) => `unknown field "${u}"`).join(', ')}` }
  if (typeError) return { path: typeError.path, message: head + typeError.text }
  return undefined
}
