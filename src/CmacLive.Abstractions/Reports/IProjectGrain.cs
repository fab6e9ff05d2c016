namespace CmacLive.Reports;

/// <summary>One project, keyed by its id.</summary>
public interface IProjectGrain : IGrainWithStringKey
{
    Task<ProjectDefinition> Define(ProjectDefinition project);

    Task<ProjectDefinition?> Get();

    /// <summary>Records that hazard area <paramref name="area"/> names this project (<c>properties.project</c>); saying it again changes nothing.</summary>
    Task Claim(string area);

    /// <summary>Records that hazard area <paramref name="area"/> no longer names this project.</summary>
    Task Unclaim(string area);

    /// <summary>The areas that said they name this project, in order (a reader checks each still does).</summary>
    Task<IReadOnlyList<string>> Areas();
}
