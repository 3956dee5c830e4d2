-- AlterTable
ALTER TABLE "campaign_recipients" ADD COLUMN     "claim_run" INTEGER;
