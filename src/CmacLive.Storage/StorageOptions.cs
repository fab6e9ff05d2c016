namespace CmacLive.Storage;

/// <summary>Where grain state lives, bound from the <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public const string DefaultSqliteConnectionString = "Data Source=data/cmaclive.db";

    /// <summary><c>Sqlite</c> (embedded default) or <c>Postgres</c>.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    public string? ConnectionString { get; set; }

    public string EffectiveConnectionString =>
        string.IsNullOrWhiteSpace(ConnectionString) ? DefaultSqliteConnectionString : ConnectionString;
}
