-- AlterTable
ALTER TABLE "Officer" ADD COLUMN     "personalReminders" BOOLEAN NOT NULL DEFAULT false;

