import { advanceAction } from './advanceAction'
import { applyAction } from './applyAction'
import { fmt, isRecord } from './checks'
import { connectAction } from './connectAction'
import { createAction } from './createAction'
import { deleteAction } from './deleteAction'
import { faultAction } from './faultAction'
import { healAction } from './healAction'
import { nextEventAction } from './nextEventAction'
import { patchAction } from './patchAction'
import { resolveAction } from './resolveAction'
import { rolloutUndoAction } from './rolloutUndoAction'
import { scaleAction } from './scaleAction'
import { setImageAction } from './setImageAction'
import { setProxyModeAction } from './setProxyModeAction'
import type { ActionDefinition, ActionHost, ActionResult, ActionType, SimAction } from './types'

/** Every action, by type: the one list the engine, the store, saves, share links, lessons and the fuzz tests use. */
export const ACTIONS: { readonly [T in ActionType]: ActionDefinition<T> } = {
  apply: applyAction,
  create: createAction,
  patch: patchAction,
  delete: deleteAction,
  scale: scaleAction,
  setImage: setImageAction,
  rolloutUndo: rolloutUndoAction,
  advance: advanceAction,
  nextEvent: nextEventAction,
  connect: connectAction,
  resolve: resolveAction,
  fault: faultAction,
  heal: healAction,
  setProxyMode: setProxyModeAction,
}

const definition = (type: ActionType) => ACTIONS[type] as unknown as ActionDefinition<ActionType>

/** Why `raw` is not an action this simulator knows, in plain words naming the field; undefined when it is one. */
export function actionProblem(raw: unknown): string | undefined {
  if (!isRecord(raw)) return 'not an action this simulator knows'
  const type = raw['type']
  if (typeof type !== 'string' || !Object.hasOwn(ACTIONS, type)) return `not an action this simulator knows (type: ${fmt(type)})`
  return definition(type as ActionType).check(raw)
}

/** Runs an action against a simulation. */
export function runAction(host: ActionHost, action: SimAction): ActionResult {
  return definition(action.type).run(host, action)
}

export function describeAction(action: SimAction): string {
  return definition(action.type).describe(action)
}

/** Whether a run of `action` with `result` belongs in a recorded scenario. */
export function isRecorded(action: SimAction, result: ActionResult): boolean {
  const r = definition(action.type).recorded
  return r === 'always' || (r === 'accepted' && 'ok' in result && result.ok)
}

export type { ActionDefinition, ActionHost, ActionOf, ActionResult, ActionType, AdvanceResult, SimAction } from './types'
