import { EXAMPLES } from '../examples'
import { webScenario } from '../scenarios/webScenario'

/** The manifests in the console's working directory: `kubectl apply -f guestbook.yaml` works as on a laptop. */
export const WORKSTATION_FILES: Readonly<Record<string, string>> = {
  'web.yaml': webScenario(3),
  ...Object.fromEntries(EXAMPLES.map((e) => [`${e.id}.yaml`, e.manifest])),
}
