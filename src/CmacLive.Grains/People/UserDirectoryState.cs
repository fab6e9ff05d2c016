namespace CmacLive.People;

[GenerateSerializer, Alias("cmac.UserDirectoryState")]
public sealed class UserDirectoryState
{
    [Id(0)] public SortedSet<string> Usernames { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A user has existed: the first administrator is never made again (not even when every user was deleted).</summary>
    [Id(1)] public bool HadUsers { get; set; }
}
