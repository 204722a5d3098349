import { inflateSync } from 'node:zlib';

const STREAM = /<<([^]*?)>>\s*stream\r?\n/g;
/** A string drawn by a text operator (`Tj`, `'`, `"`), hex or literal. */
const SHOWN = /(?:<([0-9A-Fa-f\s]*)>|\(((?:\\.|[^\\)])*)\))\s*(?:Tj|'|")/g;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f' };

const literal = (s: string) =>
  s.replace(/\\([0-7]{1,3}|.)/gs, (_, e: string) => (/^[0-7]/.test(e) ? String.fromCharCode(parseInt(e, 8)) : (ESCAPES[e] ?? e)));

/**
 * The strings a PDF draws, in drawing order (one per text operator), read from its content
 * streams (FlateDecode or plain). Enough for PDFs written with single-byte fonts, as pdf-lib
 * writes them with the standard fonts (WinAnsi, read here as Latin-1); not a general extractor.
 */
export function pdfText(pdf: Buffer | Uint8Array): string[] {
  const raw = Buffer.from(pdf).toString('latin1');
  const shown: string[] = [];
  for (const stream of raw.matchAll(STREAM)) {
    const length = Number(/\/Length (\d+)\b/.exec(stream[1]!)?.[1]);
    if (!Number.isInteger(length)) continue;
    const start = stream.index + stream[0].length;
    const bytes = Buffer.from(raw.slice(start, start + length), 'latin1');
    let content: string;
    try {
      content = (/\/FlateDecode\b/.test(stream[1]!) ? inflateSync(bytes) : bytes).toString('latin1');
    } catch {
      continue;
    }
    for (const [, hex, text] of content.matchAll(SHOWN)) {
      shown.push(hex !== undefined ? Buffer.from(hex.replace(/\s/g, ''), 'hex').toString('latin1') : literal(text!));
    }
  }
  return shown;
}
