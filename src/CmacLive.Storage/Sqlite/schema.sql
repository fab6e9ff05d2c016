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

-- History, append-only: every accepted fix once per (device, ts), and status reports and detections.
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
    PRIMARY KEY (device_id, ts)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS ix_history_fix_asset_ts ON history_fix (asset_id, ts);

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
