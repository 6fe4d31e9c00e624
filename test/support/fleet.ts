/**
 * Test support: small fleets and helpers to synthesize them.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tmpDir } from './tmp';
import { Cluster, ControlPlane, Cpu, Fleet, FleetProps, FleetValidationError, NodeProfile, RequiredDaemonSet, Size } from '../../src';

/** A minimal valid fleet: one general profile, one workload cluster with one pool of 40 nodes over 20 zones. */
export function smallFleet(props: FleetProps = {}) {
  const fleet = new Fleet({ outdir: tmpOutdir(), ...props });
  const general = new NodeProfile(fleet, 'general', { machine: { cpuCores: 32, memory: Size.gibibytes(128) } });
  const logs = new RequiredDaemonSet(fleet, 'log-shipper', {
    image: 'registry.internal/log-shipper:1.0.0',
    resources: { cpu: Cpu.millis(100), memory: Size.mebibytes(128) },
  });
  const cluster = new Cluster(fleet, 'prod-1', { region: 'lva1' });
  const pool = cluster.addPool('general', { nodeProfile: general, capacity: 40, requiredDaemonSets: [logs] });
  return { fleet, general, logs, cluster, pool };
}

/**
 * Backs every cluster of the fleet up (a ControlPlane with an object store for its etcd snapshots), so that a
 * test about something else sees no `control-plane.backup.none` warning and every cluster has its etcd-backup namespace.
 */
export function backedUp<T extends { fleet: Fleet }>(f: T): T {
  for (const c of f.fleet.node.children.filter((x): x is Cluster => x instanceof Cluster)) {
    new ControlPlane(c, 'control-plane', { backup: { objectStore: { endpoint: 'https://s3.backup.example.net', bucket: 'fleet-etcd-backups', prefix: `etcd/${c.clusterName}` } } });
  }
  return f;
}

/** A fresh temporary output directory path (not created). */
export function tmpOutdir(): string {
  return path.join(tmpDir('fleet-test-'), 'dist');
}

/** Synthesizes and returns the FleetValidationError it throws (fails the test when it does not throw). */
export function synthErrors(fleet: Fleet): FleetValidationError {
  try {
    fleet.synthesize();
  } catch (e) {
    if (e instanceof FleetValidationError) return e;
    throw e;
  }
  throw new Error('expected the synth to fail with a FleetValidationError');
}

/** Reads every file below a directory as relative path → content. */
export function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p, 'utf8'));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

/** A pid no process has any more: a child that has exited. */
export function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

/**
 * Leaves `outdir` as a synth killed after the first rename of its swap leaves
 * it: the output moved aside as `.<name>.previous-<pid>-<token>` of a process
 * that no longer runs, and that process's staging tree beside it, complete
 * (`staging`'s files, its marker among them) or, without `staging`, begun but
 * incomplete (no marker). Returns both paths.
 */
export function interruptSwap(outdir: string, token: string, staging?: ReadonlyMap<string, string>): { previous: string; staging: string } {
  const parent = path.dirname(outdir);
  const name = path.basename(outdir);
  const dead = deadPid();
  const previousDir = path.join(parent, `.${name}.previous-${dead}-${token}`);
  const stagingDir = path.join(parent, `.${name}.staging-${dead}-${token}`);
  fs.renameSync(outdir, previousDir);
  fs.mkdirSync(path.join(stagingDir, 'prod-1'), { recursive: true });
  for (const [f, c] of staging ?? []) {
    fs.mkdirSync(path.dirname(path.join(stagingDir, f)), { recursive: true });
    fs.writeFileSync(path.join(stagingDir, f), c);
  }
  return { previous: previousDir, staging: stagingDir };
}
