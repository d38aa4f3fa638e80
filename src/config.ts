/** Reads the environment once and fails with a clear message when something is missing. */
export const requireEnv = (env: NodeJS.ProcessEnv, name: string): string => {
  const value = env[name];
  if (value === undefined || value.trim() === '') throw new Error(`Environment variable ${name} is required`);
  return value;
};

export const optionalEnv = (env: NodeJS.ProcessEnv, name: string): string | undefined => {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
};
