using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using MQTTnet.Server;

namespace CmacLive.Benchmarks;

/// <summary>
/// The baseline: an MQTTnet broker with no logic at all (any connection accepted, every PUBLISH relayed) in a process
/// of its own, as the silo is, and one subscriber here to <c>cmac/v1/+/position</c> at QoS 0 that takes each fix's
/// latency from the <c>ts</c> in its payload and notes the newest <c>ts</c> per device.
/// </summary>
public sealed class BareRelay : IAsyncDisposable
{
    public const string Command = "ingest-relay";

    /// <summary>Messages the broker may queue for one subscriber before it drops (MQTTnet's default is 250): high, so the baseline drops nothing it could deliver.</summary>
    public const int PendingPerClient = 1_000_000;

    private readonly Process _process;
    private readonly MqttWire _subscriber;
    private readonly Task _reading;
    private readonly Arrivals _arrivals;
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _received;

    private BareRelay(Process process, int port, MqttWire subscriber, int devices)
    {
        _process = process;
        Port = port;
        _subscriber = subscriber;
        _arrivals = new Arrivals(devices);
        _reading = subscriber.ReadLoopAsync(OnPacket, CancellationToken.None);
    }

    public int Port { get; }

    public int ProcessId => _process.Id;

    public long Received => Interlocked.Read(ref _received);

    /// <summary>The hidden subcommand: the broker itself, until its standard input closes.</summary>
    public static async Task<int> ServeAsync(string[] args)
    {
        var port = Benchmarks.Option(args, "--port", 0);
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(port)
            .WithConnectionBacklog(2000)
            .WithMaxPendingMessagesPerClient(PendingPerClient)
            .Build();
        using var server = new MqttServerFactory().CreateMqttServer(options);
        await server.StartAsync();
        Console.WriteLine("relay listening");
        await Console.In.ReadToEndAsync();
        await server.StopAsync();
        return 0;
    }

    /// <summary>Starts the broker process on a free loopback port and subscribes.</summary>
    public static async Task<BareRelay> StartAsync(int devices)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { typeof(BareRelay).Assembly.Location, Command, "--port", port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("the relay did not start");
        var ready = await process.StandardOutput.ReadLineAsync();
        if (ready != "relay listening")
        {
            process.Kill();
            throw new InvalidOperationException($"the relay did not start: {ready}");
        }

        var (code, wire) = await MqttWire.ConnectAsync(port, "bench-subscriber", null, null, CancellationToken.None);
        if (wire is null)
        {
            throw new InvalidOperationException($"the subscriber was refused ({code})");
        }

        var relay = new BareRelay(process, port, wire, devices);
        wire.Send(MqttWire.SubscribePacket(1, "cmac/v1/+/position"));
        await relay._subscribed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return relay;
    }

    /// <summary>Whether the newest fix of each device reached the subscriber.</summary>
    public bool HasNewest(IReadOnlyList<LoadDevice> devices) => _arrivals.HasNewest(devices);

    /// <summary>The latencies (ms) noted since the last call.</summary>
    public List<double> TakeLatencies() => _arrivals.TakeLatencies();

    public async ValueTask DisposeAsync()
    {
        _subscriber.Dispose();
        await _reading;
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnPacket(byte header, ReadOnlySpan<byte> body)
    {
        if ((header & 0xF0) == MqttWire.SubAck)
        {
            _subscribed.TrySetResult();
            return;
        }

        if ((header & 0xF0) != MqttWire.Publish)
        {
            return;
        }

        var topicLength = (body[0] << 8) | body[1];
        var topic = body.Slice(2, topicLength);
        var payload = body[(2 + topicLength + ((header & 0x06) != 0 ? 2 : 0))..];
        if (!TryTs(payload, out var ts) || !TryIndex(topic, out var index))
        {
            return;
        }

        Interlocked.Increment(ref _received);
        _arrivals.Note(index, ts);
    }

    /// <summary>The <c>ts</c> of a fix payload: the digits after <c>"ts":</c>.</summary>
    public static bool TryTs(ReadOnlySpan<byte> payload, out long ts)
    {
        var at = payload.IndexOf("\"ts\":"u8);
        ts = 0;
        return at >= 0 && Utf8Parser.TryParse(payload[(at + 5)..], out ts, out _);
    }

    /// <summary>The device's number in <c>cmac/v1/trk-in-00042/position</c>: the digits before the last slash.</summary>
    private static bool TryIndex(ReadOnlySpan<byte> topic, out int index)
    {
        var end = topic.LastIndexOf((byte)'/');
        var start = end;
        while (start > 0 && char.IsAsciiDigit((char)topic[start - 1]))
        {
            start--;
        }

        index = 0;
        return end > start && Utf8Parser.TryParse(topic[start..end], out index, out _);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
