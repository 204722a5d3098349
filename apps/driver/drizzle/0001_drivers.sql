CREATE TYPE "driver"."availability" AS ENUM('offline', 'available', 'on_trip');--> statement-breakpoint
CREATE TYPE "driver"."vehicle_type" AS ENUM('bike', 'car4', 'car7');--> statement-breakpoint
CREATE TABLE "driver"."drivers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"vehicle_type" "driver"."vehicle_type" NOT NULL,
	"plate_number" text NOT NULL,
	"plate_key" text NOT NULL,
	"vehicle_model" text NOT NULL,
	"availability" "driver"."availability" DEFAULT 'offline' NOT NULL,
	"current_trip_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "drivers_plate_key_unique" UNIQUE("plate_key")
);
