/**
 * The whole OpenAPI document of the todo app, compared with the reviewed one checked in at
 * test/fixtures/openapi.json: every route's status codes and error codes, the schemas of its
 * requests and answers, its security, the 401 that may come in the gateway's own shape, and the
 * wording clients read. Clients are generated from this document, so any change to it is an
 * API change: when this test fails on purpose, regenerate the fixture with
 *
 *     npx tsx test/support/openApiFixture.ts
 *
 * and have its `git diff` reviewed with the change that caused it. Never regenerate it just to
 * make this test pass.
 */
import { generatedOpenApi, jsonDifferences, reviewedOpenApi } from './support/openApiFixture';

describe('the OpenAPI document as a whole', () => {
  it('is the reviewed one (test/fixtures/openapi.json)', () => {
    const differences = jsonDifferences(reviewedOpenApi(), generatedOpenApi());
    // One line per JSON pointer that differs; regenerate only on purpose (see the top of this file).
    expect(differences).toEqual([]);
  });

  it('tells where two documents differ, one JSON pointer a line', () => {
    const reviewed = {
      paths: { '/lists/{listId}': { get: { responses: { 404: { codes: ['LIST_NOT_FOUND'] } } } } },
      tags: ['a'],
    };
    const generated = {
      paths: { '/lists/{listId}': { get: { responses: { 404: { codes: ['LIST_NOT_FOUND', 'X'] }, 409: {} } } } },
      tags: ['a'],
    };
    expect(jsonDifferences(reviewed, generated)).toEqual([
      '/paths/~1lists~1{listId}/get/responses/404/codes/1: reviewed (nothing), generated "X"',
      '/paths/~1lists~1{listId}/get/responses/409: reviewed (nothing), generated {}',
    ]);
    expect(jsonDifferences(reviewed, JSON.parse(JSON.stringify(reviewed)))).toEqual([]);
  });
});
