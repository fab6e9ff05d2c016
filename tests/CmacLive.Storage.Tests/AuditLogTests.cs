using CmacLive.Audit;

namespace CmacLive.Storage.Tests;

/// <summary>
/// The append-only audit trail on a real database: what is appended reads back newest first through the
/// window and filters, stays put when the database is asked directly to change it, outlives the log
/// instance, and every one of many concurrent appends is stored once. Run once per database kind.
/// </summary>
public abstract class AuditLogContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2025, 3, 14, 8, 0, 0, TimeSpan.Zero);

    private readonly List<IAsyncDisposable> _opened = [];

    /// <summary>A fresh database with the product's schema in place, as the silo leaves it at start.</summary>
    protected abstract Task CreateStoreAsync();

    /// <summary>A new log over the same database, sharing nothing with earlier ones (its own writer gate or pool).</summary>
    protected abstract (IAuditLog Log, IAsyncDisposable Resources) CreateLog();

    /// <summary>One statement issued directly against the database, outside the log.</summary>
    protected abstract Task ExecuteAsync(string sql);

    protected virtual Task DropStoreAsync() => Task.CompletedTask;

    protected IAuditLog Log { get; private set; } = null!;

    protected IAuditLog OpenLog()
    {
        var (log, resources) = CreateLog();
        _opened.Add(resources);
        return log;
    }

    public async Task InitializeAsync()
    {
        await CreateStoreAsync();
        Log = OpenLog();
    }

    public async Task DisposeAsync()
    {
        foreach (var resources in _opened)
        {
            await resources.DisposeAsync();
        }

        await DropStoreAsync();
    }

    protected static AuditEntry Entry(DateTimeOffset at, string user, string action, string target, string? onBehalfOf = null, string? detail = null) =>
        new() { At = at, User = user, Action = action, Target = target, OnBehalfOf = onBehalfOf, Detail = detail };

    protected static AuditQuery Window(DateTimeOffset from, DateTimeOffset to, string? user = null, string? target = null, int limit = 1000) =>
        new() { From = from, To = to, User = user, Target = target, Limit = limit };

    protected async Task AppendAllAsync(params AuditEntry[] entries)
    {
        foreach (var entry in entries)
        {
            await Log.AppendAsync(entry, CancellationToken.None);
        }
    }

    private static string Describe(IEnumerable<AuditEntry> entries) => string.Join(" | ", entries.Select(e => $"{e.Action} {e.Target}"));

    [Fact]
    public async Task Entries_read_back_newest_first_and_those_of_one_instant_later_appended_first()
    {
        await AppendAllAsync(
            Entry(T0.AddMinutes(1), "sokha", "asset.put", "asset:DU5-EOD-01", onBehalfOf: "field radio", detail: """{"name":"EOD team 1"}"""),
            Entry(T0.AddMinutes(3), "admin", "user.put", "user:sokha"),
            Entry(T0.AddMinutes(2), "dara", "alert.acknowledge", "alert:17"),
            Entry(T0.AddMinutes(2), "dara", "alert.acknowledge", "alert:18"),
            Entry(T0.AddMinutes(2), "sokha", "request.assign", "request:REQ-1"));

        var read = await Log.ReadAsync(Window(T0, T0.AddHours(1)), CancellationToken.None);

        Assert.Equal("user.put user:sokha | request.assign request:REQ-1 | alert.acknowledge alert:18 | alert.acknowledge alert:17 | asset.put asset:DU5-EOD-01",
            Describe(read));
        var first = read[^1];
        Assert.Equal((T0.AddMinutes(1), "sokha", "field radio", """{"name":"EOD team 1"}"""), (first.At, first.User, first.OnBehalfOf, first.Detail));
        Assert.Equal(TimeSpan.Zero, first.At.Offset);
        Assert.Null(read[0].OnBehalfOf);
        Assert.Null(read[0].Detail);
    }

    [Fact]
    public async Task The_window_includes_its_start_and_excludes_its_end()
    {
        await AppendAllAsync(
            Entry(T0.AddMilliseconds(-1), "a", "x.before", "t:1"),
            Entry(T0, "a", "x.start", "t:1"),
            Entry(T0.AddHours(1).AddMilliseconds(-1), "a", "x.last", "t:1"),
            Entry(T0.AddHours(1), "a", "x.end", "t:1"));

        var read = await Log.ReadAsync(Window(T0, T0.AddHours(1)), CancellationToken.None);

        Assert.Equal("x.last t:1 | x.start t:1", Describe(read));
        Assert.Empty(await Log.ReadAsync(Window(T0.AddHours(1), T0), CancellationToken.None));
    }

    [Fact]
    public async Task User_and_target_filters_are_exact_and_combine()
    {
        await AppendAllAsync(
            Entry(T0.AddSeconds(1), "sokha", "asset.put", "asset:DU5-EOD-01"),
            Entry(T0.AddSeconds(2), "dara", "asset.put", "asset:DU5-EOD-01"),
            Entry(T0.AddSeconds(3), "sokha", "asset.put", "asset:DU5-EOD-010"),
            Entry(T0.AddSeconds(4), "Sokha", "asset.put", "asset:DU5-EOD-01"),
            Entry(T0.AddSeconds(5), "sokha2", "device.put", "device:trk-0001"),
            Entry(T0.AddSeconds(6), "sokha", "device.put", "device:trk-0001"));
        var all = Window(T0, T0.AddMinutes(1));

        Assert.Equal("device.put device:trk-0001 | asset.put asset:DU5-EOD-010 | asset.put asset:DU5-EOD-01",
            Describe(await Log.ReadAsync(all with { User = "sokha" }, CancellationToken.None)));
        Assert.Equal(["Sokha", "dara", "sokha"],
            (await Log.ReadAsync(all with { Target = "asset:DU5-EOD-01" }, CancellationToken.None)).Select(e => e.User));
        var both = await Log.ReadAsync(all with { User = "sokha", Target = "asset:DU5-EOD-01" }, CancellationToken.None);
        Assert.Equal((T0.AddSeconds(1), "sokha", "asset:DU5-EOD-01"), (both.Single().At, both.Single().User, both.Single().Target));
        Assert.Empty(await Log.ReadAsync(all with { User = "sok%" }, CancellationToken.None));
        Assert.Empty(await Log.ReadAsync(all with { User = "sokha", Target = "user:sokha" }, CancellationToken.None));
    }

    [Fact]
    public async Task The_limit_keeps_the_newest()
    {
        for (var i = 0; i < 10; i++)
        {
            await Log.AppendAsync(Entry(T0.AddSeconds(i), "admin", "asset.put", $"asset:A{i}"), CancellationToken.None);
        }

        var read = await Log.ReadAsync(Window(T0, T0.AddMinutes(1), limit: 3), CancellationToken.None);

        Assert.Equal(["asset:A9", "asset:A8", "asset:A7"], read.Select(e => e.Target));
        Assert.Equal("asset:A3", (await Log.ReadAsync(Window(T0, T0.AddSeconds(4), user: "admin", limit: 1), CancellationToken.None)).Single().Target);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Log.ReadAsync(Window(T0, T0.AddMinutes(1), limit: 0), CancellationToken.None));
    }

    [Fact]
    public async Task Times_are_kept_to_the_millisecond_and_read_back_in_utc()
    {
        var phnomPenh = new DateTimeOffset(2025, 3, 14, 15, 0, 0, TimeSpan.FromHours(7)).AddTicks(1_234_567); // 08:00:00.1234567Z

        await Log.AppendAsync(Entry(phnomPenh, "admin", "area.put", "hazard-area:BS/CHA/CMAA/60222"), CancellationToken.None);

        var read = await Log.ReadAsync(Window(T0.AddMilliseconds(123), T0.AddMilliseconds(124)), CancellationToken.None);
        Assert.Equal(T0.AddMilliseconds(123), read.Single().At);
        Assert.Equal(TimeSpan.Zero, read.Single().At.Offset);
        Assert.Single(await Log.ReadAsync(Window(T0.ToOffset(TimeSpan.FromHours(7)), T0.AddSeconds(1).ToOffset(TimeSpan.FromHours(7))), CancellationToken.None));
    }

    [Theory]
    [InlineData("UPDATE audit_entry SET user_name = 'nobody'")]
    [InlineData("UPDATE audit_entry SET detail = NULL WHERE target = 'asset:DU5-EOD-01'")]
    [InlineData("DELETE FROM audit_entry")]
    [InlineData("DELETE FROM audit_entry WHERE target = 'asset:DU5-EOD-01'")]
    public async Task The_database_refuses_an_update_or_a_delete_issued_directly(string sql)
    {
        await AppendAllAsync(
            Entry(T0, "sokha", "asset.put", "asset:DU5-EOD-01", detail: """{"unit":"DU5"}"""),
            Entry(T0.AddSeconds(1), "admin", "user.delete", "user:old"));

        var refused = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => ExecuteAsync(sql));

        Assert.Contains("append-only", refused.Message, StringComparison.Ordinal);
        var read = await Log.ReadAsync(Window(T0, T0.AddMinutes(1)), CancellationToken.None);
        Assert.Equal("user.delete user:old | asset.put asset:DU5-EOD-01", Describe(read));
        Assert.Equal(("sokha", """{"unit":"DU5"}"""), (read[1].User, read[1].Detail));
    }

    [Fact]
    public async Task Entries_outlive_the_log_and_a_new_log_appends_after_them()
    {
        await AppendAllAsync(Entry(T0, "sokha", "asset.put", "asset:DU5-EOD-01"), Entry(T0, "dara", "task.assign", "asset:DU5-EOD-01"));

        var reopened = OpenLog();
        await reopened.AppendAsync(Entry(T0, "admin", "asset.delete", "asset:DU5-EOD-01"), CancellationToken.None);

        Assert.Equal(["admin", "dara", "sokha"], (await reopened.ReadAsync(Window(T0, T0.AddSeconds(1)), CancellationToken.None)).Select(e => e.User));
    }

    [Fact]
    public async Task Two_hundred_concurrent_appends_are_each_stored_once()
    {
        var entries = Enumerable.Range(0, 200)
            .Select(i => Entry(T0.AddMilliseconds(i % 7), $"user{i % 5}", "alert.acknowledge", $"alert:{i}", detail: $$"""{"n":{{i}}}"""))
            .ToList();

        await Task.WhenAll(entries.Select(e => Task.Run(() => Log.AppendAsync(e, CancellationToken.None))));

        var read = await OpenLog().ReadAsync(Window(T0, T0.AddSeconds(1)), CancellationToken.None);
        Assert.Equal(200, read.Count);
        Assert.Equal(entries.Select(e => (e.Target, e.User, e.At, e.Detail)).Order(), read.Select(e => (e.Target, e.User, e.At, e.Detail)).Order());
        Assert.Equal(read.OrderByDescending(e => e.At).Select(e => e.At), read.Select(e => e.At));
    }

    [Fact]
    public async Task An_append_cancelled_before_it_starts_stores_nothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Log.AppendAsync(Entry(T0, "admin", "asset.put", "asset:X"), cancelled.Token));

        Assert.Empty(await Log.ReadAsync(Window(T0, T0.AddSeconds(1)), CancellationToken.None));
    }
}
