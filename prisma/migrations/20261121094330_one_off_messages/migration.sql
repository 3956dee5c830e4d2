-- CreateEnum
CREATE TYPE "CampaignKind" AS ENUM ('campaign', 'message');

-- AlterEnum
ALTER TYPE "ContentType" ADD VALUE 'interactive';

-- AlterTable
ALTER TABLE "campaigns" ADD COLUMN     "kind" "CampaignKind" NOT NULL DEFAULT 'campaign',
ADD COLUMN     "request_id" TEXT,
ADD COLUMN     "rich_content" JSONB,
ADD COLUMN     "session_id" TEXT;

-- CreateIndex
CREATE INDEX "campaigns_kind_created_at_idx" ON "campaigns"("kind", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "campaigns_channel_id_request_id_key" ON "campaigns"("channel_id", "request_id");
