import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dossierFigures } from '../src/core/dossier-report.ts';
import { ensureExamplePlan } from '../src/example.ts';
import { reportWorkbook } from '../src/files/report-xlsx.ts';
import { planReport } from '../src/store/report.ts';
import { upsertDossiers } from '../src/store/dossiers.ts';
import { reportText } from '../src/core/report.ts';
import { localDateOf } from '../src/core/time.ts';
import { harness, type Harness } from './helpers/app.ts';
import { tempSqliteUrl } from './helpers/db.ts';

const zone = 'Asia/Ho_Chi_Minh';

describe('dossier figures', () => {
  it('counts returns against the first appointment date, per unit and month, and apologies by their month', () => {
    const at = new Date('2023-06-30T10:00:00Z');
    const f = dossierFigures(
      [
        { unitName: 'Phòng Tư pháp', due: '2023-05-10', originalDue: null, returnedOn: '2023-05-08', apologyAt: null },
        { unitName: 'Phòng Tư pháp', due: '2023-05-10', originalDue: null, returnedOn: '2023-05-10', apologyAt: null },
        // apologised: the new date was kept, but against the first appointment it is late
        { unitName: 'Phòng Tư pháp', due: '2023-05-20', originalDue: '2023-05-12', returnedOn: '2023-05-19', apologyAt: new Date('2023-05-10T02:00:00Z') },
        { unitName: 'Phòng Nội vụ', due: '2023-06-01', originalDue: null, returnedOn: '2023-07-02', apologyAt: null }, // after `at`
        { unitName: 'Phòng Nội vụ', due: '2023-06-01', originalDue: null, returnedOn: null, apologyAt: null },
      ],
      at,
      zone,
    );
    expect(f).toEqual([{ unit: 'Phòng Tư pháp', month: '2023-05', returned_early: 1, returned_on_time: 1, returned_late: 1, returned_undated: 0, apologies: 1 }]);
  });

  it('a dossier closed as returned without a return date counts in the month the return was recorded, late or on time only when the words say', () => {
    const at = new Date('2023-06-30T10:00:00Z');
    const returned = (statusText: string, recordedAt: Date | null) => ({ unitName: 'Phòng Tư pháp', due: '2023-05-10', originalDue: null, returnedOn: null, apologyAt: null, status: 'returned', statusText, recordedAt });
    const f = dossierFigures(
      [
        returned('Đã trả kết quả', new Date('2023-06-02T03:00:00Z')),
        returned('Đã trả kết quả quá hạn', new Date('2023-06-02T03:00:00Z')),
        returned('Trả đúng hạn', new Date('2023-05-31T20:00:00Z')), // 01/06 in Vietnam
        returned('Đã trả kết quả', new Date('2023-07-01T03:00:00Z')), // recorded after `at`
        { ...returned('Đã hủy', new Date('2023-06-02T03:00:00Z')), status: 'cancelled' },
      ],
      at,
      zone,
    );
    expect(f).toEqual([{ unit: 'Phòng Tư pháp', month: '2023-06', returned_early: 0, returned_on_time: 1, returned_late: 1, returned_undated: 1, apologies: 0 }]);
  });

  describe('in /baocao and the XLSX', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await harness(tempSqliteUrl());
      await ensureExamplePlan(h.app);
    });
    afterAll(() => h.close());

    it('shows the dossiers the unit registered, returned and apologised for', async () => {
      h.at('2023-05-02T09:00');
      expect(await h.say('/hoso HS-001 05/05/2023 Chứng thực bản sao')).toContain('HS-001');
      expect(await h.say('/hoso HS-002 08/05/2023 Đăng ký khai sinh')).toContain('HS-002');
      h.at('2023-05-04T09:00');
      expect(await h.say('/hoso tra HS-001')).toContain('HS-001');
      expect(await h.say('/xinloi HS-002 15/05/2023 Chờ xác minh thông tin')).toContain('HS-002');
      h.at('2023-05-16T09:00');
      await h.say('/hoso tra HS-002');
      const text = await h.say('/baocao');
      expect(text).toContain('Hồ sơ TTHC');
      expect(text).toMatch(/05\/2023 Văn phòng HĐND và UBND huyện: 1 \/ 0 \/ 1 · 1/);
      const report = await planReport(h.app.db.prisma, { at: new Date('2023-05-16T03:00:00Z'), zone, calendar: h.app.calendar });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(await reportWorkbook(report)) as unknown as ArrayBuffer);
      const sheet = wb.getWorksheet('Hồ sơ')!;
      const rows: unknown[][] = [];
      sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
      // the 2025 name of the letter (Thông tư 03/2025/TT-VPCP), not the 2018 "Phiếu xin lỗi"
      expect(rows.find((r) => r[0] === 'Tháng')).toEqual(['Tháng', 'Đơn vị', 'Trả trước hạn', 'Trả đúng hạn', 'Trả quá hạn', 'Đã trả, không rõ ngày trả', 'Văn bản xin lỗi']);
      expect(rows.find((r) => r[0] === '05/2023')).toEqual(['05/2023', 'Văn phòng HĐND và UBND huyện', 1, 0, 1, 0, 1]);
    });

    it('counts an imported dossier closed as returned without a date, in the month the import recorded it', async () => {
      const unit = await h.app.db.prisma.unit.findFirstOrThrow({ where: { name: 'Phòng Tư pháp' } });
      await upsertDossiers(h.app.db.prisma, [{ code: 'HS-900', due: '2023-05-10', unitId: unit.id, status: { status: 'returned', text: 'Đã trả kết quả', returnedOn: null } }], { user: 'cli' });
      const now = new Date();
      const report = await planReport(h.app.db.prisma, { at: now, zone, calendar: h.app.calendar });
      const month = localDateOf(now, zone).slice(0, 7);
      expect(report.dossiers.find((d) => d.unit === 'Phòng Tư pháp' && d.month === month)).toMatchObject({ returned_undated: 1, returned_late: 0, returned_on_time: 0 });
      expect(reportText(report)).toContain('Phòng Tư pháp: 0 / 0 / 0 · 0 · 1 đã trả, không rõ ngày trả');
    });
  });
});
