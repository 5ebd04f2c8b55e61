// Maps what went wrong to one stderr line and an exit code (DESIGN §6): user mistakes never show a stack.

export const EXIT = { ok: 0, gate: 1, usage: 2, interrupted: 130 } as const;

export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Write an error message on stderr, redacted: a message can repeat what the user typed or pasted,
 * and a paste given as a file name, a key given as an option or a rule author's regex can hold a key.
 * Redaction loads only here, on the way out, so a run that goes well never pays for it.
 */
export async function writeError(text: string): Promise<void> {
  const { redact } = await import('../input/redact.js');
  process.stderr.write(redact(text));
}

export async function fail(err: unknown): Promise<never> {
  // Matched by name so this module loads nothing else: it is on every command's path.
  const known = err instanceof UsageError || ['InputError', 'RuleFileError'].includes((err as Error)?.name);
  const message = err instanceof Error ? err.message : String(err);
  if (known) {
    await writeError(`claude-doctor: ${message}\n`);
  } else {
    await writeError(`claude-doctor: internal error: ${message} (please report it)\n`);
    if (process.env.CLAUDE_DOCTOR_DEBUG && err instanceof Error && err.stack) await writeError(`${err.stack}\n`);
  }
  process.exit(EXIT.usage);
}
