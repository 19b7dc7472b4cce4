import type { Simulation } from '../sim'
import type { ObjectSource } from './objects'
import type { TimeShift } from './timeShift'

/** What every handler works with: the engine, its objects as the API serves them, and the clock mapping. */
export interface ServerContext {
  readonly sim: Simulation
  readonly source: ObjectSource
  readonly shift: TimeShift
}
