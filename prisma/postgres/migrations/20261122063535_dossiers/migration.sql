-- AlterTable
ALTER TABLE "Notice" ADD COLUMN     "dossierId" INTEGER;

-- AlterTable
ALTER TABLE "Outbox" ADD COLUMN     "attachments" TEXT NOT NULL DEFAULT '[]';

-- AlterTable
ALTER TABLE "AuditLog" ADD COLUMN     "dossierId" INTEGER;

-- CreateTable
CREATE TABLE "Dossier" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "procedure" TEXT NOT NULL DEFAULT '',
    "applicant" TEXT NOT NULL DEFAULT '',
    "received" TEXT,
    "due" TEXT NOT NULL,
    "originalDue" TEXT,
    "unitId" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'processing',
    "returnedOn" TEXT,
    "apologyAt" TIMESTAMP(3),
    "apologyReason" TEXT,
    "lastStage" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Dossier_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Dossier_code_key" ON "Dossier"("code");

-- CreateIndex
CREATE INDEX "Dossier_status_due_idx" ON "Dossier"("status", "due");

-- CreateIndex
CREATE INDEX "Notice_dossierId_idx" ON "Notice"("dossierId");

-- CreateIndex
CREATE INDEX "AuditLog_dossierId_idx" ON "AuditLog"("dossierId");

-- AddForeignKey
ALTER TABLE "Notice" ADD CONSTRAINT "Notice_dossierId_fkey" FOREIGN KEY ("dossierId") REFERENCES "Dossier"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Dossier" ADD CONSTRAINT "Dossier_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

