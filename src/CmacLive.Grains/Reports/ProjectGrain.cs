using CmacLive.Storage;

namespace CmacLive.Reports;

public sealed class ProjectGrain(
    [PersistentState("project", StorageNames.Main)] IPersistentState<ProjectState> store) : Grain, IProjectGrain
{
    public async Task<ProjectDefinition> Define(ProjectDefinition project)
    {
        var isNew = store.State.Project is null;
        store.State.Project = project;
        await store.WriteStateAsync();
        if (isNew)
        {
            await GrainFactory.GetGrain<IProjectDirectoryGrain>(0).Add(project.Id);
        }

        return project;
    }

    public Task<ProjectDefinition?> Get() => Task.FromResult(store.State.Project);

    public async Task Claim(string area)
    {
        if (store.State.Areas.Add(area))
        {
            await store.WriteStateAsync();
        }
    }

    public async Task Unclaim(string area)
    {
        if (store.State.Areas.Remove(area))
        {
            await store.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> Areas() => Task.FromResult<IReadOnlyList<string>>([.. store.State.Areas]);
}
