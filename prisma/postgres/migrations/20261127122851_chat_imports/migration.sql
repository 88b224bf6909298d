-- CreateTable
CREATE TABLE "PendingImport" (
    "id" SERIAL NOT NULL,
    "token" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "chat" TEXT NOT NULL,
    "user" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "data" BYTEA NOT NULL,
    "planName" TEXT,
    "planYear" INTEGER,
    "status" TEXT NOT NULL,
    "result" TEXT,
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PendingImport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PendingImport_token_key" ON "PendingImport"("token");

-- CreateIndex
CREATE INDEX "PendingImport_chat_status_idx" ON "PendingImport"("chat", "status");

