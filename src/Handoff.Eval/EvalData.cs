using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Handoff.Samples.SupportAgent.Classification;

namespace Handoff.Eval;

/// <summary>One labelled example of an evaluation data set: a customer's message, its true label, and its split.</summary>
public sealed record EvalExample(
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("split")] string Split)
{
    public bool IsTrain => Split == "train";

    public bool IsTest => Split == "test";
}

/// <summary>
/// Reads and writes the harness's input format — JSON lines <c>{"text", "label", "split": "train"|"test"}</c> and a
/// file of must-escalate labels — and turns the public data sets beside a checkout into it.
/// </summary>
public static class EvalData
{
    private static readonly JsonSerializerOptions Lines = new() { WriteIndented = false };

    /// <summary>Reads JSON lines; a line that is not an example (missing text or label, a split other than train or test) is refused naming its number.</summary>
    /// <exception cref="InvalidDataException">A line is not an example.</exception>
    public static List<EvalExample> Read(string path)
    {
        var examples = new List<EvalExample>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            EvalExample? example;
            try
            {
                example = JsonSerializer.Deserialize<EvalExample>(line, Lines);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{number}: not a JSON object with text, label and split ({e.Message})", e);
            }

            if (example is not { Text.Length: > 0, Label.Length: > 0 } || example.Split is not ("train" or "test"))
            {
                throw new InvalidDataException($"{path}:{number}: each line needs a non-empty \"text\" and \"label\", and \"split\" train or test");
            }

            examples.Add(example);
        }

        return examples;
    }

    public static void Write(string path, IEnumerable<EvalExample> examples)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false));
        foreach (var example in examples)
        {
            writer.WriteLine(JsonSerializer.Serialize(example, Lines));
        }
    }

    /// <summary>The must-escalate labels: one per line; blank lines and <c>#</c> comments are skipped.</summary>
    public static HashSet<string> ReadLabels(string path) =>
        [.. File.ReadLines(path).Select(static l => (l.IndexOf('#') is var hash and >= 0 ? l[..hash] : l).Trim()).Where(static l => l.Length > 0)];

    /// <summary>
    /// CLINC150 (<c>data_full.json</c>): <c>train</c> and <c>oos_train</c> as the train split; <c>test</c> and
    /// <c>oos_test</c> as the test split (out-of-scope labelled <c>oos</c>); the validation sets are left out.
    /// </summary>
    public static List<EvalExample> Clinc150(string directory)
    {
        using var file = File.OpenRead(Path.Combine(directory, "data_full.json"));
        var data = JsonSerializer.Deserialize<Dictionary<string, string[][]>>(file)
            ?? throw new InvalidDataException("data_full.json is empty");
        IEnumerable<EvalExample> Part(string name, string split) =>
            data.TryGetValue(name, out var rows) ? rows.Where(static r => r.Length == 2).Select(r => new EvalExample(r[0], r[1], split)) : [];
        return [.. Part("train", "train"), .. Part("oos_train", "train"), .. Part("test", "test"), .. Part("oos_test", "test")];
    }

    /// <summary>
    /// The Bitext customer-support CSV (its <c>instruction</c> and <c>intent</c> columns), split 80/20 by a hash of the
    /// text so that the same message always lands on the same side.
    /// </summary>
    public static List<EvalExample> BitextIn(string directory) => Bitext(Path.Combine(directory, TrainingData.BitextFileName));

    public static List<EvalExample> Bitext(string csvPath) =>
        [.. TrainingData.Bitext(new Microsoft.ML.MLContext(1), csvPath)
            .Select(static row => new EvalExample(row.Text, row.Intent, SHA256.HashData(Encoding.UTF8.GetBytes(row.Text))[0] < 205 ? "train" : "test"))];
}
