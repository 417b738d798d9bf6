namespace Mlrb.Eval.Data;

// The rows the harness templates see (Hugging Face field semantics), whichever file format they came from.
// Line is the 1-based line of the source file, kept for error messages and per-document reports.

/// <summary>A BLiMP minimal pair.</summary>
internal sealed record BlimpPair(string SentenceGood, string SentenceBad, int Line);

/// <summary>An MMLU question with four choices and the answer index 0..3.</summary>
internal sealed record MmluQuestion(string Question, IReadOnlyList<string> Choices, int Answer, int Line);

/// <summary>A BoolQ row; label 1 = True.</summary>
internal sealed record BoolQRow(string Question, string Passage, int Label, int Line);

/// <summary>A CB row; label entailment=0, contradiction=1, neutral=2.</summary>
internal sealed record CbRow(string Premise, string Hypothesis, int Label, int Line);

/// <summary>A COPA row; label 0 = choice1.</summary>
internal sealed record CopaRow(string Premise, string Choice1, string Choice2, string Question, int Label, int Line);

/// <summary>One MultiRC answer row (HF flattening); label 1 = the answer is correct.</summary>
internal sealed record MultiRcRow(string Paragraph, string Question, string Answer, int ParagraphIdx, int QuestionIdx, int AnswerIdx, int Label, int Line);

/// <summary>One ReCoRD query row: entity texts and answer texts as extracted by HF (not yet sorted).</summary>
internal sealed record RecordRow(string Passage, string Query, IReadOnlyList<string> Entities, IReadOnlyList<string> Answers, int Line);

/// <summary>An RTE row; label entailment=0, not_entailment=1.</summary>
internal sealed record RteRow(string Premise, string Hypothesis, int Label, int Line);

/// <summary>A WiC row; label 1 = same sense.</summary>
internal sealed record WicRow(string Word, string Sentence1, string Sentence2, int Start1, int End1, int Start2, int End2, int Label, int Line);

/// <summary>A WSC row (flattened); label 1 = the pronoun refers to span 1.</summary>
internal sealed record WscRow(string Text, int Span1Index, string Span1Text, int Span2Index, string Span2Text, int Label, int Line);
