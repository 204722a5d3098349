-- Before this migration a quote could be booked again after a cancel. Each quote keeps its link to
-- its newest trip; older trips of the same quote lose only the link (their price is on the row).
UPDATE "trip"."trips" AS "older" SET "quote_id" = NULL
WHERE "older"."quote_id" IS NOT NULL AND EXISTS (
  SELECT 1 FROM "trip"."trips" AS "newer"
  WHERE "newer"."quote_id" = "older"."quote_id" AND ("newer"."created_at", "newer"."id") > ("older"."created_at", "older"."id")
);--> statement-breakpoint
CREATE UNIQUE INDEX "trips_one_per_quote" ON "trip"."trips" USING btree ("quote_id") WHERE quote_id is not null;
