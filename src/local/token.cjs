// Prints a JWT that the local stack accepts for the given user (the last line of stdout).
// Offline, serverless-offline checks the issuer, audience and expiry, not the signature
// (--ignoreJWTSignature); it is still signed (HS256, a local secret) so it is a real JWT.
'use strict';
const crypto = require('node:crypto');
const { readFileSync } = require('node:fs');
const path = require('node:path');

/**
 * The local stage's issuer and audience, as the app's serverless.yml sets them for the JWT
 * authorizer (params.local.jwtIssuer / jwtAudience): the kit names no app of its own.
 */
const localParam = (name) => {
  const yml = readFileSync(path.join(__dirname, '..', '..', 'serverless.yml'), 'utf8');
  const local = yml.slice(yml.search(/^\s+local:\s*$/m));
  const match = local.match(new RegExp(`^\\s+${name}:\\s*(\\S+)\\s*$`, 'm'));
  if (!match) throw new Error(`serverless.yml has no params.local.${name}`);
  return match[1];
};
const LOCAL_ISSUER = localParam('jwtIssuer');
const LOCAL_AUDIENCE = localParam('jwtAudience');

const b64 = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A signed local token for `sub`; `overrides` replace claims (tests use it for bad tokens). */
const localToken = (sub, overrides = {}, { secret = 'local-only-secret', header = { alg: 'HS256', typ: 'JWT' } } = {}) => {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, sub, iat: now, exp: now + 3600, ...overrides };
  const unsigned = `${b64(header)}.${b64(claims)}`;
  const signature = header.alg === 'none' ? '' : crypto.createHmac('sha256', secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
};

module.exports = { localToken, LOCAL_ISSUER, LOCAL_AUDIENCE };

if (require.main === module) {
  const sub = process.argv[2];
  if (!sub || !/^[A-Za-z0-9_.@-]{1,128}$/.test(sub)) {
    console.error('Usage: npm run --silent token -- <user>   (letters, digits, _ . @ -)');
    process.exit(2);
  }
  process.stdout.write(`${localToken(sub)}\n`);
}
