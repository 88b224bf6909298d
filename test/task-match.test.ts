import { describe, expect, it } from 'vitest';
import { matchTasks, planDiff, type StoredTask } from '../src/core/task-match.ts';

const task = (code: string, content: string, extra: Partial<StoredTask> = {}) => ({
  code, content, leadText: 'Sở Tư pháp', coordText: '', deadlineText: 'Quý I/2024', result: '', note: '', ...extra,
});
let id = 0;
const stored = (code: string, content: string, extra: Partial<StoredTask> = {}): StoredTask => ({ id: ++id, archived: false, ...task(code, content, extra) });

describe('matching a re-imported plan to the stored one', () => {
  it('a removed group does not shift the tasks of the same text onto each other', () => {
    const old = [stored('1.1', 'Rà soát'), stored('1.2', 'Báo cáo'), stored('2.1', 'Công khai'), stored('2.2', 'Báo cáo'), stored('3.1', 'Kiểm tra'), stored('3.2', 'Báo cáo')];
    const fresh = [task('1.1', 'Rà soát'), task('1.2', 'Báo cáo'), task('2.1', 'Kiểm tra'), task('2.2', 'Báo cáo')];
    expect(matchTasks(old, fresh)).toEqual([old[0]!.id, old[1]!.id, old[4]!.id, old[5]!.id]);
    const diff = planDiff(old, fresh);
    expect(diff.renamed).toEqual([{ from: '3.1', to: '2.1' }, { from: '3.2', to: '2.2' }]);
    expect(diff.archived.map((s) => s.code)).toEqual(['2.1', '2.2']);
  });

  it('follows content across new codes, code across edited content, and prefers a live task to an archived one', () => {
    const old = [stored('1.4', 'Kế hoạch'), stored('1.5', 'Báo cáo quý'), stored('1.6', 'Báo cáo quý', { archived: true }), stored('1.7', 'Tập huấn')];
    const fresh = [task('1.2.1', 'Kế hoạch'), task('1.2.2', 'Báo cáo quý'), task('1.7', 'Tập huấn cán bộ đầu mối')];
    expect(matchTasks(old, fresh)).toEqual([old[0]!.id, old[1]!.id, old[3]!.id]);
    const diff = planDiff(old, fresh);
    expect(diff).toMatchObject({ added: [], changed: ['1.7'], unchanged: 0, renamed: [{ from: '1.4', to: '1.2.1' }, { from: '1.5', to: '1.2.2' }] });
    expect(diff.archived).toEqual([]);
  });

  it('an archived task the plan has again comes back; a new text under a new code is new', () => {
    const old = [stored('1.1', 'Rà soát', { archived: true }), stored('1.2', 'Báo cáo')];
    const diff = planDiff(old, [task('1.1', 'Rà soát'), task('1.2', 'Báo cáo'), task('1.3', 'Số hóa')]);
    expect(diff).toMatchObject({ added: ['1.3'], changed: ['1.1'], renamed: [], unchanged: 1 });
  });
});
