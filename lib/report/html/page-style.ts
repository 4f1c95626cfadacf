// The page's style sheet, inline (the page loads nothing). System fonts only.
export const PAGE_STYLE = `
:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #fff; --muted: #666; --line: #ddd; --accent: #0072b2; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e6e6; --bg: #161616; --muted: #a0a0a0; --line: #3a3a3a; --accent: #56b4e9; } }
body { font: 15px/1.45 system-ui, sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 1100px; padding: 1rem 1.5rem 3rem; }
code, pre, .spark { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; } h4 { margin: .8rem 0 .3rem; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; } dl.summary dt { color: var(--muted); } dl.summary dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: .5rem 0; } th, td { border-bottom: 1px solid var(--line); padding: .2rem .6rem; text-align: left; vertical-align: top; }
th[scope=row] { font-weight: normal; overflow-wrap: anywhere; } .num { text-align: right; font-variant-numeric: tabular-nums; } .scroll { overflow-x: auto; }
.verdict { border-radius: .6rem; padding: 0 .45rem; font-size: 12px; border: 1px solid currentColor; white-space: nowrap; }
.verdict.growing { color: #c0392b; } .verdict.new { color: #b9770e; } .verdict.stopped, .verdict.one-off { color: #2e7d32; }
dl.meanings dt { float: left; clear: left; margin-right: .5rem; } dl.meanings dd { margin: 0 0 .2rem 6rem; color: var(--muted); }
.chart svg { max-width: 100%; height: auto; } .chart text { font-size: 12px; fill: var(--muted); } .chart .grid { stroke: var(--line); } .chart .axis { stroke: var(--muted); }
ul.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; } .swatch { display: inline-block; width: .9rem; height: .9rem; border-radius: 2px; vertical-align: -2px; }
details.iteration { border: 1px solid var(--line); border-radius: 6px; padding: .4rem .8rem; margin: .6rem 0; } details.iteration > summary { font-weight: 600; cursor: pointer; }
summary { cursor: pointer; } ul.traces { list-style: none; padding: 0; } ul.traces > li { margin: .4rem 0; }
ul.tree, ul.tree ul { list-style: none; padding-left: 1.1rem; border-left: 1px dotted var(--line); margin: .1rem 0; }
.id, .repeat, .limit { color: var(--muted); } .root { color: #c0392b; font-size: 12px; border: 1px solid currentColor; border-radius: .5rem; padding: 0 .3rem; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: color-mix(in srgb, var(--line) 35%, transparent); padding: .3rem .5rem; border-radius: 4px; margin: .3rem 0; }
.sites ol { margin: .2rem 0; } .sites h4 { font-size: .9rem; }
`;
