// A Serverless Framework plugin that keeps a stage's data in a stack of its own.
//
// The resources named in `custom.dataStack.resources` (the event log, the dead letters, the user
// pool: what cannot be rebuilt) are moved out of the packaged template into a second
// CloudFormation stack, `<service>-<stage>-data`, which `serverless deploy` creates or updates
// before the app's stack, and which `serverless remove` never touches. The app's stack imports
// what it uses of them (`Fn::ImportValue`, exported by name), so:
// - deploy -> remove -> deploy again finds the same tables, stream, queue and user pool;
// - CloudFormation refuses to delete the data stack while a stage's app imports from it;
// - a second stage gets its own data stack (every name carries the stage).
// On a stage that is not throwaway, the data stack has termination protection and a stack
// policy that denies replacing or deleting any of its resources, and each resource is
// `RetainExceptOnCreate` (a first create that fails leaves nothing behind that blocks the next
// try) with `UpdateReplacePolicy: Retain`. `--param="throwaway=true"` makes them all `Delete`.
//
// It also names each function's log group uniquely per stack (a leftover `/aws/lambda/<fn>`
// group, recreated by a late invocation, can never block a create): see uniqueLogGroups.
//
// The split runs when the template is packaged (`package` and `deploy`); the data stack's
// template is written beside the app's as cloudformation-template-data.json.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const DATA_TEMPLATE_FILE = 'cloudformation-template-data.json';
// The AWS SDK v3 client the framework itself deploys with (its own dependency).
const cloudFormationSdk = () => {
  const framework = path.dirname(require.resolve('serverless/package.json'));
  return require(require.resolve('@aws-sdk/client-cloudformation', { paths: [framework] }));
};

const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const asList = (v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The name of the data stack of a stage. */
const dataStackName = (service, stage) => `${service}-${stage}-data`;

/** `Ref` and `Fn::GetAtt` targets inside a value: [{ target, attribute }] (attribute undefined for Ref). */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one walk over CloudFormation's intrinsic shapes
const references = (value, found = []) => {
  if (Array.isArray(value)) for (const v of value) references(v, found);
  else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'Ref' && typeof child === 'string') found.push({ target: child });
      else if (key === 'Fn::GetAtt') {
        const [target, ...attribute] = typeof child === 'string' ? child.split('.') : child;
        found.push({ target, attribute: Array.isArray(attribute) ? attribute.join('.') : attribute });
      } else if (key === 'Fn::Sub') {
        const [text] = asList(child);
        for (const [, name] of String(text).matchAll(/\$\{([^!}][^}]*)\}/g)) {
          const [target, ...attribute] = name.split('.');
          found.push({ target, attribute: attribute.length ? attribute.join('.') : undefined, sub: true });
        }
        references(child, found);
      } else references(child, found);
    }
  }
  return found;
};

/** Conditions named by resources' `Condition`, `Fn::If` and `{ Condition }` inside a value. */
const conditionsUsed = (value, found = new Set()) => {
  if (Array.isArray(value)) for (const v of value) conditionsUsed(v, found);
  else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'Fn::If' && Array.isArray(child)) found.add(child[0]);
      if (key === 'Condition' && typeof child === 'string') found.add(child);
      conditionsUsed(child, found);
    }
  }
  return found;
};

/**
 * Splits `template` in place: the resources `ids` leave it for the returned data template, and
 * every reference the app makes to them becomes an `Fn::ImportValue` of an export of the data
 * stack. Throws when a moved resource refers to one that stays, or a `Fn::Sub` names one.
 * `throwaway`: the data goes with the data stack (Delete policies, no deletion protection).
 */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: the split is one pass over the template; to be cut into steps
const splitDataStack = (template, { stackName, ids, throwaway }) => {
  const moved = new Set(ids.filter((id) => template.Resources[id]));
  const Description = `The data of ${stackName.replace(/-data$/, '')}: kept when the app's stack is removed`;
  const data = { AWSTemplateFormatVersion: '2010-09-09', Description, Resources: {}, Outputs: {} };
  for (const id of moved) {
    const resource = template.Resources[id];
    for (const { target } of references(resource)) {
      if (template.Resources[target] && !moved.has(target)) {
        throw new Error(
          `dataStack: ${id} refers to ${target}, which stays in the app's stack; ` +
            'add it to custom.dataStack.resources or drop the reference',
        );
      }
    }
    data.Resources[id] = protect(resource, throwaway);
    delete template.Resources[id];
  }

  // Each (resource, attribute) the app uses is an output of the data stack, exported by name.
  const exportOf = (target, attribute) => {
    const outputId = `${target}${(attribute ?? 'Ref').replace(/[^A-Za-z0-9]/g, '')}`;
    const name = `${stackName}-${outputId}`;
    if (!data.Outputs[outputId]) {
      const value = attribute ? { 'Fn::GetAtt': [target, attribute] } : { Ref: target };
      const condition = data.Resources[target].Condition;
      // The export exists whatever the condition, so an import in the app's unused Fn::If branch
      // still resolves (CloudFormation resolves every Fn::ImportValue of a template).
      const Value = condition ? { 'Fn::If': [condition, value, 'none'] } : value;
      data.Outputs[outputId] = { Value, Export: { Name: name } };
    }
    return { 'Fn::ImportValue': name };
  };
  const rewrite = (value, where) => {
    if (Array.isArray(value)) return value.map((v) => rewrite(v, where));
    if (!isObject(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'Ref' && moved.has(value.Ref)) return exportOf(value.Ref);
    if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
      const args = value['Fn::GetAtt'];
      const [target, ...rest] = typeof args === 'string' ? args.split('.') : args;
      if (moved.has(target)) return exportOf(target, rest.join('.'));
    }
    if (keys.length === 1 && keys[0] === 'Fn::Sub' && references(value).some((r) => r.sub && moved.has(r.target))) {
      throw new Error(`dataStack: ${where} names a data stack resource in an Fn::Sub; use Fn::Join with Fn::GetAtt`);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewrite(v, where)]));
  };
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.DependsOn !== undefined) {
      const kept = asList(resource.DependsOn).filter((d) => !moved.has(d));
      if (kept.length) resource.DependsOn = kept;
      else delete resource.DependsOn;
    }
    template.Resources[id] = rewrite(resource, id);
  }
  for (const [id, output] of Object.entries(template.Outputs ?? {})) {
    const targets = references(output.Value).map((r) => r.target);
    if (targets.length && targets.every((t) => moved.has(t))) {
      // An output of the data alone (the user pool's id, the queue's URL) is the data stack's.
      data.Outputs[id] = output;
      delete template.Outputs[id];
    } else template.Outputs[id] = rewrite(output, `Outputs.${id}`);
  }
  // The conditions its resources and outputs use, and no other.
  const used = conditionsUsed({ resources: data.Resources, outputs: data.Outputs });
  if (used.size) data.Conditions = Object.fromEntries([...used].map((name) => [name, template.Conditions[name]]));
  return data;
};

/** A stage's data is kept (retained, deletion-protected) unless the stage is throwaway. */
const protect = (resource, throwaway) => {
  const copy = JSON.parse(JSON.stringify(resource));
  if (!throwaway) return copy;
  copy.DeletionPolicy = 'Delete';
  copy.UpdateReplacePolicy = 'Delete';
  if (copy.Type === 'AWS::DynamoDB::Table') copy.Properties.DeletionProtectionEnabled = false;
  if (copy.Type === 'AWS::Cognito::UserPool') copy.Properties.DeletionProtection = 'INACTIVE';
  return copy;
};

/**
 * The data stack's policy: no update may replace or delete any of its resources (a change to a
 * table's key schema or a user pool's username attributes fails and rolls back, nothing lost).
 */
const STACK_POLICY = {
  Statement: [
    { Effect: 'Deny', Principal: '*', Action: ['Update:Replace', 'Update:Delete'], Resource: '*' },
    { Effect: 'Allow', Principal: '*', Action: 'Update:*', Resource: '*' },
  ],
};

/**
 * Log groups named `/aws/lambda/<function>-<stack uuid>`, and each function and its role
 * pointed at its group: a group left over from an earlier stack of the stage has another name.
 */
const uniqueLogGroups = (template) => {
  const stackUuid = { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] };
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const group = asList(resource.DependsOn).find((d) => template.Resources[d]?.Type === 'AWS::Logs::LogGroup');
    const name = group && template.Resources[group].Properties.LogGroupName;
    if (typeof name !== 'string') continue;
    template.Resources[group].Properties.LogGroupName = { 'Fn::Join': ['-', [name, stackUuid]] };
    resource.Properties.LoggingConfig = { ...resource.Properties.LoggingConfig, LogGroup: { Ref: group } };
    // The Ref orders the function after its group; the framework's DependsOn would only repeat it.
    const dependsOn = asList(resource.DependsOn).filter((d) => d !== group);
    if (dependsOn.length) resource.DependsOn = dependsOn;
    else delete resource.DependsOn;
    const roleId = resource.Properties.Role?.['Fn::GetAtt']?.[0];
    for (const policy of template.Resources[roleId]?.Properties.Policies ?? []) {
      for (const statement of asList(policy.PolicyDocument.Statement)) {
        const isOldGroup = (r) =>
          isObject(r) && typeof r['Fn::Sub'] === 'string' && r['Fn::Sub'].endsWith(`:log-group:${name}:*:*`);
        if (!asList(statement.Resource).some(isOldGroup)) continue;
        // The group's Arn ends in ":*"; its log streams are ":*" below it.
        const streams = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [group, 'Arn'] }, ':*']] };
        statement.Resource = asList(statement.Resource).map((r) => (isOldGroup(r) ? streams : r));
      }
    }
  }
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class DataStack {
  constructor(serverless, options, { log } = {}) {
    this.serverless = serverless;
    this.options = options;
    this.log = log;
    this.provider = serverless.getProvider('aws');
    // The framework's working folder: what it packages lands here before it is moved to
    // --package, and a deploy with --package copies it back here first.
    const packagePath = () => path.join(this.serverless.serviceDir || '.', '.serverless');
    this.hooks = {
      'before:aws:package:finalize:saveServiceState': () => {
        const template = this.serverless.service.provider.compiledCloudFormationTemplate;
        const ids = this.config().resources ?? [];
        const data = splitDataStack(template, { stackName: this.stackName(), ids, throwaway: this.throwaway() });
        uniqueLogGroups(template);
        fs.mkdirSync(packagePath(), { recursive: true });
        fs.writeFileSync(path.join(packagePath(), DATA_TEMPLATE_FILE), JSON.stringify(data, null, 2));
      },
      // Inside the deploy (after --package artifacts are copied back), before the app's stack.
      'before:aws:deploy:deploy:createStack': async () => {
        const data = JSON.parse(fs.readFileSync(path.join(packagePath(), DATA_TEMPLATE_FILE), 'utf8'));
        await this.deploy(data);
      },
    };
  }

  config() {
    return this.serverless.service.custom?.dataStack ?? {};
  }

  throwaway() {
    return String(this.config().throwaway) === 'true';
  }

  stackName() {
    return dataStackName(this.serverless.service.service, this.provider.getStage());
  }

  /** One CloudFormation call through the framework's client (its credentials, region, endpoint). */
  async cfn(command, input) {
    const client = await this.provider.getCloudFormationClient();
    return client.send(new (cloudFormationSdk()[`${command}Command`])(input));
  }

  async describe(StackName) {
    try {
      const { Stacks } = await this.cfn('DescribeStacks', { StackName });
      return Stacks[0];
    } catch (error) {
      if (/does not exist/.test(error.message)) return undefined;
      throw error;
    }
  }

  /** Waits for the stack to settle (bounded: an hour); returns its last status. */
  async settle(StackName) {
    for (let i = 0; i < 1800; i += 1) {
      const stack = await this.describe(StackName);
      if (!stack) return 'DELETE_COMPLETE';
      if (!/_IN_PROGRESS$/.test(stack.StackStatus)) return stack.StackStatus;
      await sleep(2000);
    }
    throw new Error(`dataStack: ${StackName} did not settle within an hour`);
  }

  /** Creates or updates the data stack; the app's stack is deployed after it. */
  async deploy(template) {
    const StackName = this.stackName();
    const protect = !this.throwaway();
    const TemplateBody = JSON.stringify(template);
    const StackPolicyBody = protect ? JSON.stringify(STACK_POLICY) : undefined;
    let stack = await this.describe(StackName);
    if (stack && stack.StackStatus === 'ROLLBACK_COMPLETE') {
      // A first create that failed: its resources are gone (RetainExceptOnCreate); the empty stack
      // cannot be updated, only deleted.
      this.log?.notice(`dataStack: deleting ${StackName}, left empty by a failed first create`);
      if (stack.EnableTerminationProtection) {
        await this.cfn('UpdateTerminationProtection', { StackName, EnableTerminationProtection: false });
      }
      await this.cfn('DeleteStack', { StackName });
      await this.settle(StackName);
      stack = undefined;
    }
    if (!stack) {
      this.log?.notice(`dataStack: creating ${StackName}`);
      await this.cfn('CreateStack', {
        StackName,
        TemplateBody,
        StackPolicyBody,
        EnableTerminationProtection: protect,
        Tags: [{ Key: 'STAGE', Value: this.provider.getStage() }],
      });
    } else {
      try {
        await this.cfn('UpdateStack', { StackName, TemplateBody, StackPolicyBody });
        this.log?.notice(`dataStack: updating ${StackName}`);
      } catch (error) {
        if (!/No updates are to be performed/.test(error.message)) throw error;
        this.log?.notice(`dataStack: ${StackName} has no changes`);
      }
      if (Boolean(stack.EnableTerminationProtection) !== protect) {
        await this.cfn('UpdateTerminationProtection', { StackName, EnableTerminationProtection: protect });
      }
    }
    const status = await this.settle(StackName);
    if (!/^(CREATE|UPDATE)_COMPLETE$/.test(status)) {
      throw new Error(`dataStack: ${StackName} ended ${status}; see its events in the CloudFormation console`);
    }
  }
}

module.exports = DataStack;
Object.assign(module.exports, { splitDataStack, uniqueLogGroups, dataStackName, STACK_POLICY, DATA_TEMPLATE_FILE });
