using CmacLive.Benchmarks;

return args.FirstOrDefault() switch
{
    "history" => await HistoryBenchmark.RunAsync(args[1..]),
    "footprint" => FootprintBenchmark.Run(args[1..]),
    "dispatch" => await DispatchBenchmark.RunAsync(args[1..]),
    "dashboard" => await DashboardBenchmark.RunAsync(args[1..]),
    "auth" => await AuthBenchmark.RunAsync(args[1..]),
    "network" => await NetworkBenchmark.RunAsync(args[1..]),
    "failover" => await FailoverBenchmark.RunAsync(args[1..]),
    IngestBenchmark.Command => await IngestBenchmark.RunAsync(args[1..]),
    BareRelay.Command => await BareRelay.ServeAsync(args[1..]),
    _ => Fail(),
};

static int Fail()
{
    Console.Error.WriteLine(Benchmarks.Usage);
    Console.Error.WriteLine(FailoverBenchmark.Usage);
    return 2;
}
