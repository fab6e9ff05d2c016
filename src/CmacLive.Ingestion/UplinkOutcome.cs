using CmacLive.Tracking;

namespace CmacLive.Ingestion;

/// <summary>What became of one uplink; a refusal says why, and names the payload's member at fault when one is.</summary>
public readonly record struct UplinkOutcome(UplinkStatus Status, RejectReason Reason = default, string? Detail = null, string? Field = null);
