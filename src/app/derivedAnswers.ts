/**
 * A command's answer when neither its route nor its group names one: its ids (the path's parameters,
 * then the field it `creates`) and its stream's `version`, named for its last id, as an app writes it
 * by hand with `commandAnswer`: `POST /orders/{orderId}/items` creating `itemId` answers
 * `ItemCommandAnswer { orderId, itemId, version }`.
 */
import type * as z from 'zod/mini';
import { commandAnswer } from '../http/fieldSchemas';
import type { Schema } from '../http/schema';
import { derivedAnswers } from './derivedMark';

const DESCRIPTION = 'Its ids, and the version of its stream after the command';

/** `orderId` → `OrderCommandAnswer` (an id field without the `Id` suffix is used as it is). */
const nameOf = (field: string) => `${field.charAt(0).toUpperCase()}${field.slice(1).replace(/Id$/, '')}CommandAnswer`;

/**
 * One app's derived answers (`routesFor` makes one): the same ids answer the same schema, and two
 * commands whose last id is alike but whose ids differ are refused, as OpenAPI and GraphQL would
 * otherwise name two shapes alike.
 */
export const derivedCommandAnswers = (id: () => Schema) => {
  const made = new Map<string, { readonly fields: string; readonly schema: Schema }>();
  return (method: string, path: string, creates: string | undefined): Schema => {
    const fields = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    if (creates !== undefined && !fields.includes(creates)) fields.push(creates);
    const last = fields.at(-1);
    if (last === undefined) {
      throw new Error(`${method} ${path}: the route names no answer (nor does its group), and has no id to answer`);
    }
    const name = nameOf(last);
    const known = made.get(name);
    if (known && known.fields !== fields.join()) {
      throw new Error(
        `${method} ${path}: its derived answer ${name} would hold ${fields.join(', ')}, another command's ${known.fields}; name its answer`,
      );
    }
    if (known) return known.schema;
    const schema = commandAnswer(name, fields, DESCRIPTION, id() as z.ZodMiniType<string>);
    made.set(name, { fields: fields.join(), schema });
    derivedAnswers.add(schema);
    return schema;
  };
};
