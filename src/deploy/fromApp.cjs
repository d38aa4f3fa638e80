// The serverless.yml parts derived from the app's declaration (the module that package.json's
// "cqrsKit" setting names, src/app/appSetting.ts):
//   functions: ${file(./src/deploy/fromApp.cjs):functions}
//   resources: [ ${file(./src/deploy/fromApp.cjs):resources}, … ]
// See src/app/serverless.ts for what each function gets.
'use strict';
const { existsSync } = require('node:fs');
const path = require('node:path');
const { loadApp } = require('../local/loadApp.cjs');

const EXPORTS = [
  "export { serverlessFunctions, serverlessReactionResources, serverlessViewTables } from './src/app/serverless';",
];

/** The functions of the app of the project in `dir` (default: the current folder); each entry file must exist. */
const functionsIn = (dir) => {
  const { app, appSetting, serverlessFunctions } = loadApp(EXPORTS, { dir });
  const functions = serverlessFunctions(app, appSetting.entries);
  for (const [name, fn] of Object.entries(functions)) {
    const exported = fn.handler.slice(fn.handler.lastIndexOf('.') + 1);
    const file = `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.ts`;
    if (!existsSync(path.join(appSetting.dir, file))) {
      throw new Error(
        `Function ${name} needs its entry file ${file} exporting \`${exported}\` (where the entry files are: the "entries" of package.json's "cqrsKit" setting, docs/app-setting.md)`,
      );
    }
  }
  return functions;
};

let loaded;
const load = () => (loaded ??= loadApp(EXPORTS));

module.exports = {
  functionsIn,
  functions: () => functionsIn(),
  resources: async ({ resolveVariable }) => {
    const { app, serverlessReactionResources, serverlessViewTables } = load();
    const prefix = `${await resolveVariable('self:service')}-${await resolveVariable('sls:stage')}-`;
    return { Resources: { ...serverlessViewTables(app, prefix), ...serverlessReactionResources(app, prefix) } };
  },
};
