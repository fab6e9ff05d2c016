namespace CmacLive.History;

/// <summary>
/// History cannot be written just now (its database is unreachable): the report was not stored and must
/// not be acknowledged; the device sends it again later.
/// </summary>
[GenerateSerializer, Alias("cmac.HistoryUnavailableException")]
public sealed class HistoryUnavailableException : Exception
{
    public HistoryUnavailableException()
        : base("history cannot be written just now; not stored")
    {
    }

    public HistoryUnavailableException(string message)
        : base(message)
    {
    }

    public HistoryUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
