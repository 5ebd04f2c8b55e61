// Groups matched events into findings: one per rule, one per kind of unrecognised error.
import type { ErrorEvent, Finding, Occurrence } from '../types.js';
import { Matcher, type CompiledRule } from './compile.js';
import type { Rule } from './schema.js';
import { render, templateValues, unresolved } from './template.js';

/** Occurrences kept per finding; the count goes on past it, so memory stays flat on huge logs. */
export const MAX_OCCURRENCES = 1000;

const ERRORS_DOC = 'https://platform.claude.com/docs/en/api/errors';

/**
 * What a collector gathered, as plain data: a worker thread that read the second half of a file
 * posts it back, and the first half's collector merges it (see merge()).
 */
export interface Collected {
  /** Finding by group key, in the order first seen. */
  groups: [key: string, finding: Finding][];
  /** Keys of the groups whose first error arrived mid-stream. */
  streamed: string[];
  /** Placeholders each group's finding could not fill, by key. */
  gaps: [key: string, placeholders: string[]][];
  events: number;
  recognisedEvents: number;
}

/**
 * A copy of a string that shares no memory with the text it was cut from. An excerpt sliced out of
 * a 1 MB chunk of input would otherwise keep the whole chunk alive for as long as the report.
 */
function own(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

function occurrence(e: ErrorEvent): Occurrence {
  return {
    source: e.source,
    line: e.line,
    endLine: e.endLine,
    ...(e.requestId ? { requestId: own(e.requestId) } : {}),
    ...(e.timestamp ? { timestamp: own(e.timestamp) } : {}),
    ...(e.customId ? { customId: own(e.customId) } : {}),
    excerpt: own(e.text),
  };
}

function eventFacts(e: ErrorEvent): Pick<Finding, 'status' | 'type' | 'message' | 'errorCode' | 'errorClass' | 'errno' | 'platform' | 'client'> {
  return {
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(e.type ? { type: e.type } : {}),
    ...(e.message ? { message: e.message } : {}),
    ...(e.errorCode ? { errorCode: e.errorCode } : {}),
    ...(e.errorClass ? { errorClass: e.errorClass } : {}),
    ...(e.code ? { errno: e.code } : {}),
    platform: e.platform,
    ...(e.client ? { client: e.client } : {}),
  };
}

function recognised(rule: Rule, e: ErrorEvent, vars: Readonly<Record<string, string>>, gaps: string[]): Finding {
  const values = templateValues(e, vars);
  for (const t of [rule.title, rule.cause, ...rule.fix]) gaps.push(...unresolved(t, values));
  return {
    rule: rule.id,
    recognised: true,
    title: render(rule.title, values),
    category: rule.category,
    ...eventFacts(e),
    retryable: rule.retry === 'backoff' || rule.retry === 'after-header',
    retry: rule.retry,
    count: 0,
    occurrences: [],
    cause: render(rule.cause, values),
    fix: rule.fix.map((f) => render(f, values)),
    docs: rule.docs,
    code: [],
  };
}

function unrecognised(e: ErrorEvent): Finding {
  const what = [e.status, e.type ?? e.errorClass ?? e.code].filter((x) => x !== undefined).join(' ');
  return {
    rule: null,
    recognised: false,
    title: `No rule explains this Claude API error${what ? ` (${what})` : ''}`,
    category: null,
    ...eventFacts(e),
    retryable: null,
    retry: null,
    count: 0,
    occurrences: [],
    cause: `claude-doctor has no rule for this error yet${e.message ? `; the API said: "${e.message}"` : ''}.`,
    fix: [
      'Read the message and the excerpt above; the status and error type say whose side it is on (5xx: Anthropic, 4xx: the request or account).',
      'If it keeps happening, contact Anthropic support and quote the request id.',
      'Teach claude-doctor: add a rule file with this text as a `match` example (`claude-doctor rules test` checks it).',
    ],
    docs: [ERRORS_DOC],
    code: [],
  };
}

export class FindingCollector {
  private groups = new Map<string, Finding>();
  private gaps = new Map<string, string[]>();
  /** Findings whose first error arrived mid-stream (an SSE error after HTTP 200). */
  readonly streamed = new Set<Finding>();
  events = 0;
  recognisedEvents = 0;

  private readonly matcher: Matcher;
  /** Each rule's group key, made once: a log dense with errors made one for every event. */
  private readonly ruleKeys = new Map<string, string>();

  constructor(rules: CompiledRule[]) {
    this.matcher = new Matcher(rules);
  }

  /** Match one event and file it under its finding; returns the finding it joined. */
  add(e: ErrorEvent): Finding {
    this.events++;
    const match = this.matcher.match(e);
    const key = match ? this.ruleKey(match.rule.id) : `?:${e.status ?? ''}|${e.type ?? ''}|${e.errorClass ?? ''}|${e.code ?? ''}`;
    let f = this.groups.get(key);
    if (!f) {
      const gaps: string[] = [];
      f = match ? recognised(match.rule, e, match.vars, gaps) : unrecognised(e);
      this.groups.set(key, f);
      if (gaps.length > 0) this.gaps.set(key, gaps);
      if (e.stream) this.streamed.add(f);
    }
    if (match) this.recognisedEvents++;
    f.count++;
    if (f.occurrences.length < MAX_OCCURRENCES) f.occurrences.push(occurrence(e));
    return f;
  }

  private ruleKey(id: string): string {
    let key = this.ruleKeys.get(id);
    if (key === undefined) this.ruleKeys.set(id, (key = `rule:${id}`));
    return key;
  }

  /** Template placeholders that rendered findings could not fill (a rule bug `rules test` reports). */
  unresolved(): string[] {
    return [...new Set([...this.gaps.values()].flat())];
  }

  findings(): Finding[] {
    return [...this.groups.values()];
  }

  collected(): Collected {
    const groups = [...this.groups];
    return {
      groups,
      streamed: groups.filter(([, f]) => this.streamed.has(f)).map(([key]) => key),
      gaps: [...this.gaps],
      events: this.events,
      recognisedEvents: this.recognisedEvents,
    };
  }

  /**
   * Take in what another collector gathered from the rest of the same input, whose lines start
   * `lineOffset` lines further down: the result is the one this collector would have reached by
   * reading on. A finding is made from its group's first event, so an earlier one stands.
   */
  merge(later: Collected, lineOffset: number): void {
    const streamed = new Set(later.streamed);
    const gaps = new Map(later.gaps);
    for (const [key, f] of later.groups) {
      for (const o of f.occurrences) {
        o.line += lineOffset;
        o.endLine += lineOffset;
      }
      const mine = this.groups.get(key);
      if (!mine) {
        this.groups.set(key, f);
        if (streamed.has(key)) this.streamed.add(f);
        if (gaps.has(key)) this.gaps.set(key, gaps.get(key)!);
        continue;
      }
      mine.count += f.count;
      for (const o of f.occurrences.slice(0, MAX_OCCURRENCES - mine.occurrences.length)) mine.occurrences.push(o);
    }
    this.events += later.events;
    this.recognisedEvents += later.recognisedEvents;
  }
}
