/**
 * The Lambda runtimes this project may deploy, with AWS's dates for each, in one place.
 * Source: the "Supported runtimes" table of the Lambda developer guide (lambda-runtimes),
 * read on 2026-12-01; dates in the future are AWS's projections and may move. When AWS
 * moves a date, change it here; when a runtime comes close to its block date, the runtime
 * test fails `WARN_DAYS` ahead and says what to change.
 */
export interface LambdaRuntimeDates {
  /** Lambda stops patching the runtime. */
  readonly deprecation: string;
  /** `CreateFunction` with the runtime is refused from this day: a new stage cannot deploy. */
  readonly blockCreate: string;
  /** `UpdateFunctionCode`/`Configuration` is refused from this day: an existing stage cannot deploy. */
  readonly blockUpdate: string;
}

export const LAMBDA_RUNTIMES: Readonly<Record<string, LambdaRuntimeDates>> = {
  // Node.js 22: deprecation projected 2027-04-30.
  'nodejs22.x': { deprecation: '2027-04-30', blockCreate: '2027-06-01', blockUpdate: '2027-07-01' },
  // Node.js 24 (the deployed runtime): deprecation projected 2028-04-30.
  'nodejs24.x': { deprecation: '2028-04-30', blockCreate: '2028-06-01', blockUpdate: '2028-07-01' },
};

/** How long before a runtime's block date the runtime test starts failing. */
export const WARN_DAYS = 60;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Why `runtime` cannot be trusted to deploy on `today` (undefined when it can): not in the
 * table, or fewer than `WARN_DAYS` days before the day AWS refuses to create functions with it.
 */
export const runtimeProblem = (runtime: string, today: Date): string | undefined => {
  const dates = LAMBDA_RUNTIMES[runtime];
  const allowed = Object.keys(LAMBDA_RUNTIMES).join(', ');
  if (!dates)
    return `Runtime ${runtime} is not one this project deploys (${allowed}); see src/deploy/lambdaRuntimes.ts`;
  const daysLeft = Math.floor((Date.parse(dates.blockCreate) - today.getTime()) / DAY_MS);
  if (daysLeft >= WARN_DAYS) return undefined;
  return (
    `Lambda blocks creating ${runtime} functions on ${dates.blockCreate} (updates on ${dates.blockUpdate}), ` +
    `${daysLeft} days from ${today.toISOString().slice(0, 10)}: move provider.runtime in serverless.yml to a newer ` +
    `nodejs runtime from AWS's runtime table, add its dates to src/deploy/lambdaRuntimes.ts, and move ` +
    `custom.esbuild.target, the Node the tests run on (package.json's node-linux-* optionalDependencies) ` +
    `and @types/node to the same major.`
  );
};
