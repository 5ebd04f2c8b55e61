// The Python retry snippets in rules/snippets/ are real programs. The `anthropic` package is not
// installed here, so they cannot run; instead each must compile (py_compile only compiles, so a
// missing `anthropic` does not matter), look like a whole program, import only the standard
// library and `anthropic`, and use only names the real SDK exports at its top level.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const SNIPPETS = join(ROOT, 'rules', 'snippets');
const IDS = readdirSync(SNIPPETS)
  .filter((f) => f.endsWith('.py'))
  .map((f) => f.slice(0, -3))
  .sort();

/** Snippet ids the rules and the TypeScript set rely on; each needs a Python version too. */
const EXPECTED = ['batch-bulk', 'count-tokens-first', 'fail-fast-config', 'rate-limit-wait', 'stream-restart', 'transient-backoff'];

/**
 * Every name `anthropic/__init__.py` exports, copied from anthropics/anthropic-sdk-python
 * src/anthropic/__init__.py (`__all__` plus the explicit `X as X` re-exports). Deliberately
 * absent: `OverloadedError`, `ServiceUnavailableError`, `DeadlineExceededError` and
 * `RequestTooLargeError`: they live in `anthropic._exceptions` and are not exported from the
 * package in every version, so snippets test `status_code` instead of using them.
 */
const SDK_EXPORTS = [
  'types',
  '__version__',
  '__title__',
  'NoneType',
  'Transport',
  'ProxiesTypes',
  'NotGiven',
  'NOT_GIVEN',
  'not_given',
  'Omit',
  'omit',
  'AnthropicError',
  'APIError',
  'APIStatusError',
  'APITimeoutError',
  'APIConnectionError',
  'APIResponseValidationError',
  'BadRequestError',
  'AuthenticationError',
  'PermissionDeniedError',
  'NotFoundError',
  'ConflictError',
  'UnprocessableEntityError',
  'RateLimitError',
  'InternalServerError',
  'Timeout',
  'RequestOptions',
  'Client',
  'AsyncClient',
  'Stream',
  'AsyncStream',
  'Anthropic',
  'AsyncAnthropic',
  'file_from_path',
  'BaseModel',
  'APIResponse',
  'AsyncAPIResponse',
  'DEFAULT_TIMEOUT',
  'DEFAULT_MAX_RETRIES',
  'DEFAULT_CONNECTION_LIMITS',
  'DefaultHttpxClient',
  'DefaultAsyncHttpxClient',
  'DefaultAioHttpClient',
  'HUMAN_PROMPT',
  'AI_PROMPT',
  'beta_tool',
  'beta_async_tool',
];

/**
 * Reads one snippet and reports, as JSON: the names it uses from `anthropic` (as `anthropic.X`
 * or `from anthropic import X`), any other way of importing anthropic, top-level modules it
 * imports that are neither the standard library nor anthropic, and a syntax error under the
 * Python 3.9 grammar (best effort: ast's feature_version).
 */
const INSPECT = String.raw`
import ast, json, sys
path = sys.argv[1]
src = open(path, encoding="utf-8").read()
tree = ast.parse(src, filename=path)
used, problems, foreign = set(), [], set()
stdlib = getattr(sys, "stdlib_module_names", None)
for node in ast.walk(tree):
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "anthropic":
        used.add(node.attr)
    elif isinstance(node, ast.Import):
        for alias in node.names:
            top = alias.name.split(".")[0]
            if top == "anthropic" and (alias.name != "anthropic" or alias.asname):
                problems.append("line %d: use plain 'import anthropic', not %r" % (node.lineno, ast.unparse(node)))
            elif top != "anthropic" and stdlib is not None and top not in stdlib:
                foreign.add(top)
    elif isinstance(node, ast.ImportFrom):
        top = (node.module or "").split(".")[0]
        if node.level == 0 and top == "anthropic":
            if node.module != "anthropic":
                problems.append("line %d: imports a private SDK module: %s" % (node.lineno, node.module))
            used.update(a.name for a in node.names)
        elif node.level == 0 and stdlib is not None and top not in stdlib and top != "__future__":
            foreign.add(top)
py39 = None
try:
    ast.parse(src, filename=path, feature_version=(3, 9))
except SyntaxError as e:
    py39 = "line %s: %s" % (e.lineno, e.msg)
print(json.dumps({"used": sorted(used), "problems": problems, "foreign": sorted(foreign), "py39": py39}))
`;

let tmp = '';
let inspector = '';

/** Run python3; a missing interpreter is a test failure with a message that says so. */
function python(args: string[], extraEnv: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('python3', args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PYTHONPYCACHEPREFIX: join(tmp, 'pycache'), ...extraEnv },
  });
  if (r.error) {
    throw new Error(
      `cannot run python3 (${r.error.message}): the Python snippet checks need a python3 (3.9+) on PATH; install it, CI machines have it`,
    );
  }
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'claude-doctor-snippets-py-'));
  inspector = join(tmp, 'inspect_snippet.py');
  writeFileSync(inspector, INSPECT);
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('Python retry snippets', () => {
  it('python3 is available', () => {
    const r = python(['--version']);
    expect(r.status, `python3 --version failed:\n${r.stderr}`).toBe(0);
  });

  it('has a Python version of every snippet id', () => {
    for (const id of EXPECTED) expect(IDS, `rules/snippets/${id}.py is missing`).toContain(id);
  });

  describe.each(IDS)('%s.py', (id) => {
    const file = join(SNIPPETS, `${id}.py`);
    const code = readFileSync(file, 'utf8');

    it('compiles with py_compile', () => {
      const r = python(['-m', 'py_compile', file]);
      expect(r.status, `python3 -m py_compile rules/snippets/${id}.py failed:\n${r.stderr}${r.stdout}`).toBe(0);
    });

    it('is a whole program: a title comment, a MODEL constant and sys.exit', () => {
      const first = code.split('\n', 1)[0] ?? '';
      expect(first, 'the first line must be a "# <title>" comment: it is the title users see').toMatch(/^# \S.{9,}$/);
      expect(code, 'defines the model in one constant, MODEL = "claude-…"').toMatch(/^MODEL = "claude-[a-z0-9.-]+"$/m);
      expect(code, 'exits with sys.exit(0) on success').toContain('sys.exit(0)');
      expect(code, 'exits with sys.exit(1) when it gives up').toContain('sys.exit(1)');
      expect(code).toMatch(/^import anthropic$/m);
      expect(code, 'builds its client from the environment').toMatch(/anthropic\.Anthropic\(/);
      expect(code, 'reports giving up on stderr').toContain('file=sys.stderr');
    });

    it('uses only names the anthropic package exports, and only the standard library besides', () => {
      const r = python([inspector, file]);
      expect(r.status, `inspecting ${id}.py failed:\n${r.stderr}`).toBe(0);
      const report = JSON.parse(r.stdout) as { used: string[]; problems: string[]; foreign: string[]; py39: string | null };
      const unknown = report.used.filter((n) => !SDK_EXPORTS.includes(n));
      expect(unknown, `anthropic.<name> not exported by the SDK in ${id}.py`).toEqual([]);
      expect(report.problems).toEqual([]);
      expect(report.foreign, `imports beyond the standard library and anthropic in ${id}.py`).toEqual([]);
      expect(report.py39, `${id}.py is not valid Python 3.9 syntax`).toBeNull();
    });
  });
});
