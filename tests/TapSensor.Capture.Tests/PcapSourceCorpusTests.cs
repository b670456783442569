using TapSensor.Capture.Tests.Infrastructure;
using TapSensor.Testing;

namespace TapSensor.Capture.Tests;

/// <summary>Every capture of the shared corpus through the whole pipeline: a clean end or one clear error, never a crash.</summary>
public sealed class PcapSourceCorpusTests
{
    private readonly ITestOutputHelper _output;

    public PcapSourceCorpusTests(ITestOutputHelper output) => _output = output;

    [CorpusFact]
    public void Every_edge_capture_runs_to_a_clean_end_or_one_clear_error_and_no_decoded_packet_is_lost()
    {
        var corpus = Corpus.Open();
        int files = 0, refused = 0, readErrors = 0;
        var failures = new List<string>();
        foreach (var entry in corpus.Select("edge"))
        {
            files++;
            PipelineRun run;
            try
            {
                // Two workers, tiny rings: the hand-off paths get exercised on every file.
                run = PipelineRun.Read(entry.FullPath, workers: 2);
            }
            catch (CaptureException ex)
            {
                refused++;
                if (ex.Message.Contains('\n') || ex.Message.Length > 300) failures.Add($"{entry.Path}: unclear error '{ex.Message}'");
                continue;
            }
            catch (Exception ex)
            {
                failures.Add($"{entry.Path}: {ex.GetType().Name}: {ex.Message}");
                continue;
            }
            if (run.Capture.End == CaptureEnd.Error) readErrors++;

            long frames = run.Pipeline.Decoder.Counters.Frames;
            long inRecords = run.Finals.Sum(r => r.OrigPkts + r.RespPkts);
            if (frames != run.Capture.Packets) failures.Add($"{entry.Path}: decoded {frames} of {run.Capture.Packets} frames");
            if (inRecords != run.DecodedOk) failures.Add($"{entry.Path}: {run.DecodedOk} packets decoded but {inRecords} in flow records");
            if (!run.SinkCompleted) failures.Add($"{entry.Path}: sink not completed");
        }
        _output.WriteLine($"{files} edge captures: {refused} refused by libpcap with a clear error, {readErrors} ended with a read error (cut short)");
        Assert.True(files > 1000, $"expected the whole edge corpus, found {files} files");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(40)));
    }

    [CorpusFact]
    public void A_file_that_is_not_a_capture_is_refused_with_its_magic_number()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, "this is a text file, not a capture\n"u8.ToArray());
            var ex = Assert.Throws<CaptureException>(() => PcapSource.OpenFile(path));
            Assert.Contains("not a pcap or pcapng file", ex.Message);
            Assert.Contains("magic number", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_file_is_one_clear_line()
    {
        var ex = Assert.Throws<CaptureException>(() => PcapSource.OpenFile("/nonexistent/dir/capture.pcap"));
        Assert.Equal("capture file not found: '/nonexistent/dir/capture.pcap'", ex.Message);
    }
}
