import { checkTemplate, loadCfnSpec, type CfnSpec, type CfnTemplate } from '../src/deploy/templateSpec';
import { serverlessPackageAll, type PackageVariant, type Template } from './support/serverlessPackage';

// Every variant `serverless package` can produce, checked against AWS's published specifications:
// the CloudFormation resource database and IAM's action catalogue (src/deploy/templateSpec.ts).
const VARIANTS: Record<string, PackageVariant> = {
  "default (the stack's own Cognito)": { stage: 'dev' },
  'external issuer': {
    stage: 'dev',
    params: { externalIssuer: 'https://issuer.example.test/', externalAudience: 'my-api' },
  },
  'alarm e-mail': { stage: 'dev', params: { alarmEmail: 'ops@example.test' } },
  'stage prod': { stage: 'prod' },
  'offline stage local': { stage: 'local' },
};

let spec: CfnSpec;
const templates: Record<string, Template> = {};
/** The data stack's template of each variant (src/deploy/dataStack.cjs). */
const dataTemplates: Record<string, Template> = {};
// About a minute on an idle 2-core machine; the timeout leaves room for a busy one.
beforeAll(async () => {
  const packaged = await serverlessPackageAll(Object.values(VARIANTS));
  for (const [i, name] of Object.keys(VARIANTS).entries()) {
    templates[name] = packaged[i]!.template;
    dataTemplates[name] = packaged[i]!.data;
  }
  spec = loadCfnSpec();
}, 300_000);

const check = (template: Template) => checkTemplate(template as CfnTemplate, spec);
const DEFAULT = "default (the stack's own Cognito)";
type Expected = { resource: string; path: string; message: RegExp };
/** Changes a copy of the default variant's template; returns the findings that change must give. */
type Mutation = (t: any) => Expected[];

// The functions are generated from the app's declaration: find them by type, not by name.
const firstOfType = (t: any, type: string): string =>
  Object.keys(t.Resources).find((id) => t.Resources[id].Type === type)!;
const aFunction = (t: any) => firstOfType(t, 'AWS::Lambda::Function');
const aRole = (t: any): string => t.Resources[aFunction(t)].Properties.Role['Fn::GetAtt'][0];
/** Appends a statement to a role's inline policy; returns the path of its actions. */
const addStatement = (t: any, role: string, statement: object) => {
  const statements: object[] = t.Resources[role].Properties.Policies[0].PolicyDocument.Statement;
  return `Properties.Policies[0].PolicyDocument.Statement[${statements.push(statement) - 1}].Action`;
};

describe("every packaged variant against AWS's CloudFormation and IAM specifications", () => {
  it.each(Object.keys(VARIANTS))('%s: no finding', async (name) => {
    expect(await check(templates[name]!)).toEqual([]);
    expect(await check(dataTemplates[name]!)).toEqual([]);
  });

  it('packaged each variant with its own parameters', () => {
    const ext = templates['external issuer']!;
    expect(ext.Conditions?.UseCognito).toEqual({ 'Fn::Equals': ['https://issuer.example.test/', ''] });
    expect(templates['alarm e-mail']!.Conditions?.HasAlarmEmail).toEqual({
      'Fn::Not': [{ 'Fn::Equals': ['ops@example.test', ''] }],
    });
    expect(dataTemplates['stage prod']!.Resources.EventsTable!.Properties.TableName).toBe('todo-cqrs-prod-events');
    const local = templates['offline stage local']!;
    const localFunction = local.Resources[aFunction(local)]!;
    expect(localFunction.Properties.Environment.Variables.DYNAMODB_ENDPOINT).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  it('has no default role: every role is the own role of one function', () => {
    for (const template of Object.values(templates)) {
      expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
      const ofType = (type: string) => Object.entries(template.Resources).filter(([, r]) => r.Type === type);
      const functionRoles = ofType('AWS::Lambda::Function').map(([, r]) => r.Properties.Role['Fn::GetAtt'][0]);
      expect(functionRoles.length).toBeGreaterThan(0);
      expect(new Set(functionRoles).size).toBe(functionRoles.length);
      expect(
        ofType('AWS::IAM::Role')
          .map(([id]) => id)
          .sort(),
      ).toEqual([...functionRoles].sort());
    }
  });
});

describe('the spec validation catches', () => {
  // Each mutation of a valid template must give exactly the findings that name what was broken.
  // Each case changes the app's template or the data stack's; every row names which (a row shorter
  // than the test's parameters would make jest take the last one for a done callback).
  const cases: [string, Mutation, 'app' | 'data'][] = [
    [
      'a misspelled property',
      (t) => {
        t.Resources.EventsTable.Properties.BillingMod = t.Resources.EventsTable.Properties.BillingMode;
        delete t.Resources.EventsTable.Properties.BillingMode;
        return [
          {
            resource: 'EventsTable',
            path: 'Properties.BillingMod',
            message: /unknown property BillingMod of AWS::DynamoDB::Table/,
          },
        ];
      },
      'data',
    ],
    [
      'a misspelled property of a nested property type',
      (t) => {
        t.Resources.EventsTable.Properties.StreamSpecification = { StreamViewTyp: 'NEW_IMAGE' };
        return [
          {
            resource: 'EventsTable',
            path: 'Properties.StreamSpecification.StreamViewTyp',
            message: /unknown property StreamViewTyp of StreamSpecification/,
          },
          {
            resource: 'EventsTable',
            path: 'Properties.StreamSpecification.StreamViewType',
            message: /required property StreamViewType of StreamSpecification is missing/,
          },
        ];
      },
      'data',
    ],
    [
      'a misspelled key inside a list the database also allows as any JSON',
      (t) => {
        t.Resources.StatsTable.Properties.KeySchema = [{ AttributeNam: 'pk', KeyType: 'HASH' }];
        return [
          {
            resource: 'StatsTable',
            path: 'Properties.KeySchema[0].AttributeNam',
            message: /unknown property AttributeNam of KeySchema/,
          },
          {
            resource: 'StatsTable',
            path: 'Properties.KeySchema[0].AttributeName',
            message: /required property AttributeName of KeySchema is missing/,
          },
        ];
      },
      'app',
    ],
    [
      'a missing required property of a table',
      (t) => {
        delete t.Resources.EventsTable.Properties.KeySchema;
        return [
          {
            resource: 'EventsTable',
            path: 'Properties.KeySchema',
            message: /required property KeySchema of AWS::DynamoDB::Table is missing/,
          },
        ];
      },
      'data',
    ],
    [
      'a missing required property of a function',
      (t) => {
        const fn = aFunction(t);
        delete t.Resources[fn].Properties.Code;
        return [
          {
            resource: fn,
            path: 'Properties.Code',
            message: /required property Code of AWS::Lambda::Function is missing/,
          },
        ];
      },
      'app',
    ],
    [
      'a required property removed by AWS::NoValue in an Fn::If branch',
      (t) => {
        const fn = aFunction(t);
        t.Resources[fn].Properties.Code = {
          'Fn::If': ['UseCognito', t.Resources[fn].Properties.Code, { Ref: 'AWS::NoValue' }],
        };
        return [
          {
            resource: fn,
            path: 'Properties.Code',
            message: /Code of AWS::Lambda::Function is AWS::NoValue in a branch of Fn::If/,
          },
        ];
      },
      'app',
    ],
    [
      'an unknown resource type',
      (t) => {
        t.Resources.StatsTable.Type = 'AWS::DynamoDB::Tabel';
        return [{ resource: 'StatsTable', path: 'Type', message: /unknown resource type AWS::DynamoDB::Tabel/ }];
      },
      'app',
    ],
    [
      'an unknown Fn::GetAtt attribute',
      (t) => {
        const mapping = firstOfType(t, 'AWS::Lambda::EventSourceMapping');
        t.Resources[mapping].Properties.EventSourceArn = { 'Fn::GetAtt': ['StatsTable', 'StreamARN'] };
        return [
          {
            resource: mapping,
            path: 'Properties.EventSourceArn',
            message: /StatsTable\.StreamARN: AWS::DynamoDB::Table has no attribute StreamARN/,
          },
        ];
      },
      'app',
    ],
    [
      'an unknown attribute in an Fn::Sub',
      (t) => {
        t.Resources.ProjectionsDeadLetterAlarm.Properties.AlarmDescription = {
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string, taken literally
          'Fn::Sub': 'Topic ${AlarmTopic.Url}',
        };
        return [
          {
            resource: 'ProjectionsDeadLetterAlarm',
            path: 'Properties.AlarmDescription',
            message: /AlarmTopic\.Url: AWS::SNS::Topic has no attribute Url/,
          },
        ];
      },
      'app',
    ],
    [
      'a Ref to a missing resource',
      (t) => {
        t.Resources.ProjectionsDeadLetterAlarm.Properties.AlarmActions = [{ Ref: 'AlarmTopc' }];
        return [
          {
            resource: 'ProjectionsDeadLetterAlarm',
            path: 'Properties.AlarmActions[0]',
            message: /Ref to AlarmTopc, which is no parameter, resource or pseudo parameter/,
          },
        ];
      },
      'app',
    ],
    [
      'an unknown condition on a resource',
      (t) => {
        t.Resources.AlarmEmailSubscription.Condition = 'HasAlarmMail';
        return [{ resource: 'AlarmEmailSubscription', path: 'Condition', message: /unknown condition "HasAlarmMail"/ }];
      },
      'app',
    ],
    [
      'an unknown condition in an Fn::If',
      (t) => {
        t.Resources.HttpApiAuthorizerJwt.Properties.JwtConfiguration.Audience[0]['Fn::If'][0] = 'UseCognitoo';
        const at = 'Properties.JwtConfiguration.Audience[0]';
        return [
          { resource: 'HttpApiAuthorizerJwt', path: `${at}.Fn::If[0]`, message: /unknown condition "UseCognitoo"/ },
        ];
      },
      'app',
    ],
    [
      'an unknown condition in an Fn::If of the data stack, which then leaves a conditional resource unguarded',
      (t) => {
        t.Outputs.UserPoolClientRef.Value['Fn::If'][0] = 'UseCognitoo';
        return [
          {
            resource: 'Outputs.UserPoolClientRef',
            path: 'Value.Fn::If[0]',
            message: /unknown condition "UseCognitoo"/,
          },
          // The true branch is then no longer guarded by UseCognito, the condition of UserPoolClient.
          {
            resource: 'Outputs.UserPoolClientRef',
            path: 'Value.Fn::If[1]',
            message: /UserPoolClient exists only when condition UseCognito holds/,
          },
        ];
      },
      'data',
    ],
    [
      'an unknown condition on an output',
      (t) => {
        t.Outputs.UserPoolId.Condition = 'UseCognitoo';
        return [
          { resource: 'Outputs.UserPoolId', path: 'Condition', message: /unknown condition "UseCognitoo"/ },
          {
            resource: 'Outputs.UserPoolId',
            path: 'Value',
            message: /UserPool exists only when condition UseCognito holds/,
          },
        ];
      },
      'data',
    ],
    [
      'an unguarded reference to a conditional resource (the external-issuer stack would fail to deploy)',
      (t) => {
        t.Outputs.UserPoolClientRef.Value = { Ref: 'UserPoolClient' };
        return [
          {
            resource: 'Outputs.UserPoolClientRef',
            path: 'Value',
            message: /UserPoolClient exists only when condition UseCognito holds/,
          },
        ];
      },
      'data',
    ],
    [
      'a DependsOn on a missing resource',
      (t) => {
        const fn = aFunction(t);
        t.Resources[fn].DependsOn = ['NoSuchLogGroup'];
        return [{ resource: fn, path: 'DependsOn', message: /DependsOn "NoSuchLogGroup", which is no resource/ }];
      },
      'app',
    ],
    [
      'an unknown IAM action',
      (t) => {
        const role = aRole(t);
        const at = addStatement(t, role, {
          Effect: 'Allow',
          Action: ['dynamodb:PutItems'],
          Resource: { 'Fn::GetAtt': ['SnapshotsTable', 'Arn'] },
        });
        return [{ resource: role, path: `${at}[0]`, message: /dynamodb:PutItems: no such IAM action/ }];
      },
      'app',
    ],
    [
      'an IAM wildcard that matches no action, and an unknown service',
      (t) => {
        const role = aRole(t);
        const at = addStatement(t, role, {
          Effect: 'Allow',
          Action: ['logs:Frobnicate*', 'dynamo:GetItem', 'logs:*'],
          Resource: '*',
        });
        return [
          { resource: role, path: `${at}[0]`, message: /logs:Frobnicate\*: no such IAM action/ },
          { resource: role, path: `${at}[1]`, message: /IAM has no service dynamo/ },
        ];
      },
      'app',
    ],
    [
      'an unknown action in a trust policy',
      (t) => {
        const role = aRole(t);
        t.Resources[role].Properties.AssumeRolePolicyDocument.Statement[0].Action = ['sts:AssumeRoles'];
        return [
          {
            resource: role,
            path: 'Properties.AssumeRolePolicyDocument.Statement[0].Action[0]',
            message: /sts:AssumeRoles: no such IAM action/,
          },
        ];
      },
      'app',
    ],
    [
      'an action with no resource-level permissions granted on a specific ARN',
      (t) => {
        const role = aRole(t);
        const queue = { 'Fn::ImportValue': 'todo-cqrs-dev-data-ProjectionsDeadLetterQueueArn' };
        const at = addStatement(t, role, {
          Effect: 'Allow',
          Action: ['sqs:ListQueues', 'sqs:SendMessage'],
          Resource: [queue],
        });
        return [{ resource: role, path: `${at}[0]`, message: /sqs:ListQueues supports no resource-level permissions/ }];
      },
      'app',
    ],
  ];

  it.each(cases)('%s', async (_name, mutate, which) => {
    const template = structuredClone((which === 'data' ? dataTemplates : templates)[DEFAULT]!);
    const expected = mutate(template);
    expect(await check(template)).toEqual(expected.map((e) => ({ ...e, message: expect.stringMatching(e.message) })));
  });
});
