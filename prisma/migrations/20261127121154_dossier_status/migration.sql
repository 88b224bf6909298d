-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Dossier" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "code" TEXT NOT NULL,
    "procedure" TEXT NOT NULL DEFAULT '',
    "applicant" TEXT NOT NULL DEFAULT '',
    "received" TEXT,
    "due" TEXT NOT NULL,
    "originalDue" TEXT,
    "unitId" INTEGER,
    "unitText" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'processing',
    "statusText" TEXT,
    "returnedOn" TEXT,
    "apologyAt" DATETIME,
    "apologyReason" TEXT,
    "lastStage" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Dossier_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Dossier" ("apologyAt", "apologyReason", "applicant", "code", "createdAt", "due", "id", "lastStage", "originalDue", "procedure", "received", "returnedOn", "status", "unitId", "updatedAt") SELECT "apologyAt", "apologyReason", "applicant", "code", "createdAt", "due", "id", "lastStage", "originalDue", "procedure", "received", "returnedOn", "status", "unitId", "updatedAt" FROM "Dossier";
DROP TABLE "Dossier";
ALTER TABLE "new_Dossier" RENAME TO "Dossier";
CREATE UNIQUE INDEX "Dossier_code_key" ON "Dossier"("code");
CREATE INDEX "Dossier_status_due_idx" ON "Dossier"("status", "due");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

