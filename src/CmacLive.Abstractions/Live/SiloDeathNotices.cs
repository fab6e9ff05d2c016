using System.Threading.Channels;

namespace CmacLive.Live;

/// <summary>
/// One per silo: tells every registration this silo keeps (its hub's, its MQTT side's) that the cluster declared a silo
/// dead. A registry may have lived there and come back empty on a survivor, so each registers again at once instead of at
/// its next renewal.
/// </summary>
public sealed class SiloDeathNotices
{
    private readonly Lock _gate = new();
    private List<Channel<bool>> _listeners = [];

    /// <summary>A new listener: it reads one notice however many deaths were declared since it last read.</summary>
    public ChannelReader<bool> Listen()
    {
        var channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        lock (_gate)
        {
            _listeners = [.. _listeners, channel];
        }

        return channel.Reader;
    }

    /// <summary>The cluster declared a silo dead.</summary>
    public void Declared()
    {
        foreach (var listener in Volatile.Read(ref _listeners))
        {
            listener.Writer.TryWrite(true);
        }
    }
}
