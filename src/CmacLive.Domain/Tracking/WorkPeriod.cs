namespace CmacLive.Tracking;

/// <summary>A working period that is over: from its working status to the status that ended it (device time), and its run.</summary>
[GenerateSerializer, Immutable, Alias("cmac.WorkPeriod")]
public sealed record WorkPeriod(
    [property: Id(0)] DateTimeOffset From,
    [property: Id(1)] DateTimeOffset Until,
    [property: Id(2)] int Run);
