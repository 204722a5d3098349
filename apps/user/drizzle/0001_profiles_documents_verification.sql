CREATE TYPE "user"."document_kind" AS ENUM('avatar', 'driver_license', 'national_id', 'vehicle_registration');--> statement-breakpoint
CREATE TYPE "user"."document_status" AS ENUM('awaiting_upload', 'uploaded');--> statement-breakpoint
CREATE TYPE "user"."role" AS ENUM('passenger', 'driver', 'admin');--> statement-breakpoint
CREATE TYPE "user"."verification_decision" AS ENUM('verified', 'rejected');--> statement-breakpoint
CREATE TYPE "user"."verification_status" AS ENUM('unverified', 'pending', 'verified', 'rejected');--> statement-breakpoint
CREATE TABLE "user"."documents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" "user"."document_kind" NOT NULL,
	"status" "user"."document_status" DEFAULT 'awaiting_upload' NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"object_key" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"uploaded_at" timestamp (3) with time zone,
	CONSTRAINT "documents_object_key_unique" UNIQUE("object_key"),
	CONSTRAINT "documents_size_positive" CHECK ("user"."documents"."size_bytes" > 0)
);
--> statement-breakpoint
CREATE TABLE "user"."profiles" (
	"id" uuid PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"role" "user"."role" NOT NULL,
	"full_name" text NOT NULL,
	"phone" text,
	"avatar_document_id" uuid,
	"verification_status" "user"."verification_status" DEFAULT 'unverified' NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user"."verification_decisions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"admin_id" uuid NOT NULL,
	"decision" "user"."verification_decision" NOT NULL,
	"reason" text,
	"decided_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "verification_decisions_rejection_has_reason" CHECK ("user"."verification_decisions"."decision" <> 'rejected' or "user"."verification_decisions"."reason" is not null)
);
--> statement-breakpoint
ALTER TABLE "user"."documents" ADD CONSTRAINT "documents_user_id_profiles_id_fk" FOREIGN KEY ("user_id") REFERENCES "user"."profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user"."profiles" ADD CONSTRAINT "profiles_avatar_document_id_documents_id_fk" FOREIGN KEY ("avatar_document_id") REFERENCES "user"."documents"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user"."verification_decisions" ADD CONSTRAINT "verification_decisions_user_id_profiles_id_fk" FOREIGN KEY ("user_id") REFERENCES "user"."profiles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "documents_user_created_idx" ON "user"."documents" USING btree ("user_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "profiles_created_idx" ON "user"."profiles" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "profiles_status_created_idx" ON "user"."profiles" USING btree ("verification_status","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "profiles_role_created_idx" ON "user"."profiles" USING btree ("role","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "verification_decisions_user_idx" ON "user"."verification_decisions" USING btree ("user_id","decided_at" DESC NULLS LAST);