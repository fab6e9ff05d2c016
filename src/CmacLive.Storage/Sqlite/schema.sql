-- CmacLive embedded store (SQLite): the tables behind Orleans ADO.NET grain persistence.
-- Applied at every start; every statement is idempotent.
PRAGMA journal_mode = WAL;

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

-- One row per grain state. The identity is (ServiceId, state name, key columns); the unique index
-- makes a second insert of the same identity a conflict instead of a duplicate row.
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    ServiceId              TEXT    NOT NULL,
    GrainTypeString        TEXT    NOT NULL,
    GrainIdN0              INTEGER NOT NULL,
    GrainIdN1              INTEGER NOT NULL,
    GrainIdExtensionString TEXT    NULL,
    GrainIdHash            INTEGER NOT NULL,
    GrainTypeHash          INTEGER NOT NULL,
    PayloadBinary          BLOB    NULL,
    Version                INTEGER NOT NULL,
    ModifiedOn             TEXT    NOT NULL
);

CREATE UNIQUE INDEX IF NOT EXISTS UX_OrleansStorage_Identity ON OrleansStorage
    (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, ifnull(GrainIdExtensionString, ''));

-- History, append-only: every accepted fix once per (asset, ts, device), and status reports and detections.
-- One tree, in the order it is read (an asset's track over time): a round of fixes from many devices touches one
-- page per asset, not one per device and another per asset (files of earlier versions are moved to it at start).
CREATE TABLE IF NOT EXISTS history_fix
(
    device_id   TEXT    NOT NULL,
    ts          INTEGER NOT NULL, -- Unix epoch milliseconds
    asset_id    TEXT    NOT NULL,
    lat         REAL    NOT NULL,
    lon         REAL    NOT NULL,
    acc         REAL    NULL,
    alt         REAL    NULL,
    spd         REAL    NULL,
    hdg         REAL    NULL,
    bat         INTEGER NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (asset_id, ts, device_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS history_event
(
    device_id   TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    ts          INTEGER NOT NULL,
    asset_id    TEXT    NOT NULL,
    payload     TEXT    NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (device_id, kind, ts)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS ix_history_event_asset_ts ON history_event (asset_id, ts);

-- Durable reminders (Orleans ADO.NET reminder table): one row per grain and reminder name.
CREATE TABLE IF NOT EXISTS OrleansRemindersTable
(
    ServiceId    TEXT    NOT NULL,
    GrainId      TEXT    NOT NULL,
    ReminderName TEXT    NOT NULL,
    StartTime    TEXT    NOT NULL,
    Period       INTEGER NOT NULL, -- milliseconds
    GrainHash    INTEGER NOT NULL, -- the uniform hash as a signed 32-bit number, as Orleans binds it
    Version      INTEGER NOT NULL,
    PRIMARY KEY (ServiceId, GrainId, ReminderName)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS IX_OrleansRemindersTable_Hash ON OrleansRemindersTable (ServiceId, GrainHash);

-- The audit trail, append-only: every change a user made, kept for good. id is the order of appending
-- (AUTOINCREMENT: never reused), so entries of one instant read back later-appended first.
CREATE TABLE IF NOT EXISTS audit_entry
(
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           INTEGER NOT NULL, -- Unix epoch milliseconds, UTC
    user_name    TEXT    NOT NULL,
    on_behalf_of TEXT    NULL,
    action       TEXT    NOT NULL,
    target       TEXT    NOT NULL,
    detail       TEXT    NULL
);

-- Reads are a time window, newest first, optionally of one user or one target. Every index ends in
-- the rowid (id) implicitly, so (filter, at) walked backwards is already in the order read.
CREATE INDEX IF NOT EXISTS ix_audit_entry_at ON audit_entry (at);
CREATE INDEX IF NOT EXISTS ix_audit_entry_user_at ON audit_entry (user_name, at);
CREATE INDEX IF NOT EXISTS ix_audit_entry_target_at ON audit_entry (target, at);

-- The file itself refuses to change or remove an entry. An INSERT OR REPLACE over an existing id would
-- delete the old row without firing a delete trigger, so an insert that names a stored id is refused too.
CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON audit_entry
BEGIN
    SELECT RAISE(ABORT, 'audit_entry is append-only: an entry is never changed');
END;

CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete BEFORE DELETE ON audit_entry
BEGIN
    SELECT RAISE(ABORT, 'audit_entry is append-only: an entry is never removed');
END;

CREATE TRIGGER IF NOT EXISTS audit_entry_no_replace BEFORE INSERT ON audit_entry
WHEN EXISTS (SELECT 1 FROM audit_entry WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'audit_entry is append-only: an entry is never replaced');
END;
