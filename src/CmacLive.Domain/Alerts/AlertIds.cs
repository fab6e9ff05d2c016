using System.Globalization;

namespace CmacLive.Alerts;

/// <summary>Alert ids: the rule, the subject and the episode's start, so raising an episode again is idempotent.</summary>
public static class AlertIds
{
    public static string For(string kind, string subject, DateTimeOffset episodeStart) =>
        string.Create(CultureInfo.InvariantCulture, $"{kind}-{subject}-{episodeStart.ToUnixTimeMilliseconds()}");
}
