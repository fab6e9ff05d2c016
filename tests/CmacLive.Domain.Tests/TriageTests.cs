using CmacLive.Dispatch;

namespace CmacLive.Domain.Tests;

public sealed class TriageTests
{
    [Theory]
    [InlineData(FoundItem.Unknown, true, false, false, DispatchPriority.Emergency)]
    [InlineData(FoundItem.Uxo, true, false, true, DispatchPriority.Emergency)]
    [InlineData(FoundItem.ClusterMunition, false, true, false, DispatchPriority.Emergency)]
    [InlineData(FoundItem.Uxo, false, true, false, DispatchPriority.High)]
    [InlineData(FoundItem.Mine, false, true, true, DispatchPriority.High)]
    [InlineData(FoundItem.Mine, false, false, false, DispatchPriority.High)]
    [InlineData(FoundItem.ClusterMunition, false, false, false, DispatchPriority.High)]
    [InlineData(FoundItem.ClusterMunition, false, false, true, DispatchPriority.High)]
    [InlineData(FoundItem.Unknown, false, false, true, DispatchPriority.High)]
    [InlineData(FoundItem.Uxo, false, false, false, DispatchPriority.Routine)]
    [InlineData(FoundItem.Unknown, false, false, false, DispatchPriority.Routine)]
    public void Triage_sets_the_priority_from_what_was_found_and_what_is_near(FoundItem found, bool school, bool people, bool road, DispatchPriority expected) =>
        Assert.Equal(expected, Triage.PriorityOf(new DispatchReport { Lat = 13, Lon = 103, Found = found, NearSchool = school, NearPeople = people, NearRoad = road }));

    [Fact]
    public void Every_item_near_a_school_is_an_emergency_and_only_uxo_or_unknown_alone_is_routine()
    {
        foreach (var found in Enum.GetValues<FoundItem>())
        {
            Assert.Equal(DispatchPriority.Emergency, Triage.PriorityOf(new DispatchReport { Lat = 13, Lon = 103, Found = found, NearSchool = true }));
            var alone = Triage.PriorityOf(new DispatchReport { Lat = 13, Lon = 103, Found = found });
            Assert.Equal(found is FoundItem.Uxo or FoundItem.Unknown ? DispatchPriority.Routine : DispatchPriority.High, alone);
        }
    }
}
