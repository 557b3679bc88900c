/** The preview's own stylesheet and script, served from /assets/ (the CSP allows nothing inline). */

export const BANNER_TEXT = 'OFFICIAL-SENSITIVE - reviewer preview - not for publication'

export const previewCss = `:root{--text:#0b0c0c;--muted:#505a5f;--border:#b1b4b6;--link:#1d70b8;--focus:#ffdd00;--alert:#b10e1e;--alert-bg:#fdf0f2;--ok:#00703c;--warn:#8a4d00;--warn-bg:#fff7e6}
*{box-sizing:border-box}
.public-frame{display:block;width:100%;height:85vh;border:2px solid var(--border)}
.diff{overflow-x:auto;padding:.5rem;background:#f3f2f1}.diff-add{background:#cce2d8}.diff-del{background:#f6d7d2}.diff-hunk{color:var(--muted)}
.approve input{min-width:20rem;padding:.25rem}.approve button{padding:.4rem 1rem;font-weight:bold}
body{margin:0;font-family:Arial,Helvetica,sans-serif;font-size:1rem;line-height:1.5;color:var(--text);background:#fff}
a{color:var(--link)}
a:focus{outline:3px solid transparent;background:var(--focus);color:var(--text);box-shadow:0 -2px var(--focus),0 4px var(--text);text-decoration:none}
.banner{background:var(--alert);color:#fff;font-weight:bold;text-align:center;padding:.4rem 1rem;letter-spacing:.02em}
.banner-top{position:sticky;top:0;z-index:10}
.wrap{max-width:1400px;margin:0 auto;padding:1rem 1.25rem 2rem}
.crumbs{margin:.5rem 0 1rem}
h1{font-size:1.75rem;line-height:1.25;margin:.5rem 0 1rem}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0 0 1.5rem}
.meta dt{font-weight:bold}.meta dd{margin:0}
.filters{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0;margin:1rem 0}
.filters a{display:inline-block;padding:.25rem .75rem;border:2px solid var(--link);border-radius:2rem;text-decoration:none}
.filters a[aria-current]{background:var(--link);color:#fff}
table{border-collapse:collapse;width:100%;margin:0 0 1.5rem}
th,td{border-bottom:1px solid var(--border);padding:.4rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f2f1}
td.num,th.num{text-align:right}
.status{font-weight:bold;white-space:nowrap}
.status-public{color:var(--ok)}.status-deferred{color:var(--warn)}.status-withheld{color:var(--alert)}.status-invalid{color:#fff;background:var(--alert);padding:0 .3rem}
.path{color:var(--muted);font-size:.875rem;word-break:break-all}
.box{border-left:6px solid var(--alert);background:var(--alert-bg);padding:.75rem 1rem;margin:0 0 1.5rem}
.box-warn{border-color:var(--warn);background:var(--warn-bg)}
.box h2{margin-top:0;font-size:1.25rem}
.messages{margin:0;padding-left:1.25rem}.messages li{margin:.25rem 0 .75rem}
.messages pre{margin:.25rem 0 0;background:#fff;border:1px solid var(--border);padding:.25rem .5rem;overflow-x:auto;font-size:.875rem}
.tabs{display:flex;gap:.25rem;list-style:none;padding:0;margin:1.5rem 0 0;border-bottom:2px solid var(--border)}
.tabs a{display:block;padding:.5rem 1rem;text-decoration:none;border:2px solid transparent;border-bottom:0}
.tabs a[aria-current]{border-color:var(--border);background:#fff;color:var(--text);font-weight:bold;margin-bottom:-2px}
.views{display:grid;gap:2rem;margin-top:1rem}
.views-both{grid-template-columns:1fr 1fr}
@media (max-width:900px){.views-both{grid-template-columns:1fr}}
.view{min-width:0}
.view>h2{font-size:1.1rem;margin:0 0 .5rem;padding:.3rem .6rem;background:#f3f2f1;border-left:6px solid var(--muted)}
.view-marked>h2{border-color:var(--alert)}
.paper{font-size:1.0625rem;overflow-wrap:anywhere}
.paper [id]{scroll-margin-top:3rem}
.paper img{max-width:100%;height:auto}
.paper table{width:auto}
.not-public{border:2px dashed var(--border);padding:1rem;color:var(--muted)}
.mopac-sensitive{outline:3px dashed var(--alert);outline-offset:2px;background:var(--alert-bg);padding:.25rem .75rem .5rem;margin:1rem 0}
.mopac-sensitive-inline{outline:2px dashed var(--alert);background:var(--alert-bg);padding:0 .2rem}
p.mopac-sensitive-label{margin:0 0 .25rem;color:var(--alert);font-weight:bold;font-size:.8125rem;text-transform:none}
span.mopac-sensitive-label{display:inline-block;margin-right:.3rem;padding:0 .3rem;background:var(--alert);color:#fff;font-weight:bold;font-size:.75rem;line-height:1.4;border-radius:2px;vertical-align:.1em}
.mopac-withheld{border-left:5px solid var(--muted);background:#f3f2f1;padding:.75rem 1rem;margin:1rem 0}
.mopac-withheld-inline{font-style:normal;background:#f3f2f1;padding:0 .25rem}
.progress{font-size:1.25rem}
@media print{.banner-top{position:static}.tabs,.crumbs{display:none}.views-both{grid-template-columns:1fr}}
`

/**
 * Live reload: the server sends `reload` on /events when what the page shows
 * has changed; the page fetches itself again and swaps its body in place
 * (keeping the scroll position), then listens on the new page's stream. If
 * that fails it reloads the page.
 */
export const previewJs = `(function () {
  var source = null
  var busy = false
  var again = false
  function connect() {
    var url = document.body.getAttribute('data-events')
    if (!url || !window.EventSource) return
    source = new EventSource(url)
    source.addEventListener('reload', update)
  }
  function update() {
    if (busy) {
      again = true
      return
    }
    busy = true
    fetch(location.href, {cache: 'no-store', credentials: 'same-origin'})
      .then(function (response) {
        return response.text()
      })
      .then(function (text) {
        var next = new DOMParser().parseFromString(text, 'text/html')
        if (source) source.close()
        document.title = next.title
        document.body.replaceWith(document.adoptNode(next.body))
        connect()
      })
      .catch(function () {
        location.reload()
      })
      .then(function () {
        busy = false
        if (again) {
          again = false
          update()
        }
      })
  }
  connect()
})()
`
