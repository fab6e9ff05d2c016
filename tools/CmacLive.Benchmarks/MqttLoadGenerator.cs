using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CmacLive.Benchmarks;

/// <summary>One device of the load: its connection, its walk over Cambodia, and what it sent and had acknowledged.</summary>
public sealed class LoadDevice(int index, string id, string secret)
{
    private long _acked;
    private int _inFlight;

    public int Index { get; } = index;

    public string Id { get; } = id;

    public string Secret { get; } = secret;

    public byte[] Topic { get; } = Encoding.UTF8.GetBytes($"cmac/v1/{id}/position");

    public MqttWire? Wire { get; set; }

    public Task Reading { get; set; } = Task.CompletedTask;

    public double Lat { get; set; }

    public double Lon { get; set; }

    public ushort PacketId { get; set; }

    /// <summary>The device time of the newest fix sent (unix ms); the next is at least 1 ms later.</summary>
    public long LastTs { get; set; }

    public long Sent { get; set; }

    public long Acked => Interlocked.Read(ref _acked);

    public int InFlight => Volatile.Read(ref _inFlight);

    public void Published() => Interlocked.Increment(ref _inFlight);

    public void OnPacket(byte header, ReadOnlySpan<byte> body)
    {
        if ((header & 0xF0) == MqttWire.PubAck)
        {
            Interlocked.Decrement(ref _inFlight);
            Interlocked.Increment(ref _acked);
        }
    }
}

/// <summary>
/// The load: device connections of a hand-written MQTT 3.1.1 client publishing position fixes at an aggregate rate.
/// One pacing thread wakes every few milliseconds and sends the fixes due so far, round-robin over the connections,
/// one socket write per fix; payloads are formatted into one reused buffer, so the load allocates nothing per fix.
/// With QoS 1, a connection holds at most <see cref="MaxInFlight"/> fixes unacknowledged and is passed over while it
/// does; its PUBACKs are counted by a read loop of its own.
/// </summary>
public sealed class MqttLoadGenerator(IReadOnlyList<LoadDevice> devices, bool qos1)
{
    public const int MaxInFlight = 64;

    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);

    private readonly byte[] _packet = new byte[512];
    private readonly byte[] _payload = new byte[256];
    private readonly Random _random = new(15);
    private int _cursor;

    public IReadOnlyList<LoadDevice> Devices => devices;

    public bool Qos1 => qos1;

    public long Sent => devices.Sum(d => d.Sent);

    public long Acked => devices.Sum(d => d.Acked);

    /// <summary>
    /// Connects every device to the port its index picks, <paramref name="parallel"/> at a time; a CONNECT the broker
    /// answers busy (3: another of the device being checked) or that fails is tried again.
    /// </summary>
    public static async Task ConnectAsync(IReadOnlyList<LoadDevice> devices, Func<LoadDevice, int> port, int parallel, CancellationToken cancellationToken)
    {
        var random = new Random(7);
        foreach (var device in devices)
        {
            device.Lat = 12.5 + random.NextDouble();
            device.Lon = 102.5 + random.NextDouble();
        }

        await Parallel.ForEachAsync(devices, new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken }, async (device, token) =>
        {
            for (var attempt = 1; ; attempt++)
            {
                var (code, wire) = await MqttWire.ConnectAsync(port(device), device.Id, device.Id, device.Secret, token);
                if (wire is not null)
                {
                    device.Wire = wire;
                    device.Reading = wire.ReadLoopAsync(device.OnPacket, CancellationToken.None);
                    return;
                }

                if (attempt == 10)
                {
                    throw new InvalidOperationException($"{device.Id}: CONNECT refused ({code}) {attempt} times");
                }

                await Task.Delay(100 * attempt, token);
            }
        });
    }

    public static async Task DisconnectAsync(IReadOnlyList<LoadDevice> devices)
    {
        foreach (var device in devices)
        {
            device.Wire?.Dispose();
            device.Wire = null;
        }

        await Task.WhenAll(devices.Select(d => d.Reading));
    }

    /// <summary>Sends fixes at <paramref name="rate"/> a second in all for <paramref name="duration"/>, on a thread of its own; the fixes sent.</summary>
    public Task<long> RunAsync(double rate, TimeSpan duration)
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(Pace(rate, duration));
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        })
        { IsBackground = true, Name = "load pacing", Priority = ThreadPriority.AboveNormal };
        thread.Start();
        return done.Task;
    }

    /// <summary>One fix from each device (so every asset has a position), as fast as they go.</summary>
    public void SendOneEach()
    {
        foreach (var device in devices)
        {
            SendFix(device, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }
    }

    private long Pace(double rate, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        long sent = 0;
        while (true)
        {
            var elapsed = clock.Elapsed;
            var last = elapsed >= duration;
            var due = (long)(rate * Math.Min(elapsed.TotalSeconds, duration.TotalSeconds));
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var passedOver = 0;
            while (sent < due && passedOver < devices.Count)
            {
                var device = devices[_cursor];
                _cursor = (_cursor + 1) % devices.Count;
                if (qos1 && device.InFlight >= MaxInFlight)
                {
                    passedOver++;
                    continue;
                }

                passedOver = 0;
                SendFix(device, now);
                sent++;
            }

            if (last)
            {
                return sent;
            }

            var next = Tick - (clock.Elapsed - elapsed);
            if (next > TimeSpan.Zero)
            {
                Thread.Sleep(next);
            }
        }
    }

    private void SendFix(LoadDevice device, long now)
    {
        // A small random walk (about 10 m a step), kept inside the box; a device never sends two fixes of one millisecond.
        device.Lat = Math.Clamp(device.Lat + ((_random.NextDouble() - 0.5) * 0.0002), 12.5, 13.5);
        device.Lon = Math.Clamp(device.Lon + ((_random.NextDouble() - 0.5) * 0.0002), 102.5, 103.5);
        var ts = Math.Max(now, device.LastTs + 1);
        device.LastTs = ts;
        var payload = FormatFix(ts, device.Lat, device.Lon);

        var remaining = 2 + device.Topic.Length + (qos1 ? 2 : 0) + payload;
        var at = MqttWire.WriteHeader(_packet, qos1 ? (byte)(MqttWire.Publish | 0x02) : MqttWire.Publish, remaining);
        BinaryPrimitives.WriteUInt16BigEndian(_packet.AsSpan(at), (ushort)device.Topic.Length);
        at += 2;
        device.Topic.CopyTo(_packet, at);
        at += device.Topic.Length;
        if (qos1)
        {
            device.PacketId = (ushort)(device.PacketId == ushort.MaxValue ? 1 : device.PacketId + 1);
            BinaryPrimitives.WriteUInt16BigEndian(_packet.AsSpan(at), device.PacketId);
            at += 2;
            device.Published();
        }

        _payload.AsSpan(0, payload).CopyTo(_packet.AsSpan(at));
        device.Wire!.Send(_packet.AsSpan(0, at + payload));
        device.Sent++;
    }

    /// <summary><c>{"ts":…,"lat":…,"lon":…,"acc":4}</c> into the payload buffer; its length.</summary>
    private int FormatFix(long ts, double lat, double lon)
    {
        var span = _payload.AsSpan();
        var at = Put(span, "{\"ts\":"u8, 0);
        ts.TryFormat(span[at..], out var n, default, CultureInfo.InvariantCulture);
        at = Put(span, ",\"lat\":"u8, at + n);
        lat.TryFormat(span[at..], out n, "F7", CultureInfo.InvariantCulture);
        at = Put(span, ",\"lon\":"u8, at + n);
        lon.TryFormat(span[at..], out n, "F7", CultureInfo.InvariantCulture);
        return Put(span, ",\"acc\":4}"u8, at + n);
    }

    private static int Put(Span<byte> span, ReadOnlySpan<byte> text, int at)
    {
        text.CopyTo(span[at..]);
        return at + text.Length;
    }
}
