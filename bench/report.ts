/** Turns the parts' measurements into the ratios of bench/results.json and the markdown table. */
import type { ColdStartResults } from './coldStart';
import type { GraphqlPricingResults } from './graphqlPricing';
import type { HotListResults } from './hotList';
import type { MovesResults } from './moves';
import type { ProjectionThroughputResults } from './projectionThroughput';
import type { StackResults } from './localStackParts';
import { ratio, round, type Summary } from './stats';
import { COUNTER_VIEW_SIZES, TAGS_PER_TODO, type CounterViewCapacityResults } from './counterViewCapacity';
import { LAYOUTS, VIEW_SIZES, type ViewCapacityResults } from './viewCapacity';

type Latencies = Record<string, Summary>;

export interface ReportInput {
  readonly parts: {
    readonly command?: { readonly lists: number; readonly historyCommits: number; readonly latencyMs: Latencies };
    readonly memory?: {
      readonly lists: number;
      readonly commandsPerSecond: Latencies;
      /** Since part 2 runs each system in fresh processes: how many per system (the spread is min–max). */
      readonly repetitions?: number;
      readonly passesConcurrencyContract: Record<string, boolean>;
    };
    readonly long?: { readonly latencyMs: Latencies };
    readonly cost?: {
      readonly perCommand: Record<string, { read: Summary; write: Summary; requests: Summary }>;
      readonly perViewUpdate: Record<string, { read: Summary; write: Summary; requests: Summary }>;
      readonly commitJsonBytes: Summary;
    };
    readonly viewCost?: ViewCapacityResults;
    readonly counterViewCost?: CounterViewCapacityResults;
    readonly stack?: StackResults;
    readonly coldStart?: ColdStartResults;
    readonly hotList?: HotListResults;
    readonly projections?: ProjectionThroughputResults;
    readonly graphqlPricing?: GraphqlPricingResults;
    readonly moves?: MovesResults;
  };
  readonly date: string;
  readonly machine: { nproc: number; memoryGb: number; node: string; cpu: string };
  readonly quick: boolean;
}

const ms = (value: number | undefined) =>
  value === undefined || !Number.isFinite(value)
    ? '—'
    : value >= 100
      ? `${Math.round(value)} ms`
      : `${value.toFixed(1)} ms`;
const times = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '—');
const num = (value: number | undefined, digits = 1) =>
  value === undefined || !Number.isFinite(value)
    ? '—'
    : value.toLocaleString('en-US', { maximumFractionDigits: digits });
const verdict = (met: boolean | undefined) => (met === undefined ? '' : met ? 'met' : '**missed**');
const finite = (value: number) => (Number.isFinite(value) ? value : null);

// biome-ignore lint/complexity/noExcessiveCognitiveComplexity: one renderer of the whole report, section by section; split tracked in issue 25
export const renderReport = ({ parts, date, machine, quick }: ReportInput) => {
  const rows: string[][] = [];
  const row = (...cells: string[]) => rows.push(cells);

  // 1 + 8
  const cmd = parts.command?.latencyMs;
  const plain = cmd?.['ours (no cache, no snapshots)'];
  const cacheOff = cmd?.['ours (cache off)'];
  const byDefault = cmd?.['ours (default)'];
  const floor = cmd?.floor;
  const castore = cmd?.castore;
  const commandP50VsFloor = ratio(cacheOff?.p50, floor?.p50);
  const commandP50VsCastore = ratio(byDefault?.p50, castore?.p50);
  const warmCommandP50VsFloor = ratio(byDefault?.p50, floor?.p50);
  const pair = (s: Summary | undefined) => `${ms(s?.p50)} / ${ms(s?.p99)}`;
  const ratios = (a: Summary | undefined, b: Summary | undefined) =>
    `${times(ratio(a?.p50, b?.p50))} / ${times(ratio(a?.p99, b?.p99))}`;
  if (cmd) {
    row(
      '1',
      'command on DynamoDB Local, state cache off (snapshots on): p50 / p99',
      pair(cacheOff),
      `floor ${pair(floor)}`,
      ratios(cacheOff, floor),
      '≤ 1.1× floor (p50)',
      verdict(commandP50VsFloor <= 1.1),
    );
    row(
      '1',
      'the same without snapshots (one Query + one PutItem, like the floor)',
      pair(plain),
      `floor ${pair(floor)}`,
      ratios(plain, floor),
      '(for scale)',
      '',
    );
    row(
      '1',
      'command, default configuration (state cache + snapshots): p50 / p99',
      pair(byDefault),
      `Castore ${pair(castore)}`,
      ratios(byDefault, castore),
      '≤ 0.8× Castore (p50)',
      verdict(commandP50VsCastore <= 0.8),
    );
    row(
      '1',
      'Castore vs the floor',
      pair(castore),
      `floor ${pair(floor)}`,
      ratios(castore, floor),
      '(peer, for scale)',
      '',
    );
  }

  // 2
  const mem = parts.memory;
  const peers = ['evtstore', 'emmett', 'castore'] as const;
  const fastestPeer = mem
    ? [...peers].sort((a, b) => (mem.commandsPerSecond[b]?.p50 ?? 0) - (mem.commandsPerSecond[a]?.p50 ?? 0))[0]
    : undefined;
  const inMemoryVsFastestPeer =
    mem && fastestPeer ? ratio(mem.commandsPerSecond.ours?.p50, mem.commandsPerSecond[fastestPeer]?.p50) : Number.NaN;
  const inMemoryVsFloor = ratio(mem?.commandsPerSecond.ours?.p50, mem?.commandsPerSecond.floor?.p50);
  if (mem) {
    const cps = (name: string) => {
      const s = mem.commandsPerSecond[name];
      const spread = mem.repetitions && s ? ` (${num(s.min, 0)}–${num(s.max, 0)})` : '';
      return `${num(s?.p50, 0)}/s${spread}`;
    };
    row(
      '2',
      mem.repetitions
        ? `in memory, no state cache: commands per second (median of ${mem.repetitions} fresh processes a system, min–max)`
        : 'in memory, no state cache: commands per second (median of batches)',
      cps('ours'),
      `fastest peer ${fastestPeer} ${cps(fastestPeer ?? '')}`,
      times(inMemoryVsFastestPeer),
      '≥ 1.5× fastest peer',
      verdict(inMemoryVsFastestPeer >= 1.5),
    );
    row(
      '2',
      'in memory, with the state cache',
      cps('ours (state cache)'),
      `fastest peer ${fastestPeer} ${cps(fastestPeer ?? '')}`,
      times(ratio(mem.commandsPerSecond['ours (state cache)']?.p50, mem.commandsPerSecond[fastestPeer ?? '']?.p50)),
      '(peers have no cache on)',
      '',
    );
    row(
      '2',
      'in memory, vs the raw floor (a Map of arrays, no cache)',
      cps('ours'),
      `floor ${cps('floor')}`,
      times(inMemoryVsFloor),
      '≥ 0.85× floor',
      verdict(inMemoryVsFloor >= 0.85),
    );
    row(
      '2',
      'in memory, the peers',
      '',
      peers.map((p) => `${p} ${cps(p)}`).join(', '),
      peers.map((p) => times(ratio(mem.commandsPerSecond.ours?.p50, mem.commandsPerSecond[p]?.p50))).join(', '),
      '',
      '',
    );
    const race = mem.passesConcurrencyContract;
    row(
      '2',
      'two appends racing at one expected version cannot both win',
      race.ours ? 'pass' : '**FAIL**',
      Object.entries(race)
        .filter(([n]) => n !== 'ours')
        .map(([n, ok]) => `${n} ${ok ? 'pass' : '**FAIL**'}`)
        .join(', '),
      '',
      'ours passes',
      verdict(race.ours),
    );
  }

  // 3
  const long = parts.long?.latencyMs;
  const stream10kVs10 = ratio(long?.['ours+snapshots@10000']?.p50, long?.['ours+snapshots@10']?.p50);
  const stream10kVs10WithoutSnapshots = ratio(long?.['ours@10000']?.p50, long?.['ours@10']?.p50);
  if (long) {
    const at = (kind: string) => [10, 1000, 10000].map((n) => ms(long[`${kind}@${n}`]?.p50)).join(' / ');
    row(
      '3',
      'command p50 at 10 / 1,000 / 10,000 commits, snapshots on (cache off)',
      at('ours+snapshots'),
      `floor ${at('floor')}`,
      `10k÷10: ${times(stream10kVs10)}`,
      '≤ 1.3×',
      verdict(stream10kVs10 <= 1.3),
    );
    row(
      '3',
      'the same without snapshots',
      at('ours'),
      '',
      `10k÷10: ${times(stream10kVs10WithoutSnapshots)}`,
      '(for scale)',
      '',
    );
  }

  // 4
  const http = parts.stack?.http;
  if (http) {
    const [trivial, lambda, command, query] = http.routes;
    const cell = (r: { requestsPerSecond: number; p50Ms: number; p99Ms: number } | undefined) =>
      `${num(r?.requestsPerSecond, 0)}/s, ${ms(r?.p50Ms)} / ${ms(r?.p99Ms)}`;
    row(
      '4',
      `HTTP floors (same server, ${http.connections} connections): req/s, p50 / p99`,
      '',
      `404 route ${cell(trivial)}; GET /openapi.json (Lambda, no token, no DynamoDB) ${cell(lambda)}`,
      '',
      '',
      '',
    );
    for (const route of [command, query]) {
      if (!route) continue;
      row(
        '4',
        `HTTP ${route.route}: req/s, p50 / p99`,
        cell(route),
        'the Lambda floor; the 404 route',
        `throughput ${times(ratio(route.requestsPerSecond, lambda?.requestsPerSecond))}, ${times(ratio(route.requestsPerSecond, trivial?.requestsPerSecond))}; p99 ${times(ratio(route.p99Ms, lambda?.p99Ms))}, ${times(ratio(route.p99Ms, trivial?.p99Ms))}`,
        '(no goal)',
        '',
      );
    }
  }

  // 5
  const lag = parts.stack?.lag;
  if (lag) {
    row(
      '5',
      'projection lag, command answer → lists view updated: p50 / p99',
      `${ms(lag.listsViewMs.p50)} / ${ms(lag.listsViewMs.p99)}`,
      `stats view ${ms(lag.statsViewMs.p50)} / ${ms(lag.statsViewMs.p99)}`,
      '',
      'p50 < 250 ms',
      verdict(lag.listsViewMs.p50 < 250 && lag.statsViewMs.p50 < 250),
    );
  }

  // 6
  const cold = parts.coldStart;
  const initVsSdkMax = cold ? ratio(Math.max(...cold.functions.map((f) => f.initMs)), cold.sdkOnlyInitMs) : Number.NaN;
  const initCpuVsSdkMax = cold
    ? ratio(Math.max(...cold.functions.map((f) => f.initCpuMs)), cold.sdkOnlyInitCpuMs)
    : Number.NaN;
  if (cold) {
    const biggest = [...cold.functions].sort((a, b) => b.bundleKb - a.bundleKb)[0];
    const smallest = [...cold.functions].sort((a, b) => a.bundleKb - b.bundleKb)[0];
    const slowest = [...cold.functions].sort((a, b) => b.initMs - a.initMs)[0];
    const fastest = [...cold.functions].sort((a, b) => a.initMs - b.initMs)[0];
    row(
      '6',
      'bundle size, largest (smallest)',
      `${num(biggest?.bundleKb)} KB ${biggest?.function}`,
      `(${num(smallest?.bundleKb)} KB ${smallest?.function})`,
      '',
      'every bundle < 250 KB',
      verdict(cold.functions.every((f) => f.bundleKb < 250)),
    );
    row(
      '6',
      'module init (require of the bundle in a fresh process), slowest (fastest)',
      `${ms(slowest?.initMs)} ${slowest?.function}`,
      `(${ms(fastest?.initMs)} ${fastest?.function}); empty process ${ms(cold.emptyProcessMs)}`,
      '',
      '(for scale)',
      '',
    );
    row(
      '6',
      'module init ÷ requiring the AWS SDK clients alone (same run), slowest',
      `${ms(slowest?.initMs)} ${slowest?.function}`,
      `the AWS SDK alone ${ms(cold.sdkOnlyInitMs)}`,
      times(initVsSdkMax),
      'every function ≤ 1.3×',
      verdict(initVsSdkMax <= 1.3),
    );
    const slowestCpu = [...cold.functions].sort((a, b) => b.initCpuMs - a.initCpuMs)[0];
    row(
      '6',
      'the same in CPU time (user + system of the require: not stretched by a busy machine), slowest',
      `${ms(slowestCpu?.initCpuMs)} ${slowestCpu?.function}`,
      `the AWS SDK alone ${ms(cold.sdkOnlyInitCpuMs)}`,
      times(initCpuVsSdkMax),
      'every function ≤ 1.3×',
      verdict(initCpuVsSdkMax <= 1.3),
    );
  }

  // 7
  const cost = parts.cost;
  if (cost) {
    const c = (name: string) => cost.perCommand[name];
    const units = (name: string) => `${num(c(name)?.write.p50, 2)} / ${num(c(name)?.read.p50, 2)}`;
    row(
      '7',
      'capacity per command, write / read units (p50): default; cache off',
      `${units('ours (default)')}; ${units('ours (cache off)')}`,
      `floor ${units('floor')}, Castore ${units('castore')}`,
      `commit ${num(cost.commitJsonBytes.p50, 0)} B (JSON)`,
      '1 WCU per command < 1 KB',
      verdict(c('ours (default)')?.write.p50 === 1 && c('ours (cache off)')?.write.p50 === 1),
    );
    const v = (name: string) => cost.perViewUpdate[name];
    row(
      '7',
      'capacity per view update, write / read units: p50 (p99)',
      `lists ${num(v('listsView')?.write.p50, 2)} / ${num(v('listsView')?.read.p50, 2)} (${num(v('listsView')?.write.p99, 2)} / ${num(v('listsView')?.read.p99, 2)})`,
      `stats ${num(v('statsView')?.write.p50, 2)} / ${num(v('statsView')?.read.p50, 2)} (${num(v('statsView')?.write.p99, 2)} / ${num(v('statsView')?.read.p99, 2)})`,
      '',
      '(no goal)',
      '',
    );
  }

  // 7b: one lists-view update as the list grows, before and after the header + items layout
  const viewCost = parts.viewCost;
  const wcu = (layout: keyof typeof LAYOUTS, size: number) => viewCost?.[layout][size]?.write.p50;
  const listsWcu500Vs10 = ratio(wcu('after', 500), wcu('after', 10));
  // Every view's update at 500 todos ÷ at 10: the lists view and each counter view (10 tags a todo).
  const counterViewCost = parts.counterViewCost ?? {};
  const counterWcu = (view: string, layout: keyof typeof LAYOUTS, size: number) =>
    counterViewCost[view]?.[layout][size]?.write.p50;
  const wcu500Vs10ByView: Record<string, number> = {
    lists: listsWcu500Vs10,
    ...Object.fromEntries(
      Object.keys(counterViewCost).map((view) => [
        view,
        ratio(counterWcu(view, 'after', 500), counterWcu(view, 'after', 10)),
      ]),
    ),
  };
  // The same in read units (a warm applier reads only the view's header).
  const counterRcu = (view: string, size: number) => counterViewCost[view]?.after[size]?.read.p50;
  const rcu500Vs10ByView: Record<string, number> = {
    lists: ratio(viewCost?.after[500]?.read.p50, viewCost?.after[10]?.read.p50),
    ...Object.fromEntries(
      Object.keys(counterViewCost).map((view) => [view, ratio(counterRcu(view, 500), counterRcu(view, 10))]),
    ),
  };
  const viewWcu500Vs10 = Math.max(...Object.values(wcu500Vs10ByView).map((r) => (Number.isFinite(r) ? r : Number.NaN)));
  for (const view of Object.keys(counterViewCost)) {
    const units = (layout: keyof typeof LAYOUTS) =>
      COUNTER_VIEW_SIZES.map((size) => `${num(counterWcu(view, layout, size))}`).join(' / ');
    row(
      '7',
      `${view}-view update at ${COUNTER_VIEW_SIZES.join(' / ')} todos × ${TAGS_PER_TODO} tags: write units, p50`,
      `${units('after')} WCU (header + one item per todo and per counter)`,
      `${units('before')} WCU (one checkpoint item per list)`,
      `500÷10: ${times(wcu500Vs10ByView[view]!)} (before ${times(ratio(counterWcu(view, 'before', 500), counterWcu(view, 'before', 10)))})`,
      '≤ 1.5× (500 ÷ 10 todos)',
      verdict(wcu500Vs10ByView[view]! <= 1.5),
    );
  }
  if (viewCost) {
    const units = (layout: keyof typeof LAYOUTS) => VIEW_SIZES.map((size) => `${num(wcu(layout, size))}`).join(' / ');
    const reads = (layout: keyof typeof LAYOUTS) =>
      VIEW_SIZES.map((size) => `${num(viewCost[layout][size]?.read.p50)}`).join(' / ');
    row(
      '7',
      `lists-view update at ${VIEW_SIZES.join(' / ')} todos (600-byte titles): write units, p50; read units`,
      `${units('after')} WCU; ${reads('after')} RCU (${LAYOUTS.after})`,
      `${units('before')} WCU; ${reads('before')} RCU (${LAYOUTS.before})`,
      `500÷10: ${times(listsWcu500Vs10)} (before ${times(ratio(wcu('before', 500), wcu('before', 10)))})`,
      '≤ 1.5× (500 ÷ 10 todos)',
      verdict(listsWcu500Vs10 <= 1.5),
    );
  }

  // 8
  if (cmd) {
    row(
      '8',
      'warm stream (default configuration, state cache hit): command p50 / p99',
      pair(byDefault),
      `floor ${pair(floor)}`,
      ratios(byDefault, floor),
      '< 0.7× floor (p50)',
      verdict(warmCommandP50VsFloor < 0.7),
    );
  }

  // 9
  const hot = parts.hotList;
  const at100 = hot?.bursts.find((b) => b.writers === 100);
  const at200 = hot?.bursts.find((b) => b.writers === 200);
  if (hot) {
    for (const b of hot.bursts) {
      const refusals = Object.entries(b.statusCodes)
        .filter(([code]) => code !== '201')
        .map(([code, n]) => `${n} × ${code}`)
        .join(', ');
      row(
        '9',
        `hot list: ${b.writers} writers add a todo to one list at once: acknowledged, p50 / p99`,
        `${b.acknowledged}/${b.requests} (${num(b.acknowledgedShare * 100)} %), ${ms(b.latencyMs.p50)} / ${ms(b.latencyMs.p99)}`,
        refusals === '' ? 'no refusal' : refusals,
        `${num(b.commitsPerSecond, 0)} commits/s`,
        b.writers === 100 ? 'all acknowledged, p99 ≤ 2 s' : b.writers === 200 ? '≥ 199 of 200' : '',
        b.writers === 100
          ? verdict(b.acknowledged === b.requests && b.latencyMs.p99 <= 2000)
          : b.writers === 200
            ? verdict(b.requests - b.acknowledged <= b.requests / 200)
            : '',
      );
    }
    const s = hot.sustained;
    row(
      '9',
      `hot list: ${s.writers} writers renaming one list in a loop for ${s.seconds} s: commits per second`,
      `${num(s.commitsPerSecond, 0)}/s`,
      `${s.refused} refused; p50 / p99 ${ms(s.latencyMs.p50)} / ${ms(s.latencyMs.p99)}`,
      '',
      '(no goal)',
      '',
    );
  }

  // 11
  const moves = parts.moves;
  if (moves) {
    const cells = `single ${ms(moves.singleMs.p50)}, two singles back to back ${ms(moves.twoSinglesMs.p50)}`;
    row('11', 'move a todo across two lists (one atomic write): p50', ms(moves.moveMs.p50), cells, '', '(no goal)', '');
  }

  // 10
  const proj = parts.projections;
  const perSecond = (w: ProjectionThroughputResults['workloads'][number], factor: number) =>
    w.commitsPerSecond[String(factor)];
  if (proj) {
    for (const w of proj.workloads) {
      const one = perSecond(w, 1);
      const ten = perSecond(w, 10);
      row(
        '10',
        `projections, ${w.commits} commits (${w.description}) drained into all ${proj.views.length} views, batches of ${proj.batchSize}: commits/s at parallelization factor 10 (median of ${ten?.n ?? 0})`,
        `${num(ten?.p50, 0)}/s`,
        `factor 1: ${num(one?.p50, 0)}/s`,
        times(ratio(ten?.p50, one?.p50)),
        `(no goal; verify: ${w.differences} differences)`,
        '',
      );
    }
  }

  // 11
  const gql = parts.graphqlPricing;
  if (gql) {
    const count = Object.keys(gql.shapes).length;
    row(
      '11',
      `GraphQL: pricing the slowest of ${count} hostile shapes of ≤ 10,000 characters (fragment fan-out, aliases, wide fragments, deep inline fragments, directives, a negative limit): median / CPU max of ${gql.rounds}`,
      `${ms(gql.priceMsP50Max)} / ${ms(gql.priceCpuMsMax)}`,
      `wall max ${ms(gql.priceMsMax)}; POST /graphql median ≤ ${ms(gql.routeMsP50Max)}`,
      '',
      `≤ ${gql.goalMs} ms`,
      verdict(gql.priceCpuMsMax <= gql.goalMs),
    );
  }

  const table = [
    '| # | measure | ours | reference | ratio | goal | |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map((cells) => `| ${cells.join(' | ')} |`),
  ];
  const functionsTable = cold
    ? [
        '',
        '| function | bundle | zip | init (require, in a fresh process) | its CPU time | wall time, fresh process − empty one | functions with this bundle (samples pooled) |',
        '| --- | --- | --- | --- | --- | --- | --- |',
        ...cold.functions.map(
          (f) =>
            `| ${f.function} | ${num(f.bundleKb)} KB | ${num(f.zipKb)} KB | ${ms(f.initMs)} | ${ms(f.initCpuMs)} | ${ms(f.wallMinusEmptyMs)} | ${f.sameBundleAs} |`,
        ),
        '',
        `Largest bundle (${cold.biggest.function}), by module: ${cold.biggest.contributors.map((c) => `${c.module} ${num(c.kb)} KB (${Math.round(c.share * 100)} %)`).join(', ')}.`,
      ]
    : [];
  const header = `Bench ${quick ? '(--quick) ' : ''}${date.slice(0, 10)}: ${machine.nproc} CPUs (${machine.cpu}), ${machine.memoryGb} GB, Node ${machine.node}.`;
  const markdown = [header, '', ...table, ...functionsTable].join('\n');

  const summary = {
    ratios: {
      commandP50VsFloor: finite(commandP50VsFloor),
      commandP50VsCastore: finite(commandP50VsCastore),
      inMemoryVsFastestPeer: finite(inMemoryVsFastestPeer),
      inMemoryVsFloor: finite(inMemoryVsFloor),
      stream10kVs10: finite(stream10kVs10),
      warmCommandP50VsFloor: finite(warmCommandP50VsFloor),
      commandP50VsFloorWithoutSnapshots: finite(ratio(plain?.p50, floor?.p50)),
      inMemoryWithStateCacheVsFastestPeer:
        mem && fastestPeer
          ? finite(ratio(mem.commandsPerSecond['ours (state cache)']?.p50, mem.commandsPerSecond[fastestPeer]?.p50))
          : null,
      stream10kVs10WithoutSnapshots: finite(stream10kVs10WithoutSnapshots),
      initVsSdkMax: finite(initVsSdkMax),
      initCpuVsSdkMax: finite(initCpuVsSdkMax),
      viewWcu500Vs10: finite(viewWcu500Vs10),
    },
    viewWcu500Vs10ByView: Object.fromEntries(Object.entries(wcu500Vs10ByView).map(([v, r]) => [v, finite(r)])),
    viewRcu500Vs10ByView: Object.fromEntries(Object.entries(rcu500Vs10ByView).map(([v, r]) => [v, finite(r)])),
    definitions: {
      commandP50VsFloor:
        'ours with the state cache off (snapshots on, as handlers/todoApp.ts) ÷ floor, p50, DynamoDB Local',
      commandP50VsCastore: 'ours in its default configuration (state cache + snapshots) ÷ Castore, p50',
      inMemoryVsFastestPeer:
        'ours without state cache ÷ fastest peer, commands per second (peers in their default configuration); each system in its own fresh processes, median of the repetitions',
      inMemoryVsFloor: 'ours without state cache ÷ the floor (a Map of event arrays), the same medians',
      initVsSdkMax:
        'the slowest function: module init (require in a fresh process, p50; functions with the same bundle pool their samples) ÷ requiring @aws-sdk/client-dynamodb and lib-dynamodb alone (same NODE_OPTIONS), same run, subjects interleaved',
      initCpuVsSdkMax:
        'the same ratio in CPU time (user + system) of the require, which a busy machine does not stretch',
      stream10kVs10: 'ours with snapshots (cache off): p50 at 10,000 commits ÷ p50 at 10 commits',
      warmCommandP50VsFloor: 'ours in its default configuration on warm lists ÷ floor, p50',
      viewWcu500Vs10:
        'the largest over the views of: write units of one view update (p50) at 500 todos ÷ at 10; lists view: a todo completed, renamed or reopened, 600-byte titles; counter views (stats, tagCounts, taggedTodos): a todo completed, untagged, tagged, reopened, 10 tags a todo (viewWcu500Vs10ByView)',
      viewRcu500Vs10ByView:
        'per view: read units of one view update (p50) at 500 todos ÷ at 10, same updates as viewWcu500Vs10 (no goal)',
      ...(mem && fastestPeer ? { inMemoryFastestPeer: fastestPeer } : {}),
    },
    projectionLagMs: lag
      ? {
          p50: round(lag.listsViewMs.p50, 1),
          p99: round(lag.listsViewMs.p99, 1),
          statsView: { p50: round(lag.statsViewMs.p50, 1), p99: round(lag.statsViewMs.p99, 1) },
        }
      : null,
    bundleKb: cold ? Object.fromEntries(cold.functions.map((f) => [f.function, f.bundleKb])) : null,
    initMs: cold ? Object.fromEntries(cold.functions.map((f) => [f.function, f.initMs])) : null,
    initCpuMs: cold ? Object.fromEntries(cold.functions.map((f) => [f.function, f.initCpuMs])) : null,
    wcuPerCommand: cost?.perCommand['ours (default)']?.write.p50 ?? null,
    wcuPerCommandMean: cost ? round(cost.perCommand['ours (default)']?.write.mean ?? Number.NaN, 3) : null,
    rcuPerCommand: cost?.perCommand['ours (cache off)']?.read.p50 ?? null,
    counterViewUpdateWcuByTodos: Object.fromEntries(
      Object.keys(counterViewCost).map((view) => [
        view,
        Object.fromEntries(
          (Object.keys(LAYOUTS) as (keyof typeof LAYOUTS)[]).map((layout) => [
            layout === 'before' ? 'one checkpoint item per list' : 'header + one item per todo and per counter',
            Object.fromEntries(
              COUNTER_VIEW_SIZES.map((size) => [
                size,
                {
                  wcuP50: counterWcu(view, layout, size) ?? null,
                  wcuMax: counterViewCost[view]?.[layout][size]?.write.max ?? null,
                  rcuP50: counterViewCost[view]?.[layout][size]?.read.p50 ?? null,
                  ...(counterViewCost[view]?.[layout][size]?.error
                    ? { error: counterViewCost[view]?.[layout][size]?.error }
                    : {}),
                },
              ]),
            ),
          ]),
        ),
      ]),
    ),
    viewUpdateWcuByTodos: viewCost
      ? Object.fromEntries(
          (Object.keys(LAYOUTS) as (keyof typeof LAYOUTS)[]).map((layout) => [
            LAYOUTS[layout],
            Object.fromEntries(
              VIEW_SIZES.map((size) => [
                size,
                { wcuP50: wcu(layout, size) ?? null, rcuP50: viewCost[layout][size]?.read.p50 ?? null },
              ]),
            ),
          ]),
        )
      : null,
    hotList: hot
      ? {
          bursts: Object.fromEntries(
            hot.bursts.map((b) => [
              b.writers,
              {
                acknowledgedShare: round(b.acknowledgedShare, 3),
                p50Ms: round(b.latencyMs.p50, 0),
                p99Ms: round(b.latencyMs.p99, 0),
                commitsPerSecond: round(b.commitsPerSecond, 0),
              },
            ]),
          ),
          sustainedCommitsPerSecond: round(hot.sustained.commitsPerSecond, 0),
          allAcknowledgedAt100: at100 ? at100.acknowledged === at100.requests : null,
          refusedAt200: at200 ? at200.requests - at200.acknowledged : null,
        }
      : null,
    graphqlPricingMs: gql
      ? {
          p50Max: gql.priceMsP50Max,
          cpuMax: gql.priceCpuMsMax,
          wallMax: gql.priceMsMax,
          routeP50Max: gql.routeMsP50Max,
        }
      : null,
    projectionCommitsPerSecond: proj
      ? Object.fromEntries(
          proj.workloads.map((w) => [
            w.name,
            Object.fromEntries(proj.factors.map((f) => [`factor${f}`, round(perSecond(w, f)?.p50 ?? Number.NaN, 0)])),
          ]),
        )
      : null,
  };
  return { markdown, summary };
};
