// npm run test:deploy needs AWS's own tools, which are Python programs: cfn-lint (AWS's template
// linter) and moto (an AWS emulator, run as a server). Says exactly what to install when one is
// missing, before jest starts.
'use strict';
const { spawnSync } = require('node:child_process');

const PYTHON = process.env.PYTHON || 'python3';
const INSTALL = "pip install 'moto[server,cloudformation]==5.2.1' 'cfn-lint==1.51.0'";

const python = spawnSync(PYTHON, ['--version'], { encoding: 'utf8' });
if (python.error || python.status !== 0) {
  console.error(`npm run test:deploy needs Python 3.9+ (${PYTHON} was not found; set PYTHON to another one),`);
  console.error(`then: ${INSTALL}`);
  process.exit(1);
}
const probe = spawnSync(
  PYTHON,
  ['-c', 'import moto, cfnlint.version, flask; print(moto.__version__, cfnlint.version.__version__)'],
  { encoding: 'utf8' },
);
if (probe.status !== 0) {
  console.error(`npm run test:deploy needs moto (with its server) and cfn-lint in ${python.stdout.trim()}: ${INSTALL}`);
  console.error(probe.stderr.trim().split('\n').pop());
  process.exit(1);
}
const [moto, cfnLint] = probe.stdout.trim().split(' ');
if (!/^5\./.test(moto) || !/^1\./.test(cfnLint)) {
  console.error(`npm run test:deploy was written for moto 5.x and cfn-lint 1.x,`);
  console.error(`found moto ${moto} and cfn-lint ${cfnLint}:`);
  console.error(INSTALL);
  process.exit(1);
}
