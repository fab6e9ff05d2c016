namespace CmacLive.People;

[GenerateSerializer, Alias("cmac.ApiKeyState")]
public sealed class ApiKeyState
{
    [Id(0)] public string? Owner { get; set; }
}
