using CmacLive.Import;

return await Importer.RunAsync(args, Console.Out);
