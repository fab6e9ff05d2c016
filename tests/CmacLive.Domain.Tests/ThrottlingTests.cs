using CmacLive.Throttling;
using Microsoft.Extensions.Time.Testing;

namespace CmacLive.Domain.Tests;

public sealed class ThrottlingTests
{
    private const long Second = 1000;

    [Fact]
    public void A_token_bucket_lets_a_burst_through_then_the_rate()
    {
        var bucket = new TokenBucket(ratePerSecond: 2, burst: 5, now: 0, ticksPerSecond: Second);
        Assert.Equal(5, Enumerable.Range(0, 10).Count(_ => bucket.TryTake(0)));
        Assert.False(bucket.TryTake(499));
        Assert.True(bucket.TryTake(500));
        Assert.False(bucket.TryTake(500));
        Assert.Equal(5, Enumerable.Range(0, 10).Count(_ => bucket.TryTake(60 * Second))); // never more than the burst kept
    }

    [Fact]
    public void A_token_bucket_ignores_a_clock_that_goes_back()
    {
        var bucket = new TokenBucket(1, 1, now: 10 * Second, ticksPerSecond: Second);
        Assert.True(bucket.TryTake(10 * Second));
        Assert.False(bucket.TryTake(0));
        Assert.True(bucket.TryTake(11 * Second));
    }

    [Fact]
    public void Failures_start_a_backoff_that_doubles_up_to_the_cap_and_say_which_one_started_it()
    {
        var time = new FakeTimeProvider();
        var limiter = new FailureLimiter(3, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(3), 100, time);
        Assert.False(limiter.Failed("k"));
        Assert.False(limiter.Failed("k"));
        Assert.True(limiter.Failed("k"));
        Assert.Equal(TimeSpan.FromMinutes(1), limiter.Blocked("k"));
        Assert.NotNull(limiter.Begin("k"));

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(limiter.Blocked("k"));
        limiter.Failed("k");
        limiter.Failed("k");
        Assert.True(limiter.Failed("k"));
        Assert.Equal(TimeSpan.FromMinutes(2), limiter.Blocked("k"));
        time.Advance(TimeSpan.FromMinutes(2));
        for (var i = 0; i < 3; i++)
        {
            limiter.Failed("k");
        }

        Assert.Equal(TimeSpan.FromMinutes(3), limiter.Blocked("k"));
    }

    [Fact]
    public void Failures_older_than_a_minute_do_not_count()
    {
        var time = new FakeTimeProvider();
        var limiter = new FailureLimiter(2, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), 100, time);
        limiter.Failed("k");
        time.Advance(TimeSpan.FromSeconds(61));
        Assert.False(limiter.Failed("k"));
        Assert.Null(limiter.Blocked("k"));
    }

    [Fact]
    public void A_refusal_episode_is_reported_once_then_again_after_a_quiet_spell_with_the_refusals_in_between()
    {
        var time = new FakeTimeProvider();
        var episodes = new RefusalEpisodes(TimeSpan.FromMinutes(1), 100, time);
        Assert.True(episodes.Starts("a", out var unlogged));
        Assert.Equal(0, unlogged);
        for (var i = 0; i < 7; i++)
        {
            time.Advance(TimeSpan.FromSeconds(30));
            Assert.False(episodes.Starts("a", out _)); // each within a minute of the last: one episode
        }

        Assert.True(episodes.Starts("b", out _));
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.True(episodes.Starts("a", out unlogged));
        Assert.Equal(7, unlogged);
    }

    [Fact]
    public void Refusal_episodes_remember_a_bounded_number_of_keys()
    {
        var time = new FakeTimeProvider();
        var episodes = new RefusalEpisodes(TimeSpan.FromMinutes(1), 2, time);
        Assert.True(episodes.Starts("a", out _));
        Assert.True(episodes.Starts("b", out _));
        Assert.False(episodes.Starts("c", out _)); // no room: counted by the caller, not logged
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(episodes.Starts("c", out _)); // the quiet keys made room
    }
}
