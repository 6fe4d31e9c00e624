/**
 * The benchmark's fleet program: generates the fleet of env BENCH_APPS apps
 * (seed BENCH_SEED; BENCH_CHANGED_APP changes one app's image) and calls
 * `fleet.synth()`, as a user's program does. The output directory comes from
 * env CDK8S_FLEET_OUTDIR (set by the `cdk8s-fleet` CLI, or by the benchmark).
 * With BENCH_OBJECTS_JSON it instead writes the synth's final objects (in
 * canonical key order) as JSON there, for the `yaml`-package floor.
 */
import * as fs from 'fs';
import { clustersFor, generateFleet, statefulAppsFor } from './generator';
import { canonicalObject } from '../src/synth/emit';

const apps = Number(process.env.BENCH_APPS ?? 300);
const seed = Number(process.env.BENCH_SEED ?? 42);
const changed = process.env.BENCH_CHANGED_APP;
const fleet = generateFleet({
  apps,
  statefulApps: statefulAppsFor(apps),
  clusters: clustersFor(apps),
  seed,
  outdir: 'dist',
  ...(changed !== undefined ? { changedApp: Number(changed) } : {}),
});
const objectsJson = process.env.BENCH_OBJECTS_JSON;
if (objectsJson) {
  fs.writeFileSync(objectsJson, JSON.stringify(fleet.synthesize().objects.map(o => canonicalObject(o.object))));
} else {
  fleet.synth();
}
