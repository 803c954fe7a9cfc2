// The policy analyzer: replays a real audit sample through one or more policies (the one in force,
// the suggested one) in a single streaming pass, and reviews a policy for risky patterns.
//
// Size estimate. For each sample event, a policy decides a level and the omitted stages. An event
// that would not be logged costs 0. One logged at a lower level than the sample's costs its line
// minus the bodies that level drops (Metadata drops requestObject and responseObject, Request drops
// responseObject), and minus managedFields when the rule sets omitManagedFields. One logged at a
// higher level than the sample's is counted at its recorded size: a lower bound, flagged.
import { parse as parseYaml } from 'yaml';
import type { AuditEvent, AuditLevel } from './event';
import { attributesOf, describeRule, evaluatePolicy, parsePolicy, ruleMatches } from './policy';
import type { AuditPolicy, PolicyRule, RequestAttributes } from './policy';
import { NOISE, SUGGESTED_POLICY } from './suggested-policy';
import { lineDiff } from './diff';
import type { DiffLine } from './diff';

const RANK: Record<AuditLevel, number> = { None: 0, Metadata: 1, Request: 2, RequestResponse: 3 };

/** Byte costs of one sample event's parts, measured once and shared by every simulated policy. */
interface EventCost {
  request: number;
  response: number;
  requestManaged: number;
  responseManaged: number;
}

const jsonBytes = (v: unknown) => (v === undefined ? 0 : JSON.stringify(v).length);

function managedFieldsBytes(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  const o = v as { metadata?: { managedFields?: unknown }; items?: unknown };
  let n = o.metadata?.managedFields !== undefined ? jsonBytes(o.metadata.managedFields) + 17 : 0;
  if (Array.isArray(o.items)) for (const it of o.items) n += managedFieldsBytes(it);
  return n;
}

function cost(e: AuditEvent): EventCost {
  return {
    // `,"requestObject":` is 17 bytes, `,"responseObject":` 18.
    request: e.requestObject === undefined ? 0 : jsonBytes(e.requestObject) + 17,
    response: e.responseObject === undefined ? 0 : jsonBytes(e.responseObject) + 18,
    requestManaged: managedFieldsBytes(e.requestObject),
    responseManaged: managedFieldsBytes(e.responseObject),
  };
}

export interface RuleShare {
  index: number;
  description: string;
  level: AuditLevel;
  events: number;
  bytes: number;
  eventShare: number;
  byteShare: number;
}

export interface SimulationResult {
  events: number;
  bytes: number;
  bytesPerDay: number | null;
  rules: RuleShare[];
  /** Events no rule matched (the default level is None). */
  unmatched: { events: number; sampleBytes: number };
  /** Events this policy logs at a higher level than the sample has: their size is a lower bound. */
  lowerBoundEvents: number;
}

class PolicySimulation {
  private readonly perRule: Array<{ events: number; bytes: number }>;
  private unmatchedEvents = 0;
  private unmatchedBytes = 0;
  events = 0;
  bytes = 0;
  lowerBound = 0;

  constructor(readonly policy: AuditPolicy) {
    this.perRule = policy.rules.map(() => ({ events: 0, bytes: 0 }));
  }

  add(e: AuditEvent, bytes: number, a: RequestAttributes, getCost: () => EventCost): void {
    const d = evaluatePolicy(this.policy, a);
    if (d.rule < 0) { this.unmatchedEvents++; this.unmatchedBytes += bytes; return; }
    if (d.level === 'None' || d.omitStages.includes(e.stage)) return;
    let est = bytes;
    const target = RANK[d.level];
    const recorded = RANK[e.level];
    if (target > recorded) this.lowerBound++;
    else if (target < recorded || d.omitManagedFields) {
      const c = getCost();
      if (target < RANK.Request) est -= c.request;
      else if (d.omitManagedFields) est -= c.requestManaged;
      if (target < RANK.RequestResponse) est -= c.response;
      else if (d.omitManagedFields) est -= c.responseManaged;
      est += d.level.length - e.level.length; // the "level" value itself
      if (est < 0) est = 0;
    }
    this.events++;
    this.bytes += est;
    const r = this.perRule[d.rule]!;
    r.events++;
    r.bytes += est;
  }

  result(seconds: number): SimulationResult {
    return {
      events: this.events, bytes: this.bytes,
      bytesPerDay: seconds > 0 ? (this.bytes / seconds) * 86_400 : null,
      rules: this.policy.rules.map((rule, index) => ({
        index, description: describeRule(rule), level: rule.level,
        events: this.perRule[index]!.events, bytes: this.perRule[index]!.bytes,
        eventShare: this.events ? this.perRule[index]!.events / this.events : 0,
        byteShare: this.bytes ? this.perRule[index]!.bytes / this.bytes : 0,
      })),
      unmatched: { events: this.unmatchedEvents, sampleBytes: this.unmatchedBytes },
      lowerBoundEvents: this.lowerBound,
    };
  }
}

export type RiskSeverity = 'critical' | 'warning' | 'info';

export interface PolicyRisk {
  id: string;
  severity: RiskSeverity;
  title: string;
  detail: string;
  /** The rule concerned, when one is. */
  rule: number | null;
  /** What the sample says about it (events and bytes under the analyzed policy), when measurable. */
  sample: { events: number; bytes: number } | null;
}

export interface PolicyAnalysis {
  sample: { events: number; bytes: number; seconds: number; bytesPerDay: number | null };
  current: SimulationResult;
  /** The whole sample at one level for everything (RequestReceived kept), per level. */
  byLevel: Record<Exclude<AuditLevel, 'None'>, number>;
  risks: PolicyRisk[];
  suggested: SimulationResult & { yaml: string; savingBytes: number; savingBytesPerDay: number | null; savingRatio: number };
  diff: DiffLine[];
  notes: string[];
}

const isCatchAll = (r: PolicyRule) => r.users.length === 0 && r.userGroups.length === 0 && r.verbs.length === 0 && r.resources.length === 0 && r.namespaces.length === 0 && r.nonResourceURLs.length === 0;

const SENSITIVE: Array<{ group: string; resource: string; severity: RiskSeverity; why: string }> = [
  { group: '', resource: 'secrets', severity: 'critical', why: 'Secret data (base64 is not encryption) is written in clear to the log, and to anything that ships it' },
  { group: 'authentication.k8s.io', resource: 'tokenreviews', severity: 'critical', why: 'every TokenReview carries a bearer token in spec.token' },
  { group: '', resource: 'configmaps', severity: 'warning', why: 'ConfigMaps often hold credentials and are up to 1 MiB each; a LIST of them is logged whole' },
];

const probe = (group: string, resource: string, verb: string): RequestAttributes => ({
  user: 'system:serviceaccount:default:app', groups: ['system:serviceaccounts', 'system:authenticated'], verb,
  resourceRequest: true, apiGroup: group, resource, subresource: '', namespace: 'default', name: 'x', path: '',
});

/** Streaming policy analysis: add() every sample event, then result(). */
export class PolicyAnalyzer {
  private readonly current: PolicySimulation;
  private readonly suggested: PolicySimulation;
  private readonly noise: Array<{ rule: PolicyRule; events: number; bytes: number }>;
  private readonly levels = { Metadata: 0, Request: 0, RequestResponse: 0 };
  private events = 0;
  private bytes = 0;
  private firstMs = Number.POSITIVE_INFINITY;
  private lastMs = Number.NEGATIVE_INFINITY;
  private receivedEvents = 0;
  private receivedBytes = 0;
  private managedBytes = 0;
  private readonly suggestedText: string;

  constructor(readonly policy: AuditPolicy, readonly policyText: string, suggestedText = SUGGESTED_POLICY) {
    this.current = new PolicySimulation(policy);
    this.suggested = new PolicySimulation(parsePolicy(suggestedText));
    this.suggestedText = suggestedText;
    this.noise = NOISE.map((n) => ({ rule: parsePolicy(`apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- ${n.rule}\n`).rules[0]!, events: 0, bytes: 0 }));
  }

  add(e: AuditEvent, bytes: number): void {
    this.events++;
    this.bytes += bytes;
    const ms = e.stageUs / 1000;
    if (Number.isFinite(ms)) { this.firstMs = Math.min(this.firstMs, ms); this.lastMs = Math.max(this.lastMs, ms); }
    if (e.stage === 'RequestReceived') { this.receivedEvents++; this.receivedBytes += bytes; }
    const a = attributesOf(e);
    let c: EventCost | null = null;
    const getCost = () => (c ??= cost(e));
    this.current.add(e, bytes, a, getCost);
    this.suggested.add(e, bytes, a, getCost);
    for (const n of this.noise) if (ruleMatches(n.rule, a)) { n.events++; n.bytes += bytes; }
    const hasBodies = e.requestObject !== undefined || e.responseObject !== undefined;
    const k = hasBodies ? getCost() : null;
    const meta = k ? bytes - k.request - k.response : bytes;
    this.levels.Metadata += meta;
    this.levels.Request += k ? bytes - k.response : bytes;
    this.levels.RequestResponse += bytes;
    if (k) this.managedBytes += k.requestManaged + k.responseManaged;
  }

  result(): PolicyAnalysis {
    const seconds = Number.isFinite(this.firstMs) ? Math.max(0, (this.lastMs - this.firstMs) / 1000) : 0;
    const current = this.current.result(seconds);
    const sug = this.suggested.result(seconds);
    const saving = current.bytes - sug.bytes;
    const notes: string[] = [];
    if (seconds < 600) notes.push(`The sample covers ${seconds.toFixed(0)} s; per-day figures extrapolate it linearly.`);
    if (current.unmatched.events > 0) notes.push(`${current.unmatched.events} sample events match no rule of this policy (not logged under it): the sample was not recorded with this policy.`);
    if (sug.lowerBoundEvents > 0 || current.lowerBoundEvents > 0) notes.push(`Some events would be logged at a higher level than the sample has (${current.lowerBoundEvents} under this policy, ${sug.lowerBoundEvents} under the suggested one); their sizes are lower bounds.`);
    return {
      sample: { events: this.events, bytes: this.bytes, seconds, bytesPerDay: seconds > 0 ? (this.bytes / seconds) * 86_400 : null },
      current,
      byLevel: this.levels,
      risks: this.risks(current),
      suggested: {
        ...sug, yaml: this.suggestedText, savingBytes: saving,
        savingBytesPerDay: seconds > 0 ? (saving / seconds) * 86_400 : null,
        savingRatio: current.bytes > 0 ? saving / current.bytes : 0,
      },
      diff: lineDiff(this.policyText, this.suggestedText),
      notes,
    };
  }

  private risks(current: SimulationResult): PolicyRisk[] {
    const p = this.policy;
    const out: PolicyRisk[] = [];
    const share = (i: number) => ({ events: current.rules[i]!.events, bytes: current.rules[i]!.bytes });
    const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

    const first = p.rules.findIndex(isCatchAll);
    if (first >= 0 && first < p.rules.length - 1) {
      out.push({
        id: 'unreachable-rules', severity: 'warning', rule: first + 1, sample: null,
        title: `Rules ${first + 1}–${p.rules.length - 1} are never used`,
        detail: `Rule ${first} matches every request and rules are tried in order, so the rules after it never apply.`,
      });
    }
    p.rules.forEach((r, i) => {
      if (r.level !== 'RequestResponse') return;
      if (isCatchAll(r)) {
        out.push({
          id: 'catch-all-request-response', severity: 'critical', rule: i, sample: share(i),
          title: `Rule ${i} logs every request at RequestResponse`,
          detail: `Every request is written with its request and response bodies: each LIST response in full (megabytes on a large cluster), every Secret in clear, every watch. This is how audit logs fill a master's disk and starve etcd of I/O. In this sample the rule writes ${pct(current.rules[i]!.byteShare)} of the bytes.`,
        });
      } else if (r.resources.length === 0 && r.nonResourceURLs.length === 0) {
        out.push({
          id: 'broad-request-response', severity: 'warning', rule: i, sample: share(i),
          title: `Rule ${i} logs all resources at RequestResponse for ${describeRule(r).replace(/^RequestResponse: /, '')}`,
          detail: 'Without a resources filter, this rule logs response bodies of every resource, LIST responses and Secrets included.',
        });
      }
    });

    const logsReceived = !p.omitStages.includes('RequestReceived') && p.rules.some((r) => r.level !== 'None' && !r.omitStages.includes('RequestReceived'));
    if (logsReceived) {
      out.push({
        id: 'request-received-logged', severity: 'warning', rule: null, sample: { events: this.receivedEvents, bytes: this.receivedBytes },
        title: 'The RequestReceived stage is logged',
        detail: `Without omitStages: [RequestReceived], each request is logged twice (when received and when complete), and the first event only repeats the second's metadata. In this sample RequestReceived is ${this.events ? pct(this.receivedEvents / this.events) : '0 %'} of the events. Add it to the policy-level omitStages.`,
      });
    }

    for (const s of SENSITIVE) {
      for (const verb of ['get', 'list', 'create', 'update', 'patch']) {
        const d = evaluatePolicy(p, probe(s.group, s.resource, verb));
        if (RANK[d.level] >= RANK.Request) {
          const g = s.group === '' ? 'core' : s.group;
          out.push({
            id: `bodies-${s.resource}`, severity: s.severity, rule: d.rule, sample: null,
            title: `${g}/${s.resource} are logged at ${d.level} (rule ${d.rule}, verb ${verb})`,
            detail: `${s.why}. Log ${s.resource} at Metadata: who did what and when, without the bodies.`,
          });
          break;
        }
      }
    }

    const kept = NOISE.map((n, i) => ({ n, counted: this.noise[i]!, d: evaluatePolicy(p, n.probe) })).filter((x) => x.d.level !== 'None');
    if (kept.length > 0) {
      const ev = kept.reduce((s, x) => s + x.counted.events, 0);
      const by = kept.reduce((s, x) => s + x.counted.bytes, 0);
      out.push({
        id: 'noise-not-dropped', severity: kept.length >= 4 ? 'warning' : 'info', rule: null, sample: { events: ev, bytes: by },
        title: `${kept.length} kinds of high-volume, low-value requests are logged`,
        detail: `The upstream example policy drops these with level None: ${kept.map((x) => `${x.n.title} (now ${x.d.level}${x.counted.events ? `; ${x.counted.events} events in this sample` : ''})`).join('; ')}. For example: ${kept[0]!.n.rule}.`,
      });
    }

    const bodies = p.rules.some((r) => RANK[r.level] >= RANK.Request && (r.omitManagedFields ?? p.omitManagedFields) === false);
    if (bodies && this.managedBytes > 0) {
      out.push({
        id: 'managed-fields', severity: 'info', rule: null, sample: { events: 0, bytes: this.managedBytes },
        title: 'managedFields are logged in request and response bodies',
        detail: `metadata.managedFields is bookkeeping for server-side apply and rarely matters in an investigation. It is ${this.bytes ? pct(this.managedBytes / this.bytes) : '0 %'} of this sample's bytes. Set omitManagedFields: true if your apiserver's Policy API has it (recent audit.k8s.io/v1).`,
      });
    }
    const order: Record<RiskSeverity, number> = { critical: 0, warning: 1, info: 2 };
    return out.sort((a, b) => order[a.severity] - order[b.severity]);
  }
}

/** Parses the policy text and returns an analyzer (throws PolicyError on a bad policy). */
export function policyAnalyzer(text: string): PolicyAnalyzer {
  return new PolicyAnalyzer(parsePolicy(text), text);
}

/** Is this YAML an audit Policy at all (for upload zones that take logs and policies)? */
export function looksLikePolicy(text: string): boolean {
  try {
    const d = parseYaml(text.slice(0, 200_000)) as { kind?: unknown } | null;
    return typeof d === 'object' && d !== null && d.kind === 'Policy';
  } catch {
    return false;
  }
}
