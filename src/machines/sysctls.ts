/**
 * Node sysctls: the kernel parameters a node profile sets on its nodes, the
 * library's defaults (what kube-proxy depends on to move traffic off a vanished
 * backend quickly) and the file they are rendered into.
 *
 * The table {@link NODE_SYSCTLS} is the one place each default and its reason
 * are stated; the docs' table is generated from it, the clusters layer checks a
 * profile's values against the needs of its cluster's proxy mode.
 */

/**
 * How kube-proxy implements Services on a node. `ipvs` (the default) keeps
 * Service lookup in kernel hash tables, so a rule change costs the same with
 * 10 or 10,000 Services, where `iptables` rewrites a rule list that grows with
 * every Service and endpoint; `nftables` is the successor of both, beta from
 * Kubernetes 1.31 (allowed from there).
 */
export type KubeProxyMode = 'ipvs' | 'nftables' | 'iptables';

/** A node sysctl the library sets by default: its value, what kube-proxy needs of it, and why. @internal */
export interface NodeSysctl {
  /** The sysctl key. */
  readonly key: string;
  /** The default value. */
  readonly value: number;
  /** Whether a profile's value still serves the modes that depend on it. */
  readonly ok: (value: number) => boolean;
  /** What the value must be, for messages and docs. */
  readonly needs: string;
  /** The proxy modes that depend on it. */
  readonly modes: readonly KubeProxyMode[];
  /** `error` when a value outside `needs` breaks the mode, `warning` when it only degrades it. */
  readonly severity: 'error' | 'warning';
  /** Why. */
  readonly reason: string;
}

/** Every proxy mode. @internal */
export const KUBE_PROXY_MODES: readonly KubeProxyMode[] = ['ipvs', 'nftables', 'iptables'];

/**
 * The node sysctls a profile sets unless it overrides them, with the proxy
 * modes that depend on each and the reason.
 * @internal
 */
export const NODE_SYSCTLS: readonly NodeSysctl[] = [
  {
    key: 'net.ipv4.vs.expire_nodest_conn',
    value: 1,
    ok: n => n === 1,
    needs: '1',
    modes: ['ipvs'],
    severity: 'error',
    reason: 'when a backend is removed (weight 0, then deleted), IPVS drops its connections at once instead of sending packets to a dead endpoint until they time out',
  },
  {
    key: 'net.ipv4.vs.expire_quiescent_template',
    value: 1,
    ok: n => n === 1,
    needs: '1',
    modes: ['ipvs'],
    severity: 'error',
    reason: 'persistence templates (sessionAffinity: ClientIP) of a backend with weight 0 expire, so affine clients move to a live backend',
  },
  {
    key: 'net.ipv4.vs.conn_reuse_mode',
    value: 1,
    ok: n => n === 1,
    needs: '1',
    modes: ['ipvs'],
    severity: 'warning',
    reason: 'a new connection that reuses a source port is scheduled again instead of following the old, possibly removed, backend (kernels from 5.9 do so without the 1 s stall of older ones)',
  },
  {
    key: 'net.ipv4.vs.conntrack',
    value: 1,
    ok: n => n === 1,
    needs: '1',
    modes: ['ipvs'],
    severity: 'error',
    reason: 'IPVS keeps conntrack entries, which the masquerade (SNAT) rules kube-proxy installs match on',
  },
  {
    key: 'net.ipv4.tcp_retries2',
    value: 8,
    ok: n => n >= 3 && n <= 8,
    needs: 'from 3 to 8',
    modes: KUBE_PROXY_MODES,
    severity: 'warning',
    reason: 'a connection to a vanished peer (a crashed node) fails after about 100 s instead of after the default 15 retries (about 15 minutes)',
  },
  {
    key: 'net.bridge.bridge-nf-call-iptables',
    value: 1,
    ok: n => n === 1,
    needs: '1',
    modes: KUBE_PROXY_MODES,
    severity: 'error',
    reason: 'bridged pod traffic passes the netfilter hooks the Service rules live in',
  },
  {
    key: 'net.ipv4.ip_forward',
    value: 1,
    ok: n => n === 1,
    needs: '1',
    modes: KUBE_PROXY_MODES,
    severity: 'error',
    reason: 'the node forwards Service traffic to pods on other nodes',
  },
];

/** The conntrack table size key: the default is sized like kube-proxy's (max(min, maxPerCore × cores)). @internal */
export const CONNTRACK_MAX_SYSCTL = 'net.netfilter.nf_conntrack_max';
/** kube-proxy's default conntrack entries per core. @internal */
export const DEFAULT_CONNTRACK_MAX_PER_CORE = 32768;
/** kube-proxy's default least conntrack entries. @internal */
export const DEFAULT_CONNTRACK_MIN = 131072;

/** The default conntrack table size of a machine: what kube-proxy's defaults set on it. @internal */
export function defaultConntrackMax(cores: number): number {
  return Math.max(DEFAULT_CONNTRACK_MIN, DEFAULT_CONNTRACK_MAX_PER_CORE * cores);
}

/** A sysctl key: dotted lower-case words (`net.ipv4.tcp_retries2`). @internal */
export const SYSCTL_KEY = /^[a-z0-9_]+(\.[a-z0-9_-]+)+$/;

/** The default sysctls of a machine of `cores` cores, sorted by key. @internal */
export function defaultSysctls(cores: number): Record<string, number> {
  const out: Record<string, number> = { [CONNTRACK_MAX_SYSCTL]: defaultConntrackMax(cores) };
  for (const s of NODE_SYSCTLS) out[s.key] = s.value;
  return sortedByKey(out);
}

/** A record sorted by key. @internal */
export function sortedByKey<T>(r: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The name of a profile's sysctl.d file, beside its kubelet configuration. @internal */
export const SYSCTL_FILE = '90-fleet-node.conf';

/** The sysctl.d file of a profile (`key = value` lines, sorted). @internal */
export function renderSysctlConf(sysctls: Readonly<Record<string, number>>): string {
  const lines = Object.entries(sysctls).map(([k, v]) => `${k} = ${v}`);
  return `# node sysctls of the profile; the defaults and their reasons are in docs/ARCHITECTURE.md (node sysctls)\n${lines.join('\n')}\n`;
}

/**
 * The kernel modules that provide a sysctl's key, by key prefix: the keys of
 * IPVS, conntrack and bridge netfilter exist only once their module is loaded,
 * and `systemd-modules-load` runs before `systemd-sysctl` at boot, so the
 * modules file makes the sysctl file apply on a fresh node.
 * @internal
 */
export const SYSCTL_MODULES: readonly { readonly prefix: string; readonly module: string }[] = [
  { prefix: 'net.bridge.', module: 'br_netfilter' },
  { prefix: 'net.ipv4.vs.', module: 'ip_vs' },
  { prefix: 'net.netfilter.nf_conntrack', module: 'nf_conntrack' },
];

/** The kernel modules a profile's sysctls need loaded, sorted. @internal */
export function modulesFor(sysctls: Readonly<Record<string, number>>): string[] {
  const keys = Object.keys(sysctls);
  return SYSCTL_MODULES.filter(m => keys.some(k => k.startsWith(m.prefix))).map(m => m.module).sort();
}

/** The name of a profile's modules-load.d file, beside its sysctl file. @internal */
export const MODULES_FILE = '90-fleet-node-modules.conf';

/** The modules-load.d file of a profile (one module a line), or undefined when its sysctls need none. @internal */
export function renderModulesLoadConf(sysctls: Readonly<Record<string, number>>): string | undefined {
  const modules = modulesFor(sysctls);
  if (modules.length === 0) return undefined;
  return `# kernel modules the profile's node sysctls need (${SYSCTL_FILE} sets keys they provide); /etc/modules-load.d/\n${modules.join('\n')}\n`;
}
