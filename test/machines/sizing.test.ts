import * as fc from 'fast-check';
import { Fleet, NodeProfile, Size } from '../../src';
import { allocatable, defaultKubeReservedCpuMillis, defaultKubeReservedMemoryMiB, defaultMaxPods } from '../../src/machines/sizing';

describe('node sizing', () => {
  test('kube-reserved CPU follows the 6% / 1% / 0.5% / 0.25% tiers', () => {
    expect(defaultKubeReservedCpuMillis(1)).toBe(60);
    expect(defaultKubeReservedCpuMillis(2)).toBe(70);
    expect(defaultKubeReservedCpuMillis(4)).toBe(80);
    expect(defaultKubeReservedCpuMillis(64)).toBe(230);
  });

  test('kube-reserved memory follows the 25% / 20% / 10% / 6% / 2% tiers', () => {
    expect(defaultKubeReservedMemoryMiB(512)).toBe(255);
    expect(defaultKubeReservedMemoryMiB(4 * 1024)).toBe(1024);
    expect(defaultKubeReservedMemoryMiB(8 * 1024)).toBe(1844); // 1024 + 819.2, rounded up
    // 256 GiB: 1 + 0.8 + 0.8 + 6.72 + 2.56 GiB = 11.88 GiB
    expect(defaultKubeReservedMemoryMiB(256 * 1024)).toBe(Math.ceil(11.88 * 1024));
  });

  test('max pods per node is min(110, 10 × cores)', () => {
    expect(defaultMaxPods(4)).toBe(40);
    expect(defaultMaxPods(64)).toBe(110);
  });

  test('allocatable + reservations + eviction threshold = capacity (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 256 }), fc.integer({ min: 1024, max: 4 * 1024 * 1024 }), fc.integer({ min: 0, max: 16 }),
      (cores, memoryMiB, gpus) => {
        const kube = { cpuMillis: defaultKubeReservedCpuMillis(cores), memoryMiB: defaultKubeReservedMemoryMiB(memoryMiB), gpus: 0 };
        const sys = { cpuMillis: 100, memoryMiB: 512, gpus: 0 };
        const capacity = { cpuMillis: cores * 1000, memoryMiB, gpus };
        const a = allocatable({ capacity, kubeReserved: kube, systemReserved: sys, evictionHardMemoryMiB: 500 });
        expect(a.cpuMillis + kube.cpuMillis + sys.cpuMillis).toBe(cores * 1000);
        expect(a.memoryMiB + kube.memoryMiB + sys.memoryMiB + 500).toBeCloseTo(memoryMiB, 6);
        expect(a.gpus).toBe(gpus);
        expect(a.cpuMillis).toBeLessThan(cores * 1000);
      }));
  });

  test('a node profile derives its allocatable capacity from the machine', () => {
    const fleet = new Fleet();
    const profile = new NodeProfile(fleet, 'general', { machine: { cpuCores: 64, memory: Size.gibibytes(256), gpus: 0 } });
    const p = fleet.synthesize().spec.machines.of(profile)!;
    expect(p.capacity).toEqual({ cpuMillis: 64000, memoryMiB: 262144, gpus: 0 });
    expect(p.allocatable).toEqual({ cpuMillis: 64000 - 230 - 100, memoryMiB: 262144 - Math.ceil(11.88 * 1024) - 512 - 500, gpus: 0 });
    expect(p.maxPods).toBe(110);
  });
});
