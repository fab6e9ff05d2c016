namespace CmacLive.Assets;

/// <summary>A stored set of names (the units, the projects); the alias is kept from when it held units only.</summary>
[GenerateSerializer, Alias("cmac.UnitDirectoryState")]
public sealed class NameDirectoryState
{
    [Id(0)] public HashSet<string> Names { get; set; } = [];
}
