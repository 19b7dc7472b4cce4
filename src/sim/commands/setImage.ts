import type { Engine } from '../engine'
import type { Deployment } from '../model/workloads'
import { failed, type CommandResult } from './results'

/**
 * kubectl set image deployment/<name> <container>=<image>: changes one container's image in the pod template (a
 * patch: nothing else in the Deployment changes), which starts a rollout. An image equal to the current one writes
 * nothing, and kubectl then prints nothing for it; we say so.
 */
export function setImage(engine: Engine, namespace: string, name: string, container: string, image: string): CommandResult {
  const d = engine.state.deployments.get(`${namespace}/${name}`)
  const object = `Deployment ${namespace}/${name}`
  if (!d) return failed([{ object, path: 'metadata.name', message: `Error from server (NotFound): deployments.apps "${name}" not found` }])
  const containers = d.spec.template.spec.containers
  if (!containers.some((c) => c.name === container)) return failed([{ object, path: 'spec.template.spec.containers', message: `error: unable to find container named "${container}"` }])
  if (image.trim() === '' || /\s/.test(image)) return failed([{ object, path: 'spec.template.spec.containers[].image', message: `error: invalid image name "${image}": must not be empty or contain spaces` }])
  const unchanged = containers.every((c) => c.name !== container || c.image === image)
  if (!unchanged) {
    const next: Deployment = { ...d, spec: { ...d.spec, template: { ...d.spec.template, spec: { ...d.spec.template.spec, containers: containers.map((c) => (c.name === container ? { ...c, image } : c)) } } } }
    engine.state = engine.rt.api.update(engine.state, next)
    engine.reconcile()
  }
  return { ok: true, errors: [], applied: [{ kind: 'Deployment', namespace, name, result: unchanged ? 'unchanged' : 'image updated', simulated: true, message: `deployment.apps/${name} ${unchanged ? 'unchanged' : 'image updated'}` }] }
}
