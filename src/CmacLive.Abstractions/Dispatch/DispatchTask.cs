namespace CmacLive.Dispatch;

/// <summary>What a team is sent to: the request and its site.</summary>
[GenerateSerializer, Immutable, Alias("cmac.DispatchTask")]
public sealed record DispatchTask
{
    [Id(0)] public required string RequestId { get; init; }
    [Id(1)] public required double Lat { get; init; }
    [Id(2)] public required double Lon { get; init; }

    /// <summary>Within this distance of the site the team is on site; fixes inside it are passed on at once.</summary>
    [Id(3)] public required double OnSiteRadiusM { get; init; }
}
