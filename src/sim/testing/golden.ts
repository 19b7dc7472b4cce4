import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { expect } from 'vitest'

/**
 * Compares `actual` with the golden file at `path`; `UPDATE_GOLDEN=1 npm run test:unit` rewrites it. A missing file
 * fails (so a new golden is always looked at before it is committed).
 */
export function expectGolden(path: string, actual: string): void {
  if (process.env['UPDATE_GOLDEN']) {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, actual)
    return
  }
  if (!existsSync(path)) throw new Error(`golden file ${path} is missing: run UPDATE_GOLDEN=1 npm run test:unit and review it`)
  expect(actual).toBe(readFileSync(path, 'utf8'))
}
