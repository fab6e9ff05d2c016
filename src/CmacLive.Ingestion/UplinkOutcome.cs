using CmacLive.Tracking;

namespace CmacLive.Ingestion;

public readonly record struct UplinkOutcome(UplinkStatus Status, RejectReason Reason = default, string? Detail = null);
