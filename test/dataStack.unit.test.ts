// The data stack plugin (src/deploy/dataStack.cjs): how it splits a packaged template, names log
// groups, and drives CloudFormation. The whole life against an emulator is test/deploy/.
const DataStack = require('../src/deploy/dataStack.cjs');
const { splitDataStack, uniqueLogGroups, STACK_POLICY } = DataStack;

const STACK = 'app-prod-data';
const tableArn = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const importOf = (name: string) => ({ 'Fn::ImportValue': `${STACK}-${name}` });

/** A small packaged template: a table, a pool, a function reading the table, a mapping on its stream. */
const template = (): any => ({
  Conditions: { UseCognito: { 'Fn::Equals': ['', ''] }, Unused: { 'Fn::Equals': ['a', 'b'] } },
  Resources: {
    EventsTable: {
      Type: 'AWS::DynamoDB::Table',
      DeletionPolicy: 'RetainExceptOnCreate',
      UpdateReplacePolicy: 'Retain',
      Properties: { TableName: 't', DeletionProtectionEnabled: true },
    },
    UserPool: {
      Type: 'AWS::Cognito::UserPool',
      Condition: 'UseCognito',
      DeletionPolicy: 'RetainExceptOnCreate',
      Properties: { DeletionProtection: 'ACTIVE' },
    },
    UserPoolClient: {
      Type: 'AWS::Cognito::UserPoolClient',
      Condition: 'UseCognito',
      Properties: { UserPoolId: { Ref: 'UserPool' } },
    },
    ViewTable: { Type: 'AWS::DynamoDB::Table', DeletionPolicy: 'Delete', Properties: { TableName: 'v' } },
    Role: {
      Type: 'AWS::IAM::Role',
      Properties: {
        Policies: [
          {
            PolicyDocument: {
              Statement: [{ Effect: 'Allow', Action: ['dynamodb:Query'], Resource: tableArn('EventsTable') }],
            },
          },
        ],
      },
    },
    Mapping: {
      Type: 'AWS::Lambda::EventSourceMapping',
      DependsOn: ['Role', 'EventsTable'],
      Properties: { EventSourceArn: { 'Fn::GetAtt': 'EventsTable.StreamArn' } },
    },
    Authorizer: {
      Type: 'AWS::ApiGatewayV2::Authorizer',
      Properties: { Audience: [{ 'Fn::If': ['UseCognito', { Ref: 'UserPoolClient' }, 'x'] }] },
    },
  },
  Outputs: {
    UserPoolId: { Condition: 'UseCognito', Value: { Ref: 'UserPool' } },
    ViewTableName: { Value: { Ref: 'ViewTable' } },
  },
});

describe('splitDataStack', () => {
  it('moves the listed resources to the data stack and makes every reference to them an import', () => {
    const app = template();
    const data = splitDataStack(app, {
      stackName: STACK,
      ids: ['EventsTable', 'UserPool', 'UserPoolClient'],
      throwaway: false,
    });
    expect(Object.keys(data.Resources)).toEqual(['EventsTable', 'UserPool', 'UserPoolClient']);
    expect(Object.keys(app.Resources)).toEqual(['ViewTable', 'Role', 'Mapping', 'Authorizer']);
    expect(app.Resources.Role.Properties.Policies[0].PolicyDocument.Statement[0].Resource).toEqual(
      importOf('EventsTableArn'),
    );
    expect(app.Resources.Mapping.Properties.EventSourceArn).toEqual(importOf('EventsTableStreamArn'));
    // The import orders the mapping after the data stack; a DependsOn may not name another stack.
    expect(app.Resources.Mapping.DependsOn).toEqual(['Role']);
    expect(app.Resources.Authorizer.Properties.Audience).toEqual([
      { 'Fn::If': ['UseCognito', importOf('UserPoolClientRef'), 'x'] },
    ]);
    // Policies as written: retained except on a failed first create, protected.
    expect(data.Resources.EventsTable).toEqual(template().Resources.EventsTable);
    expect(data.Resources.UserPool).toEqual(template().Resources.UserPool);
  });

  it('exports what the app imports, even from a resource its condition leaves out', () => {
    const data = splitDataStack(template(), {
      stackName: STACK,
      ids: ['EventsTable', 'UserPool', 'UserPoolClient'],
      throwaway: false,
    });
    expect(data.Outputs.EventsTableArn).toEqual({
      Value: tableArn('EventsTable'),
      Export: { Name: `${STACK}-EventsTableArn` },
    });
    expect(data.Outputs.EventsTableStreamArn.Value).toEqual({ 'Fn::GetAtt': ['EventsTable', 'StreamArn'] });
    // CloudFormation resolves every import of a template, those in an unused Fn::If branch too.
    expect(data.Outputs.UserPoolClientRef).toEqual({
      Value: { 'Fn::If': ['UseCognito', { Ref: 'UserPoolClient' }, 'none'] },
      Export: { Name: `${STACK}-UserPoolClientRef` },
    });
    // The conditions its resources use, and no other.
    expect(data.Conditions).toEqual({ UseCognito: { 'Fn::Equals': ['', ''] } });
  });

  it('moves outputs of the data alone to the data stack, and leaves the others', () => {
    const app = template();
    const data = splitDataStack(app, {
      stackName: STACK,
      ids: ['EventsTable', 'UserPool', 'UserPoolClient'],
      throwaway: false,
    });
    expect(data.Outputs.UserPoolId).toEqual({ Condition: 'UseCognito', Value: { Ref: 'UserPool' } });
    expect(app.Outputs).toEqual({ ViewTableName: { Value: { Ref: 'ViewTable' } } });
  });

  it("lets a throwaway stage's data go with its stack", () => {
    const data = splitDataStack(template(), { stackName: STACK, ids: ['EventsTable', 'UserPool'], throwaway: true });
    expect(data.Resources.EventsTable).toMatchObject({
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: { DeletionProtectionEnabled: false },
    });
    expect(data.Resources.UserPool).toMatchObject({
      DeletionPolicy: 'Delete',
      UpdateReplacePolicy: 'Delete',
      Properties: { DeletionProtection: 'INACTIVE' },
    });
  });

  it('refuses a data resource that refers to one of the app, and a Fn::Sub naming a data resource', () => {
    expect(() => splitDataStack(template(), { stackName: STACK, ids: ['UserPoolClient'], throwaway: false })).toThrow(
      /UserPoolClient refers to UserPool, which stays in the app's stack/,
    );
    const app = template();
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string, taken literally
    app.Resources.Role.Properties.Description = { 'Fn::Sub': 'reads ${EventsTable.Arn}' };
    expect(() => splitDataStack(app, { stackName: STACK, ids: ['EventsTable'], throwaway: false })).toThrow(
      /Role names a data stack resource in an Fn::Sub/,
    );
  });

  it('changes nothing when no resource is listed', () => {
    const app = template();
    const data = splitDataStack(app, { stackName: STACK, ids: [], throwaway: false });
    expect(app).toEqual(template());
    expect(data.Resources).toEqual({});
  });
});

describe('uniqueLogGroups', () => {
  // The framework's log statement, as serverless writes it.
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub string, taken literally
  const LOGS = 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}';
  const withFunction = (): any => ({
    Resources: {
      FnLogGroup: {
        Type: 'AWS::Logs::LogGroup',
        Properties: { LogGroupName: '/aws/lambda/app-prod-fn', RetentionInDays: 30 },
      },
      FnRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          Policies: [
            {
              PolicyDocument: {
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: ['logs:PutLogEvents'],
                    Resource: [
                      {
                        'Fn::Sub': `${LOGS}:log-group:/aws/lambda/app-prod-fn:*:*`,
                      },
                    ],
                  },
                  { Effect: 'Allow', Action: ['dynamodb:Query'], Resource: tableArn('T') },
                ],
              },
            },
          ],
        },
      },
      Fn: {
        Type: 'AWS::Lambda::Function',
        DependsOn: ['FnRole', 'FnLogGroup'],
        Properties: { FunctionName: 'app-prod-fn', Role: { 'Fn::GetAtt': ['FnRole', 'Arn'] } },
      },
    },
  });

  it("names each function's group after its stack, and points the function and its role at it", () => {
    const t = withFunction();
    uniqueLogGroups(t);
    const stackUuid = { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] };
    expect(t.Resources.FnLogGroup.Properties.LogGroupName).toEqual({
      'Fn::Join': ['-', ['/aws/lambda/app-prod-fn', stackUuid]],
    });
    expect(t.Resources.Fn.Properties.LoggingConfig).toEqual({ LogGroup: { Ref: 'FnLogGroup' } });
    expect(t.Resources.Fn.DependsOn).toEqual(['FnRole']);
    const [logs, table] = t.Resources.FnRole.Properties.Policies[0].PolicyDocument.Statement;
    expect(logs.Resource).toEqual([{ 'Fn::Join': ['', [{ 'Fn::GetAtt': ['FnLogGroup', 'Arn'] }, ':*']] }]);
    expect(table.Resource).toEqual(tableArn('T'));
  });
});

describe("the data stack's deploy", () => {
  /** The plugin on a CloudFormation that answers from `stacks` and records the calls. */
  const plugin = (
    stacks: Record<string, any>,
    options: { throwaway?: boolean; updateError?: string; updateEnds?: string } = {},
  ) => {
    const calls: string[] = [];
    const serverless = {
      service: {
        service: 'app',
        custom: { dataStack: { resources: [], throwaway: String(options.throwaway ?? false) } },
        package: {},
      },
      getProvider: () => ({ getStage: () => 'prod' }),
    };
    const p = new DataStack(serverless, {}, {});
    p.cfn = async (command: string, input: any) => {
      const protection = input.EnableTerminationProtection;
      const policy = input.StackPolicyBody ? ' policy' : '';
      calls.push(`${command}${protection !== undefined ? ` protection=${protection}` : ''}${policy}`);
      const name = input.StackName;
      switch (command) {
        case 'DescribeStacks':
          if (!stacks[name]) throw new Error(`Stack with id ${name} does not exist`);
          return { Stacks: [stacks[name]] };
        case 'DeleteStack':
          delete stacks[name];
          return {};
        case 'CreateStack':
          stacks[name] = {
            StackStatus: 'CREATE_COMPLETE',
            EnableTerminationProtection: input.EnableTerminationProtection,
          };
          return {};
        case 'UpdateStack':
          if (options.updateError) throw new Error(options.updateError);
          stacks[name] = { ...stacks[name], StackStatus: options.updateEnds ?? 'UPDATE_COMPLETE' };
          return {};
        default:
          return {};
      }
    };
    return { p, calls };
  };

  it('creates the stack protected: termination protection, a policy that forbids replacing or deleting', async () => {
    const { p, calls } = plugin({});
    await p.deploy({ Resources: {} });
    expect(calls).toEqual(['DescribeStacks', 'CreateStack protection=true policy', 'DescribeStacks']);
    expect(STACK_POLICY.Statement[0]).toEqual({
      Effect: 'Deny',
      Principal: '*',
      Action: ['Update:Replace', 'Update:Delete'],
      Resource: '*',
    });
  });

  it('deletes what a failed first create left (ROLLBACK_COMPLETE), then creates it again', async () => {
    const { p, calls } = plugin({
      'app-prod-data': { StackStatus: 'ROLLBACK_COMPLETE', EnableTerminationProtection: true },
    });
    await p.deploy({ Resources: {} });
    expect(calls).toEqual([
      'DescribeStacks',
      'UpdateTerminationProtection protection=false',
      'DeleteStack',
      'DescribeStacks',
      'CreateStack protection=true policy',
      'DescribeStacks',
    ]);
  });

  it('updates an existing stack, and takes "no updates" as done', async () => {
    const stacks = { 'app-prod-data': { StackStatus: 'CREATE_COMPLETE', EnableTerminationProtection: true } };
    const { p, calls } = plugin(stacks, { updateError: 'No updates are to be performed.' });
    await p.deploy({ Resources: {} });
    expect(calls).toEqual(['DescribeStacks', 'UpdateStack policy', 'DescribeStacks']);
  });

  it('lifts the protection of a stage made throwaway', async () => {
    const stacks = { 'app-prod-data': { StackStatus: 'UPDATE_COMPLETE', EnableTerminationProtection: true } };
    const { p, calls } = plugin(stacks, { throwaway: true });
    await p.deploy({ Resources: {} });
    expect(calls).toEqual([
      'DescribeStacks',
      'UpdateStack',
      'UpdateTerminationProtection protection=false',
      'DescribeStacks',
    ]);
  });

  it('fails the deploy when the data stack does not end complete (the app is then not deployed)', async () => {
    // An update the stack policy refused (it would have replaced the user pool) rolls back.
    const stacks = { 'app-prod-data': { StackStatus: 'UPDATE_COMPLETE', EnableTerminationProtection: true } };
    const { p } = plugin(stacks, { updateEnds: 'UPDATE_ROLLBACK_COMPLETE' });
    await expect(p.deploy({ Resources: {} })).rejects.toThrow(/app-prod-data ended UPDATE_ROLLBACK_COMPLETE/);
  });
});
