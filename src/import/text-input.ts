/**
 * Text coming into the readers: bytes decoded by what they are (UTF-8 with or without a byte-order mark,
 * UTF-16 LE/BE as Excel's "Unicode text" saves it), refused with a clear message when they are not text, and
 * every cell cleaned the same way whatever the format (NFC, no control characters: see cleanText).
 */
import type { RawRow } from '../core/plan-table.ts';
import { cleanText } from '../core/text.ts';
import { PlanFileError } from './errors.ts';
import { count, LIMITS, megabytes, tooLarge } from './limits.ts';

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** UTF-16 without a byte-order mark: mostly-Latin text has a NUL in every other byte, on one side only. */
function bomlessUtf16(data: Uint8Array): Encoding | null {
  const n = Math.min(data.length - (data.length % 2), 4096);
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (data[i] === 0) evenZeros++;
    if (data[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > pairs * 0.3 && evenZeros < pairs * 0.05) return 'utf-16le';
  if (evenZeros > pairs * 0.3 && oddZeros < pairs * 0.05) return 'utf-16be';
  return null;
}

function encodingOf(data: Uint8Array): { encoding: Encoding; skip: number } | null {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return { encoding: 'utf-8', skip: 3 };
  if (data[0] === 0xff && data[1] === 0xfe && !(data[2] === 0 && data[3] === 0)) return { encoding: 'utf-16le', skip: 2 };
  if (data[0] === 0xfe && data[1] === 0xff) return { encoding: 'utf-16be', skip: 2 };
  const utf16 = bomlessUtf16(data);
  if (utf16) return { encoding: utf16, skip: 0 };
  return looksBinary(data) ? null : { encoding: 'utf-8', skip: 0 };
}

/** More than 1% control bytes (tab, line and page breaks aside) in the first 64 KB: not text. A stray NUL is text. */
function looksBinary(data: Uint8Array): boolean {
  const n = Math.min(data.length, 65_536);
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const b = data[i] as number;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d) || b === 0x7f) controls++;
  }
  return controls > 2 && controls > n * 0.01;
}

/**
 * Decodes a text file, cleaned (cleanText). `supported` ends the refusal ("(hỗ trợ .csv, ...)"). UTF-8 must be
 * valid (another 8-bit encoding would be misread); UTF-16's lone surrogates become U+FFFD.
 */
export function decodeText(data: Uint8Array, file: string, supported: string): string {
  if (data.length > LIMITS.textFileBytes) throw tooLarge(file, `tệp văn bản nặng ${megabytes(data.length)}, giới hạn ${megabytes(LIMITS.textFileBytes)}`, 'hãy chia nhỏ tệp');
  const found = encodingOf(data);
  if (!found) throw new PlanFileError(`Không nhận ra định dạng tệp ${file}: nội dung nhị phân, không phải văn bản ${supported}`, { file });
  const body = data.subarray(found.skip);
  let text: string;
  try {
    text = new TextDecoder(found.encoding, { fatal: found.encoding === 'utf-8', ignoreBOM: true }).decode(body);
  } catch {
    throw new PlanFileError(
      `Không nhận ra định dạng tệp ${file}: không phải văn bản UTF-8 ${supported}. Trong Excel, hãy lưu bằng "CSV UTF-8" hoặc "Unicode Text"`,
      { file },
    );
  }
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0 && lines <= LIMITS.textLines; i = text.indexOf('\n', i + 1)) lines++;
  if (lines > LIMITS.textLines) throw tooLarge(file, `tệp văn bản có hơn ${count(LIMITS.textLines)} dòng`, 'hãy chia nhỏ tệp');
  return cleanText(text);
}

/** The rows with every cell cleaned (cleanText), whatever reader produced them. */
export function cleanRows(rows: RawRow[]): RawRow[] {
  return rows.map((row) => ({ ...row, cells: row.cells.map(cleanText) }));
}
