using CmacLive.Silo;

await SiloHost.Build(args).RunAsync();
