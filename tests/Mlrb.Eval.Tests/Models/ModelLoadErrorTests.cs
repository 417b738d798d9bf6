using System.Buffers.Binary;
using System.Text;
using Mlrb.Eval.Models;
using Mlrb.Eval.Scoring;
using Mlrb.Eval.Tests.Scoring;
using Mlrb.Testing;

namespace Mlrb.Eval.Tests.Models;

/// <summary>Bad model folders give a <see cref="ModelFormatException"/> naming the file and the field.</summary>
public class ModelLoadErrorTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = TestPaths.CreateTempDirectory("mlrb-model");
        foreach (var f in Directory.GetFiles(GoldenFile.ModelPath("tiny-gpt2")))
        {
            File.Copy(f, Path.Combine(_dir, Path.GetFileName(f)));
        }
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void CopiedFolder_Loads()
        => Assert.That(ModelScorer.Load(_dir).MaxLength, Is.EqualTo(48));

    [Test]
    public void TruncatedSafetensors_NamesFileAndOffsets()
    {
        var path = Path.Combine(_dir, "model.safetensors");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);

        var ex = Assert.Throws<ModelFormatException>(() => ModelScorer.Load(_dir));
        Assert.That(ex!.FilePath, Is.EqualTo(path));
        Assert.That(ex.Field, Does.EndWith(".data_offsets"));
        Assert.That(ex.Message, Does.Contain("overruns the file"));
    }

    [Test]
    public void FileShorterThanHeaderLength_IsTruncated()
    {
        var path = Path.Combine(_dir, "model.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);

        var ex = Assert.Throws<ModelFormatException>(() => ModelScorer.Load(_dir));
        Assert.That(ex!.Message, Does.Contain("truncated").And.Contain(path));
    }

    [Test]
    public void HeaderLongerThanFile_IsTruncated()
    {
        var path = Path.Combine(_dir, "model.safetensors");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..200]);

        var ex = Assert.Throws<ModelFormatException>(() => ModelScorer.Load(_dir));
        Assert.That(ex!.Field, Is.EqualTo("header length"));
    }

    [Test]
    public void HeaderOffsetsOverrunningTheFile_NameTheTensor()
    {
        var path = Path.Combine(_dir, "model.safetensors");
        var header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},\"x\":{\"dtype\":\"F32\",\"shape\":[1000],\"data_offsets\":[16,4016]}}";
        WriteSafetensors(path, header, new byte[64]);

        var ex = Assert.Throws<ModelFormatException>(() => ModelScorer.Load(_dir));
        Assert.That(ex!.Field, Is.EqualTo("x.data_offsets"));
        Assert.That(ex.Message, Does.Contain("[16, 4016]").And.Contain("64 bytes"));
    }

    [Test]
    public void OffsetsNotMatchingShape_AreRejected()
    {
        var path = Path.Combine(_dir, "model.safetensors");
        WriteSafetensors(path, "{\"w\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[16]);

        var ex = Assert.Throws<ModelFormatException>(() => ModelScorer.Load(_dir));
        Assert.That(ex!.Field, Is.EqualTo("w.data_offsets"));
    }

    [Test]
    public void MissingTensor_IsNamed()
    {
        var path = Path.Combine(_dir, "model.safetensors");
        WriteSafetensors(path, "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]);

        var ex = Assert.Throws<ModelFormatException>(() => ModelScorer.Load(_dir));
        Assert.That(ex!.Field, Is.EqualTo("wte.weight"));
        Assert.That(ex.Message, Does.Contain("missing"));
    }

    [Test]
    public void UnknownModelType_NamesField()
    {
        RewriteConfig(c => c.Replace("\"model_type\": \"gpt2\"", "\"model_type\": \"mamba\"", StringComparison.Ordinal));

        var ex = Assert.Throws<ModelFormatException>(() => ModelScorer.Load(_dir));
        Assert.That(ex!.FilePath, Is.EqualTo(Path.Combine(_dir, "config.json")));
        Assert.That(ex.Field, Is.EqualTo("model_type"));
        Assert.That(ex.Message, Does.Contain("mamba").And.Contain("gpt2, llama"));
    }

    [Test]
    public void ConfigMissingRequiredField_NamesField()
    {
        RewriteConfig(c => c.Replace("\"n_head\": 4,", string.Empty, StringComparison.Ordinal));

        var ex = Assert.Throws<ModelFormatException>(() => ModelScorer.Load(_dir));
        Assert.That(ex!.Field, Is.EqualTo("n_head"));
        Assert.That(ex.Message, Does.Contain("config.json").And.Contain("missing"));
    }

    [Test]
    public void WrongShapeAgainstConfig_IsReported()
    {
        RewriteConfig(c => c.Replace("\"n_embd\": 32", "\"n_embd\": 64", StringComparison.Ordinal));

        var ex = Assert.Throws<ModelFormatException>(() => ModelScorer.Load(_dir));
        Assert.That(ex!.Message, Does.Contain("has shape").And.Contain("expected"));
    }

    [Test]
    public void PytorchBinOnlyFolder_SaysToConvert()
    {
        File.Delete(Path.Combine(_dir, "model.safetensors"));
        File.WriteAllBytes(Path.Combine(_dir, "pytorch_model.bin"), [0x80, 0x02]);

        var ex = Assert.Throws<ModelFormatException>(() => ModelScorer.Load(_dir));
        Assert.That(ex!.Message, Does.Contain("Convert").And.Contain("safetensors"));
    }

    [Test]
    public void MissingShard_IsNamed()
    {
        var qwen = TestPaths.CreateTempDirectory("mlrb-qwen");
        try
        {
            foreach (var f in Directory.GetFiles(GoldenFile.ModelPath("tiny-qwen2")))
            {
                File.Copy(f, Path.Combine(qwen, Path.GetFileName(f)));
            }

            File.Delete(Path.Combine(qwen, "model-00002-of-00002.safetensors"));
            var ex = Assert.Throws<ModelFormatException>(() => ModelScorer.Load(qwen));
            Assert.That(ex!.Field, Is.EqualTo("weight_map"));
            Assert.That(ex.Message, Does.Contain("model-00002-of-00002.safetensors"));
        }
        finally
        {
            Directory.Delete(qwen, recursive: true);
        }
    }

    private void RewriteConfig(Func<string, string> edit)
    {
        var path = Path.Combine(_dir, "config.json");
        var before = File.ReadAllText(path);
        var after = edit(before);
        Assert.That(after, Is.Not.EqualTo(before), "the config edit must change the file");
        File.WriteAllText(path, after);
    }

    private static void WriteSafetensors(string path, string header, byte[] data)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)h.Length);
        h.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + h.Length);
        File.WriteAllBytes(path, bytes);
    }
}
