import { checkTemplate, loadCfnSpec, type CfnSpec, type CfnTemplate } from '../src/deploy/templateSpec';
import { serverlessPackageAll, type PackageVariant, type Template } from './support/serverlessPackage';

// Every variant `serverless package` can produce, checked against AWS's published specifications:
// the CloudFormation resource database and IAM's action catalogue (src/deploy/templateSpec.ts).
const VARIANTS: Record<string, PackageVariant> = {
  'default (the stack\'s own Cognito)': { stage: 'dev' },
  'external issuer': { stage: 'dev', params: { externalIssuer: 'https://issuer.example.test/', externalAudience: 'my-api' } },
  'alarm e-mail': { stage: 'dev', params: { alarmEmail: 'ops@example.test' } },
  'stage prod': { stage: 'prod' },
  'offline stage local': { stage: 'local' },
};

let spec: CfnSpec;
const templates: Record<string, Template> = {};
// About a minute on an idle 2-core machine; the timeout leaves room for a busy one.
beforeAll(async () => {
  const packaged = await serverlessPackageAll(Object.values(VARIANTS));
  Object.keys(VARIANTS).forEach((name, i) => (templates[name] = packaged[i]!.template));
  spec = loadCfnSpec();
}, 300_000);

const check = (template: Template) => checkTemplate(template as CfnTemplate, spec);
const DEFAULT = 'default (the stack\'s own Cognito)';
/** A copy of the default variant's template, changed by `change`. */
const mutated = (change: (t: any) => void): Template => {
  const copy = structuredClone(templates[DEFAULT]!);
  change(copy);
  return copy;
};
const policyStatements = (t: any, role: string): any[] => t.Resources[role].Properties.Policies[0].PolicyDocument.Statement;

describe('every packaged variant against AWS\'s CloudFormation and IAM specifications', () => {
  it.each(Object.keys(VARIANTS))('%s: no finding', async (name) => {
    expect(await check(templates[name]!)).toEqual([]);
  });

  it('packaged each variant with its own parameters', () => {
    const ext = templates['external issuer']!;
    expect(ext.Conditions?.UseCognito).toEqual({ 'Fn::Equals': ['https://issuer.example.test/', ''] });
    expect(templates['alarm e-mail']!.Conditions?.HasAlarmEmail).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['ops@example.test', ''] }] });
    expect(templates['stage prod']!.Resources.EventsTable!.Properties.TableName).toBe('todo-cqrs-prod-events');
    const local = templates['offline stage local']!;
    expect(local.Resources.CreateListLambdaFunction!.Properties.Environment.Variables.DYNAMODB_ENDPOINT).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });

  it('has no default role, and every function its own', () => {
    for (const template of Object.values(templates)) {
      expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
      const roles = Object.values(template.Resources)
        .filter((r) => r.Type === 'AWS::Lambda::Function')
        .map((r) => r.Properties.Role['Fn::GetAtt'][0]);
      expect(roles.length).toBe(17);
      expect(new Set(roles).size).toBe(roles.length);
    }
  });
});

describe('the spec validation catches', () => {
  // Each mutation of a valid template must give exactly the finding that names what was broken.
  const cases: [string, (t: any) => void, { resource: string; path: string; message: RegExp }[]][] = [
    ['a misspelled property', (t) => {
      t.Resources.EventsTable.Properties.BillingMod = t.Resources.EventsTable.Properties.BillingMode;
      delete t.Resources.EventsTable.Properties.BillingMode;
    }, [{ resource: 'EventsTable', path: 'Properties.BillingMod', message: /unknown property BillingMod of AWS::DynamoDB::Table/ }]],
    ['a misspelled property of a nested property type', (t) => {
      t.Resources.EventsTable.Properties.StreamSpecification = { StreamViewTyp: 'NEW_IMAGE' };
    }, [
      { resource: 'EventsTable', path: 'Properties.StreamSpecification.StreamViewTyp', message: /unknown property StreamViewTyp of StreamSpecification/ },
      { resource: 'EventsTable', path: 'Properties.StreamSpecification.StreamViewType', message: /required property StreamViewType of StreamSpecification is missing/ },
    ]],
    ['a misspelled key inside a list the database also allows as any JSON', (t) => {
      t.Resources.StatsTable.Properties.KeySchema = [{ AttributeNam: 'pk', KeyType: 'HASH' }];
    }, [
      { resource: 'StatsTable', path: 'Properties.KeySchema[0].AttributeNam', message: /unknown property AttributeNam of KeySchema/ },
      { resource: 'StatsTable', path: 'Properties.KeySchema[0].AttributeName', message: /required property AttributeName of KeySchema is missing/ },
    ]],
    ['a missing required property of a table', (t) => {
      delete t.Resources.EventsTable.Properties.KeySchema;
    }, [{ resource: 'EventsTable', path: 'Properties.KeySchema', message: /required property KeySchema of AWS::DynamoDB::Table is missing/ }]],
    ['a missing required property of a function', (t) => {
      delete t.Resources.CreateListLambdaFunction.Properties.Code;
    }, [{ resource: 'CreateListLambdaFunction', path: 'Properties.Code', message: /required property Code of AWS::Lambda::Function is missing/ }]],
    ['a required property removed by AWS::NoValue in an Fn::If branch', (t) => {
      t.Resources.CreateListLambdaFunction.Properties.Code = { 'Fn::If': ['UseCognito', t.Resources.CreateListLambdaFunction.Properties.Code, { Ref: 'AWS::NoValue' }] };
    }, [{ resource: 'CreateListLambdaFunction', path: 'Properties.Code', message: /Code of AWS::Lambda::Function is AWS::NoValue in a branch of Fn::If/ }]],
    ['an unknown resource type', (t) => {
      t.Resources.StatsTable.Type = 'AWS::DynamoDB::Tabel';
    }, [{ resource: 'StatsTable', path: 'Type', message: /unknown resource type AWS::DynamoDB::Tabel/ }]],
    ['an unknown Fn::GetAtt attribute', (t) => {
      t.Resources.ListsViewEventSourceMappingDynamodbEventsTable.Properties.EventSourceArn = { 'Fn::GetAtt': ['EventsTable', 'StreamARN'] };
    }, [{ resource: 'ListsViewEventSourceMappingDynamodbEventsTable', path: 'Properties.EventSourceArn', message: /EventsTable\.StreamARN: AWS::DynamoDB::Table has no attribute StreamARN/ }]],
    ['an unknown attribute in an Fn::Sub', (t) => {
      t.Resources.ProjectionsDeadLetterAlarm.Properties.AlarmDescription = { 'Fn::Sub': 'Queue ${ProjectionsDeadLetterQueue.Url}' };
    }, [{ resource: 'ProjectionsDeadLetterAlarm', path: 'Properties.AlarmDescription', message: /ProjectionsDeadLetterQueue\.Url: AWS::SQS::Queue has no attribute Url/ }]],
    ['a Ref to a missing resource', (t) => {
      t.Resources.ProjectionsDeadLetterAlarm.Properties.AlarmActions = [{ Ref: 'AlarmTopc' }];
    }, [{ resource: 'ProjectionsDeadLetterAlarm', path: 'Properties.AlarmActions[0]', message: /Ref to AlarmTopc, which is no parameter, resource or pseudo parameter/ }]],
    ['an unknown condition on a resource', (t) => {
      t.Resources.AlarmEmailSubscription.Condition = 'HasAlarmMail';
    }, [{ resource: 'AlarmEmailSubscription', path: 'Condition', message: /unknown condition "HasAlarmMail"/ }]],
    ['an unknown condition in an Fn::If', (t) => {
      t.Resources.HttpApiAuthorizerJwt.Properties.JwtConfiguration.Audience[0]['Fn::If'][0] = 'UseCognitoo';
    }, [
      { resource: 'HttpApiAuthorizerJwt', path: 'Properties.JwtConfiguration.Audience[0].Fn::If[0]', message: /unknown condition "UseCognitoo"/ },
      // The true branch is then no longer guarded by UseCognito, the condition of UserPoolClient.
      { resource: 'HttpApiAuthorizerJwt', path: 'Properties.JwtConfiguration.Audience[0].Fn::If[1]', message: /UserPoolClient exists only when condition UseCognito holds/ },
    ]],
    ['an unknown condition on an output', (t) => {
      t.Outputs.UserPoolId.Condition = 'UseCognitoo';
    }, [
      { resource: 'Outputs.UserPoolId', path: 'Condition', message: /unknown condition "UseCognitoo"/ },
      { resource: 'Outputs.UserPoolId', path: 'Value', message: /UserPool exists only when condition UseCognito holds/ },
    ]],
    ['an unguarded reference to a conditional resource (the external-issuer stack would fail to deploy)', (t) => {
      t.Resources.HttpApiAuthorizerJwt.Properties.JwtConfiguration.Audience = [{ Ref: 'UserPoolClient' }];
    }, [{ resource: 'HttpApiAuthorizerJwt', path: 'Properties.JwtConfiguration.Audience[0]', message: /UserPoolClient exists only when condition UseCognito holds/ }]],
    ['a DependsOn on a missing resource', (t) => {
      t.Resources.CreateListLambdaFunction.DependsOn = ['CreateListLogGroupp'];
    }, [{ resource: 'CreateListLambdaFunction', path: 'DependsOn', message: /DependsOn "CreateListLogGroupp", which is no resource/ }]],
    ['an unknown IAM action', (t) => {
      policyStatements(t, 'CreateListIamRoleLambdaExecution').push({ Effect: 'Allow', Action: ['dynamodb:PutItems'], Resource: { 'Fn::GetAtt': ['EventsTable', 'Arn'] } });
    }, [{ resource: 'CreateListIamRoleLambdaExecution', path: 'Properties.Policies[0].PolicyDocument.Statement[5].Action[0]', message: /dynamodb:PutItems: no such IAM action/ }]],
    ['an IAM wildcard that matches no action, and an unknown service', (t) => {
      policyStatements(t, 'GetListIamRoleLambdaExecution').push({ Effect: 'Allow', Action: ['logs:Frobnicate*', 'dynamo:GetItem', 'logs:*'], Resource: '*' });
    }, [
      { resource: 'GetListIamRoleLambdaExecution', path: 'Properties.Policies[0].PolicyDocument.Statement[3].Action[0]', message: /logs:Frobnicate\*: no such IAM action/ },
      { resource: 'GetListIamRoleLambdaExecution', path: 'Properties.Policies[0].PolicyDocument.Statement[3].Action[1]', message: /IAM has no service dynamo/ },
    ]],
    ['an unknown action in a trust policy', (t) => {
      t.Resources.OpenapiIamRoleLambdaExecution.Properties.AssumeRolePolicyDocument.Statement[0].Action = ['sts:AssumeRoles'];
    }, [{ resource: 'OpenapiIamRoleLambdaExecution', path: 'Properties.AssumeRolePolicyDocument.Statement[0].Action[0]', message: /sts:AssumeRoles: no such IAM action/ }]],
    ['an action with no resource-level permissions granted on a specific ARN', (t) => {
      policyStatements(t, 'ListsViewIamRoleLambdaExecution').push({ Effect: 'Allow', Action: ['sqs:ListQueues', 'sqs:SendMessage'], Resource: [{ 'Fn::GetAtt': ['ProjectionsDeadLetterQueue', 'Arn'] }] });
    }, [{ resource: 'ListsViewIamRoleLambdaExecution', path: 'Properties.Policies[0].PolicyDocument.Statement[6].Action[0]', message: /sqs:ListQueues supports no resource-level permissions/ }]],
  ];

  it.each(cases)('%s', async (_name, change, expected) => {
    const findings = await check(mutated(change));
    expect(findings).toEqual(expected.map((e) => ({ resource: e.resource, path: e.path, message: expect.stringMatching(e.message) })));
  });
});
