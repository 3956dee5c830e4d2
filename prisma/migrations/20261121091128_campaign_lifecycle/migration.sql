-- AlterTable
ALTER TABLE "channels" ADD COLUMN     "pair_gap_ms" INTEGER;

-- AlterTable
ALTER TABLE "campaigns" ADD COLUMN     "cancelled_at" TIMESTAMPTZ(3),
ADD COLUMN     "expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "max_attempts" INTEGER NOT NULL DEFAULT 8,
ADD COLUMN     "max_retry_seconds" INTEGER NOT NULL DEFAULT 3600,
ADD COLUMN     "message_tag" TEXT,
ADD COLUMN     "paused_at" TIMESTAMPTZ(3),
ADD COLUMN     "source_campaign_id" UUID;
