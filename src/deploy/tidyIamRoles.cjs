// A Serverless Framework plugin that removes, from the packaged template, two kinds of IAM
// grants the framework generates but nothing uses:
// - the default role `IamRoleLambdaExecution`. osls creates it unless every function names an
//   existing `role`, and serverless-iam-roles-per-function needs it as the template of each
//   function's role, so it cannot be switched off in serverless.yml; once every function has its
//   own role, nothing refers to it any more and it is an idle role with stream-read and
//   queue-send rights. It is kept whenever anything still refers to it.
// - `dynamodb:ListStreams`, `kinesis:ListStreams` and `sqs:ListQueues` granted on a specific
//   stream or queue (stream and on-failure destination statements). These actions support no
//   resource-level permissions: IAM only matches them against `"*"`, so on an ARN they grant
//   nothing, and removing them leaves what a role may do exactly as it was. Lambda's event
//   source mapping needs GetRecords, GetShardIterator and DescribeStream on the stream.
//
// It runs just before the template is written (after `resources` are merged), in `package` and
// in `deploy`. The spec validation (src/deploy/templateSpec.ts) reports any such grant left.
'use strict';

const DEFAULT_ROLE = 'IamRoleLambdaExecution';
const WILDCARD_ONLY = ['dynamodb:ListStreams', 'kinesis:ListStreams', 'sqs:ListQueues'];

const asList = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** True when any part of the template (other than `except`) names `logicalId`. */
const isReferenced = (template, logicalId, except) => {
  const { [except]: _omitted, ...resources } = template.Resources;
  const text = JSON.stringify({ ...template, Resources: resources });
  // "Id" as a Ref, a GetAtt's first element or a DependsOn; "Id.Attr" GetAtt; ${Id} in a Sub.
  return new RegExp(`"${logicalId}[".]|\\$\\{${logicalId}[}.]`).test(text);
};

/** Drops the wildcard-only actions from Allow statements scoped to specific resources. */
const dropWildcardOnlyActions = (role) => {
  const dropped = [];
  for (const policy of role.Properties.Policies || []) {
    for (const statement of asList(policy.PolicyDocument?.Statement)) {
      const resources = asList(statement.Resource);
      if (statement.Effect !== 'Allow' || resources.length === 0 || resources.includes('*')) continue;
      const actions = asList(statement.Action);
      const kept = actions.filter((a) => !WILDCARD_ONLY.includes(a));
      if (kept.length === actions.length) continue;
      dropped.push(...actions.filter((a) => WILDCARD_ONLY.includes(a)));
      statement.Action = kept;
    }
    const statements = asList(policy.PolicyDocument?.Statement);
    if (policy.PolicyDocument) policy.PolicyDocument.Statement = statements.filter((s) => asList(s.Action).length > 0);
  }
  return dropped;
};

/**
 * Tidies `template` in place; returns what it removed: `{ defaultRole, actions }`
 * (`actions`: "Role action" for each dropped grant).
 */
const tidyIamRoles = (template) => {
  const resources = template.Resources;
  const defaultRole = Boolean(resources[DEFAULT_ROLE]) && !isReferenced(template, DEFAULT_ROLE, DEFAULT_ROLE);
  if (defaultRole) delete resources[DEFAULT_ROLE];
  const actions = Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::Role' && r.Properties)
    .flatMap(([id, role]) => dropWildcardOnlyActions(role).map((a) => `${id} ${a}`));
  return { defaultRole, actions };
};

class TidyIamRoles {
  constructor(serverless, _options, { log } = {}) {
    this.hooks = {
      'before:aws:package:finalize:saveServiceState': () => {
        const removed = tidyIamRoles(serverless.service.provider.compiledCloudFormationTemplate);
        if (log) {
          if (removed.defaultRole) log.verbose(`tidyIamRoles: removed the unused ${DEFAULT_ROLE}`);
          for (const grant of removed.actions)
            log.verbose(`tidyIamRoles: dropped ${grant} (no resource-level permissions)`);
        }
      },
    };
  }
}

module.exports = TidyIamRoles;
module.exports.tidyIamRoles = tidyIamRoles;
