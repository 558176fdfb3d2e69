import { Template } from 'aws-cdk-lib/assertions';
import { connectorConfig } from '../../../cdk/config/connector-config.js';
import type { Stage } from '../../../cdk/config/connector-settings-schema.js';
import { ConnectorStack } from '../../../cdk/connector-stack.js';
import { createTestApp } from './test-app.js';

type Resource = ReturnType<Template['findResources']>[string];

/** A synthesized connector stack of a stage (bundling skipped), with lookups the tests share. */
export const buildConnectorStack = (stage: Stage = 'prod', overrides: Record<string, unknown> = {}) => {
  const stack = new ConnectorStack(createTestApp(), 'Connector', {
    config: connectorConfig(stage, overrides),
  });
  const template = Template.fromStack(stack);
  const functions = template.findResources('AWS::Lambda::Function');
  const functionByService = (service: string): Resource => {
    const found = Object.values(functions).find(
      (fn) => fn.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === service,
    );
    if (found === undefined) throw new Error(`no function for ${service}`);
    return found;
  };
  /** The logical id of the function of a service (its role's logical id starts the same way). */
  const functionIdByService = (service: string): string => {
    const entry = Object.entries(functions).find(
      ([, fn]) => fn.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === service,
    );
    if (entry === undefined) throw new Error(`no function for ${service}`);
    return entry[0];
  };
  /** Every statement of the policies attached to a service's execution role. */
  const statementsOf = (service: string): Record<string, unknown>[] => {
    const roleId = functionByService(service).Properties.Role['Fn::GetAtt'][0] as string;
    return Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => policy.Properties.Roles.some((role: { Ref: string }) => role.Ref === roleId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
  };
  /** The environment variables of a service's function. */
  const variablesOf = (service: string) =>
    functionByService(service).Properties.Environment.Variables as Record<string, unknown>;
  /** The statements of a service's policies that grant `action`. */
  const statementsWith = (service: string, action: string) =>
    statementsOf(service).filter((statement) => actionsOf(statement).includes(action));
  const queues = template.findResources('AWS::SQS::Queue');
  /** The logical id of the one queue whose id starts with `prefix` (InboxQueue, OutboxDlq…). */
  const queueId = (prefix: string): string => {
    const id = Object.keys(queues).find((key) => key.startsWith(prefix));
    if (id === undefined) throw new Error(`no queue ${prefix}`);
    return id;
  };
  return {
    stack,
    template,
    functions,
    functionByService,
    functionIdByService,
    statementsOf,
    variablesOf,
    statementsWith,
    queues,
    queueId,
  };
};

/** The IAM actions of a statement, as a list. */
export const actionsOf = (statement: Record<string, unknown>): string[] =>
  ([] as string[]).concat(statement.Action as string | string[]);

/** The logical ids a statement's resources point at (GetAtt/Ref), or the literal strings. */
export const resourcesOf = (statement: Record<string, unknown>): string[] =>
  ([] as unknown[]).concat(statement.Resource).map((resource) => JSON.stringify(resource));
