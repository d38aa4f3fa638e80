// The serverless.yml parts derived from the app's declaration (handlers/app.ts):
//   functions: ${file(./src/deploy/fromApp.cjs):functions}
//   resources: [ ${file(./src/deploy/fromApp.cjs):resources}, … ]
// See src/app/serverless.ts for what each function gets.
'use strict';
const { existsSync } = require('node:fs');
const path = require('node:path');
const { ROOT, loadApp } = require('../local/loadApp.cjs');

let loaded;
const load = () =>
  (loaded ??= loadApp([
    "export { serverlessFunctions, serverlessReactionResources, serverlessViewTables } from './src/app/serverless';",
  ]));

module.exports = {
  functions: () => {
    const { app, serverlessFunctions } = load();
    const functions = serverlessFunctions(app);
    for (const [name, fn] of Object.entries(functions)) {
      const file = `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.ts`;
      if (!existsSync(path.join(ROOT, file))) {
        throw new Error(
          `Function ${name} needs its entry file ${file}: import { projections } from '../handlers/projections'; export const handler = projections.projection('${name.replace(/View$/, '')}');`,
        );
      }
    }
    return functions;
  },
  resources: async ({ resolveVariable }) => {
    const { app, serverlessReactionResources, serverlessViewTables } = load();
    const prefix = `${await resolveVariable('self:service')}-${await resolveVariable('sls:stage')}-`;
    return { Resources: { ...serverlessViewTables(app, prefix), ...serverlessReactionResources(app, prefix) } };
  },
};
