using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;

namespace CmacLive.Ingestion;

/// <summary>
/// What the silo's connections to an external broker share: its login (MQTT 5) and the loop that connects again
/// with jittered back-off (1 s doubling to 30 s) after a session ends, as MQTTnet 5 leaves reconnecting to its users.
/// </summary>
internal static partial class ExternalBrokerConnection
{
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Connect options with the silo's login at <c>Mqtt:Host</c>:<c>Mqtt:Port</c> under this client id; with
    /// <c>Mqtt:Tls:Enabled</c>, over TLS to <c>Mqtt:Tls:Port</c>, the broker's certificate checked against the host name
    /// and against <c>Mqtt:Tls:Authority</c> alone when it is set (else the system's roots).
    /// </summary>
    public static MqttClientOptionsBuilder Options(MqttOptions settings, string clientId)
    {
        var tls = settings.Tls;
        var connect = new MqttClientOptionsBuilder()
            .WithTcpServer(settings.Host, tls.Enabled ? tls.Port : settings.Port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(clientId)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(15));
        if (tls.Enabled)
        {
            var authority = Authority(tls);
            connect = connect.WithTlsOptions(o =>
            {
                o.UseTls().WithTargetHost(settings.Host).WithSslProtocols(SslProtocols.Tls12 | SslProtocols.Tls13);
                if (authority is not null)
                {
                    o.WithTrustChain(authority);
                }
            });
        }

        return string.IsNullOrEmpty(settings.Username) ? connect : connect.WithCredentials(settings.Username, settings.Password);
    }

    /// <summary>The authority named by <c>Mqtt:Tls:Authority</c>, or null for the system's roots.</summary>
    private static X509Certificate2Collection? Authority(MqttTlsOptions tls)
    {
        if (string.IsNullOrWhiteSpace(tls.Authority))
        {
            return null;
        }

        var authority = new X509Certificate2Collection();
        try
        {
            authority.ImportFromPemFile(tls.Authority);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException($"Mqtt:Tls:Authority ({tls.Authority}) must be a readable PEM file of the broker's certificate authority: {ex.Message}", ex);
        }

        return authority.Count > 0 ? authority
            : throw new InvalidOperationException($"Mqtt:Tls:Authority ({tls.Authority}) holds no certificate");
    }

    /// <summary>
    /// Runs <paramref name="session"/> again and again until stopped; a session that lasted a while starts the back-off
    /// afresh. <paramref name="connection"/> names it in the log.
    /// </summary>
    public static async Task KeepConnectedAsync(
        Func<CancellationToken, Task> session, MqttOptions settings, string connection, ILogger logger, CancellationToken stoppingToken)
    {
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            var connectedAt = DateTimeOffset.UtcNow;
            try
            {
                await session(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogSessionFailed(logger, ex, connection, settings.Host, settings.Port);
            }

            retry = DateTimeOffset.UtcNow - connectedAt > LongestRetry ? FirstRetry : retry;
            var wait = retry + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 250));
            LogRetrying(logger, connection, wait);
            try
            {
                await Task.Delay(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LongestRetry.Ticks));
        }
    }

    /// <summary>Disconnects if still connected, waiting at most the handshake timeout; otherwise the socket goes with the client.</summary>
    public static async Task CloseAsync(IMqttClient client, MqttClientDisconnectOptionsReason reason, string connection, ILogger logger)
    {
        if (!client.IsConnected)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(HandshakeTimeout);
        try
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptions { Reason = reason }, timeout.Token);
        }
        catch (Exception ex)
        {
            LogDisconnectFailed(logger, ex, connection);
        }
    }

    [LoggerMessage(LogLevel.Warning, "MQTT broker {Host}:{Port}: the {Connection} session failed")]
    private static partial void LogSessionFailed(ILogger logger, Exception ex, string connection, string host, int port);

    [LoggerMessage(LogLevel.Information, "MQTT broker: connecting the {Connection} session again in {Wait}")]
    private static partial void LogRetrying(ILogger logger, string connection, TimeSpan wait);

    [LoggerMessage(LogLevel.Debug, "MQTT broker: disconnecting the {Connection} session did not complete; the connection is dropped")]
    private static partial void LogDisconnectFailed(ILogger logger, Exception ex, string connection);
}
