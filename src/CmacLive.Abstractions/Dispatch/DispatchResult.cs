using System.Text.Json.Serialization;

namespace CmacLive.Dispatch;

/// <summary>What the team did on site.</summary>
public enum DispatchResult
{
    /// <summary>Items found and destroyed where they lay.</summary>
    [JsonStringEnumMemberName("destroyed")] Destroyed = 0,
    /// <summary>Items found and taken away for destruction.</summary>
    [JsonStringEnumMemberName("removed")] Removed = 1,
    /// <summary>Nothing explosive was found.</summary>
    [JsonStringEnumMemberName("nothing-found")] NothingFound = 2,
}
