import { Chart } from 'cdk8s';
import { FleetModel } from '../src/model';
import { smallFleet } from './support/fleet';

describe('FleetModel', () => {
  test('workload clusters are every cluster but the hub (cdk8s charts pass any instanceof check)', () => {
    const { fleet, cluster } = smallFleet();
    const model = new FleetModel(fleet);
    expect(model.clusters.map(c => c.clusterName)).toEqual(['hub', 'prod-1']);
    expect(model.workloadClusters).toEqual([cluster]);
  });

  test('a plain cdk8s Chart in the fleet is not taken for a workload cluster', () => {
    const { fleet, cluster } = smallFleet();
    new Chart(fleet, 'extra');
    expect(new FleetModel(fleet).workloadClusters).toEqual([cluster]);
  });
});
