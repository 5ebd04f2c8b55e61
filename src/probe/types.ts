// The shape every live check reports (DESIGN §7): a fixed id, a status, what was seen, what to do.
export const CHECK_STATUSES = ['ok', 'warn', 'fail', 'skipped', 'error'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export interface CheckResult {
  id: 'config' | 'dns' | 'tls' | 'status-page' | 'api' | 'clock';
  title: string;
  /** `error` means the check itself could not run: "could not check", never "it is down". */
  status: CheckStatus;
  detail: string;
  fix?: string;
  /** Facts later checks and the verdict use. */
  data?: Record<string, unknown>;
}

export interface ProbeOptions {
  env: NodeJS.ProcessEnv;
  /** Statuspage base, e.g. https://status.claude.com */
  statusUrl: string;
  /** Send the credential to a non-Anthropic ANTHROPIC_BASE_URL (a gateway the user trusts). */
  allowBaseUrl: boolean;
  /** Per-check timeout, and the deadline for the whole probe. */
  timeoutMs: number;
  deadlineMs: number;
}

export interface Verdict {
  side: 'anthropic' | 'network' | 'credentials-or-limits' | 'all-clear' | 'unknown';
  summary: string;
  evidence: string[];
}

export interface ProbeReport {
  checks: CheckResult[];
  verdict: Verdict;
  exitCode: 0 | 1;
}
