/**
 * Fleet: the root of a platform description and its synth entry point.
 */
import * as fs from 'fs';
import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { HubCluster } from './clusters/cluster';
import { FleetValidationError, formatViolation } from './core/errors';
import { DEFAULT_MAINTENANCE_ZONE_COUNT, MAX_MAINTENANCE_ZONES, maintenanceZoneCountProblem, maintenanceZoneNames } from './machines/maintenance-zones';
import { GivenInputs, OPTION_INPUT_NAMES, SynthEnv, resolveSynthInputs } from './synth/inputs';
import { SynthOptions } from './synth/options';
import { OutputWriteError, recoverOutput } from './synth/output-dir';
import { SynthResult, SynthRun, runSynth, synthesizeFleet } from './synth/pipeline';
import { AtomicOutputWriter, DifferencesWriter } from './synth/write';
import { PLACEMENT_RECORD_FILE, PlacementLock, updatePlacementLock } from './tenancy/lock';

/** Props of the hub cluster. */
export interface HubProps {
  /** Hub cluster name (its output directory; DNS-1123 label). @default 'hub' */
  readonly name?: string;
  /** Region the hub runs in (a DNS-1123 label). @default 'global' */
  readonly region?: string;
  /** Kubernetes version of the hub (`1.MINOR.PATCH`, 1.28–1.31). @default - the fleet's `kubernetesVersion` */
  readonly kubernetesVersion?: string;
}

/** Props of {@link Fleet}. */
export interface FleetProps {
  /** Output directory of `synth()`. @default 'dist' */
  readonly outdir?: string;
  /**
   * Maintenance zones each datacenter is striped into: a count (named `mz-01`…)
   * or explicit names (DNS-1123 labels, each once); from 1 to
   * `MAX_MAINTENANCE_ZONES` (64) zones.
   * @default 20
   */
  readonly maintenanceZones?: number | readonly string[];
  /**
   * Default Kubernetes version of clusters and kubelets: `1.MINOR.PATCH` within
   * the supported range (`SUPPORTED_KUBERNETES_MINORS`: 1.28–1.31).
   * @default '1.28.9'
   */
  readonly kubernetesVersion?: string;
  /** The hub cluster. @default - named 'hub' in region 'global' */
  readonly hub?: HubProps;
  /** Namespace of the platform's own agents in every cluster (DNS-1123 label, not a Kubernetes system namespace). @default 'fleet-system' */
  readonly systemNamespace?: string;
}


export { SynthEnv };

/** What `synth()` reports to the CLI through env CDK8S_FLEET_REPORT_JSON. @internal */
export interface SynthReport {
  /** Absolute path of the fleet's placement lock file, if it declares one. */
  readonly lockFile?: string;
  /** How many files the output holds (its marker left out). */
  readonly files?: number;
  /** With env CDK8S_FLEET_CHECK: the paths whose bytes differ from that directory's, sorted. */
  readonly differing?: readonly string[];
}

/**
 * The synth options given, completed from the environment (given values win,
 * overrides merge); no default previous output (see `Fleet.synth()` for that).
 * Throws on contradicting inputs.
 * @internal
 */
export function synthOptionsFromEnv(options: SynthOptions = {}, env: NodeJS.ProcessEnv = process.env): SynthOptions {
  const r = resolveSynthInputs(givenInputs(options), env, undefined, OPTION_INPUT_NAMES);
  return { previousOutdir: r.previous, overrides: r.overrides };
}

function givenInputs(options: SynthOptions): GivenInputs {
  return { previous: options.previousOutdir, noPrevious: options.noPrevious, overrides: options.overrides };
}

/** Default Kubernetes version of the fleet. */
export const DEFAULT_KUBERNETES_VERSION = '1.28.9';

/**
 * The root of a fleet: maintenance zones, node profiles, the hub and the
 * workload clusters. `synth()` writes every cluster's manifests in one pass.
 */
export class Fleet extends App {
  /** Finds the fleet a construct belongs to. */
  public static of(c: IConstruct): Fleet {
    const root = c.node.root;
    if (!(root instanceof Fleet)) {
      throw new Error(`${c.node.path} is not part of a Fleet`);
    }
    return root;
  }

  /** The fleet's maintenance zone names, in order (none when the prop is not a usable count or list). */
  public readonly maintenanceZones: readonly string[];
  /** The `maintenanceZones` prop as given (after the default), checked in the validate stage. @internal */
  public readonly maintenanceZonesProp: unknown;
  /** The hub cluster. */
  public readonly hub: HubCluster;
  /** Default Kubernetes version. */
  public readonly kubernetesVersion: string;
  /** Namespace of the platform's agents. */
  public readonly systemNamespace: string;
  /** Output directory (env CDK8S_FLEET_OUTDIR overrides the prop). */
  public readonly fleetOutdir: string;

  constructor(props: FleetProps = {}) {
    const outdir = process.env[SynthEnv.OUTDIR] ?? props.outdir ?? 'dist';
    super({ outdir });
    this.fleetOutdir = outdir;
    const zones: unknown = props.maintenanceZones ?? DEFAULT_MAINTENANCE_ZONE_COUNT;
    this.maintenanceZonesProp = zones;
    // a bad count or list is reported by the validate stage, with every other problem
    if (typeof zones === 'number') {
      this.maintenanceZones = maintenanceZoneCountProblem(zones) ? [] : maintenanceZoneNames(zones);
    } else {
      this.maintenanceZones = Array.isArray(zones) && zones.length <= MAX_MAINTENANCE_ZONES ? [...zones] : [];
    }
    this.kubernetesVersion = props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
    this.systemNamespace = props.systemNamespace ?? 'fleet-system';
    const hubName = props.hub?.name ?? 'hub';
    // a name that cannot be a construct id is still the hub's name, reported by the validate stage
    this.hub = new HubCluster(this, typeof hubName === 'string' && hubName.length > 0 ? hubName : 'hub', {
      name: hubName,
      region: props.hub?.region ?? 'global',
      kubernetesVersion: props.hub?.kubernetesVersion,
    });
  }

  /**
   * Synthesizes the whole fleet in memory: validates everything, renders every
   * object once, and returns the files of the output tree. Throws a
   * {@link FleetValidationError} listing every error; writes nothing.
   */
  public synthesize(options: SynthOptions = {}): SynthResult {
    return synthesizeFleet(this, synthOptionsFromEnv(options));
  }

  /**
   * Synthesizes the fleet and writes it to `outdir` atomically: the new tree is
   * built beside the old one and swapped in; on any error the previous output
   * is left untouched. What a killed synth left beside `outdir` is repaired or
   * removed first, so the output directory being replaced is complete: it is
   * the previous state the change-aware guardrails compare with, unless
   * {@link SynthOptions} or the environment say otherwise. A symbolically
   * linked `outdir` is written through the link; a directory holding files the
   * last synth did not write is refused, naming them (README, "Output
   * layout"). Then the fleet's placement lock file (see `PlacementLock`) is
   * updated when placements changed, so the next synth reads what this one
   * decided. Notices and warnings are printed to stderr. When env
   * CDK8S_FLEET_ERRORS_JSON names a file, a failed validation also writes its
   * violations there as JSON, and a failed write its {@link OutputWriteError};
   * when env CDK8S_FLEET_REPORT_JSON does, the lock file is left to the caller
   * and named in that report (the `cdk8s-fleet` CLI).
   */
  public synth(options: SynthOptions = {}): void {
    // a synth killed between its two renames left no output: put it back before reading it as the previous state
    recoverOutput(this.fleetOutdir);
    const reportJson = process.env[SynthEnv.REPORT_JSON];
    const inputs = resolveSynthInputs(givenInputs(options), process.env, this.fleetOutdir, OPTION_INPUT_NAMES);
    if (inputs.notice && !reportJson) process.stderr.write(`cdk8s-fleet: ${inputs.notice}\n`);
    // the files go to the output's staging tree (or, with env CDK8S_FLEET_CHECK, are compared) cluster by
    // cluster as the synth emits them; nothing reaches the output directory before every check passed
    const checkAgainst = process.env[SynthEnv.CHECK];
    const sink = checkAgainst ? new DifferencesWriter(checkAgainst, this.fleetOutdir) : new AtomicOutputWriter(this.fleetOutdir);
    let result: SynthRun;
    try {
      result = runSynth(this, { previousOutdir: inputs.previous, overrides: inputs.overrides }, sink);
    } catch (e) {
      if (sink instanceof AtomicOutputWriter) sink.abort();
      const errorsJson = process.env[SynthEnv.ERRORS_JSON];
      if (errorsJson && e instanceof FleetValidationError) {
        fs.writeFileSync(errorsJson, JSON.stringify(e.toJSON(), null, 2));
      }
      throw e;
    }
    for (const w of result.warnings) {
      process.stderr.write(`${formatViolation(w)}\n`);
    }
    let differing: string[] | undefined;
    try {
      if (sink instanceof DifferencesWriter) differing = sink.commit();
      else sink.commit();
    } catch (e) {
      const errorsJson = process.env[SynthEnv.ERRORS_JSON];
      if (errorsJson && e instanceof OutputWriteError) {
        try {
          fs.writeFileSync(errorsJson, JSON.stringify({ outputWriteError: { message: e.message, code: e.code, errno: e.errno } }, null, 2));
        } catch {
          // the same disk: the error is thrown all the same
        }
      }
      throw e;
    }
    if (reportJson) {
      const lock = result.model.ofType(PlacementLock)[0];
      const report: SynthReport = {
        ...(lock?.filePath !== undefined && result.fleetFiles.has(PLACEMENT_RECORD_FILE) ? { lockFile: lock.filePath } : {}),
        files: result.fileCount,
        ...(differing ? { differing } : {}),
      };
      fs.writeFileSync(reportJson, `${JSON.stringify(report, null, 2)}\n`);
      return;
    }
    const written = updatePlacementLock({ files: result.fleetFiles, plan: result.plan });
    if (written) process.stderr.write(`cdk8s-fleet: updated the placement lock ${written}\n`);
  }

  /** All synthesized manifests as one multi-document YAML string (cdk8s compatibility). */
  public synthYaml(): string {
    const { files, objectFiles } = this.synthesize();
    return objectFiles.map(f => files.get(f)!).join('---\n');
  }
}

export { FleetValidationError };
export { SynthOptions };
