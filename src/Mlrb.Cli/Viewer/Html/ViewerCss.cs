namespace Mlrb.Cli.Viewer.Html;

/// <summary>The one style sheet, inlined into every page and export (no external files). Light and dark by <c>prefers-color-scheme</c>.</summary>
internal static class ViewerCss
{
    /// <summary>The CSS text.</summary>
    public const string Text = """
        :root{--bg:#ffffff;--fg:#1b1f24;--muted:#57606a;--line:#d0d7de;--panel:#f6f8fa;--link:#0b5cad;--bad:#b42318;--good:#1a7f37;
          --s0:#3b6fd4;--s1:#e0792b;--s2:#2e9e5b;--s3:#c04b8d;--s4:#7f5bd0;--s5:#9a7d1c;--s6:#1c8c99;--s7:#6b6b6b;--grid:#e3e7eb}
        @media (prefers-color-scheme: dark){:root{--bg:#0f1419;--fg:#e6edf3;--muted:#9ba6b2;--line:#30363d;--panel:#161b22;--link:#6cb6ff;--bad:#ff7b72;--good:#56d364;
          --s0:#6ea0ff;--s1:#ffa657;--s2:#56d364;--s3:#f778ba;--s4:#b392f0;--s5:#e3b341;--s6:#39c5cf;--s7:#a0a0a0;--grid:#2a3038}}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif}
        header.top{display:flex;gap:1.2em;align-items:baseline;padding:.6em 1.2em;border-bottom:1px solid var(--line);background:var(--panel)}
        header.top b{font-size:1.1em}
        main{padding:1em 1.2em;max-width:1400px}
        a{color:var(--link)}
        h1{font-size:1.4em;margin:.2em 0 .6em}
        h2{font-size:1.15em;margin:1.4em 0 .5em;border-bottom:1px solid var(--line);padding-bottom:.2em}
        table{border-collapse:collapse;width:100%;margin:.4em 0}
        th,td{border-bottom:1px solid var(--line);padding:.3em .5em;text-align:left;vertical-align:top}
        th{background:var(--panel);position:sticky;top:0}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        pre{white-space:pre-wrap;word-break:break-word;margin:0;font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;max-height:24em;overflow:auto}
        .muted{color:var(--muted)}
        .bad{color:var(--bad)}
        .good{color:var(--good)}
        .pill{display:inline-block;padding:0 .5em;border-radius:1em;border:1px solid var(--line);background:var(--panel);font-size:.9em}
        dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em;margin:.4em 0}
        dl.kv dt{color:var(--muted)}
        dl.kv dd{margin:0;word-break:break-word}
        form.filters{display:flex;flex-wrap:wrap;gap:.6em;align-items:end;margin:.4em 0 .8em}
        form.filters label{display:flex;flex-direction:column;font-size:.85em;color:var(--muted)}
        input,select,button{font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:4px;padding:.2em .4em}
        .msg{border:1px solid var(--line);border-radius:6px;margin:.5em 0;padding:.4em .6em}
        .msg .role{font-weight:600}
        .msg.assistant{border-left:4px solid var(--s0)}
        .msg.tool{border-left:4px solid var(--s2)}
        .msg.user{border-left:4px solid var(--s1)}
        .msg.system{border-left:4px solid var(--s7)}
        .pager{margin:.5em 0}
        .pager a,.pager span{margin-right:.6em}
        svg.chart{max-width:100%;height:auto;display:block;margin:.5em 0}
        svg.chart text{fill:var(--fg);font:12px system-ui,sans-serif}
        svg.chart .axis{stroke:var(--muted);stroke-width:1}
        svg.chart .grid{stroke:var(--grid);stroke-width:1}
        svg.chart .err{stroke:var(--fg);stroke-width:1.5}
        svg.chart .pt{fill:var(--bg);stroke:var(--fg);stroke-width:1}
        svg.chart .budget{stroke:var(--bad);stroke-width:1.5;stroke-dasharray:6 4}
        svg.chart .budget-label{fill:var(--bad)}
        .s0{fill:var(--s0);stroke:var(--s0)}.s1{fill:var(--s1);stroke:var(--s1)}.s2{fill:var(--s2);stroke:var(--s2)}.s3{fill:var(--s3);stroke:var(--s3)}
        .s4{fill:var(--s4);stroke:var(--s4)}.s5{fill:var(--s5);stroke:var(--s5)}.s6{fill:var(--s6);stroke:var(--s6)}.s7{fill:var(--s7);stroke:var(--s7)}
        svg.chart path.line{fill:none;stroke-width:2}
        .diff-pos{color:var(--good)}.diff-neg{color:var(--bad)}
        """;
}
