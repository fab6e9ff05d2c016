namespace CmacLive.Reports;

[GenerateSerializer, Alias("cmac.ProjectState")]
public sealed class ProjectState
{
    [Id(0)] public ProjectDefinition? Project { get; set; }

    /// <summary>The codes of the hazard areas that name the project.</summary>
    [Id(1)] public SortedSet<string> Areas { get; set; } = new(StringComparer.Ordinal);
}
