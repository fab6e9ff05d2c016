namespace CmacLive.People;

[GenerateSerializer, Alias("cmac.SigningKeyRingState")]
public sealed class SigningKeyRingState
{
    /// <summary>Oldest first.</summary>
    [Id(0)] public List<SigningKey> Keys { get; set; } = [];
}
