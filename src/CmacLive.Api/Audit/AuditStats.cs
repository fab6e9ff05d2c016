namespace CmacLive.Api.Audit;

/// <summary>Audit entries recorded and failed on this silo, since start.</summary>
public sealed class AuditStats
{
    private long _recorded;
    private long _failed;

    public long RecordedCount => Interlocked.Read(ref _recorded);

    public long FailedCount => Interlocked.Read(ref _failed);

    public void Recorded() => Interlocked.Increment(ref _recorded);

    public void Failed() => Interlocked.Increment(ref _failed);
}
