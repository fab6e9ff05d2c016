using System.Net.Sockets;
using System.Text;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// An MQTT client written byte by byte, for sending what no well-behaved client library would: packets with wrong
/// flags, bad lengths, bad UTF-8, QoS 3. It reads the server's packets back as (type, flags, body).
/// </summary>
public sealed class RawMqtt : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private RawMqtt(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    public static async Task<RawMqtt> OpenAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync("127.0.0.1", port);
        return new RawMqtt(socket);
    }

    /// <summary>An MQTT string: two bytes of length, then the bytes.</summary>
    public static byte[] Str(string value) => Str(Encoding.UTF8.GetBytes(value));

    public static byte[] Str(byte[] bytes) => [(byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes];

    public static byte[] U16(int value) => [(byte)(value >> 8), (byte)value];

    /// <summary>A packet: the first byte (type and flags), the remaining length, the body.</summary>
    public static byte[] Packet(byte first, params byte[][] parts)
    {
        var body = parts.SelectMany(p => p).ToArray();
        var header = new List<byte> { first };
        var length = body.Length;
        do
        {
            var b = (byte)(length % 128);
            length /= 128;
            header.Add(length > 0 ? (byte)(b | 0x80) : b);
        }
        while (length > 0);

        return [.. header, .. body];
    }

    /// <summary>CONNECT with user name and password; <paramref name="level"/> 4 is MQTT 3.1.1, 5 is MQTT 5 (no properties).</summary>
    public static byte[] Connect(string clientId, string user, string password, byte level = 4, byte flags = 0xC2) =>
        Packet(0x10, Str("MQTT"), [level, flags, 0, 60], level == 5 ? [0] : [], Str(clientId), Str(user), Str(password));

    public static byte[] Publish(string topic, int packetId, string payload, byte first = 0x32) =>
        Packet(first, Str(topic), first.HasQos() ? U16(packetId) : [], Encoding.UTF8.GetBytes(payload));

    public static byte[] Subscribe(int packetId, string filter, byte first = 0x82) => Packet(first, U16(packetId), Str(filter), [1]);

    public async Task SendAsync(byte[] bytes)
    {
        try
        {
            await _stream.WriteAsync(bytes);
        }
        catch (IOException)
        {
            // The server already closed the connection: what it answered is what the test reads next.
        }
    }

    /// <summary>The next packet the server sends, or null when it closes the connection first.</summary>
    public async Task<(byte Type, byte Flags, byte[] Body)?> ReadAsync(double seconds = 5)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            var first = new byte[1];
            if (await _stream.ReadAsync(first, timeout.Token) == 0)
            {
                return null;
            }

            int length = 0, shift = 0;
            while (true)
            {
                var b = new byte[1];
                if (await _stream.ReadAsync(b, timeout.Token) == 0)
                {
                    return null;
                }

                length |= (b[0] & 0x7F) << shift;
                shift += 7;
                if ((b[0] & 0x80) == 0)
                {
                    break;
                }
            }

            var body = new byte[length];
            await _stream.ReadExactlyAsync(body, timeout.Token);
            return ((byte)(first[0] >> 4), (byte)(first[0] & 0x0F), body);
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException)
        {
            return null; // reset by the server
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the server neither answered nor closed the connection within {seconds} s");
        }
    }

    /// <summary>Reads until the server closes the connection; the types of the packets it sent before.</summary>
    public async Task<List<byte>> ReadUntilClosedAsync(double seconds = 5)
    {
        var types = new List<byte>();
        while (await ReadAsync(seconds) is { } packet)
        {
            types.Add(packet.Type);
        }

        return types;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}

internal static class MqttFlagsExtensions
{
    /// <summary>Whether a PUBLISH first byte asks for QoS 1 or 2 (so carries a packet id).</summary>
    public static bool HasQos(this byte first) => (first & 0x06) != 0;
}
