using CmacLive.Silo;
using CmacLive.Silo.Extensions;

if (HealthProbe.IsRequested(args))
{
    return await HealthProbe.RunAsync(args, Console.Out);
}

await SiloHost.Build(args).RunAsync();
return 0;
