/**
 * The dossier part of a round: the dossiers still processing (store), what to prompt (core/dossier.ts), the
 * pre-filled apology letter of each first prompt as a DOCX attachment (files). The output has RoundPlan's
 * shape, so src/reminders.ts merges it into the plan-task round and records both in one transaction: same
 * ledger, same unique notice keys.
 */
import type { PrismaClient } from '../db/database.ts';
import { addDays } from '../core/dates.ts';
import { planDossierRound, type DossierMessage, type DossierPolicy, type DossierRoundPlan, type RoundDossier } from '../core/dossier.ts';
import { routingOf, type PlannedMessage, type RoundPlan, type Routing } from '../core/round.ts';
import type { WorkdayCalendar } from '../core/workdays.ts';
import { localDateOf } from '../core/time.ts';
import { dossierLetterData, FORM_NAMES, letterFileName, renderApologyText, type LetterHeader, type LetterTemplate } from '../core/apology-letter.ts';
import { apologyDocx, deploymentTemplate, DOCX_MIME } from '../files/apology-letter.ts';
import { dossierEscalationPlanId, roundDossiers } from '../store/dossier-round.ts';
import { lastRoundAt, routingRows } from '../store/round.ts';

/** prompts start at most this many calendar days before the due day (before ≤ 20 working days + holidays) */
const LOOKAHEAD_DAYS = 45;

export type DossierRoundOptions = {
  now: Date;
  zone: string;
  officeHours: { start: string; end: string };
  calendar: WorkdayCalendar;
  defaultChat: string;
  /** the previous round's instant; undefined: the ledger's */
  previousRoundAt?: Date | null;
  policy?: DossierPolicy;
  /** the letter template; default the deployment's (read once a round) */
  template?: LetterTemplate;
  /** the letter's fixed header (NHACVIEC_LETTER_*) */
  letter?: LetterHeader;
  /** routing already loaded by the caller; default the database's */
  routing?: Routing;
};

export type DossierRound = Pick<RoundPlan, 'notices' | 'messages' | 'stages'> & { skipped: DossierRoundPlan['skipped'] };

export async function loadDossierRound(prisma: PrismaClient, opts: DossierRoundOptions): Promise<DossierRound> {
  const today = localDateOf(opts.now, opts.zone);
  const dossiers = await roundDossiers(prisma, addDays(today, LOOKAHEAD_DAYS));
  const [routing, escalationPlanId, previousRoundAt] = await Promise.all([
    opts.routing ?? routingRows(prisma).then((rows) => routingOf(rows, opts.defaultChat)),
    dossierEscalationPlanId(prisma),
    opts.previousRoundAt !== undefined ? opts.previousRoundAt : lastRoundAt(prisma),
  ]);
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
    escalationPlanId,
    letterName: template?.name ?? FORM_NAMES[opts.letter?.form ?? '2025'],
    ...(template ? { letter: (d: RoundDossier) => renderApologyText(template, dossierLetterData(d, opts.letter)) } : {}),
    ...(letterProblem ? { letterProblem } : {}),
  });
  const messages = template ? await withLetters(plan.messages, dossiers, template, opts.letter) : plan.messages.map(({ dossierIds: _ids, letterFor: _for, ...m }) => m);
  return { skipped: plan.skipped, notices: plan.notices, messages, stages: plan.stages };
}

/** The messages with the Word letter of each dossier they carry one for (one rendering per dossier). */
async function withLetters(messages: DossierMessage[], dossiers: RoundDossier[], template: LetterTemplate, header?: LetterHeader): Promise<PlannedMessage[]> {
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
