using System.Buffers;

namespace CmacLive.Ingestion.Wire;

/// <summary>
/// The read-ahead buffers of one listener's connections: a connection takes a segment only while bytes wait for MQTTnet
/// (an idle tracker holds none) and gives it back once they are read. The shared array pool keeps a few arrays per core,
/// far fewer than a thousand connections take back and forth every second, so it would allocate anew for most reads; this
/// pool keeps up to <paramref name="kept"/> of its own.
/// </summary>
internal sealed class SegmentPool(int segmentSize, int kept) : MemoryPool<byte>
{
    private readonly ArrayPool<byte> _arrays = ArrayPool<byte>.Create(segmentSize, kept);

    public override int MaxBufferSize => segmentSize;

    /// <summary>A segment of the pool's one size (the pipe asks for no more than <see cref="MaxBufferSize"/>).</summary>
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1) => new Segment(_arrays, _arrays.Rent(segmentSize));

    protected override void Dispose(bool disposing)
    {
    }

    private sealed class Segment(ArrayPool<byte> arrays, byte[] array) : IMemoryOwner<byte>
    {
        private byte[]? _array = array;

        public Memory<byte> Memory => _array ?? throw new ObjectDisposedException(nameof(Segment));

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _array, null) is { } returned)
            {
                arrays.Return(returned);
            }
        }
    }
}
