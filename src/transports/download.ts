/**
 * Downloads a file a chat platform holds for an incoming message, refusing more than `maxBytes` without
 * reading it into memory: a declared Content-Length over the limit is refused before the body, a body that
 * grows past it is cut off.
 */

/** The file is larger than the caller accepts. */
export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`Tệp lớn hơn giới hạn ${formatBytes(maxBytes)}.`);
  }
}

export type DownloadOptions = { fetch?: typeof fetch; timeoutMs?: number };

export async function downloadBounded(url: string, maxBytes: number, opts: DownloadOptions = {}): Promise<Uint8Array> {
  const doFetch = opts.fetch ?? fetch;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs ?? 60_000);
  timer.unref?.();
  try {
    let response: Response;
    try {
      response = await doFetch(url, { signal: controller.signal });
    } catch (error) {
      throw new Error(`Không tải được tệp: ${controller.signal.aborted ? 'quá thời gian chờ' : error instanceof Error ? error.message : String(error)}.`);
    }
    if (!response.ok) throw new Error(`Không tải được tệp: máy chủ trả về mã ${response.status}.`);
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      controller.abort();
      throw new FileTooLargeError(maxBytes);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = response.body?.getReader();
    if (reader) {
      for (;;) {
        let part: Awaited<ReturnType<typeof reader.read>>;
        try {
          part = await reader.read();
        } catch {
          throw new Error(`Không tải được tệp: ${controller.signal.aborted ? 'quá thời gian chờ' : 'kết nối bị ngắt'}.`);
        }
        if (part.done) break;
        total += part.value.byteLength;
        if (total > maxBytes) {
          await reader.cancel().catch(() => {});
          throw new FileTooLargeError(maxBytes);
        }
        chunks.push(part.value);
      }
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.byteLength;
    }
    return out;
  } finally {
    clearTimeout(timer);
  }
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} byte`;
}

const MIME: Record<string, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  doc: 'application/msword',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  xls: 'application/vnd.ms-excel',
  csv: 'text/csv',
  txt: 'text/plain',
  pdf: 'application/pdf',
  zip: 'application/zip',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
};

/** The usual MIME type of a file name's extension, when the platform gives none. */
export function mimeOfName(name: string): string | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  return ext ? MIME[ext] : undefined;
}
