namespace Mlrb.Eval.Tokenization.Patterns;

/// <summary>One instruction of the backtracking pattern machine.</summary>
/// <param name="Op">The operation.</param>
/// <param name="A">First operand (code point, set index, jump target, program index, anchor kind).</param>
/// <param name="B">Second operand (the other jump target, or a loop's minimum count).</param>
internal readonly record struct Instruction(OpCode Op, int A, int B = 0);

/// <summary>Operations of the backtracking pattern machine.</summary>
internal enum OpCode : byte
{
    /// <summary>Consume the code point A.</summary>
    Char,

    /// <summary>Consume one code point of set A.</summary>
    Set,

    /// <summary>Consume the longest run of set A (at least B code points), giving code points back one by one on backtracking.</summary>
    SetLoop,

    /// <summary>Continue at A; on backtracking, at B.</summary>
    Split,

    /// <summary>Continue at A.</summary>
    Jump,

    /// <summary>Check the anchor A (an <see cref="AnchorKind"/>).</summary>
    Assert,

    /// <summary>Continue if program A matches here (B = 1 for a negative lookahead: if it does not); consumes nothing.</summary>
    Look,

    /// <summary>Run program A here and continue after its first match, never backtracking into it.</summary>
    Atomic,

    /// <summary>Success.</summary>
    Match,
}
