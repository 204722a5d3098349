CREATE TYPE "trip"."cancel_actor" AS ENUM('passenger', 'driver', 'admin', 'system');--> statement-breakpoint
CREATE TYPE "trip"."offer_status" AS ENUM('pending', 'accepted', 'declined', 'expired', 'withdrawn');--> statement-breakpoint
CREATE TYPE "trip"."trip_status" AS ENUM('REQUESTED', 'DRIVER_ASSIGNED', 'ARRIVED', 'IN_TRIP', 'COMPLETED', 'CANCELED');--> statement-breakpoint
CREATE TYPE "trip"."vehicle_type" AS ENUM('bike', 'car4', 'car7');--> statement-breakpoint
CREATE TABLE "trip"."driver_tasks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"driver_id" uuid NOT NULL,
	"trip_id" uuid NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"due_at" timestamp (3) with time zone NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE TABLE "trip"."offers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"trip_id" uuid NOT NULL,
	"driver_id" uuid NOT NULL,
	"attempt" smallint NOT NULL,
	"reservation_id" text NOT NULL,
	"status" "trip"."offer_status" NOT NULL,
	"fare_amount" integer NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"resolved_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "trip"."quotes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"passenger_id" uuid NOT NULL,
	"vehicle_type" "trip"."vehicle_type" NOT NULL,
	"pickup_lat" double precision NOT NULL,
	"pickup_lng" double precision NOT NULL,
	"dropoff_lat" double precision NOT NULL,
	"dropoff_lng" double precision NOT NULL,
	"distance_m" integer NOT NULL,
	"duration_s" integer NOT NULL,
	"surge_multiplier" double precision NOT NULL,
	"fare" jsonb NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trip"."ratings" (
	"trip_id" uuid PRIMARY KEY NOT NULL,
	"passenger_id" uuid NOT NULL,
	"driver_id" uuid NOT NULL,
	"stars" smallint NOT NULL,
	"comment" text,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trip"."receipts" (
	"trip_id" uuid NOT NULL,
	"object_key" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "receipts_trip_id_pk" PRIMARY KEY("trip_id")
);
--> statement-breakpoint
CREATE TABLE "trip"."trips" (
	"id" uuid PRIMARY KEY NOT NULL,
	"passenger_id" uuid NOT NULL,
	"driver_id" uuid,
	"status" "trip"."trip_status" NOT NULL,
	"vehicle_type" "trip"."vehicle_type" NOT NULL,
	"pickup_lat" double precision NOT NULL,
	"pickup_lng" double precision NOT NULL,
	"dropoff_lat" double precision NOT NULL,
	"dropoff_lng" double precision NOT NULL,
	"pickup_cell" text NOT NULL,
	"quote_id" uuid,
	"quote_amount" integer NOT NULL,
	"surge_multiplier" double precision NOT NULL,
	"quote_breakdown" jsonb NOT NULL,
	"fare" jsonb,
	"distance_m" integer NOT NULL,
	"duration_s" integer NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"dispatch_attempts" smallint DEFAULT 0 NOT NULL,
	"dispatch_due_at" timestamp (3) with time zone,
	"dispatch_claim" uuid,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	"assigned_at" timestamp (3) with time zone,
	"arrived_at" timestamp (3) with time zone,
	"started_at" timestamp (3) with time zone,
	"completed_at" timestamp (3) with time zone,
	"canceled_at" timestamp (3) with time zone,
	"cancel_reason" text,
	"canceled_by" "trip"."cancel_actor"
);
--> statement-breakpoint
CREATE INDEX "driver_tasks_driver" ON "trip"."driver_tasks" USING btree ("driver_id","id");--> statement-breakpoint
CREATE INDEX "driver_tasks_due" ON "trip"."driver_tasks" USING btree ("due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "offers_trip_attempt" ON "trip"."offers" USING btree ("trip_id","attempt");--> statement-breakpoint
CREATE UNIQUE INDEX "offers_one_pending_per_trip" ON "trip"."offers" USING btree ("trip_id") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "offers_driver_pending" ON "trip"."offers" USING btree ("driver_id") WHERE status = 'pending';--> statement-breakpoint
CREATE UNIQUE INDEX "trips_passenger_idempotency_key" ON "trip"."trips" USING btree ("passenger_id","idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "trips_one_active_per_passenger" ON "trip"."trips" USING btree ("passenger_id") WHERE status in ('REQUESTED', 'DRIVER_ASSIGNED', 'ARRIVED', 'IN_TRIP');--> statement-breakpoint
CREATE UNIQUE INDEX "trips_one_active_per_driver" ON "trip"."trips" USING btree ("driver_id") WHERE status in ('DRIVER_ASSIGNED', 'ARRIVED', 'IN_TRIP');--> statement-breakpoint
CREATE INDEX "trips_newest" ON "trip"."trips" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "trips_passenger_newest" ON "trip"."trips" USING btree ("passenger_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "trips_driver_newest" ON "trip"."trips" USING btree ("driver_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "trips_status_newest" ON "trip"."trips" USING btree ("status","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "trips_pickup_cell_recent" ON "trip"."trips" USING btree ("pickup_cell","created_at");--> statement-breakpoint
CREATE INDEX "trips_dispatch_due" ON "trip"."trips" USING btree ("dispatch_due_at") WHERE dispatch_due_at is not null;