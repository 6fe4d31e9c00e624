/**
 * Kubernetes versions and container image references.
 */

/** A parsed Kubernetes version. @internal */
export interface KubeVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** Parses `1.28.9` or `v1.28`; undefined when it is not a version. @internal */
export function parseKubeVersion(v: string): KubeVersion | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^v?([0-9]+)\.([0-9]+)(?:\.([0-9]+))?$/.exec(v);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
}

/**
 * The Kubernetes minor versions a fleet's control planes may run: 1.28 to 1.31.
 * The library renders against the v1.28 API (cdk8s-plus-28) and uses only APIs
 * that are served, unchanged, from 1.28 through 1.31; each release of that
 * range is tested against its OpenAPI definitions. Kubelets may be up to three
 * minor versions older than their control plane (the version skew policy).
 */
export const SUPPORTED_KUBERNETES_MINORS = { min: 28, max: 31 } as const;

/** Longest patch number accepted: Kubernetes patch releases are counted in tens, never thousands. */
export const MAX_KUBERNETES_PATCH = 999;

const STRICT_VERSION = /^1\.(0|[1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$/;

/** The supported range as text, e.g. `1.28–1.31`. @internal */
export function supportedKubernetesRange(): string {
  return `1.${SUPPORTED_KUBERNETES_MINORS.min}–1.${SUPPORTED_KUBERNETES_MINORS.max}`;
}

/**
 * Why a control-plane Kubernetes version is not acceptable, or undefined: it
 * must be `1.MINOR.PATCH` (no `v`, no pre-release, patch at most
 * {@link MAX_KUBERNETES_PATCH}) with MINOR within {@link SUPPORTED_KUBERNETES_MINORS}.
 * @internal
 */
export function kubernetesVersionProblem(v: unknown): string | undefined {
  return versionProblem(v, SUPPORTED_KUBERNETES_MINORS.min);
}

/**
 * Why a kubelet version is not acceptable, or undefined: `1.MINOR.PATCH`, at
 * most the newest supported minor and at most three minors older than the
 * oldest (whether it suits its cluster is the skew check's part).
 * @internal
 */
export function kubeletVersionProblem(v: unknown): string | undefined {
  return versionProblem(v, SUPPORTED_KUBERNETES_MINORS.min - 3);
}

function versionProblem(v: unknown, minMinor: number): string | undefined {
  if (typeof v !== 'string') return `a ${v === null ? 'null' : typeof v} value is not a Kubernetes version`;
  const shown = v.length > 40 ? `${v.slice(0, 40)}…` : v;
  const m = STRICT_VERSION.exec(v);
  if (!m) return `'${shown}' is not a Kubernetes version of the form 1.MINOR.PATCH`;
  const minor = Number(m[1]);
  if (minor < minMinor || minor > SUPPORTED_KUBERNETES_MINORS.max) {
    return `Kubernetes ${v} is outside the supported range 1.${minMinor}–1.${SUPPORTED_KUBERNETES_MINORS.max}`;
  }
  return undefined;
}

/**
 * Why a kubelet version may not run against a control plane version, or
 * undefined when it may: the kubelet must not be newer than the API server and
 * at most three minor versions older (the skew policy since 1.28).
 * @internal
 */
export function kubeletSkewProblem(kubelet: KubeVersion, apiserver: KubeVersion): string | undefined {
  if (kubelet.major !== apiserver.major) return 'major versions differ';
  if (kubelet.minor > apiserver.minor) return 'the kubelet is newer than the control plane';
  if (apiserver.minor - kubelet.minor > 3) return 'the kubelet is more than three minor versions older than the control plane';
  return undefined;
}

/**
 * Why an image reference is not pinned, or undefined when it is: it must carry
 * a digest or an explicit tag other than `latest`.
 * @internal
 */
export function imagePinProblem(image: string): string | undefined {
  if (typeof image !== 'string') return `a ${image === null ? 'null' : typeof image} value is not an image reference`;
  if (image.trim() !== image || image.length === 0) return 'the image reference is empty or has surrounding spaces';
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return undefined;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon < 0) return 'the image has no tag';
  const tag = lastSegment.slice(colon + 1);
  if (tag === 'latest') return "the image uses the mutable 'latest' tag";
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) return `'${tag}' is not a valid tag`;
  return undefined;
}
