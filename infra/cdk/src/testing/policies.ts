// Reads a synthesised template's IAM: the statements of every policy attached to a role.
import type { Template } from "aws-cdk-lib/assertions";

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

type PolicyResource = { Properties: { Roles?: unknown[]; PolicyDocument: { Statement: Statement[] } } };

export function statementsOf(template: Template, roleLogicalId: string): Statement[] {
  const policies = template.findResources("AWS::IAM::Policy") as Record<string, PolicyResource>;
  return Object.values(policies)
    .filter((policy) =>
      (policy.Properties.Roles ?? []).some(
        (role) => JSON.stringify(role) === JSON.stringify({ Ref: roleLogicalId }),
      ),
    )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

export function actionsOf(statement: Statement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

export function resourcesOf(statement: Statement): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

/** Statements allowing `action` on a resource whose JSON contains `resourcePart` (a logical id, an ARN piece). */
export function allowing(
  statements: readonly Statement[],
  action: string,
  resourcePart?: string,
): Statement[] {
  return statements.filter(
    (statement) =>
      statement.Effect === "Allow" &&
      actionsOf(statement).includes(action) &&
      (resourcePart === undefined ||
        resourcesOf(statement).some((resource) => JSON.stringify(resource).includes(resourcePart))),
  );
}
