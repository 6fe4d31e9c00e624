import { Cpu, Fleet, NodeProfile, Size } from '../../src';
import { Violations } from '../../src/core/errors';
import { resolveNodeProfile } from '../../src/machines/resolve';
import { synthErrors, smallFleet, tmpOutdir } from '../support/fleet';

describe('resolveNodeProfile', () => {
  test('applies every default once: SKU, GPUs, reservations, eviction, maxPods and the kubelet settings', () => {
    const fleet = new Fleet({ outdir: tmpOutdir() });
    const profile = new NodeProfile(fleet, 'general', { machine: { cpuCores: 32, memory: Size.gibibytes(128) } });
    const v = new Violations();
    const spec = resolveNodeProfile(profile, v);
    expect(v.all()).toEqual([]);
    expect(spec).toMatchObject({
      construct: profile,
      name: 'general',
      valid: true,
      usable: true,
      sku: 'general',
      cpuCores: 32,
      memoryMiB: 131072,
      hasLocalSsd: false,
      gpuResourceName: 'nvidia.com/gpu',
      capacity: { cpuMillis: 32000, memoryMiB: 131072, gpus: 0 },
      systemReserved: { cpuMillis: 100, memoryMiB: 512, gpus: 0 },
      evictionHardMemoryMiB: 500,
      maxPods: 110,
      taints: [],
      nodeLabels: {},
      kubelet: {
        cpuManagerPolicy: 'none',
        topologyManagerPolicy: 'none',
        rotateCertificates: true,
        serverTLSBootstrap: true,
        featureGates: {},
        nodefsAvailablePercent: 10,
        imagefsAvailablePercent: 15,
        nodefsInodesFreePercent: 5,
      },
    });
    expect(spec.kubelet.kubeletVersion).toBeUndefined();
    // allocatable = capacity − kube-reserved − system-reserved − hard eviction memory
    expect(spec.allocatable).toEqual({
      cpuMillis: 32000 - spec.kubeReserved.cpuMillis - 100,
      memoryMiB: 131072 - spec.kubeReserved.memoryMiB - 512 - 500,
      gpus: 0,
    });
  });

  test('given values win over the defaults; a GPU profile with the static CPU manager is NUMA-aligned', () => {
    const fleet = new Fleet({ outdir: tmpOutdir() });
    const profile = new NodeProfile(fleet, 'gpu', {
      machine: { cpuCores: 8, memory: Size.gibibytes(64), gpus: 4, gpuResourceName: 'amd.com/gpu', sku: 'g8', localSsd: Size.tebibytes(1) },
      nodeConfig: { maxPods: 40, cpuManagerPolicy: 'static', kubeReserved: { cpu: Cpu.millis(500), memory: Size.gibibytes(2) }, kubeletVersion: '1.28.4' },
    });
    const spec = resolveNodeProfile(profile, new Violations());
    expect(spec).toMatchObject({
      sku: 'g8',
      gpuResourceName: 'amd.com/gpu',
      maxPods: 40,
      hasLocalSsd: true,
      localSsdMiB: 1024 * 1024,
      kubeReserved: { cpuMillis: 500, memoryMiB: 2048, gpus: 0 },
      kubelet: { cpuManagerPolicy: 'static', topologyManagerPolicy: 'single-numa-node', kubeletVersion: '1.28.4' },
    });
    expect(spec.allocatable.gpus).toBe(4);
  });

  test('a bad prop is reported once with path, rule and fix; the spec is marked and its numbers are zero', () => {
    const fleet = new Fleet({ outdir: tmpOutdir() });
    const profile = new NodeProfile(fleet, 'broken', { machine: { cpuCores: 0, memory: Size.gibibytes(8) } });
    const v = new Violations();
    const spec = resolveNodeProfile(profile, v);
    expect(v.all().map(x => [x.path, x.rule])).toEqual([[profile.node.path, 'node-profile.machine.cpu']]);
    expect(v.all()[0].fix).toMatch(/cpuCores/);
    expect(spec).toMatchObject({ valid: false, usable: false, allocatable: { cpuMillis: 0, memoryMiB: 0, gpus: 0 } });
  });

  test('in a synth, a pool on a profile with a bad machine adds no violation of its own (one mistake, one violation)', () => {
    const { fleet, general } = smallFleet();
    (general.props as any).machine = { cpuCores: 'many', memory: Size.gibibytes(128) };
    const e = synthErrors(fleet);
    expect(e.violations.filter(x => x.severity === 'error').map(x => [x.path, x.rule])).toEqual([[general.node.path, 'node-profile.machine.cpu']]);
  });
});
