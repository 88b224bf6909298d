-- AlterTable
ALTER TABLE "AuditLog" ADD COLUMN "dossierId" INTEGER;

-- CreateTable
CREATE TABLE "Dossier" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "procedure" TEXT NOT NULL DEFAULT '',
    "applicant" TEXT NOT NULL DEFAULT '',
    "received" TEXT,
    "due" TEXT NOT NULL,
    "originalDue" TEXT,
    "unitId" INTEGER,
    "status" TEXT NOT NULL DEFAULT 'processing',
    "returnedOn" TEXT,
    "apologyAt" DATETIME,
    "apologyReason" TEXT,
    "lastStage" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Dossier_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Notice" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "occurrenceId" INTEGER,
    "dossierId" INTEGER,
    "outboxId" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Notice_occurrenceId_fkey" FOREIGN KEY ("occurrenceId") REFERENCES "Occurrence" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Notice_dossierId_fkey" FOREIGN KEY ("dossierId") REFERENCES "Dossier" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Notice_outboxId_fkey" FOREIGN KEY ("outboxId") REFERENCES "Outbox" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Notice" ("createdAt", "id", "key", "kind", "occurrenceId", "outboxId") SELECT "createdAt", "id", "key", "kind", "occurrenceId", "outboxId" FROM "Notice";
DROP TABLE "Notice";
ALTER TABLE "new_Notice" RENAME TO "Notice";
CREATE UNIQUE INDEX "Notice_key_key" ON "Notice"("key");
CREATE INDEX "Notice_occurrenceId_idx" ON "Notice"("occurrenceId");
CREATE INDEX "Notice_dossierId_idx" ON "Notice"("dossierId");
CREATE TABLE "new_Outbox" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "chat" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "tasks" TEXT NOT NULL DEFAULT '[]',
    "attachments" TEXT NOT NULL DEFAULT '[]',
    "late" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "claimedBy" TEXT,
    "claimedAt" DATETIME,
    "lastError" TEXT,
    "roundAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" DATETIME
);
INSERT INTO "new_Outbox" ("attempts", "chat", "claimedAt", "claimedBy", "createdAt", "id", "kind", "lastError", "late", "nextAttemptAt", "roundAt", "sentAt", "status", "tasks", "text") SELECT "attempts", "chat", "claimedAt", "claimedBy", "createdAt", "id", "kind", "lastError", "late", "nextAttemptAt", "roundAt", "sentAt", "status", "tasks", "text" FROM "Outbox";
DROP TABLE "Outbox";
ALTER TABLE "new_Outbox" RENAME TO "Outbox";
CREATE INDEX "Outbox_status_nextAttemptAt_idx" ON "Outbox"("status", "nextAttemptAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "Dossier_code_key" ON "Dossier"("code");

-- CreateIndex
CREATE INDEX "Dossier_status_due_idx" ON "Dossier"("status", "due");

-- CreateIndex
CREATE INDEX "AuditLog_dossierId_idx" ON "AuditLog"("dossierId");

