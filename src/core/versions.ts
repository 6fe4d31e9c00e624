/**
 * Kubernetes versions and container image references.
 */

/** A parsed Kubernetes version. */
export interface KubeVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** Parses `1.28.9` or `v1.28`; undefined when it is not a version. */
export function parseKubeVersion(v: string): KubeVersion | undefined {
  const m = /^v?([0-9]+)\.([0-9]+)(?:\.([0-9]+))?$/.exec(v);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
}

/**
 * Why a kubelet version may not run against a control plane version, or
 * undefined when it may: the kubelet must not be newer than the API server and
 * at most three minor versions older (the skew policy since 1.28).
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
 */
export function imagePinProblem(image: string): string | undefined {
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
