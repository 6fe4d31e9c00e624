/**
 * What a layer renders into: Kubernetes objects per cluster and plain files,
 * each remembered with the construct it came from.
 */
import { IConstruct } from 'constructs';
import { identityKey, objectFilePath } from './layout';
import { Violations } from '../core/errors';
import { FleetModel, pathOf } from '../core/model';
import { LABEL_PREFIX, Labels, MANAGED_BY_VALUE } from '../core/names';

/** A Kubernetes object as plain JSON. */
export type KubeObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
};

/** One rendered object. */
export interface RenderedObject {
  /** Cluster (output directory) the object belongs to. */
  readonly cluster: string;
  /** The object. */
  readonly object: KubeObject;
  /** Construct path of the construct that produced it. */
  readonly source: string;
  /** Relative path of its file in the output. */
  readonly file: string;
}

/** A rendered non-object file (kubelet config, static pod, etcd config...). @internal */
export interface RenderedFile {
  /** Relative path in the output. */
  readonly file: string;
  /** The document (serialized as YAML) or raw text. */
  readonly content: unknown;
  /** Construct path of the construct that produced it. */
  readonly source: string;
}

/** Annotation recording which construct produced an object. @internal */
export const SOURCE_ANNOTATION = `${LABEL_PREFIX}/source`;

/**
 * The render stage's sink: layers add objects and files; the pipeline emits
 * them. It holds one render unit at a time: first the files outside every
 * cluster's directory, then each cluster in turn (see `Layer.render`).
 * @internal
 */
export class RenderContext<Spec extends object = object, Plan extends object = object> {
  private unitObjects: RenderedObject[] = [];
  private unitFiles: RenderedFile[] = [];
  /** The cluster being rendered; undefined while the files outside every cluster are. */
  private unitCluster: string | undefined;
  /** Identity key → construct path, of the cluster being rendered. */
  private identities = new Map<string, string>();
  /** The sections of the lock record, in the order added (the layers' order). */
  private readonly sections: Array<{ readonly name: string; readonly value: unknown; readonly source: IConstruct }> = [];

  constructor(
    /** Facts of the fleet. */
    public readonly model: FleetModel,
    /** Resolved specs of the layers below the one rendering, and its own. */
    public readonly spec: Spec,
    /** Decisions of the plan stage, of the layers below the one rendering and its own. */
    public readonly plan: Plan,
    /** Where to report problems found while rendering. */
    public readonly violations: Violations,
  ) {}

  /** The cluster being rendered (undefined while the files outside every cluster are). */
  public get cluster(): string | undefined {
    return this.unitCluster;
  }

  /** The objects of the cluster being rendered, in the order added (by every layer so far). */
  public get objects(): readonly RenderedObject[] {
    return this.unitObjects;
  }

  /** The files of the unit being rendered, in the order added. */
  public get files(): readonly RenderedFile[] {
    return this.unitFiles;
  }

  /**
   * Starts rendering a cluster (or, with no name, the files outside every
   * cluster) and returns what the unit before it rendered. For the pipeline.
   */
  public begin(cluster?: string): { readonly objects: readonly RenderedObject[]; readonly files: readonly RenderedFile[] } {
    const done = { objects: this.unitObjects, files: this.unitFiles };
    this.unitObjects = [];
    this.unitFiles = [];
    this.identities = new Map();
    this.unitCluster = cluster;
    return done;
  }

  /**
   * Adds an object to the output of the cluster being rendered. Namespaced
   * objects must carry `metadata.namespace`. Every object gets the managed-by
   * label.
   */
  public add(cluster: { readonly clusterName: string } | string, object: KubeObject, source: IConstruct): RenderedObject {
    const clusterName = typeof cluster === 'string' ? cluster : cluster.clusterName;
    if (clusterName !== this.unitCluster) {
      throw new Error(`an object of cluster '${clusterName}' (${object.kind} ${object.metadata.name}) is rendered while ${this.unitCluster === undefined ? 'no cluster' : `cluster '${this.unitCluster}'`} is`);
    }
    const md = object.metadata;
    md.labels = { ...(md.labels ?? {}), [Labels.MANAGED_BY]: MANAGED_BY_VALUE };
    const id = { apiVersion: object.apiVersion, kind: object.kind, namespace: md.namespace, name: md.name };
    const key = identityKey(clusterName, id);
    const sourcePath = pathOf(source);
    const previous = this.identities.get(key);
    if (previous !== undefined) {
      this.violations.error(sourcePath, 'output.duplicate-object',
        `${object.kind} '${md.namespace ? md.namespace + '/' : ''}${md.name}' in cluster '${clusterName}' is also produced by ${previous}`,
        'give one of the two constructs another name');
    } else {
      this.identities.set(key, sourcePath);
    }
    const rendered: RenderedObject = { cluster: clusterName, object, source: sourcePath, file: objectFilePath(clusterName, id) };
    this.unitObjects.push(rendered);
    return rendered;
  }

  /**
   * Adds a section to the fleet's lock record (`core/lock-record.ts`: the
   * decisions a later synth reads back and keeps), while no cluster is
   * rendered; each section once. The pipeline writes the record, sections in
   * the order added, with the files outside every cluster.
   */
  public addLockSection(name: string, value: unknown, source: IConstruct): void {
    if (this.unitCluster !== undefined) throw new Error(`the lock section ${name} is rendered while cluster '${this.unitCluster}' is`);
    if (name === 'apiVersion' || name === 'kind' || this.sections.some(s => s.name === name)) throw new Error(`the lock section ${name} is rendered twice`);
    this.sections.push({ name, value, source });
  }

  /** The sections of the lock record added so far, in order. */
  public get lockSections(): ReadonlyArray<{ readonly name: string; readonly value: unknown; readonly source: IConstruct }> {
    return this.sections;
  }

  /**
   * Adds a non-object file (YAML document or raw text) at a relative path:
   * below the directory of the cluster being rendered, or outside every
   * cluster's directory while no cluster is.
   */
  public addFile(file: string, content: unknown, source: IConstruct): void {
    // (the pipeline checks that a file rendered outside every cluster is not below a cluster's directory)
    if (this.unitCluster !== undefined && !file.startsWith(`${this.unitCluster}/`)) {
      throw new Error(`the file ${file} is rendered while cluster '${this.unitCluster}' is`);
    }
    this.unitFiles.push({ file, content, source: pathOf(source) });
  }
}
