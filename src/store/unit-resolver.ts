/** Unit names of plan cells against the unit registry: single units, classes, vague phrases, new names. */
import type { PlanWarning } from '../core/plan-table.ts';
import { classOf, isVagueUnit, matchUnit, unitKey, type UnitKind } from '../core/units.ts';

/** Resolves unit names of plan cells against the registry: single units, classes, vague phrases, new names. */
export class UnitResolver {
  private readonly single = new Map<string, number | 'pending' | 'skip'>();
  private readonly classes = new Map<string, { ids: number[]; label: string }>();
  private readonly pending = new Map<string, string>();

  constructor(
    private readonly registry: { id: number; name: string; kind: UnitKind; aliases: string[] }[],
    private readonly warnings: PlanWarning[],
  ) {}

  resolve(name: string, row: number): void {
    if (this.single.has(name) || this.classes.has(name)) return;
    if (isVagueUnit(name)) return void this.single.set(name, 'skip');
    const cls = classOf(name);
    if (cls) {
      const ids = this.registry.filter((u) => cls.kinds.includes(u.kind)).map((u) => u.id);
      if (!ids.length) {
        this.warnings.push({ row, message: `Dòng ${row}: "${name}" là một nhóm đơn vị (${cls.label}) nhưng danh mục chưa có đơn vị nào thuộc nhóm này; hãy nhập danh mục đơn vị rồi nhập lại kế hoạch` });
      }
      return void this.classes.set(name, { ids, label: cls.label });
    }
    let match = matchUnit(name, this.registry);
    // "Văn phòng HĐND và UBND huyện (Bộ phận Tiếp nhận và trả kết quả huyện)": the unit is outside the brackets
    const bare = name.replace(/\s*\([^)]*\)\s*/g, ' ').trim();
    if (match.kind === 'none' && bare && bare !== name) match = matchUnit(bare, this.registry);
    if (match.kind === 'found') return void this.single.set(name, match.unit.id);
    if (match.kind === 'ambiguous') {
      this.warnings.push({ row, message: `Dòng ${row}: "${name}" khớp nhiều đơn vị (${match.candidates.map((u) => u.name).join('; ')}); chưa giao cho đơn vị nào` });
      return void this.single.set(name, 'skip');
    }
    const key = unitKey(name);
    if (!key) return void this.single.set(name, 'skip');
    if (!this.pending.has(key)) {
      this.pending.set(key, name);
      this.warnings.push({ row, message: `Dòng ${row}: đơn vị "${name}" chưa có trong danh mục; đã tạo ở trạng thái chờ xác nhận` });
    }
    this.single.set(name, 'pending');
  }

  /** a unit named outside the table (the coordinating office given on the command line) */
  findOne(name: string): number | undefined {
    const match = matchUnit(name, this.registry);
    return match.kind === 'found' ? match.unit.id : undefined;
  }

  pendingNames(): string[] {
    return [...this.pending.values()];
  }

  unitIds(name: string, pendingIds: Map<string, number>): number[] {
    const cls = this.classes.get(name);
    if (cls) return cls.ids;
    const single = this.single.get(name);
    if (typeof single === 'number') return [single];
    if (single === 'pending') {
      const id = pendingIds.get(this.pending.get(unitKey(name)) ?? '');
      return id ? [id] : [];
    }
    return [];
  }

  /** the class phrase an assignment was expanded from (kept so that new units of the class join later) */
  classLabel(name: string): string | null {
    return this.classes.has(name) ? name : null;
  }
}
