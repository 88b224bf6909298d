/**
 * The one way the readers open a file and a zip package (DOCX, XLSX): bounded. The file's size is checked before
 * it is read; the package's entry count is read from its end record before it is indexed; every part is
 * inflated as a stream and counted while it unpacks, so a part that claims 1 KB but unpacks to 400 MB is
 * stopped at the limit (the sizes a zip declares are never trusted).
 */
import { readFile, stat } from 'node:fs/promises';
import JSZip from 'jszip';
import { PlanFileError } from './errors.ts';
import { count, LIMITS, megabytes, tooLarge } from './limits.ts';

/** Reads a file of at most `LIMITS.officeFileBytes`; anything else (a folder, a device, a missing file) is refused. */
export async function readInputFile(file: string): Promise<Buffer> {
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new PlanFileError(`${file} không phải là một tệp`, { file });
    size = info.size;
  } catch (error) {
    if (error instanceof PlanFileError) throw error;
    throw new PlanFileError(`Không mở được tệp ${file}`, { file, cause: error });
  }
  if (size > LIMITS.officeFileBytes) throw tooLarge(file, `tệp nặng ${megabytes(size)}, giới hạn ${megabytes(LIMITS.officeFileBytes)}`, 'hãy chia nhỏ tệp hoặc bỏ bớt hình ảnh');
  try {
    return await readFile(file);
  } catch (error) {
    throw new PlanFileError(`Không mở được tệp ${file}`, { file, cause: error });
  }
}

/** The entry count from the zip's end-of-central-directory record; null when there is none (not a zip). */
function declaredEntries(data: Buffer): number | null {
  const floor = Math.max(0, data.length - 22 - 0xffff);
  for (let i = data.length - 22; i >= floor; i--) {
    if (data.readUInt32LE(i) === 0x06054b50) return data.readUInt16LE(i + 10);
  }
  return null;
}

export type OfficeKind = 'DOCX' | 'XLSX';

export class OfficeZip {
  private unpacked = 0;

  constructor(
    private readonly zip: JSZip,
    readonly file: string,
    readonly kind: OfficeKind,
  ) {}

  has(name: string): boolean {
    return this.zip.file(name) !== null;
  }

  /** The names of the package's files (not folders). */
  names(): string[] {
    return Object.values(this.zip.files).filter((e) => !e.dir).map((e) => e.name);
  }

  /** A part's bytes, inflated up to `cap` (and the package's total); null when the part is absent. */
  async bytes(name: string, cap: number = LIMITS.partBytes): Promise<Buffer | null> {
    const entry = this.zip.file(name);
    if (!entry) return null;
    const chunks: Buffer[] = [];
    let size = 0;
    await new Promise<void>((resolve, reject) => {
      // jszip's node stream (readable-stream 2) is not async-iterable; pausing it stops the inflater
      const stream = entry.nodeStream('nodebuffer') as NodeJS.ReadableStream;
      let settled = false;
      const stop = (error: PlanFileError | null) => {
        if (settled) return;
        settled = true;
        if (error) {
          stream.pause();
          stream.removeAllListeners('data');
          reject(error);
        } else resolve();
      };
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > cap) return stop(tooLarge(this.file, `phần "${name}" giải nén ra hơn ${megabytes(cap)} (giới hạn mỗi phần ${megabytes(cap)})`));
        if (this.unpacked + size > LIMITS.totalBytes) {
          return stop(tooLarge(this.file, `các phần của tệp giải nén ra hơn ${megabytes(LIMITS.totalBytes)} (giới hạn cả tệp)`));
        }
        chunks.push(chunk);
      });
      stream.on('error', (error: unknown) => {
        stop(new PlanFileError(`Tệp ${this.kind} bị hỏng hoặc không đầy đủ: ${this.file} (phần "${name}" không giải nén được)`, { file: this.file, cause: error }));
      });
      stream.on('end', () => stop(null));
    });
    this.unpacked += size;
    return Buffer.concat(chunks, size);
  }

  /** A part as text (UTF-8, as Office writes its XML); null when absent. */
  async text(name: string, cap?: number): Promise<string | null> {
    const data = await this.bytes(name, cap);
    return data === null ? null : new TextDecoder('utf-8').decode(data);
  }
}

/** Opens a zip package held in memory: its entry count checked first, then its directory read (nothing inflated). */
export async function openOfficeZip(data: Uint8Array, file: string, kind: OfficeKind): Promise<OfficeZip> {
  const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (buffer.length > LIMITS.officeFileBytes) throw tooLarge(file, `tệp nặng ${megabytes(buffer.length)}, giới hạn ${megabytes(LIMITS.officeFileBytes)}`, 'hãy chia nhỏ tệp hoặc bỏ bớt hình ảnh');
  const entries = declaredEntries(buffer);
  // 0xFFFF: a ZIP64 package, which only packages far over the limits need
  if (entries !== null && (entries > LIMITS.zipEntries || entries === 0xffff)) {
    throw tooLarge(file, `tệp nén chứa ${entries === 0xffff ? 'hơn 65.000' : count(entries)} phần (giới hạn ${count(LIMITS.zipEntries)})`);
  }
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(buffer);
  } catch (error) {
    throw new PlanFileError(`Tệp ${kind} bị hỏng hoặc không đầy đủ: ${file} (không đọc được cấu trúc tệp nén)`, { file, cause: error });
  }
  if (Object.keys(zip.files).length > LIMITS.zipEntries) throw tooLarge(file, `tệp nén chứa hơn ${count(LIMITS.zipEntries)} phần`);
  return new OfficeZip(zip, file, kind);
}
