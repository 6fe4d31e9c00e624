/**
 * Fleet: the root of a platform description and its synth entry point.
 */
import * as fs from 'fs';
import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { HubCluster } from './clusters/cluster';
import { FleetValidationError, formatViolation } from './core/errors';
import { DEFAULT_MAINTENANCE_ZONE_COUNT, maintenanceZoneNames } from './machines/maintenance-zones';
import { OutputWriteError } from './synth/output-dir';
import { SynthResult, synthesizeFleet } from './synth/pipeline';
import { writeOutputAtomically } from './synth/write';

/** Props of the hub cluster. */
export interface HubProps {
  /** Hub cluster name (its output directory). @default 'hub' */
  readonly name?: string;
  /** Region the hub runs in. @default 'global' */
  readonly region?: string;
  /** Kubernetes version of the hub. @default - the fleet's `kubernetesVersion` */
  readonly kubernetesVersion?: string;
}

/** Props of {@link Fleet}. */
export interface FleetProps {
  /** Output directory of `synth()`. @default 'dist' */
  readonly outdir?: string;
  /** Maintenance zones each datacenter is striped into: a count (named `mz-01`…) or explicit names. @default 20 */
  readonly maintenanceZones?: number | readonly string[];
  /** Default Kubernetes version of clusters and kubelets. @default '1.28.9' */
  readonly kubernetesVersion?: string;
  /** The hub cluster. @default - named 'hub' in region 'global' */
  readonly hub?: HubProps;
  /** Namespace of the platform's own agents in every cluster. @default 'fleet-system' */
  readonly systemNamespace?: string;
}

/** Options of one synth, for the GitOps pipeline (the CLI sets them through the environment). */
export interface SynthOptions {
  /**
   * The previous synthesized output (the last output directory, as committed in
   * the GitOps repo), for change-aware guardrails.
   * @default - env CDK8S_FLEET_PREVIOUS, else no previous state (change rules are skipped)
   */
  readonly previousOutdir?: string;
  /**
   * Names of explicit overrides this change carries (e.g. `allow-scale-down:feed`).
   * @default - env CDK8S_FLEET_OVERRIDES (comma-separated), else none
   */
  readonly overrides?: readonly string[];
}

/** Environment variables the `cdk8s-fleet` CLI uses to steer a fleet program's synth. */
export const SynthEnv = {
  /** Output directory (overrides the fleet's `outdir`). */
  OUTDIR: 'CDK8S_FLEET_OUTDIR',
  /** Previous output directory (see {@link SynthOptions.previousOutdir}). */
  PREVIOUS: 'CDK8S_FLEET_PREVIOUS',
  /** Comma-separated overrides (see {@link SynthOptions.overrides}). */
  OVERRIDES: 'CDK8S_FLEET_OVERRIDES',
  /** File `synth()` writes the violations to (JSON) when the synth fails validation. */
  ERRORS_JSON: 'CDK8S_FLEET_ERRORS_JSON',
} as const;

/** The synth options given, completed from the environment. */
export function synthOptionsFromEnv(options: SynthOptions = {}, env: NodeJS.ProcessEnv = process.env): SynthOptions {
  const overrides = options.overrides ?? (env[SynthEnv.OVERRIDES] ?? '').split(',').map(s => s.trim()).filter(s => s.length > 0);
  return { previousOutdir: options.previousOutdir ?? env[SynthEnv.PREVIOUS] ?? undefined, overrides };
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

  /** The fleet's maintenance zone names, in order. */
  public readonly maintenanceZones: readonly string[];
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
    const zones = props.maintenanceZones ?? DEFAULT_MAINTENANCE_ZONE_COUNT;
    this.maintenanceZones = typeof zones === 'number' ? maintenanceZoneNames(zones) : [...zones];
    this.kubernetesVersion = props.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
    this.systemNamespace = props.systemNamespace ?? 'fleet-system';
    const hubName = props.hub?.name ?? 'hub';
    this.hub = new HubCluster(this, hubName, {
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
   * is left untouched. Warnings are printed to stderr. When env
   * CDK8S_FLEET_ERRORS_JSON names a file, a failed validation also writes its
   * violations there as JSON (for the `cdk8s-fleet` CLI), and a failed write
   * its {@link OutputWriteError}. A symbolically linked `outdir` is written
   * through the link; what a killed synth left beside `outdir` is repaired or
   * removed first; a directory holding files the last synth did not write is
   * refused, naming them (README, "Output layout").
   */
  public synth(options: SynthOptions = {}): void {
    let result: SynthResult;
    try {
      result = this.synthesize(options);
    } catch (e) {
      const errorsJson = process.env[SynthEnv.ERRORS_JSON];
      if (errorsJson && e instanceof FleetValidationError) {
        fs.writeFileSync(errorsJson, JSON.stringify(e.toJSON(), null, 2));
      }
      throw e;
    }
    for (const w of result.warnings) {
      process.stderr.write(`${formatViolation(w)}\n`);
    }
    try {
      writeOutputAtomically(this.fleetOutdir, result.files);
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
  }

  /** All synthesized manifests as one multi-document YAML string (cdk8s compatibility). */
  public synthYaml(): string {
    return this.synthesize().objects.map(o => o.yaml).join('---\n');
  }
}

export { FleetValidationError };
