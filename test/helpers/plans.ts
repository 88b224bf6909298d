import type { WritablePlan, WritableSection, WritableTask } from '../../src/import/write-plan.ts';

const VP = 'Văn phòng UBND tỉnh';
const TP = 'Sở Tư pháp';
const TT = 'Sở Thông tin và Truyền thông';
const SBN = 'Các sở, ban, ngành tỉnh';
const XA = 'UBND cấp xã';
const DEADLINES = ['Quý I/2024', 'Trước ngày 15/9/2024', 'Ngày 05 hàng tháng', 'Thường xuyên', 'Tháng 02/2024', '6 tháng đầu năm', 'Trong thời gian 10 ngày kể từ ngày tiếp nhận'];
const CONTENTS = [
  'Ban hành Kế hoạch kiểm soát thủ tục hành chính năm 2024',
  'Rà soát, công bố danh mục thủ tục hành chính thuộc thẩm quyền giải quyết',
  'Cập nhật, công khai thủ tục hành chính trên Cơ sở dữ liệu quốc gia\n- tại trụ sở cơ quan;\n- trên Cổng thông tin điện tử',
  'Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính',
  'Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính',
  'Kiểm tra việc thực hiện cơ chế một cửa, một cửa liên thông',
  'Báo cáo tình hình, kết quả kiểm soát thủ tục hành chính',
];

function task(code: string, sectionPath: string, i: number, extra: Partial<WritableTask> = {}): WritableTask {
  return {
    code,
    sectionPath,
    content: `${CONTENTS[i % CONTENTS.length]} (${code})`,
    leadText: [VP, TP, TT, SBN, XA][i % 5] as string,
    coordText: i % 3 === 0 ? 'Các đơn vị có liên quan' : '',
    deadlineText: DEADLINES[i % DEADLINES.length] as string,
    result: i % 2 ? 'Báo cáo' : 'Kế hoạch được ban hành',
    note: i % 4 === 0 ? 'Lồng ghép với kiểm tra cải cách hành chính' : '',
    ...extra,
  };
}

/**
 * A plan of 2 parts: part 1 with group I (3 tasks) and group II split in sub-groups II.1 (2) and II.2 (1);
 * part 2 with groups I (2) and II (3). `sub` labels the sub-groups as printed ("II.1", "a)", "2.1").
 */
export function partsPlan(sub: 'roman' | 'letter' | 'dotted' = 'roman'): WritablePlan {
  const label = (group: number, n: number): string | undefined =>
    sub === 'letter' ? `${'abc'[n - 1]})` : sub === 'dotted' ? `${group}.${n}` : undefined;
  const sections: WritableSection[] = [
    { path: '1', kind: 'part', title: 'Thực hiện các nhiệm vụ kiểm soát thủ tục hành chính' },
    { path: '1.1', kind: 'group', title: 'Công tác chỉ đạo, điều hành' },
    { path: '1.2', kind: 'group', title: 'Công bố, công khai thủ tục hành chính' },
    { path: '1.2.1', kind: 'group', title: 'Công bố thủ tục hành chính', ...opt(label(2, 1)) },
    { path: '1.2.2', kind: 'group', title: 'Công khai thủ tục hành chính', ...opt(label(2, 2)) },
    { path: '2', kind: 'part', title: 'Thực hiện cơ chế một cửa, một cửa liên thông' },
    { path: '2.1', kind: 'group', title: 'Tiếp nhận và trả kết quả' },
    { path: '2.2', kind: 'group', title: 'Số hóa hồ sơ' },
  ];
  let i = 0;
  const tasks = [
    ...['1.1.1', '1.1.2', '1.1.3'].map((c) => task(c, '1.1', i++)),
    ...['1.2.1.1', '1.2.1.2'].map((c) => task(c, '1.2.1', i++)),
    task('1.2.2.1', '1.2.2', i++),
    ...['2.1.1', '2.1.2'].map((c) => task(c, '2.1', i++)),
    ...['2.2.1', '2.2.2', '2.2.3'].map((c) => task(c, '2.2', i++)),
  ];
  return { title: 'Nội dung thực hiện kiểm soát thủ tục hành chính năm 2024', sections, tasks };
}

/** Groups only: I (3 tasks), II with II.1 (2) and II.2 (2), III (2). */
export function groupsPlan(): WritablePlan {
  const sections: WritableSection[] = [
    { path: '1', kind: 'group', title: 'Công tác chỉ đạo, điều hành' },
    { path: '2', kind: 'group', title: 'Thực hiện công bố, công khai TTHC' },
    { path: '2.1', kind: 'group', title: 'Công bố TTHC theo Nghị định 63/2010/NĐ-CP' },
    { path: '2.2', kind: 'group', title: 'Rà soát, đơn giản hóa TTHC nội bộ' },
    { path: '3', kind: 'group', title: 'Kiểm tra việc thực hiện' },
  ];
  let i = 0;
  const tasks = [
    ...['1.1', '1.2', '1.3'].map((c) => task(c, '1', i++)),
    ...['2.1.1', '2.1.2'].map((c) => task(c, '2.1', i++)),
    ...['2.2.1', '2.2.2'].map((c) => task(c, '2.2', i++)),
    ...['3.1', '3.2'].map((c) => task(c, '3', i++)),
  ];
  return { title: 'Các nhiệm vụ kiểm soát thủ tục hành chính trọng tâm năm 2024', sections, tasks };
}

function opt(label: string | undefined): { label?: string } {
  return label === undefined ? {} : { label };
}
