// The unit a recogniser reports: where in a block an error is stated, and what it says.
import type { ErrorEvent } from '../types.js';

export type AnchorFields = Partial<
  Pick<ErrorEvent, 'status' | 'type' | 'message' | 'errorCode' | 'errorClass' | 'code' | 'platform' | 'client' | 'stream' | 'requestId' | 'headers' | 'customId' | 'batchResult'>
>;

export interface Anchor {
  /** Span of block text this anchor accounts for; overlapping anchors describe one error. */
  start: number;
  end: number;
  /** Which anchor's fields win when two overlap: an API body beats a wrapper beats a bare phrase. */
  rank: number;
  /**
   * `strong`: the anchor alone shows this is a Claude error. `weak`: the same words come from any
   * HTTP client (`Connection error.`, `ECONNRESET`), so it needs Claude context nearby.
   * `enrich`: adds facts (exception class, SSE marker) to the nearest real anchor; never an event alone.
   */
  strength: 'strong' | 'weak' | 'enrich';
  /** Looking back for an HTTP status prefix (`Error code: 529 - `) makes sense for this anchor. */
  wantsStatus?: boolean;
  /** An `enrich` anchor with no error beside it becomes an event of its own. */
  promote?: boolean;
  fields: AnchorFields;
}

export const RANK = {
  body: 50,
  wrapper: 40,
  platform: 35,
  claudeCode: 30,
  phrase: 20,
  sdk: 15,
  transport: 10,
  enrich: 0,
} as const;

export type Recogniser = (text: string) => Anchor[];
