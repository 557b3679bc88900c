/** The stylesheet (the full design comes with the public site work). */
export const siteCss = `:root{--text:#0b0c0c;--link:#1d70b8;--focus:#ffdd00;--muted:#505a5f;--border:#b1b4b6;--brand:#00205b}
*{box-sizing:border-box}
body{margin:0;font-family:Arial,Helvetica,sans-serif;font-size:1.1875rem;line-height:1.5;color:var(--text);background:#fff}
.container{max-width:960px;margin:0 auto;padding:0 1rem}
a{color:var(--link)}
a:focus{outline:3px solid transparent;background:var(--focus);color:var(--text);box-shadow:0 -2px var(--focus),0 4px var(--text);text-decoration:none}
.skip-link{position:absolute;left:-9999px}
.skip-link:focus{position:static;display:block;padding:.5rem 1rem}
.site-header{background:var(--brand);color:#fff;padding:1rem 0}
.site-header a{color:#fff;font-weight:bold;font-size:1.5rem;text-decoration:none}
.site-owner{margin:0}
main{padding:2rem 1rem}
.site-footer{border-top:1px solid var(--border);background:#f3f2f1;padding:1.5rem 0;margin-top:2rem}
.mopac-withheld{border-left:5px solid var(--muted);background:#f3f2f1;padding:.75rem 1rem;margin:1rem 0}
.mopac-withheld-inline{font-style:normal;background:#f3f2f1;padding:0 .25rem}
table{border-collapse:collapse}th,td{border-bottom:1px solid var(--border);padding:.5rem;text-align:left}
img{max-width:100%;height:auto}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:bold}dd{margin:0}
ol.decisions{list-style:none;padding:0}li.decision{border-bottom:1px solid var(--border);padding:1rem 0}
.caption{color:var(--muted);margin-bottom:0}
@media print{.site-header,.site-footer,.skip-link,nav{display:none}a{color:var(--text)}}
`
