-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "Provider" AS ENUM ('yeastar', 'connectly');

-- CreateEnum
CREATE TYPE "ChannelKind" AS ENUM ('sms', 'whatsapp', 'facebook');

-- CreateEnum
CREATE TYPE "RecipientSource" AS ENUM ('input', 'phonebook');

-- CreateEnum
CREATE TYPE "ContentType" AS ENUM ('text', 'document', 'template');

-- CreateEnum
CREATE TYPE "SendType" AS ENUM ('immediately', 'schedule', 'draft');

-- CreateEnum
CREATE TYPE "CampaignStatus" AS ENUM ('draft', 'scheduled', 'running', 'paused', 'completed', 'cancelled', 'expired', 'failed');

-- CreateEnum
CREATE TYPE "RecipientStatus" AS ENUM ('pending', 'sending', 'retrying', 'sent', 'delivered', 'read', 'failed', 'skipped', 'cancelled', 'expired');

-- CreateEnum
CREATE TYPE "SentContent" AS ENUM ('session', 'template');

-- CreateTable
CREATE TABLE "channels" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "provider" "Provider" NOT NULL,
    "kind" "ChannelKind" NOT NULL,
    "sender_id" TEXT NOT NULL,
    "rate_per_second" INTEGER NOT NULL DEFAULT 20,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "credentials" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "channels_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaigns" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "channel_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "recipient_type" "RecipientSource" NOT NULL,
    "phonebook_id" BIGINT,
    "recipient_num_type" TEXT,
    "content_type" "ContentType" NOT NULL,
    "content" TEXT,
    "msg_param" JSONB,
    "send_type" "SendType" NOT NULL,
    "send_time" TIMESTAMPTZ(3),
    "send_mode" TEXT,
    "assign_to_type" TEXT,
    "assign_to_id" INTEGER,
    "status" "CampaignStatus" NOT NULL,
    "enqueue_cursor" BIGINT NOT NULL DEFAULT 0,
    "fan_out_completed_at" TIMESTAMPTZ(3),
    "recipient_count" INTEGER NOT NULL DEFAULT 0,
    "failure_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "launched_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "campaigns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaign_recipients" (
    "id" BIGSERIAL NOT NULL,
    "campaign_id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "variables" JSONB,
    "status" "RecipientStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "provider_message_id" TEXT,
    "last_error_code" TEXT,
    "last_error_message" TEXT,
    "sent_content" "SentContent",
    "reason" TEXT,
    "lease_expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "read_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),

    CONSTRAINT "campaign_recipients_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conversation_windows" (
    "channel_id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "last_inbound_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "conversation_windows_pkey" PRIMARY KEY ("channel_id","number")
);

-- CreateTable
CREATE TABLE "phonebooks" (
    "id" BIGSERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "phonebooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contacts" (
    "id" BIGSERIAL NOT NULL,
    "phonebook_id" BIGINT NOT NULL,
    "first_name" TEXT,
    "last_name" TEXT,
    "company" TEXT,
    "email" TEXT,
    "business_number" TEXT,
    "business_number2" TEXT,
    "mobile_number" TEXT,
    "mobile_number2" TEXT,
    "home_number" TEXT,
    "home_number2" TEXT,
    "business_fax" TEXT,
    "home_fax" TEXT,
    "other_number" TEXT,
    "variables" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contacts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "suppressions" (
    "id" BIGSERIAL NOT NULL,
    "channel_id" UUID,
    "number" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "suppressions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "scopes" TEXT[] DEFAULT ARRAY['read', 'send', 'admin']::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "campaigns_status_idx" ON "campaigns"("status");

-- CreateIndex
CREATE INDEX "campaign_recipients_campaign_id_status_id_idx" ON "campaign_recipients"("campaign_id", "status", "id");

-- CreateIndex
CREATE INDEX "campaign_recipients_provider_message_id_idx" ON "campaign_recipients"("provider_message_id");

-- CreateIndex
CREATE UNIQUE INDEX "campaign_recipients_campaign_id_number_key" ON "campaign_recipients"("campaign_id", "number");

-- CreateIndex
CREATE INDEX "contacts_phonebook_id_id_idx" ON "contacts"("phonebook_id", "id");

-- CreateIndex
CREATE INDEX "suppressions_number_idx" ON "suppressions"("number");

-- CreateIndex
CREATE UNIQUE INDEX "suppressions_channel_id_number_key" ON "suppressions"("channel_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

-- AddForeignKey
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "channels"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign_recipients" ADD CONSTRAINT "campaign_recipients_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_phonebook_id_fkey" FOREIGN KEY ("phonebook_id") REFERENCES "phonebooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;
