// Claude Code's own lines: `API Error: …`, the retry ladder, subscription limits, its output cap.
import { RANK, type Anchor } from '../anchor.js';
import { typeOfMessage } from '../status.js';

// `API Error: 529 Overloaded…`, `API Error (Request timed out.) · Retrying…`, `API Error: Unable to connect…`.
// Gemini CLI prints `[API Error: …` with a bracket; that is not Claude Code.
const API_ERROR = /(?<!\[)\bAPI Error(?::\s*|\s*\()(?:(\d{3})\b\s*)?([^\n]*)/g;
const USAGE_LIMIT =
  /(?:Claude AI usage limit reached(?:\|\d{9,})?|Claude usage limit reached[^\n"]*|\b\d+-hour limit reached[^\n"]*|You've hit your (?:\w+ )?limit[^\n"]*)/g;
const OUTPUT_CAP = /Claude's response exceeded the \d+ output token maximum[^\n"]*/g;
const UNABLE = /Unable to connect to (?:API|Anthropic services)(?: \((\w+)\)|:\s*([^\n"`]*))?|Failed to connect to api\.anthropic\.com:\s*(\w+)/g;
const MODEL_ISSUE = /There's an issue with the selected model \([^)\n]*\)[^\n"]*/g;
const CONTEXT_FULL = /Error during compaction:\s*(?:Error:\s*)?[^\n"]*|\bConversation too long\b[^\n"]*/g;
const LOGIN = /(?:Invalid API key|Missing API key|Not logged in|OAuth token has expired[^·\n]*) · (?:Please run|Run) \/login/g;

const CLAUDE_CODE_WORDING =
  /^(?:Request timed out|Connection error|Operation aborted|Request was aborted|Unable to connect to|Claude's response exceeded|Repeated \d{3}|Server is temporarily limiting|Request rejected|Rate limited|Prompt is too long|Credit balance|Invalid API key|Missing API key|Not logged in|OAuth token|This organization|Your organization|There's an issue with the selected model|Connection closed mid-response|Overloaded$)/;

const OWN_LINES = [USAGE_LIMIT, OUTPUT_CAP, LOGIN, MODEL_ISSUE, CONTEXT_FULL];

function clean(s: string): string {
  return s
    .replace(/\s*·\s*Retrying in[\s\S]*$/, '')
    .replace(/\)\s*$/, '')
    .replace(/[`"'\s]+$/, '')
    .trim();
}

export function recogniseClaudeCode(text: string): Anchor[] {
  const anchors: Anchor[] = [];
  const push = (start: number, end: number, fields: Anchor['fields'], strength: Anchor['strength'] = 'strong') =>
    anchors.push({ start, end, rank: RANK.claudeCode, strength, fields: { client: 'claude-code', ...fields } });

  if (text.includes('API Error')) {
    API_ERROR.lastIndex = 0;
    for (let m = API_ERROR.exec(text); m; m = API_ERROR.exec(text)) {
      const rest = m[2] ?? '';
      // A JSON body after the status is the body recogniser's; here only the plain-text forms.
      if (/^\s*(?:[{[]|\\*["']?\{|$)/.test(rest)) {
        // The body (here or on the next line) is the body recogniser's; this only says who printed it.
        anchors.push({
          start: m.index,
          end: m.index + m[0].length - rest.length,
          rank: RANK.enrich,
          strength: 'enrich',
          fields: { client: 'claude-code', ...(m[1] ? { status: Number(m[1]) } : {}) },
        });
        continue;
      }
      const message = clean(rest);
      if (!m[1] && !message) continue;
      // Other CLIs print `API Error: …` too; only a status or Claude Code's own wording proves it.
      const own = m[1] !== undefined || CLAUDE_CODE_WORDING.test(message) || m[0].includes('· Retrying in');
      // `Request rejected (429) · …` carries its status in parentheses.
      const status = m[1] ?? /\(([45]\d\d)\)/.exec(message)?.[1];
      push(
        m.index,
        m.index + m[0].length,
        { ...(status ? { status: Number(status) } : {}), ...(message ? { message } : {}), ...(typeOfMessage(message) ? { type: typeOfMessage(message) } : {}) },
        own ? 'strong' : 'weak',
      );
    }
  }
  for (let i = 0; i < OWN_LINES.length; i++) {
    const re = OWN_LINES[i]!;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      push(m.index, m.index + m[0].length, {
        message: m[0].trim(),
        ...(re === MODEL_ISSUE || re === CONTEXT_FULL ? {} : { platform: 'claude-code' as const }),
        ...(re === USAGE_LIMIT ? { status: 429 } : re === LOGIN && !/Not logged/.test(m[0]) ? { status: 401 } : re === MODEL_ISSUE ? { status: 404 } : {}),
      });
    }
  }
  UNABLE.lastIndex = 0;
  for (let m = UNABLE.exec(text); m; m = UNABLE.exec(text)) {
    const code = m[1] ?? m[3];
    push(m.index, m.index + m[0].length, {
      message: m[0].trim(),
      ...(code && /^[A-Z_]+$/.test(code) ? { code } : {}),
    });
  }
  return anchors;
}
