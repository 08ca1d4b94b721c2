/**
 * The text that decoded bytes (base64, hex) hold, for the patterns to read: UTF-8, the strings inside binary data,
 * UTF-16LE text, and the text of what their compressed data inflates to.
 */
import { type InflateAllowance, inflatedParts, mayBeCompressed } from './inflate.js';

/** Share of decoded bytes that must be printable ASCII or whitespace for the run to be read whole, as UTF-8 text. */
const BASE64_MIN_PRINTABLE = 0.9;
/**
 * Shortest string read from decoded binary data (`strings` reads 4): random bytes hold few strings this long and
 * none a pattern matches, and the shortest secret a rule takes (`pwd=` and four characters) still fits.
 */
export const BASE64_MIN_STRING = 8;
export const isPrintableByte = (byte: number): boolean => (byte >= 0x20 && byte < 0x7f) || byte === 0x09 || byte === 0x0a || byte === 0x0d;

/**
 * The text decoded base64 holds, for the patterns to read, one piece a line: all of it as UTF-8 when it is mostly
 * printable; otherwise its strings of printable ASCII, as `strings` finds them (a tar or zip archive, a binary
 * header or random bytes before a config file); and in either case its strings of UTF-16LE text, where every
 * other byte is a NUL (what Windows encodes: PowerShell's `-EncodedCommand`, `[Text.Encoding]::Unicode`). Empty
 * when it holds no string of {@link BASE64_MIN_STRING} characters.
 */
export function textInBytes(bytes: Buffer): string {
  let printable = 0;
  let nul = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] as number;
    if (isPrintableByte(byte)) printable += 1;
    else if (byte === 0) nul = true;
  }
  const pieces: string[] = [];
  if (printable >= bytes.length * BASE64_MIN_PRINTABLE) pieces.push(bytes.toString('utf8'));
  else if (printable >= BASE64_MIN_STRING) collectStrings(bytes, 1, 0, pieces);
  if (nul && printable >= BASE64_MIN_STRING) {
    // A UTF-16 string starts at an even or an odd byte, depending on what came before it.
    collectStrings(bytes, 2, 0, pieces);
    collectStrings(bytes, 2, 1, pieces);
  }
  return pieces.join('\n');
}

/**
 * Appends to `pieces` the strings of at least {@link BASE64_MIN_STRING} printable characters in `bytes` from
 * `from` on: a character is one printable byte (`width` 1) or a printable byte and a NUL (`width` 2, UTF-16LE).
 */
function collectStrings(bytes: Buffer, width: 1 | 2, from: number, pieces: string[]): void {
  const encoding = width === 1 ? 'latin1' : 'utf16le';
  let start = from;
  let at = from;
  for (; at + width <= bytes.length; at += width) {
    if (isPrintableByte(bytes[at] as number) && (width === 1 || bytes[at + 1] === 0)) continue;
    if (at - start >= BASE64_MIN_STRING * width) pieces.push(bytes.toString(encoding, start, at));
    start = at + width;
  }
  if (at - start >= BASE64_MIN_STRING * width) pieces.push(bytes.toString(encoding, start, at));
}

/**
 * The text that decoded bytes hold ({@link textInBytes}), with the text of what their compressed data inflates to;
 * null when that would take more than is left of `allowance`.
 */
/**
 * For each text decoded from a text's runs, whether redaction one level down finds a secret in it, all of them in one
 * pass: the redactor's own, passed to the readers of encodings that it calls.
 */
export type HoldSecrets = (texts: readonly string[], depth: number, allowance: InflateAllowance) => boolean[];

export function decodedText(bytes: Buffer, allowance: InflateAllowance): string | null {
  const plain = textInBytes(bytes);
  if (!mayBeCompressed(bytes)) return plain;
  const inflated = inflatedParts(bytes, allowance);
  if (inflated === null) return null;
  return [plain, ...inflated.map(textInBytes)].filter((text) => text.length > 0).join('\n');
}
