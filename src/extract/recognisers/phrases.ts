// Anthropic's error messages quoted on their own, with no body around them: the wording is the evidence.
import { RANK, type Anchor } from '../anchor.js';
import { API_ERROR_TYPES } from '../status.js';

interface Phrase {
  re: RegExp;
  /** The API error type this wording belongs to; the status follows from it unless the text gives one. */
  type: string;
}

// Each phrase is Anthropic's own wording (reference §3, §5). A sentence runs to its quote or line end.
const TAIL = String.raw`[^"'\n\\]*`;
const PHRASES: Phrase[] = [
  { re: new RegExp(String.raw`Your credit balance is too low to access the (?:Anthropic|Claude) API` + TAIL, 'g'), type: 'invalid_request_error' },
  { re: /\bCredit balance (?:is )?too low[^"'\n\\]*/g, type: 'invalid_request_error' },
  { re: new RegExp(String.raw`prompt is too long: \d+ tokens (?:>|\\u003e) \d+ maximum` + TAIL, 'gi'), type: 'invalid_request_error' },
  { re: new RegExp(String.raw`input length and \W?max_tokens\W? exceed context limit: \d+ \+ \d+ > \d+` + TAIL, 'g'), type: 'invalid_request_error' },
  // Some clients print the apostrophe curly (`organization’s`); a narrow terminal may wrap the line
  // before `rate limit`.
  { re: new RegExp(String.raw`This request would exceed (?:your|the) (?:(?:organization|account)['’]s(?: rate limit|[ 	]*(?=
|$))|rate limit)` + TAIL, 'g'), type: 'rate_limit_error' },
  { re: new RegExp(String.raw`Number of request tokens has exceeded your (?:per-minute|daily) rate limit` + TAIL, 'g'), type: 'rate_limit_error' },
  { re: new RegExp(String.raw`\W?tool_use\W? ids were found without\s*\W?tool_result\W? blocks` + TAIL, 'g'), type: 'invalid_request_error' },
  { re: new RegExp(String.raw`unexpected \W?tool_use_id\W? found in \W?tool_result\W? blocks` + TAIL, 'g'), type: 'invalid_request_error' },
  { re: /roles must alternate between[^'\n\\]*/g, type: 'invalid_request_error' },
  { re: new RegExp(String.raw`(?:messages\.\d+(?:\.\w+)*:\s*)?Expected \W?thinking\W? or \W?redacted_thinking\W?, but found` + TAIL, 'g'), type: 'invalid_request_error' },
  { re: new RegExp(String.raw`(?:messages\.\d+(?:\.\w+)*:\s*)?When thinking is disabled, an \W?assistant\W? message in the final position cannot contain \W?thinking` + TAIL, 'g'), type: 'invalid_request_error' },
  { re: new RegExp(String.raw`(?:messages\.\d+(?:\.\w+)*:\s*)?Image does not match the provided media type` + TAIL, 'g'), type: 'invalid_request_error' },
  { re: /text content blocks must (?:be non-empty|contain non-whitespace text)/g, type: 'invalid_request_error' },
  { re: new RegExp(String.raw`image exceeds \d+ MB maximum: \d+ bytes > \d+ bytes` + TAIL, 'g'), type: 'invalid_request_error' },
  { re: new RegExp(String.raw`OAuth token has expired` + TAIL, 'g'), type: 'authentication_error' },
  { re: /\binvalid x-api-key\b/g, type: 'authentication_error' },
  // Claude Code's wording for the API's 32 MB cap, also printed by apps built on it.
  { re: /\bRequest too large \(max 32 ?MB\)[^"'\n\\]*/g, type: 'request_too_large' },
  { re: new RegExp(String.raw`You have reached your (?:specified )?(?:workspace )?API usage limits` + TAIL, 'g'), type: 'invalid_request_error' },
  { re: /\b529 Overloaded\b[^"'\n\\]*|Repeated 529 Overloaded errors|\b529 overloaded_error\b/g, type: 'overloaded_error' },
  // Clients' own words for it: `Anthropic's API servers are overloaded right now`, `Claude is currently overloaded`.
  { re: /\b(?:Anthropic|Claude)(?:'s)?(?: API)?(?: servers?)? (?:is|are) (?:currently )?overloaded\b[^"'\n\\]*/g, type: 'overloaded_error' },
];

// An API error type named in a wrapper's own words rather than in a body: `overloaded_error:
// Overloaded`, `404 Not Found (not_found_error) [trace req_…]: model: …`. Any API could use the more
// generic names, so the words around it must say whose error it is (weak).
const TYPE_NAMES = API_ERROR_TYPES.join('|');
// Or right after its status, in a sentence: `429 rate_limit_error 지속 발생`, `Repeated 529 overloaded_error responses`.
const NAMED_TYPE = new RegExp(
  String.raw`(?:\((${TYPE_NAMES})\)(?:\s*\[[^\]\n]*\])?|\b(${TYPE_NAMES})\b)\s*:\s*([^"'\n\\]*[^"'\n\\\s.])|\((${TYPE_NAMES})\)|\b([45]\d\d) (${TYPE_NAMES})\b`,
  'g',
);

// What NAMED_TYPE needs around a name: a colon or a closing bracket after it, or a status before
// it. Most blocks hold a type only as a JSON value, which this rules out for a fraction of NAMED_TYPE's cost.
const NAMED_TYPE_NEAR = new RegExp(String.raw`_(?:error|too_large)\s*[:)]| (?:${TYPE_NAMES})\b`);

/**
 * The phrases as one alternation per case rule, each phrase a group of its own: one scan of a
 * block finds them all and says which each is, where a scan for each cost as many scans. Anthropic's
 * sentences do not overlap, so no match hides another.
 */
function scanner(phrases: Phrase[]): { re: RegExp; phrases: Phrase[] } | undefined {
  for (const p of phrases) if (new RegExp(`${p.re.source}|`).exec('')!.length > 1) throw new Error(`${p.re.source}: a phrase cannot hold a group of its own`);
  if (phrases.length === 0) return undefined;
  const flags = phrases[0]!.re.ignoreCase ? 'gi' : 'g';
  return { re: new RegExp(phrases.map((p) => `(${p.re.source})`).join('|'), flags), phrases };
}

const SCANNERS = [scanner(PHRASES.filter((p) => !p.re.ignoreCase)), scanner(PHRASES.filter((p) => p.re.ignoreCase))].filter((x) => x !== undefined);

export function recognisePhrases(text: string): Anchor[] {
  const anchors: Anchor[] = [];
  if (NAMED_TYPE_NEAR.test(text)) namedTypes(text, anchors);
  for (let k = 0; k < SCANNERS.length; k++) {
    const { re, phrases } = SCANNERS[k]!;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      let i = 0;
      while (m[i + 1] === undefined) i++;
      anchors.push({
        start: m.index,
        end: m.index + m[0].length,
        rank: RANK.phrase,
        strength: 'strong',
        wantsStatus: true,
        fields: {
          message: m[0].trim(),
          type: phrases[i]!.type,
        },
      });
    }
  }
  return anchors;
}

function namedTypes(text: string, anchors: Anchor[]): void {
  NAMED_TYPE.lastIndex = 0;
  for (let m = NAMED_TYPE.exec(text); m; m = NAMED_TYPE.exec(text)) {
    const type = m[1] ?? m[2] ?? m[4] ?? m[6]!;
    anchors.push({
      start: m.index,
      end: m.index + m[0].length,
      rank: RANK.phrase,
      strength: 'weak',
      wantsStatus: true,
      fields: m[3] ? { type, message: m[3].trim() } : m[5] ? { type, status: Number(m[5]) } : { type },
    });
  }
}
