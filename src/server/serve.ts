/**
 * `npm run serve -- [--port N] [--host H] [--kubeconfig FILE] [--seed N] [--workers N] [--scenario web|none] [--log]`:
 * the simulated cluster behind a Kubernetes API a real kubectl can use, with a kubeconfig written for it.
 */
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { kubeconfig } from './kubeconfig'
import { startServer } from './server'

const USAGE = 'usage: npm run serve -- [--port N] [--host 127.0.0.1] [--kubeconfig ./sim.kubeconfig] [--seed N] [--workers N] [--scenario web|none] [--log]'

function integer(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback
  const n = Number(text)
  if (!Number.isInteger(n) || n < 0) {
    console.error(`error: --${flag} must be a non-negative integer, not ${JSON.stringify(text)}\n${USAGE}`)
    process.exit(2)
  }
  return n
}

async function main(): Promise<void> {
  let values
  try {
    ;({ values } = parseArgs({
      options: {
        port: { type: 'string' }, host: { type: 'string' }, kubeconfig: { type: 'string' }, seed: { type: 'string' },
        workers: { type: 'string' }, scenario: { type: 'string' }, log: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (e) {
    console.error(`error: ${e instanceof Error ? e.message : String(e)}\n${USAGE}`)
    process.exit(2)
  }
  if (values.help) return void console.log(USAGE)
  const scenario = values.scenario ?? 'web'
  if (scenario !== 'web' && scenario !== 'none') {
    console.error(`error: --scenario must be "web" or "none", not ${JSON.stringify(scenario)}\n${USAGE}`)
    process.exit(2)
  }
  const file = values.kubeconfig ?? './sim.kubeconfig'
  const server = await startServer({
    port: integer('port', values.port, 0),
    host: values.host ?? '127.0.0.1',
    seed: integer('seed', values.seed, 1),
    workers: integer('workers', values.workers, 2),
    scenario,
    ...(values.log ? { log: (line: string) => console.log(line) } : {}),
  })
  writeFileSync(file, kubeconfig(server.url))
  console.log(`Serving the simulated cluster on ${server.url}; kubeconfig written to ${file}: kubectl --kubeconfig ${file} get pods`)
  const stop = () => void server.close().then(() => process.exit(0))
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

void main()
