/**
 * Loads what a dossier round needs (processing dossiers, routing, the round before, the letter template) and
 * plans it with planDossierRound; the first prompt of each dossier gets the pre-filled letter as a DOCX
 * attachment (withLetters). The output has RoundPlan's shape (notices, messages, stages), so the caller merges
 * it into the plan-task round and recordRound writes both in one transaction: same ledger, same unique notice
 * keys. Paused and closed dossiers are not read: they get no prompt.
 */
import type { PrismaClient } from '../db/database.ts';
import { addDays } from '../core/dates.ts';
import { planDossierRound, type DossierMessage, type DossierPolicy, type DossierRoundPlan, type RoundDossier } from '../core/dossier.ts';
import type { PlannedMessage, RoundPlan, Routing } from '../core/round.ts';
import type { WorkdayCalendar } from '../core/workdays.ts';
import { localDateOf } from '../core/time.ts';
import { dossierLetterData, FORM_NAMES, letterFileName, renderApologyText, type LetterHeader, type LetterTemplate } from '../core/apology-letter.ts';
import { apologyDocx, deploymentTemplate, DOCX_MIME } from '../files/apology-letter.ts';
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
  /** the letter template; default the deployment's (read once a round) */
  template?: LetterTemplate;
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
  const dossiers: RoundDossier[] = rows.map((r) => {
    const view = toView(r);
    return { ...view, apologized: view.apologyAt !== null };
  });
  const [routing, coordinator, previous] = await Promise.all([
    opts.routing ?? loadRouting(prisma, opts.defaultChat),
    prisma.plan.findFirst({ where: { coordinatorUnitId: { not: null } }, orderBy: [{ year: 'desc' }, { id: 'desc' }], select: { id: true } }),
    opts.previousRoundAt === undefined ? readState(prisma, LAST_ROUND) : Promise.resolve(null),
  ]);
  const previousRoundAt = opts.previousRoundAt !== undefined ? opts.previousRoundAt : previous ? new Date(previous) : null;
  // read once a round: a template broken while the bot runs costs the prompts their letter, not the round
  let template: LetterTemplate | null = opts.template ?? null;
  let letterProblem: string | undefined;
  if (!template && dossiers.length) {
    try {
      template = deploymentTemplate(opts.letter);
    } catch (error) {
      letterProblem = error instanceof Error ? error.message : String(error);
    }
  }
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
    letterName: template?.name ?? FORM_NAMES[opts.letter?.form ?? '2025'],
    ...(template ? { letter: (d: RoundDossier) => renderApologyText(template, dossierLetterData(d, opts.letter)) } : {}),
    ...(letterProblem ? { letterProblem } : {}),
  });
  const messages = template ? await withLetters(plan.messages, dossiers, template, opts.letter) : plan.messages.map(({ dossierIds: _ids, letterFor: _for, ...m }) => m);
  return { skipped: plan.skipped, notices: plan.notices, messages, stages: plan.stages };
}

/** The messages with the Word letter of each dossier they carry one for (one rendering per dossier). */
export async function withLetters(messages: DossierMessage[], dossiers: RoundDossier[], template: LetterTemplate, header?: LetterHeader): Promise<PlannedMessage[]> {
  const byId = new Map(dossiers.map((d) => [d.id, d]));
  const docx = new Map<number, string>();
  const out: PlannedMessage[] = [];
  for (const m of messages) {
    const { dossierIds: _ids, letterFor, ...message } = m;
    const attachments = [];
    for (const id of letterFor) {
      const d = byId.get(id)!;
      let base64 = docx.get(id);
      if (base64 === undefined) {
        base64 = Buffer.from(await apologyDocx(dossierLetterData(d, header), template)).toString('base64');
        docx.set(id, base64);
      }
      attachments.push({ fileName: letterFileName(template, d.code), mime: DOCX_MIME, base64 });
    }
    out.push(attachments.length ? { ...message, attachments } : message);
  }
  return out;
}
