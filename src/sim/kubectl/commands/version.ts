import { ok, type CommandContext, type RunResult } from '../../shell/types'
import type { ParsedFlags } from '../flags'
import type { KubectlCommand } from './command'

/** What the simulated cluster runs (kubeadm v1.33.1), and the kubectl that ships with it. */
const CLIENT = { major: '1', minor: '33', gitVersion: 'v1.33.1', gitCommit: '8adc0f041b8e7ad1d30e29cc59c6ae7a15e19828', gitTreeState: 'clean', buildDate: '2025-05-15T08:27:33Z', goVersion: 'go1.24.2', compiler: 'gc', platform: 'linux/amd64' }
const SERVER = { ...CLIENT, emulationMajor: '1', emulationMinor: '33', minCompatibilityMajor: '1', minCompatibilityMinor: '32' }

function run(_ctx: CommandContext, p: ParsedFlags): RunResult {
  const client = p.flags['client'] === true
  const out = p.flags['output']
  if (out === 'json') return ok(`${JSON.stringify({ clientVersion: CLIENT, kustomizeVersion: 'v5.6.0', ...(client ? {} : { serverVersion: SERVER }) }, null, 2)}\n`)
  return ok(`Client Version: ${CLIENT.gitVersion}\nKustomize Version: v5.6.0\n${client ? '' : `Server Version: ${SERVER.gitVersion}\n`}`)
}

/** kubectl version [--client] [-o json]. */
export const versionCommand: KubectlCommand = { name: 'version', flags: [{ name: 'client', type: 'bool' }, { name: 'output', short: 'o', type: 'string' }], run }
