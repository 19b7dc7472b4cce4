import { createContext, useContext } from 'react'
import type { Places } from '../traffic/anchors'

const EMPTY: Places = { rects: new Map(), summarised: new Map() }

/** What the graph draws where, for the packets drawn over it (provided by the graph for the model it shows). */
export const PlacesContext = createContext<Places>(EMPTY)

/** The cards the graph draws and where: packets find their places here, not in React Flow's measured nodes. */
export const usePlaces = (): Places => useContext(PlacesContext)
