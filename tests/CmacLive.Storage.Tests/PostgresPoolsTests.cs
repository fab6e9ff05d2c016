using CmacLive.Storage.Postgres;
using Npgsql;

namespace CmacLive.Storage.Tests;

public sealed class PostgresPoolsTests
{
    [Fact]
    public void A_connection_string_without_a_pool_limit_gets_ours()
    {
        var limited = new NpgsqlConnectionStringBuilder(PostgresPools.Limit("Host=db;Database=cmaclive;Username=u", 30));
        Assert.Equal(30, limited.MaxPoolSize);
        Assert.Equal("db", limited.Host);
        Assert.Equal("cmaclive", limited.Database);
    }

    [Theory]
    [InlineData("Host=db;Maximum Pool Size=7")]
    [InlineData("Host=db;MaxPoolSize=7")]
    [InlineData("Host=db;maximum pool size=7")]
    public void A_pool_limit_the_operator_set_is_kept(string connectionString)
    {
        Assert.Equal(7, new NpgsqlConnectionStringBuilder(PostgresPools.Limit(connectionString, 30)).MaxPoolSize);
    }

    [Fact]
    public void Limiting_twice_changes_nothing_more()
    {
        var once = PostgresPools.Limit("Host=db", 30);
        Assert.Equal(once, PostgresPools.Limit(once, 10));
    }
}
