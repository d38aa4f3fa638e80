// Prints a JWT that the local stack accepts for the given user (the last line of stdout).
// It is signed (RS256) with the local issuer's private key, which the first use generates under
// .dynamodb/local-issuer/ (ignored by git, shared by every stack of this checkout): the local edge
// (src/local/offlineEdge.cjs) refuses a token whose signature does not verify with its public key,
// since serverless-offline's own JWT authorizer (--ignoreJWTSignature) only decodes it.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const { readFileSync } = fs;
const path = require('node:path');

const KEY_DIR = path.join(__dirname, '..', '..', '.dynamodb', 'local-issuer');

let keys;
/**
 * The local issuer's key pair, generated once (RSA 2048: API Gateway's JWT authorizer takes RSA
 * keys). Written to a temporary file and linked into place, so two processes starting at once
 * agree on one key and never read half a file.
 */
const localIssuerKeys = () => {
  if (keys) return keys;
  const privateFile = path.join(KEY_DIR, 'private.pem');
  if (!fs.existsSync(privateFile)) {
    fs.mkdirSync(KEY_DIR, { recursive: true, mode: 0o700 });
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const temporary = path.join(KEY_DIR, `.private-${process.pid}-${crypto.randomUUID()}.pem`);
    fs.writeFileSync(temporary, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    try {
      fs.linkSync(temporary, privateFile);
    } catch (error) {
      if (error?.code !== 'EEXIST') throw error;
    } finally {
      fs.rmSync(temporary, { force: true });
    }
  }
  const privateKey = crypto.createPrivateKey(readFileSync(privateFile));
  keys = { privateKey, publicKey: crypto.createPublicKey(privateKey) };
  return keys;
};

/**
 * Whether `token` (a compact JWT) is signed RS256 by the local issuer. Any other algorithm,
 * `none` included, is refused: the header's `alg` is never trusted to pick the check.
 */
const verifyLocalToken = (token) => {
  if (typeof token !== 'string') return false;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[2] === '') return false;
  let header;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
  } catch {
    return false;
  }
  if (header?.alg !== 'RS256') return false;
  const signature = Buffer.from(parts[2], 'base64url');
  if (signature.toString('base64url') !== parts[2]) return false;
  return crypto.verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), localIssuerKeys().publicKey, signature);
};

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

/**
 * A local token for `sub`, signed with the local issuer's key; `overrides` replace claims. Tests
 * make bad tokens with the options: `header` (`alg: 'none'` leaves the signature empty, HS256
 * signs with `secret`) or `privateKey` (another issuer's key).
 */
const localToken = (sub, overrides = {}, { secret, header = { alg: 'RS256', typ: 'JWT' }, privateKey } = {}) => {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, sub, iat: now, exp: now + 3600, ...overrides };
  const unsigned = `${b64(header)}.${b64(claims)}`;
  const signature =
    header.alg === 'none'
      ? ''
      : header.alg === 'HS256'
        ? crypto
            .createHmac('sha256', secret ?? 'local-only-secret')
            .update(unsigned)
            .digest('base64url')
        : crypto
            .sign('sha256', Buffer.from(unsigned), privateKey ?? localIssuerKeys().privateKey)
            .toString('base64url');
  return `${unsigned}.${signature}`;
};

module.exports = { localToken, localIssuerKeys, verifyLocalToken, LOCAL_ISSUER, LOCAL_AUDIENCE };

if (require.main === module) {
  const sub = process.argv[2];
  if (!sub || !/^[A-Za-z0-9_.@-]{1,128}$/.test(sub)) {
    console.error('Usage: npm run --silent token -- <user>   (letters, digits, _ . @ -)');
    process.exit(2);
  }
  process.stdout.write(`${localToken(sub)}\n`);
}
