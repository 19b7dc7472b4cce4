import type { KeyboardEvent } from 'react'
import type { TrafficStore } from '../../store/trafficStore'

/** ← and → step back and forth through the hops wherever the player has focus (its buttons, the hop list, the strip). */
export function stepByArrows(t: Pick<TrafficStore, 'back' | 'forward'>) {
  return (e: KeyboardEvent) => {
    if (e.key === 'ArrowRight') t.forward()
    else if (e.key === 'ArrowLeft') t.back()
    else return
    e.preventDefault()
  }
}
