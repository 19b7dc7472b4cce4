import type { Engine } from './engine'

/**
 * Runs a command on the engine; if it throws (a bug), or `undo` says its result is a failure that changed the state,
 * the state and the runtime (queues, timers, indexes, RNG, events) go back to where they were, and `onThrow` gives the
 * result to return instead of the exception.
 */
export function transaction<T>(engine: Engine, run: () => T, onThrow: (e: unknown) => T, undo: (r: T) => boolean = () => false): T {
  const state = engine.state
  const checkpoint = engine.rt.checkpoint()
  const mark = engine.history?.mark()
  let result: T
  try {
    result = run()
  } catch (e) {
    result = onThrow(e)
    engine.state = state
    engine.rt.rollback(checkpoint, state)
    if (mark) engine.history!.rewind(mark)
    return result
  }
  if (undo(result) && engine.state !== state) {
    engine.state = state
    engine.rt.rollback(checkpoint, state)
    if (mark) engine.history!.rewind(mark)
  } else {
    engine.rt.commit()
    engine.history?.note(engine.state)
  }
  return result
}
