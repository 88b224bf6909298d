import JSZip from 'jszip';

/** The fixed date written into generated Office files, so the same content gives the same bytes. */
export const FIXED_DATE = new Date(Date.UTC(2024, 0, 1, 0, 0, 0));

/**
 * Rewrites an Office (zip) package with fixed dates (default FIXED_DATE) (entries and docProps/core.xml), sorted entries and a fixed
 * compression: the docx/exceljs writers stamp the current time, which makes every export differ.
 */
export async function deterministicZip(data: Uint8Array, date: Date = FIXED_DATE): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(data);
  const out = new JSZip();
  const iso = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (const name of Object.keys(zip.files).sort()) {
    const entry = zip.files[name];
    if (!entry || entry.dir) continue;
    let content: Uint8Array | string = await entry.async('uint8array');
    if (name === 'docProps/core.xml') {
      content = new TextDecoder()
        .decode(content)
        .replace(/(<dcterms:created[^>]*>)[^<]*(<\/dcterms:created>)/, `$1${iso}$2`)
        .replace(/(<dcterms:modified[^>]*>)[^<]*(<\/dcterms:modified>)/, `$1${iso}$2`);
    }
    out.file(name, content, { date, createFolders: false });
  }
  return out.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 }, platform: 'UNIX' });
}
