// API error bodies in any quoting: JSON (one line, pretty, escaped inside JSON), Python dict reprs,
// unquoted reprs, truncated or malformed pastes. One anchor per error `type` found.
import { RANK, type Anchor, type AnchorFields } from '../anchor.js';
import { findKeys, joinIdentifier, readValue, squeeze, type KeyHit } from '../values.js';

/** Values of `type` that name an error category rather than a content block. */
const ERRORISH = /^(?:[a-z_]+_error|request_too_large|forbidden|invalid_params|[A-Z][A-Z_]+)$/;
const CONTENT_TYPES = new Set(['text', 'image', 'document', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking', 'message', 'error']);
// The type key sits inside an `error` object: `"error": {"type": ...` or `'error': {'code': ..., 'type': ...`.
const IN_ERROR_OBJECT = /error\\*["']?\s*:?\s*\{[^{}]{0,80}$/i;

const IDENTIFIER = /^[A-Za-z_][\w.-]*$/;
const SEARCH = 3000;
const ERROR_KEY_BEFORE = /error\\*["']?\s*:\s*$/;

/** The `{` that encloses `pos`, counting braces backwards (within a bounded distance), or -1. */
function enclosingBrace(text: string, pos: number, limit = 4000): number {
  let depth = 0;
  for (let i = pos - 1; i >= 0 && pos - i <= limit; i--) {
    const c = text.charCodeAt(i);
    if (c === 125) depth++;
    else if (c === 123) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

function typeValue(text: string, hit: KeyHit): { value: string; end: number } | undefined {
  const read = readValue(text, hit.valueStart);
  if (!read) return undefined;
  const value = read.quoted ? joinIdentifier(read.value) : (read.value.split(/\s/)[0] ?? '');
  return { value, end: read.end };
}

/** A text value, squeezed (none for an empty one, `None` or `null`), and where it ends. */
function textValue(text: string, hit: KeyHit): { value: string | undefined; end: number } | undefined {
  const read = readValue(text, hit.valueStart);
  if (!read) return undefined;
  const v = squeeze(read.value);
  return { value: v && v !== 'None' && v !== 'null' ? v : undefined, end: read.end };
}

export function recogniseBodies(text: string): Anchor[] {
  if (!/type/.test(text)) return [];
  const keys = findKeys(text);
  const typeHits: { hit: KeyHit; value: string; end: number }[] = [];
  for (const hit of keys) {
    if (hit.key !== 'type') continue;
    const tv = typeValue(text, hit);
    // An error type is an identifier: a `{` or a quote read as a value is garbage before a real body.
    if (!tv || !IDENTIFIER.test(tv.value)) continue;
    if (CONTENT_TYPES.has(tv.value)) continue;
    const inError = IN_ERROR_OBJECT.test(text.slice(Math.max(0, hit.start - 120), hit.start));
    if (!inError && !ERRORISH.test(tv.value)) continue;
    if (!inError && /^[A-Z]/.test(tv.value)) continue; // shouty words outside an error object are not types
    typeHits.push({ hit, value: tv.value, end: tv.end });
  }

  // Plain loops and property sets: this runs for nearly every error in a log.
  const anchors: Anchor[] = [];
  for (let i = 0; i < typeHits.length; i++) {
    const th = typeHits[i]!;
    const prevEnd = i > 0 ? typeHits[i - 1]!.end : 0;
    const nextStart = i + 1 < typeHits.length ? typeHits[i + 1]!.hit.start : text.length;
    const at = th.hit.start;
    const until = Math.min(nextStart, at + SEARCH);
    const from = Math.max(prevEnd, at - SEARCH);
    const messageHit = nearestKey(keys, 'message', at, from, until);
    const messageRead = messageHit ? textValue(text, messageHit) : undefined;
    const message = messageRead?.value;
    const requestHit = nearestKey(keys, 'request_id', at, from, until);
    const requestRead = requestHit ? textValue(text, requestHit) : undefined;
    const requestId = requestRead?.value;
    const codeHit = keyAfter(keys, 'error_code', at, until);
    const customHit = nearestKey(keys, 'custom_id', at, from, until);
    const customId = customHit ? textValue(text, customHit)?.value : undefined;
    const errorCode = codeHit ? typeValue(text, codeHit)?.value : undefined;

    // The anchor covers the enclosing body: from the brace that encloses the type key (and, for
    // `{"type":"error","error":{"type":…`, the envelope around it) to the end of its message, so a
    // wrapper around the same body overlaps it and merges, while a neighbouring error does not.
    let open = enclosingBrace(text, th.hit.start);
    for (let hops = 0; hops < 2 && open > 0 && ERROR_KEY_BEFORE.test(text.slice(Math.max(0, open - 40), open)); hops++) {
      const outer = enclosingBrace(text, open);
      if (outer < 0) break;
      open = outer;
    }
    const start = open >= 0 ? open : th.hit.start;
    // The body ends with its message or request id; one found before it (a `request-id` header)
    // names it, but does not widen it.
    let end = th.end;
    if (messageRead && messageHit!.start >= start) end = Math.max(end, messageRead.end);
    if (requestRead && requestHit!.start >= start) end = Math.max(end, requestRead.end);

    const fields: AnchorFields = { type: th.value };
    if (message) fields.message = message;
    if (requestId) fields.requestId = joinIdentifier(requestId);
    if (errorCode) fields.errorCode = errorCode;
    if (customId) fields.customId = customId;
    // A bare `{"type": "invalid_request_error"}` is also OpenAI's shape; the envelope or other
    // Anthropic evidence is judged by the caller on the anchor's own text.
    anchors.push({ start, end, rank: RANK.body, strength: 'weak', wantsStatus: true, fields });
  }
  return anchors;
}

/** The first such key after the type key at `at` (before `until`), else the nearest before it (from `from`). */
function nearestKey(keys: KeyHit[], key: string, at: number, from: number, until: number): KeyHit | undefined {
  return keyAfter(keys, key, at, until) ?? keyBefore(keys, key, at, from);
}

function keyAfter(keys: KeyHit[], key: string, at: number, until: number): KeyHit | undefined {
  for (const k of keys) if (k.key === key && k.start > at && k.start < until) return k;
  return undefined;
}

function keyBefore(keys: KeyHit[], key: string, at: number, from: number): KeyHit | undefined {
  for (let j = keys.length - 1; j >= 0; j--) {
    const k = keys[j]!;
    if (k.key === key && k.start < at && k.start >= from) return k;
  }
  return undefined;
}
