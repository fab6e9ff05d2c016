using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Server;

namespace CmacLive.Ingestion.Wire;

/// <summary>
/// The embedded broker's TCP listeners, plain and TLS, in place of MQTTnet's own: every connection is counted
/// against <see cref="MqttOptions.MaxConnections"/>, a TLS handshake must finish within
/// <see cref="MqttOptions.ConnectTimeout"/>, and every packet's declared size is checked on the wire before it is
/// buffered (<see cref="FrameGuardChannel"/>). MQTTnet then runs the protocol over the connection as usual.
/// </summary>
internal sealed partial class MqttListener(MqttOptions settings, IngestStats stats, ILogger logger, FrameGuardChannel.PublishSeen? published = null) : IMqttServerAdapter
{
    // Each connection's channel, by the adapter MQTTnet names in its events (weakly: gone with the connection).
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<IMqttChannelAdapter, FrameGuardChannel> _channels = [];

    private readonly SegmentPool _segments = new(FrameGuardChannel.SegmentSize, kept: 4096);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private SslStreamCertificateContext? _certificate;
    private MqttServerOptions? _serverOptions;
    private IMqttNetLogger? _mqttLogger;
    private int _open;
    private int _disposed;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    /// <summary>The plain MQTT port listened on (the configured one, or the one picked for 0); null when plain MQTT is off.</summary>
    public int? PlainPort { get; private set; }

    /// <summary>The MQTT over TLS port listened on; null when TLS is not configured.</summary>
    public int? TlsPort { get; private set; }

    /// <summary>Connections open now, counted from accept to close (before and after CONNECT).</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger)
    {
        _serverOptions = options;
        _mqttLogger = logger;
        if (settings.Tls.IsServerConfigured)
        {
            _certificate = LoadCertificate(settings.Tls);
            TlsPort = Listen(settings.Tls.Port, tls: true);
        }

        if (settings.Plain)
        {
            PlainPort = Listen(settings.Port, tls: false);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stop.Cancel();
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>The server certificate and the chain after it, from PEM files; a clear error naming the keys when they do not hold.</summary>
    private static SslStreamCertificateContext LoadCertificate(MqttTlsOptions tls)
    {
        X509Certificate2 certificate;
        X509Certificate2Collection chain = [];
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(tls.Certificate!, tls.Key);
            chain.ImportFromPemFile(tls.Certificate!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"Mqtt:Tls:Certificate ({tls.Certificate}) and Mqtt:Tls:Key ({tls.Key}) must be readable PEM files of a certificate and its private key: {ex.Message}", ex);
        }

        var intermediates = new X509Certificate2Collection();
        foreach (var c in chain)
        {
            if (c.Thumbprint != certificate.Thumbprint)
            {
                intermediates.Add(c);
            }
        }

        return SslStreamCertificateContext.Create(certificate, intermediates, offline: true);
    }

    private int Listen(int port, bool tls)
    {
        Socket socket;
        if (!string.IsNullOrWhiteSpace(settings.BindAddress))
        {
            var address = IPAddress.Parse(settings.BindAddress);
            socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(address, port));
        }
        else if (Socket.OSSupportsIPv6)
        {
            socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
            socket.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
        }
        else
        {
            socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
        }

        socket.Listen(512);
        _sockets.Add(socket);
        _ = AcceptAsync(socket, tls);
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private async Task AcceptAsync(Socket listener, bool tls)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                LogAcceptFailed(ex);
                continue;
            }

            _ = ServeAsync(client, tls);
        }
    }

    private async Task ServeAsync(Socket socket, bool tls)
    {
        var open = Interlocked.Increment(ref _open);
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            // Beyond twice the limit a connection is not even read: up to the limit's excess, each is told so in its CONNACK.
            if (open > 2L * settings.MaxConnections)
            {
                stats.LimitReached(IngestLimit.Connections);
                return;
            }

            socket.NoDelay = true;
            var remote = socket.RemoteEndPoint!;
            var local = socket.LocalEndPoint!;
            if (tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                using var handshake = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                handshake.CancelAfter(settings.ConnectTimeout);
                try
                {
                    await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = _certificate,
                        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                        EncryptionPolicy = EncryptionPolicy.RequireEncryption,
                        ClientCertificateRequired = false,
                    }, handshake.Token);
                }
                catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
                {
                    var address = AddressOf(remote);
                    if (stats.LimitReached(IngestLimit.TlsHandshake, address, out var unlogged))
                    {
                        LogHandshakeFailed(address, ex.Message, unlogged);
                    }

                    return;
                }
            }

            if (ClientHandler is not { } handler || _serverOptions is null || _mqttLogger is null)
            {
                return;
            }

            var channel = new FrameGuardChannel(stream, local, remote, settings.MaxPacketBytes, OnRefused, published, _segments);
            var formatter = new MqttPacketFormatterAdapter(new MqttBufferWriter(_serverOptions.WriterBufferSize, _serverOptions.WriterBufferSizeMax));
            using var adapter = new MqttChannelAdapter(channel, formatter, _mqttLogger);
            channel.Adapter = adapter;
            _channels.AddOrUpdate(adapter, channel);
            await handler(adapter);
            if (channel.Packets == 0 && channel.Fault == FrameFault.None)
            {
                stats.LimitReached(IngestLimit.NoConnect);
            }
        }
        catch (Exception ex)
        {
            // A connection's end is never the listener's: whatever one client did, the others go on.
            LogConnectionFailed(ex);
        }
        finally
        {
            await stream.DisposeAsync();
            Interlocked.Decrement(ref _open);
        }
    }

    /// <summary>The connection's CONNECT was accepted for <paramref name="deviceId"/>: its packets are that device's from now on.</summary>
    public void Accepted(IMqttChannelAdapter adapter, string deviceId)
    {
        if (_channels.TryGetValue(adapter, out var channel))
        {
            channel.DeviceId = deviceId;
        }
    }

    private void OnRefused(FrameGuardChannel channel, FrameFault fault, long declared)
    {
        var address = AddressOf(channel.RemoteEndPoint);
        if (fault == FrameFault.TooLarge)
        {
            if (stats.LimitReached(IngestLimit.PacketSize, address, out var unlogged))
            {
                LogTooLarge(address, declared, settings.MaxPacketBytes, unlogged);
            }
        }
        else if (stats.LimitReached(IngestLimit.MalformedPacket, address, out var unlogged))
        {
            LogMalformed(address, fault == FrameFault.Malformed ? "a malformed fixed header" : "a packet a client may not send then", unlogged);
        }
    }

    /// <summary>The client's address without its port: limits and episodes are per address.</summary>
    public static string AddressOf(EndPoint? remote) => remote switch
    {
        IPEndPoint ip => (ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address).ToString(),
        null => "?",
        _ => remote.ToString() ?? "?",
    };

    [LoggerMessage(LogLevel.Warning, "MQTT connection from {Address} ended: a packet declared {Declared} bytes, over Mqtt:MaxPacketBytes ({Limit}); {Unlogged} more such refusals from it since the last report")]
    private partial void LogTooLarge(string address, long declared, int limit, long unlogged);

    [LoggerMessage(LogLevel.Warning, "MQTT connection from {Address} ended: {What}; {Unlogged} more such refusals from it since the last report")]
    private partial void LogMalformed(string address, string what, long unlogged);

    [LoggerMessage(LogLevel.Warning, "MQTT TLS handshake from {Address} failed: {Why}; {Unlogged} more failures from it since the last report")]
    private partial void LogHandshakeFailed(string address, string why, long unlogged);

    [LoggerMessage(LogLevel.Warning, "MQTT listener could not accept a connection")]
    private partial void LogAcceptFailed(Exception ex);

    [LoggerMessage(LogLevel.Warning, "MQTT connection ended with an error")]
    private partial void LogConnectionFailed(Exception ex);
}
