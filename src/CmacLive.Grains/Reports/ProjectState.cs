namespace CmacLive.Reports;

[GenerateSerializer, Alias("cmac.ProjectState")]
public sealed class ProjectState
{
    [Id(0)] public ProjectDefinition? Project { get; set; }
}
