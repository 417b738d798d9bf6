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

    private const string Llama = "\"vocab_size\":100,\"hidden_size\":64,\"intermediate_size\":128,\"num_hidden_layers\":2,\"num_attention_heads\":8";

    [Test]
    public void UnsupportedModelType_ListsEveryFamily()
    {
        var ex = Assert.Throws<ModelFormatException>(() => Read("""{"model_type":"bart"}"""));

        Assert.That(ex!.Field, Is.EqualTo("model_type"));
        Assert.That(ex.Message, Does.Contain("'bart'"));
        foreach (var type in new[] { "gpt2", "llama", "mistral", "qwen2", "gemma", "gemma2", "phi", "phi3", "gpt_neox", "opt", "t5" })
        {
            Assert.That(ex.Message, Does.Contain(type));
        }

        Assert.That(ex.Message, Does.Not.Contain("\n"));
    }

    [TestCase("dynamic", "\"factor\":2.0", "Dynamic")]
    [TestCase("yarn", "\"factor\":4.0,\"original_max_position_embeddings\":1024", "Yarn")]
    [TestCase("llama3", "\"factor\":8.0,\"low_freq_factor\":1.0,\"high_freq_factor\":4.0,\"original_max_position_embeddings\":8192", "Llama3")]
    public void RopeScalingVariants_AreRead(string type, string fields, string expected)
    {
        var c = Read("{\"model_type\":\"llama\"," + Llama + ",\"rope_scaling\":{\"rope_type\":\"" + type + "\"," + fields + "}}");

        Assert.That(c.Rope!.Scaling.ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void Llama3Scaling_WithoutItsFields_NamesTheMissingOne()
    {
        var ex = Assert.Throws<ModelFormatException>(() => Read("{\"model_type\":\"llama\"," + Llama + ",\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":8.0}}"));

        Assert.That(ex!.Field, Is.EqualTo("rope_scaling.low_freq_factor"));
    }

    [Test]
    public void LongRope_UnderItsOldName_Su_IsRead_AndFactorCountsAreChecked()
    {
        var factors = string.Join(",", Enumerable.Repeat("1.0", 4));
        var c = Read("{\"model_type\":\"phi3\"," + Llama + ",\"max_position_embeddings\":131072,\"original_max_position_embeddings\":4096,\"rope_scaling\":{\"type\":\"su\",\"short_factor\":[" + factors + "],\"long_factor\":[" + factors + "]}}");

        Assert.That(c.Rope!.Scaling, Is.EqualTo(RopeScaling.LongRope));
        Assert.That(c.Rope.OriginalMaxPositions, Is.EqualTo(4096));
        Assert.That(c.Rope.Factor, Is.EqualTo(32.0));

        var ex = Assert.Throws<ModelFormatException>(() => Read("{\"model_type\":\"phi3\"," + Llama + ",\"rope_scaling\":{\"type\":\"longrope\",\"short_factor\":[1.0],\"long_factor\":[" + factors + "]}}"));
        Assert.That(ex!.Field, Is.EqualTo("rope_scaling.short_factor"));
    }

    [Test]
    public void MistralSlidingWindow_AppliesToEveryLayer_AndLlamaIgnoresTheField()
    {
        var mistral = Read("{\"model_type\":\"mistral\"," + Llama + ",\"sliding_window\":4096}");
        var llama = Read("{\"model_type\":\"llama\"," + Llama + ",\"sliding_window\":4096}");

        Assert.That(mistral.AttentionFor(0).SlidingWindow, Is.EqualTo(4096));
        Assert.That(mistral.AttentionFor(1).SlidingWindow, Is.EqualTo(4096));
        Assert.That(llama.AttentionFor(0).SlidingWindow, Is.Null, "transformers' LlamaConfig has no sliding window; the harness's numbers ignore it");
    }

    [Test]
    public void Gemma2_DefaultsAndLayerTypes()
    {
        var gemma2 = "{\"model_type\":\"gemma2\"," + Llama + ",\"num_hidden_layers\":4";
        var defaults = Read(gemma2 + "}");
        var typed = Read(gemma2 + ",\"sliding_window\":64,\"layer_types\":[\"full_attention\",\"sliding_attention\",\"full_attention\",\"full_attention\"],\"final_logit_softcapping\":null}");

        Assert.That(defaults.AttentionFor(0).SlidingWindow, Is.EqualTo(4096));
        Assert.That(defaults.AttentionFor(1).SlidingWindow, Is.Null);
        Assert.That(defaults.AttentionFor(0).SoftCap, Is.EqualTo(50f));
        Assert.That(defaults.FinalLogitSoftCap, Is.EqualTo(30f));
        Assert.That(defaults.AttentionFor(0).Scale, Is.EqualTo(1 / Math.Sqrt(224)).Within(1e-7));
        Assert.That(typed.AttentionFor(0).SlidingWindow, Is.Null);
        Assert.That(typed.AttentionFor(1).SlidingWindow, Is.EqualTo(64));
        Assert.That(typed.FinalLogitSoftCap, Is.Null);
    }

    [TestCase("{\"model_type\":\"phi\",\"vocab_size\":100,\"hidden_size\":64,\"intermediate_size\":128,\"num_hidden_layers\":2,\"num_attention_heads\":8,\"qk_layernorm\":true}", "qk_layernorm")]
    [TestCase("{\"model_type\":\"llama\",\"vocab_size\":100,\"hidden_size\":64,\"intermediate_size\":128,\"num_hidden_layers\":2,\"num_attention_heads\":8,\"quantization_config\":{\"quant_method\":\"gptq\"}}", "quantization_config")]
    [TestCase("{\"model_type\":\"gemma2\",\"vocab_size\":100,\"hidden_size\":64,\"intermediate_size\":128,\"num_hidden_layers\":2,\"num_attention_heads\":8,\"layer_types\":[\"sliding_attention\",\"chunked_attention\"]}", "layer_types")]
    [TestCase("{\"model_type\":\"gpt_neox\",\"vocab_size\":100,\"hidden_size\":64,\"intermediate_size\":128,\"num_hidden_layers\":2,\"num_attention_heads\":8,\"hidden_act\":\"quick_gelu\"}", "hidden_act")]
    public void FieldsThatChangeTheMathsButAreNotImplemented_AreRefusedByName(string json, string field)
    {
        var ex = Assert.Throws<ModelFormatException>(() => Read(json));

        Assert.That(ex!.Field, Is.EqualTo(field));
    }

    private ModelConfig Read(string json)
    {
        var path = Path.Combine(_dir, "config.json");
        File.WriteAllText(path, json);
        return ModelConfigReader.Read(path);
    }
}
