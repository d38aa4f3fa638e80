// The serverless.yml plugin is CommonJS (the framework requires it): typed by hand here.
const { tidyIamRoles } = require('../src/deploy/tidyIamRoles.cjs') as {
  tidyIamRoles: (template: any) => { defaultRole: boolean; actions: string[] };
};

const STREAM = { 'Fn::GetAtt': ['EventsTable', 'StreamArn'] };
const QUEUE = { 'Fn::GetAtt': ['DeadLetters', 'Arn'] };
const role = (...Statement: unknown[]) => ({
  Type: 'AWS::IAM::Role',
  Properties: { Policies: [{ PolicyName: 'p', PolicyDocument: { Version: '2012-10-17', Statement } }] },
});
const fn = (roleId: string) => ({ Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': [roleId, 'Arn'] } }, DependsOn: [roleId] });
const streamStatement = () => ({
  Effect: 'Allow',
  Action: ['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream', 'dynamodb:ListStreams'],
  Resource: [STREAM],
});

describe('tidyIamRoles (serverless.yml plugin)', () => {
  it('removes the default role when no function uses it, and keeps the per-function roles', () => {
    const template = {
      Resources: { IamRoleLambdaExecution: role(), ViewIamRoleLambdaExecution: role(), ViewLambdaFunction: fn('ViewIamRoleLambdaExecution') },
    };
    expect(tidyIamRoles(template).defaultRole).toBe(true);
    expect(Object.keys(template.Resources)).toEqual(['ViewIamRoleLambdaExecution', 'ViewLambdaFunction']);
  });

  it.each([
    ['a function\'s Role', { F: fn('IamRoleLambdaExecution') }],
    ['a DependsOn', { F: { Type: 'AWS::Lambda::Function', Properties: {}, DependsOn: 'IamRoleLambdaExecution' } }],
    ['an Fn::Sub', { F: { Type: 'AWS::SSM::Parameter', Properties: { Value: { 'Fn::Sub': '${IamRoleLambdaExecution.Arn}' } } } }],
    ['a string Fn::GetAtt', { F: { Type: 'AWS::SSM::Parameter', Properties: { Value: { 'Fn::GetAtt': 'IamRoleLambdaExecution.Arn' } } } }],
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
        ),
      },
    };
    expect(tidyIamRoles(template).actions).toEqual(['ViewRole dynamodb:ListStreams', 'ViewRole sqs:ListQueues', 'ViewRole sqs:ListQueues']);
    expect(template.Resources.ViewRole.Properties.Policies[0]!.PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: ['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream'], Resource: [STREAM] },
      { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: [QUEUE] },
    ]);
  });

  it('leaves them where they take effect: on "*", or in a Deny', () => {
    const onStar = { Effect: 'Allow', Action: ['dynamodb:ListStreams'], Resource: '*' };
    const deny = { ...streamStatement(), Effect: 'Deny' };
    const template = { Resources: { R: role(onStar, deny) } };
    expect(tidyIamRoles(template)).toEqual({ defaultRole: false, actions: [] });
    expect(template.Resources.R.Properties.Policies[0]!.PolicyDocument.Statement).toEqual([onStar, { ...streamStatement(), Effect: 'Deny' }]);
  });
});
