using System.Text.RegularExpressions;
using Mlrb.Eval.Data;

namespace Mlrb.Eval.Benchmarks;

/// <summary>
/// The lm-evaluation-harness templates (<c>doc_to_text</c>, <c>doc_to_choice</c>, <c>doc_to_target</c>) of every in-scope
/// task, reproduced with Python string semantics (see harness-scoring.md §2).
/// </summary>
internal static partial class HarnessPrompts
{
    private static readonly string[] NoYes = ["no", "yes"];

    /// <summary>BLiMP: empty text, choices <c>[good, bad]</c>, gold 0.</summary>
    public static PromptedDocument Blimp(BlimpPair p) => new(string.Empty, [p.SentenceGood, p.SentenceBad], 0, p.SentenceGood);

    /// <summary>MMLU's per-subject description: <c>"The following are multiple choice questions (with answers) about {subject words}.\n\n"</c>.</summary>
    public static string MmluDescription(string subject)
        => "The following are multiple choice questions (with answers) about " + subject.Replace('_', ' ') + ".\n\n";

    /// <summary>MMLU: stripped question, raw choices after A./B./C./D., letter continuations.</summary>
    public static PromptedDocument Mmlu(MmluQuestion q)
    {
        var text = $"{PyText.Strip(q.Question)}\nA. {q.Choices[0]}\nB. {q.Choices[1]}\nC. {q.Choices[2]}\nD. {q.Choices[3]}\nAnswer:";
        string[] letters = ["A", "B", "C", "D"];
        return new PromptedDocument(text, letters, q.Answer, letters[q.Answer]);
    }

    /// <summary>BoolQ: the template adds the question mark.</summary>
    public static PromptedDocument BoolQ(BoolQRow r) => Binary($"{r.Passage}\nQuestion: {r.Question}?\nAnswer:", NoYes, r.Label);

    /// <summary>CB: <c>"True, False, or Neither?"</c> with the Oxford comma.</summary>
    public static PromptedDocument Cb(CbRow r)
        => Binary($"{r.Premise}\nQuestion: {r.Hypothesis}. True, False, or Neither?\nAnswer:", ["True", "False", "Neither"], r.Label);

    /// <summary>RTE (<c>sglue_rte</c>).</summary>
    public static PromptedDocument Rte(RteRow r)
        => Binary($"{r.Premise}\nQuestion: {r.Hypothesis} True or False?\nAnswer:", ["True", "False"], r.Label);

    /// <summary>WiC: the word is <c>sentence1[start1:end1]</c> in code points.</summary>
    public static PromptedDocument Wic(WicRow r)
        => Binary(
            $"Sentence 1: {r.Sentence1}\nSentence 2: {r.Sentence2}\nQuestion: Is the word '{PyText.Slice(r.Sentence1, r.Start1, r.End1)}' used in the same way in the two sentences above?\nAnswer:",
            NoYes,
            r.Label);

    /// <summary>COPA: premise without its final character plus a connector; choices carry their own leading space.</summary>
    public static PromptedDocument Copa(CopaRow r)
    {
        var connector = r.Question == "cause" ? "because" : "therefore";
        var text = PyText.Slice(PyText.Strip(r.Premise), 0, -1) + " " + connector;
        string[] choices = [" " + PyText.LowerFirst(r.Choice1), " " + PyText.LowerFirst(r.Choice2)];
        return new PromptedDocument(text, choices, r.Label, choices[r.Label]);
    }

    /// <summary>
    /// MultiRC: choices <c>answer + "\nIs the answer correct? yes|no"</c>. The harness's gold is the label itself, which
    /// points a correct answer at the "no" choice; <paramref name="fixInversion"/> maps label 1 to "yes" instead.
    /// </summary>
    public static PromptedDocument MultiRc(MultiRcRow r, bool fixInversion)
    {
        string[] choices = [r.Answer + "\nIs the answer correct? yes", r.Answer + "\nIs the answer correct? no"];
        var gold = fixInversion ? 1 - r.Label : r.Label;
        return new PromptedDocument($"{r.Paragraph}\nQuestion: {r.Question}\nAnswer:", choices, gold, choices[gold]);
    }

    /// <summary>ReCoRD text: the initial passage, a blank line, then <c>"  - {highlight}.\n"</c> per highlight.</summary>
    public static string RecordText(string passage)
    {
        var parts = PyText.Strip(passage).Split("\n@highlight\n");
        var sb = new System.Text.StringBuilder(parts[0]).Append("\n\n");
        foreach (var highlight in parts.Skip(1))
        {
            sb.Append("  - ").Append(highlight).Append(".\n");
        }

        return sb.ToString();
    }

    /// <summary>ReCoRD's <c>format_answer</c>: every <c>@placeholder</c> replaced by the entity.</summary>
    public static string RecordAnswer(string query, string entity) => ("  - " + query).Replace("@placeholder", entity, StringComparison.Ordinal);

    /// <summary>ReCoRD: one choice per sorted entity; the target is the first sorted answer. Gold is the first entity equal to an answer (for reporting only).</summary>
    public static PromptedDocument Record(RecordRow r, out IReadOnlyList<string> entities, out IReadOnlyList<string> answers)
    {
        var sortedEntities = r.Entities.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var sortedAnswers = r.Answers.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        entities = sortedEntities;
        answers = sortedAnswers;
        var choices = sortedEntities.Select(e => RecordAnswer(r.Query, e)).ToList();
        var gold = sortedAnswers.Count == 0 ? -1 : sortedEntities.FindIndex(e => sortedAnswers.Contains(e, StringComparer.Ordinal));
        var target = sortedAnswers.Count == 0 ? string.Empty : RecordAnswer(r.Query, sortedAnswers[0]);
        return new PromptedDocument(RecordText(r.Passage), choices, gold, target);
    }

    /// <summary>
    /// WSC (<c>wsc.fixed</c>): the pronoun at word <c>span2_index</c> is wrapped in asterisks and the passage detokenised.
    /// </summary>
    public static PromptedDocument Wsc(WscRow r)
    {
        var words = PyText.Split(r.Text);
        var pre = string.Join(' ', words.Take(r.Span2Index));
        var post = PyText.Slice(r.Text, PyText.Length(pre) + PyText.Length(r.Span2Text) + 1);
        var passage = GeneralDetokenize(pre + " *" + r.Span2Text + "*" + post);
        var text = $"Passage: {passage}\nQuestion: In the passage above, does the pronoun \"*{r.Span2Text}*\" refer to \"*{r.Span1Text}*\"?\nAnswer:";
        return Binary(text, NoYes, r.Label);
    }

    /// <summary>lm_eval.utils <c>general_detokenize</c>.</summary>
    public static string GeneralDetokenize(string s)
    {
        s = s.Replace(" n't", "n't", StringComparison.Ordinal)
            .Replace(" )", ")", StringComparison.Ordinal)
            .Replace("( ", "(", StringComparison.Ordinal)
            .Replace("\" ", "\"", StringComparison.Ordinal)
            .Replace(" \"", "\"", StringComparison.Ordinal);
        return SpaceBeforePunctuation().Replace(s, "$1");
    }

    private static PromptedDocument Binary(string text, string[] choices, int gold) => new(text, choices, gold, choices[gold]);

    [GeneratedRegex(" (['.,])")]
    private static partial Regex SpaceBeforePunctuation();
}
