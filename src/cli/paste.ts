// Reads a multi-line paste from a terminal in raw mode, echoing it redacted: a key never reaches the screen.
import { Redactor } from '../input/redact.js';

/** The paste ended with Ctrl-C: the caller exits 130. */
export class Interrupted extends Error {
  override name = 'Interrupted';
}

// While a line is still being typed or pasted, anything that may become a secret is hidden whole,
// because the full redaction rules only recognise a key once enough of it has arrived.
const PARTIAL_SECRET =
  /(sk-ant-)[\w-]*|\b((?:Bearer|Basic)\s+)\S*|((?:api[-_ ]?key|apikey|token(?!s)|secret|passw(?:or)?d|authorization|credentials?|private[-_]?key|access[-_]?key)[\w.-]{0,40}\\*["']?\s*[:=]\s*\\*["']?(?:(?:Bearer|Basic|Token)\s+)?)[^\s"'\\]*|(:\/\/[^\s:@/]+:)[^\s@/]*|([?&]key=)[^&\s"'\\]*/gi;

/** What the terminal shows of a paste: each finished line redacted, the line in progress masked. */
export class PasteEcho {
  // One input: a private key's body or a key cut by a wrap is recognised across lines.
  private redactor = new Redactor();

  /**
   * The line still arriving. No last four characters are shown: they would be the last four that
   * have arrived so far, and frame by frame they would spell the whole key.
   */
  partial(line: string): string {
    return this.redactor.peek(line).replace(PARTIAL_SECRET, (m, ant?: string, scheme?: string, named?: string, url?: string, query?: string) => {
      if (m.includes('[redacted')) return m;
      const head = ant ?? scheme ?? named ?? url ?? query ?? '';
      return m.length > head.length ? `${head}…` : m;
    });
  }

  /** A finished line. */
  finish(line: string): string {
    return this.redactor.line(line);
  }
}

/** The line in progress as shown, when it is the paste's first. */
export function maskPartial(line: string): string {
  return new PasteEcho().partial(line);
}

// Bracketed-paste markers and other escape sequences (arrows, function keys) are not text.
const ESCAPES = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]?/g;

/**
 * Collect lines until two empty lines in a row or Ctrl-D. Each finished line is printed redacted;
 * the line in progress is shown masked, cut to the terminal width so it can be redrawn in place.
 */
export function readPaste(input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    const echo = new PasteEcho();
    let current = '';
    let emptyRun = 0;
    let lastWasCR = false;
    const width = () => Math.max(20, (output.columns || 80) - 1);
    const redraw = () => {
      const shown = echo.partial(current);
      output.write(`\r\x1b[2K${shown.length > width() ? `…${shown.slice(-(width() - 1))}` : shown}`);
    };
    const finish = (err?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      if (err) reject(err);
      else resolve(lines.join('\n').replace(/\n+$/, ''));
    };
    const endLine = () => {
      output.write(`\r\x1b[2K${echo.finish(current)}\r\n`);
      lines.push(current);
      emptyRun = current.trim() === '' ? emptyRun + 1 : 0;
      current = '';
    };
    const onData = (chunk: Buffer | string) => {
      const text = chunk.toString().replace(ESCAPES, '');
      for (const ch of text) {
        if (ch === '\x03') {
          output.write('\r\n');
          finish(new Interrupted('interrupted'));
          return;
        }
        if (ch === '\x04') {
          if (current) endLine();
          finish();
          return;
        }
        if (ch === '\n' && lastWasCR) {
          lastWasCR = false; // CRLF is one line end
          continue;
        }
        lastWasCR = ch === '\r';
        if (ch === '\r' || ch === '\n') {
          endLine();
          if (emptyRun >= 2) {
            finish();
            return;
          }
        } else if (ch === '\x7f' || ch === '\b') {
          current = current.slice(0, -1);
        } else if (ch >= ' ' || ch === '\t') {
          current += ch;
        }
      }
      redraw();
    };
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}
