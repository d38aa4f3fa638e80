/**
 * What the in-memory systems of part 2 keep and allocate per command, one system a process:
 *
 *     npx esbuild bench/memoryKept.ts --bundle --platform=node --format=cjs --outfile=bench/node_modules/.mem.cjs \
 *       --external:@aws-sdk/* && node --expose-gc bench/node_modules/.mem.cjs <ours|floor> [--snapshot] [--sample]
 *
 * Runs part 2's full workload (200 lists, 20 commits of history each, 11,500 commands) and prints
 * the heap kept per timed command (after a full GC at both ends). `--snapshot` also writes heap
 * snapshots before and after and prints what grew by object kind; `--sample` prints the sampled
 * allocations of the timed commands (garbage included) by function.
 */
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';

const oldSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')!.space_used_size;
import { Session } from 'node:inspector/promises';
import { readFileSync, rmSync } from 'node:fs';
import { InMemoryEventStore } from '../src/eventStore';
import { inMemoryFloor, kitSystem } from './systems';
import { bind, seedHistory, todoPlan } from './workload';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const name = process.argv[2] ?? 'ours';
const system = name === 'floor' ? inMemoryFloor() : kitSystem('ours', new InMemoryEventStore());
const commands = 23 * 500;
const plan = todoPlan({ lists: 200, historyCommits: 20, commands, seed: 11 });
const listId = (i: number) => `list-${i}`;

type Kinds = Map<string, { count: number; bytes: number }>;
const byKind = (file: string): Kinds => {
  const snap = JSON.parse(readFileSync(file, 'utf8'));
  rmSync(file);
  const fields: string[] = snap.snapshot.meta.node_fields;
  const types: string[] = snap.snapshot.meta.node_types[0];
  const width = fields.length;
  const [t, n, s, ec] = ['type', 'name', 'self_size', 'edge_count'].map((f) => fields.indexOf(f));
  const edgeFields: string[] = snap.snapshot.meta.edge_fields;
  const edgeTypes: string[] = snap.snapshot.meta.edge_types[0];
  const ew = edgeFields.length;
  const kinds: Kinds = new Map();
  let edge = 0;
  for (let i = 0; i < snap.nodes.length; i += width) {
    const type = types[snap.nodes[i + t!]]!;
    const names: string[] = [];
    const edges = snap.nodes[i + ec!];
    for (let e = edge; e < edge + edges * ew; e += ew) {
      if (edgeTypes[snap.edges[e]] === 'property') names.push(snap.strings[snap.edges[e + 1]]);
      if (edgeTypes[snap.edges[e]] === 'internal' && names.length < 8)
        names.push(`.${snap.strings[snap.edges[e + 1]]}`);
    }
    edge += edges * ew;
    const label =
      type === 'object' || type === 'native'
        ? `${type} ${snap.strings[snap.nodes[i + n!]]} {${names.slice(0, 8).join(',')}}`
        : type === 'string'
          ? `string ${snap.nodes[i + s!]}B`
          : type;
    const k = kinds.get(label) ?? { count: 0, bytes: 0 };
    k.count += 1;
    k.bytes += snap.nodes[i + s!];
    kinds.set(label, k);
  }
  return kinds;
};

const main = async () => {
  await seedHistory(plan, listId, (command) => system.run(command), 1);
  gc();
  const snapshot = process.argv.includes('--snapshot');
  const before = snapshot ? byKind(writeHeapSnapshot('/tmp/mem/before.heapsnapshot')) : undefined;
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const oldBefore = oldSpace();
  // --promoted: only what lived to a full GC (kept, or promoted and then collected by the gc() below).
  const promotedOnly = process.argv.includes('--promoted');
  const session = process.argv.includes('--sample') || promotedOnly ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 512,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: !promotedOnly,
    });
  }
  for (const planned of plan.commands) await system.run(bind(planned, listId(planned.listIndex)));
  const promoted = oldSpace() - oldBefore;
  if (promotedOnly) gc();
  const sampled = session ? await session.post('HeapProfiler.stopSampling') : undefined;
  console.log(`${name}: old space grew ${(promoted / commands).toFixed(0)} bytes a command (no full GC between)`);
  gc();
  const kept = process.memoryUsage().heapUsed - heapBefore;
  console.log(`${name}: ${commands} commands, heap kept ${(kept / commands).toFixed(0)} bytes a command`);
  if (before) {
    const after = byKind(writeHeapSnapshot('/tmp/mem/after.heapsnapshot'));
    const rows = [...after].map(([k, a]) => {
      const b = before.get(k) ?? { count: 0, bytes: 0 };
      return [k, (a.count - b.count) / commands, (a.bytes - b.bytes) / commands] as const;
    });
    rows.sort((x, y) => y[2] - x[2]);
    for (const [k, c, b] of rows.slice(0, 15))
      console.log(`  ${k.padEnd(70)} ${c.toFixed(2)} objects ${b.toFixed(1)} B`);
  }
  if (sampled) {
    const totals = new Map<string, number>();
    const walk = (node: {
      callFrame: { functionName: string; url: string; lineNumber: number };
      selfSize: number;
      children: unknown[];
    }) => {
      const f = node.callFrame;
      const key = `${f.functionName || '(anon)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
      totals.set(key, (totals.get(key) ?? 0) + node.selfSize);
      for (const c of node.children) walk(c as typeof node);
    };
    walk(sampled.profile.head as never);
    const all = [...totals.values()].reduce((a, b) => a + b, 0);
    console.log(`  allocated (sampled) ${(all / commands).toFixed(0)} bytes a command; by function:`);
    for (const [k, v] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, 20))
      console.log(`    ${(v / commands).toFixed(0).padStart(6)} B  ${k}`);
  }
};
void main();
