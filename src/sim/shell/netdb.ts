/**
 * What the node's C library answers from its files, as iptables asks it (getservbyport, getprotobynumber,
 * getnetbyaddr): Debian 12's /etc/services and /etc/protocols (netbase 6.4, a dependency of Debian's iptables package,
 * so every node with iptables has them) and its /etc/networks, as read on the reference machine. Only the first entry for
 * a port and protocol counts, as for getservbyport; aliases are left out (iptables prints the official name).
 */

/** /etc/services as `port:name[:protocols]` (t tcp, u udp, s sctp; none written means tcp and udp). */
const SERVICES =
  '1:tcpmux:t 7:echo 9:discard 11:systat:t 13:daytime 15:netstat:t 17:qotd:t 19:chargen 20:ftp-data:t 21:ftp:t 21:fsp:u ' +
  '22:ssh:t 23:telnet:t 25:smtp:t 37:time 43:whois:t 49:tacacs 53:domain 67:bootps:u 68:bootpc:u 69:tftp:u 70:gopher:t ' +
  '79:finger:t 80:http:t 88:kerberos 102:iso-tsap:t 104:acr-nema:t 106:poppassd:t 110:pop3:t 111:sunrpc 113:auth:t ' +
  '119:nntp:t 123:ntp:u 135:epmap:t 137:netbios-ns:u 138:netbios-dgm:u 139:netbios-ssn:t 143:imap2:t 161:snmp ' +
  '162:snmp-trap 163:cmip-man 164:cmip-agent 174:mailq:t 177:xdmcp:u 179:bgp:t 199:smux:t 209:qmtp:t 210:z3950:t ' +
  '213:ipx:u 319:ptp-event:u 320:ptp-general:u 345:pawserv:t 346:zserv:t 369:rpc2portmap 370:codaauth2 371:clearcase:u ' +
  '389:ldap 427:svrloc 443:https 444:snpp:t 445:microsoft-ds:t 464:kpasswd 465:submissions:t 487:saft:t 500:isakmp:u ' +
  '512:exec:t 512:biff:u 513:login:t 513:who:u 514:shell:t 514:syslog:u 515:printer:t 517:talk:u 518:ntalk:u ' +
  '520:route:u 538:gdomap 540:uucp:t 543:klogin:t 544:kshell:t 546:dhcpv6-client:u 547:dhcpv6-server:u 548:afpovertcp:t ' +
  '554:rtsp 563:nntps:t 587:submission:t 607:nqs:t 623:asf-rmcp:u 628:qmqp:t 631:ipp:t 636:ldaps 646:ldp 655:tinc ' +
  '706:silc:t 749:kerberos-adm:t 750:kerberos4 751:kerberos-master 752:passwd-server:u 754:krb-prop:t 775:moira-db:t ' +
  '777:moira-update:t 779:moira-ureg:u 783:spamd:t 853:domain-s 871:supfilesrv:t 873:rsync:t 989:ftps-data:t 990:ftps:t ' +
  '992:telnets:t 993:imaps:t 995:pop3s:t 1080:socks:t 1093:proofd:t 1094:rootd:t 1099:rmiregistry:t 1127:supfiledbg:t ' +
  '1178:skkserv:t 1194:openvpn 1210:predict:u 1236:rmtcfg:t 1313:xtel:t 1314:xtelw:t 1352:lotusnote:t 1433:ms-sql-s:t ' +
  '1434:ms-sql-m:u 1524:ingreslock:t 1645:datametrics 1646:sa-msg-port 1649:kermit:t 1677:groupwise:t 1701:l2f:u ' +
  '1812:radius 1813:radius-acct 2000:cisco-sccp:t 2049:nfs 2086:gnunet 2101:rtcm-sc104 2102:zephyr-srv:u ' +
  '2103:zephyr-clt:u 2104:zephyr-hm:u 2119:gsigatekeeper:t 2121:iprop:t 2135:gris:t 2401:cvspserver:t 2430:venus ' +
  '2431:venus-se 2432:codasrv 2433:codasrv-se 2583:mon 2600:zebrasrv:t 2601:zebra:t 2602:ripd:t 2603:ripngd:t ' +
  '2604:ospfd:t 2605:bgpd:t 2606:ospf6d:t 2607:ospfapi:t 2608:isisd:t 2628:dict:t 2792:f5-globalsite:t 2811:gsiftp:t ' +
  '2947:gpsd:t 3050:gds-db:t 3130:icpv2:u 3205:isns 3260:iscsi-target:t 3306:mysql:t 3389:ms-wbt-server:t 3493:nut ' +
  '3632:distcc:t 3689:daap:t 3690:svn:t 4031:suucp:t 4094:sysrqd:t 4190:sieve:t 4353:f5-iquery:t 4369:epmd:t ' +
  '4373:remctl:t 4460:ntske:t 4500:ipsec-nat-t:u 4557:fax:t 4559:hylafax:t 4569:iax:u 4691:mtn:t 4899:radmin-port:t ' +
  '4949:munin:t 5060:sip 5061:sip-tls 5222:xmpp-client:t 5269:xmpp-server:t 5308:cfengine:t 5353:mdns:u ' +
  '5432:postgresql:t 5555:rplay:u 5556:freeciv:t 5666:nrpe:t 5667:nsca:t 5671:amqps:t 5672:amqp:st 5680:canna:t ' +
  '6000:x11:t 6001:x11-1:t 6002:x11-2:t 6003:x11-3:t 6004:x11-4:t 6005:x11-5:t 6006:x11-6:t 6007:x11-7:t ' +
  '6346:gnutella-svc 6347:gnutella-rtr 6379:redis:t 6444:sge-qmaster:t 6445:sge-execd:t 6446:mysql-proxy:t ' +
  '6514:syslog-tls:t 6566:sane-port:t 6667:ircd:t 6696:babel:u 6697:ircs-u:t 7000:bbs:t 7000:afs3-fileserver:u ' +
  '7001:afs3-callback:u 7002:afs3-prserver:u 7003:afs3-vlserver:u 7004:afs3-kaserver:u 7005:afs3-volser:u ' +
  '7007:afs3-bos:u 7008:afs3-update:u 7009:afs3-rmtsys:u 7100:font-service:t 8021:zope-ftp:t 8080:http-alt:t ' +
  '8081:tproxy:t 8088:omniorb:t 8140:puppet:t 8990:clc-build-daemon:t 9098:xinetd:t 9101:bacula-dir:t 9102:bacula-fd:t ' +
  '9103:bacula-sd:t 9418:git:t 9667:xmms2:t 9673:zope:t 10000:webmin:t 10050:zabbix-agent:t 10051:zabbix-trapper:t ' +
  '10080:amanda:t 10081:kamanda:t 10082:amandaidx:t 10083:amidxtape:t 10809:nbd:t 11112:dicom:t 11371:hkp:t ' +
  '17001:sgi-cmsd:u 17002:sgi-crsd:u 17003:sgi-gcd:u 17004:sgi-cad:t 17500:db-lsp:t 22125:dcap:t 22128:gsidcap:t ' +
  '22273:wnn6:t 24554:binkp:t 27374:asp 30865:csync2:t 57000:dircproxy:t 60177:tfido:t 60179:fido:t'

/** /etc/protocols as `number:name`. */
const PROTOCOLS =
  '0:ip 0:hopopt 1:icmp 2:igmp 3:ggp 4:ipencap 5:st 6:tcp 8:egp 9:igp 12:pup 17:udp 20:hmp 22:xns-idp 27:rdp 29:iso-tp4 ' +
  '33:dccp 36:xtp 37:ddp 38:idpr-cmtp 41:ipv6 43:ipv6-route 44:ipv6-frag 45:idrp 46:rsvp 47:gre 50:esp 51:ah 57:skip ' +
  '58:ipv6-icmp 59:ipv6-nonxt 60:ipv6-opts 73:rspf 81:vmtp 88:eigrp 89:ospf 93:ax.25 94:ipip 97:etherip 98:encap ' +
  '103:pim 108:ipcomp 112:vrrp 115:l2tp 124:isis 132:sctp 133:fc 135:mobility-header 136:udplite 137:mpls-in-ip ' +
  '138:manet 139:hip 140:shim6 141:wesp 142:rohc 143:ethernet 262:mptcp'

/** /etc/networks: glibc's getnetbyaddr finds these (so 127.0.0.0/8 lists as `loopback/8`). */
const NETWORKS: ReadonlyMap<number, string> = new Map([
  [0x00000000, 'default'],
  [0x7f000000, 'loopback'],
  [0xa9fe0000, 'link-local'],
])

const PROTOCOL_LETTERS = { t: 'tcp', u: 'udp', s: 'sctp' } as const

const servicesByPort = new Map<string, string>()
const servicesByName = new Map<string, number>()
for (const entry of SERVICES.split(' ')) {
  const [port, name, letters = 'tu'] = entry.split(':') as [string, string, string?]
  for (const letter of letters) {
    const proto = PROTOCOL_LETTERS[letter as keyof typeof PROTOCOL_LETTERS]
    servicesByPort.set(`${port}/${proto}`, name)
    if (!servicesByName.has(`${name}/${proto}`)) servicesByName.set(`${name}/${proto}`, Number(port))
  }
}

const protocolsByNumber = new Map<number, string>()
const protocolsByName = new Map<string, number>()
for (const entry of PROTOCOLS.split(' ')) {
  const [num, name] = entry.split(':') as [string, string]
  if (!protocolsByNumber.has(Number(num))) protocolsByNumber.set(Number(num), name)
  protocolsByName.set(name, Number(num))
}

/** getservbyport: the service name of a port, or undefined when /etc/services has none (iptables then prints the number). */
export function serviceName(port: number, proto: string): string | undefined {
  return servicesByPort.get(`${port}/${proto}`)
}

/** getservbyname: the port of a service name (`--dport ssh`). */
export function servicePort(name: string, proto: string): number | undefined {
  return servicesByName.get(`${name}/${proto}`)
}

/** getprotobynumber. */
export function protocolName(num: number): string | undefined {
  return protocolsByNumber.get(num)
}

/** getprotobyname. */
export function protocolNumber(name: string): number | undefined {
  return protocolsByName.get(name)
}

/** getnetbyaddr: the name /etc/networks gives a network number (an address as an unsigned 32-bit number). */
export function networkName(addr: number): string | undefined {
  return NETWORKS.get(addr)
}
