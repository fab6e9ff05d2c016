namespace CmacLive.Ingestion;

/// <summary>The broker did not take or did not answer a dynamic-security command.</summary>
public sealed class DynamicSecurityException : Exception
{
    public DynamicSecurityException()
    {
    }

    public DynamicSecurityException(string message) : base(message)
    {
    }

    public DynamicSecurityException(string message, Exception inner) : base(message, inner)
    {
    }
}
