import { createHash } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Simulation } from '../sim'
import { status, type Answer } from './http'
import { failure } from './status'
import { WebSocketFrames } from './webSocket'

/** pods/exec without a stream to run it over: what the API server answers a plain request to it. */
export function refuseExec(): Answer {
  return status(failure('BadRequest', 'Upgrade request required'))
}

// The remotecommand protocols kubectl offers over WebSocket; v4 and v5 carry a Status on the error channel.
const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io']
const STDIN = 0
const STDOUT = 1
const STDERR = 2
const ERROR = 3
const CLOSE = 255

const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)

/** The remotecommand Status that ends an exec: Success, or the exit code kubectl exits with. */
function exitStatus(code: number, command: readonly string[]): object {
  if (code === 0) return { metadata: {}, status: 'Success' }
  return { metadata: {}, status: 'Failure', message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`, reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(code) }] } }
}

/**
 * `kubectl exec` over WebSocket (kubectl 1.31+ asks for it first; SPDY is refused and is not needed): the command runs
 * in the engine's shell inside the pod (nslookup, dig, curl, cat /etc/resolv.conf, env, ...). With a terminal (-it),
 * a line-mode shell: keys are echoed, each line runs when Enter is pressed, `exit` or Ctrl-D ends it. Returns false
 * when the request is not a WebSocket exec this can serve (the caller refuses it).
 */
export function serveExec(sim: Simulation, req: IncomingMessage, socket: Duplex, pod: { namespace: string; name: string }): boolean {
  const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim())
  const protocol = PROTOCOLS.find((p) => offered.includes(p))
  const key = req.headers['sec-websocket-key']
  if (!protocol || typeof key !== 'string' || String(req.headers.upgrade).toLowerCase() !== 'websocket') return false
  const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64')
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: ${protocol}\r\n\r\n`)
  const ws = new WebSocketFrames(socket)
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams
  const command = query.getAll('command')
  const container = query.get('container')
  const tty = query.get('tty') === 'true'
  const out = (channel: number, text: string) => {
    if (text) ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(tty ? text.replace(/\r?\n/g, '\r\n') : text)]))
  }
  const finish = (code: number) => {
    out(ERROR, JSON.stringify(exitStatus(code, command)))
    ws.close()
  }
  const runInPod = (line: string, stdin?: string) => sim.run(line, { pod: `${pod.namespace}/${pod.name}`, ...(stdin !== undefined ? { stdin } : {}) })
  // The engine's kubectl exec says why a container cannot be entered, in kubectl's words.
  const probe = sim.run(`kubectl exec ${quote(pod.name)} -n ${quote(pod.namespace)}${container ? ` -c ${quote(container)}` : ''} -- true`)
  if (probe.exitCode !== 0 && /^(Error|error)/.test(probe.stderr)) {
    out(STDERR, probe.stderr)
    finish(probe.exitCode)
    return true
  }
  // The engine's pod shell is the shell: `sh -c SCRIPT` runs the script in it.
  const shell = /^(\/bin\/)?(sh|bash|ash)$/
  const line = command.length === 3 && shell.test(command[0]!) && command[1] === '-c' ? command[2]! : command.map(quote).join(' ')
  const interactive = tty && query.get('stdin') === 'true' && command.length === 1 && shell.test(command[0]!)
  if (!interactive && query.get('stdin') !== 'true') {
    const r = runInPod(line)
    out(STDOUT, r.stdout)
    out(tty ? STDOUT : STDERR, r.stderr)
    finish(r.exitCode)
    return true
  }
  const prompt = () => out(STDOUT, '# ')
  let typed = ''
  let stdin = ''
  if (interactive) prompt()
  ws.onMessage((data) => {
    const channel = data[0]
    const bytes = data.subarray(1)
    if (channel === CLOSE) {
      if (!interactive) {
        const r = runInPod(line, stdin)
        out(STDOUT, r.stdout)
        out(STDERR, r.stderr)
        finish(r.exitCode)
      }
      return
    }
    if (channel !== STDIN) return
    if (!interactive) return void (stdin += bytes.toString('utf8'))
    for (const ch of bytes.toString('utf8')) {
      if (ch === '\u0004' && typed === '') return finish(0)
      if (ch === '\u0003') {
        typed = ''
        out(STDOUT, '^C\n')
        prompt()
      } else if (ch === '\u007f' || ch === '\b') {
        if (typed) out(STDOUT, '\b \b')
        typed = typed.slice(0, -1)
      } else if (ch === '\r' || ch === '\n') {
        out(STDOUT, '\n')
        const entered = typed.trim()
        typed = ''
        if (entered === 'exit') return finish(0)
        if (entered) {
          const r = runInPod(entered)
          out(STDOUT, r.stdout + r.stderr)
        }
        prompt()
      } else if (ch >= ' ') {
        typed += ch
        out(STDOUT, ch)
      }
    }
  })
  ws.onClose(() => socket.end())
  return true
}
