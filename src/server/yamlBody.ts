import { parse } from 'yaml'

/** A server-side apply body (`application/apply-patch+yaml`: YAML, of which JSON is a part), or why it cannot be read. */
export function parseYaml(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: parse(text) }
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message.split('\n')[0]! : String(e) }
  }
}
