/**
 * A corpus of plans nobody here wrote by hand: seeded random plans in the layouts, wordings and habits of
 * real appendices (the two fixtures in ../shared/fixtures show them), to measure how many rows the
 * importer reads right. The same seed gives the same plans.
 */
import type { Column, PlanLayout, WritablePlan, WritableSection, WritableTask } from '../../src/import/write-plan.ts';
import { prng } from './random.ts';


const PARTS = [
  'Thực hiện các nhiệm vụ trong hoạt động kiểm soát TTHC',
  'Thực hiện, đổi mới cơ chế một cửa, một cửa liên thông; đánh giá chất lượng giải quyết thủ tục hành chính',
  'Thực hiện thủ tục hành chính trên môi trường điện tử',
  'Công tác truyền thông về kiểm soát thủ tục hành chính',
  'Chế độ thông tin, báo cáo',
];
const GROUPS = [
  'Công tác chỉ đạo, điều hành',
  'Công tác xây dựng văn bản chỉ đạo; công tác thể chế',
  'Thực hiện công bố, công khai thủ tục hành chính',
  'Rà soát, đánh giá quy định, thủ tục hành chính',
  'Bảo đảm chất lượng dự thảo các quy định về thủ tục hành chính',
  'Tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính',
  'Kiểm tra việc thực hiện công tác kiểm soát thủ tục hành chính',
  'Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính',
  'Đánh giá chất lượng giải quyết thủ tục hành chính theo Bộ chỉ số',
  'Thông tin, tuyên truyền',
];
const SUBGROUPS = [
  'Công bố thủ tục hành chính theo Nghị định 63/2010/NĐ-CP',
  'Rà soát, đơn giản hóa thủ tục hành chính nội bộ',
  'Công khai thủ tục hành chính tại Bộ phận Một cửa',
  'Cập nhật dữ liệu trên Cơ sở dữ liệu quốc gia về thủ tục hành chính',
];
const CONTENTS = [
  'Ban hành Kế hoạch kiểm soát thủ tục hành chính năm {Y}',
  'Kế hoạch rà soát, đánh giá thủ tục hành chính năm {Y}',
  'Rà soát, trình công bố danh mục thủ tục hành chính ngay sau khi Bộ, ngành Trung ương công bố',
  'Cập nhật, công khai dữ liệu thủ tục hành chính trên Cơ sở dữ liệu quốc gia về thủ tục hành chính',
  'Niêm yết, công khai các thủ tục hành chính thuộc thẩm quyền giải quyết:\n- tại trụ sở cơ quan;\n- trên Cổng thông tin điện tử của tỉnh',
  'Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính',
  'Thực hiện đánh giá tác động thủ tục hành chính trong dự thảo văn bản quy phạm pháp luật',
  'Tổ chức kiểm tra việc thực hiện cơ chế một cửa, một cửa liên thông tại các cơ quan, đơn vị',
  'Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực',
  'Báo cáo tình hình, kết quả thực hiện công tác kiểm soát thủ tục hành chính (định kỳ quý, năm)',
  'Rà soát, trình phê duyệt quy trình nội bộ trong giải quyết thủ tục hành chính',
  'Công khai Quyết định công bố thủ tục hành chính tại Bộ phận Tiếp nhận và Trả kết quả (thông qua niêm yết hoặc Kiosk tra cứu)',
  'Triển khai thanh toán trực tuyến phí, lệ phí trong giải quyết thủ tục hành chính',
  'Tham mưu, đề xuất biện pháp xử lý đối với những trường hợp vi phạm quy định về kiểm soát thủ tục hành chính',
  'Xin lỗi cá nhân, tổ chức khi hồ sơ giải quyết quá hạn',
  'Tập huấn nghiệp vụ kiểm soát thủ tục hành chính cho cán bộ đầu mối',
  'Đánh giá chất lượng giải quyết thủ tục hành chính theo Bộ chỉ số phục vụ người dân, doanh nghiệp',
  'Phát động thi đua trong thực hiện công tác kiểm soát thủ tục hành chính năm {Y}',
];
const LEADS = [
  'Sở Tư pháp\nSở Nội vụ',
  'Văn phòng UBND tỉnh',
  'Sở Tư pháp',
  'Sở Thông tin và Truyền thông',
  'Sở Nội vụ',
  'Các sở, ban, ngành tỉnh',
  'UBND cấp xã',
  'Trung tâm Phục vụ hành chính công tỉnh',
  'Văn phòng UBND tỉnh; Sở Thông tin và Truyền thông',
  'Các sở, ban, ngành tỉnh; UBND các xã, phường',
  'Văn phòng HĐND và UBND huyện',
  'Các phòng, ban, ngành huyện và UBND các xã, thị trấn',
];
const COORDS = ['Các cơ quan, đơn vị có liên quan', 'Văn phòng UBND tỉnh', 'Sở Tư pháp; Sở Nội vụ', 'Các sở, ban, ngành tỉnh', '', 'Bưu điện tỉnh; UBND cấp xã'];
const DEADLINES = [
  'Quý I/{Y}',
  'Quý II năm {Y}',
  'Trước ngày 15/9/{Y}',
  'Trước 28/02/{Y}',
  '15/02/{Y}',
  'Tháng 02/{Y}',
  'Trong tháng 6/{Y}',
  'Năm {Y}',
  '6 tháng đầu năm',
  'Thường xuyên',
  'Thường xuyên trong năm',
  'Hàng quý',
  'Ngày 05 hàng tháng',
  'Định kỳ hằng tháng (trước ngày 22 hằng tháng)',
  '02 lần/năm',
  'Hằng tuần',
  'Khi có phát sinh',
  'Theo yêu cầu',
  'Theo Kế hoạch',
  'Trong thời gian 10 ngày kể từ ngày tiếp nhận',
  'Chậm nhất 10 ngày kể từ ngày ban hành Quyết định công bố',
  '- Trong quý II, quý III/{Y}.\n- Trước ngày 01/12/{Y}.',
];
const RESULTS = ['Kế hoạch được ban hành', 'Báo cáo', 'Quyết định công bố', 'Tờ trình', '- Dự thảo văn bản;\n- Văn bản tham gia ý kiến', 'Thủ tục hành chính được công khai', ''];
const NOTES = ['', '', '', '', 'Lồng ghép với kiểm tra cải cách hành chính', 'Thi đua nội bộ', '100% hồ sơ được số hóa'];
const HEADERS: Record<Column, string[]> = {
  content: ['Nội dung công việc', 'Nội dung', 'Nội dung nhiệm vụ', 'Tên nhiệm vụ', 'Nhiệm vụ', 'Nội dung thực hiện'],
  lead: ['Đơn vị chủ trì', 'Cơ quan chủ trì', 'Chủ trì', 'Cơ quan, đơn vị chủ trì', 'Đơn vị chủ trì thực hiện'],
  coord: ['Đơn vị phối hợp', 'Cơ quan phối hợp', 'Phối hợp', 'Cơ quan, đơn vị phối hợp'],
  deadline: ['Thời gian hoàn thành', 'Thời gian thực hiện', 'Thời hạn hoàn thành', 'Thời hạn', 'Tiến độ thực hiện', 'Thời gian'],
  result: ['Kết quả thực hiện', 'Sản phẩm', 'Kết quả', 'Hình thức sản phẩm', 'Sản phẩm đầu ra', 'Kết quả công việc'],
  note: ['Ghi chú'],
};
const NUMBER_HEADERS: ([string] | [string, string])[] = [['STT'], ['TT'], ['Số TT']];
const TWO_NUMBER_HEADERS: [string, string][] = [['Stt', 'Stt2'], ['STT', 'TT'], ['TT', 'STT trong nhóm'], ['STT', '']];

export type CorpusPlan = { plan: WritablePlan; layout: PlanLayout; describe: string };

/** One random plan of about 15..60 tasks in a random layout. */
export function corpusPlan(seed: number): CorpusPlan {
  const r = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
  const chance = (p: number): boolean => r() < p;
  const year = 2023 + Math.floor(r() * 4);
  const fill = (text: string): string => text.replaceAll('{Y}', String(year));

  const parts = chance(0.4) ? 2 + Math.floor(r() * 3) : 0;
  const subStyle = pick(['none', 'none', 'roman', 'letter', 'dotted'] as const);
  const sections: WritableSection[] = [];
  const tasks: WritableTask[] = [];
  let k = 0;
  const addTasks = (sectionPath: string, count: number): void => {
    for (let i = 1; i <= count; i++) {
      tasks.push({
        code: `${sectionPath}.${i}`,
        sectionPath,
        content: `${fill(pick(CONTENTS))}${chance(0.3) ? ` (${sectionPath}.${i})` : ''}`,
        leadText: chance(0.02) ? '' : pick(LEADS),
        coordText: pick(COORDS),
        deadlineText: chance(0.03) ? '' : fill(pick(DEADLINES)),
        result: pick(RESULTS),
        note: pick(NOTES),
        ...(chance(0.04) && i > 1 ? { printed: '' } : {}),
      });
      k++;
    }
  };
  const addGroups = (prefix: string): void => {
    const groups = 2 + Math.floor(r() * 4);
    for (let g = 1; g <= groups; g++) {
      const path = prefix ? `${prefix}.${g}` : String(g);
      sections.push({ path, kind: 'group', title: pick(GROUPS) });
      if (subStyle !== 'none' && chance(0.35)) {
        const subs = 2 + Math.floor(r() * 2);
        for (let s = 1; s <= subs; s++) {
          const label = subStyle === 'letter' ? `${'abcd'[s - 1]})` : subStyle === 'dotted' ? `${g}.${s}` : undefined;
          sections.push({ path: `${path}.${s}`, kind: 'group', title: pick(SUBGROUPS), ...(label ? { label } : {}) });
          addTasks(`${path}.${s}`, 1 + Math.floor(r() * 4));
        }
      } else addTasks(path, 1 + Math.floor(r() * 8));
    }
  };
  if (parts) {
    for (let p = 1; p <= parts; p++) {
      sections.push({ path: String(p), kind: 'part', title: pick(PARTS) });
      addGroups(String(p));
    }
  } else addGroups('');

  // Unnumbered rows stand for the next number; the plan's own numbering skips nothing.
  const layout: PlanLayout = {};
  const two = chance(0.35);
  if (two) {
    layout.numbers = 'two';
    layout.numberHeaders = pick(TWO_NUMBER_HEADERS);
    if (chance(0.3)) layout.numberHeaderMerged = true;
  } else layout.numberHeaders = pick(NUMBER_HEADERS);
  layout.groups = pick(['line', 'numeral', 'content', 'overflow'] as const);
  if (chance(0.3)) layout.dotted = true;
  if (parts) layout.parts = pick(['line', 'word', 'letter'] as const);
  const tail: Column[] = ['lead', 'coord'];
  const rest: Column[] = [];
  if (chance(0.85)) rest.push('result');
  rest.push('deadline');
  if (chance(0.5)) rest.reverse();
  if (chance(0.1)) tail.pop();
  if (chance(0.7)) rest.push('note');
  layout.columns = chance(0.2) ? ['content', 'deadline', ...tail, ...rest.filter((c) => c !== 'deadline')] : ['content', ...tail, ...rest];
  layout.header = Object.fromEntries(layout.columns.map((c) => [c, pick(HEADERS[c] as string[])]));
  if (layout.columns.join() .includes('lead,coord') && chance(0.3)) layout.assignHeader = pick(['Phân công thực hiện', 'Phân công']);
  if (chance(0.3)) layout.columnNumbers = true;
  if (chance(0.3)) {
    layout.repeatHeader = 4 + Math.floor(r() * 10);
    if (chance(0.5)) layout.pageHeader = pick(['PHỤ LỤC', 'PHỤ LỤC I', 'Phụ lục II']);
  }
  if (chance(0.3)) layout.mergeSame = chance(0.5) ? ['lead'] : ['lead', 'deadline', 'coord'];
  for (const t of tasks) if (!layout.columns.includes('coord')) t.coordText = '';
  for (const t of tasks) if (!layout.columns.includes('result')) t.result = '';
  for (const t of tasks) if (!layout.columns.includes('note')) t.note = '';
  const title = `Nội dung thực hiện kiểm soát thủ tục hành chính năm ${year}`;
  const describe = `${tasks.length} nhiệm vụ; ${JSON.stringify({ ...layout, header: undefined, numberHeaders: undefined })}; phân nhóm con ${subStyle}`;
  void k;
  return { plan: { title, sections, tasks }, layout, describe };
}

export type RowScore = { rows: number; right: number; wrong: string[] };

/** Rows read right: a task of the plan found under its code with its content, lead units and deadline text. */
export function scoreRows(plan: WritablePlan, parsed: { tasks: { code: string; content: string; leadText: string; deadlineText: string }[] }): RowScore {
  const byCode = new Map(parsed.tasks.map((t) => [t.code, t]));
  const wrong: string[] = [];
  let right = 0;
  for (const t of plan.tasks) {
    const got = byCode.get(t.code);
    if (got && got.content === t.content && got.leadText === t.leadText && got.deadlineText === t.deadlineText) right++;
    else wrong.push(`${t.code}: ${got ? JSON.stringify({ content: got.content, lead: got.leadText, deadline: got.deadlineText }) : 'không có'} ≠ ${JSON.stringify({ content: t.content, lead: t.leadText, deadline: t.deadlineText })}`);
  }
  const codes = new Set(plan.tasks.map((t) => t.code));
  for (const t of parsed.tasks) if (!codes.has(t.code)) wrong.push(`thừa ${t.code}: ${t.content}`);
  return { rows: plan.tasks.length + parsed.tasks.filter((t) => !codes.has(t.code)).length, right, wrong };
}
