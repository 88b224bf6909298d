import { describe, expect, it } from 'vitest';
import { classOf, isVagueUnit, matchUnit, splitUnits, unitKey, type RegistryUnit } from '../src/core/units.ts';

describe('splitUnits', () => {
  it.each([
    ['Văn phòng UBND tỉnh; Sở Thông tin và Truyền thông', ['Văn phòng UBND tỉnh', 'Sở Thông tin và Truyền thông']],
    ['Các phòng, ban, ngành huyện và UBND các xã, thị trấn.', ['Các phòng, ban, ngành huyện', 'UBND các xã, thị trấn']],
    ['Văn phòng HĐND và UBND huyện (Bộ phận Tiếp nhận và trả kết quả huyện)', ['Văn phòng HĐND và UBND huyện (Bộ phận Tiếp nhận và trả kết quả huyện)']],
    ['Văn phòng HĐND và UBND huyện', ['Văn phòng HĐND và UBND huyện']],
    ['Sở, ban, ngành tỉnh', ['Sở, ban, ngành tỉnh']],
    ['UBND các xã, phường, thị trấn', ['UBND các xã, phường, thị trấn']],
    ['Phòng Văn hóa và Thông tin huyện', ['Phòng Văn hóa và Thông tin huyện']],
    ['Bộ phận TN&TKQ cấp huyện và cấp xã', ['Bộ phận TN&TKQ cấp huyện và cấp xã']],
    ['Phòng nội vụ và các đơn vị có liên quan', ['Phòng nội vụ', 'các đơn vị có liên quan']],
    ['Phòng Tư pháp huyện và UBND các xã, thị trấn', ['Phòng Tư pháp huyện', 'UBND các xã, thị trấn']],
    ['Bưu điện huyện; UBND cấp xã; Các đơn vị có liên quan', ['Bưu điện huyện', 'UBND cấp xã', 'Các đơn vị có liên quan']],
    ['Sở Tư pháp, Sở Nội vụ', ['Sở Tư pháp', 'Sở Nội vụ']],
    ['- Văn phòng\n- Thanh tra Sở', ['Văn phòng', 'Thanh tra Sở']],
    ['Sở Tư pháp; sở tư pháp', ['Sở Tư pháp']],
    ['', []],
  ])('%s', (cell, names) => {
    expect(splitUnits(cell)).toEqual(names);
  });
  it('works the same without diacritics', () => {
    expect(splitUnits('Cac phong, ban, nganh huyen va UBND cac xa, thi tran')).toEqual(['Cac phong, ban, nganh huyen', 'UBND cac xa, thi tran']);
    expect(splitUnits('Van phong HDND va UBND huyen')).toEqual(['Van phong HDND va UBND huyen']);
  });
});

describe('unitKey', () => {
  it('ignores case, diacritics, plural and "có liên quan"', () => {
    expect(unitKey('Văn phòng')).toBe('van phong');
    expect(unitKey('van phong')).toBe(unitKey('VĂN PHÒNG'));
    expect(unitKey('Các phòng, đơn vị')).toBe('phong don vi');
    expect(unitKey('Ủy ban nhân dân tỉnh')).toBe(unitKey('UBND tỉnh'));
    expect(unitKey('Bộ phận Tiếp nhận và trả kết quả')).toBe(unitKey('Bộ phận TN&TKQ'));
    expect(unitKey('Các phòng ban ngành có liên quan')).toBe('phong ban nganh');
  });
});

describe('classOf / isVagueUnit', () => {
  it.each([
    ['Sở, ban, ngành tỉnh', ['department']],
    ['các Sở, ban, ngành', ['department']],
    ['Cac so, ban, nganh tinh', ['department']],
    ['UBND cấp xã', ['commune']],
    ['UBND các xã, phường, thị trấn', ['commune']],
    ['UBND các xã, thị trấn', ['commune']],
    ['Ủy ban nhân dân các xã, thị trấn', ['commune']],
    ['Các phòng, ban, ngành huyện', ['district']],
    ['Các phòng, đơn vị', ['internal_division']],
    ['Các phòng, đơn vị thuộc Sở', ['internal_division']],
    ['cac phong, don vi thuoc so', ['internal_division']],
  ])('%s is a class', (name, kinds) => {
    expect(classOf(name)?.kinds).toEqual(kinds);
  });
  it('single units are not classes', () => {
    expect(classOf('Văn phòng UBND tỉnh')).toBeNull();
    expect(classOf('Sở Tư pháp')).toBeNull();
    expect(classOf('Phòng Văn hóa và Thông tin huyện')).toBeNull();
  });
  it('"Các đơn vị có liên quan" is vague: text only, not a class', () => {
    for (const name of ['Các đơn vị có liên quan', 'Cac co quan co lien quan', 'Các phòng ban ngành có liên quan', 'đơn vị liên quan']) {
      expect(isVagueUnit(name)).toBe(true);
      expect(classOf(name)).toBeNull();
    }
    expect(isVagueUnit('Văn phòng')).toBe(false);
  });
});

describe('matchUnit', () => {
  const registry: RegistryUnit[] = [
    { id: 1, name: 'Văn phòng UBND tỉnh', kind: 'province_office', aliases: ['VP UBND tỉnh'] },
    { id: 2, name: 'Sở Tư pháp', kind: 'department', aliases: [] },
    { id: 3, name: 'Sở Thông tin và Truyền thông', kind: 'department', aliases: ['Sở TT&TT'] },
    { id: 4, name: 'Sở Tài chính', kind: 'department', aliases: [] },
    { id: 5, name: 'Thanh tra tỉnh', kind: 'other', aliases: [] },
  ];
  it('finds by exact key, with or without diacritics', () => {
    expect(matchUnit('Sở Tư pháp', registry)).toEqual({ kind: 'found', unit: registry[1] });
    expect(matchUnit('so tu phap', registry)).toEqual({ kind: 'found', unit: registry[1] });
    expect(matchUnit('SỞ TƯ PHÁP', registry)).toEqual({ kind: 'found', unit: registry[1] });
    expect(matchUnit('vp ubnd tinh', registry)).toEqual({ kind: 'found', unit: registry[0] });
  });
  it('finds by abbreviation and prefix', () => {
    expect(matchUnit('stp', registry)).toEqual({ kind: 'found', unit: registry[1] });
    expect(matchUnit('van phong', registry)).toEqual({ kind: 'found', unit: registry[0] });
    expect(matchUnit('thanh tra', registry)).toEqual({ kind: 'found', unit: registry[4] });
    expect(matchUnit('so thong tin', registry)).toEqual({ kind: 'found', unit: registry[2] });
  });
  it('never guesses between several', () => {
    const m = matchUnit('sở t', registry);
    expect(m.kind).toBe('ambiguous');
    if (m.kind === 'ambiguous') expect(m.candidates.map((u) => u.id)).toEqual([2, 3, 4]);
    expect(matchUnit('Sở', registry).kind).toBe('ambiguous');
  });
  it('says none when nothing fits', () => {
    expect(matchUnit('Công an tỉnh', registry)).toEqual({ kind: 'none' });
    expect(matchUnit('', registry)).toEqual({ kind: 'none' });
  });
});
