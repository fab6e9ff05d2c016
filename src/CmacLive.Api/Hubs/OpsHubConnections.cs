namespace CmacLive.Api.Hubs;

/// <summary>
/// How many dashboards are connected to this silo's hub, by how they take assets' updates: the relay builds no
/// one-by-one <c>assetUpdated</c> messages while every dashboard takes them in batches, nor batches while none does.
/// </summary>
public sealed class OpsHubConnections
{
    private long _single;
    private long _batched;

    public long Single => Interlocked.Read(ref _single);

    public long Batched => Interlocked.Read(ref _batched);

    public void Opened(bool batched) => Interlocked.Increment(ref batched ? ref _batched : ref _single);

    public void Closed(bool batched) => Interlocked.Decrement(ref batched ? ref _batched : ref _single);
}
