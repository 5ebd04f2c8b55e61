// LiteLLM's wrapper: `litellm.BadRequestError: BedrockException - {"message": "…"}`. The provider
// exception names where the call went; the body after it may hold no Anthropic envelope at all.
import { RANK, type Anchor } from '../anchor.js';
import { typeOfMessage } from '../status.js';
import { messageAt } from '../values.js';

// LiteLLM's advice appended to every message: `Handle with \`litellm.InternalServerError\`.`
const ADVICE = /\.?\s*Handle with `litellm\.\w+`\.?.*$/;

/**
 * Whether `text` holds what every form of WRAPPER does, an `…Exception` or a provider's `…Error`:
 * looks cheaper than WRAPPER for the blocks (most) with neither. An error's text holds an `Error`
 * or two, each looked behind.
 */
function mentions(text: string): boolean {
  if (text.includes('Exception')) return true;
  for (let at = text.indexOf('Error'); at !== -1; at = text.indexOf('Error', at + 5)) {
    if (text.startsWith('Anthropic', at - 9) || text.startsWith('Bedrock', at - 7) || text.startsWith('VertexAI', at - 8)) return true;
  }
  return false;
}

// Newer versions name an error class of the provider module: `AnthropicError - {…}`, or in a
// traceback `litellm.llms.anthropic.common_utils.AnthropicError: Overloaded` (the TS SDK's own
// `AnthropicError:` is not LiteLLM's, so the colon form needs the module path).
const WRAPPER =
  /\b(?:(Anthropic|Bedrock|Vertex_?[Aa][Ii]|VertexAI)(?:Exception\b(?:\s+\w+Error)?|Error)\s*-|litellm\.[\w.]*?\.(Anthropic|Bedrock|VertexAI)Error:)\s*/g;

export function recogniseLitellm(text: string): Anchor[] {
  if (!mentions(text)) return [];
  const anchors: Anchor[] = [];
  WRAPPER.lastIndex = 0;
  for (let m = WRAPPER.exec(text); m; m = WRAPPER.exec(text)) {
    const at = m.index + m[0].length;
    const provider = (m[1] ?? m[2])!.toLowerCase();
    let message: string | undefined;
    let end = at;
    if (/^b?\\*['"]?\{/.test(text.slice(at, at + 4))) {
      // A JSON body: its `message` (an Anthropic envelope inside is read by the body recogniser).
      const read = messageAt(text, at);
      if (read) {
        message = read.value;
        end = read.end;
      }
    } else {
      const line = /^[^\n]*/.exec(text.slice(at))![0];
      message = line.replace(/\.\s*Received Model Group=.*$/, '').replace(ADVICE, '').trim() || undefined;
      end = at + line.length;
    }
    anchors.push({
      start: m.index,
      end,
      rank: RANK.wrapper,
      strength: provider === 'anthropic' ? 'strong' : 'weak',
      wantsStatus: true,
      fields: {
        client: 'litellm',
        ...(provider === 'bedrock' ? { platform: 'bedrock' as const } : provider.startsWith('vertex') ? { platform: 'vertex' as const } : {}),
        ...(message ? { message } : {}),
        // LiteLLM files an overload under its InternalServerError, which would otherwise read as a 500.
        ...(provider === 'anthropic' && typeOfMessage(message) ? { type: typeOfMessage(message) } : {}),
      },
    });
  }
  return anchors;
}
