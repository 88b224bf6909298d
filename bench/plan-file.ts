import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { writePlanXlsx } from '../src/import/write-plan.ts';

/** A synthetic plan of `rows` tasks as an XLSX file, written by the project's own writer. */
export async function benchImportFile(rows: number): Promise<string> {
  const deadlines = ['Quý I/2024', 'Trước ngày 15/9/2024', 'Ngày 05 hàng tháng', 'Thường xuyên', 'Trong thời gian 10 ngày kể từ ngày tiếp nhận', 'Tháng 02/2024', '6 tháng đầu năm'];
  const groups = Math.ceil(rows / 50);
  const plan = {
    sections: Array.from({ length: groups }, (_, g) => ({ path: String(g + 1), title: `Nhóm nhiệm vụ ${g + 1}`, kind: 'group' as const })),
    tasks: Array.from({ length: rows }, (_, i) => ({
      code: `${Math.floor(i / 50) + 1}.${(i % 50) + 1}`,
      sectionPath: String(Math.floor(i / 50) + 1),
      number: String((i % 50) + 1),
      content: `Rà soát, công khai thủ tục hành chính số ${i + 1} trên Cổng dịch vụ công`,
      leadText: i % 3 ? 'Sở Tư pháp' : 'Văn phòng UBND tỉnh',
      coordText: 'Các đơn vị có liên quan',
      lead: [i % 3 ? 'Sở Tư pháp' : 'Văn phòng UBND tỉnh'],
      coord: ['Các đơn vị có liên quan'],
      deadlineText: deadlines[i % deadlines.length]!,
      result: 'Báo cáo',
      note: '',
      row: i + 2,
      needsReview: false,
    })),
  };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-import-')), 'ke-hoach-1000.xlsx');
  await writePlanXlsx(plan, file);
  return file;
}
