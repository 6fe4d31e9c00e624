/**
 * Test support: temporary directories that a test file removes when it ends.
 *
 * Every directory made here is removed after the last test of the file that made it (jest gives each
 * test file its own module registry, so each file has its own list). Set CDK8S_FLEET_KEEP_TEST_DIRS=1
 * to keep them for a look after a failure.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const made: string[] = [];

if (typeof afterAll === 'function') {
  afterAll(() => {
    if (process.env.CDK8S_FLEET_KEEP_TEST_DIRS) return;
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
}

/** A fresh empty temporary directory, removed when the test file ends. */
export function tmpDir(prefix = 'fleet-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
