import { Chart } from 'cdk8s';
import { Cluster, HubCluster } from '../../src';
import { smallFleet } from '../support/fleet';

describe('clusters in the model', () => {
  test('the hub is a cluster, workload clusters are not hubs, and other charts are not clusters', () => {
    const { fleet, cluster } = smallFleet();
    const other = new Chart(fleet, 'plain-chart');
    expect(fleet.hub instanceof HubCluster).toBe(true);
    expect(fleet.hub instanceof Cluster).toBe(true);
    expect(cluster instanceof HubCluster).toBe(false);
    expect(other instanceof Cluster).toBe(false);
    // cdk8s's own check still sees both as charts
    expect(cluster instanceof Chart).toBe(true);

    const { clusters } = fleet.synthesize().spec;
    expect(clusters.clusters.map(c => c.construct)).toEqual([fleet.hub, cluster]);
    expect(clusters.workloadClusters.map(c => c.construct)).toEqual([cluster]);
  });
});
