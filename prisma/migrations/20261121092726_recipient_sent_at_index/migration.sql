-- CreateIndex
CREATE INDEX "campaign_recipients_campaign_id_sent_at_idx" ON "campaign_recipients"("campaign_id", "sent_at");
