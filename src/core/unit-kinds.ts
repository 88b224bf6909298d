import { foldWords } from './text.ts';
import type { UnitKind } from './units.ts';

/** Unit kinds as a registry spreadsheet may write them: the code or a Vietnamese name. */
export const UNIT_KIND_NAMES: Record<UnitKind, string> = {
  department: 'Sở, ban, ngành tỉnh',
  province_office: 'Văn phòng UBND tỉnh',
  province_service_center: 'Trung tâm Phục vụ hành chính công tỉnh',
  commune: 'UBND cấp xã',
  commune_service_center: 'Trung tâm Phục vụ hành chính công cấp xã',
  district: 'Phòng, ban cấp huyện (trước 01/7/2025)',
  internal_division: 'Phòng, đơn vị thuộc cơ quan',
  other: 'Khác',
};

const SYNONYMS: [RegExp, UnitKind][] = [
  [/^(so|ban|nganh|so ban nganh)( tinh)?$/, 'department'],
  [/^van phong (ubnd|uy ban nhan dan) tinh$/, 'province_office'],
  [/^trung tam phuc vu hanh chinh cong tinh$/, 'province_service_center'],
  [/^(ubnd )?(cap )?(xa|phuong|dac khu|thi tran|xa phuong|xa phuong thi tran)$/, 'commune'],
  [/^trung tam phuc vu hanh chinh cong (cap )?xa$/, 'commune_service_center'],
  [/^(phong ban )?(cap )?huyen$/, 'district'],
  [/^(phong|don vi|phong don vi)( thuoc (so|co quan))?$/, 'internal_division'],
];

export function parseUnitKind(text: string): UnitKind | null {
  const t = text.trim();
  if (t in UNIT_KIND_NAMES) return t as UnitKind;
  const words = foldWords(t);
  for (const [code, name] of Object.entries(UNIT_KIND_NAMES)) if (foldWords(name) === words) return code as UnitKind;
  return SYNONYMS.find(([re]) => re.test(words))?.[1] ?? null;
}
