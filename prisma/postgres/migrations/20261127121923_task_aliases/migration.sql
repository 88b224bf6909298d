-- CreateTable
CREATE TABLE "TaskAlias" (
    "id" SERIAL NOT NULL,
    "taskId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "kind" TEXT NOT NULL,

    CONSTRAINT "TaskAlias_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TaskAlias_code_idx" ON "TaskAlias"("code");

-- CreateIndex
CREATE UNIQUE INDEX "TaskAlias_taskId_code_key" ON "TaskAlias"("taskId", "code");

-- AddForeignKey
ALTER TABLE "TaskAlias" ADD CONSTRAINT "TaskAlias_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;

