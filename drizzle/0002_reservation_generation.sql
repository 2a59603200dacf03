ALTER TABLE "image_reservation" ADD COLUMN "generation_id" text;--> statement-breakpoint
CREATE INDEX "image_reservation_generation_idx" ON "image_reservation" USING btree ("generation_id");