import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll } from 'vitest';

/** The feature flags of cdk.json, so tests build the same templates as `cdk synth`. */
export const { context: FEATURE_FLAGS } = JSON.parse(
  readFileSync(path.join(import.meta.dirname, '..', '..', '..', 'cdk.json'), 'utf8'),
) as { context: Record<string, unknown> };

/** Entry of a stand-in handler for construct tests. */
export const FIXTURE_ENTRY = path.join(import.meta.dirname, '..', 'fixtures', 'handler.ts');

// Without an outdir every App leaves a cdk.outXXXXXX directory in the system temp dir; these go in one directory
// per test file instead, removed once the file's tests are done.
const outdirRoot = mkdtempSync(path.join(tmpdir(), 'cdk-test-'));
afterAll(() => rmSync(outdirRoot, { recursive: true, force: true }));

/** An App with the project's feature flags that skips asset bundling and the built-in CloudFormation validation. */
export const createTestApp = (): App =>
  new App({
    outdir: mkdtempSync(path.join(outdirRoot, 'app-')),
    builtinCloudFormationValidation: false,
    context: { ...FEATURE_FLAGS, 'aws:cdk:bundling-stacks': [] },
  });

/** The cdk-nag AwsSolutions findings left under the scope once acknowledgements apply, as `rule at path`. */
export const nagFindings = (scope: IConstruct): string[] =>
  new AwsSolutionsChecks()
    .validateScope(scope)
    .violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`),
    );

/** One `Validations.acknowledge` call found in the construct tree. */
export interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

/** Every acknowledgement recorded under the scope, with the construct it sits on. */
export const acknowledgements = (scope: IConstruct): Acknowledgement[] =>
  scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([key, reason]) => ({
          path: construct.node.path,
          id: key.replace(/^Annotation::/, ''),
          reason,
        })),
      ),
  );
