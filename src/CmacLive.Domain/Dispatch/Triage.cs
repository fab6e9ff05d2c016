namespace CmacLive.Dispatch;

/// <summary>The priority of a request, from what was found and what is near it.</summary>
public static class Triage
{
    /// <summary>
    /// Emergency: anything near a school, or a cluster munition near people. High: anything else near people
    /// or a road, and any cluster munition or mine. Routine: UXO or an unknown item away from people, schools and roads.
    /// </summary>
    public static DispatchPriority PriorityOf(DispatchReport report)
    {
        if (report.NearSchool || (report.NearPeople && report.Found == FoundItem.ClusterMunition))
        {
            return DispatchPriority.Emergency;
        }

        if (report.NearPeople || report.NearRoad || report.Found is FoundItem.ClusterMunition or FoundItem.Mine)
        {
            return DispatchPriority.High;
        }

        return DispatchPriority.Routine;
    }
}
