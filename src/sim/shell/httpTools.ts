import type { ConnectResult } from '../commands/connect'
import { CLUSTER_EPOCH_MS } from '../runtime/time'
import type { RunResult } from './types'

/** Sends one request from the pod (a `connect` action, recorded like a click), and the image of the pod that answered. */
export type Request = (target: string) => { result: ConnectResult; image?: string; podName?: string }

/** nginx's default page, as nginx 1.27 serves it (615 bytes). */
const NGINX_PAGE = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`

/** What the server behind the pod answers: nginx its page; other images (agnhost-style) their pod's name. */
function response(image: string | undefined, podName: string | undefined): { body: string; server: string } {
  if (image?.includes('nginx')) return { body: NGINX_PAGE, server: `nginx/${/:(\d+\.\d+)/.exec(image)?.[1] === '1.27' ? '1.27.5' : (/:([\d.]+)/.exec(image)?.[1] ?? '1.27.5')}` }
  return { body: `${podName ?? 'unknown'}\n`, server: 'agnhost' }
}

function parseUrl(url: string): { host: string; port: number; path: string } | undefined {
  const m = /^(?:(https?):\/\/)?([^/:]+)(?::(\d+))?(\/.*)?$/.exec(url)
  if (!m) return undefined
  return { host: m[2]!, port: m[3] ? Number(m[3]) : m[1] === 'https' ? 443 : 80, path: m[4] ?? '/' }
}

/** curl's exit code and message for a request that did not get an answer. */
function curlFailure(r: ConnectResult, host: string, port: number): { code: number; text: string } {
  const reason = r.reason ?? ''
  if (r.dns && r.dns.rcode !== 'NOERROR') return { code: 6, text: `curl: (6) Could not resolve host: ${host}` }
  if (/timed out|DROP|no route|dropped/i.test(reason)) return { code: 28, text: `curl: (28) Connection timed out after 10001 milliseconds` }
  return { code: 7, text: `curl: (7) Failed to connect to ${host} port ${port}: Connection refused` }
}

const httpDate = (now: number) => new Date(CLUSTER_EPOCH_MS + now).toUTCString()

/** `curl [-v] [-s] [-I] URL` as curl 7.38 (Debian jessie) prints it. */
export function curl(args: readonly string[], now: number, request: Request): RunResult {
  const verbose = args.some((a) => a === '-v' || a === '--verbose' || /^-[a-zA-Z]*v/.test(a))
  const head = args.some((a) => a === '-I' || a === '--head')
  const urls = args.filter((a, i) => !a.startsWith('-') && !['-m', '--max-time', '-o', '-H', '-X'].includes(args[i - 1] ?? ''))
  if (urls.length === 0) return { exitCode: 2, stdout: '', stderr: "curl: try 'curl --help' or 'curl --manual' for more information\n" }
  const url = parseUrl(urls[0]!)
  if (!url) return { exitCode: 3, stdout: '', stderr: `curl: (3) URL using bad/illegal format or missing URL\n` }
  const { result, image, podName } = request(`${url.host}:${url.port}`)
  const address = result.dns?.answers.find((a) => a.type === 'A')?.data ?? url.host
  const err: string[] = []
  if (verbose) err.push(...(urls[0]!.includes('/') && urls[0]!.split('/').length > 3 ? [] : [`* Rebuilt URL to: ${urls[0]}/`]), '* Hostname was NOT found in DNS cache', `*   Trying ${address}...`)
  if (!result.ok) {
    const f = curlFailure(result, url.host, url.port)
    if (verbose) err.push(`* connect to ${address} port ${url.port} failed: ${f.code === 28 ? 'Connection timed out' : 'Connection refused'}`, `* Failed to connect to ${url.host} port ${url.port}: ${f.code === 28 ? 'Connection timed out' : 'Connection refused'}`, '* Closing connection 0')
    return { exitCode: f.code, stdout: '', stderr: `${err.join('\n')}${err.length ? '\n' : ''}${f.text}\n` }
  }
  const { body, server } = response(image, podName)
  const headers = [`HTTP/1.1 200 OK`, `Server: ${server}`, `Date: ${httpDate(now)}`, 'Content-Type: text/html', `Content-Length: ${body.length}`, 'Last-Modified: Wed, 16 Apr 2025 12:55:34 GMT', 'Connection: keep-alive', `ETag: "67ffa8c6-${body.length.toString(16)}"`, 'Accept-Ranges: bytes']
  if (verbose) {
    err.push(`* Connected to ${url.host} (${address}) port ${url.port} (#0)`, `> ${head ? 'HEAD' : 'GET'} ${url.path} HTTP/1.1`, '> User-Agent: curl/7.38.0', `> Host: ${url.host}${url.port === 80 ? '' : `:${url.port}`}`, '> Accept: */*', '> ')
    err.push(...headers.map((h) => `< ${h}`), '< ')
    err.push(`* Connection #0 to host ${url.host} left intact`)
  }
  const stdout = head ? headers.map((h) => `${h}\r\n`).join('') + '\r\n' : body
  return { exitCode: 0, stdout, stderr: err.length ? `${err.join('\n')}\n` : '', ...(verbose ? { stderrFirst: true } : {}) }
}

/** `wget -qO- URL` (GNU wget 1.16): the body on stdout; without -q, its progress on stderr. */
export function wget(args: readonly string[], request: Request): RunResult {
  const urls = args.filter((a) => !a.startsWith('-'))
  if (urls.length === 0) return { exitCode: 1, stdout: '', stderr: "wget: missing URL\nUsage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n" }
  const toStdout = args.some((a) => a === '-O-' || a === '-qO-' || a === '-O' || /^-q?O-$/.test(a))
  const url = parseUrl(urls[0]!)
  if (!url) return { exitCode: 1, stdout: '', stderr: `${urls[0]}: Invalid URL\n` }
  const { result, image, podName } = request(`${url.host}:${url.port}`)
  if (!result.ok) {
    if (result.dns && result.dns.rcode !== 'NOERROR') return { exitCode: 4, stdout: '', stderr: `wget: unable to resolve host address '${url.host}'\n` }
    return { exitCode: 4, stdout: '', stderr: `failed: Connection refused.\n` }
  }
  const { body } = response(image, podName)
  if (!toStdout) return { exitCode: 0, stdout: '', stderr: `'index.html' saved [${body.length}/${body.length}]\n` }
  return { exitCode: 0, stdout: body, stderr: '' }
}
