import { OBJECT_META } from './metaSchema'
import { bool, int32, int64, intOrString, kindSchema, listOf, named, opaque, resourceList, string, stringMap, strings, struct } from './schema'

/** The Go types of core/v1 Pod and its PodSpec (k8s.io/api 1.33), for the API server's decoder. */
const PROTOCOL = named('v1.Protocol')

const HTTP_GET = struct('v1.HTTPGetAction', {
  path: string, port: intOrString, host: string, scheme: named('v1.URIScheme'),
  httpHeaders: listOf(struct('v1.HTTPHeader', { name: string, value: string })),
})
const EXEC = struct('v1.ExecAction', { command: strings })
const TCP_SOCKET = struct('v1.TCPSocketAction', { port: intOrString, host: string })

const PROBE = struct('v1.Probe', {
  exec: EXEC, httpGet: HTTP_GET, tcpSocket: TCP_SOCKET, grpc: struct('v1.GRPCAction', { port: int32, service: string }),
  initialDelaySeconds: int32, timeoutSeconds: int32, periodSeconds: int32, successThreshold: int32, failureThreshold: int32,
  terminationGracePeriodSeconds: int64,
})

const LIFECYCLE_HANDLER = struct('v1.LifecycleHandler', { exec: EXEC, httpGet: HTTP_GET, tcpSocket: TCP_SOCKET, sleep: struct('v1.SleepAction', { seconds: int64 }) })

export const RESOURCE_REQUIREMENTS = struct('v1.ResourceRequirements', { limits: resourceList, requests: resourceList, claims: listOf(opaque('v1.ResourceClaim')) })

export const CONTAINER = struct('v1.Container', {
  name: string, image: string, command: strings, args: strings, workingDir: string,
  ports: listOf(struct('v1.ContainerPort', { name: string, hostPort: int32, containerPort: int32, protocol: PROTOCOL, hostIP: string })),
  envFrom: listOf(opaque('v1.EnvFromSource')),
  env: listOf(struct('v1.EnvVar', { name: string, value: string, valueFrom: opaque('v1.EnvVarSource') })),
  resources: RESOURCE_REQUIREMENTS, resizePolicy: listOf(opaque('v1.ContainerResizePolicy')), restartPolicy: named('v1.ContainerRestartPolicy'),
  volumeMounts: listOf(opaque('v1.VolumeMount')), volumeDevices: listOf(opaque('v1.VolumeDevice')),
  livenessProbe: PROBE, readinessProbe: PROBE, startupProbe: PROBE,
  lifecycle: struct('v1.Lifecycle', { postStart: LIFECYCLE_HANDLER, preStop: LIFECYCLE_HANDLER, stopSignal: named('v1.Signal') }),
  terminationMessagePath: string, terminationMessagePolicy: named('v1.TerminationMessagePolicy'), imagePullPolicy: named('v1.PullPolicy'),
  securityContext: opaque('v1.SecurityContext'), stdin: bool, stdinOnce: bool, tty: bool,
})

export const TOLERATION = struct('v1.Toleration', {
  key: string, operator: named('v1.TolerationOperator'), value: string, effect: named('v1.TaintEffect'), tolerationSeconds: int64,
})

export const POD_SPEC = struct('v1.PodSpec', {
  volumes: listOf(opaque('v1.Volume')), initContainers: listOf(CONTAINER), containers: listOf(CONTAINER),
  ephemeralContainers: listOf(opaque('v1.EphemeralContainer')), restartPolicy: named('v1.RestartPolicy'),
  terminationGracePeriodSeconds: int64, activeDeadlineSeconds: int64, dnsPolicy: named('v1.DNSPolicy'), nodeSelector: stringMap,
  serviceAccountName: string, serviceAccount: string, automountServiceAccountToken: bool, nodeName: string,
  hostNetwork: bool, hostPID: bool, hostIPC: bool, shareProcessNamespace: bool, securityContext: opaque('v1.PodSecurityContext'),
  imagePullSecrets: listOf(struct('v1.LocalObjectReference', { name: string })), hostname: string, subdomain: string,
  affinity: opaque('v1.Affinity'), schedulerName: string, tolerations: listOf(TOLERATION),
  hostAliases: listOf(struct('v1.HostAlias', { ip: string, hostnames: strings })), priorityClassName: string, priority: int32,
  dnsConfig: struct('v1.PodDNSConfig', { nameservers: strings, searches: strings, options: listOf(struct('v1.PodDNSConfigOption', { name: string, value: string })) }),
  readinessGates: listOf(struct('v1.PodReadinessGate', { conditionType: named('v1.PodConditionType') })), runtimeClassName: string,
  enableServiceLinks: bool, preemptionPolicy: named('v1.PreemptionPolicy'), overhead: resourceList,
  topologySpreadConstraints: listOf(opaque('v1.TopologySpreadConstraint')), setHostnameAsFQDN: bool,
  os: struct('v1.PodOS', { name: named('v1.OSName') }), hostUsers: bool,
  schedulingGates: listOf(struct('v1.PodSchedulingGate', { name: string })), resourceClaims: listOf(opaque('v1.PodResourceClaim')),
  resources: RESOURCE_REQUIREMENTS,
})

export const POD_TEMPLATE_SPEC = struct('v1.PodTemplateSpec', { metadata: OBJECT_META, spec: POD_SPEC })

export const POD = kindSchema('v1.Pod', OBJECT_META, { spec: POD_SPEC, status: opaque('v1.PodStatus') })
