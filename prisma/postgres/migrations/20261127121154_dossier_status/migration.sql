-- AlterTable
ALTER TABLE "Dossier" ADD COLUMN     "statusText" TEXT,
ADD COLUMN     "unitText" TEXT NOT NULL DEFAULT '';

