-- CmacLive production store (PostgreSQL): the tables behind Orleans ADO.NET grain persistence,
-- clustering and reminders. Applied at every start under an advisory lock; every statement is idempotent.

CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  varchar(64) NOT NULL PRIMARY KEY,
    querytext text        NOT NULL
);

-- Grain state: one row per (service, state name, grain key); the unique index makes a second insert
-- of the same identity a conflict instead of a duplicate row.
CREATE TABLE IF NOT EXISTS orleansstorage
(
    serviceid              varchar(150) NOT NULL,
    graintypestring        varchar(512) NOT NULL,
    grainidn0              bigint       NOT NULL,
    grainidn1              bigint       NOT NULL,
    grainidextensionstring varchar(512) NULL,
    grainidhash            integer      NOT NULL,
    graintypehash          integer      NOT NULL,
    payloadbinary          bytea        NULL,
    version                integer      NOT NULL,
    modifiedon             timestamptz  NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX IF NOT EXISTS ux_orleansstorage_identity ON orleansstorage
    (serviceid, graintypestring, grainidn0, grainidn1, (coalesce(grainidextensionstring, '')));

-- Cluster membership: one version row per deployment (the table's ETag), one row per silo.
CREATE TABLE IF NOT EXISTS orleansmembershipversiontable
(
    deploymentid varchar(150) NOT NULL PRIMARY KEY,
    timestamp    timestamptz  NOT NULL DEFAULT now(),
    version      integer      NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS orleansmembershiptable
(
    deploymentid varchar(150)  NOT NULL REFERENCES orleansmembershipversiontable (deploymentid),
    address      varchar(45)   NOT NULL,
    port         integer       NOT NULL,
    generation   integer       NOT NULL,
    siloname     varchar(150)  NOT NULL,
    hostname     varchar(150)  NOT NULL,
    status       integer       NOT NULL,
    proxyport    integer       NOT NULL,
    suspecttimes varchar(8000) NULL,
    starttime    timestamptz   NOT NULL,
    iamalivetime timestamptz   NOT NULL,
    PRIMARY KEY (deploymentid, address, port, generation)
);

-- Durable reminders.
CREATE TABLE IF NOT EXISTS orleansreminderstable
(
    serviceid    varchar(150) NOT NULL,
    grainid      varchar(150) NOT NULL,
    remindername varchar(150) NOT NULL,
    starttime    timestamptz  NOT NULL,
    period       bigint       NOT NULL,
    grainhash    integer      NOT NULL,
    version      integer      NOT NULL,
    PRIMARY KEY (serviceid, grainid, remindername)
);

CREATE INDEX IF NOT EXISTS ix_orleansreminderstable_hash ON orleansreminderstable (serviceid, grainhash);

-- History, append-only and partitioned by month of device time: every accepted fix once per
-- (device, ts), and status reports and detections. Partitions are created ahead by the product.
CREATE TABLE IF NOT EXISTS history_fix
(
    device_id   varchar(64)      NOT NULL,
    ts          timestamptz      NOT NULL,
    asset_id    varchar(64)      NOT NULL,
    lat         double precision NOT NULL,
    lon         double precision NOT NULL,
    acc         real             NULL,
    alt         real             NULL,
    spd         real             NULL,
    hdg         real             NULL,
    bat         smallint         NULL,
    received_at timestamptz      NOT NULL,
    PRIMARY KEY (device_id, ts)
) PARTITION BY RANGE (ts);

CREATE INDEX IF NOT EXISTS ix_history_fix_asset_ts ON history_fix (asset_id, ts);

CREATE TABLE IF NOT EXISTS history_event
(
    device_id   varchar(64) NOT NULL,
    kind        varchar(16) NOT NULL,
    ts          timestamptz NOT NULL,
    asset_id    varchar(64) NOT NULL,
    payload     jsonb       NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (device_id, kind, ts)
) PARTITION BY RANGE (ts);

CREATE INDEX IF NOT EXISTS ix_history_event_asset_ts ON history_event (asset_id, ts);

-- Creates the month partition of a history table that holds the given time, if it is missing.
CREATE OR REPLACE FUNCTION cmac_history_partition(parent text, at timestamptz) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
    first_day timestamptz := date_trunc('month', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    name text := parent || '_' || to_char(first_day AT TIME ZONE 'UTC', 'YYYY_MM');
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext(name));
    EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                   name, parent, first_day, first_day + interval '1 month');
END
$fn$;

-- The audit trail, append-only: every change a user made, kept for good. id is the order of appending,
-- so entries of one instant read back later-appended first. at is kept to the millisecond.
CREATE TABLE IF NOT EXISTS audit_entry
(
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz(3) NOT NULL,
    user_name    text           NOT NULL,
    on_behalf_of text           NULL,
    action       text           NOT NULL,
    target       text           NOT NULL,
    detail       text           NULL
);

-- Reads are a time window, newest first, optionally of one user or one target: (filter, at, id)
-- walked backwards is already in the order read.
CREATE INDEX IF NOT EXISTS ix_audit_entry_at ON audit_entry (at, id);
CREATE INDEX IF NOT EXISTS ix_audit_entry_user_at ON audit_entry (user_name, at, id);
CREATE INDEX IF NOT EXISTS ix_audit_entry_target_at ON audit_entry (target, at, id);

-- The database itself refuses to change or remove an entry: any UPDATE, DELETE or TRUNCATE statement on
-- the table fails (statement-level, so also one that matches no row, and an INSERT's ON CONFLICT DO UPDATE).
CREATE OR REPLACE FUNCTION cmac_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege', HINT = 'audit entries are never changed or removed';
END
$fn$;

DO $do$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'audit_entry_append_only' AND tgrelid = 'audit_entry'::regclass) THEN
        CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_entry
            FOR EACH STATEMENT EXECUTE FUNCTION cmac_audit_append_only();
    END IF;
END
$do$;
