import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, type PrefixWriter } from './prefixWriter'
import { canonicalQuantity, parseQuantity } from './quantity'

interface KeyToPath { readonly path: string; readonly fieldRef?: { readonly fieldPath: string }; readonly resourceFieldRef?: { readonly resource: string } }

/** A pod volume, in the sources our pods use (the service account's projected volume, hostPath, ConfigMaps, ...). */
interface Volume {
  readonly name: string
  readonly hostPath?: { readonly path: string; readonly type?: string }
  readonly emptyDir?: { readonly medium?: string; readonly sizeLimit?: string | number }
  readonly secret?: { readonly secretName?: string; readonly optional?: boolean }
  readonly configMap?: { readonly name?: string; readonly optional?: boolean }
  readonly nfs?: { readonly server: string; readonly path: string; readonly readOnly?: boolean }
  readonly persistentVolumeClaim?: { readonly claimName: string; readonly readOnly?: boolean }
  readonly downwardAPI?: { readonly items?: readonly KeyToPath[] }
  readonly projected?: {
    readonly sources?: readonly {
      readonly secret?: { readonly name?: string; readonly optional?: boolean }
      readonly configMap?: { readonly name?: string; readonly optional?: boolean }
      readonly downwardAPI?: unknown
      readonly serviceAccountToken?: { readonly expirationSeconds?: number }
    }[]
  }
}

/** describe.go's print*VolumeSource for one volume: its type line, then its fields indented under it. */
function describeSource(w: PrefixWriter, v: Volume): void {
  if (v.hostPath) {
    w.write(LEVEL_2, `Type:\tHostPath (bare host directory volume)\n    Path:\t${v.hostPath.path}\n    HostPathType:\t${v.hostPath.type ?? '<none>'}\n`)
  } else if (v.emptyDir) {
    const limit = v.emptyDir.sizeLimit !== undefined && parseQuantity(v.emptyDir.sizeLimit).nano > 0n ? canonicalQuantity(v.emptyDir.sizeLimit) : '<unset>'
    w.write(LEVEL_2, `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${v.emptyDir.medium ?? ''}\n    SizeLimit:\t${limit}\n`)
  } else if (v.secret) {
    w.write(LEVEL_2, `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${v.secret.secretName ?? ''}\n    Optional:\t${v.secret.optional === true}\n`)
  } else if (v.configMap) {
    w.write(LEVEL_2, `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${v.configMap.name ?? ''}\n    Optional:\t${v.configMap.optional === true}\n`)
  } else if (v.nfs) {
    w.write(LEVEL_2, `Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t${v.nfs.server}\n    Path:\t${v.nfs.path}\n    ReadOnly:\t${v.nfs.readOnly === true}\n`)
  } else if (v.persistentVolumeClaim) {
    const c = v.persistentVolumeClaim
    w.write(LEVEL_2, `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${c.claimName}\n    ReadOnly:\t${c.readOnly === true}\n`)
  } else if (v.downwardAPI) {
    w.write(LEVEL_2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n')
    for (const item of v.downwardAPI.items ?? []) {
      if (item.fieldRef) w.write(LEVEL_3, `${item.fieldRef.fieldPath} -> ${item.path}\n`)
      if (item.resourceFieldRef) w.write(LEVEL_3, `${item.resourceFieldRef.resource} -> ${item.path}\n`)
    }
  } else if (v.projected) {
    w.write(LEVEL_2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n')
    for (const s of v.projected.sources ?? []) {
      if (s.secret) w.write(LEVEL_2, `SecretName:\t${s.secret.name ?? ''}\n    Optional:\t${s.secret.optional === true}\n`)
      else if (s.downwardAPI) w.write(LEVEL_2, 'DownwardAPI:\ttrue\n')
      else if (s.configMap) w.write(LEVEL_2, `ConfigMapName:\t${s.configMap.name ?? ''}\n    Optional:\t${s.configMap.optional === true}\n`)
      else if (s.serviceAccountToken) w.write(LEVEL_2, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds ?? 0}\n`)
    }
  } else {
    // The cloud and CSI sources have their own printers upstream; no simulated pod uses them.
    w.write(LEVEL_1, '<unknown>\n')
  }
}

/** describeVolumes: "Volumes:\t<none>", or each volume by name with its source. */
export function describeVolumes(w: PrefixWriter, volumes: unknown, space: string): void {
  const list = (volumes as readonly Volume[] | undefined) ?? []
  if (list.length === 0) {
    w.write(LEVEL_0, `${space}Volumes:\t<none>\n`)
    return
  }
  w.write(LEVEL_0, `${space}Volumes:\n`)
  for (const v of list) {
    w.write(LEVEL_1, `${space ? ' ' : ''}${v.name}:\n`)
    describeSource(w, v)
  }
}
