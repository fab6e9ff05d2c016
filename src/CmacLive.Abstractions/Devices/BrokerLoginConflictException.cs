namespace CmacLive.Devices;

/// <summary>The broker has a login of that name that is not a device's (the silos' own, or a person's): it is left alone.</summary>
public sealed class BrokerLoginConflictException : Exception
{
    public BrokerLoginConflictException()
    {
    }

    public BrokerLoginConflictException(string message) : base(message)
    {
    }

    public BrokerLoginConflictException(string message, Exception inner) : base(message, inner)
    {
    }
}
