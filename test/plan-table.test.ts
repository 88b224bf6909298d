import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanCellText, TableShapeError, understandTable, type RawRow } from '../src/core/plan-table.ts';
import { readPlainText } from '../src/import/read-text.ts';

const fixture = (name: string): string => readFileSync(new URL(`../../shared/fixtures/${name}`, import.meta.url), 'utf8');

const VP = 'Văn phòng HĐND và UBND huyện';
const PBN = 'Các phòng, ban, ngành huyện';
const XA = 'UBND các xã, thị trấn';
const VHTT = 'Phòng Văn hóa và Thông tin huyện';
const TX = 'Thường xuyên';

/** Châu Thành 2023, written by hand from the fixture: code, lead units, deadline text. */
const CHAU_THANH: [string, string[], string][] = [
  ['1.1.1', [VP], '15/02/2023'],
  ['1.1.2', [VP], 'Trước 28/02/2023'],
  ['1.1.3', [VP], 'Trước 15/02/2023'],
  ['1.1.4', [VP], 'Quý I/2023'],
  ['1.1.5', [VP], '02 lần/năm'],
  ['1.1.6', [PBN, XA], 'Trong thời gian 10 ngày kể từ ngày tiếp nhận'],
  ['1.2.1', [PBN], TX],
  ['1.3.1', [PBN], 'Trước ngày 05/9/2023'],
  ['1.3.2', [VP], 'Trước ngày 15/9/2023'],
  ['2.1.1', [`${VP} (Bộ phận Tiếp nhận và trả kết quả huyện)`], TX],
  ['2.1.2', [XA], TX],
  ['2.1.3', [VP, XA], 'Ngay sau khi có quyết định công bố danh mục TTHC của Chủ tịch UBND tỉnh'],
  ['2.1.4', [PBN, XA], TX],
  ['2.1.5', ['Bộ phận TN&TKQ cấp huyện và cấp xã'], TX],
  ['2.1.6', [VHTT, 'Bộ phận TN&TKQ cấp huyện và cấp xã'], TX],
  ['2.1.7', [PBN, XA], 'Thường xuyên (Trước 01 ngày của hồ sơ đến hạn trả kết quả).'],
  ['2.2.1', [VP, 'Phòng Tư pháp'], 'Quý I/2023'],
  ['2.2.2', [PBN], 'Năm 2023'],
  ['2.2.3', [XA], 'Năm 2023'],
  ['2.2.4', [VP, XA], 'Quý I/2023'],
  ['2.3.1', [PBN, XA], TX],
  ['3.1.1', [PBN, XA], TX],
  ['3.1.2', [PBN, XA], TX],
  ['3.1.3', [PBN, XA], TX],
  ['3.2.1', ['Cán bộ, công chức, viên chức tại Bộ phận TN&TKQ các cấp'], TX],
  ['3.2.2', [PBN, XA], TX],
  ['3.2.3', [PBN, XA], TX],
  ['3.2.4', [PBN, XA], TX],
  ['3.3.1', ['Phòng Tư pháp huyện', XA], TX],
  ['4.1.1', [PBN, XA], TX],
  ['4.1.2', [PBN, XA], TX],
  ['4.1.3', [PBN, XA], TX],
  ['4.1.4', [PBN, XA], TX],
  ['4.1.5', [PBN, XA], TX],
  ['5.1.1', [VHTT, 'Trung tâm VH-TT và TT huyện'], TX],
  ['5.2.1', [PBN, XA], TX],
  ['5.2.2', [VHTT, 'Trung tâm VH-TT và TT huyện'], 'Quý I/2023'],
  ['5.2.3', [PBN, XA], TX],
  ['6.1.1', ['Các phòng ban, ngành huyện', XA], 'Hàng quý'],
  ['6.1.2', [PBN, XA], 'Theo yêu cầu'],
];

const BQ = 'Văn phòng BQLKKT tỉnh';
const PDV = 'Các phòng, đơn vị';
/** BQLKKT 2024 (PDF text), by hand: code, lead, coordinating, deadline text. */
const BQLKKT: [string, string, string, string][] = [
  ['1.1', BQ, PDV, 'Tháng 2/2024'],
  ['1.2', BQ, PDV, 'Tháng 02/2024'],
  ['1.3', BQ, PDV, 'Tháng 05/2024'],
  ['1.4', BQ, PDV, 'Thường xuyên trong năm'],
  ['2.1.1', PDV, BQ, TX],
  ['2.1.2', PDV, BQ, TX],
  ['2.1.3', PDV, BQ, 'Chậm nhất trước 05 ngày tính đến ngày văn bản quy phạm pháp luật có quy định về TTHC có hiệu lực thi hành'],
  ['2.1.4', BQ, PDV, 'Chậm nhất 10 ngày kể từ ngày ban hành Quyết định công bố TTHC hoặc Quyết định công bố danh mục TTHC của Chủ tịch UBND tỉnh'],
  ['2.1.5', BQ, PDV, TX],
  ['2.1.6', BQ, PDV, TX],
  ['2.2.1', BQ, PDV, TX],
  ['3.1', PDV, BQ, 'Theo Kế hoạch'],
  ['3.2', PDV, BQ, 'Theo Kế hoạch'],
  ['4.1', PDV, BQ, 'Khi có phát sinh'],
  ['4.2', PDV, BQ, 'Khi có phát sinh'],
  ['5.1', BQ, PDV, TX],
  ['5.2', BQ, PDV, 'Khi có vi phạm'],
  ['6.1', BQ, PDV, TX],
  ['6.2', BQ, PDV, TX],
  ['7.1', BQ, PDV, 'Hàng quý, năm và đột xuất khi có yêu cầu (thời gian báo cáo theo Thông tư 01/2020/TT-VPCP của Văn phòng Chính phủ)'],
];

describe('Châu Thành 2023 fixture (tab-separated paste)', () => {
  const plan = understandTable(readPlainText(fixture('plan-chau-thanh-2023-appendix.tsv.txt')));

  it('finds 40 tasks with the expected codes, lead units and deadlines', () => {
    expect(plan.tasks).toHaveLength(40);
    expect(plan.tasks.map((t) => [t.code, t.lead, t.deadlineText])).toEqual(CHAU_THANH);
  });
  it('finds 6 parts and 13 groups, and the title', () => {
    expect(plan.sections.filter((s) => s.kind === 'part').map((s) => s.path)).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(plan.sections.filter((s) => s.kind === 'group').map((s) => s.path)).toEqual([
      '1.1', '1.2', '1.3', '2.1', '2.2', '2.3', '3.1', '3.2', '3.3', '4.1', '5.1', '5.2', '6.1',
    ]);
    expect(plan.title).toMatch(/^Nội dung thực hiện tổ chức hoạt động kiểm soát thủ tục hành chính/);
  });
  it('joins the lead cell broken by the page break (rows 79 + 82) and warns once', () => {
    const task = plan.tasks.find((t) => t.code === '3.3.1');
    expect(task?.leadText).toBe('Phòng Tư pháp huyện và UBND các xã, thị trấn');
    expect(plan.warnings).toHaveLength(1);
    expect(plan.warnings[0]?.message).toMatch(/^Dòng 82 \(cột Cơ quan chủ trì\): .*dòng 79/);
  });
  it('strips HTML and keeps coordinating units, results and notes', () => {
    const t211 = plan.tasks.find((t) => t.code === '2.1.1');
    expect(t211?.content).not.toMatch(/<\/?i>/);
    expect(t211?.content).toContain('(thông qua việc niêm yết');
    const t222 = plan.tasks.find((t) => t.code === '2.2.2');
    expect(t222?.note).toMatch(/^Tăng năng suất tiếp nhận hồ sơ trung bình/);
    const t221 = plan.tasks.find((t) => t.code === '2.2.1');
    expect(t221?.content.split('\n')).toHaveLength(2);
    expect(t221?.coord).toEqual(['Bưu điện huyện', 'UBND cấp xã', 'Các đơn vị có liên quan']);
    expect(plan.tasks.find((t) => t.code === '1.1.2')?.coord).toEqual(['Phòng nội vụ', 'các đơn vị có liên quan']);
  });
});

describe('BQLKKT 2024 fixture (PDF text)', () => {
  const plan = understandTable(readPlainText(fixture('plan-bqlkkt-2024-appendix.txt')));

  it('finds 20 tasks with the expected codes, lead, coordinating units and deadlines', () => {
    expect(plan.tasks).toHaveLength(20);
    expect(plan.tasks.map((t) => [t.code, t.leadText, t.coordText, t.deadlineText])).toEqual(BQLKKT);
  });
  it('finds the groups I..VII with II.1 and II.2', () => {
    expect(plan.sections.map((s) => s.path)).toEqual(['1', '2', '2.1', '2.2', '3', '4', '5', '6', '7']);
    expect(plan.title).toBe('CÁC NHIỆM VỤ KIỂM SOÁT THỦ TỤC HÀNH CHÍNH TRỌNG TÂM NĂM 2024');
  });
  it('splits results from deadlines and keeps list results', () => {
    expect(plan.tasks.find((t) => t.code === '3.2')?.result).toBe('Báo cáo');
    expect(plan.tasks.find((t) => t.code === '4.1')?.result).toBe('- Dự thảo văn bản QPPL và bản đánh giá tác động của TTHC;\n- Văn bản tham gia ý kiến');
  });
  it('drops the page number before item 2 of II.1 and flags the doubtful rows', () => {
    expect(plan.tasks.filter((t) => t.needsReview).map((t) => t.code)).toEqual(['2.1.1', '2.1.2']);
    expect(plan.warnings.map((w) => w.message)).toEqual([
      'Dòng 80: nội dung có một thời hạn riêng "(chậm nhất trong 05 ngày làm việc)", cần kiểm tra lại',
      'Dòng 107: bỏ qua số "2" đứng riêng ở dòng 103 (có lẽ là số trang), cần kiểm tra lại',
    ]);
  });
});

const row = (r: number, ...cells: string[]): RawRow => ({ cells, source: { row: r } });

describe('understandTable shapes', () => {
  it('reads a two-row header, two number columns, a merged lead..result cell and an unnumbered row', () => {
    const plan = understandTable([
      row(1, 'TT', 'STT', 'Nội dung công việc', 'Phân công thực hiện', '', 'THỜI GIAN', 'Sản phẩm'),
      row(2, '', '', '', 'Đơn vị chủ trì', 'Đơn vị phối hợp', '', ''),
      row(3, '1', '2', '3', '4', '5', '6', '7'),
      row(4, '1. Thực hiện kiểm soát TTHC'),
      row(5, 'I', '', 'Công tác chỉ đạo', '', '', '', ''),
      row(6, '1', '1', 'Việc một', 'Văn phòng', 'Thanh tra Sở', 'Quý I/2024', 'Kế hoạch'),
      { cells: ['2', '2', 'Việc hai', 'Đã được phân công theo Kế hoạch số 12/KH-UBND', '', '', ''], spans: [1, 1, 1, 4, 0, 0, 0], source: { row: 7 } },
      row(8, '', '', 'Việc không số', 'Văn phòng', '', 'Năm 2024', ''),
      row(9, '3', '2', 'Việc trùng số', 'Văn phòng', '', '', ''),
      row(10, '12'),
      row(11, 'II.1', '', 'Nhóm con', '', '', '', ''),
      row(12, '4', '1.', '<i>Việc</i> bốn<br>- ý một<br>- ý hai', 'Thanh tra Sở', '', 'Thường xuyên', 'Văn phòng'),
    ]);
    expect(plan.sections).toEqual([
      { path: '1', title: 'Thực hiện kiểm soát TTHC', kind: 'part' },
      { path: '1.1', title: 'Công tác chỉ đạo', kind: 'group' },
      { path: '1.2.1', title: 'Nhóm con', kind: 'group' },
    ]);
    expect(plan.tasks.map((t) => [t.code, t.number, t.leadText, t.coordText, t.deadlineText])).toEqual([
      ['1.1.1', '1', 'Văn phòng', 'Thanh tra Sở', 'Quý I/2024'],
      ['1.1.2', '2', '', '', ''],
      ['1.1.3', '', 'Văn phòng', '', 'Năm 2024'],
      ['1.1.4', '2', 'Văn phòng', '', ''],
      ['1.2.1.1', '1.', 'Thanh tra Sở', '', 'Thường xuyên'],
    ]);
    expect(plan.tasks[1]?.note).toBe('Đã được phân công theo Kế hoạch số 12/KH-UBND');
    expect(plan.tasks[4]?.content).toBe('Việc bốn\n- ý một\n- ý hai');
    const messages = plan.warnings.map((w) => w.message);
    expect(messages).toContain('Dòng 8 (cột STT): nhiệm vụ không có số thứ tự; đặt mã 1.1.3 (số tiếp theo còn trống trong nhóm)');
    expect(messages.some((m) => m.startsWith('Dòng 9 (cột STT): hai nhiệm vụ cùng mã 1.1.2 (dòng 7 và dòng 9)'))).toBe(true);
    expect(messages).toContain('Dòng 9 (cột THỜI GIAN): không có thời hạn');
    expect(messages.some((m) => m.startsWith('Dòng 7 (cột Đơn vị chủ trì): ô gộp'))).toBe(true);
    expect(messages.some((m) => m.startsWith('Dòng 12 (cột Sản phẩm): ') || m.startsWith('Dòng 12'))).toBe(false);
  });

  it('never makes a task of a heading: unmerged group titles in Stt2, "Phụ lục" and page rows, numbered empty rows', () => {
    const plan = understandTable([
      row(1, 'Stt', 'Stt2', 'Nội dung', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Thời hạn'),
      row(2, 'A', 'CÔNG TÁC KIỂM SOÁT TTHC', '', '', '', ''),
      row(3, 'I', 'Công tác chỉ đạo (tiêu đề tràn sang các ô trống)', '', '', '', ''),
      row(4, '1', '1', 'Việc một', 'Văn phòng', '', 'Quý I/2024'),
      row(5, 'PHỤ LỤC I'),
      row(6, '', '', '', '', '', 'Trang 2'),
      row(7, '2', '2', 'Việc hai', 'Sở Tư pháp', 'Sở Nội vụ', 'Tháng 3/2024'),
      row(8, '3', '3', '', '', '', ''),
      row(9, '', '', '', '', 'và các đơn vị có liên quan', ''),
      row(10, 'II', '', 'Công khai TTHC', '', '', ''),
      row(11, '4', '1', 'Kiểm tra việc công khai tại:', '', '', ''),
      row(12, '', '', '- UBND xã A', 'UBND xã A', '', 'Quý II/2024'),
      row(13, '', '', '- UBND xã B', 'UBND xã B', '', 'Quý III/2024'),
      row(14, '5', '2', 'Tổng hợp kết quả kiểm tra', 'Văn phòng', '', 'Tháng 10/2024'),
    ]);
    expect(plan.sections).toEqual([
      { path: '1', title: 'CÔNG TÁC KIỂM SOÁT TTHC', kind: 'part' },
      { path: '1.1', title: 'Công tác chỉ đạo (tiêu đề tràn sang các ô trống)', kind: 'group' },
      { path: '1.2', title: 'Công khai TTHC', kind: 'group' },
      { path: '1.2.1', title: 'Kiểm tra việc công khai tại:', kind: 'group' },
    ]);
    expect(plan.tasks.map((t) => [t.code, t.content, t.leadText, t.coordText, t.aliases])).toEqual([
      ['1.1.1', 'Việc một', 'Văn phòng', '', ['1', '1.1']],
      ['1.1.2', 'Việc hai', 'Sở Tư pháp', 'Sở Nội vụ và các đơn vị có liên quan', ['2', '1.2']],
      ['1.2.1.1', '- UBND xã A', 'UBND xã A', '', undefined],
      ['1.2.1.2', '- UBND xã B', 'UBND xã B', '', undefined],
      ['1.2.2', 'Tổng hợp kết quả kiểm tra', 'Văn phòng', '', ['5', '1.5']],
    ]);
    expect(plan.warnings.map((w) => w.message)).toEqual([
      'Dòng 8: dòng có số "3 3" nhưng không có nội dung, đơn vị chủ trì hay thời hạn: bỏ qua',
      'Dòng 9 (cột Đơn vị phối hợp): phần tiếp theo của ô ở dòng 7 (bị ngắt trang), đã ghép vào nhiệm vụ đó',
      'Dòng 12 (cột Stt2): nhiệm vụ không có số thứ tự; đặt mã 1.2.1.1 (số tiếp theo còn trống trong nhóm)',
      'Dòng 13 (cột Stt2): nhiệm vụ không có số thứ tự; đặt mã 1.2.1.2 (số tiếp theo còn trống trong nhóm)',
    ]);
  });

  it('reads columns it does not use, a deadline split into start and end, "Phần A", and lettered sub-tasks', () => {
    const plan = understandTable([
      { cells: ['TT', 'Nội dung', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian thực hiện', '', 'Kinh phí', 'Cơ sở pháp lý'], spans: [1, 1, 1, 1, 2, 0, 1, 1], source: { row: 1 } },
      row(2, '', '', '', '', 'Bắt đầu', 'Hoàn thành', '', ''),
      row(3, 'Phần A', 'NHIỆM VỤ TRỌNG TÂM', '', '', '', '', '', ''),
      row(4, 'I', 'Rà soát TTHC', '', '', '', '', '', ''),
      row(5, '1', 'Rà soát quy định', 'Sở Tư pháp', '', 'Tháng 1/2024', 'Quý II/2024', '200 triệu', 'Nghị định 63'),
      row(6, '2', 'Công khai kết quả rà soát tại:', 'Sở Tư pháp', '', '', 'Quý III/2024', '', ''),
      row(7, 'a)', 'Cổng thông tin điện tử', 'Sở Thông tin và Truyền thông', '', '', 'Quý III/2024', '', ''),
      row(8, 'b)', 'Trụ sở các cơ quan', 'Văn phòng UBND tỉnh', '', '', 'Quý IV/2024', '', ''),
    ]);
    expect(plan.sections.map((s) => [s.path, s.kind])).toEqual([
      ['1', 'part'],
      ['1.1', 'group'],
    ]);
    expect(plan.tasks.map((t) => [t.code, t.content, t.deadlineText])).toEqual([
      ['1.1.1', 'Rà soát quy định', 'Quý II/2024'],
      ['1.1.2', 'Công khai kết quả rà soát tại:', 'Quý III/2024'],
      ['1.1.2.1', 'Cổng thông tin điện tử', 'Quý III/2024'],
      ['1.1.2.2', 'Trụ sở các cơ quan', 'Quý IV/2024'],
    ]);
    expect(plan.warnings.map((w) => w.message)).toEqual([]);
    // a row with neither number nor content before any task belongs to nothing: skipped and said
    const lone = understandTable([row(1, 'STT', 'Nội dung', 'Đơn vị chủ trì', 'Thời hạn'), row(2, '', '', 'Sở Tư pháp', 'Quý I/2024'), row(3, '1', 'Việc', 'Sở Tư pháp', 'Quý I/2024')]);
    expect(lone.tasks.map((t) => t.code)).toEqual(['1']);
    expect(lone.warnings.map((w) => w.message)).toEqual(['Dòng 2: dòng không có số thứ tự và không có nội dung, không thuộc nhiệm vụ nào ở trên: bỏ qua, cần kiểm tra lại']);
  });

  // "Nơi nhận:" itself is the signature block's and is passed over without a word
  it('a sheet\'s footer under the table ("- Như trên;", "Nơi nhận:") joins no task', () => {
    const plan = understandTable([
      row(1, 'STT', 'Nội dung', 'Đơn vị chủ trì', 'Thời hạn'),
      row(2, '1', 'Việc một', 'Sở Tư pháp', 'Quý I/2024'),
      row(3, '', '- tại trụ sở;', '', ''),
      row(4, '- Như trên;', '', '', ''),
      row(5, 'Nơi nhận:', '', '', ''),
      row(6, '- Lưu: VT.', '', '', ''),
    ]);
    expect(plan.tasks.map((t) => [t.code, t.content])).toEqual([['1', 'Việc một\n- tại trụ sở;']]);
    expect(plan.warnings.map((w) => w.message)).toEqual([
      'Dòng 3: dòng không có số thứ tự, đã ghép vào nhiệm vụ ở dòng 2',
      'Dòng 4: dòng chỉ có nội dung ("- Như trên;"), không số thứ tự, đơn vị hay thời hạn: coi là tiêu đề, không tạo nhiệm vụ',
      'Dòng 6: dòng chỉ có nội dung ("- Lưu: VT."), không số thứ tự, đơn vị hay thời hạn: coi là tiêu đề, không tạo nhiệm vụ',
    ]);
  });

  it('warns about a cell that looks shifted', () => {
    const plan = understandTable([
      row(1, 'STT', 'Nội dung', 'Cơ quan chủ trì', 'Cơ quan phối hợp', 'Thời gian hoàn thành'),
      row(2, '1', 'Việc', 'Thường xuyên', '', 'Sở Tư pháp'),
    ]);
    expect(plan.tasks[0]?.needsReview).toBe(true);
    expect(plan.warnings.map((w) => w.message)).toEqual([
      'Dòng 2 (cột Cơ quan chủ trì): ô có vẻ bị lệch cột ("Thường xuyên" giống một thời hạn), cần kiểm tra lại',
      'Dòng 2 (cột Thời gian hoàn thành): ô có vẻ bị lệch cột ("Sở Tư pháp" giống tên đơn vị), cần kiểm tra lại',
    ]);
  });

  it('throws TableShapeError without a header row', () => {
    expect(() => understandTable([row(1, 'a', 'b'), row(2, '1', 'x')])).toThrow(TableShapeError);
  });

  it('cleans cells', () => {
    expect(cleanCellText('<p>Các  phòng</p>\n<p>ban&amp;ngành</p>')).toBe('Các phòng\nban&ngành');
    expect(cleanCellText('- Trong quý II, quý III/2024. - Trước ngày 01/01/2025.')).toBe('- Trong quý II, quý III/2024.\n- Trước ngày 01/01/2025.');
    expect(cleanCellText('a < 5 ngày')).toBe('a < 5 ngày');
  });
});
