import { describe, expect, it } from 'vitest';
import { isOpen, readDossierStatus, type DossierStatus } from '../src/core/dossier-status.ts';

/** Wordings of one-stop exports, with and without diacritics, in several cases. */
const CASES: [string, DossierStatus, (boolean | null)?][] = [
  ['Đã trả kết quả', 'returned', null],
  ['DA TRA KET QUA', 'returned', null],
  ['Đã trả kết quả (trước hạn)', 'returned', false],
  ['Trả đúng hạn', 'returned', false],
  ['Đã trả kết quả quá hạn', 'returned', true],
  ['da tra ket qua tre han', 'returned', true],
  ['Trả quá hạn', 'returned', true],
  ['Hoàn thành', 'returned', null],
  ['Hoàn thành đúng hạn', 'returned', false],
  ['Chờ trả kết quả', 'ready'],
  ['Đã có kết quả', 'ready'],
  ['Giải quyết xong, chờ trả', 'ready'],
  ['Đã hủy', 'cancelled'],
  ['Hủy hồ sơ', 'cancelled'],
  ['huy', 'cancelled'],
  ['Rút hồ sơ', 'withdrawn'],
  ['Công dân rút hồ sơ', 'withdrawn'],
  ['Đã rút', 'withdrawn'],
  ['Từ chối', 'rejected'],
  ['Từ chối tiếp nhận', 'rejected'],
  ['Trả lại hồ sơ', 'rejected'],
  ['Không đủ điều kiện giải quyết', 'rejected'],
  ['Dừng giải quyết', 'stopped'],
  ['Dừng xử lý', 'stopped'],
  ['Chờ bổ sung', 'paused'],
  ['CHO BO SUNG', 'paused'],
  ['Yêu cầu bổ sung hồ sơ', 'paused'],
  ['Tạm dừng', 'paused'],
  ['Tạm dừng xử lý', 'paused'],
  ['Đang xử lý', 'processing'],
  ['dang xu ly', 'processing'],
  ['Đã tiếp nhận', 'processing'],
  ['Mới tiếp nhận', 'processing'],
  ['Đang giải quyết', 'processing'],
  ['Chờ phê duyệt', 'processing'],
  ['Trình ký', 'processing'],
  ['Đang xử lý - quá hạn', 'processing'],
  ['Quá hạn', 'processing'],
  ['Trong hạn', 'processing'],
  ['Chưa trả kết quả', 'processing'],
  ['Chưa giải quyết', 'processing'],
];

describe('readDossierStatus', () => {
  it.each(CASES)('"%s" → %s', (text, status, late) => {
    const r = readDossierStatus(text);
    expect(r?.status).toBe(status);
    if (late !== undefined) expect(r?.late).toBe(late);
  });

  it('words it does not know, and an empty cell, are null', () => {
    expect(readDossierStatus('')).toBeNull();
    expect(readDossierStatus('   ')).toBeNull();
    expect(readDossierStatus('Mức độ 4')).toBeNull();
    expect(readDossierStatus('xyz')).toBeNull();
  });

  it('open means processing or paused', () => {
    expect(isOpen('processing')).toBe(true);
    expect(isOpen('paused')).toBe(true);
    for (const s of ['ready', 'returned', 'cancelled', 'withdrawn', 'rejected', 'stopped'] as const) expect(isOpen(s)).toBe(false);
  });
});
