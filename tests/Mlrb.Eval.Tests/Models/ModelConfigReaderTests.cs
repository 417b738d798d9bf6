using Mlrb.Eval.Models;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Models;

/// <summary>config.json parsing: defaults, the harness's max-length rule and field-named errors.</summary>
public class ModelConfigReaderTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = TestPaths.CreateTempDirectory("mlrb-config");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void MistralConfig_ReadsGqaThetaAndDefaults()
    {
        var c = Read("""{"model_type":"mistral","vocab_size":100,"hidden_size":64,"intermediate_size":128,"num_hidden_layers":2,"num_attention_heads":8,"num_key_value_heads":2,"rope_theta":1000000.0,"max_position_embeddings":4096}""");

        Assert.That(c.KeyValueHeadCount, Is.EqualTo(2));
        Assert.That(c.HeadDimension, Is.EqualTo(8));
        Assert.That(c.Rope!.Theta, Is.EqualTo(1e6));
        Assert.That(c.MaxLength, Is.EqualTo(4096));
        Assert.That(c.NormEpsilon, Is.EqualTo(1e-6f));
        Assert.That(c.TieWordEmbeddings, Is.False);
    }

    [Test]
    public void LinearRopeScaling_IsRead()
    {
        var c = Read("""{"model_type":"llama","vocab_size":100,"hidden_size":64,"intermediate_size":128,"num_hidden_layers":2,"num_attention_heads":8,"rope_scaling":{"rope_type":"linear","factor":4.0}}""");

        Assert.That(c.Rope!.Scaling, Is.EqualTo(RopeScaling.Linear));
        Assert.That(c.Rope.Factor, Is.EqualTo(4.0));
        Assert.That(c.KeyValueHeadCount, Is.EqualTo(8));
        Assert.That(c.MaxLength, Is.EqualTo(2048));
    }

    [Test]
    public void Gpt2_MaxLengthIsNPositions()
    {
        var c = Read("""{"model_type":"gpt2","vocab_size":100,"n_embd":64,"n_head":4,"n_layer":2,"n_positions":1024,"n_ctx":512}""");

        Assert.That(c.MaxLength, Is.EqualTo(1024));
        Assert.That(c.IntermediateSize, Is.EqualTo(256));
    }

    [Test]
    public void UnsupportedRopeScaling_NamesField()
    {
        var ex = Assert.Throws<ModelFormatException>(() => Read("""{"model_type":"llama","vocab_size":100,"hidden_size":64,"intermediate_size":128,"num_hidden_layers":2,"num_attention_heads":8,"rope_scaling":{"type":"mrope","mrope_section":[2,2,4]}}"""));

        Assert.That(ex!.Field, Is.EqualTo("rope_scaling"));
        Assert.That(ex.Message, Does.Contain("mrope").And.Contain("yarn").And.Contain("llama3"));
    }

    [Test]
    public void KeyValueHeadsNotDividingHeads_NamesField()
    {
        var ex = Assert.Throws<ModelFormatException>(() => Read("""{"model_type":"qwen2","vocab_size":100,"hidden_size":64,"intermediate_size":128,"num_hidden_layers":2,"num_attention_heads":8,"num_key_value_heads":3}"""));

        Assert.That(ex!.Field, Is.EqualTo("num_key_value_heads"));
    }

    [Test]
    public void WrongFieldType_NamesField()
    {
        var ex = Assert.Throws<ModelFormatException>(() => Read("""{"model_type":"gpt2","vocab_size":"many","n_embd":64,"n_head":4,"n_layer":2}"""));

        Assert.That(ex!.Field, Is.EqualTo("vocab_size"));
        Assert.That(ex.Message, Does.Contain("integer"));
    }

    [Test]
    public void UnsupportedActivation_NamesField()
    {
        var ex = Assert.Throws<ModelFormatException>(() => Read("""{"model_type":"gpt2","vocab_size":100,"n_embd":64,"n_head":4,"n_layer":2,"activation_function":"quick_gelu"}"""));

        Assert.That(ex!.Field, Is.EqualTo("activation_function"));
    }

    [Test]
    public void InvalidJson_NamesFile()
    {
        var ex = Assert.Throws<ModelFormatException>(() => Read("{not json"));

        Assert.That(ex!.FilePath, Does.EndWith("config.json"));
        Assert.That(ex.Message, Does.Contain("not valid JSON"));
    }

    private ModelConfig Read(string json)
    {
        var path = Path.Combine(_dir, "config.json");
        File.WriteAllText(path, json);
        return ModelConfigReader.Read(path);
    }
}
