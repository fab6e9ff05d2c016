namespace CmacLive.Reports;

/// <summary>One project, keyed by its id.</summary>
public interface IProjectGrain : IGrainWithStringKey
{
    Task<ProjectDefinition> Define(ProjectDefinition project);

    Task<ProjectDefinition?> Get();
}
