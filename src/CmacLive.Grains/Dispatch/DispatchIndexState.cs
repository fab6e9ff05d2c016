namespace CmacLive.Dispatch;

[GenerateSerializer, Alias("cmac.DispatchIndexState")]
public sealed class DispatchIndexState
{
    [Id(0)] public Dictionary<string, DispatchSummary> Requests { get; set; } = [];
}
