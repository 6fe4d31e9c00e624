/**
 * Test support: the Kubernetes "restricted" Pod Security Standard as a check of a pod spec.
 */

/** Checks a pod spec against the Kubernetes "restricted" Pod Security Standard (v1.28). */
export function restrictedProblems(spec: any): string[] {
  const out: string[] = [];
  const sc = spec.securityContext ?? {};
  if (sc.seccompProfile?.type !== 'RuntimeDefault' && sc.seccompProfile?.type !== 'Localhost') out.push('pod seccompProfile');
  if (spec.hostNetwork || spec.hostPID || spec.hostIPC) out.push('host namespaces');
  const allowed = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find(k => k !== 'name');
    if (!allowed.includes(type!)) out.push(`volume ${v.name} type ${type}`);
  }
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    const csc = c.securityContext ?? {};
    if (csc.privileged) out.push(`${c.name} privileged`);
    if (csc.allowPrivilegeEscalation !== false) out.push(`${c.name} allowPrivilegeEscalation`);
    if (!(csc.runAsNonRoot === true || (sc.runAsNonRoot === true && csc.runAsNonRoot !== false))) out.push(`${c.name} runAsNonRoot`);
    if ((csc.runAsUser ?? sc.runAsUser) === 0) out.push(`${c.name} runAsUser 0`);
    if (!(csc.capabilities?.drop ?? []).includes('ALL')) out.push(`${c.name} capabilities.drop ALL`);
    if ((csc.capabilities?.add ?? []).some((a: string) => a !== 'NET_BIND_SERVICE')) out.push(`${c.name} capabilities.add`);
    if ((c.ports ?? []).some((p: any) => p.hostPort)) out.push(`${c.name} hostPort`);
  }
  return out;
}
