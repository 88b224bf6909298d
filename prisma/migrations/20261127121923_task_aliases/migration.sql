-- CreateTable
CREATE TABLE "TaskAlias" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "taskId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    CONSTRAINT "TaskAlias_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "TaskAlias_code_idx" ON "TaskAlias"("code");

-- CreateIndex
CREATE UNIQUE INDEX "TaskAlias_taskId_code_key" ON "TaskAlias"("taskId", "code");

