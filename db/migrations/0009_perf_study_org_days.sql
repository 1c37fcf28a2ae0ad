CREATE TABLE "study_org_days" (
	"organization_id" integer NOT NULL,
	"day" date NOT NULL,
	"met_members" integer DEFAULT 0 NOT NULL,
	"studied_members" integer DEFAULT 0 NOT NULL,
	"total_minutes" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "study_org_days_pk" PRIMARY KEY("organization_id","day")
);
