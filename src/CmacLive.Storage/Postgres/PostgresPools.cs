using System.Data.Common;
using Npgsql;

namespace CmacLive.Storage.Postgres;

/// <summary>
/// Bounds the connections one silo opens to PostgreSQL. Npgsql allows 100 per pool by default, as many as
/// the server's own default <c>max_connections</c>: a burst of grain activations on a single silo could
/// take them all and have the server refuse everyone else ("too many clients"). Each pool gets a limit of
/// its own unless the connection string sets <c>Maximum Pool Size</c> itself.
/// </summary>
public static class PostgresPools
{
    /// <summary>Grain state, membership and reminders (one pool: they share the connection string).</summary>
    public const int Orleans = 30;

    /// <summary>History: one writer at a time, plus track reads.</summary>
    public const int History = 10;

    public static string Limit(string connectionString, int maximum)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        foreach (string key in given.Keys)
        {
            if (key.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant() is "maximumpoolsize" or "maxpoolsize")
            {
                return connectionString;
            }
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = maximum }.ConnectionString;
    }
}
