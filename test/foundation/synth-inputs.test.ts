import * as fs from 'fs';
import * as path from 'path';
import { SynthInputError } from '../../src';
import { CLI_INPUT_NAMES, resolveSynthInputs } from '../../src/synth/inputs';
import { tmpOutdir } from '../support/fleet';

describe('synth inputs: one resolution for the CLI and programs', () => {
  const empty = tmpOutdir();
  const filled = tmpOutdir();
  fs.mkdirSync(filled, { recursive: true });
  fs.writeFileSync(path.join(filled, '.cdk8s-fleet'), '');
  const resolve = (given: object, env: NodeJS.ProcessEnv = {}, replaces: string | undefined = filled) =>
    resolveSynthInputs(given, env, replaces, CLI_INPUT_NAMES);

  test('the previous output: given, else env, else the directory being replaced when it holds anything', () => {
    expect(resolve({ previous: 'a' }, { CDK8S_FLEET_PREVIOUS: 'b' })).toMatchObject({ previous: 'a', previousSource: 'given' });
    expect(resolve({}, { CDK8S_FLEET_PREVIOUS: 'b' })).toMatchObject({ previous: 'b', previousSource: 'env' });
    expect(resolve({})).toMatchObject({ previous: filled, previousSource: 'output' });
    const first = resolve({}, {}, empty);
    expect(first.previous).toBeUndefined();
    expect(first.notice).toContain(`nothing to compare with: ${empty} holds no previous output`);
    // an in-memory synth replaces nothing: no default, no notice
    expect(resolveSynthInputs({}, {}, undefined, CLI_INPUT_NAMES)).toEqual({ overrides: [] });
  });

  test('an explicit skip is said; a given value beats the environment; contradictions from one source are errors', () => {
    expect(resolve({ noPrevious: true }).notice).toContain('change-aware guardrails skipped (--no-previous)');
    expect(resolve({}, { CDK8S_FLEET_NO_PREVIOUS: 'true' }).notice).toContain('skipped (env CDK8S_FLEET_NO_PREVIOUS)');
    expect(resolve({}, { CDK8S_FLEET_NO_PREVIOUS: '0' })).toMatchObject({ previous: filled });
    expect(resolve({ previous: 'a' }, { CDK8S_FLEET_NO_PREVIOUS: '1' })).toMatchObject({ previous: 'a' });
    expect(resolve({ noPrevious: true }, { CDK8S_FLEET_PREVIOUS: 'b' }).previous).toBeUndefined();
    expect(() => resolve({ previous: 'a', noPrevious: true })).toThrow(SynthInputError);
    expect(() => resolve({}, { CDK8S_FLEET_PREVIOUS: 'b', CDK8S_FLEET_NO_PREVIOUS: '1' })).toThrow(/contradict/);
    expect(() => resolve({}, { CDK8S_FLEET_NO_PREVIOUS: 'maybe' })).toThrow(/neither true nor false/);
  });

  test('overrides from flags and env merge: flags first, trimmed, without duplicates', () => {
    expect(resolve({ overrides: ['scale-down:c/ns/a', ' namespace-move:x '] }, { CDK8S_FLEET_OVERRIDES: 'namespace-move:x, delete-protected:c/configmap/ns/y,' }).overrides)
      .toEqual(['scale-down:c/ns/a', 'namespace-move:x', 'delete-protected:c/configmap/ns/y']);
  });
});
