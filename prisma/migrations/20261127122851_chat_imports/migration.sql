-- CreateTable
CREATE TABLE "PendingImport" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "token" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "chat" TEXT NOT NULL,
    "user" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "data" BLOB NOT NULL,
    "planName" TEXT,
    "planYear" INTEGER,
    "status" TEXT NOT NULL,
    "result" TEXT,
    "decidedBy" TEXT,
    "decidedAt" DATETIME,
    "expiresAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "PendingImport_token_key" ON "PendingImport"("token");

-- CreateIndex
CREATE INDEX "PendingImport_chat_status_idx" ON "PendingImport"("chat", "status");

