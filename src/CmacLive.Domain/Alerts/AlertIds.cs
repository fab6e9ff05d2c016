using System.Globalization;

namespace CmacLive.Alerts;

/// <summary>Alert ids: the rule, the subject and the episode's start, so raising an episode again is idempotent.</summary>
public static class AlertIds
{
    public static string For(string kind, string subject, DateTimeOffset episodeStart) =>
        For(kind, subject, episodeStart.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));

    /// <summary>An episode known by a key of its own rather than its start (a phone's SOS without a readable time).</summary>
    public static string For(string kind, string subject, string episodeKey) => $"{kind}-{subject}-{episodeKey}";
}
