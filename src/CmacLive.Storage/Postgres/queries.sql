-- The named queries the Orleans ADO.NET providers read from orleansquery, one block per key.
-- Blocks are separated by a line "-- key: <QueryKey>". Parameters are bound by Orleans as @Name.

-- key: ReadFromStorageKey
SELECT payloadbinary AS "PayloadBinary", version AS "Version"
FROM orleansstorage
WHERE serviceid = @ServiceId
  AND graintypestring = @GrainTypeString
  AND grainidn0 = @GrainIdN0
  AND grainidn1 = @GrainIdN1
  AND coalesce(grainidextensionstring, '') = coalesce(@GrainIdExtensionString, '');

-- key: WriteToStorageKey
-- No ETag: the first write creates version 1, unless the state already exists (then no row: a conflict).
-- With an ETag: the write succeeds only on that exact version and answers the next one.
INSERT INTO orleansstorage
    (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring,
     grainidhash, graintypehash, payloadbinary, version, modifiedon)
SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString,
       @GrainIdHash, @GrainTypeHash, @PayloadBinary, 1, now()
WHERE @GrainStateVersion::integer IS NULL
ON CONFLICT DO NOTHING
RETURNING version AS "NewGrainStateVersion";
UPDATE orleansstorage
SET payloadbinary = @PayloadBinary,
    version = version + 1,
    modifiedon = now()
WHERE @GrainStateVersion::integer IS NOT NULL
  AND serviceid = @ServiceId
  AND graintypestring = @GrainTypeString
  AND grainidn0 = @GrainIdN0
  AND grainidn1 = @GrainIdN1
  AND coalesce(grainidextensionstring, '') = coalesce(@GrainIdExtensionString, '')
  AND version = @GrainStateVersion
RETURNING version AS "NewGrainStateVersion";

-- key: ClearStorageKey
-- Clearing keeps the row with no payload and a new version, so a later write still checks its ETag.
INSERT INTO orleansstorage
    (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring,
     grainidhash, graintypehash, payloadbinary, version, modifiedon)
SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString,
       @GrainIdHash, @GrainTypeHash, NULL, 1, now()
WHERE @GrainStateVersion::integer IS NULL
ON CONFLICT DO NOTHING
RETURNING version;
UPDATE orleansstorage
SET payloadbinary = NULL,
    version = version + 1,
    modifiedon = now()
WHERE @GrainStateVersion::integer IS NOT NULL
  AND serviceid = @ServiceId
  AND graintypestring = @GrainTypeString
  AND grainidn0 = @GrainIdN0
  AND grainidn1 = @GrainIdN1
  AND coalesce(grainidextensionstring, '') = coalesce(@GrainIdExtensionString, '')
  AND version = @GrainStateVersion
RETURNING version;

-- key: InsertMembershipVersionKey
-- Answers whether this call created the deployment's version row.
WITH created AS (
    INSERT INTO orleansmembershipversiontable (deploymentid) VALUES (@DeploymentId)
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created);

-- key: InsertMembershipKey
-- Adds a silo and bumps the table version together, only when the version is still the one read.
-- The version row's lock serialises every membership change of the deployment.
WITH bumped AS (
    UPDATE orleansmembershipversiontable
    SET version = version + 1, timestamp = now()
    WHERE deploymentid = @DeploymentId
      AND version = @Version
      AND NOT EXISTS (SELECT 1 FROM orleansmembershiptable
                      WHERE deploymentid = @DeploymentId AND address = @Address
                        AND port = @Port AND generation = @Generation)
    RETURNING 1
), inserted AS (
    INSERT INTO orleansmembershiptable
        (deploymentid, address, port, generation, siloname, hostname, status, proxyport, starttime, iamalivetime)
    SELECT @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
    WHERE EXISTS (SELECT 1 FROM bumped)
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM inserted);

-- key: UpdateMembershipKey
-- Changes a silo's row and bumps the table version together, only when the version is still the one read.
WITH bumped AS (
    UPDATE orleansmembershipversiontable
    SET version = version + 1, timestamp = now()
    WHERE deploymentid = @DeploymentId
      AND version = @Version
      AND EXISTS (SELECT 1 FROM orleansmembershiptable
                  WHERE deploymentid = @DeploymentId AND address = @Address
                    AND port = @Port AND generation = @Generation)
    RETURNING 1
), updated AS (
    UPDATE orleansmembershiptable
    SET status = @Status,
        suspecttimes = @SuspectTimes,
        iamalivetime = GREATEST(iamalivetime, @IAmAliveTime)
    WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
      AND EXISTS (SELECT 1 FROM bumped)
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM updated);

-- key: UpdateIAmAlivetimeKey
UPDATE orleansmembershiptable
SET iamalivetime = GREATEST(iamalivetime, @IAmAliveTime)
WHERE deploymentid = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation;

-- key: MembershipReadRowKey
-- The version row, with the one silo's row when it exists.
SELECT v.version AS "Version",
       m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
       m.siloname AS "SiloName", m.hostname AS "HostName", m.status AS "Status", m.proxyport AS "ProxyPort",
       m.suspecttimes AS "SuspectTimes", m.starttime AS "StartTime", m.iamalivetime AS "IAmAliveTime"
FROM orleansmembershipversiontable v
LEFT JOIN orleansmembershiptable m
       ON m.deploymentid = v.deploymentid
      AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.deploymentid = @DeploymentId;

-- key: MembershipReadAllKey
-- The version row, with every silo's row.
SELECT v.version AS "Version",
       m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
       m.siloname AS "SiloName", m.hostname AS "HostName", m.status AS "Status", m.proxyport AS "ProxyPort",
       m.suspecttimes AS "SuspectTimes", m.starttime AS "StartTime", m.iamalivetime AS "IAmAliveTime"
FROM orleansmembershipversiontable v
LEFT JOIN orleansmembershiptable m ON m.deploymentid = v.deploymentid
WHERE v.deploymentid = @DeploymentId;

-- key: DeleteMembershipTableEntriesKey
DELETE FROM orleansmembershiptable WHERE deploymentid = @DeploymentId;
DELETE FROM orleansmembershipversiontable WHERE deploymentid = @DeploymentId;

-- key: GatewaysQueryKey
SELECT address AS "Address", proxyport AS "ProxyPort", generation AS "Generation"
FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId AND status = @Status AND proxyport > 0;

-- key: CleanupDefunctSiloEntriesKey
-- Only silos declared dead (status 6) that stopped reporting before the cut-off.
DELETE FROM orleansmembershiptable
WHERE deploymentid = @DeploymentId
  AND status = 6
  AND iamalivetime < @IAmAliveTime
  AND starttime < @IAmAliveTime;

-- key: ReadReminderRowsKey
SELECT grainid AS "GrainId", remindername AS "ReminderName", starttime AS "StartTime",
       period AS "Period", version AS "Version"
FROM orleansreminderstable
WHERE serviceid = @ServiceId AND grainid = @GrainId;

-- key: ReadReminderRowKey
SELECT grainid AS "GrainId", remindername AS "ReminderName", starttime AS "StartTime",
       period AS "Period", version AS "Version"
FROM orleansreminderstable
WHERE serviceid = @ServiceId AND grainid = @GrainId AND remindername = @ReminderName;

-- key: ReadRangeRows1Key
SELECT grainid AS "GrainId", remindername AS "ReminderName", starttime AS "StartTime",
       period AS "Period", version AS "Version"
FROM orleansreminderstable
WHERE serviceid = @ServiceId AND grainhash > @BeginHash AND grainhash <= @EndHash;

-- key: ReadRangeRows2Key
-- The range wraps around the ring.
SELECT grainid AS "GrainId", remindername AS "ReminderName", starttime AS "StartTime",
       period AS "Period", version AS "Version"
FROM orleansreminderstable
WHERE serviceid = @ServiceId AND (grainhash > @BeginHash OR grainhash <= @EndHash);

-- key: UpsertReminderRowKey
INSERT INTO orleansreminderstable (serviceid, grainid, remindername, starttime, period, grainhash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (serviceid, grainid, remindername) DO UPDATE
SET starttime = excluded.starttime,
    period = excluded.period,
    grainhash = excluded.grainhash,
    version = orleansreminderstable.version + 1
RETURNING version AS "Version";

-- key: DeleteReminderRowKey
WITH deleted AS (
    DELETE FROM orleansreminderstable
    WHERE serviceid = @ServiceId AND grainid = @GrainId AND remindername = @ReminderName AND version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM deleted);

-- key: DeleteReminderRowsKey
DELETE FROM orleansreminderstable WHERE serviceid = @ServiceId;
