-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Officer" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "user" TEXT NOT NULL,
    "displayName" TEXT NOT NULL DEFAULT '',
    "unitId" INTEGER NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'officer',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "personalReminders" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Officer_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "Unit" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Officer" ("createdAt", "displayName", "id", "role", "unitId", "user") SELECT "createdAt", "displayName", "id", "role", "unitId", "user" FROM "Officer";
DROP TABLE "Officer";
ALTER TABLE "new_Officer" RENAME TO "Officer";
CREATE UNIQUE INDEX "Officer_user_unitId_key" ON "Officer"("user", "unitId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

