// Maps what went wrong to one stderr line and an exit code (DESIGN §6): user mistakes never show a stack.

export const EXIT = { ok: 0, gate: 1, usage: 2, interrupted: 130 } as const;

export class UsageError extends Error {
  override name = 'UsageError';
}

export function fail(err: unknown): never {
  // Matched by name so this module loads nothing else: it is on every command's path.
  const known = err instanceof UsageError || ['InputError', 'RuleFileError'].includes((err as Error)?.name);
  const message = err instanceof Error ? err.message : String(err);
  if (known) {
    process.stderr.write(`claude-doctor: ${message}\n`);
  } else {
    process.stderr.write(`claude-doctor: internal error: ${message} (please report it)\n`);
    if (process.env.CLAUDE_DOCTOR_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  }
  process.exit(EXIT.usage);
}
