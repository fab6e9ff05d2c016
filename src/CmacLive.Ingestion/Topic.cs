namespace CmacLive.Ingestion;

/// <summary>A parsed uplink topic: its kind and whether it names the publishing device.</summary>
public readonly record struct Topic(TopicKind Kind, bool IsOwn)
{
    private const string CmacPrefix = "cmac/v1/";
    private const string OwnTracksPrefix = "owntracks/";

    /// <summary>
    /// <c>cmac/v1/{deviceId}/{position|status|detection|find|ack}</c>, or <c>owntracks/{user}/{device}</c> where
    /// the user is the device id the client logged in with.
    /// </summary>
    public static Topic Parse(string topic, string deviceId)
    {
        var span = topic.AsSpan();
        if (span.StartsWith(CmacPrefix, StringComparison.Ordinal))
        {
            var rest = span[CmacPrefix.Length..];
            var slash = rest.IndexOf('/');
            if (slash <= 0)
            {
                return default;
            }

            var kind = rest[(slash + 1)..] switch
            {
                "position" => TopicKind.Position,
                "status" => TopicKind.Status,
                "detection" => TopicKind.Detection,
                "ack" => TopicKind.Ack,
                "find" => TopicKind.Find,
                _ => TopicKind.Unknown,
            };
            return new Topic(kind, rest[..slash].SequenceEqual(deviceId));
        }

        if (span.StartsWith(OwnTracksPrefix, StringComparison.Ordinal))
        {
            var rest = span[OwnTracksPrefix.Length..];
            var slash = rest.IndexOf('/');
            if (slash <= 0 || rest[(slash + 1)..].IsEmpty || rest[(slash + 1)..].Contains('/'))
            {
                return default;
            }

            return new Topic(TopicKind.OwnTracks, rest[..slash].SequenceEqual(deviceId));
        }

        return default;
    }

    /// <summary>The device a topic names (<c>cmac/v1/{id}/…</c> or <c>owntracks/{id}/…</c>), or null.</summary>
    public static string? DeviceOf(string topic)
    {
        var span = topic.AsSpan();
        var rest = span.StartsWith(CmacPrefix, StringComparison.Ordinal) ? span[CmacPrefix.Length..]
            : span.StartsWith(OwnTracksPrefix, StringComparison.Ordinal) ? span[OwnTracksPrefix.Length..]
            : default;
        var slash = rest.IndexOf('/');
        return slash > 0 ? rest[..slash].ToString() : null;
    }

    /// <summary>The downlink topic of a device: <c>cmac/v1/{deviceId}/cmd</c>.</summary>
    public static string CommandOf(string deviceId) => $"{CmacPrefix}{deviceId}/cmd";

    /// <summary>The only topics a device may subscribe to: its own downlink.</summary>
    public static bool MaySubscribe(string filter, string deviceId) =>
        filter == $"{CmacPrefix}{deviceId}/cmd" ||
        (filter.StartsWith($"{OwnTracksPrefix}{deviceId}/", StringComparison.Ordinal) && filter.EndsWith("/cmd", StringComparison.Ordinal)
            && filter.Count(c => c == '/') == 3 && !filter.Contains('+') && !filter.Contains('#'));
}
