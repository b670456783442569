using BenchmarkDotNet.Running;

// Every benchmark class in this assembly is listed by BenchmarkSwitcher:
//   dotnet run -c Release --project benchmarks/TapSensor.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
