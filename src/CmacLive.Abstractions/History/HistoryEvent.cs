namespace CmacLive.History;

/// <summary>One stored event of an asset (a status, a detection, a find): its device time and its JSON payload.</summary>
public readonly record struct HistoryEvent(DateTimeOffset Ts, string Payload);
