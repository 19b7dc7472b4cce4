import { describe, expect, it } from 'vitest'
import { base32, fnv32a, safeEncodeString, sha256Base32Prefix16 } from './hash'
import { sepChain, servicePortHash } from '../controllers/kubeProxy/iptables/chainNames'
import { servicePortName } from '../controllers/kubeProxy/servicePorts'

describe('chain names, as kube-proxy computes them', () => {
  it('match the chains every kubeadm cluster has', () => {
    expect(servicePortHash(servicePortName('default', 'kubernetes', 'https'), 'TCP')).toBe('NPX46M4PTMTKRN6Y')
    expect(servicePortHash(servicePortName('kube-system', 'kube-dns', 'dns'), 'UDP')).toBe('TCOU7JCQXEZGVUNU')
    expect(servicePortHash(servicePortName('kube-system', 'kube-dns', 'dns-tcp'), 'TCP')).toBe('ERIFXISQEP7F7OF4')
    expect(servicePortHash(servicePortName('kube-system', 'kube-dns', 'metrics'), 'TCP')).toBe('JD5MR3NA4I4DYORP')
  })

  it('match the endpoint chains in kube-proxy\'s own tests', () => {
    expect(servicePortHash('ns1/svc1:p80', 'tcp')).toBe('XPGD46QRK7WJZT7O')
    expect(sepChain('ns1/svc1:p80', 'tcp', '10.180.0.1:80')).toBe('KUBE-SEP-SXIVWICOYRO3J4NJ')
    expect(sepChain('ns5/svc5:p80', 'tcp', '10.180.0.3:80')).toBe('KUBE-SEP-I77PXRDZVX7PMWMN')
    expect(sepChain('ns4/svc4:p80', 'tcp', '10.180.0.4:80')).toBe('KUBE-SEP-UKSFD7AGPMPPLUHC')
  })

  it('leave the port name out of an unnamed port', () => {
    expect(servicePortName('default', 'web', undefined)).toBe('default/web')
    expect(servicePortName('default', 'web', '')).toBe('default/web')
  })
})

describe('encodings', () => {
  it('base32 is RFC 4648', () => {
    expect(base32(new TextEncoder().encode('foobar'))).toBe('MZXW6YTBOI')
    expect(sha256Base32Prefix16('')).toHaveLength(16)
  })

  it('FNV-1a 32 matches its reference vectors', () => {
    expect(fnv32a('')).toBe(0x811c9dc5)
    expect(fnv32a('a')).toBe(0xe40c292c)
    expect(fnv32a('foobar')).toBe(0xbf9cf968)
  })

  it('SafeEncodeString maps decimal digits onto 456789bcdf', () => {
    expect(safeEncodeString('0123456789')).toBe('456789bcdf')
  })
})
