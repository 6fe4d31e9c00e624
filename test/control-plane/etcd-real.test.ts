/**
 * Starts a real etcd from a generated member config (paths and ports rewritten
 * to a temporary directory and loopback, TLS material made with openssl),
 * checks its health with etcdctl over mutual TLS, and reads the configured
 * backend quota back from its metrics. Then the backup round trip: keys
 * written, a snapshot taken and checked with the commands of the synthesized
 * CronJob (its container mounts bound to temporary directories, the member's
 * host name to loopback), restored with the generated restore script's command
 * into a new data dir, a second member started from it, the keys read back.
 * Debian's etcd 3.4 has no `etcdutl`: its `snapshot status` and `snapshot
 * restore` are `etcdctl`'s, with the same arguments, and the test runs those
 * when `etcdutl` is missing (and says so). Kills only the processes it started.
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { ControlPlane, GIB_BYTES } from '../../src';
import { smallFleet } from '../support/fleet';

const hasEtcd = spawnSync('sh', ['-c', 'command -v etcd && command -v etcdctl && command -v openssl'], { encoding: 'utf8' }).status === 0;
const inCi = process.env.CI === 'true';

if (!hasEtcd && !inCi) {
  // eslint-disable-next-line no-console
  console.warn('NOTICE: etcd/etcdctl/openssl not installed; the real-etcd suite is SKIPPED (install the Debian packages etcd-server and etcd-client).');
}

const describeEtcd = hasEtcd || inCi ? describe : describe.skip;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, res => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', d => { body += d; });
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A CA and server, peer and client certificates for 127.0.0.1. */
function makePki(dir: string): void {
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=etcd-test-ca']);
  const sign = (name: string, usage: string) => {
    fs.writeFileSync(path.join(dir, `${name}.ext`), `subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=${usage}\n`);
    openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
    openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '1', '-extfile', `${name}.ext`]);
  };
  sign('server', 'serverAuth,clientAuth');
  sign('peer', 'serverAuth,clientAuth');
  sign('client', 'clientAuth');
}

async function waitFor<T>(what: string, fn: () => T | undefined, timeoutMs: number, log: () => string): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; etcd log:\n${log()}`);
    await new Promise(r => setTimeout(r, 250));
  }
}

const hasEtcdutl = spawnSync('sh', ['-c', 'command -v etcdutl'], { encoding: 'utf8' }).status === 0;

async function stop(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null || p.pid === undefined) return;
  const done = new Promise(r => p.once('exit', r));
  p.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([done, new Promise(r => { timer = setTimeout(r, 5000); })]);
  clearTimeout(timer);
  if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
}

/** Runs a generated argv: the binary from the PATH (the image's absolute path is the image's), `$(VAR)` expanded from `env` as the kubelet does. */
function runGenerated(argv: readonly string[], rewrite: (arg: string) => string, env: Record<string, string> = {}) {
  const args = argv.map(a => rewrite(a.replace(/\$\(([A-Z_]+)\)/g, (_, k: string) => env[k] ?? `$(${k})`)));
  let bin = path.basename(args[0]);
  if (bin === 'etcdutl' && !hasEtcdutl) bin = 'etcdctl';
  return spawnSync(bin, args.slice(1), { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' } });
}

describeEtcd('a real etcd runs the generated member config', () => {
  let etcd: ChildProcess | undefined;
  let exited = false;
  let log = '';
  let dir = '';
  let clientPort = 0;
  let metricsPort = 0;
  let config: Record<string, any> = {};
  let generated: Record<string, any> = {};
  let restoreScript = '';
  let cron: any;
  const others: ChildProcess[] = [];

  beforeAll(async () => {
    if (!hasEtcd) throw new Error('CI=true but etcd, etcdctl or openssl is missing: .ci/run installs etcd-server and etcd-client');
    const { fleet, cluster } = smallFleet();
    new ControlPlane(cluster, 'control-plane', {
      etcd: { members: 1, quotaBackendBytes: 16 * GIB_BYTES, acknowledgeQuotaAbove8GiB: true, roundTripMillis: 150 },
      backup: { objectStore: { endpoint: 'https://s3.example.net', bucket: 'etcd-backups' } },
    });
    const result = fleet.synthesize();
    generated = parse(result.files.get('prod-1/control-plane/etcd/etcd-1.yaml')!) as Record<string, any>;
    restoreScript = result.files.get('prod-1/control-plane/restore/etcd-restore.sh')!;
    cron = result.objects.find(o => o.cluster === 'prod-1' && o.object.kind === 'CronJob' && o.object.metadata.name === 'etcd-snapshot-etcd-1')!.object;

    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-etcd-'));
    makePki(dir);
    const [peerPort, cPort, mPort] = [await freePort(), await freePort(), await freePort()];
    clientPort = cPort;
    metricsPort = mPort;
    const f = (n: string) => path.join(dir, n);
    config = {
      ...generated,
      'data-dir': f('data'),
      'listen-peer-urls': `https://127.0.0.1:${peerPort}`,
      'listen-client-urls': `https://127.0.0.1:${clientPort}`,
      'listen-metrics-urls': `http://127.0.0.1:${metricsPort}`,
      'initial-advertise-peer-urls': `https://127.0.0.1:${peerPort}`,
      'advertise-client-urls': `https://127.0.0.1:${clientPort}`,
      'initial-cluster': `${generated.name}=https://127.0.0.1:${peerPort}`,
      'client-transport-security': { ...generated['client-transport-security'], 'cert-file': f('server.crt'), 'key-file': f('server.key'), 'trusted-ca-file': f('ca.crt') },
      'peer-transport-security': { ...generated['peer-transport-security'], 'cert-file': f('peer.crt'), 'key-file': f('peer.key'), 'trusted-ca-file': f('ca.crt') },
    };
    fs.writeFileSync(f('etcd.yaml'), JSON.stringify(config, null, 2));
    etcd = spawn('etcd', ['--config-file', f('etcd.yaml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    etcd.stdout!.on('data', d => { log += d; });
    etcd.stderr!.on('data', d => { log += d; });
    etcd.on('exit', () => { exited = true; });
  });

  afterAll(async () => {
    if (etcd && !exited && etcd.pid !== undefined) {
      const done = new Promise(r => etcd!.once('exit', r));
      etcd.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([done, new Promise(r => { timer = setTimeout(r, 5000); })]);
      clearTimeout(timer);
      if (!exited) etcd.kill('SIGKILL');
    }
    for (const p of others) await stop(p);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const etcdctl = (withCert: boolean, ...args: string[]) => spawnSync('etcdctl', [
    `--endpoints=https://127.0.0.1:${clientPort}`, `--cacert=${path.join(dir, 'ca.crt')}`,
    ...(withCert ? [`--cert=${path.join(dir, 'client.crt')}`, `--key=${path.join(dir, 'client.key')}`] : []),
    '--command-timeout=3s', ...args,
  ], { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' } });

  test('the member is healthy over mutual TLS', async () => {
    expect(config['client-transport-security']['client-cert-auth']).toBe(true);
    const out = await waitFor('etcd to become healthy', () => {
      if (exited) throw new Error(`etcd exited; log:\n${log}`);
      const r = etcdctl(true, 'endpoint', 'health');
      return r.status === 0 ? r.stdout + r.stderr : undefined;
    }, 60_000, () => log);
    expect(out).toMatch(/is healthy/);
  });

  test('a client without a certificate is refused (client-cert-auth)', () => {
    const r = etcdctl(false, 'put', 'k', 'v');
    expect(r.status).not.toBe(0);
    expect(etcdctl(true, 'put', 'k', 'v').status).toBe(0);
  });

  test('the metrics show the configured 16 GiB backend quota', async () => {
    const text = await httpGet(`http://127.0.0.1:${metricsPort}/metrics`);
    const m = /^etcd_server_quota_backend_bytes\s+([0-9.e+]+)$/m.exec(text);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(16 * GIB_BYTES);
    expect(config['quota-backend-bytes']).toBe(16 * GIB_BYTES);
  });

  test('raft timing derived from the declared round trip reached etcd', () => {
    expect(config['heartbeat-interval']).toBe(150);
    expect(config['election-timeout']).toBe(1500);
    expect(log).toContain('"heartbeat-interval":"150ms"');
    expect(log).toContain('"election-timeout":"1.5s"');
  });

  test('etcd itself warns about the acknowledged quota above 8 GiB, as the synth does', () => {
    expect(log).toContain('quota exceeds the maximum value');
  });

  test('backup round trip: snapshot and check as the CronJob runs them, restore as the script does, read the keys back', async () => {
    if (!hasEtcdutl) {
      // eslint-disable-next-line no-console
      console.warn('NOTICE: etcdutl is not installed (Debian etcd 3.4): the generated etcdutl snapshot status/restore run as etcdctl with the same arguments.');
    }
    for (let i = 0; i < 20; i++) expect(etcdctl(true, 'put', `/registry/test/key-${i}`, `value-${i}`).status).toBe(0);

    // the CronJob's steps, mounts bound to temporary directories
    const pod = cron.spec.jobTemplate.spec.template.spec;
    const tls = path.join(dir, 'backup-tls');
    const snapshots = path.join(dir, 'backup-snapshots');
    fs.mkdirSync(tls);
    fs.mkdirSync(snapshots);
    fs.copyFileSync(path.join(dir, 'ca.crt'), path.join(tls, 'ca.crt'));
    fs.copyFileSync(path.join(dir, 'client.crt'), path.join(tls, 'tls.crt'));
    fs.copyFileSync(path.join(dir, 'client.key'), path.join(tls, 'tls.key'));
    const volumes: Record<string, string> = { tls, snapshots };
    const host = /^https:\/\/([^:]+):/.exec(generated['advertise-client-urls'])![1];
    const step = (name: string) => pod.initContainers.find((c: any) => c.name === name);
    const bind = (c: any) => (arg: string) => {
      let out = arg.split(`https://${host}:2379`).join(`https://127.0.0.1:${clientPort}`);
      for (const m of c.volumeMounts ?? []) out = out.split(`${m.mountPath}/`).join(`${volumes[m.name]}/`);
      return out;
    };
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['snapshot', 'verify', 'upload']);
    expect(pod.containers.map((c: any) => c.name)).toEqual(['prune']);
    const save = runGenerated(step('snapshot').command, bind(step('snapshot')));
    expect(save.status).toBe(0);
    const file = path.join(snapshots, 'etcd.db');
    expect(fs.statSync(file).size).toBeGreaterThan(0);
    const status = runGenerated(step('verify').command, bind(step('verify')));
    expect(status.stdout + status.stderr).toMatch(/HASH/);
    expect(status.status).toBe(0);

    // a truncated snapshot fails the same check
    const truncated = path.join(snapshots, 'truncated.db');
    fs.writeFileSync(truncated, fs.readFileSync(file).subarray(0, 8192));
    const bad = runGenerated(step('verify').command, a => bind(step('verify'))(a).replace(file, truncated));
    expect(bad.status).not.toBe(0);

    // the restore script's command for the member
    const line = restoreScript.split('\n').find(l => l.trim().startsWith(`${generated.name})`))!;
    const argv = line.trim().replace(/^\S+\)\s*/, '').replace(/\s*;;$/, '').split(/\s+/).map(a => (a === '"$snapshot"' ? file : a));
    expect(argv.slice(0, 3)).toEqual(['etcdutl', 'snapshot', 'restore']);
    const [peerPort, cPort, mPort] = [await freePort(), await freePort(), await freePort()];
    const restoredDir = path.join(dir, 'restored');
    const restore = runGenerated(argv, a => a
      .split(`https://${host}:2380`).join(`https://127.0.0.1:${peerPort}`)
      .split(`${generated['data-dir']}.restored`).join(restoredDir));
    expect(restore.stderr).not.toMatch(/error/i);
    expect(restore.status).toBe(0);

    // a member started from the restored dir with the generated config
    const f = (n: string) => path.join(dir, n);
    const restoredConfig = {
      ...config,
      'data-dir': restoredDir,
      'listen-peer-urls': `https://127.0.0.1:${peerPort}`,
      'listen-client-urls': `https://127.0.0.1:${cPort}`,
      'listen-metrics-urls': `http://127.0.0.1:${mPort}`,
      'initial-advertise-peer-urls': `https://127.0.0.1:${peerPort}`,
      'advertise-client-urls': `https://127.0.0.1:${cPort}`,
      'initial-cluster': `${generated.name}=https://127.0.0.1:${peerPort}`,
    };
    fs.writeFileSync(f('restored.yaml'), JSON.stringify(restoredConfig, null, 2));
    let restoredLog = '';
    const restored = spawn('etcd', ['--config-file', f('restored.yaml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    others.push(restored);
    restored.stdout!.on('data', d => { restoredLog += d; });
    restored.stderr!.on('data', d => { restoredLog += d; });
    const get = (...args: string[]) => spawnSync('etcdctl', [
      `--endpoints=https://127.0.0.1:${cPort}`, `--cacert=${f('ca.crt')}`, `--cert=${f('client.crt')}`, `--key=${f('client.key')}`,
      '--command-timeout=3s', ...args,
    ], { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' } });
    const out = await waitFor('the restored member to answer', () => {
      if (restored.exitCode !== null) throw new Error(`restored etcd exited; log:\n${restoredLog}`);
      const r = get('get', '--prefix', '/registry/test/', '--print-value-only');
      return r.status === 0 && r.stdout.trim() !== '' ? r.stdout : undefined;
    }, 60_000, () => restoredLog);
    const values = out.trim().split('\n').sort();
    expect(values).toEqual(Array.from({ length: 20 }, (_, i) => `value-${i}`).sort());
  }, 120_000);
});
