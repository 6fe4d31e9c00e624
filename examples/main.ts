/**
 * The example fleet: a hub and three workload clusters in two regions, four
 * node profiles, 20 maintenance zones, pools of 1,000+ nodes and the node
 * agents every pool requires. `npm run example` synthesizes it into dist/.
 */
import { FleetValidationError } from '../src';
import { buildExampleFleet } from './fleet';

try {
  const fleet = buildExampleFleet({ outdir: process.env.FLEET_OUTDIR ?? 'dist' });
  fleet.synth();
  process.stdout.write(`synthesized the example fleet into ${fleet.fleetOutdir}/\n`);
} catch (e) {
  if (e instanceof FleetValidationError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
  throw e;
}
