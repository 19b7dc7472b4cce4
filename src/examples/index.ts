import type { Example } from './example'
import { GUESTBOOK } from './guestbook'
import { SHOP } from './shop'

export type { Example } from './example'

/** The example applications, in the order the app lists them. */
export const EXAMPLES: readonly Example[] = [GUESTBOOK, SHOP]
