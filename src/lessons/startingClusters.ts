import { webScenario } from '../scenarios/webScenario'

/** The classroom scenario without its Service: Deployment web (3 replicas) and the client Pod, nothing exposing them. */
export function webWithoutService(replicas = 3): string {
  return webScenario(replicas)
    .split('---\n')
    .filter((doc) => !/^kind: Service$/m.test(doc))
    .join('---\n')
}

/** The classroom scenario as the app's Explore mode opens it. */
export const webWithService = (replicas = 3) => webScenario(replicas)

/** The classroom scenario's client Pod alone, to create it again (a new container, with the environment of now). */
export function clientPod(): string {
  return webScenario()
    .split('---\n')
    .find((doc) => /^kind: Pod$/m.test(doc))!
}
