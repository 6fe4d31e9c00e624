import { Chart } from 'cdk8s';
import { Cluster } from '../src';
import { smallFleet } from './support/fleet';
import { FleetModel } from '../src/core/model';

describe('FleetModel', () => {
  test('indexes the construct tree by class, in tree order (cdk8s charts pass any instanceof check)', () => {
    const { fleet, cluster } = smallFleet();
    const model = new FleetModel(fleet);
    expect(model.ofType(Cluster).map(c => c.clusterName)).toEqual(['hub', 'prod-1']);
    expect(model.ofType(Cluster)[1]).toBe(cluster);
  });

  test('workload clusters are every cluster but the hub; a plain cdk8s Chart in the fleet is not taken for one', () => {
    const { fleet, cluster } = smallFleet();
    new Chart(fleet, 'extra');
    expect(fleet.synthesize().spec.clusters.workloadClusters.map(c => c.construct)).toEqual([cluster]);
  });
});
