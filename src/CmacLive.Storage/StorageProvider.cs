namespace CmacLive.Storage;

public enum StorageProvider
{
    Sqlite,
    Postgres,
}
