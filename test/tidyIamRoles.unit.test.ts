// The serverless.yml plugin is CommonJS (the framework requires it): typed by hand here.
const TidyIamRoles = require('../src/deploy/tidyIamRoles.cjs') as {
  new (
    serverless: any,
    options: unknown,
    utils?: { log?: { verbose(text: string): void } },
  ): { hooks: Record<string, () => void> };
  tidyIamRoles: (template: any) => { defaultRole: boolean; actions: string[] };
};
const { tidyIamRoles } = TidyIamRoles;

const STREAM = { 'Fn::GetAtt': ['EventsTable', 'StreamArn'] };
const QUEUE = { 'Fn::GetAtt': ['DeadLetters', 'Arn'] };
const role = (...Statement: unknown[]) => ({
  Type: 'AWS::IAM::Role',
  Properties: { Policies: [{ PolicyName: 'p', PolicyDocument: { Version: '2012-10-17', Statement } }] },
});
const fn = (roleId: string) => ({
  Type: 'AWS::Lambda::Function',
  Properties: { Role: { 'Fn::GetAtt': [roleId, 'Arn'] } },
  DependsOn: [roleId],
});
const streamStatement = () => ({
  Effect: 'Allow',
  Action: ['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream', 'dynamodb:ListStreams'],
  Resource: [STREAM],
});

describe('tidyIamRoles (serverless.yml plugin)', () => {
  it('removes the default role when no function uses it, and keeps the per-function roles', () => {
    const template = {
      Resources: {
        IamRoleLambdaExecution: role(),
        ViewIamRoleLambdaExecution: role(),
        ViewLambdaFunction: fn('ViewIamRoleLambdaExecution'),
      },
    };
    expect(tidyIamRoles(template).defaultRole).toBe(true);
    expect(Object.keys(template.Resources)).toEqual(['ViewIamRoleLambdaExecution', 'ViewLambdaFunction']);
  });

  it.each([
    ["a function's Role", { F: fn('IamRoleLambdaExecution') }],
    ['a DependsOn', { F: { Type: 'AWS::Lambda::Function', Properties: {}, DependsOn: 'IamRoleLambdaExecution' } }],
    [
      'an Fn::Sub',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string, taken literally
      { F: { Type: 'AWS::SSM::Parameter', Properties: { Value: { 'Fn::Sub': '${IamRoleLambdaExecution.Arn}' } } } },
    ],
    [
      'a string Fn::GetAtt',
      { F: { Type: 'AWS::SSM::Parameter', Properties: { Value: { 'Fn::GetAtt': 'IamRoleLambdaExecution.Arn' } } } },
    ],
  ])('keeps the default role while %s refers to it', (_name, others) => {
    const template = { Resources: { IamRoleLambdaExecution: role(), ...others } };
    expect(tidyIamRoles(template).defaultRole).toBe(false);
    expect(template.Resources.IamRoleLambdaExecution).toBeDefined();
  });

  it('drops ListStreams and ListQueues granted on specific ARNs, keeps the rest, and drops a statement left empty', () => {
    const template = {
      Resources: {
        ViewRole: role(
          streamStatement(),
          { Effect: 'Allow', Action: ['sqs:ListQueues', 'sqs:SendMessage'], Resource: [QUEUE] },
          { Effect: 'Allow', Action: 'sqs:ListQueues', Resource: QUEUE },
          { Effect: 'Allow', Action: ['kinesis:ListStreams', 'kinesis:GetRecords'], Resource: [STREAM] },
        ),
      },
    };
    expect(tidyIamRoles(template).actions).toEqual([
      'ViewRole dynamodb:ListStreams',
      'ViewRole sqs:ListQueues',
      'ViewRole sqs:ListQueues',
      'ViewRole kinesis:ListStreams',
    ]);
    expect(template.Resources.ViewRole.Properties.Policies[0]!.PolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream'],
        Resource: [STREAM],
      },
      { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [QUEUE] },
      { Effect: 'Allow', Action: ['kinesis:GetRecords'], Resource: [STREAM] },
    ]);
  });

  it('leaves every other statement and resource exactly as written', () => {
    const untouched = {
      // Nothing to drop: a single action stays a string.
      single: { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: QUEUE },
      // No Resource: the grant is scoped by NotResource, which this plugin does not read.
      notResource: { Effect: 'Allow', Action: ['dynamodb:ListStreams'], NotResource: [STREAM] },
    };
    const template = {
      Resources: {
        R: role(untouched.single, untouched.notResource),
        // A policy without a document, a role without policies, a resource without properties.
        Bare: { Type: 'AWS::IAM::Role', Properties: { Policies: [{ PolicyName: 'managed' }] } },
        NoPolicies: { Type: 'AWS::IAM::Role', Properties: {} },
        Topic: { Type: 'AWS::SNS::Topic' },
        // Only roles are tidied: a user's inline policies are its owner's to write.
        User: {
          Type: 'AWS::IAM::User',
          Properties: { Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: [streamStatement()] } }] },
        },
      },
    };
    const before = structuredClone(template);
    expect(tidyIamRoles(template)).toEqual({ defaultRole: false, actions: [] });
    expect(template).toEqual(before);
  });

  it('runs as a plugin just before the template is written, logging what it removed when it has a logger', () => {
    const template = () => ({ Resources: { IamRoleLambdaExecution: role(), ViewRole: role(streamStatement()) } });
    const serverless = { service: { provider: { compiledCloudFormationTemplate: template() } } };
    const verbose = jest.fn();
    new TidyIamRoles(serverless, {}, { log: { verbose } }).hooks['before:aws:package:finalize:saveServiceState']!();
    expect(Object.keys(serverless.service.provider.compiledCloudFormationTemplate.Resources)).toEqual(['ViewRole']);
    expect(verbose).toHaveBeenCalledTimes(2);
    const quiet = { service: { provider: { compiledCloudFormationTemplate: template() } } };
    new TidyIamRoles(quiet, {}).hooks['before:aws:package:finalize:saveServiceState']!();
    expect(Object.keys(quiet.service.provider.compiledCloudFormationTemplate.Resources)).toEqual(['ViewRole']);
    const nothing = { service: { provider: { compiledCloudFormationTemplate: { Resources: { R: role() } } } } };
    new TidyIamRoles(nothing, {}, { log: { verbose } }).hooks['before:aws:package:finalize:saveServiceState']!();
    expect(verbose).toHaveBeenCalledTimes(2);
  });

  it('leaves them where they take effect: on "*", or in a Deny', () => {
    const onStar = { Effect: 'Allow', Action: ['dynamodb:ListStreams'], Resource: '*' };
    const deny = { ...streamStatement(), Effect: 'Deny' };
    const template = { Resources: { R: role(onStar, deny) } };
    expect(tidyIamRoles(template)).toEqual({ defaultRole: false, actions: [] });
    expect(template.Resources.R.Properties.Policies[0]!.PolicyDocument.Statement).toEqual([
      onStar,
      { ...streamStatement(), Effect: 'Deny' },
    ]);
  });
});
