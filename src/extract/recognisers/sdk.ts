// Errors the SDKs and wrappers raise before or instead of an HTTP call: missing credentials,
// client construction failures, guards.
import { RANK, type Anchor } from '../anchor.js';
import { gateOf } from '../gate.js';

interface Form {
  re: RegExp;
  strong: boolean;
  /** The HTTP status the message states. */
  status?: (m: RegExpExecArray) => number;
}

const FORMS: Form[] = [
  // Anthropic's SDKs name their own pair of credentials; other Stainless SDKs name theirs.
  { re: /Could not resolve authentication method\. Expected (?:either|one of) (?:apiKey|api_key)(?:,| or) (?:authToken|auth_token)[^"\n]*/g, strong: true },
  { re: /Could not resolve authentication method[^"\n]*/g, strong: false },
  { re: /Missing Anthropic API Key[^"\n]*/gi, strong: true },
  // The AI SDK's Anthropic provider.
  { re: /Anthropic API key is missing[^"\n]*/g, strong: true },
  { re: /(?:The )?api_key client option must be set either by passing api_key to the client or by setting the ANTHROPIC_API_KEY environment variable/g, strong: true },
  { re: /ANTHROPIC_API_KEY (?:environment variable )?(?:is )?(?:not set|missing|required|empty)[^"\n]*/g, strong: true },
  // A client's own check (Continue: `You have an Anthropic model configured …, but the API key is not set.`).
  { re: /\b[Tt]he API key is not set\b[^"\n]*/g, strong: false },
  { re: /Streaming is (?:strongly recommended|required) for operations that may (?:take|last) longer than 10 minutes[^"\n]*/g, strong: true },
  { re: /unexpected keyword argument 'proxies'/g, strong: false },
  { re: /It looks like you're running in a browser-like environment[^"\n]*/g, strong: false },
  { re: /Cannot iterate over a consumed stream[^"\n]*/g, strong: false },
  // The TypeScript SDK's message for an error response without a body.
  { re: /\b([1-5]\d\d) status code \(no body\)/g, strong: false, status: (m) => Number(m[1]) },
];

const ANY = gateOf(FORMS.map((f) => f.re));

export function recogniseSdk(text: string): Anchor[] {
  if (!ANY.test(text)) return [];
  const anchors: Anchor[] = [];
  const taken: [number, number][] = [];
  for (let i = 0; i < FORMS.length; i++) {
    const form = FORMS[i]!;
    form.re.lastIndex = 0;
    for (let m = form.re.exec(text); m; m = form.re.exec(text)) {
      const start = m.index;
      if (taken.some(([s, e]) => start >= s && start < e)) continue;
      taken.push([start, start + m[0].length]);
      anchors.push({
        start,
        end: start + m[0].length,
        rank: RANK.sdk,
        strength: form.strong ? 'strong' : 'weak',
        fields: { message: m[0].replace(/["`]+$/, '').trim(), ...(form.status ? { status: form.status(m) } : {}) },
      });
    }
  }
  return anchors;
}
