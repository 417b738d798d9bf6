namespace Mlrb.Tasks.Tests.Loading;

public class TaskFileTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Mlrb.Testing.TestPaths.CreateTempDirectory("mlrb-taskfile");

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    internal const string ValidYaml = """
        name: tiny_lm
        full_name: Tiny LM Challenge
        suite: mini
        task: |
          Train a tiny language model from scratch.
          Keep it under 10M parameters.
        dataset_policy: Only the dataset below.
        datasets:
          - hugging_face_id: roneneldan/TinyStories
            splits:
              - name: train
                rows: 2119719
                columns: [text]
              - name: validation
                rows: 21990
                columns: [text]
        model_policy: Any architecture, trained from scratch.
        libraries: [PyTorch]
        compute:
          gpu_kind: NVIDIA H100
          gpu_memory_gb: 80
          ram_gb: 64
          disk_gb: 100
        time_limit: 1h30m
        expected_result: A Hugging Face model with low validation loss.
        rules:
          - Train from scratch.
          - "Do not use the validation split for training: it is for evaluation."
        evaluation:
          benchmarks:
            - name: blimp
              shots: 0
              metric: acc
              subtasks: [anaphor_gender_agreement]
          aggregation: mean_over_subtasks
          aggregation_formula: mean accuracy over the listed subtasks
          self_evaluation_command: lm_eval --tasks blimp_anaphor_gender_agreement
        additional_info: Save the model in the working directory.
        formula: score = accuracy
        starter_code: https://github.com/example/tiny
        device_memory_limit_gb: 2
        allowed_precisions: [fp16, fp32]
        """;

    [Test]
    public void Parse_ValidYaml_ReadsEveryField()
    {
        var task = TaskFile.Parse(ValidYaml, "tiny.yaml", TaskFileFormat.Yaml);

        Assert.Multiple(() =>
        {
            Assert.That(task.Name, Is.EqualTo("tiny_lm"));
            Assert.That(task.Suite, Is.EqualTo(BenchmarkSuite.Mini));
            Assert.That(task.TaskText, Is.EqualTo("Train a tiny language model from scratch.\nKeep it under 10M parameters.\n"));
            Assert.That(task.Datasets[0].Splits[0].Rows, Is.EqualTo(2_119_719));
            Assert.That(task.Datasets[0].Splits[1].Columns, Is.EqualTo(new[] { "text" }));
            Assert.That(task.Compute.GpuCount, Is.EqualTo(1), "gpu_count defaults to 1");
            Assert.That(task.Compute.GpuMemoryGb, Is.EqualTo(80));
            Assert.That(task.TimeLimit, Is.EqualTo(TimeSpan.FromMinutes(90)));
            Assert.That(task.Rules[1], Does.StartWith("Do not use the validation split"));
            Assert.That(task.Evaluation.Benchmarks[0].Subtasks, Is.EqualTo(new[] { "anaphor_gender_agreement" }));
            Assert.That(task.Evaluation.Aggregation, Is.EqualTo(ScoreAggregation.MeanOverSubtasks));
            Assert.That(task.StarterCode, Is.EqualTo(new Uri("https://github.com/example/tiny")));
            Assert.That(task.DeviceMemoryLimitGb, Is.EqualTo(2));
            Assert.That(task.AllowedPrecisions, Is.EqualTo(new[] { WeightPrecision.Fp16, WeightPrecision.Fp32 }));
            Assert.That(task.StarterKit, Is.Null);
            Assert.That(task.AllowedModels, Is.Empty);
        });
    }

    private const string GenerationYaml = """
          generation:
            data_folder: lean_rows
            held_out_rows: 50
            items: 20
            prompt_template: "Problem: {informal_statement}\nLean:\n"
            reference_field: formal_proof
            max_new_tokens: 128
            stop_sequences: ["\n\n"]
        """;

    [Test]
    public void GenerationSection_IsRead_WithDefaultsForOptionalFields()
    {
        var yaml = ValidYaml.Replace("  self_evaluation_command: lm_eval --tasks blimp_anaphor_gender_agreement\n", "  self_evaluation_command: lm_eval --tasks blimp_anaphor_gender_agreement\n" + GenerationYaml + "\n", StringComparison.Ordinal);
        var g = TaskFile.Parse(yaml, "gen.yaml", TaskFileFormat.Yaml).Evaluation.Generation;
        Assert.That(g, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(g!.DataFolder, Is.EqualTo("lean_rows"));
            Assert.That(g.HeldOutRows, Is.EqualTo(50));
            Assert.That(g.Items, Is.EqualTo(20));
            Assert.That(g.PromptTemplate, Is.EqualTo("Problem: {informal_statement}\nLean:\n"));
            Assert.That(g.MaxNewTokens, Is.EqualTo(128));
            Assert.That(g.StopSequences, Is.EqualTo(new[] { "\n\n" }));
        });

        var minimal = yaml.Replace("    items: 20\n", "", StringComparison.Ordinal).Replace("    max_new_tokens: 128\n", "", StringComparison.Ordinal);
        var d = TaskFile.Parse(minimal, "gen.yaml", TaskFileFormat.Yaml).Evaluation.Generation!;
        Assert.That((d.Items, d.MaxNewTokens), Is.EqualTo((100, 256)));
    }

    [Test]
    public void GenerationSection_UnknownField_NamesIt()
    {
        var yaml = ValidYaml.Replace("  self_evaluation_command: lm_eval --tasks blimp_anaphor_gender_agreement\n", "  self_evaluation_command: x\n" + GenerationYaml.Replace("items:", "itemz:", StringComparison.Ordinal) + "\n", StringComparison.Ordinal);
        Assert.That(() => TaskFile.Parse(yaml, "gen.yaml", TaskFileFormat.Yaml), Throws.TypeOf<TaskFileException>().With.Message.Contains("itemz"));
    }

    [Test]
    public void MathReasoning_IsScoredFromTheModel_OnTheFirst100HeldOutRows()
    {
        var task = TaskCatalog.Builtin.GetTask("math_reasoning");
        var g = task.Evaluation.Generation!;
        Assert.That((g.Items, g.HeldOutRows, g.ReferenceField), Is.EqualTo((100, 400, "formal_proof")));
        Assert.That(g.PromptTemplate, Does.Contain("{informal_statement}").And.Contain("{informal_proof}"));
        Assert.That(task.Evaluation.Aggregation, Is.EqualTo(ScoreAggregation.MeanOfMetrics));
        Assert.That(task.Rules[0], Does.Contain("last 400 rows"), "the agent is told which rows are held out");
        Assert.That(task.AdditionalInfo, Does.Contain("Natural language statement:"), "and the prompt format");
    }

    [Test]
    public void YamlFile_RoundTrips()
    {
        var original = TaskFile.Parse(ValidYaml, "tiny.yaml", TaskFileFormat.Yaml);
        var path = Path.Combine(_dir, "tiny.yaml");

        TaskFile.Save(original, path);
        var reloaded = TaskFile.Load(path);

        DeepEquality.AssertEqual(original, reloaded);
    }

    [TestCaseSource(nameof(BuiltinNames))]
    public void EveryBuiltinTask_RoundTripsThroughYamlAndJson(string name)
    {
        var original = TaskCatalog.Builtin.GetTask(name);

        var fromYaml = TaskFile.Parse(TaskFile.ToYaml(original), name + ".yaml", TaskFileFormat.Yaml);
        var fromJson = TaskFile.Parse(TaskFile.ToJson(original), name + ".json", TaskFileFormat.Json);

        DeepEquality.AssertEqual(original, fromYaml);
        DeepEquality.AssertEqual(original, fromJson);
    }

    [Test]
    public void Json_WithTabsAndTheSameSchema_Loads()
    {
        var json = TaskFile.ToJson(TaskCatalog.Builtin.GetTask("baby_lm")).Replace("  ", "\t", StringComparison.Ordinal);
        var path = Path.Combine(_dir, "baby.json");
        File.WriteAllText(path, json);

        var task = TaskFile.Load(path);

        Assert.That(task.Name, Is.EqualTo("baby_lm"));
        Assert.That(task.Datasets[0].Splits, Has.Count.EqualTo(3));
    }

    [Test]
    public void YamlSyntaxError_NamesFileLineAndTheFieldBeingRead()
    {
        var broken = ValidYaml.Replace("  gpu_memory_gb: 80", "  gpu_memory_gb: [80", StringComparison.Ordinal);

        var ex = LoadExpectingError(broken, "broken.yaml");

        Assert.That(ex.Line, Is.InRange(19, 21));
        Assert.That(ex.Field, Does.StartWith("compute"));
        Assert.That(ex.Message, Does.Contain("broken.yaml:").And.Contain("invalid YAML"));
    }

    [Test]
    public void JsonSyntaxError_NamesFileLineAndField()
    {
        var json = TaskFile.ToJson(TaskCatalog.Builtin.GetTask("baby_lm"));
        var lines = json.Split('\n').ToList();
        var index = lines.FindIndex(l => l.Contains("\"ram_gb\"", StringComparison.Ordinal));
        lines[index] = lines[index].Replace(",", string.Empty, StringComparison.Ordinal);

        var ex = LoadExpectingError(string.Join('\n', lines), "broken.json");

        Assert.That(ex.Line, Is.EqualTo(index + 2), "the parser stops on the token after the missing comma");
        Assert.That(ex.Field, Does.StartWith("compute"));
        Assert.That(ex.Message, Does.Contain("broken.json:").And.Contain("invalid JSON"));
    }

    [Test]
    public void MissingRequiredField_NamesTheFieldAndTheLineOfItsMapping()
    {
        var yaml = ValidYaml.Replace("  self_evaluation_command: lm_eval --tasks blimp_anaphor_gender_agreement\n", string.Empty, StringComparison.Ordinal);

        var ex = LoadExpectingError(yaml, "missing.yaml");

        Assert.That(ex.Field, Is.EqualTo("evaluation.self_evaluation_command"));
        Assert.That(ex.Line, Is.EqualTo(Line(yaml, "  benchmarks:")), "the evaluation mapping starts on its first key");
        Assert.That(ex.Message, Does.Contain("missing.yaml:").And.Contain("required field is missing"));
    }

    [Test]
    public void WrongValueType_NamesTheFieldAndItsLine()
    {
        var yaml = ValidYaml.Replace("      shots: 0", "      shots: many", StringComparison.Ordinal);

        var ex = LoadExpectingError(yaml, "type.yaml");

        Assert.That(ex.Field, Is.EqualTo("evaluation.benchmarks[0].shots"));
        Assert.That(ex.Line, Is.EqualTo(Line(yaml, "      shots: many")));
        Assert.That(ex.Problem, Does.Contain("whole number").And.Contain("many"));
    }

    [Test]
    public void BadDuration_NamesTimeLimit()
    {
        var yaml = ValidYaml.Replace("time_limit: 1h30m", "time_limit: soon", StringComparison.Ordinal);

        var ex = LoadExpectingError(yaml, "time.yaml");

        Assert.That(ex.Field, Is.EqualTo("time_limit"));
        Assert.That(ex.Line, Is.EqualTo(Line(yaml, "time_limit: soon")));
        Assert.That(ex.Problem, Does.Contain("24h"));
    }

    [Test]
    public void ListWhereTextExpected_NamesTheField()
    {
        var yaml = ValidYaml.Replace("formula: score = accuracy", "formula: [a, b]", StringComparison.Ordinal);

        var ex = LoadExpectingError(yaml, "list.yaml");

        Assert.That(ex.Field, Is.EqualTo("formula"));
        Assert.That(ex.Problem, Does.Contain("expected text, found a list"));
    }

    [Test]
    public void UnknownField_SuggestsTheNearestKnownOne()
    {
        var yaml = ValidYaml.Replace("  ram_gb: 64", "  ramgb: 64", StringComparison.Ordinal);

        var ex = LoadExpectingError(yaml, "typo.yaml");

        Assert.That(ex.Field, Is.EqualTo("compute.ramgb"));
        Assert.That(ex.Line, Is.EqualTo(Line(yaml, "  ramgb: 64")));
        Assert.That(ex.Problem, Does.Contain("did you mean 'ram_gb'"));
    }

    [Test]
    public void UnknownEnumValue_ListsTheAllowedOnes()
    {
        var yaml = ValidYaml.Replace("aggregation: mean_over_subtasks", "aggregation: median", StringComparison.Ordinal);

        var ex = LoadExpectingError(yaml, "enum.yaml");

        Assert.That(ex.Field, Is.EqualTo("evaluation.aggregation"));
        Assert.That(ex.Problem, Does.Contain("mean_over_subtasks").And.Contain("report_each"));
    }

    [Test]
    public void DuplicateKey_IsAnError()
    {
        var yaml = ValidYaml + "\nformula: again\n";

        var ex = LoadExpectingError(yaml, "dup.yaml");

        Assert.That(ex.Field, Is.EqualTo("formula"));
        Assert.That(ex.Problem, Does.Contain("twice"));
    }

    [Test]
    public void EmptyFile_IsAnError()
    {
        var ex = LoadExpectingError(string.Empty, "empty.yaml");

        Assert.That(ex.Line, Is.EqualTo(1));
        Assert.That(ex.Problem, Does.Contain("empty"));
    }

    [Test]
    public void LoadDirectory_ReadsYamlAndJson_AndRejectsDuplicateNames()
    {
        File.WriteAllText(Path.Combine(_dir, "a.yaml"), ValidYaml);
        File.WriteAllText(Path.Combine(_dir, "b.json"), TaskFile.ToJson(TaskCatalog.Builtin.GetTask("baby_lm") with { Name = "my_baby_lm" }));
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "not a task");

        var tasks = TaskFile.LoadDirectory(_dir);
        Assert.That(tasks.Select(t => t.Name), Is.EqualTo(new[] { "tiny_lm", "my_baby_lm" }));

        File.WriteAllText(Path.Combine(_dir, "c.yml"), ValidYaml);
        var ex = Assert.Throws<TaskFileException>(() => TaskFile.LoadDirectory(_dir));
        Assert.That(ex!.FilePath, Does.EndWith("c.yml"));
        Assert.That(ex.Problem, Does.Contain("a.yaml"));
    }

    [Test]
    public void WithTaskDirectories_AddsUserTasksAfterTheBuiltinOnes()
    {
        File.WriteAllText(Path.Combine(_dir, "a.yaml"), ValidYaml);

        var catalog = TaskCatalog.WithTaskDirectories([_dir]);

        Assert.That(catalog.Tasks, Has.Count.EqualTo(14));
        Assert.That(catalog.Tasks[^1].Name, Is.EqualTo("tiny_lm"));
        Assert.That(catalog.GetTask("tiny_lm").Compute.GpuKind, Is.EqualTo("NVIDIA H100"));
    }

    [Test]
    public void WithTaskDirectories_ATaskNamedLikeABuiltinOne_NamesTheFile()
    {
        var path = Path.Combine(_dir, "mine.yaml");
        TaskFile.Save(TaskCatalog.Builtin.GetTask("baby_lm"), path);

        var ex = Assert.Throws<TaskFileException>(() => TaskCatalog.WithTaskDirectories([_dir]));

        Assert.That(ex!.FilePath, Is.EqualTo(path));
        Assert.That(ex.Problem, Does.Contain("built-in"));
    }

    [Test]
    public void WithTaskDirectories_SameNameInTwoFolders_NamesBothFiles()
    {
        var second = Directory.CreateDirectory(Path.Combine(_dir, "second")).FullName;
        File.WriteAllText(Path.Combine(_dir, "a.yaml"), ValidYaml);
        File.WriteAllText(Path.Combine(second, "b.yaml"), ValidYaml);

        var ex = Assert.Throws<TaskFileException>(() => TaskCatalog.WithTaskDirectories([_dir, second]));

        Assert.That(ex!.FilePath, Is.EqualTo(Path.Combine(second, "b.yaml")));
        Assert.That(ex.Problem, Does.Contain(Path.Combine(_dir, "a.yaml")));
    }

    [Test]
    public void UnknownStarterKit_InAFile_IsAnError()
    {
        var yaml = ValidYaml + "\nstarter_kit: my_kit\n";

        var ex = LoadExpectingError(yaml, "kit.yaml");

        Assert.That(ex.Field, Is.EqualTo("starter_kit"));
        Assert.That(ex.Problem, Does.Contain("my_kit").And.Contain("llm_merging"));
    }

    private TaskFileException LoadExpectingError(string text, string fileName)
    {
        var path = Path.Combine(_dir, fileName);
        File.WriteAllText(path, text);
        var ex = Assert.Throws<TaskFileException>(() => TaskFile.Load(path));
        Assert.That(ex!.FilePath, Is.EqualTo(path));
        Assert.That(ex.Message, Does.StartWith(path + ":" + ex.Line + ":"));
        Assert.That(ex.Message, Does.Contain("'" + ex.Field + "'"));
        return ex;
    }

    private static int Line(string text, string lineText) =>
        text.Split('\n').ToList().FindIndex(l => l == lineText) + 1;

    private static IEnumerable<string> BuiltinNames() => TaskCatalog.Builtin.Tasks.Select(t => t.Name);
}
