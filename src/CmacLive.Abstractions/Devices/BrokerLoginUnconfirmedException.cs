namespace CmacLive.Devices;

/// <summary>The broker did not confirm a change to a device's login (out of reach, no answer in time, or it refused it).</summary>
public sealed class BrokerLoginUnconfirmedException : Exception
{
    public BrokerLoginUnconfirmedException()
    {
    }

    public BrokerLoginUnconfirmedException(string message) : base(message)
    {
    }

    public BrokerLoginUnconfirmedException(string message, Exception inner) : base(message, inner)
    {
    }
}
