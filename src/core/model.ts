/**
 * The model: immutable facts read off the construct tree in one walk.
 * Every later stage (plan, render, validate) reads the model, never the tree.
 */
import { IConstruct } from 'constructs';
import { SynthOptions } from '../synth/options';

/** A class whose instances the model can list. @internal */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ConstructClass<T> = abstract new (...args: any[]) => T;

/**
 * What the model reads off the fleet's root: its own props, resolved in its
 * constructor. (The root construct, `Fleet`, sits above every layer; the
 * layers see it only through this interface.)
 * @internal
 */
export interface FleetRoot extends IConstruct {
  /** The fleet's maintenance zone names, in order. */
  readonly maintenanceZones: readonly string[];
  /** The `maintenanceZones` prop as given (after the default). */
  readonly maintenanceZonesProp: unknown;
  /** The hub cluster (the clusters layer knows its type). */
  readonly hub: IConstruct;
  /** Default Kubernetes version. */
  readonly kubernetesVersion: string;
  /** Namespace of the platform's agents. */
  readonly systemNamespace: string;
}

/** Facts of a fleet, read once. @internal */
export class FleetModel {
  /** Every construct of the fleet, in tree (pre-)order. */
  public readonly constructs: readonly IConstruct[];
  private readonly byType = new Map<unknown, unknown[]>();

  constructor(public readonly fleet: FleetRoot, public readonly options: SynthOptions = {}) {
    this.constructs = fleet.node.findAll();
  }

  /** Every construct that is an instance of `cls`, in tree order (cached: one scan per class). */
  public ofType<T>(cls: ConstructClass<T>): T[] {
    let found = this.byType.get(cls) as T[] | undefined;
    if (!found) {
      found = this.constructs.filter((c): c is T & IConstruct => c instanceof cls) as T[];
      this.byType.set(cls, found);
    }
    return found;
  }
}

/** The construct path used in messages (`<fleet>` for the root). @internal */
export function pathOf(c: IConstruct): string {
  return c.node.path === '' ? '<fleet>' : c.node.path;
}
