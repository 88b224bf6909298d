/**
 * Loads what a dossier round needs (processing dossiers, routing, the round before) and plans it with
 * planDossierRound; the first prompt of each dossier gets the pre-filled letter as a DOCX attachment. The
 * output has RoundPlan's shape (notices, messages, stages), so the caller merges it into the plan-task round
 * and recordRound writes both in one transaction: same ledger, same unique notice keys.
 */
import type { PrismaClient } from '../db/database.ts';
import { addDays } from '../core/dates.ts';
import { planDossierRound, type DossierPolicy, type DossierRoundPlan, type RoundDossier } from '../core/dossier.ts';
import type { PlannedMessage, RoundPlan, Routing } from '../core/round.ts';
import type { WorkdayCalendar } from '../core/workdays.ts';
import { localDateOf } from '../core/time.ts';
import { apologyDocx, dossierLetterData, DOCX_MIME, letterFileName, loadTemplate, renderApologyText, type LetterHeader } from '../files/apology-letter.ts';
import { DOSSIER_SELECT, toView } from './dossiers.ts';
import { loadRouting } from './round.ts';
import { readState } from './state.ts';

const LAST_ROUND = 'round:last';
/** prompts start at most this many calendar days before the due day (before ≤ 20 working days + holidays) */
const LOOKAHEAD_DAYS = 45;

export type DossierRoundOptions = {
  now: Date;
  zone: string;
  officeHours: { start: string; end: string };
  calendar: WorkdayCalendar;
  defaultChat: string;
  /** the previous round's instant; undefined: read from the ledger's state (what loadRound reads) */
  previousRoundAt?: Date | null;
  policy?: DossierPolicy;
  /** the letter template text; default loadTemplate() */
  template?: string;
  /** the letter's fixed header (NHACVIEC_LETTER_*) */
  letter?: LetterHeader;
  /** routing already loaded by the caller (loadRound); default loadRouting(prisma, defaultChat) */
  routing?: Routing;
};

export type DossierRound = Pick<RoundPlan, 'notices' | 'messages' | 'stages'> & { skipped: DossierRoundPlan['skipped'] };

export async function loadDossierRound(prisma: PrismaClient, opts: DossierRoundOptions): Promise<DossierRound> {
  const today = localDateOf(opts.now, opts.zone);
  const rows = await prisma.dossier.findMany({
    where: { status: 'processing', due: { lte: addDays(today, LOOKAHEAD_DAYS) } },
    select: DOSSIER_SELECT,
  });
  const dossiers: (RoundDossier & { apologyReason: string | null })[] = rows.map((r) => {
    const view = toView(r);
    return { ...view, apologized: view.apologyAt !== null };
  });
  const [routing, coordinator, previous] = await Promise.all([
    opts.routing ?? loadRouting(prisma, opts.defaultChat),
    prisma.plan.findFirst({ where: { coordinatorUnitId: { not: null } }, orderBy: [{ year: 'desc' }, { id: 'desc' }], select: { id: true } }),
    opts.previousRoundAt === undefined ? readState(prisma, LAST_ROUND) : Promise.resolve(null),
  ]);
  const previousRoundAt = opts.previousRoundAt !== undefined ? opts.previousRoundAt : previous ? new Date(previous) : null;
  let template: string | undefined = opts.template;
  const templateText = () => (template ??= loadTemplate());
  const plan = planDossierRound({
    now: opts.now,
    zone: opts.zone,
    officeHours: opts.officeHours,
    calendar: opts.calendar,
    previousRoundAt,
    dossiers,
    routing,
    ...(opts.policy ? { policy: opts.policy } : {}),
    escalationPlanId: coordinator?.id ?? null,
    letter: (d) => renderApologyText(templateText(), dossierLetterData(d, opts.letter)),
  });

  const byId = new Map(dossiers.map((d) => [d.id, d]));
  const docx = new Map<number, string>();
  const messages: PlannedMessage[] = [];
  for (const m of plan.messages) {
    const { dossierIds: _ids, letterFor, ...message } = m;
    const attachments = [];
    for (const id of letterFor) {
      const d = byId.get(id)!;
      let base64 = docx.get(id);
      if (base64 === undefined) {
        base64 = Buffer.from(await apologyDocx(dossierLetterData(d, opts.letter), templateText())).toString('base64');
        docx.set(id, base64);
      }
      attachments.push({ fileName: letterFileName(d.code), mime: DOCX_MIME, base64 });
    }
    messages.push(attachments.length ? { ...message, attachments } : message);
  }
  return { skipped: plan.skipped, notices: plan.notices, messages, stages: plan.stages };
}
