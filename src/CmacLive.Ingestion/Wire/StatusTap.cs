using System.Buffers;
using System.Text;
using MQTTnet.Formatter;

namespace CmacLive.Ingestion.Wire;

/// <summary>
/// Reads a device's <c>status</c> the moment its PUBLISH arrives on the embedded broker and hands it to the
/// <see cref="SafetyLane"/>: MQTTnet handles one client's packets one at a time, so an SOS read there would wait behind
/// the device's earlier fix while that fix waits on a silo being lost. Only a connection whose CONNECT was accepted, and
/// only its own <c>cmac/v1/{device}/status</c>; anything else (a fix, another topic, a topic alias) is left to the usual
/// path, which hands every status to the lane again (the lane takes each once).
/// </summary>
internal sealed class StatusTap(SafetyLane safety, TimeProvider time)
{
    private static ReadOnlySpan<byte> Prefix => "cmac/v1/"u8;

    private static ReadOnlySpan<byte> Suffix => "/status"u8;

    public void OnPublish(FrameGuardChannel channel, byte first, ReadOnlySpan<byte> body)
    {
        if (channel.DeviceId is not { } deviceId || body.Length < 2)
        {
            return;
        }

        var topicLength = (body[0] << 8) | body[1];
        if (2 + topicLength > body.Length)
        {
            return;
        }

        var topic = body.Slice(2, topicLength);
        if (!topic.EndsWith(Suffix) || !topic.StartsWith(Prefix))
        {
            return; // the usual packet: a fix
        }

        var rest = body[(2 + topicLength)..];
        if (((first >> 1) & 3) > 0)
        {
            if (rest.Length < 2)
            {
                return;
            }

            rest = rest[2..]; // the packet id
        }

        if (channel.Adapter?.PacketFormatterAdapter.ProtocolVersion == MqttProtocolVersion.V500)
        {
            if (!TrySkipProperties(ref rest))
            {
                return;
            }
        }

        var parsed = Topic.Parse(Encoding.UTF8.GetString(topic), deviceId);
        if (parsed.Kind != TopicKind.Status || !parsed.IsOwn)
        {
            return;
        }

        var decoded = PayloadDecoder.Decode(TopicKind.Status, deviceId, new ReadOnlySequence<byte>(rest.ToArray()), time.GetUtcNow());
        if (decoded.Kind == DecodedKind.Status)
        {
            safety.OnStatus(decoded.Status!);
        }
    }

    /// <summary>Skips MQTT 5 PUBLISH properties (a variable byte integer length, then that many bytes).</summary>
    private static bool TrySkipProperties(ref ReadOnlySpan<byte> rest)
    {
        var length = 0;
        for (var i = 0; i < 4; i++)
        {
            if (i >= rest.Length)
            {
                return false;
            }

            length |= (rest[i] & 0x7F) << (7 * i);
            if ((rest[i] & 0x80) == 0)
            {
                if (i + 1 + length > rest.Length)
                {
                    return false;
                }

                rest = rest[(i + 1 + length)..];
                return true;
            }
        }

        return false;
    }
}
