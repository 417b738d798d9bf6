using Mlrb.Eval.Scoring;

namespace Mlrb.Eval.Tests.Scoring;

/// <summary>
/// MMLU-k-shot-shaped token requests for the tiny models (vocabulary 304, 40–48 positions): per subject a few-shot block shared by
/// its questions, four choices per question (one-token letters, or multi-token answers), questions that share their first tokens,
/// questions long enough to be left-truncated, and unrelated requests of mixed lengths.
/// </summary>
internal static class KShotRequests
{
    public static List<TokenLogLikelihoodRequest> Create(int seed = 11)
    {
        var rng = new Random(seed);
        int[] Tokens(int n) => Enumerable.Range(0, n).Select(_ => rng.Next(20, 290)).ToArray();
        var requests = new List<TokenLogLikelihoodRequest>();
        foreach (var blockLength in new[] { 14, 5 })
        {
            var block = Tokens(blockLength);
            var opening = Tokens(2);
            for (var q = 0; q < 4; q++)
            {
                // Questions 0 and 1 open alike (a second shared level under the block); question 3 is long enough to be truncated.
                var question = q < 2 ? [.. opening, .. Tokens(3 + q)] : Tokens(q == 3 ? 30 : 6);
                int[] context = [.. block, .. question];
                for (var c = 0; c < 4; c++)
                {
                    int[] choice = q % 2 == 0 ? [10 + c] : Tokens(1 + ((c + q) % 3));
                    requests.Add(new TokenLogLikelihoodRequest(context, choice));
                }
            }
        }

        for (var i = 0; i < 6; i++)
        {
            requests.Add(new TokenLogLikelihoodRequest(Tokens(1 + (i * 3)), Tokens(1 + (i % 4))));
        }

        return requests;
    }
}
