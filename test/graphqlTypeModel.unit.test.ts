/**
 * The app's GraphQL schema as plain data (`graphqlModelOf`, src/graphql/typeModel.ts), built
 * without graphql-js, and the graphql-js schema made from it (`graphqlSchemaOf`): the same types,
 * in the same order, with the same fields, arguments and descriptions. What an engine specialised
 * for these shapes would validate and execute against must be what introspection and the SDL show.
 */
import { isEnumType, isObjectType } from 'graphql';
import { app } from '../handlers/app';
import type { AppRuntime } from '../src';
import { graphqlModelOf, graphqlSchemaOf } from '../src/app/graphql';
import { namedOf } from '../src/graphql/typeModel';

const runtime = { app } as unknown as AppRuntime;
const model = graphqlModelOf(runtime);
const schema = graphqlSchemaOf(runtime);

describe('the GraphQL type model of an app', () => {
  it('lists its types in the order graphql-js lists the schema built from it', () => {
    const graphqlJsOrder = Object.keys(schema.getTypeMap()).filter((name) => !name.startsWith('__'));
    expect([...model.types.keys()]).toEqual(graphqlJsOrder);
    expect(model.query).toBe('Query');
    expect(model.mutation).toBe('Mutation');
  });

  it('holds every field, argument, enum value and description graphql-js shows, as plain data', () => {
    for (const [name, type] of model.types) {
      const built = schema.getType(name);
      // The scalars' descriptions are graphql-js's own (and GraphQLJSON's): the model names them only.
      if (type.kind !== 'SCALAR')
        expect({ name, description: built?.description ?? undefined }).toEqual({ name, description: type.description });
      if (type.kind === 'ENUM') {
        expect(isEnumType(built) && built.getValues().map((v) => v.name)).toEqual(type.values);
      } else if (type.kind === 'OBJECT') {
        if (!isObjectType(built)) throw new Error(`${name} is no object type`);
        const fields = Object.values(built.getFields()).map((f) => ({
          name: f.name,
          type: String(f.type),
          description: f.description ?? undefined,
          args: f.args.map((a) => ({ name: a.name, type: String(a.type), description: a.description ?? undefined })),
        }));
        expect(fields).toEqual(
          Object.entries(type.fields).map(([field, f]) => ({
            name: field,
            type: f.type,
            description: f.description,
            args: Object.entries(f.args ?? {}).map(([arg, a]) => ({
              name: arg,
              type: a.type,
              description: a.description,
            })),
          })),
        );
      }
    }
  });

  it('refers to every type by a name the model or the built-in scalars define', () => {
    const refs = [...model.types.values()].flatMap((type) =>
      type.kind === 'OBJECT'
        ? Object.values(type.fields).flatMap((f) => [f.type, ...Object.values(f.args ?? {}).map((a) => a.type)])
        : [],
    );
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of refs) expect(model.types.has(namedOf(ref))).toBe(true);
  });
});
